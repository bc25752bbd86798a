import { INPUT_ERROR, MINUTE, T0, get, post, useSimulator } from './client';

const sim = useSimulator({ seed: 'empty', now: T0 }, (s) => {
	for (const did of [1, 2, 3, 4]) s.addDevice({ did });
	s.createPendingAction({ did: 1, start: T0 - MINUTE, expires: T0 + 30 * MINUTE });
	s.createPendingAction({ did: 1, start: T0 - MINUTE, expires: T0 + 30 * MINUTE });
	s.createAction({ did: 2, start: T0 - 10 * MINUTE, expires: T0 + 10 * MINUTE });
	s.createAction({ did: 3, start: T0 - 10 * MINUTE, expires: T0 + 20 * MINUTE });
	s.createAction({ did: 3, start: T0 - 10 * MINUTE, expires: T0 + 20 * MINUTE });
	s.createAction({ did: 4, start: T0 - 120 * MINUTE, expires: T0 - 60 * MINUTE }); // expired
});

describe('GET /antigena/summary', () => {
	it('without a window: live pending and active counts and devices', async () => {
		const res = await get(sim, '/antigena/summary');
		expect(res.json).toEqual({
			pendingCount: 2,
			activeCount: 3,
			pendingActionDevices: [1],
			activeActionDevices: [2, 3],
		});
	});

	it('follows state changes made over the API', async () => {
		await post(sim, '/antigena', { codeid: 10001, activate: true });
		const res = await get(sim, '/antigena/summary');
		expect(res.json).toEqual({
			pendingCount: 1,
			activeCount: 4,
			pendingActionDevices: [1],
			activeActionDevices: [1, 2, 3],
		});
	});

	it('with a window: no pending information, active = active at any time in the window', async () => {
		const res = await get(sim, `/antigena/summary?starttime=${T0 - 90 * MINUTE}&endtime=${T0 - 70 * MINUTE}`);
		expect(res.json).toEqual({ pendingCount: 0, activeCount: 1, pendingActionDevices: [], activeActionDevices: [4] });
		const now = await get(sim, `/antigena/summary?starttime=${T0 - 5 * MINUTE}&endtime=${T0}`);
		expect(now.json).toEqual({
			pendingCount: 0,
			activeCount: 3,
			pendingActionDevices: [],
			activeActionDevices: [2, 3],
		});
	});

	it('a cleared action counts in a window only until it was cleared', async () => {
		await post(sim, '/antigena', { codeid: 10003, clear: true });
		sim.advance(5 * MINUTE);
		const before = await get(sim, `/antigena/summary?starttime=${T0 - 5 * MINUTE}&endtime=${T0 - MINUTE}`);
		expect(before.json.activeActionDevices).toEqual([2, 3]);
		const after = await get(sim, `/antigena/summary?starttime=${T0 + MINUTE}&endtime=${T0 + 2 * MINUTE}`);
		expect(after.json.activeActionDevices).toEqual([3]);
	});

	it('an action active during the window still counts there after it is cleared later', async () => {
		const window = `/antigena/summary?starttime=${T0 - 5 * MINUTE}&endtime=${T0 - MINUTE}`;
		const before = await get(sim, window);
		expect(before.json).toEqual({ pendingCount: 0, activeCount: 3, pendingActionDevices: [], activeActionDevices: [2, 3] });
		sim.advance(2 * MINUTE); // the clear happens after the window...
		expect((await post(sim, '/antigena', { codeid: 10003, clear: true })).status).toBe(200);
		// ...and advance() aged the stored state by 2 minutes: the same window is now 2 minutes earlier
		const same = `/antigena/summary?starttime=${T0 - 7 * MINUTE}&endtime=${T0 - 3 * MINUTE}`;
		expect((await get(sim, same)).json).toEqual(before.json);
		const live = await get(sim, '/antigena/summary');
		expect([live.json.activeCount, live.json.activeActionDevices]).toEqual([2, [3]]);
	});

	it('responsedata restricts to one field', async () => {
		expect((await get(sim, '/antigena/summary?responsedata=pendingCount')).json).toEqual({ pendingCount: 2 });
	});

	it.each([
		['/antigena/summary?starttime=1', 'starttime'],
		['/antigena/summary?endtime=1', 'endtime'],
		['/antigena/summary?includecleared=true', 'includecleared'],
		['/antigena/summary?starttime=x&endtime=1', 'starttime'],
	])('%s is an INPUT ERROR', async (target, named) => {
		const res = await get(sim, target);
		expect([res.status, res.json]).toEqual([400, INPUT_ERROR]);
		expect(res.json.error).toContain(named);
	});
});
