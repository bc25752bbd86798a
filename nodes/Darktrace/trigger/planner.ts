/**
 * What one poll emits and how the seen state changes (the format and the rule for dropping entries are
 * in seenState.ts). Pure: no n8n runtime, so every rule is unit-tested alone.
 */
import type { IDataObject } from 'n8n-workflow';

import { codeIdOf, stateOf, toEpochMs, toNumber } from '../domain/action';
import { EVENT_BIT, EVENT_OF_STATE, eventBits, type TriggerEvent } from './events';
import {
	FINGERPRINT_MAX,
	HOUR_MS,
	START_PRINT_MAX,
	type SeenEntry,
	type SeenState,
} from './seenState';

/** `GET /antigena` lists actions that expired in the last 14 days; one more day of margin. */
export const RETENTION_MS = 15 * 24 * HOUR_MS;
/** A change of the appliance's clock against n8n's larger than this is a jump, held until confirmed. */
export const CLOCK_JUMP_MS = HOUR_MS;
/** Offset drift (seconds) below which the stored offset is left alone, so quiet polls change nothing. */
const SKEW_DRIFT_S = 60;

/**
 * A hash (1..FINGERPRINT_MAX) of the fields that never change during an action's life: device,
 * inhibitor, model and model breach. Not `start`: approving a pending action restarts it ("it starts now").
 */
export function fingerprint(raw: IDataObject): number {
	let h = mixNumber(FNV_OFFSET, toNumber(raw.did));
	h = mixText(h, String(raw.action ?? ''));
	h = mixText(h, String(raw.modeluuid || raw.model || ''));
	h = mixNumber(h, toNumber(raw.pbid));
	return (h % FINGERPRINT_MAX) + 1;
}

/** A hash (1..START_PRINT_MAX) of `start`. */
function startPrint(raw: IDataObject): number {
	return (mixNumber(FNV_OFFSET, toEpochMs(raw.start)) % START_PRINT_MAX) + 1;
}

// FNV-1a, fed numbers as two 32-bit halves (no string conversion: this runs for every listed action).
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function mixText(h: number, text: string): number {
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME) >>> 0;
	return Math.imul(h ^ 0x7c, FNV_PRIME) >>> 0; // a separator, so "ab"+"c" differs from "a"+"bc"
}

function mixNumber(h: number, n: number | null): number {
	const value = n === null ? -1 : n;
	h = Math.imul(h ^ (value >>> 0), FNV_PRIME) >>> 0;
	h = Math.imul(h ^ (Math.floor(value / 4294967296) >>> 0), FNV_PRIME) >>> 0;
	return Math.imul(h ^ 0x7c, FNV_PRIME) >>> 0;
}

/** Whether a tracked entry and a sighting of its codeid are one action (see "Rebuilt appliances" in seenState.ts). */
function sameAction(entry: SeenEntry, fp: number, sp: number, raw: IDataObject): boolean {
	if (entry.fp === 0) return true; // migrated from version 1: learnt now
	if (entry.fp !== fp) return false;
	if (entry.sp === sp) return true;
	// `start` moves when a pending action is approved ("it starts now"), always before it lapses.
	const start = toEpochMs(raw.start);
	return start !== null && start <= entry.exp * HOUR_MS;
}

export interface Emission {
	/** Index of the action in the list the plan was made from. */
	index: number;
	codeid: number;
	event: TriggerEvent;
}

export interface PlanInput {
	/** The state as read; the planner works on it in place and returns it as `next`. */
	previous: SeenState;
	events: readonly TriggerEvent[];
	/** The actions the appliance returned, raw: maybe partial, reordered, with duplicates. */
	actions: readonly IDataObject[];
	/** The appliance's time (its `Date` header), epoch ms: it decides what has expired. */
	now: number;
	/** n8n's own clock, epoch ms: a jump of the appliance's clock is measured against it. */
	local: number;
	/** The node's filters; called only for actions not already seen for their event. */
	matches: (raw: IDataObject) => boolean;
	/** Emit the actions already pending when the pending event's baseline is taken, instead of marking them seen. */
	emitExisting: boolean;
}

export interface PollPlan {
	/** What to emit, ordered by codeid (creation order). */
	emit: Emission[];
	/** The state after this poll. */
	next: SeenState;
	/** False when `next` equals what was read (nothing to write). */
	changed: boolean;
	/** Events whose baseline this poll took. */
	baselined: TriggerEvent[];
	/** The `codeid` values of actions that have no valid one (reported, never silently skipped). */
	invalid: unknown[];
	/** True when the appliance's clock jumped and the jump is not confirmed yet. */
	clockHeld: boolean;
	/** Actions whose event waits for the clock jump to be confirmed. */
	held: number;
	/** Entries dropped by the rule in seenState.ts. */
	dropped: number;
}

interface Clock {
	trusted: boolean;
	skew: number | undefined;
	jump: number | undefined;
	/** Other readings of the appliance's time, when the clock is not trusted: the last trusted offset's, and a jump's seen before. */
	others: number[];
}

/**
 * The appliance's clock against n8n's: trusted when the offset moved less than an hour since the last
 * trusted poll, or when it agrees (within an hour) with a jump seen on the poll before (confirmed).
 */
function judgeClock(state: SeenState, now: number, local: number): Clock {
	const skew = Math.round((now - local) / 1000) + 0; // + 0: never -0 in the stored JSON
	const limit = CLOCK_JUMP_MS / 1000;
	const trusted = (s: number) => ({ trusted: true, skew: s, jump: undefined, others: [] });
	if (state.skew === undefined) return trusted(skew);
	if (Math.abs(skew - state.skew) <= limit) {
		return trusted(Math.abs(skew - state.skew) > SKEW_DRIFT_S ? skew : state.skew);
	}
	if (state.jump !== undefined && Math.abs(skew - state.jump) <= limit) return trusted(skew);
	const others = [local + state.skew * 1000];
	if (state.jump !== undefined) others.push(local + state.jump * 1000);
	return { trusted: false, skew: state.skew, jump: skew, others };
}

const expiryHour = (raw: IDataObject, now: number) => Math.ceil((toEpochMs(raw.expires) ?? now) / HOUR_MS);

/**
 * Decides one poll. An action fires the event of its current state when that event is selected, the
 * action matches the filters, and the trigger has not emitted (or baselined) that event for it, ever.
 * An action that went through several states between two polls fires only the event of the state it is
 * in. While a jump of the appliance's clock is unconfirmed, an action whose state depends on which
 * reading is right (the `Date` now, the last trusted offset's, an earlier unconfirmed jump's) waits,
 * and nothing is dropped.
 */
export function planPoll(input: PlanInput): PollPlan {
	const { events, actions, now, local, matches, emitExisting } = input;
	const state = input.previous;
	const clock = judgeClock(state, now, local);
	// A baseline is taken on a trusted clock only: under a jump, a newly selected event waits a poll.
	const selected = clock.trusted ? eventBits(events) : eventBits(events) & state.baselined;
	const fresh = selected & ~state.baselined;
	const baselined = events.filter((event) => (fresh & EVENT_BIT[event]) !== 0);
	let changed = state.baselined !== selected || clock.skew !== state.skew || clock.jump !== state.jump;
	state.baselined = selected;
	state.skew = clock.skew;
	state.jump = clock.jump;

	const { entries, retired } = state;
	const handled = new Set<number>();
	const emit: Emission[] = [];
	const invalid: unknown[] = [];
	let held = 0;

	for (let index = 0; index < actions.length; index++) {
		const raw = actions[index];
		const codeid = codeIdOf(raw);
		if (codeid === null) {
			invalid.push(raw.codeid ?? raw.code);
			continue;
		}
		if (handled.has(codeid)) continue; // a duplicate in one answer: the first copy decides
		handled.add(codeid);
		const actionNow = stateOf(raw, now);
		if (clock.others.some((time) => stateOf(raw, time) !== actionNow)) {
			held++;
			continue;
		}
		const fp = fingerprint(raw);
		const sp = startPrint(raw);
		let entry: SeenEntry | undefined = entries.get(codeid);
		if (entry && !sameAction(entry, fp, sp, raw)) {
			// The codeid now names another action (a rebuilt appliance): the old one is gone.
			entries.delete(codeid);
			entry = undefined;
			changed = true;
		}
		if (entry) {
			const exp = toEpochMs(raw.expires) === null ? Math.max(entry.exp, expiryHour(raw, now)) : expiryHour(raw, now);
			if (entry.fp !== fp || entry.sp !== sp || entry.exp !== exp) {
				Object.assign(entry, { fp, sp, exp });
				changed = true;
			}
		} else if (retired && codeid <= retired.codeid) {
			const start = toEpochMs(raw.start);
			if (start === null || Math.floor(start / HOUR_MS) <= retired.hour) continue;
		}
		const event = EVENT_OF_STATE[actionNow];
		const bit = EVENT_BIT[event];
		if ((selected & bit) === 0 || (entry !== undefined && (entry.bits & bit) !== 0)) continue;
		if (!matches(raw)) continue;
		if (!entry) {
			entry = { bits: 0, fp, sp, exp: expiryHour(raw, now) };
			entries.set(codeid, entry);
		}
		entry.bits |= bit;
		changed = true;
		if ((fresh & bit) === 0 || (event === 'pendingAction' && emitExisting)) emit.push({ index, codeid, event });
	}

	let dropped = 0;
	if (clock.trusted) {
		const limit = Math.floor((now - RETENTION_MS) / HOUR_MS);
		for (const [codeid, entry] of entries) {
			if (entry.exp >= limit) continue;
			entries.delete(codeid);
			state.retired = {
				codeid: Math.max(state.retired?.codeid ?? 0, codeid),
				hour: Math.max(state.retired?.hour ?? 0, entry.exp),
			};
			dropped++;
		}
		if (dropped > 0) changed = true;
	}

	emit.sort((a, b) => a.codeid - b.codeid);
	return { emit, next: state, changed, baselined, invalid, clockHeld: !clock.trusted, held, dropped };
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
	const selected = eventBits(events);
	const candidates: Array<Emission & { at: number }> = [];
	actions.forEach((raw, index) => {
		const codeid = codeIdOf(raw);
		if (codeid === null) return;
		const event = EVENT_OF_STATE[stateOf(raw, now)];
		if ((selected & EVENT_BIT[event]) !== 0 && matches(raw)) {
			candidates.push({ index, codeid, event, at: changedAt(raw) });
		}
	});
	candidates.sort((a, b) => b.at - a.at || b.codeid - a.codeid);
	return candidates.slice(0, count).map(({ index, codeid, event }) => ({ index, codeid, event }));
}
