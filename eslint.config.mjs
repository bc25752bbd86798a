import { globalIgnores } from 'eslint/config';
import { config } from '@n8n/node-cli/eslint';

// n8n's community-node config, rules unchanged. Only the published code (nodes/, credentials/,
// package.json) is held to it: the simulator, tests, e2e scripts and benchmarks are dev tools that
// never ship and need what node code may not use (process, timers, console, node:http).
export default [
	globalIgnores(['bench/', 'scripts/', 'simulator/', 'test/', 'coverage/', '.n8n-runtime/', 'ui-artifacts/']),
	...config,
];
