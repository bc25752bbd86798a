import type { SimInhibitor } from '../../simulator';
import { INPUT_ERROR, SECOND, get, post, useSimulator } from './client';

const sim = useSimulator({ seed: 'empty' }, (s) => {
	s.addDevice({ did: 12, ip: '10.10.10.10' });
	s.addDevice({ did: 40, typename: 'Client Sensor' });
});

const INHIBITORS: Array<[SimInhibitor, string]> = [
	['connection', 'Block matching connections'],
	['pol', 'Enforce pattern of life'],
	['gpol', 'Enforce group pattern of life'],
	['quarantine', 'Quarantine device'],
	['quarantineOutgoing', 'Block all outgoing traffic'],
	['quarantineIncoming', 'Block all incoming traffic'],
];
const CONNECTIONS = [
	{ src: '10.10.10.10', dst: '8.8.8.8' },
	{ src: '10.10.10.10', dst: 'example.com', port: 443 },
];
const bodyFor = (did: number, action: SimInhibitor) => ({
	did,
	action,
	duration: 120,
	reason: 'manual test',
	...(action === 'connection' ? { connections: CONNECTIONS } : {}),
});

describe('POST /antigena/manual', () => {
	it.each(INHIBITORS)('creates an active manual %s action', async (action, label) => {
		const res = await post(sim, '/antigena/manual', bodyFor(12, action));
		expect(res.status).toBe(200);
		expect(Object.keys(res.json)).toEqual(['codeid']);
		const created = sim.action(res.json.codeid);
		expect(created).toMatchObject({
			did: 12,
			ip: '10.10.10.10',
			action,
			label,
			manual: true,
			active: true,
			cleared: false,
			score: 0,
			modeluuid: '',
			triggerer: { username: 'soc-respond', reason: 'manual test' },
		});
		expect(Math.round(((created?.expires ?? 0) - sim.now()) / SECOND)).toBe(120);
		expect(created?.history).toEqual([
			expect.objectContaining({ action: 'created', username: 'soc-respond', reason: 'manual test' }),
		]);
		const listed = await get(sim, '/antigena?needconfirming=false');
		expect(listed.json.map((a: { codeid: number }) => a.codeid)).toContain(res.json.codeid);
	});

	it('stores the connections of a connection action', async () => {
		const res = await post(sim, '/antigena/manual', bodyFor(12, 'connection'));
		expect(sim.action(res.json.codeid)?.connections).toEqual(CONNECTIONS);
	});

	it('each creation gets a new codeid', async () => {
		const a = await post(sim, '/antigena/manual', bodyFor(12, 'quarantine'));
		const b = await post(sim, '/antigena/manual', bodyFor(12, 'quarantine'));
		expect(b.json.codeid).toBeGreaterThan(a.json.codeid);
		expect(sim.actions()).toHaveLength(2);
	});

	describe('client sensor device', () => {
		it.each(['pol', 'gpol', 'quarantineOutgoing'] as SimInhibitor[])('rejects %s with 400', async (action) => {
			const res = await post(sim, '/antigena/manual', bodyFor(40, action));
			expect([res.status, res.json]).toEqual([400, INPUT_ERROR]);
			expect(res.json.error).toContain(action);
			expect(sim.actions()).toEqual([]);
		});

		it.each(['connection', 'quarantine', 'quarantineIncoming'] as SimInhibitor[])('accepts %s', async (action) => {
			const res = await post(sim, '/antigena/manual', bodyFor(40, action));
			expect(res.status).toBe(200);
			expect(sim.action(res.json.codeid)?.did).toBe(40);
		});
	});

	it.each([
		['connection without connections', { did: 12, action: 'connection', duration: 60 }, 'connections'],
		['connection with an empty list', { did: 12, action: 'connection', duration: 60, connections: [] }, 'connections'],
		[
			'connections on another action',
			{ did: 12, action: 'quarantine', duration: 60, connections: CONNECTIONS },
			'connections',
		],
		['a src without dst', { did: 12, action: 'connection', duration: 60, connections: [{ src: '1.1.1.1' }] }, 'dst'],
		['a dst without src', { did: 12, action: 'connection', duration: 60, connections: [{ dst: '1.1.1.1' }] }, 'src'],
		[
			'a string port',
			{ did: 12, action: 'connection', duration: 60, connections: [{ src: 'a', dst: 'b', port: '443' }] },
			'port',
		],
		[
			'a port out of range',
			{ did: 12, action: 'connection', duration: 60, connections: [{ src: 'a', dst: 'b', port: 70000 }] },
			'port',
		],
		[
			'an unknown key in a connection',
			{ did: 12, action: 'connection', duration: 60, connections: [{ src: 'a', dst: 'b', proto: 'tcp' }] },
			'proto',
		],
		[
			'a connection that is not an object',
			{ did: 12, action: 'connection', duration: 60, connections: ['a->b'] },
			'connections[0]',
		],
		['an unknown action', { did: 12, action: 'isolate', duration: 60 }, 'action'],
		['an unknown device', { did: 999, action: 'quarantine', duration: 60 }, '999'],
		['a missing did', { action: 'quarantine', duration: 60 }, 'did'],
		['a missing duration', { did: 12, action: 'quarantine' }, 'duration'],
		['a negative duration', { did: 12, action: 'quarantine', duration: -5 }, 'duration'],
		['an unknown field', { did: 12, action: 'quarantine', duration: 60, expires: 5 }, 'expires'],
	])('%s is an INPUT ERROR', async (_what, body, named) => {
		const res = await post(sim, '/antigena/manual', body);
		expect([res.status, res.json]).toEqual([400, INPUT_ERROR]);
		expect(res.json.error).toContain(named);
		expect(sim.actions()).toEqual([]);
	});
});
