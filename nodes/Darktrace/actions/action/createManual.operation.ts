import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { INHIBITORS, codeIdOf, normalizeAction, simplifyAction, splitActionsResponse } from '../../domain/action';
import { findCreatedManualAction } from '../../domain/writeOnce';
import { parseConnections, parseDeviceId, parseDuration, parseInhibitor, parseReason } from '../../domain/validation';
import { getParameter, runsAsTool } from '../parameters';
import { darktraceApiRequest } from '../../transport';
import { durationField, reasonField, writeOptions } from '../common.descriptions';
import type { Write } from '../node.type';
import { readOptions } from '../options';
import { addActionLinks } from '../../domain/links';
import { addActionAfterWrite } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Device ID',
		name: 'did',
		type: 'number',
		default: 0,
		required: true,
		placeholder: 'e.g. 12',
		description: 'The device\'s "did" in Darktrace',
	},
	{
		displayName: 'Inhibitor',
		name: 'inhibitor',
		type: 'options',
		default: 'quarantine',
		options: Object.entries(INHIBITORS).map(([value, name]) => ({ name, value })),
		description:
			'What RESPOND enforces on the device. Which inhibitors a device supports depends on its sensor (client sensors reject pattern-of-life and outgoing blocks).',
	},
	durationField('How long the action stays in force'),
	{
		displayName: 'Connections',
		name: 'connections',
		type: 'fixedCollection',
		placeholder: 'Add Connection',
		typeOptions: { multipleValues: true },
		default: {},
		displayOptions: { show: { inhibitor: ['connection'] } },
		description: 'The connections to block: at least one pair',
		options: [
			{
				displayName: 'Connection',
				name: 'connection',
				values: [
					{
						displayName: 'Source',
						name: 'src',
						type: 'string',
						default: '',
						placeholder: 'e.g. 10.10.10.10',
						description: 'IP address or host name of the source (usually the device)',
					},
					{
						displayName: 'Destination',
						name: 'dst',
						type: 'string',
						default: '',
						placeholder: 'e.g. example.com',
						description: 'IP address or host name of the destination',
					},
					{
						displayName: 'Port',
						name: 'port',
						type: 'number',
						default: 0,
						typeOptions: { minValue: 0, maxValue: 65535 },
						hint: '0 = any port',
						description: 'Destination port; 0 blocks every port',
					},
				],
			},
		],
	},
	reasonField,
	writeOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['action'], operation: ['createManual'] } },
	properties,
);

/**
 * POST /antigena/manual. Never sent twice: a second POST would create a second action. Before sending,
 * the device's actions are read (`did=`, narrow) and a manual action this request already made is
 * returned instead (domain/writeOnce.ts, findCreatedManualAction).
 */
export function prepare(this: IExecuteFunctions, i: number): Write {
	const did = parseDeviceId(getParameter.call(this, 'did', i));
	const inhibitor = parseInhibitor(getParameter.call(this, 'inhibitor', i));
	const duration = parseDuration(getParameter.call(this, 'duration', i));
	const rawConnections = getParameter.call(this, 'connections.connection', i, []) as IDataObject[];
	const connections = parseConnections(inhibitor, rawConnections);
	const reason = parseReason(getParameter.call(this, 'reason', i, ''), runsAsTool(this));
	const options = readOptions.call(this, i);

	const body: IDataObject = { did, action: inhibitor, duration };
	if (reason) body.reason = reason;
	if (connections) body.connections = connections as unknown as IDataObject[];

	const result = (codeid: number | null, response: IDataObject | null, alreadyApplied: boolean): IDataObject => {
		const out: IDataObject = {
			codeid,
			operation: 'createManual',
			success: alreadyApplied || codeid !== null,
			alreadyApplied,
			did,
			inhibitor,
			label: INHIBITORS[inhibitor],
			duration,
			reason,
			response,
		};
		if (connections) out.connections = connections as unknown as IDataObject[];
		return out;
	};

	return {
		lookFirst: true,
		findApplied: async () => {
			const { body: listing, serverTime, instance } = await darktraceApiRequest.call(this, {
				method: 'GET',
				endpoint: '/antigena',
				qs: { did },
				itemIndex: i,
				timeoutSeconds: options.timeout,
			});
			const now = serverTime;
			const actions = splitActionsResponse(listing).actions.map((a) => normalizeAction(a, now));
			const existing = findCreatedManualAction(actions, { did, inhibitor, reason, connections }, now);
			if (!existing) return undefined;
			const out = result(existing.codeid, null, true);
			if (options.returnAction) out.action = addActionLinks(simplifyAction(existing, now), instance);
			return [out];
		},
		send: async () => {
			const { body: response } = await darktraceApiRequest.call(this, {
				method: 'POST',
				endpoint: '/antigena/manual',
				body,
				itemIndex: i,
				timeoutSeconds: options.timeout,
				write: {
					description: `create a manual "${INHIBITORS[inhibitor]}" action on device ${did}`,
					howToCheck: `List the device's actions with Action > Get Many (Device ID ${did}) before running this again, or you may create a second action.`,
				},
			});
			const answer = response as IDataObject;
			const codeid = codeIdOf(answer);
			const out = result(codeid, answer, false);
			if (options.returnAction && codeid !== null) {
				await addActionAfterWrite.call(this, out, codeid, i, options, { did });
			}
			return [out];
		},
	};
}
