import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { parseCodeId, parseConcurrency } from '../../domain/validation';
import { getParameter } from '../parameters';
import {
	codeIdField,
	readConcurrencyOption,
	READS_IN_FLIGHT,
	includeModelBreachOption,
	optionsCollection,
	simplifyField,
	timeoutOption,
} from '../common.descriptions';
import { breachReaderFor } from '../enrichment';
import type { Send } from '../node.type';
import { readOptions } from '../options';
import { getActionByCodeId } from './common';

export const inFlightDefault = READS_IN_FLIGHT;

const properties: INodeProperties[] = [
	codeIdField,
	simplifyField,
	optionsCollection([
		includeModelBreachOption,
		{
			...readConcurrencyOption,
			description: `${readConcurrencyOption.description} Also bounds the model-breach reads of Include Model Breach.`,
		},
		timeoutOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['action'], operation: ['get'] } }, properties);

/** One action by code ID, with its history, cleared or not. */
export function prepare(this: IExecuteFunctions, i: number): Send {
	const codeid = parseCodeId(getParameter.call(this, 'codeId', i));
	const simple = getParameter.call(this, 'simple', i, true) as boolean;
	const options = readOptions.call(this, i);
	const breaches = options.includeModelBreach === true;
	const concurrency = breaches ? parseConcurrency(options.concurrency ?? READS_IN_FLIGHT) : 1;
	return async () => {
		const { action, simplified } = await getActionByCodeId.call(this, codeid, i, options.timeout as number | undefined);
		const out = [simple ? simplified : action];
		if (breaches) await breachReaderFor(this, { concurrency, timeoutSeconds: options.timeout }).enrich(out, i);
		return out;
	};
}
