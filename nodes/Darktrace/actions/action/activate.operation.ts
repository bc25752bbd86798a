import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { MAX_DURATION_SECONDS, parseCodeId, parseDuration, parseReason } from '../../domain/validation';
import { getParameter, runsAsTool } from '../parameters';
import {
	codeIdField,
	concurrencyOption,
	optionsCollection,
	reasonField,
	returnActionOption,
	timeoutOption,
} from '../common.descriptions';
import type { Write } from '../node.type';
import { readOptions } from '../options';
import { changeAction } from './common';

const properties: INodeProperties[] = [
	codeIdField,
	reasonField,
	optionsCollection([
		{
			displayName: 'Duration (Seconds)',
			name: 'duration',
			type: 'number',
			default: 3600,
			typeOptions: { minValue: 1, maxValue: MAX_DURATION_SECONDS },
			description: `How long the action stays in force, at most ${MAX_DURATION_SECONDS} (30 days). Without it the model's default duration applies.`,
		},
		returnActionOption,
		concurrencyOption,
		timeoutOption,
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['action'], operation: ['activate'] } },
	properties,
);

/** Approves a pending action: POST /antigena {codeid, activate: true, reason, duration?}. */
export function prepare(this: IExecuteFunctions, i: number): Write {
	const codeid = parseCodeId(getParameter.call(this, 'codeId', i));
	const reason = parseReason(getParameter.call(this, 'reason', i, ''), runsAsTool(this));
	const options = readOptions.call(this, i);
	const body: IDataObject & { codeid: number } = { codeid, activate: true };
	if (reason) body.reason = reason;
	if (options.duration !== undefined) body.duration = parseDuration(options.duration);
	return changeAction.call(this, i, 'activate', body, options);
}
