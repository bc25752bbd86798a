/**
 * The in-process n8n harness, in four parts: the secret guard (secrets.ts), the test credential and its
 * credentials helper (credentials.ts), the node runner on n8n-core's real contexts (nodeRunner.ts), and
 * the credential test as n8n's CLI runs it (credentialTester.ts).
 */
export * from './credentials';
export * from './credentialTester';
export * from './nodeRunner';
export * from './secrets';
