import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { parseCodeId } from '../../helpers/validation';
import { codeIdField, optionsCollection, simplifyField, timeoutOption } from '../common.descriptions';
import type { Send } from '../node.type';
import { getActionByCodeId } from './common';

const properties: INodeProperties[] = [codeIdField, simplifyField, optionsCollection([timeoutOption])];

export const description = updateDisplayOptions({ show: { resource: ['action'], operation: ['get'] } }, properties);

/** One action by code ID, with its history, cleared or not. */
export async function prepare(this: IExecuteFunctions, i: number): Promise<Send> {
	const codeid = parseCodeId(this.getNodeParameter('codeId', i));
	const simple = this.getNodeParameter('simple', i, true) as boolean;
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	return async () => {
		const { action, simplified } = await getActionByCodeId.call(this, codeid, i, options.timeout as number | undefined);
		return [simple ? simplified : action];
	};
}
