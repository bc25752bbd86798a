import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { parseResponseData, parseTimeWindow } from '../../domain/validation';
import { darktraceApiRequest } from '../../transport';
import {
	endTimeField,
	optionsCollection,
	readConcurrencyOption,
	READS_IN_FLIGHT,
	responseDataOption,
	startTimeField,
	timeoutOption,
} from '../common.descriptions';
import type { Send } from '../node.type';
import { readOptions } from '../options';

export const inFlightDefault = READS_IN_FLIGHT;

const properties: INodeProperties[] = [
	optionsCollection([
		responseDataOption,
		{
			...startTimeField,
			description:
				'Start of the time window; set together with Time Window To. With a window, pending counts are not available.',
		},
		{
			...endTimeField,
			description:
				'End of the time window; set together with Time Window From. With a window, pending counts are not available.',
		},
		readConcurrencyOption,
		timeoutOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['summary'], operation: ['get'] } }, properties);

/** GET /antigena/summary: pending/active counts and the devices carrying them. */
export function prepare(this: IExecuteFunctions, i: number): Send {
	const options = readOptions.call(this, i);
	const window = parseTimeWindow(options.startTime, options.endTime, this.getTimezone());
	const responseData = parseResponseData(options.responseData);
	const qs: IDataObject = { ...window };
	if (responseData) qs.responsedata = responseData;
	return async () => {
		const { body } = await darktraceApiRequest.call(this, {
			method: 'GET',
			endpoint: '/antigena/summary',
			qs,
			itemIndex: i,
			timeoutSeconds: options.timeout as number | undefined,
		});
		const summary = { ...(body as IDataObject) };
		if (window) {
			summary.starttime = window.starttime;
			summary.endtime = window.endtime;
			summary.pendingAvailable = false;
		}
		return [summary];
	};
}
