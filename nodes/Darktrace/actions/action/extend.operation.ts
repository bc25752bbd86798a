import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { InputError, MAX_DURATION_SECONDS, parseCodeId, parseDuration, parseReason } from '../../domain/validation';
import { changeApplied } from '../../domain/writeOnce';
import { getParameter, runsAsTool } from '../parameters';
import { codeIdField, durationField, reasonField, writeOptions } from '../common.descriptions';
import type { Write } from '../node.type';
import { readOptions } from '../options';
import { changeAction, getActionByCodeId, type FoundAction } from './common';

const properties: INodeProperties[] = [
	codeIdField,
	{
		displayName: 'Extend By',
		name: 'extendMode',
		type: 'options',
		default: 'setRemaining',
		options: [
			{
				name: 'Set Remaining Time To',
				value: 'setRemaining',
				description:
					'The action ends Duration seconds from now (what the API does: 10 on an action with 100 s left cuts it to 10 s)',
			},
			{
				name: 'Add Time',
				value: 'addTime',
				description: "Reads the action's current expiry first, then adds Duration seconds to what is left",
			},
		],
	},
	{
		...durationField('The action ends this many seconds from now, whatever was left (the API\'s "duration")'),
		displayName: 'New Remaining Time (Seconds)',
		displayOptions: { show: { extendMode: ['setRemaining'] } },
	},
	{
		...durationField('Seconds added to the time the action has left'),
		displayName: 'Time to Add (Seconds)',
		displayOptions: { show: { extendMode: ['addTime'] } },
	},
	reasonField,
	writeOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['action'], operation: ['extend'] } }, properties);

/**
 * Extends an active action: POST /antigena {codeid, duration, reason}. The API's `duration` is the new
 * total remaining time, not an increment; "Add Time" converts by reading the expiry first, and that read
 * also shows whether this extension was already made (so a rerun never adds the time twice).
 */
export function prepare(this: IExecuteFunctions, i: number): Write {
	const codeid = parseCodeId(getParameter.call(this, 'codeId', i));
	const mode = getParameter.call(this, 'extendMode', i, 'setRemaining') as string;
	const duration = parseDuration(getParameter.call(this, 'duration', i));
	const reason = parseReason(getParameter.call(this, 'reason', i, ''), runsAsTool(this));
	const options = readOptions.call(this, i);
	if (mode !== 'setRemaining' && mode !== 'addTime') {
		throw new InputError('Extend By', mode, 'Use "setRemaining" or "addTime".', 'is not an option');
	}
	const body: IDataObject & { codeid: number } = { codeid, duration };
	if (reason) body.reason = reason;
	const withMode = async (write: Promise<IDataObject[] | undefined>) => {
		const output = await write;
		for (const result of output ?? []) result.extendMode = mode;
		return output;
	};
	if (mode === 'setRemaining') {
		const write = changeAction.call(this, i, 'extend', body, options);
		return {
			lookFirst: false,
			findApplied: () => withMode(write.findApplied()),
			send: async () => (await withMode(write.send())) as IDataObject[],
		};
	}

	// The action as read by findApplied, which the router always calls first for a write that looks first.
	let found: FoundAction | undefined;
	return {
		lookFirst: true,
		findApplied: async () => {
			found = await getActionByCodeId.call(this, codeid, i, options.timeout);
			if (!changeApplied('extend', found.action, reason, found.serverTime)) return undefined;
			const result: IDataObject = { codeid, operation: 'extend', success: true, alreadyApplied: true, reason };
			result.response = null;
			result.extendMode = mode;
			if (options.returnAction) result.action = found.simplified;
			return [result];
		},
		send: async () => {
			const { action } = found ?? (await getActionByCodeId.call(this, codeid, i, options.timeout));
			found = undefined;
			if (action.state !== 'active') {
				throw new InputError(
					'Code ID',
					codeid,
					action.state === 'pending'
						? 'Activate it first.'
						: 'Use Reactivate to put a cleared or expired action back in force.',
					`names an action that is ${action.state}, not active: only an active action can be extended`,
				);
			}
			const remainingBefore = action.remainingSeconds;
			const total = remainingBefore + duration;
			if (total > MAX_DURATION_SECONDS) {
				throw new InputError(
					'Duration (Seconds)',
					duration,
					'Add less time.',
					`added to the ${remainingBefore} s left on action ${codeid} exceeds 30 days`,
				);
			}
			const [result] = await changeAction.call(this, i, 'extend', { ...body, duration: total }, options).send();
			result.extendMode = mode;
			result.remainingBefore = remainingBefore;
			result.added = duration;
			return [result];
		},
	};
}
