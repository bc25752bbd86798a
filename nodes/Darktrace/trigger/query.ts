/** The `GET /antigena` query a poll sends. */
import type { IDataObject } from 'n8n-workflow';

import type { TriggerEvent } from './events';

export interface QueryOptions {
	fullDeviceDetails?: boolean;
	includeHistory?: boolean;
	deviceIds?: readonly number[];
}

/**
 * The narrowest query that returns every action the selected events need: `needconfirming=true` when
 * only pending actions matter, `includecleared=true` only for the cleared event, `did` when the filter
 * names exactly one device. A narrow answer is a partial one: the seen state never shrinks because of it.
 */
export function triggerQuery(events: readonly TriggerEvent[], options: QueryOptions): IDataObject {
	const qs: IDataObject = {};
	if (events.length === 1 && events[0] === 'pendingAction') qs.needconfirming = true;
	if (events.includes('actionCleared')) qs.includecleared = true;
	if (options.deviceIds?.length === 1) qs.did = options.deviceIds[0];
	if (options.fullDeviceDetails) qs.fulldevicedetails = true;
	if (options.includeHistory) qs.includehistory = true;
	return qs;
}
