import { startSimulator } from '../../simulator';
import { MINUTE, control, get, post, raw, useSimulator } from './client';

const sim = useSimulator({ controlPort: 0 });

describe('control server', () => {
	it('runs on its own loopback port', () => {
		expect(sim.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(sim.controlUrl).not.toBe(sim.url);
	});

	it('is off unless asked for', async () => {
		const plain = await startSimulator({ seed: 'empty' });
		expect(plain.controlUrl).toBeUndefined();
		await plain.stop();
	});

	it('GET /state: clock, audit mode, devices, actions, faults and public tokens only', async () => {
		const res = await control(sim, 'GET', '/state');
		expect(res.status).toBe(200);
		expect(res.json.actions).toHaveLength(sim.actions().length);
		expect(res.json.devices).toHaveLength(sim.devices().length);
		expect(Math.abs(res.json.now - sim.now())).toBeLessThan(1000);
		expect(res.json.tokens.map((t: { role: string }) => t.role)).toEqual(['respond', 'readonly', 'none']);
		for (const token of sim.tokens) expect(res.text).not.toContain(token.private);
	});

	it('POST /clock/advance lets time pass (the clock moves, stored times stay), /clock/set sets the clock', async () => {
		const before = sim.now();
		const [first] = sim.actions();
		const res = await control(sim, 'POST', '/clock/advance', { ms: 10 * MINUTE });
		expect(Math.abs(res.json.now - before - 10 * MINUTE)).toBeLessThan(MINUTE);
		expect(sim.action(first.codeid)!.expires).toBe(first.expires);
		expect(sim.action(first.codeid)!.start).toBe(first.start);
		await control(sim, 'POST', '/clock/set', { ms: Date.UTC(2024, 0, 1) });
		expect(Math.abs(sim.now() - Date.UTC(2024, 0, 1))).toBeLessThan(1000);
		sim.setNow(Date.now());
	});

	it('POST /audit switches audit mode', async () => {
		await control(sim, 'POST', '/audit', { on: true });
		const res = await post(sim, '/antigena', { codeid: 10001, clear: true });
		expect(res.json.error).toMatch(/reason/i);
		expect((await control(sim, 'GET', '/state')).json.auditMode).toBe(true);
	});

	it('POST /strict switches request linting', async () => {
		await control(sim, 'POST', '/strict', { on: false });
		expect((await get(sim, '/antigena?verbose=1')).status).toBe(200);
		expect((await control(sim, 'GET', '/state')).json.strict).toBe(false);
		await control(sim, 'POST', '/strict', { on: true });
		expect((await get(sim, '/antigena?verbose=1')).status).toBe(400);
		expect(sim.requests().at(-1)?.lint).toBe('Unknown parameter verbose');
		expect((await control(sim, 'POST', '/strict', { on: 'yes' })).status).toBe(400);
	});

	it('GET /breaches and POST /breaches/style', async () => {
		const res = await control(sim, 'GET', '/breaches');
		expect(res.json).toEqual(sim.breaches());
		const { pbid } = sim.breaches().find((b) => !b.asList)!;
		await control(sim, 'POST', '/breaches/style', { form: 'list' });
		expect((await get(sim, `/modelbreaches?pbid=${pbid}`)).json).toHaveLength(1);
		expect((await control(sim, 'POST', '/breaches/style', { form: 'tuple' })).status).toBe(400);
	});

	it('POST /faults and DELETE /faults', async () => {
		expect((await control(sim, 'POST', '/faults', { kind: 'status', status: 503, path: '/antigena' })).status).toBe(
			200,
		);
		expect((await get(sim, '/antigena')).status).toBe(503);
		expect((await control(sim, 'GET', '/state')).json.faults).toEqual([
			{ kind: 'status', status: 503, path: '/antigena' },
		]);
		await control(sim, 'DELETE', '/faults');
		expect((await get(sim, '/antigena')).status).toBe(200);
	});

	it('POST /faults rejects an invalid fault', async () => {
		const res = await control(sim, 'POST', '/faults', { kind: 'nope' });
		expect(res.status).toBe(400);
		expect(res.json.error).toMatch(/Invalid fault/);
	});

	it('POST /actions/pending creates a pending action visible over the API', async () => {
		const res = await control(sim, 'POST', '/actions/pending', { did: 102, action: 'quarantine' });
		expect(res.json).toMatchObject({ did: 102, needconfirming: true, active: false });
		const pending = await get(sim, '/antigena?needconfirming=true&did=102');
		expect(pending.json.map((a: { codeid: number }) => a.codeid)).toContain(res.json.codeid);
	});

	it('POST /actions/pending on an unknown device is a 400', async () => {
		const res = await control(sim, 'POST', '/actions/pending', { did: 99999 });
		expect(res.status).toBe(400);
	});

	it('POST /devices and POST /reset {seed: empty}', async () => {
		await control(sim, 'POST', '/reset', { seed: 'empty' });
		const device = await control(sim, 'POST', '/devices', { hostname: 'x.example' });
		expect(device.json).toMatchObject({ did: 1, hostname: 'x.example' });
		expect(sim.actions()).toEqual([]);
		expect((await control(sim, 'POST', '/reset', { seed: 'bogus' })).status).toBe(400);
	});

	it('GET /requests and DELETE /requests expose the API request log', async () => {
		await get(sim, '/antigena?did=101');
		const log = await control(sim, 'GET', '/requests');
		expect(log.json).toEqual([
			expect.objectContaining({ method: 'GET', target: '/antigena?did=101', query: { did: '101' }, status: 200 }),
		]);
		await control(sim, 'DELETE', '/requests');
		expect(sim.requests()).toEqual([]);
	});

	it('never serves Darktrace API paths; the API never serves control paths', async () => {
		const count = sim.actions().length;
		for (const path of ['/antigena', '/antigena/summary'])
			expect((await raw(sim.controlUrl as string, path)).status).toBe(404);
		expect((await control(sim, 'POST', '/antigena/manual', { did: 101, action: 'pol', duration: 1 })).status).toBe(404);
		expect(sim.actions()).toHaveLength(count);
		for (const path of ['/state', '/requests']) expect((await get(sim, path)).status).toBe(404);
		const before = sim.now();
		expect((await post(sim, '/clock/advance', { ms: 60 * MINUTE })).status).toBe(404);
		expect(sim.now() - before).toBeLessThan(MINUTE);
	});

	it('control requests are not recorded in the API request log', async () => {
		await control(sim, 'GET', '/state');
		expect(sim.requests()).toEqual([]);
	});
});
