import type { FaultSpec } from '../../simulator';
import { get, post, raw, useSimulator } from './client';

const sim = useSimulator();

const lastRecorded = () => sim.requests().at(-1);

describe('fault injection', () => {
	it('latency delays the request, which is then processed normally', async () => {
		sim.injectFault({ kind: 'latency', delayMs: 400, times: 1 });
		const started = Date.now();
		const res = await get(sim, '/antigena/summary');
		expect(Date.now() - started).toBeGreaterThanOrEqual(390);
		expect(res.status).toBe(200);
		const again = Date.now();
		await get(sim, '/antigena/summary');
		expect(Date.now() - again).toBeLessThan(300);
	});

	it.each([429, 500, 502, 503, 504, 403])('status %i answers that status without processing', async (status) => {
		sim.injectFault({ kind: 'status', status, times: 1 });
		const before = sim.actions();
		const res = await post(sim, '/antigena', { codeid: 10001, activate: true });
		expect(res.status).toBe(status);
		expect(sim.actions()).toEqual(before);
		expect(lastRecorded()).toMatchObject({ status, isWrite: false, authOk: true });
	});

	it('status with Retry-After and a custom body', async () => {
		sim.injectFault({ kind: 'status', status: 429, retryAfter: '7', body: '{"error":"slow down"}' });
		const res = await get(sim, '/antigena');
		expect([res.status, res.headers['retry-after'], res.json]).toEqual([429, '7', { error: 'slow down' }]);
	});

	it('a 5xx without a body is an HTML gateway page', async () => {
		sim.injectFault({ kind: 'status', status: 502 });
		const res = await get(sim, '/antigena');
		expect(res.headers['content-type']).toMatch(/text\/html/);
		expect(res.text).toContain('502 Bad Gateway');
	});

	it('status-after-write applies the write, then answers the status', async () => {
		sim.injectFault({ kind: 'status-after-write', status: 502, method: 'POST', path: '/antigena/manual', times: 1 });
		const count = sim.actions().length;
		const res = await post(sim, '/antigena/manual', { did: 101, action: 'quarantine', duration: 60 });
		expect(res.status).toBe(502);
		expect(sim.actions()).toHaveLength(count + 1);
		expect(lastRecorded()).toMatchObject({ status: 502, isWrite: true, path: '/antigena/manual' });
	});

	it('status-after-write on a failing request writes nothing', async () => {
		sim.injectFault({ kind: 'status-after-write', status: 504 });
		const res = await post(sim, '/antigena', { codeid: 999 });
		expect(res.status).toBe(504);
		expect(lastRecorded()).toMatchObject({ status: 504, isWrite: false });
	});

	it('reset drops the connection mid-response and is recorded with status 0', async () => {
		sim.injectFault({ kind: 'reset', times: 1 });
		await expect(get(sim, '/antigena')).rejects.toThrow();
		expect(lastRecorded()).toMatchObject({ status: 0, path: '/antigena' });
		expect((await get(sim, '/antigena')).status).toBe(200);
	});

	it('html-login answers 200 with an HTML login page', async () => {
		sim.injectFault({ kind: 'html-login' });
		const res = await get(sim, '/antigena');
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toMatch(/text\/html/);
		expect(res.text).toMatch(/<form[^>]*login/i);
		expect(res.json).toBeUndefined();
	});

	it('redirect-login answers 302 to /login', async () => {
		sim.injectFault({ kind: 'redirect-login' });
		const res = await get(sim, '/antigena');
		expect([res.status, res.headers.location]).toEqual([302, '/login']);
	});

	it('malformed-json answers 200 with truncated JSON', async () => {
		sim.injectFault({ kind: 'malformed-json' });
		const res = await get(sim, '/antigena');
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toMatch(/json/);
		expect(res.text.length).toBeGreaterThan(0);
		expect(() => JSON.parse(res.text)).toThrow();
	});

	it('empty-body answers 200 with nothing', async () => {
		sim.injectFault({ kind: 'empty-body' });
		const res = await get(sim, '/antigena');
		expect([res.status, res.text]).toEqual([200, '']);
	});

	it('faults apply before authentication (a gateway answers first)', async () => {
		sim.injectFault({ kind: 'status', status: 503 });
		const res = await raw(sim.url, '/antigena');
		expect(res.status).toBe(503);
		expect(lastRecorded()).toMatchObject({ authOk: false, status: 503 });
	});

	it('method and path must match; times counts down', async () => {
		sim.injectFault({ kind: 'status', status: 500, method: 'POST', path: '/antigena', times: 2 });
		expect((await get(sim, '/antigena')).status).toBe(200);
		expect((await post(sim, '/antigena/manual', { did: 101, action: 'pol', duration: 60 })).status).toBe(200);
		expect((await post(sim, '/antigena', { codeid: 10001, clear: true })).status).toBe(500);
		expect((await post(sim, '/antigena', { codeid: 10001, clear: true })).status).toBe(500);
		expect((await post(sim, '/antigena', { codeid: 10001, clear: true })).status).toBe(200);
	});

	it('latency combines with a following fault', async () => {
		sim.injectFault({ kind: 'latency', delayMs: 150, times: 1 });
		sim.injectFault({ kind: 'status', status: 503, times: 1 });
		const started = Date.now();
		expect((await get(sim, '/antigena')).status).toBe(503);
		expect(Date.now() - started).toBeGreaterThanOrEqual(130);
	});

	it('clearFaults removes every fault', async () => {
		sim.injectFault({ kind: 'status', status: 500 });
		sim.clearFaults();
		expect((await get(sim, '/antigena')).status).toBe(200);
	});

	it.each<[string, unknown]>([
		['an unknown kind', { kind: 'explode' }],
		['status without a status', { kind: 'status' }],
		['latency without delayMs', { kind: 'latency' }],
		['a bad method', { kind: 'empty-body', method: 'PUT' }],
		['a path without /', { kind: 'empty-body', path: 'antigena' }],
		['times 0', { kind: 'empty-body', times: 0 }],
	])('rejects %s', (_what, spec) => {
		expect(() => sim.injectFault(spec as FaultSpec)).toThrow(/Invalid fault/);
	});
});
