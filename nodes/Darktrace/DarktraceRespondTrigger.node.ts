import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { DARKTRACE_CREDENTIAL_TYPE } from '../../credentials/common/fields';
import { actionItem, indexByDevice, splitActionsResponse, toNumber } from './domain/action';
import { addActionLinks } from './domain/links';
import { toNodeError } from './nodeError';
import { DEFAULT_TIMEOUT_SECONDS, darktraceApiRequest } from './transport';
import {
	fullDeviceDetailsOption,
	includeHistoryOption,
	includeModelBreachOption,
	inhibitorsFilter,
	minScoreFilter,
	optionsCollection,
	simplifyField,
	timeoutOption,
} from './actions/common.descriptions';
import { ModelBreachReader } from './actions/enrichment';
import { EVENT_LABELS } from './trigger/events';
import { pickSample, planPoll, type Emission } from './trigger/planner';
import { readState, writeState } from './trigger/seenState';
import { parseTriggerSettings, type TriggerSettings } from './trigger/settings';

/**
 * Activations where the user has just switched the workflow on (or saved it): actions already pending
 * count as seen, n8n's no-flood convention. After an n8n restart ('init') or a leader change there is no
 * such moment: a trigger without saved state has never emitted (n8n saves static data only with an
 * emission), so actions pending now may have arrived since the user switched it on. Missing an approval
 * is worse than showing one late, so those polls emit what is pending.
 */
const SWITCHED_ON_BY_USER: readonly string[] = ['activate', 'update', 'create', 'manual'];

/** How many actions a manual run ("Fetch Test Event") shows: n8n's triggers show one sample. */
const SAMPLE_SIZE = 1;

/** Model-breach reads in flight at once during a poll (Include Model Breach). */
const BREACH_READS_IN_FLIGHT = 4;

/** The settings, or a NodeOperationError naming the field, the value and the fix. */
function readSettings(ctx: IPollFunctions): TriggerSettings {
	try {
		return parseTriggerSettings({
			events: ctx.getNodeParameter('events', ['pendingAction']),
			filters: ctx.getNodeParameter('filters', {}) as IDataObject,
			options: ctx.getNodeParameter('options', {}) as IDataObject,
			simple: ctx.getNodeParameter('simple', true),
		});
	} catch (error) {
		throw toNodeError(ctx, error);
	}
}

export class DarktraceRespondTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Darktrace RESPOND Trigger',
		name: 'darktraceRespondTrigger',
		icon: { light: 'file:darktrace.svg', dark: 'file:darktrace.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "On " + [].concat($parameter["events"]).join(", ") }}',
		// n8n's nodes panel merges this trigger and the action node into one entry and heads it with the
		// trigger's description: it describes both.
		description:
			'Review, approve, extend and clear Darktrace RESPOND actions; start workflows when one awaits confirmation, becomes active, is cleared or expires',
		defaults: { name: 'Darktrace RESPOND Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: DARKTRACE_CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['pendingAction'],
				options: [
					{
						name: EVENT_LABELS.actionActive,
						value: 'actionActive',
						description: 'An action came into force: confirmed by someone, or applied autonomously',
					},
					{
						name: EVENT_LABELS.actionCleared,
						value: 'actionCleared',
						description: 'An action was cleared (cancelled) before or while it was in force',
					},
					{
						name: EVENT_LABELS.actionExpired,
						value: 'actionExpired',
						description: 'An action ran out, or a pending action lapsed without being confirmed',
					},
					{
						name: EVENT_LABELS.pendingAction,
						value: 'pendingAction',
						description: 'An action awaits human confirmation (approve it with the Darktrace RESPOND node)',
					},
				],
				description:
					'What starts the workflow. Each item has "event" and "eventId" (e.g. "10170:pendingAction"), so one workflow can open a ticket on a pending action and close it when the action becomes active, is cleared or expires.',
			},
			{
				displayName:
					'Each event fires once per action, from activation on. Use "eventId" to drop the rare duplicate n8n may deliver.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'Device IDs',
						name: 'deviceIds',
						type: 'string',
						default: '',
						placeholder: 'e.g. 12, 345',
						description: 'Only actions on these devices ("did"), comma-separated',
					},
					inhibitorsFilter,
					minScoreFilter,
				],
			},
			simplifyField,
			optionsCollection([
				{
					displayName: 'Emit Already Pending',
					name: 'emitExisting',
					type: 'boolean',
					default: false,
					description:
						'Whether the first poll after activation emits the actions already awaiting confirmation (a pending approval is still actionable) instead of counting them as seen. If n8n restarts before the first event, pending actions are emitted anyway rather than missed.',
				},
				fullDeviceDetailsOption,
				includeHistoryOption,
				{
					...includeModelBreachOption,
					description: `${includeModelBreachOption.description} Reads never delay or repeat an event: all of a poll's breach reads end within its Timeout, and a breach not read is a note.`,
				},
				{ ...timeoutOption, description: 'How long to wait for the appliance to answer each poll' },
			]),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = readSettings(this);
		const manual = this.getMode() === 'manual';

		const { body, serverTime, instance } = await darktraceApiRequest.call(this, {
			method: 'GET',
			endpoint: '/antigena',
			qs: settings.qs,
			timeoutSeconds: settings.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
		});
		const response = splitActionsResponse(body);

		if (manual) {
			// "Fetch Test Event": show the newest match, seen or not, and leave the state alone.
			const sample = pickSample(response.actions, settings.events, serverTime, settings.matches, SAMPLE_SIZE);
			if (sample.length === 0) {
				const wanted = settings.events.map((event) => `"${EVENT_LABELS[event]}"`).join(' or ');
				throw new NodeOperationError(this.getNode(), `No RESPOND actions for ${wanted} right now`, {
					description:
						'Nothing on the appliance matches the selected events and filters at the moment, so there is no sample to show. Wait for one (or create one on the appliance), or widen the filters. Once the workflow is active, every poll checks again.',
				});
			}
			return [await withBreaches(this, settings, toItems(sample, response, serverTime, settings.simple, instance))];
		}

		const staticData = this.getWorkflowStaticData('node');
		const plan = planPoll({
			previous: readState(staticData, serverTime),
			events: settings.events,
			actions: response.actions,
			now: serverTime,
			local: Date.now(),
			matches: settings.matches,
			emitExisting: settings.emitExisting || !SWITCHED_ON_BY_USER.includes(this.getActivationMode()),
		});
		if (plan.changed) writeState(staticData, plan.next);
		if (plan.invalid.length > 0) {
			// Such an action cannot be tracked, nor approved by codeid: say so on every poll that meets one.
			const shown = plan.invalid.slice(0, 5).map((value) => JSON.stringify(value) ?? 'missing');
			this.logger.warn(
				`Darktrace RESPOND Trigger: ${plan.invalid.length} action(s) from GET /antigena have no valid "codeid" (a positive whole number), so they cannot be emitted: ${shown.join(', ')}`,
			);
		}
		if (plan.clockHeld) {
			this.logger.warn(
				`Darktrace RESPOND Trigger: the appliance's clock jumped by more than an hour against n8n's; ${plan.held} action(s) whose state depends on the time wait for the next poll to confirm it`,
			);
		}
		if (plan.emit.length === 0) return null;
		// The state above already counts these as emitted: from here on nothing may fail the poll.
		return [await withBreaches(this, settings, toItems(plan.emit, response, serverTime, settings.simple, instance))];
	}
}

/** One item per emission: `{ eventId, event, ...action }`, device attached when the appliance sent it. */
function toItems(
	emissions: Emission[],
	response: ReturnType<typeof splitActionsResponse>,
	now: number,
	simple: boolean,
	instance: string,
): INodeExecutionData[] {
	const { devices } = indexByDevice(response);
	return emissions.map(({ index, codeid, event }) => {
		const raw = response.actions[index];
		const fields = actionItem(raw, now, simple, devices.get(toNumber(raw.did) ?? 0));
		return { json: addActionLinks({ eventId: `${codeid}:${event}`, event, ...fields }, instance) };
	});
}

/**
 * Include Model Breach: adds each item's breach, or a note. Never throws and never takes longer than the
 * poll's Timeout, so a failing breach endpoint neither blocks nor repeats an emission.
 */
async function withBreaches(
	ctx: IPollFunctions,
	settings: TriggerSettings,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	if (!settings.includeModelBreach) return items;
	const timeoutSeconds = settings.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
	const reader = new ModelBreachReader(ctx, {
		concurrency: BREACH_READS_IN_FLIGHT,
		timeoutSeconds,
		budgetMs: timeoutSeconds * 1000,
	});
	try {
		await reader.enrich(items.map((item) => item.json));
	} catch (error) {
		ctx.logger.warn(`Darktrace RESPOND Trigger: model breaches not added: ${(error as Error).message}`);
	}
	return items;
}
