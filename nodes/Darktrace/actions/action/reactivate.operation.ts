import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { parseCodeId, parseDuration, parseReason } from '../../domain/validation';
import { getParameter, runsAsTool } from '../parameters';
import { codeIdField, durationField, reasonField, writeOptions } from '../common.descriptions';
import type { Write } from '../node.type';
import { readOptions } from '../options';
import { changeAction } from './common';

const properties: INodeProperties[] = [
	codeIdField,
	durationField('How long the reactivated action stays in force, from now (required by the appliance)'),
	reasonField,
	writeOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['action'], operation: ['reactivate'] } },
	properties,
);

/** Reactivates a cleared or expired action: POST /antigena {codeid, activate: true, duration, reason}. */
export function prepare(this: IExecuteFunctions, i: number): Write {
	const codeid = parseCodeId(getParameter.call(this, 'codeId', i));
	const duration = parseDuration(getParameter.call(this, 'duration', i));
	const reason = parseReason(getParameter.call(this, 'reason', i, ''), runsAsTool(this));
	const options = readOptions.call(this, i);
	const body: IDataObject & { codeid: number } = { codeid, activate: true, duration };
	if (reason) body.reason = reason;
	return changeAction.call(this, i, 'reactivate', body, options);
}
