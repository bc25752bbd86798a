import type { SimAction } from '../../simulator';
import { DAY, INPUT_ERROR, MINUTE, T0, get, useSimulator } from './client';

const sim = useSimulator({ seed: 'empty', now: T0 });

const codeids = (list: Array<{ codeid: number }>) => list.map((a) => a.codeid).sort((a, b) => a - b);

/** One action in each basic state on two devices. */
function scenario() {
	const a = sim.addDevice({ did: 11 });
	const b = sim.addDevice({ did: 12 });
	const make = (p: Partial<SimAction>) => sim.createAction({ did: a.did, ...p });
	return {
		running: make({ start: T0 - 10 * MINUTE, expires: T0 + 50 * MINUTE, pbid: 700 }),
		pending: sim.createPendingAction({ did: b.did, start: T0 - 5 * MINUTE, expires: T0 + 60 * MINUTE, pbid: 701 }),
		expiredRecently: make({ start: T0 - 13 * DAY - 10 * MINUTE, expires: T0 - 13 * DAY }),
		expiredLongAgo: make({ start: T0 - 15 * DAY - 10 * MINUTE, expires: T0 - 15 * DAY }),
		cleared: make({ did: b.did, start: T0 - 30 * MINUTE, expires: T0 + 30 * MINUTE, active: false, cleared: true }),
		lapsedPending: sim.createPendingAction({ did: b.did, start: T0 - 3 * DAY, expires: T0 - 3 * DAY + 60 * MINUTE }),
	};
}

describe('default window and filters', () => {
	it('without a window: current actions plus those expired in the last 14 days, never-activated included, cleared excluded', async () => {
		const s = scenario();
		const res = await get(sim, '/antigena');
		expect(res.status).toBe(200);
		expect(Array.isArray(res.json)).toBe(true);
		expect(codeids(res.json)).toEqual(codeids([s.running, s.pending, s.expiredRecently, s.lapsedPending]));
	});

	it('the 14-day boundary moves with the clock', async () => {
		const s = scenario();
		sim.advance(2 * DAY);
		const res = await get(sim, '/antigena');
		expect(codeids(res.json)).not.toContain(s.expiredRecently.codeid);
		expect(codeids(res.json)).toContain(s.running.codeid); // expired now, still within 14 days
	});

	it('includecleared=true adds cleared actions', async () => {
		const s = scenario();
		const res = await get(sim, '/antigena?includecleared=true');
		expect(codeids(res.json)).toContain(s.cleared.codeid);
		expect(codeids(res.json)).not.toContain(s.expiredLongAgo.codeid);
	});

	it('needconfirming=true: only pending; false: the others', async () => {
		const s = scenario();
		const pending = await get(sim, '/antigena?needconfirming=true&includecleared=true');
		expect(codeids(pending.json)).toEqual([s.pending.codeid]);
		const others = await get(sim, '/antigena?needconfirming=false');
		expect(codeids(others.json)).toEqual(codeids([s.running, s.expiredRecently, s.lapsedPending]));
	});

	it('a pending action stops being pending when it lapses', async () => {
		const s = scenario();
		sim.advance(61 * MINUTE);
		const res = await get(sim, '/antigena?needconfirming=true');
		expect(codeids(res.json)).not.toContain(s.pending.codeid);
	});

	it('did and pbid filter', async () => {
		const s = scenario();
		expect(codeids((await get(sim, '/antigena?did=12')).json)).toEqual(codeids([s.pending, s.lapsedPending]));
		expect(codeids((await get(sim, '/antigena?pbid=700')).json)).toEqual([s.running.codeid]);
		expect((await get(sim, '/antigena?did=999')).json).toEqual([]);
	});

	it('starttime/endtime select actions overlapping the window, including old ones', async () => {
		const s = scenario();
		const start = T0 - 15 * DAY - 5 * MINUTE;
		const res = await get(sim, `/antigena?starttime=${start}&endtime=${start + MINUTE}`);
		expect(codeids(res.json)).toEqual([s.expiredLongAgo.codeid]);
	});

	it('from/to (YYYY-MM-DD HH:MM:SS, UTC) select the same way', async () => {
		const s = scenario();
		const res = await get(sim, '/antigena?from=2024-01-10%2011:55:00&to=2024-01-10T11:56:00');
		expect(codeids(res.json)).toEqual(codeids([s.running, s.pending]));
	});
});

describe('shape', () => {
	beforeEach(() => sim.reset('realistic'));

	it('plain: an array of actions with every documented field', async () => {
		const res = await get(sim, '/antigena');
		expect(Array.isArray(res.json)).toBe(true);
		const fields = [
			'codeid',
			'did',
			'ip',
			'action',
			'label',
			'detail',
			'manual',
			'triggerer',
			'score',
			'pbid',
			'model',
			'modeluuid',
			'start',
			'expires',
			'updated',
			'blocked',
			'agemail',
			'aghost',
			'active',
			'cleared',
		];
		for (const action of res.json) expect(Object.keys(action)).toEqual(fields);
	});

	it('fulldevicedetails=true: {actions, devices} with full device objects', async () => {
		const res = await get(sim, '/antigena?fulldevicedetails=true');
		expect(Object.keys(res.json).sort()).toEqual(['actions', 'devices']);
		const dids = new Set(res.json.actions.map((a: SimAction) => a.did));
		expect(new Set(res.json.devices.map((d: { did: number }) => d.did))).toEqual(dids);
		const device = res.json.devices[0];
		for (const field of [
			'did',
			'ip',
			'ips',
			'sid',
			'hostname',
			'firstSeen',
			'lastSeen',
			'os',
			'typename',
			'typelabel',
			'macaddress',
			'vendor',
			'tags',
			'quarantine',
		]) {
			expect(device).toHaveProperty(field);
		}
		expect(device).not.toHaveProperty('sensorType');
	});

	it('includeconnections=true: {actions, connections} with blocked connections', async () => {
		const res = await get(sim, '/antigena?includeconnections=true');
		expect(Object.keys(res.json).sort()).toEqual(['actions', 'connections']);
		expect(res.json.connections.length).toBeGreaterThan(0);
		for (const c of res.json.connections) {
			expect(Object.keys(c).sort()).toEqual(['action', 'did', 'direction', 'ip', 'label', 'port', 'time', 'timems']);
		}
	});

	it('both flags: {actions, devices, connections}', async () => {
		const res = await get(sim, '/antigena?fulldevicedetails=true&includeconnections=true');
		expect(Object.keys(res.json).sort()).toEqual(['actions', 'connections', 'devices']);
	});

	it('includehistory=true adds history entries', async () => {
		const res = await get(sim, '/antigena?includehistory=true');
		for (const action of res.json) {
			expect(action.history.length).toBeGreaterThan(0);
			expect(Object.keys(action.history[0]).sort()).toEqual(['action', 'family', 'reason', 'time', 'username']);
		}
		const plain = await get(sim, '/antigena');
		expect(plain.json[0]).not.toHaveProperty('history');
	});

	it('responsedata on an array keeps only that key in each action', async () => {
		const res = await get(sim, '/antigena?responsedata=codeid');
		expect(res.json.length).toBeGreaterThan(0);
		for (const item of res.json) expect(Object.keys(item)).toEqual(['codeid']);
	});

	it('responsedata on the object shape keeps only that top-level field', async () => {
		const res = await get(sim, '/antigena?fulldevicedetails=true&responsedata=devices');
		expect(Object.keys(res.json)).toEqual(['devices']);
	});

	it('loose types: some expires written as floats, updated as strings, one triggerer "null", manual triggerers', async () => {
		const res = await get(sim, '/antigena?includecleared=true');
		expect(res.text).toMatch(/"expires":\d{13}\.0[,}]/);
		expect(res.text).toMatch(/"expires":\d{13}[,}]/);
		expect(res.json.some((a: SimAction) => typeof a.updated === 'string' && /^\d{13}$/.test(a.updated))).toBe(true);
		expect(res.json.some((a: SimAction) => typeof a.updated === 'number')).toBe(true);
		expect(res.json.filter((a: SimAction) => a.triggerer === 'null')).toHaveLength(1);
		const manual = res.json.filter((a: SimAction) => a.manual);
		expect(manual.length).toBeGreaterThan(0);
		for (const a of manual) {
			expect(a.triggerer).toEqual({ username: expect.any(String), reason: expect.any(String) });
			expect([a.score, a.modeluuid]).toEqual([0, '']);
		}
	});
});

describe('INPUT ERROR', () => {
	it.each([
		['a boolean that is not exactly true/false', '/antigena?includecleared=True', 'includecleared'],
		['a boolean given as 1', '/antigena?fulldevicedetails=1', 'fulldevicedetails'],
		['an empty boolean', '/antigena?needconfirming=', 'needconfirming'],
		['starttime without endtime', '/antigena?starttime=1', 'starttime'],
		['endtime without starttime', '/antigena?endtime=1', 'endtime'],
		['from without to', '/antigena?from=2020-01-10%2012:00:00', 'from'],
		['to without from', '/antigena?to=2020-01-10%2012:00:00', 'to'],
		[
			'both window forms',
			'/antigena?starttime=1&endtime=2&from=2020-01-10%2012:00:00&to=2020-01-11%2012:00:00',
			'starttime',
		],
		['a window ending before it starts', '/antigena?starttime=5&endtime=1', 'starttime'],
		['a malformed from', '/antigena?from=yesterday&to=2020-01-11%2012:00:00', 'from'],
		['a non-integer did', '/antigena?did=abc', 'did'],
		['a negative pbid', '/antigena?pbid=-3', 'pbid'],
		['a float starttime', '/antigena?starttime=1.5&endtime=2', 'starttime'],
		['an unknown parameter', '/antigena?codeid=10001', 'codeid'],
		['a repeated parameter', '/antigena?did=1&did=2', 'did'],
		['an empty responsedata', '/antigena?responsedata=', 'responsedata'],
	])('%s', async (_what, target, named) => {
		const res = await get(sim, target);
		expect(res.status).toBe(400);
		expect(res.json).toEqual(INPUT_ERROR);
		expect(res.json.error).toContain(named);
	});
});
