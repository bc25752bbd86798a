import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { getParameter } from './parameters';
import { parseConcurrency } from '../domain/validation';
import { WriteLedger, type Attempt } from '../domain/writeOnce';
import { toNodeError } from '../nodeError';
import { writeOutcomeOf } from '../transport';
import * as action from './action/Action.resource';
import type { Operation, Write } from './node.type';
import * as summary from './summary/Summary.resource';

const operations: Record<string, Record<string, Operation>> = {
	action: {
		activate: action.activate,
		clear: action.clear,
		createManual: action.createManual,
		extend: action.extend,
		get: action.get,
		getMany: action.getMany,
		reactivate: action.reactivate,
	},
	summary: { get: summary.get },
};

const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

/** Whatever each item's run ended with, in input order. */
type ItemResult = { value?: IDataObject[]; error?: unknown };

const ledger = new WriteLedger();

/** The ledger's key for this run of this node in this execution; none outside a real execution. */
function ledgerKey(ctx: IExecuteFunctions): string | undefined {
	const executionId = ctx.getExecutionId();
	if (!executionId) return undefined;
	const runIndex = (ctx as unknown as { runIndex?: number }).runIndex ?? 0;
	return `${executionId}\u0000${ctx.getNode().name}\u0000${runIndex}`;
}

function earlierAttempt(
	ctx: IExecuteFunctions,
	prior: unknown,
	itemIndex: number,
	problem: string,
): NodeOperationError {
	const earlier = (prior as Error).message.replace(/^Outcome unknown: /, '');
	return new NodeOperationError(ctx.getNode(), `Outcome unknown, not sent again: ${earlier}; ${problem}`, {
		itemIndex,
		description:
			'An earlier try of this item in this execution got no clear answer. A RESPOND write is sent at most once per item per execution, so Retry On Fail does not repeat it. Check the action on the appliance (Action > Get, or Get Many by device). If it is still needed, run the workflow again or retry the execution: a retried execution reads the action before each write.',
	});
}

/**
 * Sends a write at most once per item per execution. What this item's write did on an earlier try of
 * this run (n8n's Retry On Fail) is replayed; an unknown outcome is settled by reading the appliance,
 * never by sending again. Before a first send the appliance is read when the write looks first or the
 * execution is a retry of a failed one: a write that already took effect is not sent.
 */
async function sendWrite(
	ctx: IExecuteFunctions,
	write: Write,
	itemIndex: number,
	key: string | undefined,
	isRetryExecution: boolean,
): Promise<IDataObject[]> {
	const record = (attempt: Attempt) => {
		if (key !== undefined) ledger.record(key, itemIndex, attempt, Date.now());
	};
	const prior = key === undefined ? undefined : ledger.get(key, itemIndex, Date.now());
	if (prior?.outcome === 'applied') return prior.output;
	if (prior?.outcome === 'rejected') throw toNodeError(ctx, prior.error, itemIndex);
	if (prior?.outcome === 'unknown') {
		let applied: IDataObject[] | undefined;
		try {
			applied = await write.findApplied();
		} catch (readError) {
			throw earlierAttempt(
				ctx,
				prior.error,
				itemIndex,
				`checking the appliance failed: ${(readError as Error).message}`,
			);
		}
		if (!applied) throw earlierAttempt(ctx, prior.error, itemIndex, 'the appliance does not show it as applied');
		record({ outcome: 'applied', output: applied });
		return applied;
	}
	if (write.lookFirst || isRetryExecution) {
		const applied = await write.findApplied();
		if (applied) {
			record({ outcome: 'applied', output: applied });
			return applied;
		}
	}
	try {
		const output = await write.send();
		record({ outcome: 'applied', output });
		return output;
	} catch (error) {
		const outcome = writeOutcomeOf(error);
		if (outcome === 'rejected' || outcome === 'unknown') record({ outcome, error });
		throw toNodeError(ctx, error, itemIndex);
	}
}

/** Sends the items' requests, at most `limit` in flight; results keep the items' order. An entry that is
 * already an error (invalid input, with "continue on fail") is its own result. Stops starting new sends
 * after the first failure when `stopOnError`. */
async function sendAll(
	sends: Array<() => Promise<IDataObject[]>>,
	limit: number,
	stopOnError: boolean,
): Promise<ItemResult[]> {
	const results: ItemResult[] = sends.map(() => ({}));
	let next = 0;
	let failed = false;
	const worker = async () => {
		while (next < sends.length && !(stopOnError && failed)) {
			const index = next++;
			try {
				results[index] = { value: await sends[index]() };
			} catch (error) {
				results[index] = { error };
				failed = true;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, sends.length) }, worker));
	return results;
}

/** For an error that stops a bulk write: which items were applied before it, and which were not sent. */
function progressNote(results: ItemResult[], failedIndex: number): string {
	const applied: string[] = [];
	const notSent: number[] = [];
	results.forEach((result, i) => {
		if (i === failedIndex) return;
		if (result.value) {
			const codeid = result.value[0]?.codeid;
			applied.push(`item ${i}${codeid !== undefined && codeid !== null ? ` (code ID ${String(codeid)})` : ''}`);
		} else if (result.error === undefined) notSent.push(i);
	});
	const parts: string[] = [];
	if (applied.length) parts.push(`Applied before this error: ${applied.join(', ')}.`);
	if (notSent.length) parts.push(`Not sent: item${notSent.length > 1 ? 's' : ''} ${notSent.join(', ')}.`);
	return parts.join(' ');
}

/**
 * Validates every item before sending anything (so a typo in item 50 sends nothing for items 1–49
 * unless "continue on fail" is on), then sends, up to "Max Requests in Flight" at a time. Writes go
 * through the write-once rules (sendWrite).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = getParameter.call(this, 'resource', 0) as string;
	const operationName = getParameter.call(this, 'operation', 0, '') as string;
	if (resource === CUSTOM_API_CALL || operationName === CUSTOM_API_CALL) {
		throw new NodeOperationError(this.getNode(), 'Custom API calls are made with the HTTP Request node', {
			description:
				'Add an HTTP Request node, set Authentication to "Predefined Credential Type" and choose "Darktrace API": it signs any Darktrace endpoint with this credential.',
		});
	}
	const operation = operations[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" is not known for resource "${resource}"`,
		);
	}
	const continueOnFail = this.continueOnFail();
	let concurrency = 1;
	if (items.length > 1) {
		const stored = getParameter.call(this, 'options.concurrency', 0, operation.inFlightDefault ?? 1);
		try {
			concurrency = parseConcurrency(stored);
		} catch (error) {
			throw toNodeError(this, error, 0);
		}
	}

	const key = ledgerKey(this);
	const isRetryExecution = this.getMode() === 'retry';
	const sends: Array<() => Promise<IDataObject[]>> = [];
	let hasWrites = false;
	for (let i = 0; i < items.length; i++) {
		try {
			const prepared = operation.prepare.call(this, i);
			if (typeof prepared === 'function') sends.push(prepared);
			else {
				hasWrites = true;
				sends.push(() => sendWrite(this, prepared, i, key, isRetryExecution));
			}
		} catch (error) {
			const nodeError = toNodeError(this, error, i);
			if (!continueOnFail) throw nodeError;
			sends.push(() => Promise.reject(nodeError));
		}
	}

	const results = await sendAll(sends, concurrency, !continueOnFail);

	const output: INodeExecutionData[] = [];
	let clean = true;
	for (let i = 0; i < results.length; i++) {
		const { value, error } = results[i];
		if (error !== undefined) {
			clean = false;
			const nodeError = toNodeError(this, error, i);
			if (!continueOnFail) {
				if (key !== undefined && hasWrites) this.onExecutionFinish?.(() => ledger.release(key));
				const note = hasWrites ? progressNote(results, i) : '';
				if (note) nodeError.description = [nodeError.description, note].filter(Boolean).join(' ');
				throw nodeError;
			}
			output.push({
				// Only these keys: n8n routes an item whose json keys are all of error, message and details to
				// the error output ("On Error: Continue (using error output)"), and keeps the json as it is.
				json: { error: nodeError.message, details: nodeError.description ?? null },
				pairedItem: { item: i },
			});
			continue;
		}
		for (const json of value ?? []) output.push({ json, pairedItem: { item: i } });
	}
	if (key !== undefined && hasWrites) {
		// A clean run is never re-run by n8n: its record can go now; else when the execution ends.
		if (clean) ledger.release(key);
		else this.onExecutionFinish?.(() => ledger.release(key));
	}
	return [output];
}
