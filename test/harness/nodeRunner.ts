/**
 * Runs our nodes through n8n-core's real execution contexts (ExecuteContext, PollContext) and n8n's real
 * HTTP helpers; requests go over real loopback HTTP. Every run passes the secret guard (secrets.ts).
 */
import { ExecuteContext, PollContext } from 'n8n-core';
import {
	Workflow,
	createRunExecutionData,
	type IDataObject,
	type IExecuteData,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRunExecutionData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { DARKTRACE_CREDENTIAL_TYPE } from '../../credentials/common/fields';
import { TestCredentialsHelper, type TestCredentials } from './credentials';
import { guarded } from './secrets';

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
	/** The workflow's time zone setting (`this.getTimezone()`); n8n's default when unset. */
	timezone?: string;
}

export function buildWorkflow(under: NodeUnderTest, staticData?: IDataObject) {
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
		credentials: { [DARKTRACE_CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Darktrace (test)' } },
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
		settings: under.timezone ? { timezone: under.timezone } : undefined,
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

