import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import {
	ACTION_STATES,
	actionItem,
	actionMatcher,
	indexByDevice,
	splitActionsResponse,
	toNumber,
} from '../../domain/action';
import { addActionLinks } from '../../domain/links';
import {
	InputError,
	ipMatcher,
	parseCodeId,
	parseConcurrency,
	parseDeviceId,
	parseInhibitors,
	parseInteger,
	parseResponseData,
	parseScore,
	parseTimeWindow,
} from '../../domain/validation';
import { getParameter } from '../parameters';
import { darktraceApiRequest } from '../../transport';
import {
	readConcurrencyOption,
	READS_IN_FLIGHT,
	endTimeField,
	fullDeviceDetailsOption,
	includeHistoryOption,
	includeModelBreachOption,
	inhibitorsFilter,
	minScoreFilter,
	optionsCollection,
	responseDataOption,
	simplifyField,
	startTimeField,
	timeoutOption,
} from '../common.descriptions';
import { breachReaderFor } from '../enrichment';
import type { Send } from '../node.type';
import { readOptions } from '../options';

export const inFlightDefault = READS_IN_FLIGHT;

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { returnAll: [false] } },
		description: 'Max number of results to return',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Awaiting Confirmation',
				name: 'needConfirming',
				type: 'options',
				default: 'any',
				options: [
					{ name: 'Any', value: 'any' },
					{ name: 'Only Pending (Awaiting Confirmation)', value: 'pending' },
					{ name: 'Only Not Pending', value: 'notPending' },
				],
				description: 'Whether to keep only actions awaiting human confirmation (the API\'s "needconfirming")',
			},
			{
				displayName: 'Code ID',
				name: 'codeId',
				type: 'number',
				default: 0,
				description: 'Only the action with this "codeid" (filtered here: the appliance has no such parameter)',
			},
			{
				displayName: 'Device ID',
				name: 'did',
				type: 'number',
				default: 0,
				description: 'Only actions on this device ("did")',
			},
			{
				displayName: 'Include Cleared',
				name: 'includeCleared',
				type: 'boolean',
				default: false,
				description: 'Whether to include cleared actions',
			},
			{ ...inhibitorsFilter, description: 'Only actions of these types (filtered here)' },
			{
				displayName: 'IP',
				name: 'ip',
				type: 'string',
				default: '',
				placeholder: 'e.g. 10.0.1.*',
				description: 'Only actions on devices with this IP; * is a wildcard (filtered here)',
			},
			{ ...minScoreFilter, description: `${minScoreFilter.description} (filtered here)` },
			{
				displayName: 'Model Breach ID',
				name: 'pbid',
				type: 'number',
				default: 0,
				description: 'Only actions created by this model breach ("pbid")',
			},
			{
				displayName: 'Origin',
				name: 'origin',
				type: 'options',
				default: 'any',
				options: [
					{ name: 'Any', value: 'any' },
					{ name: 'Automatic (Model Breach)', value: 'automatic' },
					{ name: 'Manual', value: 'manual' },
				],
				description: 'Whether to keep only manual or only model-triggered actions (filtered here)',
			},
			{
				displayName: 'States',
				name: 'states',
				type: 'multiOptions',
				default: [],
				options: ACTION_STATES.map((s) => ({ name: s[0].toUpperCase() + s.slice(1), value: s })),
				description:
					'Only actions in these states (filtered here): pending = awaiting confirmation, expired = past its expiry (the API keeps "active" true), cleared needs Include Cleared',
			},
			{
				...startTimeField,
				description: 'Start of the time window (sent as "starttime"); set together with Time Window To',
			},
			{ ...endTimeField, description: 'End of the time window (sent as "endtime"); set together with Time Window From' },
		],
	},
	simplifyField,
	optionsCollection([
		{
			displayName: 'Include Blocked Connections',
			name: 'includeConnections',
			type: 'boolean',
			default: false,
			description: 'Whether to add the connections each action blocked, as "connections"',
		},
		fullDeviceDetailsOption,
		includeHistoryOption,
		includeModelBreachOption,
		{
			...readConcurrencyOption,
			description: `${readConcurrencyOption.description} Also bounds the model-breach reads of Include Model Breach.`,
		},
		responseDataOption,
		timeoutOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['action'], operation: ['getMany'] } }, properties);

interface Filters {
	needConfirming?: string;
	codeId?: number | string;
	did?: number | string;
	pbid?: number | string;
	includeCleared?: boolean;
	startTime?: unknown;
	endTime?: unknown;
	inhibitors?: unknown;
	ip?: string;
	minScore?: number | string;
	origin?: string;
	states?: string[];
}

/** 0 is the UI's "not set" for optional numeric filters. */
const isSet = (v: unknown) => v !== undefined && v !== null && v !== '' && v !== 0 && v !== '0';

/** Builds the appliance query and the client-side filter from the item's parameters. */
export function buildGetManyQuery(filters: Filters, options: IDataObject, timeZone = 'UTC') {
	const qs: IDataObject = {};
	if (filters.needConfirming === 'pending') qs.needconfirming = true;
	else if (filters.needConfirming === 'notPending') qs.needconfirming = false;
	else if (filters.needConfirming !== undefined && filters.needConfirming !== 'any') {
		throw new InputError(
			'Awaiting Confirmation',
			filters.needConfirming,
			'Use "any", "pending" or "notPending".',
			'is not an option',
		);
	}
	const states = filters.states ?? [];
	for (const s of states) {
		if (!ACTION_STATES.includes(s as never)) {
			throw new InputError('States', s, `Use ${ACTION_STATES.join(', ')}.`, 'is not a state');
		}
	}
	if (filters.includeCleared || states.includes('cleared')) qs.includecleared = true;
	if (isSet(filters.did)) qs.did = parseDeviceId(filters.did);
	if (isSet(filters.pbid))
		qs.pbid = parseInteger(
			'Model Breach ID',
			filters.pbid,
			'Use the model breach\'s "pbid" (a positive whole number).',
		);
	const window = parseTimeWindow(filters.startTime, filters.endTime, timeZone);
	if (window) Object.assign(qs, window);
	if (options.includeHistory) qs.includehistory = true;
	if (options.includeConnections) qs.includeconnections = true;
	if (options.fullDeviceDetails) qs.fulldevicedetails = true;
	const responseData = parseResponseData(options.responseData);
	if (responseData) qs.responsedata = responseData;

	const origin = filters.origin ?? 'any';
	if (origin !== 'any' && origin !== 'manual' && origin !== 'automatic') {
		throw new InputError('Origin', origin, 'Use "any", "manual" or "automatic".', 'is not an option');
	}
	const keep = actionMatcher({
		codeid: isSet(filters.codeId) ? parseCodeId(filters.codeId) : undefined,
		inhibitors: parseInhibitors(filters.inhibitors),
		ip: filters.ip ? ipMatcher(filters.ip) : undefined,
		minScore: parseScore('Minimum Score', filters.minScore),
		origin,
		states,
	});
	return { qs, keep, responseDataOnly: responseData !== undefined };
}

/** GET /antigena: one item per action, whichever shape the appliance answers with. */
export function prepare(this: IExecuteFunctions, i: number): Send {
	const returnAll = getParameter.call(this, 'returnAll', i, false) as boolean;
	const limit = returnAll
		? Infinity
		: parseInteger(
				'Limit',
				getParameter.call(this, 'limit', i, 50),
				'Give a positive whole number, or turn on Return All.',
			);
	const filters = getParameter.call(this, 'filters', i, {}) as Filters;
	const options = readOptions.call(this, i);
	const simple = getParameter.call(this, 'simple', i, true) as boolean;
	const { qs, keep, responseDataOnly } = buildGetManyQuery(filters, options, this.getTimezone());
	const breaches = options.includeModelBreach === true && !responseDataOnly;
	const concurrency = breaches ? parseConcurrency(options.concurrency ?? READS_IN_FLIGHT) : 1;

	return async () => {
		const { body, serverTime, instance } = await darktraceApiRequest.call(this, {
			method: 'GET',
			endpoint: '/antigena',
			qs,
			itemIndex: i,
			timeoutSeconds: options.timeout as number | undefined,
		});
		if (responseDataOnly) {
			// "responsedata" trims the answer to one field: hand it over as it came.
			const list = Array.isArray(body) ? body : [body];
			return list
				.slice(0, limit)
				.map((entry) => (entry && typeof entry === 'object' ? (entry as IDataObject) : { value: entry as string }));
		}
		const response = splitActionsResponse(body);
		const { devices, connections } = indexByDevice(response);
		const out: IDataObject[] = [];
		for (const raw of response.actions) {
			if (out.length >= limit) break;
			const did = toNumber(raw.did) ?? 0;
			const blocked = options.includeConnections ? (connections.get(did) ?? []) : undefined;
			const item = actionItem(raw, serverTime, simple, devices.get(did), blocked);
			if (keep(item)) out.push(addActionLinks(item, instance));
		}
		if (breaches) {
			await breachReaderFor(this, { concurrency, timeoutSeconds: options.timeout as number | undefined }).enrich(out, i);
		}
		return out;
	};
}
