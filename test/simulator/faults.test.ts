import { startSimulator, type FaultSpec } from '../../simulator';
import { get, open, post, raw, until, useSimulator } from './client';

describe.each([
	['http', false],
	['https', true],
])('fault injection over %s', (_scheme, https) => {
	const sim = useSimulator({ https });
	const lastRecorded = () => sim.requests().at(-1);
	const manual = { did: 101, action: 'quarantine', duration: 60 };

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

	it('latency (before the write): a client that gives up first drops the request, nothing written', async () => {
		sim.injectFault({ kind: 'latency', delayMs: 60_000, method: 'POST', times: 1 });
		const count = sim.actions().length;
		await expect(post(sim, '/antigena/manual', manual, { timeoutMs: 300 })).rejects.toThrow('client timeout');
		await until(() => sim.requests().length === 1);
		expect(lastRecorded()).toMatchObject({ status: 0, isWrite: false, path: '/antigena/manual' });
		expect(sim.actions()).toHaveLength(count);
		expect(sim.activeTimers()).toBe(0);
	});

	it('latency afterWrite: the write is applied first, then the answer is delayed', async () => {
		sim.injectFault({ kind: 'latency', delayMs: 60_000, afterWrite: true, method: 'POST', times: 1 });
		const count = sim.actions().length;
		let settled = false;
		const pending = post(sim, '/antigena/manual', manual, { timeoutMs: 1_000 }).finally(() => (settled = true));
		pending.catch(() => undefined);
		await until(() => sim.actions().length === count + 1);
		expect(settled).toBe(false);
		expect(sim.actions().at(-1)).toMatchObject({ did: 101, action: 'quarantine', manual: true });
		await expect(pending).rejects.toThrow('client timeout');
		await until(() => sim.requests().length === 1);
		expect(lastRecorded()).toMatchObject({ status: 0, isWrite: true });
		expect(sim.activeTimers()).toBe(0);
	});

	it('latency afterWrite answers the real outcome once the delay is over', async () => {
		sim.injectFault({ kind: 'latency', delayMs: 100, afterWrite: true, times: 1 });
		const res = await post(sim, '/antigena/manual', manual);
		expect([res.status, res.json]).toEqual([200, { codeid: sim.actions().at(-1)?.codeid }]);
		expect(lastRecorded()).toMatchObject({ status: 200, isWrite: true });
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
		const res = await post(sim, '/antigena/manual', manual);
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
		expect(lastRecorded()).toMatchObject({ status: 0, path: '/antigena', isWrite: false });
		expect((await get(sim, '/antigena')).status).toBe(200);
	});

	it('reset (before the write) on a POST writes nothing', async () => {
		sim.injectFault({ kind: 'reset', method: 'POST', times: 1 });
		const count = sim.actions().length;
		await expect(post(sim, '/antigena/manual', manual)).rejects.toThrow();
		expect(sim.actions()).toHaveLength(count);
		expect(lastRecorded()).toMatchObject({ status: 0, isWrite: false });
	});

	it('reset afterWrite applies the write, then drops the connection', async () => {
		sim.injectFault({ kind: 'reset', afterWrite: true, method: 'POST', path: '/antigena', times: 1 });
		await expect(post(sim, '/antigena', { codeid: 10001, activate: true })).rejects.toThrow();
		expect(sim.action(10001)).toMatchObject({ active: true, needconfirming: false });
		expect(lastRecorded()).toMatchObject({ status: 0, isWrite: true, path: '/antigena' });
		expect((await get(sim, '/antigena/summary')).status).toBe(200);
	});

	it('slow-body: status and headers at once, then the real answer a byte at a time', async () => {
		const full = (await get(sim, '/antigena/summary')).text;
		sim.injectFault({ kind: 'slow-body', intervalMs: 5, times: 1 });
		const res = await open(sim, 'GET', '/antigena/summary');
		expect([res.status, res.headers['content-length']]).toEqual([200, String(Buffer.byteLength(full))]);
		expect(res.received().length).toBeLessThan(full.length);
		expect(await res.ended).toBe(full);
		expect(lastRecorded()).toMatchObject({ status: 200, path: '/antigena/summary' });
	});

	it('slow-body afterWrite on a POST: the write is applied before the slow answer ends', async () => {
		sim.injectFault({ kind: 'slow-body', intervalMs: 50, afterWrite: true, times: 1 });
		const count = sim.actions().length;
		const res = await open(sim, 'POST', '/antigena/manual', manual);
		expect(res.status).toBe(200);
		expect(sim.actions()).toHaveLength(count + 1);
		expect(res.received().length).toBeLessThan(5);
		expect(JSON.parse(await res.ended)).toEqual({ codeid: sim.actions().at(-1)?.codeid });
		expect(lastRecorded()).toMatchObject({ status: 200, isWrite: true });
	});

	it('slow-body without afterWrite on a POST: nothing written, a slow gateway error', async () => {
		sim.injectFault({ kind: 'slow-body', intervalMs: 1, times: 1 });
		const count = sim.actions().length;
		const res = await open(sim, 'POST', '/antigena/manual', manual);
		expect(res.status).toBe(502);
		expect(await res.ended).toContain('502 Bad Gateway');
		expect(sim.actions()).toHaveLength(count);
		expect(lastRecorded()).toMatchObject({ status: 502, isWrite: false });
	});

	it('slow-body stops, with no timer left, when the client goes away', async () => {
		sim.injectFault({ kind: 'slow-body', intervalMs: 20, times: 1 });
		const res = await open(sim, 'GET', '/antigena');
		await res.bytes(3);
		res.close();
		await until(() => sim.activeTimers() === 0);
		expect(sim.activeTimers()).toBe(0);
	});

	it('endless-body: headers at once, the real answer, then whitespace that never ends', async () => {
		const full = (await get(sim, '/antigena/summary')).text;
		sim.injectFault({ kind: 'endless-body', intervalMs: 2, times: 1 });
		const res = await open(sim, 'GET', '/antigena/summary');
		expect(res.status).toBe(200);
		expect(res.headers['content-length']).toBeUndefined();
		expect(res.headers['transfer-encoding']).toBe('chunked');
		const got = await res.bytes(full.length + 10);
		expect(got.startsWith(full)).toBe(true);
		expect(got.slice(full.length).trim()).toBe('');
		expect(JSON.parse(got)).toEqual(JSON.parse(full));
		expect(sim.activeTimers()).toBe(1);
		res.close();
		await until(() => sim.activeTimers() === 0);
	});

	it('endless-body afterWrite on a POST applies the write', async () => {
		sim.injectFault({ kind: 'endless-body', intervalMs: 20, afterWrite: true, method: 'POST', times: 1 });
		const res = await open(sim, 'POST', '/antigena', { codeid: 10001, clear: true });
		expect(res.status).toBe(200);
		expect(sim.action(10001)?.cleared).toBe(true);
		expect(lastRecorded()).toMatchObject({ status: 200, isWrite: true });
		res.close();
		await until(() => sim.activeTimers() === 0);
	});

	it('stop() ends promptly while an endless body is being sent', async () => {
		const own = await startSimulator({ seed: 'realistic', https });
		own.injectFault({ kind: 'endless-body', intervalMs: 50 });
		const res = await open(own, 'GET', '/antigena');
		await res.bytes(1);
		await own.stop();
		expect(own.activeTimers()).toBe(0);
		await expect(res.ended).rejects.toThrow();
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
		const res = await raw(sim.url, '/antigena', { ca: sim.caCert });
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
});

describe('fault validation', () => {
	const sim = useSimulator({ seed: 'empty' });

	it.each<[string, unknown]>([
		['an unknown kind', { kind: 'explode' }],
		['status without a status', { kind: 'status' }],
		['latency without delayMs', { kind: 'latency' }],
		['a bad method', { kind: 'empty-body', method: 'PUT' }],
		['a path without /', { kind: 'empty-body', path: 'antigena' }],
		['times 0', { kind: 'empty-body', times: 0 }],
		['afterWrite on a kind that answers in place', { kind: 'status', status: 500, afterWrite: true }],
		['afterWrite not a boolean', { kind: 'reset', afterWrite: 'yes' }],
		['intervalMs 0', { kind: 'slow-body', intervalMs: 0 }],
	])('rejects %s', (_what, spec) => {
		expect(() => sim.injectFault(spec as FaultSpec)).toThrow(/Invalid fault/);
	});
});
