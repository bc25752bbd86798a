import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { getParameter } from './parameters';
import { parseTimeout } from '../domain/validation';

export type ItemOptions = IDataObject & { timeout?: number; returnAction?: boolean };

/** An item's "Options" collection, with the Timeout checked like every other input. */
export function readOptions(this: IExecuteFunctions, itemIndex: number): ItemOptions {
	const options = getParameter.call(this, 'options', itemIndex, {}) as IDataObject;
	if (options.timeout === undefined) return options;
	return { ...options, timeout: parseTimeout(options.timeout) };
}
