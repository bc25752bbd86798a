import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { parseCodeId } from '../../domain/validation';
import { getParameter } from '../parameters';
import { codeIdField, optionsCollection, simplifyField, timeoutOption } from '../common.descriptions';
import type { Send } from '../node.type';
import { readOptions } from '../options';
import { getActionByCodeId } from './common';

const properties: INodeProperties[] = [codeIdField, simplifyField, optionsCollection([timeoutOption])];

export const description = updateDisplayOptions({ show: { resource: ['action'], operation: ['get'] } }, properties);

/** One action by code ID, with its history, cleared or not. */
export function prepare(this: IExecuteFunctions, i: number): Send {
	const codeid = parseCodeId(getParameter.call(this, 'codeId', i));
	const simple = getParameter.call(this, 'simple', i, true) as boolean;
	const options = readOptions.call(this, i);
	return async () => {
		const { action, simplified } = await getActionByCodeId.call(this, codeid, i, options.timeout as number | undefined);
		return [simple ? simplified : action];
	};
}
