import type { IDataObject } from 'n8n-workflow';

import {
	actionMatcher,
	codeIdOf,
	decodeIds,
	encodeIds,
	pickSample,
	planPoll,
	readState,
	triggerQuery,
	writeState,
	type PlanInput,
	type SeenState,
	type TriggerEvent,
} from '../../nodes/Darktrace/helpers/pollState';

const NOW = 1_700_000_000_000;
const HOUR = 3_600_000;

function action(
	codeid: unknown,
	state: 'pending' | 'active' | 'expired' | 'cleared',
	extra: IDataObject = {},
): IDataObject {
	const base: IDataObject = {
		codeid: codeid as IDataObject['codeid'],
		did: 11,
		action: 'quarantine',
		score: 0.8,
		start: NOW - HOUR,
		updated: NOW - HOUR,
	};
	if (state === 'pending') Object.assign(base, { active: false, cleared: false, expires: NOW + HOUR });
	if (state === 'active') Object.assign(base, { active: true, cleared: false, expires: NOW + HOUR });
	if (state === 'expired') Object.assign(base, { active: true, cleared: false, expires: NOW - 1000 });
	if (state === 'cleared') Object.assign(base, { active: false, cleared: true, expires: NOW + HOUR });
	return { ...base, ...extra };
}

function plan(previous: SeenState, actions: IDataObject[], overrides: Partial<PlanInput> = {}) {
	return planPoll({
		previous,
		events: ['pendingAction'],
		actions,
		now: NOW,
		matches: () => true,
		emitExisting: false,
		...overrides,
	});
}

const ids = (set: Set<number> | undefined) => [...(set ?? [])].sort((a, b) => a - b);

describe('id list encoding', () => {
	it('round-trips in base 36, ascending, and stays far below 32 bytes per id', () => {
		const list = [2147483647, 10001, 10170, 1];
		const text = encodeIds(list);
		expect(text).toBe('1,7pt,7ui,zik0zj');
		expect([...(decodeIds(text) as Set<number>)]).toEqual([1, 10001, 10170, 2147483647]);
		expect(JSON.stringify(text).length / list.length).toBeLessThanOrEqual(7);
		expect(decodeIds('')).toEqual(new Set());
	});

	it('rejects anything it did not write', () => {
		for (const bad of [
			'7pt,',
			',7pt',
			'7PT',
			'7pt 7pu',
			'1,2;3',
			42,
			null,
			undefined,
			['7pt'],
			'zzzzzzzzzzzzzzzzzzzz',
		]) {
			expect(decodeIds(bad)).toBeUndefined();
		}
	});
});

describe('readState / writeState', () => {
	it('writes version 1 with one key per event and removes events no longer selected', () => {
		const data: IDataObject = { v: 1, actionCleared: '7pt', stray: 'x' };
		writeState(data, { pendingAction: new Set([10170, 10001]), actionActive: new Set() });
		expect(data).toEqual({ v: 1, pendingAction: '7pt,7ui', actionActive: '' });
		expect(readState(data, ['pendingAction', 'actionActive', 'actionExpired'])).toEqual({
			pendingAction: new Set([10001, 10170]),
			actionActive: new Set(),
		});
	});

	it('reads a missing, foreign-version or malformed state as "no baseline yet"', () => {
		expect(readState({}, ['pendingAction'])).toEqual({});
		expect(readState({ v: 2, pendingAction: '7pt' }, ['pendingAction'])).toEqual({});
		expect(readState({ v: 1, pendingAction: [10001] }, ['pendingAction'])).toEqual({});
		expect(readState({ v: 1, pendingAction: '7pt', actionActive: 'oops!' }, ['pendingAction', 'actionActive'])).toEqual(
			{
				pendingAction: new Set([10001]),
			},
		);
	});
});

describe('codeIdOf', () => {
	it('normalises loose codeids and refuses unusable ones', () => {
		expect(codeIdOf({ codeid: 10170 })).toBe(10170);
		expect(codeIdOf({ codeid: '10170' })).toBe(10170);
		expect(codeIdOf({ codeid: 10170.0 })).toBe(10170);
		expect(codeIdOf({ code: 10170 })).toBe(10170);
		for (const bad of [undefined, null, 'abc', 0, -5, 1.5, '']) expect(codeIdOf({ codeid: bad })).toBeNull();
	});
});

describe('planPoll', () => {
	it('first activation takes the pending actions as seen and emits nothing', () => {
		const result = plan({}, [action(10001, 'pending'), action(10002, 'pending')]);
		expect(result.emit).toEqual([]);
		expect(result.baselined).toEqual(['pendingAction']);
		expect(ids(result.next?.pendingAction)).toEqual([10001, 10002]);
	});

	it('first activation with nothing pending still records the (empty) baseline', () => {
		const result = plan({}, []);
		expect(result.next).toEqual({ pendingAction: new Set() });
	});

	it('first activation with emitExisting emits what is already pending, in codeid order', () => {
		const result = plan({}, [action(10002, 'pending'), action(10001, 'pending')], { emitExisting: true });
		expect(result.emit.map((e) => e.codeid)).toEqual([10001, 10002]);
		expect(result.emit.map((e) => e.index)).toEqual([1, 0]);
		expect(ids(result.next?.pendingAction)).toEqual([10001, 10002]);
	});

	it('emitExisting does not emit existing actions for the other events', () => {
		const result = plan({}, [action(10001, 'active'), action(10002, 'pending')], {
			events: ['pendingAction', 'actionActive'],
			emitExisting: true,
		});
		expect(result.emit).toEqual([{ index: 1, codeid: 10002, event: 'pendingAction' }]);
		expect(ids(result.next?.actionActive)).toEqual([10001]);
	});

	it('emits only unseen actions and compares codeids after normalising their type', () => {
		const previous = { pendingAction: new Set([10001]) };
		const result = plan(previous, [
			action('10001', 'pending', { expires: NOW + HOUR + 0.0 }),
			action(10002, 'pending'),
		]);
		expect(result.emit).toEqual([{ index: 1, codeid: 10002, event: 'pendingAction' }]);
		expect(ids(result.next?.pendingAction)).toEqual([10001, 10002]);
	});

	it('changes nothing when nothing is new (a null poll is never relied on)', () => {
		const previous = { pendingAction: new Set([10001, 10002, 99999]) };
		const result = plan(previous, [action(10001, 'pending'), action(10002, 'pending')]);
		expect(result.emit).toEqual([]);
		expect(result.next).toBeUndefined();
	});

	it('drops actions the appliance no longer returns when it writes', () => {
		const previous = { pendingAction: new Set([10001, 10002, 10003]) };
		const result = plan(previous, [action(10002, 'pending'), action(10004, 'pending')]);
		expect(ids(result.next?.pendingAction)).toEqual([10002, 10004]);
	});

	it('keeps a seen action while it is still returned in another state', () => {
		const previous = { pendingAction: new Set([10001]), actionActive: new Set<number>() };
		const result = plan(previous, [action(10001, 'active'), action(10002, 'pending')], {
			events: ['pendingAction', 'actionActive'],
		});
		expect(result.emit.map((e) => `${e.codeid}:${e.event}`)).toEqual(['10001:actionActive', '10002:pendingAction']);
		expect(ids(result.next?.pendingAction)).toEqual([10001, 10002]);
		expect(ids(result.next?.actionActive)).toEqual([10001]);
	});

	it.each<[TriggerEvent, 'active' | 'expired' | 'cleared']>([
		['actionActive', 'active'],
		['actionExpired', 'expired'],
		['actionCleared', 'cleared'],
	])('%s fires once for an action that reached that state', (event, state) => {
		const events: TriggerEvent[] = ['pendingAction', event];
		const first = plan({ pendingAction: new Set([10001]), [event]: new Set() }, [action(10001, state)], { events });
		expect(first.emit).toEqual([{ index: 0, codeid: 10001, event }]);
		const again = plan(first.next as SeenState, [action(10001, state)], { events });
		expect(again.emit).toEqual([]);
	});

	it('a pending action that lapsed counts as expired by the appliance clock', () => {
		const lapsed = action(10001, 'pending', { expires: NOW - 1 });
		const events: TriggerEvent[] = ['actionExpired'];
		expect(plan({ actionExpired: new Set() }, [lapsed], { events }).emit).toHaveLength(1);
		expect(plan({ actionExpired: new Set() }, [lapsed], { events, now: NOW - 2 }).emit).toHaveLength(0);
	});

	it('ignores states whose event is not selected and actions without a usable codeid', () => {
		const result = plan({ pendingAction: new Set() }, [
			action(10001, 'active'),
			action('n/a', 'pending'),
			action(10003, 'pending'),
		]);
		expect(result.emit.map((e) => e.codeid)).toEqual([10003]);
	});

	it('does not record filtered-out actions, and runs the filter only on unseen ones', () => {
		const seen: unknown[] = [];
		const matches = (raw: IDataObject) => {
			seen.push(raw.codeid);
			return raw.codeid !== 10003;
		};
		const result = plan(
			{ pendingAction: new Set([10001]) },
			[action(10001, 'pending'), action(10002, 'pending'), action(10003, 'pending')],
			{
				matches,
			},
		);
		expect(seen).toEqual([10002, 10003]);
		expect(result.emit.map((e) => e.codeid)).toEqual([10002]);
		expect(ids(result.next?.pendingAction)).toEqual([10001, 10002]);
	});

	it('emits an action returned twice in one response only once', () => {
		const result = plan({ pendingAction: new Set() }, [action(10002, 'pending'), action('10002', 'pending')]);
		expect(result.emit).toHaveLength(1);
	});

	it('takes a baseline for an event added later without re-emitting the others', () => {
		const result = plan({ pendingAction: new Set([10001]) }, [action(10001, 'pending'), action(10002, 'active')], {
			events: ['pendingAction', 'actionActive'],
		});
		expect(result.emit).toEqual([]);
		expect(result.baselined).toEqual(['actionActive']);
		expect(ids(result.next?.actionActive)).toEqual([10002]);
	});
});

describe('actionMatcher', () => {
	it('applies score, inhibitor and device filters on loose raw values', () => {
		const match = actionMatcher({ minScore: 0.5, inhibitors: ['quarantine', 'pol'], deviceIds: [11, 12] });
		expect(match(action(1, 'pending'))).toBe(true);
		expect(match(action(1, 'pending', { score: '0.5', did: '12' }))).toBe(true);
		expect(match(action(1, 'pending', { score: 0.49 }))).toBe(false);
		expect(match(action(1, 'pending', { action: 'gpol' }))).toBe(false);
		expect(match(action(1, 'pending', { did: 13 }))).toBe(false);
		expect(actionMatcher({})(action(1, 'pending', { score: 0, action: 'x', did: 999 }))).toBe(true);
	});
});

describe('triggerQuery', () => {
	it('asks narrowly for what the events need', () => {
		expect(triggerQuery(['pendingAction'], {})).toEqual({ needconfirming: true });
		expect(triggerQuery(['pendingAction', 'actionActive'], {})).toEqual({});
		expect(triggerQuery(['actionCleared'], {})).toEqual({ includecleared: true });
		expect(triggerQuery(['pendingAction'], { deviceIds: [12], fullDeviceDetails: true, includeHistory: true })).toEqual(
			{
				needconfirming: true,
				did: 12,
				fulldevicedetails: true,
				includehistory: true,
			},
		);
		expect(triggerQuery(['pendingAction'], { deviceIds: [12, 13] })).toEqual({ needconfirming: true });
	});
});

describe('pickSample', () => {
	it('returns the newest matching actions in a selected state, seen or not', () => {
		const actions = [
			action(10001, 'pending', { updated: NOW - 3000 }),
			action(10002, 'pending', { updated: String(NOW - 1000) }),
			action(10003, 'active', { updated: NOW }),
			action(10004, 'pending', { updated: NOW - 2000, did: 99 }),
		];
		const sample = pickSample(actions, ['pendingAction'], NOW, actionMatcher({ deviceIds: [11] }), 5);
		expect(sample.map((s) => s.codeid)).toEqual([10002, 10001]);
		expect(pickSample(actions, ['pendingAction'], NOW, () => true, 1).map((s) => s.codeid)).toEqual([10002]);
		expect(pickSample(actions, ['actionCleared'], NOW, () => true, 1)).toEqual([]);
	});
});
