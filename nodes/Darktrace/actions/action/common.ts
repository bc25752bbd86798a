import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	codeIdOf,
	normalizeAction,
	simplifyAction,
	splitActionsResponse,
	type NormalizedAction,
} from '../../domain/action';
import { addActionLinks } from '../../domain/links';
import { InputError } from '../../domain/validation';
import { changeApplied, type ChangeOperation } from '../../domain/writeOnce';
import { darktraceApiRequest } from '../../transport';
import type { Write } from '../node.type';
import type { ItemOptions } from '../options';

export interface FoundAction {
	action: NormalizedAction;
	/** The same action as Simplify shows it. */
	simplified: IDataObject;
	/** The appliance's clock when it answered, epoch ms. */
	serverTime: number;
}

/** Finds one action by code ID; cleared and historic actions included. Throws a clear "not found". */
export async function getActionByCodeId(
	this: IExecuteFunctions,
	codeid: number,
	itemIndex: number,
	timeoutSeconds?: number,
	extraQs: IDataObject = {},
): Promise<FoundAction> {
	const { body, serverTime, instance } = await darktraceApiRequest.call(this, {
		method: 'GET',
		endpoint: '/antigena',
		qs: { includecleared: true, includehistory: true, ...extraQs },
		itemIndex,
		timeoutSeconds,
	});
	const { actions } = splitActionsResponse(body);
	const raw = actions.find((a) => codeIdOf(a) === codeid);
	if (!raw) {
		throw new InputError(
			'Code ID',
			codeid,
			'Use the "codeid" of an existing action (not the model breach "pbid" or the device "did"), as listed by Get Many or the trigger. The appliance keeps actions until 14 days after they expire.',
			'names no RESPOND action on this appliance',
		);
	}
	const now = serverTime;
	return {
		action: addActionLinks(normalizeAction(raw, now), instance),
		simplified: addActionLinks(simplifyAction(raw, now), instance),
		serverTime: now,
	};
}

/**
 * "Return Action After Write": the action as it is after a write that succeeded. A failed read-back
 * never hides the write's success: the result keeps it, with `readBackError` beside it.
 */
export async function addActionAfterWrite(
	this: IExecuteFunctions,
	result: IDataObject,
	codeid: number,
	itemIndex: number,
	options: ItemOptions,
	extraQs?: IDataObject,
): Promise<void> {
	try {
		result.action = (await getActionByCodeId.call(this, codeid, itemIndex, options.timeout, extraQs)).simplified;
	} catch (error) {
		result.action = null;
		result.readBackError = `The write was applied, but reading action ${codeid} back failed: ${(error as Error).message}`;
	}
}

/**
 * A state change with POST /antigena, sent at most once (see domain/writeOnce.ts). `findApplied`
 * reads the action and reports the change as already applied when the appliance shows it took effect.
 */
export function changeAction(
	this: IExecuteFunctions,
	itemIndex: number,
	operation: ChangeOperation,
	body: IDataObject & { codeid: number },
	options: ItemOptions,
): Write {
	const { codeid } = body;
	const reason = (body.reason as string | undefined) ?? '';
	const result = (response: IDataObject | null, alreadyApplied: boolean): IDataObject => {
		const out: IDataObject = {
			codeid,
			operation,
			success: alreadyApplied || response?.response === 'SUCCESS',
			alreadyApplied,
			reason,
			response,
		};
		if (body.duration !== undefined) out.duration = body.duration;
		return out;
	};
	return {
		lookFirst: false,
		findApplied: async () => {
			const found = await getActionByCodeId.call(this, codeid, itemIndex, options.timeout);
			if (!changeApplied(operation, found.action, reason, found.serverTime)) return undefined;
			const out = result(null, true);
			if (options.returnAction) out.action = found.simplified;
			return [out];
		},
		send: async () => {
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
			const out = result(response as IDataObject, false);
			if (options.returnAction) await addActionAfterWrite.call(this, out, codeid, itemIndex, options);
			return [out];
		},
	};
}
