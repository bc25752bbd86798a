/**
 * What the Darktrace RESPOND Trigger has already emitted, and what a poll should emit next.
 * Pure: no n8n runtime, so every rule is unit-tested alone.
 *
 * ## Static data format (version 1)
 *
 * Kept in the trigger node's `getWorkflowStaticData('node')`:
 *
 * ```json
 * { "v": 1, "pendingAction": "7pt,7pu,7ui", "actionActive": "" }
 * ```
 *
 * - `v`: the format version. Anything else (missing, another version, a malformed list) is read as
 *   "no state", which takes a new baseline rather than re-emitting anything.
 * - one key per selected event (`pendingAction`, `actionActive`, `actionCleared`, `actionExpired`),
 *   present once that event's baseline has been taken. Its value lists the `codeid`s this trigger
 *   has emitted, or taken as already seen, for that event: base-36 integers, ascending, comma-separated.
 *   A codeid below 2^31 takes at most 6 characters, so an entry costs at most 7 bytes of JSON.
 * - an entry is dropped once the appliance no longer returns its action (current actions plus those
 *   that expired in the last 14 days), so the state never outgrows what the appliance returns.
 *
 * ## When the state changes
 *
 * n8n saves static data only when a poll emits items, and never after a manual run. So the state is
 * written only by a poll that emits (adding what it emits, dropping what the appliance stopped
 * returning) or that takes a baseline (first activation, or an event newly selected). A poll that
 * emits nothing leaves it exactly as it was: nothing then depends on a change n8n would not keep.
 */
import type { IDataObject } from 'n8n-workflow';

import { actionState, toBool, toEpochMs, toNumber, type ActionState } from './action';
import { InputError } from './validation';

export type TriggerEvent = 'pendingAction' | 'actionActive' | 'actionCleared' | 'actionExpired';

/** Events in the order the UI lists them. */
export const TRIGGER_EVENTS: readonly TriggerEvent[] = [
	'pendingAction',
	'actionActive',
	'actionCleared',
	'actionExpired',
];

export const EVENT_LABELS: Record<TriggerEvent, string> = {
	pendingAction: 'New Pending Action',
	actionActive: 'Action Became Active',
	actionCleared: 'Action Cleared',
	actionExpired: 'Action Expired',
};

/** The event an action in each state fires. */
export const EVENT_OF_STATE: Record<ActionState, TriggerEvent> = {
	pending: 'pendingAction',
	active: 'actionActive',
	cleared: 'actionCleared',
	expired: 'actionExpired',
};

export const STATE_VERSION = 1;

/** Per initialised event, the codeids already emitted or taken as seen. */
export type SeenState = Partial<Record<TriggerEvent, Set<number>>>;

const ID_LIST = /^[0-9a-z]+(,[0-9a-z]+)*$/;

export function isTriggerEvent(value: unknown): value is TriggerEvent {
	return typeof value === 'string' && (TRIGGER_EVENTS as readonly string[]).includes(value);
}

/** The selected events (a multi-select, or a comma-separated string from an expression), in UI order. */
export function parseEvents(raw: unknown): TriggerEvent[] {
	const list: unknown[] = Array.isArray(raw)
		? raw
		: typeof raw === 'string'
			? raw.split(',').map((event) => event.trim())
			: [raw];
	const unknownEvent = list.find((event) => !isTriggerEvent(event));
	if (unknownEvent !== undefined) {
		throw new InputError(
			'Events',
			unknownEvent,
			`Use ${TRIGGER_EVENTS.join(', ')}.`,
			'is not an event of this trigger',
		);
	}
	const events = TRIGGER_EVENTS.filter((event) => list.includes(event));
	if (events.length === 0) {
		throw new InputError('Events', raw, 'Select at least one event, e.g. "New Pending Action".', 'selects nothing');
	}
	return events;
}

/** `codeid` as a positive safe integer (appliances may send it as a string, or as `code`); else null. */
export function codeIdOf(raw: IDataObject): number | null {
	const n = toNumber(raw.codeid) ?? toNumber(raw.code);
	return n !== null && Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** The action's state from the three fields that decide it, without normalising the rest. */
export function quickState(raw: IDataObject, now: number): ActionState {
	return actionState(
		{ active: toBool(raw.active), cleared: toBool(raw.cleared), expires: toEpochMs(raw.expires) },
		now,
	);
}

export function encodeIds(ids: Iterable<number>): string {
	return [...ids]
		.sort((a, b) => a - b)
		.map((id) => id.toString(36))
		.join(',');
}

/** The ids of an encoded list; undefined when the text is not a list this module wrote. */
export function decodeIds(text: unknown): Set<number> | undefined {
	if (typeof text !== 'string') return undefined;
	if (text === '') return new Set();
	if (!ID_LIST.test(text)) return undefined;
	const ids = new Set<number>();
	for (const part of text.split(',')) {
		const id = parseInt(part, 36);
		if (!Number.isSafeInteger(id)) return undefined;
		ids.add(id);
	}
	return ids;
}

/** The stored state of the selected events; events without a valid entry are left out (no baseline yet). */
export function readState(data: IDataObject, events: readonly TriggerEvent[]): SeenState {
	const state: SeenState = {};
	if (data.v !== STATE_VERSION) return state;
	for (const event of events) {
		const ids = decodeIds(data[event]);
		if (ids) state[event] = ids;
	}
	return state;
}

/** Writes `state` into the node's static data in place; keys of events no longer selected are removed. */
export function writeState(data: IDataObject, state: SeenState): void {
	for (const key of Object.keys(data)) {
		if (key !== 'v' && state[key as TriggerEvent] === undefined) delete data[key];
	}
	data.v = STATE_VERSION;
	for (const event of TRIGGER_EVENTS) {
		const ids = state[event];
		if (ids) data[event] = encodeIds(ids);
	}
}

export interface Emission {
	/** Index of the action in the list the plan was made from. */
	index: number;
	codeid: number;
	event: TriggerEvent;
}

export interface PollPlan {
	/** What to emit, ordered by codeid (creation order). */
	emit: Emission[];
	/** The state to store, or undefined when the stored state must stay exactly as it is. */
	next: SeenState | undefined;
	/** Events whose baseline this poll took (none once every selected event has state). */
	baselined: TriggerEvent[];
}

export interface PlanInput {
	previous: SeenState;
	events: readonly TriggerEvent[];
	/** The actions the appliance returned, raw. */
	actions: readonly IDataObject[];
	/** The appliance's time, epoch ms: it decides what has expired. */
	now: number;
	/** The node's filters; called only for actions not already seen. */
	matches: (raw: IDataObject) => boolean;
	/** Emit the actions already pending when the pending event's baseline is taken, instead of marking them seen. */
	emitExisting: boolean;
}

/**
 * Decides one poll. An action fires the event of its current state when that event is selected, the
 * action matches the filters, and the trigger has not emitted (or baselined) it for that event. An
 * action that went through several states between two polls fires only the event of the state it is in.
 * Seen actions cost a state check and a set lookup; the filters run only on unseen ones.
 */
export function planPoll(input: PlanInput): PollPlan {
	const { previous, events, actions, now, matches, emitExisting } = input;
	const selected = new Set(events);
	const baselined = events.filter((event) => previous[event] === undefined);
	const added = new Map<TriggerEvent, Set<number>>(events.map((event) => [event, new Set<number>()]));
	const returned = new Set<number>();
	const emit: Emission[] = [];

	for (let index = 0; index < actions.length; index++) {
		const raw = actions[index];
		const codeid = codeIdOf(raw);
		if (codeid === null) continue;
		returned.add(codeid);
		const event = EVENT_OF_STATE[quickState(raw, now)];
		if (!selected.has(event)) continue;
		const seen = previous[event];
		const fresh = added.get(event) as Set<number>;
		if (seen?.has(codeid) || fresh.has(codeid)) continue;
		if (!matches(raw)) continue;
		fresh.add(codeid);
		if (seen !== undefined || (event === 'pendingAction' && emitExisting)) emit.push({ index, codeid, event });
	}

	if (emit.length === 0 && baselined.length === 0) return { emit, next: undefined, baselined };

	const next: SeenState = {};
	for (const event of events) {
		const keep = new Set(added.get(event));
		for (const codeid of previous[event] ?? []) {
			if (returned.has(codeid)) keep.add(codeid);
		}
		next[event] = keep;
	}
	emit.sort((a, b) => a.codeid - b.codeid);
	return { emit, next, baselined };
}

export interface ActionFilters {
	minScore?: number;
	inhibitors?: readonly string[];
	deviceIds?: readonly number[];
}

/** The filters as a test on a raw action (loose types tolerated). */
export function actionMatcher(filters: ActionFilters): (raw: IDataObject) => boolean {
	const { minScore, inhibitors = [], deviceIds = [] } = filters;
	const devices = new Set(deviceIds);
	return (raw) =>
		(minScore === undefined || minScore <= 0 || (toNumber(raw.score) ?? 0) >= minScore) &&
		(inhibitors.length === 0 || inhibitors.includes(String(raw.action ?? ''))) &&
		(devices.size === 0 || devices.has(toNumber(raw.did) ?? -1));
}

export interface QueryOptions {
	fullDeviceDetails?: boolean;
	includeHistory?: boolean;
	deviceIds?: readonly number[];
}

/**
 * The narrowest `GET /antigena` query that returns every action the selected events need:
 * `needconfirming=true` when only pending actions matter, `includecleared=true` only for the cleared
 * event, `did` when the filter names exactly one device. The state is pruned to what this query returns.
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

/** Epoch ms an action last changed (`updated`, else `start`), for "newest first". */
function changedAt(raw: IDataObject): number {
	return toEpochMs(raw.updated) ?? toEpochMs(raw.start) ?? 0;
}

/**
 * For a manual run ("Fetch Test Event"): the newest actions that match the filters and are in a
 * selected event's state, seen or not, newest first. Reads nothing from and writes nothing to the state.
 */
export function pickSample(
	actions: readonly IDataObject[],
	events: readonly TriggerEvent[],
	now: number,
	matches: (raw: IDataObject) => boolean,
	count: number,
): Emission[] {
	const selected = new Set(events);
	const candidates: Array<Emission & { at: number }> = [];
	actions.forEach((raw, index) => {
		const codeid = codeIdOf(raw);
		if (codeid === null) return;
		const event = EVENT_OF_STATE[quickState(raw, now)];
		if (selected.has(event) && matches(raw)) candidates.push({ index, codeid, event, at: changedAt(raw) });
	});
	candidates.sort((a, b) => b.at - a.at || b.codeid - a.codeid);
	return candidates.slice(0, count).map(({ index, codeid, event }) => ({ index, codeid, event }));
}
