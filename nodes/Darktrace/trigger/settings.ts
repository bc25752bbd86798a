/** The trigger's parameters, read and checked before any request. */
import type { IDataObject } from 'n8n-workflow';

import { actionMatcher, type ActionFilters } from '../domain/action';
import { parseIdList, parseInhibitors, parseInteger, parseScore } from '../domain/validation';
import { parseEvents, type TriggerEvent } from './events';
import { triggerQuery } from './query';

export interface TriggerSettings {
	events: TriggerEvent[];
	qs: IDataObject;
	matches: (raw: IDataObject) => boolean;
	simple: boolean;
	emitExisting: boolean;
	/** Include Model Breach: each emitted action gets its breach (or a note). */
	includeModelBreach: boolean;
	/** Undefined: the transport's default. */
	timeoutSeconds: number | undefined;
}

export interface RawTriggerParameters {
	events: unknown;
	filters: IDataObject;
	options: IDataObject;
	simple: unknown;
}

/** Every parameter checked; a bad one throws an InputError naming the field, the value and the fix. */
export function parseTriggerSettings(raw: RawTriggerParameters): TriggerSettings {
	const events = parseEvents(raw.events);
	const { filters: f, options } = raw;
	const deviceIds = parseIdList('Device IDs', f.deviceIds);
	const filters: ActionFilters = {
		deviceIds,
		inhibitors: parseInhibitors(f.inhibitors),
		minScore: parseScore('Minimum Score', f.minScore),
	};
	const timeout = options.timeout;
	const timeoutSeconds =
		timeout === undefined || timeout === null || timeout === ''
			? undefined
			: parseInteger('Timeout (Seconds)', timeout, 'Give the timeout in whole seconds, from 1 to 600.', 1, 600);
	return {
		events,
		qs: triggerQuery(events, {
			deviceIds,
			fullDeviceDetails: options.fullDeviceDetails === true,
			includeHistory: options.includeHistory === true,
		}),
		matches: actionMatcher(filters),
		simple: raw.simple !== false,
		emitExisting: options.emitExisting === true,
		includeModelBreach: options.includeModelBreach === true,
		timeoutSeconds,
	};
}
