/**
 * Runs a two-node workflow (items → the Darktrace RESPOND node) through n8n-core's real WorkflowExecute,
 * so that n8n's own node settings apply exactly as in n8n: Retry On Fail (`retryOnFail`, `maxTries`,
 * `waitBetweenTries`: WorkflowExecute re-runs the node's `execute` in the same execution) and On Error
 * (`onError`: stop, continue, or the error output).
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	LoggerProxy,
	Workflow,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IRun,
	type IWorkflowBase,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { DarktraceRespond } from '../../nodes/Darktrace/DarktraceRespond.node';
import { DARKTRACE_CREDENTIAL_TYPE } from '../../credentials/common/fields';
import { TestCredentialsHelper, type TestCredentials } from './credentials';
import { additionalData, SingleNodeTypes } from './nodeRunner';
import { assertNoSecret } from './secrets';

/** The start node: emits the items given in its `items` parameter (a JSON array). */
class ItemsNode implements INodeType {
	description = {
		displayName: 'Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		return [items.map((json) => ({ json }))];
	}
}

export interface NodeSettings {
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
}

export interface WorkflowRun {
	run: IRun;
	/** The RESPOND node's outputs of its last try (main, and the error output when on), as JSON. */
	outputs: IDataObject[][];
	/** The error the execution failed with, if it did. */
	error?: Error & { description?: string };
}

let executions = 0;

/** n8n logs each node error it catches; the tests assert on them instead. */
const quiet = () => {};
LoggerProxy.init({ error: quiet, warn: quiet, info: quiet, debug: quiet });

/** Runs items → RESPOND node in WorkflowExecute; each call is a new execution (its own ID). */
export async function runInWorkflowExecute(options: {
	parameters: INodeParameters;
	credentials: TestCredentials;
	items: IDataObject[];
	settings?: NodeSettings;
	mode?: WorkflowExecuteMode;
	executionId?: string;
}): Promise<WorkflowRun> {
	const mode = options.mode ?? 'manual';
	const executionId = options.executionId ?? `wfx-${process.pid}-${++executions}`;
	const start: INode = {
		id: 'items',
		name: 'Items',
		type: 'test.items',
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(options.items) },
	};
	const settings = options.settings ?? {};
	const respond: INode = {
		id: 'respond',
		name: 'Darktrace RESPOND',
		type: 'test.darktraceRespond',
		typeVersion: 1,
		position: [200, 0],
		parameters: options.parameters,
		credentials: { [DARKTRACE_CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Darktrace (test)' } },
		...settings,
	};
	const workflowData: IWorkflowBase = {
		id: 'wf-retry',
		name: 'write once',
		active: false,
		isArchived: false,
		nodes: [start, respond],
		connections: { Items: { main: [[{ node: respond.name, type: 'main', index: 0 }]] } },
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as unknown as IWorkflowBase;
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes: new SingleNodeTypes({
			'test.items': new ItemsNode(),
			'test.darktraceRespond': new DarktraceRespond(),
		}),
	});
	const helper = new TestCredentialsHelper(options.credentials);
	const data = additionalData(helper);
	data.executionId = executionId;
	data.hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const run = await new WorkflowExecute(data, mode).run({ workflow, startNode: workflow.getNode('Items')! });
	assertNoSecret(run, options.credentials.privateToken, 'the execution data');
	const task = run.data.resultData.runData[respond.name]?.at(-1);
	const outputs = (task?.data?.main ?? []).map((output) => (output ?? []).map((item) => item.json));
	const error = run.data.resultData.error as WorkflowRun['error'];
	return { run, outputs, error };
}
