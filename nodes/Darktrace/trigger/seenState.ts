/**
 * What the Darktrace RESPOND Trigger has already emitted, kept in `getWorkflowStaticData('node')`.
 * Pure: encoding, decoding and migration only; the planner (planner.ts) decides what changes.
 *
 * ## Static data format (version 2)
 *
 * ```json
 * { "v": 2, "b": 3, "t": 493105, "e": "7pt.3k2m90,1.1a0x3c1", "r": [10020, 492700], "k": -2 }
 * ```
 *
 * - `v`: the format version, 2. Version 1 is migrated (below); anything else, or a malformed field, is
 *   read as "no state", which takes a new baseline rather than re-emitting anything.
 * - `b`: the events whose baseline has been taken, as bits: 1 New Pending Action, 2 Action Became Active,
 *   4 Action Cleared, 8 Action Expired. An event leaves `b` when it is deselected, so selecting it again
 *   takes a new baseline (what is in that state then counts as seen).
 * - `e`: one entry per tracked action, ascending by `codeid`, comma-separated. An entry is
 *   `<gap>.<events><fingerprint><start><expiry>`, all base 36:
 *   - `gap`: the codeid minus the previous entry's codeid (the first entry: the codeid itself);
 *   - `events`: one digit, the bits of the events emitted (or taken as seen) for this action, whatever
 *     events are selected now: a filter or event change never emits the same event again;
 *   - `fingerprint`: four digits, a hash of the action's `did`, `action`, `modeluuid` (or `model`) and
 *     `pbid`, which never change during an action's life;
 *   - `start`: three digits, a hash of the action's `start` (which approval moves: "it starts now");
 *   - `expiry`: the action's last known `expires`, in whole hours (rounded up) after `t`.
 *   `0000` and `000` mean "not known yet" (migrated from version 1): the next sighting fills them in.
 *   At 10,000 consecutive codeids an entry takes 13 to 14 bytes of JSON.
 * - `t`: the hour (since 1970, UTC) that entry expiries count from: the earliest of them.
 * - `r`: the retirement mark `[codeid, hour]`, once an entry has been dropped: the highest codeid and
 *   the latest expiry hour of every entry dropped so far. An action with a codeid at or below the first
 *   and a `start` at or before the second is taken as fully handled and never emits.
 * - `k`: how far the appliance's clock (its `Date` header) runs ahead of n8n's, in seconds, as last
 *   trusted; `j`: a jump of that offset (seconds) seen once and not yet confirmed.
 *
 * ## When an entry may leave the state
 *
 * Never because an answer lacks its action: a glitch, a narrowed filter (`did`, `needconfirming`) or any
 * partial answer leaves the state as it was. An entry leaves only when its last known expiry is more than
 * 15 days (the appliance's 14-day window plus a day's margin) behind the appliance's trusted clock:
 * `GET /antigena` lists current actions and those that expired in the last 14 days, so such an action is
 * no longer listed. If it still came back (reactivated by codeid, or extended while absent from every
 * answer), the retirement mark `r`, raised to cover every dropped entry, keeps it from emitting again.
 * So the state is bounded by the actions of the last ~15 days plus their durations, and stays flat over
 * months of polling.
 *
 * ## Rebuilt appliances
 *
 * When an answer carries a tracked codeid that names another action, the old entry is dropped and the
 * action counts as new. Another action is one with another fingerprint (device, inhibitor, model or
 * model breach), or a `start` later than the tracked action's last known expiry: `start` moves when a
 * pending action is approved ("it starts now"), which happens before it lapses, so a move up to the last
 * known expiry is the same action. A rebuilt appliance's actions start now, later than the retirement
 * mark's hour, so they are never taken as retired. Not detected: a rebuilt appliance giving a tracked
 * codeid, before the tracked action's expiry, to an action with the same device, inhibitor, model and
 * breach id; and fingerprint collisions (1 in 1.68 million). Such an action is taken as the one tracked.
 *
 * ## Version 1
 *
 * `{ "v": 1, "pendingAction": "7pt,7pu", "actionActive": "" }`: per event, the codeids emitted or seen,
 * base 36. Each listed event is baselined; each codeid becomes an entry with the bits of the lists that
 * name it, an unknown fingerprint and start and, as last known expiry, the time of migration. Nothing is
 * re-emitted.
 *
 * ## When the state changes
 *
 * Every poll updates it in memory (new entries, fingerprints, expiries, drops, the clock offset), but
 * n8n saves static data only when a poll emits items, so a restart can lose what a quiet poll changed.
 * Nothing depends on that: a lost expiry or fingerprint is learnt again, a lost drop is redone, and a lost
 * clock jump is seen (and held) again.
 */
import type { IDataObject } from 'n8n-workflow';

import { EVENT_BIT, TRIGGER_EVENTS } from './events';

const STATE_VERSION = 2;
export const HOUR_MS = 3_600_000;

export interface SeenEntry {
	/** Bits of the events emitted or taken as seen (EVENT_BIT). */
	bits: number;
	/** 1..FINGERPRINT_MAX, or 0 when not known yet. */
	fp: number;
	/** 1..START_PRINT_MAX, a hash of `start`, or 0 when not known yet. */
	sp: number;
	/** Last known expiry, whole hours since 1970 (rounded up). */
	exp: number;
}

export interface SeenState {
	/** Bits of the events whose baseline has been taken. */
	baselined: number;
	entries: Map<number, SeenEntry>;
	/** Highest codeid and latest expiry hour of every dropped entry. */
	retired: { codeid: number; hour: number } | undefined;
	/** Trusted appliance-minus-n8n clock offset, seconds. */
	skew: number | undefined;
	/** An offset jump seen once, not yet confirmed, seconds. */
	jump: number | undefined;
}

/** Fingerprints take four base-36 digits, start prints three; 0 is "unknown". */
export const FINGERPRINT_MAX = 36 ** 4 - 1;
export const START_PRINT_MAX = 36 ** 3 - 1;

export function emptyState(): SeenState {
	return { baselined: 0, entries: new Map(), retired: undefined, skew: undefined, jump: undefined };
}

const ENTRY = /^([0-9a-z]+)\.([1-9a-f])([0-9a-z]{4})([0-9a-z]{3})([0-9a-z]+)$/;
const V1_LIST = /^[0-9a-z]+(,[0-9a-z]+)*$/;

const isWhole = (value: unknown): value is number => Number.isSafeInteger(value);

function decodeEntries(text: unknown, base: number): Map<number, SeenEntry> | undefined {
	const entries = new Map<number, SeenEntry>();
	if (text === '') return entries;
	if (typeof text !== 'string') return undefined;
	let codeid = 0;
	for (const part of text.split(',')) {
		const m = ENTRY.exec(part);
		if (!m) return undefined;
		codeid += parseInt(m[1], 36);
		if (!Number.isSafeInteger(codeid) || entries.has(codeid)) return undefined;
		entries.set(codeid, { bits: parseInt(m[2], 16), fp: parseInt(m[3], 36), sp: parseInt(m[4], 36), exp: base + parseInt(m[5], 36) });
	}
	return entries;
}

function readV2(data: IDataObject): SeenState | undefined {
	const { b, t, e, r, k, j } = data;
	if (!isWhole(b) || b < 0 || b > 15 || !isWhole(t)) return undefined;
	const entries = decodeEntries(e, t);
	if (!entries) return undefined;
	let retired: SeenState['retired'];
	if (r !== undefined) {
		if (!Array.isArray(r) || r.length !== 2 || !isWhole(r[0]) || !isWhole(r[1])) return undefined;
		retired = { codeid: r[0], hour: r[1] };
	}
	if ((k !== undefined && !isWhole(k)) || (j !== undefined && !isWhole(j))) return undefined;
	return { baselined: b, entries, retired, skew: k as number | undefined, jump: j as number | undefined };
}

/** Version 1: per event a base-36 list of codeids. `now` (appliance ms) stands in for unknown expiries. */
function readV1(data: IDataObject, now: number): SeenState | undefined {
	const state = emptyState();
	const exp = Math.ceil(now / HOUR_MS);
	for (const event of TRIGGER_EVENTS) {
		const text = data[event];
		if (text === undefined) continue;
		if (typeof text !== 'string' || (text !== '' && !V1_LIST.test(text))) return undefined;
		state.baselined |= EVENT_BIT[event];
		if (text === '') continue;
		for (const part of text.split(',')) {
			const codeid = parseInt(part, 36);
			if (!Number.isSafeInteger(codeid)) return undefined;
			const entry = state.entries.get(codeid);
			if (entry) entry.bits |= EVENT_BIT[event];
			else state.entries.set(codeid, { bits: EVENT_BIT[event], fp: 0, sp: 0, exp });
		}
	}
	return state;
}

/**
 * The stored state (version 2, or version 1 migrated). Missing or unreadable static data is "no state":
 * no event has a baseline. `now` is the appliance's time, used only to migrate version 1.
 */
export function readState(data: IDataObject, now: number): SeenState {
	const state = data.v === 2 ? readV2(data) : data.v === 1 ? readV1(data, now) : undefined;
	return state ?? emptyState();
}

const pad = (n: number, width: number) => n.toString(36).padStart(width, '0');

function encodeEntries(entries: Map<number, SeenEntry>, base: number): string {
	const ids = [...entries.keys()].sort((a, b) => a - b);
	const parts: string[] = new Array<string>(ids.length);
	let previous = 0;
	for (let i = 0; i < ids.length; i++) {
		const codeid = ids[i];
		const { bits, fp, sp, exp } = entries.get(codeid) as SeenEntry;
		parts[i] = `${(codeid - previous).toString(36)}.${bits.toString(16)}${pad(fp, 4)}${pad(sp, 3)}${(exp - base).toString(36)}`;
		previous = codeid;
	}
	return parts.join(',');
}

/** Writes `state` into the node's static data in place, replacing whatever was there. */
export function writeState(data: IDataObject, state: SeenState): void {
	for (const key of Object.keys(data)) delete data[key];
	let base = Infinity;
	for (const entry of state.entries.values()) if (entry.exp < base) base = entry.exp;
	if (base === Infinity) base = 0;
	data.v = STATE_VERSION;
	data.b = state.baselined;
	data.t = base;
	data.e = encodeEntries(state.entries, base);
	if (state.retired) data.r = [state.retired.codeid, state.retired.hour];
	if (state.skew !== undefined) data.k = state.skew;
	if (state.jump !== undefined) data.j = state.jump;
}
