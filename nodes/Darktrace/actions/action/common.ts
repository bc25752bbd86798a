import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { normalizeAction, simplifyAction, splitActionsResponse, type NormalizedAction } from '../../helpers/action';
import { darktraceApiRequest } from '../../transport';

export interface WriteOptions {
	returnAction?: boolean;
	timeout?: number;
}

export interface FoundAction {
	action: NormalizedAction;
	/** The same action as Simplify shows it. */
	simplified: IDataObject;
}

/** Finds one action by code ID; cleared and historic actions included. Throws a clear "not found". */
export async function getActionByCodeId(
	this: IExecuteFunctions,
	codeid: number,
	itemIndex: number,
	timeoutSeconds?: number,
	extraQs: IDataObject = {},
): Promise<FoundAction> {
	const { body, serverTime } = await darktraceApiRequest.call(this, {
		method: 'GET',
		endpoint: '/antigena',
		qs: { includecleared: true, includehistory: true, ...extraQs },
		itemIndex,
		timeoutSeconds,
	});
	const { actions } = splitActionsResponse(body);
	const raw = actions.find((a) => Number(a.codeid ?? a.code) === codeid);
	if (!raw) {
		throw new NodeOperationError(this.getNode(), `No RESPOND action with code ID ${codeid} on this appliance`, {
			itemIndex,
			description:
				'The appliance keeps actions until 14 days after they expire. Check the code ID (the action\'s "codeid", not the model breach "pbid" or the device "did").',
		});
	}
	return { action: normalizeAction(raw, serverTime), simplified: simplifyAction(raw, serverTime) };
}

/**
 * Changes an action's state with POST /antigena and reports what happened. Sent once, never retried.
 */
export async function changeAction(
	this: IExecuteFunctions,
	itemIndex: number,
	operation: 'activate' | 'extend' | 'clear' | 'reactivate',
	body: IDataObject & { codeid: number },
	options: WriteOptions,
): Promise<IDataObject[]> {
	const { codeid } = body;
	const { body: response } = await darktraceApiRequest.call(this, {
		method: 'POST',
		endpoint: '/antigena',
		body,
		itemIndex,
		timeoutSeconds: options.timeout,
		write: {
			description: `${operation} RESPOND action ${codeid}`,
			howToCheck: `Check the action with Action > Get (code ID ${codeid}) before running this again.`,
		},
	});
	const result: IDataObject = {
		codeid,
		operation,
		success: (response as IDataObject).response === 'SUCCESS',
		reason: body.reason ?? '',
		response: response as IDataObject,
	};
	if (body.duration !== undefined) result.duration = body.duration;
	if (options.returnAction) {
		result.action = (await getActionByCodeId.call(this, codeid, itemIndex, options.timeout)).simplified;
	}
	return [result];
}
