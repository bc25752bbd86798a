import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { parseCodeId, parseReason } from '../../domain/validation';
import { getParameter, runsAsTool } from '../parameters';
import { codeIdField, reasonField, writeOptions } from '../common.descriptions';
import type { Write } from '../node.type';
import { readOptions } from '../options';
import { changeAction } from './common';

const properties: INodeProperties[] = [
	{
		displayName:
			'Clearing also suppresses the same action for the same model breach for the rest of its original window',
		name: 'clearNotice',
		type: 'notice',
		default: '',
	},
	codeIdField,
	reasonField,
	writeOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['action'], operation: ['clear'] } }, properties);

/** Clears an active, pending or expired action: POST /antigena {codeid, clear: true, reason}. */
export function prepare(this: IExecuteFunctions, i: number): Write {
	const codeid = parseCodeId(getParameter.call(this, 'codeId', i));
	const reason = parseReason(getParameter.call(this, 'reason', i, ''), runsAsTool(this));
	const options = readOptions.call(this, i);
	const body: IDataObject & { codeid: number } = { codeid, clear: true };
	if (reason) body.reason = reason;
	return changeAction.call(this, i, 'clear', body, options);
}
