import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { MAX_DURATION_SECONDS, parseCodeId, parseDuration, parseReason } from '../../helpers/validation';
import { getParameter } from '../../helpers/parameters';
import { codeIdField, durationField, reasonField, writeOptions } from '../common.descriptions';
import type { Send } from '../node.type';
import { changeAction, getActionByCodeId } from './common';

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
 * total remaining time, not an increment; "Add Time" converts by reading the expiry first.
 */
export function prepare(this: IExecuteFunctions, i: number): Send {
	const codeid = parseCodeId(getParameter.call(this, 'codeId', i));
	const mode = getParameter.call(this, 'extendMode', i, 'setRemaining') as string;
	const duration = parseDuration(getParameter.call(this, 'duration', i));
	const reason = parseReason(getParameter.call(this, 'reason', i, ''));
	const options = getParameter.call(this, 'options', i, {}) as IDataObject;
	if (mode !== 'setRemaining' && mode !== 'addTime') {
		throw new NodeOperationError(this.getNode(), `Extend By "${mode}" is not an option`, {
			itemIndex: i,
			description: 'Use "setRemaining" or "addTime".',
		});
	}
	return async () => {
		let total = duration;
		let remainingBefore: number | undefined;
		if (mode === 'addTime') {
			const { action } = await getActionByCodeId.call(this, codeid, i, options.timeout as number | undefined);
			if (action.state !== 'active') {
				throw new NodeOperationError(
					this.getNode(),
					`Action ${codeid} is ${action.state}, not active: only an active action can be extended`,
					{
						itemIndex: i,
						description:
							action.state === 'pending'
								? 'Activate it first.'
								: 'Use Reactivate to put a cleared or expired action back in force.',
					},
				);
			}
			remainingBefore = action.remainingSeconds;
			total = remainingBefore + duration;
			if (total > MAX_DURATION_SECONDS) {
				throw new NodeOperationError(
					this.getNode(),
					`Adding ${duration} s to the ${remainingBefore} s left on action ${codeid} exceeds 30 days`,
					{
						itemIndex: i,
						description: 'Add less time.',
					},
				);
			}
		}
		const body: IDataObject & { codeid: number } = { codeid, duration: total };
		if (reason) body.reason = reason;
		const [result] = await changeAction.call(this, i, 'extend', body, options);
		result.extendMode = mode;
		if (remainingBefore !== undefined) {
			result.remainingBefore = remainingBefore;
			result.added = duration;
		}
		return [result];
	};
}
