/**
 * In-process n8n harness: runs our nodes through n8n-core's real execution contexts (ExecuteContext,
 * PollContext) and n8n's real HTTP helpers, with a credentials helper that calls the credential's
 * `authenticate` the way n8n's CLI does. Requests go over real loopback HTTP.
 */
import { ExecuteContext, PollContext, RoutingNode } from 'n8n-core';
import {
	ICredentialsHelper,
	Workflow,
	createRunExecutionData,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IDataObject,
	type IExecuteData,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IRunExecutionData,
	type IWorkflowExecuteAdditionalData,
	type ICredentialTestRequest,
	type INodeCredentialTestResult,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { inspect } from 'util';

import { DarktraceApi } from '../../credentials/DarktraceApi.credentials';

/**
 * Secrets stay secret: every run through the harness checks that the private token appears nowhere in
 * the node's output or in the error it throws (message, description, context, cause), at any depth.
 */
export function assertNoSecret(value: unknown, privateToken: string | undefined, where: string): void {
	if (!privateToken || privateToken.length < 4) return;
	const text =
		typeof value === 'string' ? value : inspect(value, { depth: 12, maxArrayLength: null, maxStringLength: null });
	if (text.includes(privateToken)) throw new Error(`The private token leaked into ${where}`);
}

export async function guarded<T>(run: () => Promise<T>, privateToken: string | undefined): Promise<T> {
	let result: T;
	try {
		result = await run();
	} catch (error) {
		assertNoSecret(error, privateToken, 'an error');
		assertNoSecret(
			String((error as { description?: unknown }).description ?? ''),
			privateToken,
			'an error description',
		);
		throw error;
	}
	assertNoSecret(result, privateToken, 'the node output');
	return result;
}

export type TestCredentials = ICredentialDataDecryptedObject & {
	url: string;
	publicToken: string;
	privateToken: string;
	ignoreSslIssues?: boolean;
	dateFormat?: string;
};

export const CREDENTIAL_TYPE = 'darktraceApi';

/** Calls the credential type's `authenticate` exactly as n8n's CredentialsHelper does. */
export class TestCredentialsHelper extends ICredentialsHelper {
	readonly credentialType: ICredentialType = new DarktraceApi();
	authenticateCalls = 0;
	/** Apply `authenticate` twice to every request, as n8n does to its own output on a 401 retry. */
	authenticateTwice = false;

	constructor(private credentials: TestCredentials) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		if (typeName !== CREDENTIAL_TYPE) throw new Error(`Unknown credential type ${typeName}`);
		this.authenticateCalls++;
		const authenticate = this.credentialType.authenticate;
		if (typeof authenticate !== 'function') throw new Error('darktraceApi.authenticate must be a function');
		const once = await authenticate.call(this.credentialType, credentials, requestOptions as IHttpRequestOptions);
		return this.authenticateTwice ? await authenticate.call(this.credentialType, credentials, once) : once;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(_details: INodeCredentialsDetails, _type: string): Promise<ICredentials> {
		throw new Error('not used by the harness');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return { ...this.credentials };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return this.credentialType.properties;
	}
}

export class SingleNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}

	getByName(name: string): INodeType {
		return this.getByNameAndVersion(name);
	}

	getByNameAndVersion(name: string): INodeType {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

let executions = 0;

/** What n8n hands a node about its execution; each call is a new execution with its own ID, as in n8n. */
export function additionalData(helper: TestCredentialsHelper): IWorkflowExecuteAdditionalData {
	const base = 'http://127.0.0.1:5678';
	return {
		executionId: `harness-${process.pid}-${++executions}`,
		credentialsHelper: helper,
		executeWorkflow: async () => {
			throw new Error('not supported in the harness');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not supported in the harness');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface NodeUnderTest {
	type: INodeType;
	/** The type name the node is registered under, e.g. 'n8n-nodes-darktrace.darktraceRespond' */
	name?: string;
	parameters: INodeParameters;
	credentials: TestCredentials;
	continueOnFail?: boolean;
	nodeName?: string;
}

function buildWorkflow(under: NodeUnderTest, staticData?: IDataObject) {
	const typeName = under.name ?? `test.${under.type.description.name}`;
	const node: INode = {
		id: 'node-under-test',
		name: under.nodeName ?? under.type.description.defaults.name ?? 'Darktrace',
		type: typeName,
		typeVersion: Array.isArray(under.type.description.version)
			? Math.max(...under.type.description.version)
			: under.type.description.version,
		position: [0, 0],
		parameters: under.parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Darktrace (test)' } },
		continueOnFail: under.continueOnFail ?? false,
		onError: under.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
	};
	const nodeTypes = new SingleNodeTypes({ [typeName]: under.type });
	const workflow = new Workflow({
		id: 'wf-test',
		name: 'harness',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		staticData,
	});
	// The Workflow constructor has filled in the parameter defaults, as n8n does when it loads a workflow.
	const loaded = workflow.getNode(node.name) as INode;
	return { workflow, node: loaded };
}

export interface ExecuteResult {
	output: INodeExecutionData[][] | null;
	helper: TestCredentialsHelper;
}

/** Runs a node's `execute()` in n8n-core's real ExecuteContext. */
export async function executeNode(
	under: NodeUnderTest,
	items: INodeExecutionData[] = [{ json: {} }],
	mode: WorkflowExecuteMode = 'manual',
	configure?: (helper: TestCredentialsHelper) => void,
): Promise<ExecuteResult> {
	const helper = new TestCredentialsHelper(under.credentials);
	configure?.(helper);
	const { workflow, node } = buildWorkflow(under);
	const runExecutionData: IRunExecutionData = createRunExecutionData({
		resultData: { runData: {} },
	});
	const executeData: IExecuteData = { node, data: { main: [items] }, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData(helper),
		mode,
		runExecutionData,
		0,
		items,
		{ main: [items] },
		executeData,
		[],
	);
	const type = under.type;
	if (!type.execute) throw new Error('node has no execute()');
	const output = await guarded(
		async () => (await type.execute!.call(context)) as INodeExecutionData[][] | null,
		under.credentials.privateToken,
	);
	return { output, helper };
}

export interface PollHarness {
	/** The workflow's static data as n8n would persist it (shared across polls of this harness). */
	staticData: IDataObject;
	poll(mode?: WorkflowExecuteMode, activation?: WorkflowActivateMode): Promise<INodeExecutionData[][] | null>;
	helper: TestCredentialsHelper;
}

/**
 * A trigger node under n8n-core's real PollContext. Static data lives on the workflow object between
 * polls, as in a running n8n; pass `staticData` from an earlier harness to simulate a restart.
 * Like n8n, static data is "saved" (copied to `saved`) only when a trigger-mode poll emits items.
 */
export function pollHarness(under: NodeUnderTest, persisted?: IDataObject): PollHarness & { saved: IDataObject } {
	const helper = new TestCredentialsHelper(under.credentials);
	// n8n wraps static data in a change-tracking Proxy, which structuredClone cannot copy: copy as JSON.
	const jsonCopy = (value: IDataObject) => JSON.parse(JSON.stringify(value)) as IDataObject;
	const startData = jsonCopy(persisted ?? {});
	const { workflow, node } = buildWorkflow(under, startData);
	const harness = {
		staticData: workflow.staticData as IDataObject,
		saved: jsonCopy(startData),
		helper,
		async poll(mode: WorkflowExecuteMode = 'trigger', activation: WorkflowActivateMode = 'activate') {
			const context = new PollContext(workflow, node, additionalData(helper), mode, activation);
			const type = under.type;
			if (!type.poll) throw new Error('node has no poll()');
			const result = await guarded(async () => await type.poll!.call(context), under.credentials.privateToken);
			if (mode !== 'manual' && result !== null) {
				harness.saved = jsonCopy(workflow.staticData as IDataObject);
			}
			harness.staticData = workflow.staticData as IDataObject;
			return result;
		},
	};
	return harness;
}

/**
 * Runs the credential's `test` the way n8n's CLI does (CredentialsTester.runRequestTest): the test
 * request as the routing of a temporary node, executed by n8n-core's RoutingNode, then the rules.
 */
export async function testCredential(
	credentials: TestCredentials,
): Promise<INodeCredentialTestResult & { helper: TestCredentialsHelper }> {
	const helper = new TestCredentialsHelper(credentials);
	const test = helper.credentialType.test as ICredentialTestRequest;
	const tempType: INodeType = {
		description: {
			displayName: 'Temp',
			name: 'temp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: CREDENTIAL_TYPE, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: test.request } },
			],
		},
	};
	const { workflow, node } = buildWorkflow({
		type: tempType,
		name: 'temp',
		parameters: {},
		credentials,
		nodeName: 'Temp-Node',
	});
	const inputData = { main: [[{ json: {} }]] };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData(helper),
		'internal',
		createRunExecutionData({ resultData: { runData: {} } }),
		0,
		[],
		inputData,
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, tempType, {
		id: 'cred-1',
		name: 'Darktrace (test)',
		type: CREDENTIAL_TYPE,
		data: credentials,
	});
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = (await routingNode.runNode()) as INodeExecutionData[][] | null | undefined;
	} catch (error) {
		const cause = (error as { cause?: { response?: { status: number; statusText: string }; code?: string } }).cause;
		if (cause?.response) {
			for (const rule of test.rules ?? []) {
				if (rule.type === 'responseCode' && cause.response.status === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message, helper };
				}
			}
			return {
				status: 'Error',
				message: cause.response.statusText || `Received HTTP status code: ${cause.response.status}`,
				helper,
			};
		}
		if (cause?.code) return { status: 'Error', message: cause.code, helper };
		return { status: 'Error', message: String((error as Error).message), helper };
	}
	for (const rule of test.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const json = response?.[0]?.[0]?.json as IDataObject | undefined;
			const value = rule.properties.key
				.split('.')
				.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as IDataObject)[k] : undefined), json);
			if (value === rule.properties.value) return { status: 'Error', message: rule.properties.message, helper };
		}
	}
	return { status: 'OK', message: 'Connection successful!', helper };
}
