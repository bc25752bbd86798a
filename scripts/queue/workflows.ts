/**
 * Workflows the queue-mode tests add to the examples: the trigger example with a 10-second poll, and
 * one-write workflows for the worker-kill tests.
 */
import { CREDENTIALS, WORKFLOWS } from '../lib/examples';
import type { WorkflowJson } from '../lib/n8n';

export const QUEUE_WORKFLOWS = {
	fastTrigger: 'DtQueueTrigger10',
	killCreate: 'DtQueueKillMan01',
	killExtend: 'DtQueueKillExt01',
} as const;

export const TRIGGER_NODE = 'Darktrace RESPOND Trigger';
export const WRITE_NODE = 'Write';

/**
 * n8n rejects a sub-minute cron, but takes several "Custom" poll times: six, each once a minute at a
 * different second, poll every 10 s.
 */
export const TEN_SECOND_POLLS = [0, 10, 20, 30, 40, 50].map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` }));

/** The trigger example (by id) as a new workflow that polls every 10 s. */
export function fastTrigger(examples: WorkflowJson[]): WorkflowJson {
	const example = examples.find((w) => w.id === WORKFLOWS.trigger);
	if (!example) throw new Error('The trigger example is missing');
	const copy = JSON.parse(JSON.stringify(example)) as WorkflowJson;
	copy.id = QUEUE_WORKFLOWS.fastTrigger;
	copy.name = `${example.name}, every 10 s`;
	const trigger = copy.nodes.find((n) => n.name === TRIGGER_NODE);
	if (!trigger) throw new Error(`The trigger example has no node "${TRIGGER_NODE}"`);
	trigger.parameters.pollTimes = { item: TEN_SECOND_POLLS };
	return copy;
}

function oneWrite(id: string, name: string, parameters: Record<string, unknown>): WorkflowJson {
	return {
		id,
		name,
		nodes: [
			{ id: `${id}-run`, name: 'Run', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: `${id}-write`,
				name: WRITE_NODE,
				type: 'n8n-nodes-darktrace.darktraceRespond',
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'action', ...parameters, options: {} },
				credentials: { darktraceApi: { id: CREDENTIALS.respond.id, name: CREDENTIALS.respond.name } },
			},
		],
		connections: { Run: { main: [[{ node: WRITE_NODE, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
}

export interface ManualSpec {
	did: number;
	inhibitor: string;
	duration: number;
	reason: string;
}

/** Create Manual Action, one item. */
export function createManualWorkflow(spec: ManualSpec): WorkflowJson {
	return oneWrite(QUEUE_WORKFLOWS.killCreate, 'Queue test: create a manual action', {
		operation: 'createManual',
		did: spec.did,
		inhibitor: spec.inhibitor,
		duration: spec.duration,
		reason: spec.reason,
	});
}

/** Extend with "Add Time", one item. */
export function addTimeWorkflow(codeid: number, seconds: number, reason: string): WorkflowJson {
	return oneWrite(QUEUE_WORKFLOWS.killExtend, 'Queue test: add time to an action', {
		operation: 'extend',
		codeId: codeid,
		extendMode: 'addTime',
		duration: seconds,
		reason,
	});
}
