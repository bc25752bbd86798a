/**
 * Property test of the trigger's planner over random histories of an appliance and of n8n: partial,
 * empty, duplicated and reordered answers, filter and event changes, restarts (also between a poll that
 * emits and the save of its state, when n8n delivers nothing), rebuilt appliances and clock jumps.
 *
 * - no action gets the same event delivered twice;
 * - every delivered event is the action's true state at that poll (no false event on a clock jump);
 * - an action pending and matching in two consecutive full answers (pending selected, steady clock) has
 *   been delivered as pending by then, unless it was already pending when that event's baseline was taken.
 *
 * Seeded and bounded; a failure names its seed: rerun it alone with TRIGGER_PROPERTY_SEED=<seed>.
 * Actions here live at most 14 days: one that outlives the retirement mark (seenState.ts) is the
 * documented exception to the third property.
 */
import type { IDataObject } from 'n8n-workflow';

import { actionMatcher } from '../../nodes/Darktrace/domain/action';
import { TRIGGER_EVENTS, type TriggerEvent } from '../../nodes/Darktrace/trigger/events';
import { stateOf } from '../../nodes/Darktrace/domain/action';
import { planPoll } from '../../nodes/Darktrace/trigger/planner';
import { triggerQuery } from '../../nodes/Darktrace/trigger/query';
import { readState, writeState } from '../../nodes/Darktrace/trigger/seenState';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const RUNS = 150;
const POLLS = 120;

function rng(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
		chance: (p: number) => next() < p,
		pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)],
	};
}

interface SimAction {
	uid: number;
	codeid: number;
	did: number;
	action: string;
	modeluuid: string;
	pbid: number;
	score: number;
	start: number;
	expires: number;
	active: boolean;
	cleared: boolean;
	approved?: boolean;
}

const view = (a: SimAction): IDataObject => ({ ...a, uid: undefined, approved: undefined });

function runOnce(seed: number): { polls: number; delivered: number; liveChecks: number } {
	const r = rng(seed);
	const copy = (data: IDataObject) => JSON.parse(JSON.stringify(data)) as IDataObject;
	let clock = 1_750_000_000_000 + r.int(0, 1000) * HOUR; // the appliance's true time
	let offset = r.int(-300, 300) * 1000; // appliance minus n8n
	let nextCode = r.int(1, 5000);
	let uid = 0;
	let actions: SimAction[] = [];
	let events: TriggerEvent[] = ['pendingAction'];
	let deviceIds: number[] = [];
	let emitExisting = false;
	let memory: IDataObject = {};
	let saved: IDataObject = {};
	const delivered = new Set<string>();
	const exempt = new Set<number>(); // uids pending when the pending baseline was taken
	let previousFull: Map<number, true> | undefined; // uids pending+matching in the previous qualifying poll
	let liveChecks = 0;
	let deliveredCount = 0;
	let lastGlitch = 0;
	const glitches: number[] = [];

	const create = () => {
		const pending = r.chance(0.7);
		actions.push({
			uid: ++uid,
			codeid: nextCode++,
			did: r.int(1, 3),
			action: r.pick(['quarantine', 'pol', 'connection']),
			modeluuid: r.pick(['m-a', 'm-b', '']),
			pbid: r.int(1, 1_000_000),
			score: r.int(0, 10) / 10,
			start: clock,
			expires: clock + r.int(10, 72 * 60) * MINUTE,
			active: !pending,
			cleared: false,
			approved: !pending,
		});
	};
	const trueState = (a: SimAction) => stateOf(view(a), clock);

	for (let poll = 0; poll < POLLS; poll++) {
		// The world moves.
		clock += r.pick([MINUTE, 5 * MINUTE, HOUR, 6 * HOUR, DAY, 3 * DAY]);
		for (let i = r.int(0, 3); i > 0; i--) create();
		for (const a of actions) {
			if (!r.chance(0.15)) continue;
			const s = trueState(a);
			const roll = r.next();
			if (s === 'pending' && roll < 0.5) {
				a.active = true;
				// Approving an action never active before starts it now, as on the simulator; its expiry is
				// still the one it was created with (pending actions cannot be extended).
				if (!a.approved) a.start = clock;
				a.approved = true;
			}
			else if ((s === 'active' || s === 'pending') && roll < 0.7) a.cleared = true;
			else if (s === 'active' && roll < 0.85) a.active = false; // back to pending, as issue #13 saw
			else if ((s === 'expired' || s === 'cleared') && roll < 0.95) {
				a.cleared = false; // reactivated
				a.active = true;
				a.approved = true;
				a.expires = Math.min(clock + r.int(10, 600) * MINUTE, a.start + 14 * DAY);
			}
		}
		actions = actions.filter((a) => a.expires > clock - 14 * DAY);
		if (r.chance(0.02)) {
			actions = []; // rebuilt: codeids restart lower, every action is new
			nextCode = r.int(1, 50);
			for (let i = r.int(1, 4); i > 0; i--) create();
		}
		if (r.chance(0.08)) {
			events = TRIGGER_EVENTS.filter(() => r.chance(0.5));
			if (events.length === 0) events = [r.pick(TRIGGER_EVENTS)];
		}
		if (r.chance(0.08)) deviceIds = r.chance(0.5) ? [] : [r.int(1, 3)];
		if (r.chance(0.05)) emitExisting = !emitExisting;
		const reset = r.chance(0.02);
		if (reset) offset += r.pick([-1, 1]) * r.int(2, 20) * HOUR; // the appliance's clock is reset

		// What the appliance answers for the trigger's query.
		const qs = triggerQuery(events, { deviceIds });
		const matches = actionMatcher({ deviceIds });
		const listed = actions.filter(
			(a) =>
				(qs.includecleared === true || !a.cleared) &&
				(qs.needconfirming !== true || trueState(a) === 'pending') &&
				(qs.did === undefined || a.did === qs.did),
		);
		const kind = r.pick(['full', 'full', 'reordered', 'duplicated', 'partial', 'empty'] as const);
		let answer = listed.slice();
		if (kind === 'partial') answer = answer.filter(() => r.chance(0.3));
		if (kind === 'empty') answer = [];
		if (kind === 'duplicated') answer = answer.flatMap((a) => (r.chance(0.3) ? [a, a] : [a]));
		if (kind === 'reordered') answer.sort(() => r.next() - 0.5);
		const full = kind !== 'partial' && kind !== 'empty';
		// A one-poll glitch of the Date header, once the trigger knows the appliance's usual offset.
		// A reset shows in the Date header as it is. A glitch lasts one poll, and each glitch is its own: the same offset seen again on the next poll the
		// trigger remembers (a restart can forget the quiet poll between) is a confirmed jump, rightly believed.
		let glitch = 0;
		if (memory.k !== undefined && !reset && lastGlitch === 0 && r.chance(0.05)) {
			glitch = r.pick([-1, 1]) * r.int(2 * 60, 30 * 60) * MINUTE;
			if (glitches.some((g) => Math.abs(g - glitch) <= 2 * HOUR)) glitch = 0;
			else glitches.push(glitch);
		}
		lastGlitch = glitch;
		const local = clock - offset;

		const plan = planPoll({
			previous: readState(memory, clock + glitch),
			events,
			actions: answer.map(view),
			now: clock + glitch,
			local,
			matches,
			emitExisting,
		});
		if (plan.changed) writeState(memory, plan.next);
		memory = copy(memory);
		if (plan.baselined.includes('pendingAction')) {
			for (const a of answer) if (trueState(a) === 'pending' && matches(view(a))) exempt.add(a.uid);
		}

		const crashed = plan.emit.length > 0 && r.chance(0.15); // restart between emit and save
		if (crashed) memory = copy(saved);
		else {
			if (plan.emit.length > 0) saved = copy(memory);
			for (const { index, event } of plan.emit) {
				const a = answer[index];
				const key = `${a.uid}:${event}`;
				if (delivered.has(key)) throw new Error(`${key} (codeid ${a.codeid}) delivered twice at poll ${poll}`);
				const truth = trueState(a);
				if (`${truth}` !== { pendingAction: 'pending', actionActive: 'active', actionCleared: 'cleared', actionExpired: 'expired' }[event]) {
					throw new Error(`${key} delivered while the action is ${truth} (poll ${poll}, glitch ${glitch / HOUR} h)`);
				}
				delivered.add(key);
				deliveredCount++;
			}
		}
		if (r.chance(0.05)) memory = copy(saved); // a plain restart: what quiet polls changed is lost

		// Liveness over two consecutive qualifying polls.
		const steady = full && glitch === 0 && !plan.clockHeld && events.includes('pendingAction');
		if (!steady || crashed) {
			previousFull = undefined;
			continue;
		}
		const pendingNow = new Map<number, true>();
		for (const a of answer) if (trueState(a) === 'pending' && matches(view(a))) pendingNow.set(a.uid, true);
		if (previousFull) {
			for (const id of pendingNow.keys()) {
				if (!previousFull.has(id) || exempt.has(id)) continue;
				liveChecks++;
				if (!delivered.has(`${id}:pendingAction`)) {
					const a = actions.find((x) => x.uid === id) as SimAction;
					throw new Error(`action uid ${id} (codeid ${a.codeid}) pending in two full answers, never delivered (poll ${poll})`);
				}
			}
		}
		previousFull = pendingNow;
	}
	return { polls: POLLS, delivered: deliveredCount, liveChecks };
}

test(`${RUNS} random histories of ${POLLS} polls: each event once, no false event, nothing pending missed`, () => {
	const only = process.env.TRIGGER_PROPERTY_SEED;
	const seeds = only ? [Number(only)] : Array.from({ length: RUNS }, (_, i) => 13_000 + i);
	let delivered = 0;
	let liveChecks = 0;
	for (const seed of seeds) {
		try {
			const result = runOnce(seed);
			delivered += result.delivered;
			liveChecks += result.liveChecks;
		} catch (error) {
			throw new Error(`seed ${seed}: ${(error as Error).message} (rerun: TRIGGER_PROPERTY_SEED=${seed})`);
		}
	}
	// The generator must exercise the properties, not pass vacuously.
	console.log(`property: ${seeds.length} histories, ${delivered} events delivered, ${liveChecks} pending-twice checks`);
	expect(delivered).toBeGreaterThan(seeds.length * 5);
	expect(liveChecks).toBeGreaterThan(seeds.length);
});
