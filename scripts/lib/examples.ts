/**
 * The example workflows (examples/workflows/*.json) and the credentials they reference, pointed at a
 * running simulator.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DARKTRACE_CREDENTIAL_TYPE } from '../../credentials/common/fields';
import type { CredentialFixture, WorkflowJson } from './n8n';
import { ROOT } from './runtime';

export const EXAMPLES_DIR = join(ROOT, 'examples', 'workflows');

/** The appliance address written in the examples (the demo's simulator); replaced by the real one. */
export const EXAMPLE_APPLIANCE_URL = 'http://127.0.0.1:4747';

/** The credentials the examples reference by id and name. */
export const CREDENTIALS = {
	respond: { id: 'DtSimRespond0001', name: 'Darktrace simulator' },
	readonly: { id: 'DtSimReadonly001', name: 'Darktrace simulator (read-only token)' },
	/** The AI agent example's chat model (OpenAI API or any OpenAI-compatible server). */
	model: { id: 'DtModelOpenAi001', name: 'OpenAI-compatible model' },
	/** The mail server the human-review example sends its review e-mail through. */
	mail: { id: 'DtMailSmtp000001', name: 'Mail server (SMTP)' },
} as const;

/** Example workflow ids, by role. */
export const WORKFLOWS = {
	approve: 'DtExample01Apprv',
	blockConnections: 'DtExample02Block',
	reactivate: 'DtExample03React',
	errors: 'DtExample04Error',
	httpRequest: 'DtExample05Http0',
	trigger: 'DtExample06Trigr',
	/** Ask a person to approve each new pending action (n8n form), and its companion on cleared/expired. */
	approval: 'DtExample07Apprv',
	approvalClosed: 'DtExample07Close',
	agent: 'DtExample08Agent',
	/** The same agent with the activation reviewed by a person (e-mail). */
	agentReview: 'DtExample08Revw',
} as const;

export interface TokenPair {
	public: string;
	private: string;
}

/** A Darktrace API credential in the form `n8n import:credentials` takes (plain-text data). */
export function darktraceCredential(
	ref: { id: string; name: string },
	url: string,
	token: TokenPair,
	extra: Record<string, unknown> = {},
): CredentialFixture {
	return {
		id: ref.id,
		name: ref.name,
		type: DARKTRACE_CREDENTIAL_TYPE,
		data: { url, publicToken: token.public, privateToken: token.private, ignoreSslIssues: false, dateFormat: 'spaced', ...extra },
	};
}

/** The credentials every example needs, for the simulator at `url`. */
export function exampleCredentials(url: string, tokens: { respond: TokenPair; readonly: TokenPair }): CredentialFixture[] {
	return [darktraceCredential(CREDENTIALS.respond, url, tokens.respond), darktraceCredential(CREDENTIALS.readonly, url, tokens.readonly)];
}

/** The chat model credential of the AI agent example, pointed at an OpenAI-compatible `baseUrl` (ending in /v1). */
export function modelCredential(baseUrl: string): CredentialFixture {
	return {
		...CREDENTIALS.model,
		type: 'openAiApi',
		// A local scripted model checks no key; n8n's credential requires one.
		data: { apiKey: 'sk-local-scripted-model', url: baseUrl },
	};
}

/** The human-review example's SMTP credential, for a plain (no TLS, no login) mail server. */
export function mailCredential(host: string, port: number): CredentialFixture {
	return {
		...CREDENTIALS.mail,
		type: 'smtp',
		data: { user: '', password: '', host, port, secure: false, disableStartTls: true },
	};
}

export interface ExampleFile {
	file: string;
	workflow: WorkflowJson;
}

/** Every example workflow, with the appliance address replaced by `applianceUrl`. */
export function loadExamples(applianceUrl: string): ExampleFile[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const text = readFileSync(join(EXAMPLES_DIR, file), 'utf8').split(EXAMPLE_APPLIANCE_URL).join(applianceUrl);
			return { file, workflow: JSON.parse(text) as WorkflowJson };
		});
}

/** Whether a workflow can run from the command line (it starts with a Manual Trigger). */
export function isManual(workflow: WorkflowJson): boolean {
	return workflow.nodes.some((node) => node.type === 'n8n-nodes-base.manualTrigger');
}
