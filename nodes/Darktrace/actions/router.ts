import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { getParameter } from '../helpers/parameters';
import { InputError } from '../helpers/validation';
import * as action from './action/Action.resource';
import type { Operation, Send } from './node.type';
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

/** Any error of an item as the n8n error for that item. */
function itemError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof InputError) {
		return new NodeOperationError(ctx.getNode(), error.message, { itemIndex, description: error.fix });
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/** Sends the items' requests, at most `limit` in flight; results keep the items' order. An entry that is
 * already an error (invalid input, with "continue on fail") is its own result. Stops starting new sends
 * after the first failure when `stopOnError`. */
async function sendAll(
	sends: Array<Send | NodeApiError | NodeOperationError>,
	limit: number,
	stopOnError: boolean,
): Promise<Array<{ value?: IDataObject[]; error?: unknown; skipped?: boolean }>> {
	const results: Array<{ value?: IDataObject[]; error?: unknown; skipped?: boolean }> = sends.map(() => ({
		skipped: true,
	}));
	let next = 0;
	let failed = false;
	const worker = async () => {
		while (next < sends.length && !(stopOnError && failed)) {
			const index = next++;
			const send = sends[index];
			try {
				if (typeof send !== 'function') throw send;
				results[index] = { value: await send() };
			} catch (error) {
				results[index] = { error };
				failed = true;
			}
		}
	};
	if (limit === 1 || sends.length < 2) await worker();
	else await Promise.all(Array.from({ length: Math.min(limit, sends.length) }, worker));
	return results;
}

/**
 * Validates every item before sending anything (so a typo in item 50 sends nothing for items 1–49
 * unless "continue on fail" is on), then sends, up to "Max Requests in Flight" at a time.
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

	const sends: Array<Send | NodeApiError | NodeOperationError> = [];
	for (let i = 0; i < items.length; i++) {
		try {
			sends.push(operation.prepare.call(this, i));
		} catch (error) {
			const nodeError = itemError(this, error, i);
			if (!continueOnFail) throw nodeError;
			sends.push(nodeError);
		}
	}

	const concurrency = Math.min(
		10,
		Math.max(1, Math.floor(Number(getParameter.call(this, 'options.concurrency', 0, 1))) || 1),
	);
	const results = await sendAll(sends, concurrency, !continueOnFail);

	const output: INodeExecutionData[] = [];
	for (let i = 0; i < results.length; i++) {
		const { value, error } = results[i];
		if (error !== undefined) {
			const nodeError = itemError(this, error, i);
			if (!continueOnFail) throw nodeError;
			output.push({
				json: { error: nodeError.message, description: nodeError.description ?? null },
				pairedItem: { item: i },
			});
			continue;
		}
		for (const json of value ?? []) output.push({ json, pairedItem: { item: i } });
	}
	return [output];
}
