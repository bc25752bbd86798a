import type { INodeProperties } from 'n8n-workflow';

import { INHIBITORS } from '../domain/action';

import { DEFAULT_TIMEOUT_SECONDS } from '../transport';
import { MAX_DURATION_SECONDS } from '../domain/validation';

/** Parameters several operations share; each operation file scopes them with updateDisplayOptions. */

export const codeIdField: INodeProperties = {
	displayName: 'Code ID',
	name: 'codeId',
	type: 'number',
	default: 0,
	required: true,
	placeholder: 'e.g. 10170',
	description: 'The RESPOND action\'s "codeid", as output by Get Many, Get or the trigger',
};

export const reasonField: INodeProperties = {
	displayName: 'Reason',
	name: 'reason',
	type: 'string',
	default: '',
	placeholder: 'e.g. Approved in ticket SOC-1234',
	description:
		'Recorded in the action\'s history with the token\'s user. Required by appliances with "Audit Antigena" on (they reject writes without a reason), and when the node is an AI agent\'s tool: use {{ $fromAI(\'reason\') }} to let the model say why.',
};

export function durationField(description: string): INodeProperties {
	return {
		displayName: 'Duration (Seconds)',
		name: 'duration',
		type: 'number',
		default: 3600,
		required: true,
		typeOptions: { minValue: 1, maxValue: MAX_DURATION_SECONDS },
		description,
	};
}

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	default: DEFAULT_TIMEOUT_SECONDS,
	typeOptions: { minValue: 1, maxValue: 600 },
	description: 'How long to wait for the appliance to answer each request',
};

export const concurrencyOption: INodeProperties = {
	displayName: 'Max Requests in Flight',
	name: 'concurrency',
	type: 'number',
	default: 1,
	typeOptions: { minValue: 1, maxValue: 10 },
	description:
		'For many input items: how many requests to send at once (1 = one after another). Output stays in input order.',
};

/**
 * Reads (Get, Get Many, Summary) of many input items go out this many at a time unless the user sets Max
 * Requests in Flight; writes one after another. What n8n's HTTP Request node does with the same items (all
 * at once) is the bench row "vs HTTP Request node, 10-item execution" (bench/README.md).
 */
export const READS_IN_FLIGHT = 10;

export const readConcurrencyOption: INodeProperties = {
	...concurrencyOption,
	default: READS_IN_FLIGHT,
	description: 'For many input items: how many reads to send at once (1 = one after another). Output stays in input order.',
};

export const returnActionOption: INodeProperties = {
	displayName: 'Return Action After Write',
	name: 'returnAction',
	type: 'boolean',
	default: false,
	description: 'Whether to read the action back after the write and add its new state as "action"',
};

/** An operation's "Options" collection. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/** The options every write operation offers. */
export const writeOptions = optionsCollection([returnActionOption, concurrencyOption, timeoutOption]);

/** How a time-window value is read (validation.parseDateTime), shown under the field. */
const TIME_WINDOW_HINT =
	"Without an offset (Z, +01:00) it is read in the workflow's time zone (Workflow Settings). A number is epoch milliseconds.";

/** The window's ends are labelled From / To so that n8n's alphabetical option order lists the start first. */
export const startTimeField: INodeProperties = {
	displayName: 'Time Window From',
	name: 'startTime',
	type: 'dateTime',
	default: '',
	hint: TIME_WINDOW_HINT,
	description: 'Start of the time window; set together with Time Window To',
};

export const endTimeField: INodeProperties = {
	displayName: 'Time Window To',
	name: 'endTime',
	type: 'dateTime',
	default: '',
	hint: TIME_WINDOW_HINT,
	description: 'End of the time window; set together with Time Window From',
};

export const responseDataOption: INodeProperties = {
	displayName: 'Response Data Field',
	name: 'responseData',
	type: 'string',
	default: '',
	placeholder: 'e.g. actions',
	description:
		'Ask the appliance to return only this top-level field (the API\'s "responsedata"). The output is then the raw field, not one item per action.',
};

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simple',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
	hint: 'On: the fields an approval workflow needs. Off: the whole action, every field the appliance sent (types fixed) plus state, ISO times and remainingSeconds. Either way each action gets "deviceUrl" and "breachUrl", links into the Threat Visualizer; "breachUrl" is null for manual actions (no model breach).',
};

export const fullDeviceDetailsOption: INodeProperties = {
	displayName: 'Include Device Details',
	name: 'fullDeviceDetails',
	type: 'boolean',
	default: false,
	description: 'Whether to add the device (hostname, MAC, type, OS…) to each action, as "device"',
};

export const includeHistoryOption: INodeProperties = {
	displayName: 'Include History',
	name: 'includeHistory',
	type: 'boolean',
	default: false,
	description: "Whether to add each action's history (created, extended, cleared…, with user and reason)",
};

export const includeModelBreachOption: INodeProperties = {
	displayName: 'Include Model Breach',
	name: 'includeModelBreach',
	type: 'boolean',
	default: false,
	description:
		'Whether to read the model breach that triggered each action (one request per distinct breach) and add it as "modelBreach": model name, category, description, breach time, score. A breach that cannot be read leaves the action as it is, with "modelBreachNote" saying why.',
};

export const inhibitorsFilter: INodeProperties = {
	displayName: 'Inhibitors',
	name: 'inhibitors',
	type: 'multiOptions',
	default: [],
	options: Object.entries(INHIBITORS).map(([value, name]) => ({ name, value })),
	description: 'Only actions of these types',
};

export const minScoreFilter: INodeProperties = {
	displayName: 'Minimum Score',
	name: 'minScore',
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
	description: 'Only actions whose model-breach score is at least this (0 to 1; manual actions score 0)',
};
