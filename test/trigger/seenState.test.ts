import type { IDataObject } from 'n8n-workflow';

import { planPoll } from '../../nodes/Darktrace/trigger/planner';
import {
	HOUR_MS,
	emptyState,
	readState,
	writeState,
	type SeenState,
} from '../../nodes/Darktrace/trigger/seenState';

const NOW = 1_700_000_000_000;
const HOUR = Math.ceil(NOW / HOUR_MS);

function written(state: SeenState): IDataObject {
	const data: IDataObject = { stale: 'x' };
	writeState(data, state);
	return JSON.parse(JSON.stringify(data)) as IDataObject;
}

describe('state format version 2', () => {
	it('round-trips every field, ascending codeids as gaps, expiries in hours after "t"', () => {
		const state: SeenState = {
			baselined: 3,
			entries: new Map([
				[10170, { bits: 2, fp: 1, sp: 46_655, exp: HOUR + 30 }],
				[10001, { bits: 1, fp: 1_679_615, sp: 1, exp: HOUR }],
				[2 ** 53 - 1, { bits: 15, fp: 0, sp: 0, exp: HOUR + 1 }],
			]),
			retired: { codeid: 900, hour: HOUR - 400 },
			skew: -2,
			jump: 7200,
		};
		const data = written(state);
		expect(data).toEqual({
			v: 2,
			b: 3,
			t: HOUR,
			e: `7pt.1zzzz0010,4p.20001zzzu,${(2 ** 53 - 1 - 10170).toString(36)}.f00000001`,
			r: [900, HOUR - 400],
			k: -2,
			j: 7200,
		});
		expect(readState(data, NOW)).toEqual(state);
	});

	it('an empty state is small and reads back', () => {
		expect(written(emptyState())).toEqual({ v: 2, b: 0, t: 0, e: '' });
		expect(readState(written(emptyState()), NOW)).toEqual(emptyState());
	});

	it('anything it did not write reads as "no state" (a new baseline, never a re-emission)', () => {
		const good = written({ ...emptyState(), baselined: 1, entries: new Map([[5, { bits: 1, fp: 3, sp: 4, exp: HOUR }]]) });
		for (const bad of [
			{},
			{ ...good, v: 3 },
			{ ...good, b: 16 },
			{ ...good, b: '1' },
			{ ...good, t: 1.5 },
			{ ...good, e: '5.10003004' }, // no expiry digit
			{ ...good, e: '5.000030040' }, // no event bit
			{ ...good, e: '5.g00030040' }, // bits beyond 15
			{ ...good, e: '5.100030040,0.100030040' }, // duplicate codeid (gap 0)
			{ ...good, e: 5 },
			{ ...good, r: [1] },
			{ ...good, k: 'x' },
		]) {
			expect(readState(bad as IDataObject, NOW)).toEqual(emptyState());
		}
	});

	it('10,000 consecutive codeids cost at most 16 bytes each', () => {
		const state = emptyState();
		for (let i = 0; i < 10_000; i++) {
			state.entries.set(100_001 + i, { bits: 3, fp: 1_000_000 + i, sp: 40_000 + i, exp: HOUR + (i % 700) });
		}
		const bytes = JSON.stringify(written(state)).length;
		expect(bytes / 10_000).toBeLessThanOrEqual(16);
	});
});

describe('state format version 1', () => {
	const v1 = { v: 1, pendingAction: '7pt,7pu', actionActive: '7pt', actionExpired: '' };

	it('migrates: events baselined, entries with the bits of each list, unknown fingerprint', () => {
		const state = readState(v1, NOW);
		expect(state.baselined).toBe(1 | 2 | 8);
		expect([...state.entries]).toEqual([
			[10001, { bits: 3, fp: 0, sp: 0, exp: HOUR }],
			[10002, { bits: 1, fp: 0, sp: 0, exp: HOUR }],
		]);
	});

	it('re-emits nothing, learns the fingerprint on first sight, then detects a rebuild', () => {
		const pending = (codeid: number, pbid: number) => ({
			codeid,
			pbid,
			active: false,
			cleared: false,
			expires: NOW + 3_600_000,
		});
		const input = {
			events: ['pendingAction', 'actionActive'] as const,
			now: NOW,
			local: NOW,
			matches: () => true,
			emitExisting: true,
		};
		const state = readState(v1, NOW);
		const first = planPoll({ ...input, events: [...input.events], previous: state, actions: [pending(10001, 1), pending(10002, 1)] });
		expect(first.emit).toEqual([]);
		expect(state.entries.get(10001)?.fp).not.toBe(0);
		const rebuilt = planPoll({ ...input, events: [...input.events], previous: state, actions: [pending(10001, 2)] });
		expect(rebuilt.emit.map((e) => e.codeid)).toEqual([10001]);
	});

	it('a malformed version 1 list reads as "no state"', () => {
		expect(readState({ v: 1, pendingAction: '7pt,' }, NOW)).toEqual(emptyState());
		expect(readState({ v: 1, pendingAction: 7 }, NOW)).toEqual(emptyState());
	});
});
