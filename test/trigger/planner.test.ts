import type { IDataObject } from 'n8n-workflow';

import { actionMatcher, codeIdOf } from '../../nodes/Darktrace/domain/action';
import type { TriggerEvent } from '../../nodes/Darktrace/trigger/events';
import {
	CLOCK_JUMP_MS,
	RETENTION_MS,
	fingerprint,
	pickSample,
	planPoll,
	type PlanInput,
} from '../../nodes/Darktrace/trigger/planner';
import { HOUR_MS, emptyState, readState, writeState, type SeenState } from '../../nodes/Darktrace/trigger/seenState';

const NOW = 1_700_000_000_000;
const HOUR = HOUR_MS;
const DAY = 24 * HOUR;

type State = 'pending' | 'active' | 'expired' | 'cleared';

function action(codeid: unknown, state: State, extra: IDataObject = {}, now = NOW): IDataObject {
	const base: IDataObject = {
		codeid: codeid as IDataObject['codeid'],
		did: 11,
		action: 'quarantine',
		modeluuid: 'm-1',
		score: 0.8,
		start: now - HOUR,
		updated: now - HOUR,
	};
	if (state === 'pending') Object.assign(base, { active: false, cleared: false, expires: now + HOUR });
	if (state === 'active') Object.assign(base, { active: true, cleared: false, expires: now + HOUR });
	if (state === 'expired') Object.assign(base, { active: true, cleared: false, expires: now - 1000 });
	if (state === 'cleared') Object.assign(base, { active: false, cleared: true, expires: now + HOUR });
	return { ...base, ...extra };
}

/** A trigger's life in memory: each poll plans on the state the previous one left, as n8n keeps it. */
function trigger(events: TriggerEvent[] = ['pendingAction'], state: SeenState = emptyState()) {
	let current = state;
	const self = {
		events,
		matches: (() => true) as PlanInput['matches'],
		poll(actions: IDataObject[], now = NOW, overrides: Partial<PlanInput> = {}) {
			const plan = planPoll({
				previous: current,
				events: self.events,
				actions,
				now,
				local: NOW + (now - NOW), // n8n's clock moves with the appliance's unless a test says otherwise
				matches: self.matches,
				emitExisting: false,
				...overrides,
			});
			current = plan.next;
			return plan;
		},
		get state() {
			return current;
		},
		/** What n8n would have saved, read back (a restart). */
		restart(now = NOW) {
			const data: IDataObject = {};
			writeState(data, current);
			current = readState(JSON.parse(JSON.stringify(data)) as IDataObject, now);
		},
	};
	return self;
}

const emitted = (plan: ReturnType<typeof planPoll>) => plan.emit.map((e) => `${e.codeid}:${e.event}`);

describe('codeIdOf', () => {
	it('accepts positive safe integers, as numbers or decimal strings, and nothing else', () => {
		expect(codeIdOf({ codeid: 10170 })).toBe(10170);
		expect(codeIdOf({ codeid: '10170' })).toBe(10170);
		expect(codeIdOf({ code: 7 })).toBe(7);
		expect(codeIdOf({ codeid: 2 ** 53 - 1 })).toBe(2 ** 53 - 1);
		for (const bad of [0, -1, 12.5, 2 ** 53, '0x10', '1e3', ' 12', '012', '', null, undefined, true, '12.0', {}]) {
			expect([bad, codeIdOf({ codeid: bad as IDataObject['codeid'] })]).toEqual([bad, null]);
		}
	});
});

describe('partial answers never shrink the state', () => {
	it('50 seen, a glitch answers one new action only, then the full list: only the new one, once', () => {
		const t = trigger();
		const all = Array.from({ length: 50 }, (_, i) => action(10001 + i, 'pending'));
		expect(t.poll(all).emit).toEqual([]); // baseline
		const fresh = action(10051, 'pending');
		expect(emitted(t.poll([fresh]))).toEqual(['10051:pendingAction']);
		expect(t.state.entries.size).toBe(51);
		expect(t.poll([...all, fresh]).emit).toEqual([]);
		t.restart();
		expect(t.poll([...all, fresh]).emit).toEqual([]);
		expect(t.poll([]).emit).toEqual([]);
		expect(t.state.entries.size).toBe(51);
	});

	it('an empty answer changes nothing', () => {
		const t = trigger();
		t.poll([action(1, 'pending')]);
		expect(t.poll([]).changed).toBe(false);
	});
});

describe('once per action per event', () => {
	it('pending → active → pending fires New Pending Action once, even when the pending-only answer lacks it', () => {
		const t = trigger();
		t.poll([]);
		expect(emitted(t.poll([action(5, 'pending')]))).toEqual(['5:pendingAction']);
		expect(t.poll([]).emit).toEqual([]); // active now: a needconfirming answer leaves it out
		expect(t.poll([action(5, 'pending')]).emit).toEqual([]);
	});

	it('each event fires once, whatever order the states come in', () => {
		const t = trigger(['pendingAction', 'actionActive', 'actionCleared', 'actionExpired']);
		t.poll([]);
		const sequence: State[] = ['pending', 'active', 'pending', 'cleared', 'active', 'expired', 'active', 'cleared'];
		const out = sequence.flatMap((state) => emitted(t.poll([action(9, state)])));
		expect(out).toEqual(['9:pendingAction', '9:actionActive', '9:actionCleared', '9:actionExpired']);
	});

	it('a duplicated codeid in one answer is emitted once; the first copy decides', () => {
		const t = trigger(['pendingAction', 'actionActive']);
		t.poll([]);
		expect(emitted(t.poll([action(3, 'pending'), action(3, 'active'), action(2, 'active')]))).toEqual([
			'2:actionActive',
			'3:pendingAction',
		]);
	});
});

describe('filter and event changes', () => {
	it('narrowing then widening the device filter re-emits nothing', () => {
		const t = trigger();
		t.poll([]);
		const a = action(1, 'pending', { did: 11 });
		const b = action(2, 'pending', { did: 12 });
		expect(emitted(t.poll([a, b]))).toEqual(['1:pendingAction', '2:pendingAction']);
		t.matches = actionMatcher({ deviceIds: [11] });
		expect(t.poll([a]).emit).toEqual([]); // the query is narrowed to did=11: a partial answer
		t.matches = () => true;
		expect(t.poll([a, b]).emit).toEqual([]);
	});

	it('an action filtered out is emitted when the filter widens (it was never emitted)', () => {
		const t = trigger();
		t.matches = actionMatcher({ minScore: 0.9 });
		t.poll([]);
		expect(t.poll([action(1, 'pending', { score: 0.5 })]).emit).toEqual([]);
		t.matches = actionMatcher({ minScore: 0 });
		expect(emitted(t.poll([action(1, 'pending', { score: 0.5 })]))).toEqual(['1:pendingAction']);
	});

	it('a newly selected event takes its own baseline; deselecting and reselecting re-emits nothing', () => {
		const t = trigger(['pendingAction']);
		t.poll([]);
		expect(emitted(t.poll([action(1, 'pending')]))).toEqual(['1:pendingAction']);
		t.events = ['pendingAction', 'actionActive'];
		const plan = t.poll([action(1, 'active'), action(2, 'active')]);
		expect([plan.emit, plan.baselined]).toEqual([[], ['actionActive']]);
		expect(emitted(t.poll([action(3, 'active')]))).toEqual(['3:actionActive']);
		t.events = ['actionActive'];
		t.poll([action(4, 'pending')]);
		t.events = ['pendingAction'];
		// Reselected with "emit existing": 1 was emitted before, so only 4 (never emitted) comes out.
		expect(emitted(t.poll([action(1, 'pending'), action(4, 'pending')], NOW, { emitExisting: true }))).toEqual([
			'4:pendingAction',
		]);
	});
});

describe('rebuilt appliance', () => {
	it('a tracked codeid with another model, breach, device or inhibitor is a new action', () => {
		const t = trigger();
		t.poll([]);
		expect(emitted(t.poll([action(1, 'pending')]))).toEqual(['1:pendingAction']);
		expect(emitted(t.poll([action(1, 'pending', { modeluuid: 'm-2' })]))).toEqual(['1:pendingAction']);
		expect(emitted(t.poll([action(1, 'pending', { modeluuid: 'm-2', pbid: 77 })]))).toEqual(['1:pendingAction']);
		// Same action, other score and a new start (approval restarts it): not new.
		expect(t.poll([action(1, 'pending', { modeluuid: 'm-2', pbid: 77, score: 0.1, start: NOW })]).emit).toEqual([]);
	});

	it('a start moved up to the last known expiry is the same action (approval restarts it); a later one is new', () => {
		const t = trigger(['pendingAction', 'actionActive']);
		t.poll([]);
		expect(emitted(t.poll([action(1, 'pending')]))).toEqual(['1:pendingAction']);
		expect(emitted(t.poll([action(1, 'active', { start: NOW })]))).toEqual(['1:actionActive']);
		expect(t.poll([action(1, 'pending', { start: NOW + 60_000 })]).emit).toEqual([]); // pending again: once only
		// Started after the tracked action's expiry (NOW + 1 h): that one had lapsed, this is another.
		const later = NOW + 2 * HOUR;
		expect(emitted(t.poll([action(1, 'pending', { start: later, expires: later + HOUR })]))).toEqual([
			'1:pendingAction',
		]);
	});

	it('fingerprints depend on did, action, model and model breach only, whatever their types', () => {
		const a = action(1, 'pending', { pbid: 5 });
		const same = { ...a, score: 0.1, expires: 1, active: true, codeid: 2, start: NOW + 5, did: '11', pbid: '5' };
		expect(fingerprint(same)).toBe(fingerprint(a));
		expect(fingerprint({ ...a, modeluuid: '', model: 'm-1' })).toBe(fingerprint(a));
		for (const change of [{ did: 12 }, { action: 'pol' }, { modeluuid: 'x' }, { pbid: 6 }]) {
			expect(fingerprint({ ...a, ...change })).not.toBe(fingerprint(a));
		}
	});
});

describe('invalid codeids', () => {
	it('are reported, never emitted, never tracked', () => {
		const t = trigger();
		t.poll([]);
		const plan = t.poll([action(12.5, 'pending'), action('0x10', 'pending'), action(2 ** 53, 'pending'), { did: 1 }]);
		expect([plan.emit, plan.invalid]).toEqual([[], [12.5, '0x10', 2 ** 53, undefined]]);
		expect(t.state.entries.size).toBe(0);
	});
});

describe('when an entry leaves the state', () => {
	it('only once its last known expiry is more than 15 days behind the appliance clock; it never comes back', () => {
		const t = trigger();
		t.poll([]);
		const a = action(1, 'pending', { expires: NOW + HOUR });
		t.poll([a]);
		expect(t.poll([], NOW + HOUR + RETENTION_MS - HOUR).dropped).toBe(0);
		expect(t.state.entries.size).toBe(1);
		const plan = t.poll([], NOW + HOUR + RETENTION_MS + 2 * HOUR);
		expect([plan.dropped, t.state.entries.size, t.state.retired]).toEqual([1, 0, { codeid: 1, hour: Math.ceil((NOW + HOUR) / HOUR) }]);
		// Reactivated by codeid long after: the retirement mark keeps it from emitting again.
		const later = NOW + 20 * DAY;
		expect(t.poll([action(1, 'pending', { expires: later + HOUR })], later).emit).toEqual([]);
		// A rebuilt appliance's codeid 1 starts now: new.
		expect(emitted(t.poll([action(1, 'pending', { start: later, expires: later + HOUR })], later))).toEqual([
			'1:pendingAction',
		]);
	});

	it('an expiry learnt from a later answer keeps the entry longer', () => {
		const t = trigger(['actionActive']);
		t.poll([]);
		t.poll([action(1, 'active', { expires: NOW + HOUR })]);
		t.poll([action(1, 'active', { expires: NOW + 30 * DAY })]);
		expect(t.poll([], NOW + 40 * DAY).dropped).toBe(0);
		expect(t.poll([], NOW + 46 * DAY).dropped).toBe(1);
	});
});

describe('clock jumps of the appliance', () => {
	it('a jump forward holds Action Expired until the next poll confirms it', () => {
		const t = trigger(['actionExpired', 'actionActive']);
		t.poll([action(1, 'active', { expires: NOW + 2 * HOUR })]);
		const jumped = NOW + 3 * HOUR;
		const a = action(1, 'active', { expires: NOW + 2 * HOUR });
		const held = t.poll([a], jumped, { local: NOW });
		expect([held.emit, held.clockHeld, held.held]).toEqual([[], true, 1]);
		const confirmed = t.poll([a], jumped + 60_000, { local: NOW + 60_000 });
		expect([emitted(confirmed), confirmed.clockHeld]).toEqual([['1:actionExpired'], false]);
	});

	it('a jump that is not confirmed (back to the old offset) fires nothing', () => {
		const t = trigger(['actionExpired', 'actionActive']);
		const a = action(1, 'active', { expires: NOW + 2 * HOUR });
		t.poll([a]);
		expect(t.poll([a], NOW - 5 * HOUR + 1000, { local: NOW + 1000 }).clockHeld).toBe(true);
		expect(t.poll([a], NOW + 3 * HOUR, { local: NOW + 2000 }).clockHeld).toBe(true); // another jump
		const back = t.poll([a], NOW + 3000, { local: NOW + 3000 });
		expect([back.emit, back.clockHeld]).toEqual([[], false]);
	});

	it('a jump back holds actions that would look active again; others still fire', () => {
		const t = trigger(['actionActive', 'pendingAction']);
		t.poll([]);
		const expired = action(1, 'active', { expires: NOW - HOUR });
		const fresh = action(2, 'pending', { expires: NOW + 10 * HOUR });
		const plan = t.poll([expired, fresh], NOW - 3 * HOUR, { local: NOW });
		expect([emitted(plan), plan.held]).toEqual([['2:pendingAction'], 1]);
	});

	it('nothing is dropped on an unconfirmed clock, and a newly selected event waits for a trusted one', () => {
		const t = trigger(['pendingAction']);
		t.poll([action(1, 'pending')]);
		t.events = ['pendingAction', 'actionActive'];
		const jumped = t.poll([action(2, 'active')], NOW + 40 * DAY, { local: NOW });
		expect([jumped.dropped, jumped.baselined, t.state.entries.size]).toEqual([0, [], 1]);
		const confirmed = t.poll([action(2, 'active', {}, NOW + 40 * DAY)], NOW + 40 * DAY, { local: NOW });
		expect([confirmed.dropped, confirmed.baselined, confirmed.emit]).toEqual([1, ['actionActive'], []]);
	});

	it('drift under an hour is followed without a hold, and under a minute writes nothing', () => {
		const t = trigger();
		t.poll([action(1, 'pending')]);
		expect(t.poll([action(1, 'pending')], NOW + 30_000, { local: NOW }).changed).toBe(false);
		expect(t.poll([action(1, 'pending')], NOW + CLOCK_JUMP_MS - 1000, { local: NOW }).clockHeld).toBe(false);
		expect(t.state.skew).toBe(CLOCK_JUMP_MS / 1000 - 1);
	});
});

describe('baselines and "emit existing"', () => {
	it('takes what is there as seen, or emits pending ones with emitExisting', () => {
		expect(trigger().poll([action(1, 'pending')]).emit).toEqual([]);
		const t = trigger(['pendingAction', 'actionActive']);
		expect(emitted(t.poll([action(1, 'pending'), action(2, 'active')], NOW, { emitExisting: true }))).toEqual([
			'1:pendingAction',
		]);
		expect(t.poll([action(1, 'pending'), action(2, 'active')]).emit).toEqual([]);
	});
});

describe('pickSample', () => {
	it('returns the newest matching actions in a selected state, seen or not', () => {
		const actions = [
			action(10001, 'pending', { updated: NOW - 3000 }),
			action(10002, 'pending', { updated: String(NOW - 1000) }),
			action(10003, 'active', { updated: NOW }),
			action(10004, 'pending', { updated: NOW - 2000, did: 99 }),
			action('0x10', 'pending', { updated: NOW }),
		];
		const sample = pickSample(actions, ['pendingAction'], NOW, actionMatcher({ deviceIds: [11] }), 5);
		expect(sample.map((s) => s.codeid)).toEqual([10002, 10001]);
		expect(pickSample(actions, ['pendingAction'], NOW, () => true, 1).map((s) => s.codeid)).toEqual([10002]);
		expect(pickSample(actions, ['actionCleared'], NOW, () => true, 1)).toEqual([]);
	});
});
