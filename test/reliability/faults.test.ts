/**
 * Faults injected by the simulator, for reads and writes: reads retry a bounded number of times,
 * writes are sent exactly once, every failure is a clear error, and no token leaks.
 */
import { createServer } from 'http';
import { inspect } from 'util';
import { NodeApiError } from 'n8n-workflow';

import { startSimulator, type FaultSpec, type Simulator } from '../../simulator';
import { credentialsFor, runError, runJson } from '../node/respond';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ seed: 'realistic' });
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.clearFaults();
	sim.clearRequests();
});

const summary = { resource: 'summary', operation: 'get' };
const reads = (path = '/antigena/summary') => sim.requests().filter((r) => r.path === path);
const posts = () => sim.requests().filter((r) => r.method === 'POST');

function expectNoSecret(value: unknown) {
	const text = inspect(value, { depth: 8 });
	for (const t of sim.tokens) expect(text).not.toContain(t.private);
}

describe('reads: bounded retries, then a clear error', () => {
	const transient: Array<[string, FaultSpec]> = [
		['HTTP 500 once', { kind: 'status', status: 500, times: 1 }],
		['HTTP 502 once', { kind: 'status', status: 502, times: 1 }],
		['HTTP 503 once', { kind: 'status', status: 503, times: 1 }],
		['HTTP 504 once', { kind: 'status', status: 504, times: 1 }],
		['HTTP 429 without Retry-After once', { kind: 'status', status: 429, times: 1 }],
		['connection reset once', { kind: 'reset', times: 1 }],
		['malformed JSON once', { kind: 'malformed-json', times: 1 }],
		['empty body once', { kind: 'empty-body', times: 1 }],
	];
	test.each(transient)('%s: retried, then the answer', async (_name, fault) => {
		sim.injectFault(fault);
		const [out] = await runJson(sim, summary);
		expect(out).toHaveProperty('pendingCount');
		expect(reads()).toHaveLength(2);
	});

	test('HTTP 429 with Retry-After: waits as told before the retry', async () => {
		sim.injectFault({ kind: 'status', status: 429, retryAfter: '1', times: 1 });
		await runJson(sim, summary);
		const [first, second] = reads();
		expect(second.time - first.time).toBeGreaterThanOrEqual(950);
	});

	test('HTTP 429 with a Retry-After beyond the cap: no retry, a rate-limit error', async () => {
		sim.injectFault({ kind: 'status', status: 429, retryAfter: '3600' });
		const error = await runError(sim, summary);
		expect(error.message).toMatch(/rate limiting requests \(HTTP 429\)/);
		expect(reads()).toHaveLength(1);
	});

	test('a persistent 503: three attempts, then the error names the status', async () => {
		sim.injectFault({ kind: 'status', status: 503 });
		const error = await runError(sim, summary);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('The Darktrace appliance failed on GET /antigena/summary (HTTP 503)');
		expect(reads()).toHaveLength(3);
		expectNoSecret(error);
	});

	test('latency beyond the Timeout option: the Timeout bounds the whole exchange, retries included', async () => {
		sim.injectFault({ kind: 'latency', delayMs: 1500 });
		const started = Date.now();
		const error = await runError(sim, { ...summary, options: { timeout: 1 } });
		const elapsed = Date.now() - started;
		expect(error.message).toBe('GET /antigena/summary timed out');
		expect(error.description).toMatch(/Timeout/);
		expect(elapsed).toBeGreaterThanOrEqual(950);
		expect(elapsed).toBeLessThan(2000);
		// The simulator logs a request when it answers: wait for the delayed one. No time was left to retry.
		await new Promise((r) => setTimeout(r, 1600));
		expect(reads().length).toBe(1);
	});

	test('an HTML login page with 200: not retried, says it is a login page', async () => {
		sim.injectFault({ kind: 'html-login' });
		const error = await runError(sim, summary);
		expect(error.message).toMatch(/with an HTML page instead of JSON/);
		expect(error.description).toMatch(/login page/);
		expect(reads()).toHaveLength(1);
	});

	test('a 302 to /login: not followed, says the URL or tokens are wrong', async () => {
		sim.injectFault({ kind: 'redirect-login' });
		const error = await runError(sim, summary);
		expect(error.message).toMatch(/redirected GET \/antigena\/summary to \/login \(HTTP 302\)/);
		expect(error.description).toMatch(/check the instance URL/);
		expect(sim.requests().filter((r) => r.path === '/login')).toHaveLength(0);
	});

	test('persistent malformed JSON and empty bodies: clear errors, never empty output', async () => {
		sim.injectFault({ kind: 'malformed-json' });
		expect((await runError(sim, summary)).message).toMatch(/data that is not valid JSON/);
		sim.clearFaults();
		sim.injectFault({ kind: 'empty-body' });
		expect((await runError(sim, { resource: 'action', operation: 'getMany' })).message).toMatch(/with an empty body/);
	});

	test('connection refused: a clear unreachable error', async () => {
		const server = createServer();
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		const port = (server.address() as { port: number }).port;
		await new Promise<void>((r) => server.close(() => r()));
		const error = await runError(sim, summary, {
			credentials: { ...credentialsFor(sim), url: `http://127.0.0.1:${port}` },
		});
		expect(error.message).toBe('Could not reach the Darktrace appliance for GET /antigena/summary');
		expect(error.description).toMatch(/Nothing accepts connections.*\(error code ECONNREFUSED\)/);
	});
});

describe('writes: sent once, never retried; unknown outcomes say so', () => {
	const unknown: Array<[string, FaultSpec]> = [
		['HTTP 500', { kind: 'status', status: 500, method: 'POST' }],
		['HTTP 502', { kind: 'status', status: 502, method: 'POST' }],
		['HTTP 503', { kind: 'status', status: 503, method: 'POST' }],
		['HTTP 504', { kind: 'status', status: 504, method: 'POST' }],
		['connection reset', { kind: 'reset', method: 'POST' }],
		['malformed JSON', { kind: 'malformed-json', method: 'POST' }],
		['empty body', { kind: 'empty-body', method: 'POST' }],
	];
	test.each(unknown)(
		'%s on Activate: one POST, "outcome unknown" naming the code ID and how to check',
		async (_name, fault) => {
			const pending = sim.createPendingAction();
			sim.injectFault(fault);
			const error = await runError(sim, {
				resource: 'action',
				operation: 'activate',
				codeId: pending.codeid,
				reason: 'x',
			});
			expect(error.message).toMatch(
				new RegExp(
					`^Outcome unknown: the appliance did not confirm the request to activate RESPOND action ${pending.codeid}`,
				),
			);
			expect(error.description).toMatch(new RegExp(`NOT retried.*Action > Get \\(code ID ${pending.codeid}\\)`));
			expect(posts()).toHaveLength(1);
			expectNoSecret(error);
		},
	);

	test('a write applied by the appliance but answered 502: one POST, applied, reported as unknown', async () => {
		const device = sim.devices().find((d) => d.sensorType === 'network')!;
		const before = sim.actions().length;
		sim.injectFault({ kind: 'status-after-write', status: 502, method: 'POST' });
		const error = await runError(sim, {
			resource: 'action',
			operation: 'createManual',
			did: device.did,
			inhibitor: 'quarantine',
			duration: 60,
		});
		expect(error.message).toMatch(/^Outcome unknown: .*create a manual "Quarantine device" action on device/);
		expect(error.description).toMatch(new RegExp(`Get Many \\(Device ID ${device.did}\\).*second action`));
		expect(posts()).toHaveLength(1);
		expect(sim.actions().length).toBe(before + 1);
	});

	test('latency beyond the timeout on a write: one POST, outcome unknown', async () => {
		const pending = sim.createPendingAction();
		sim.injectFault({ kind: 'latency', delayMs: 1500, method: 'POST' });
		const error = await runError(sim, {
			resource: 'action',
			operation: 'clear',
			codeId: pending.codeid,
			options: { timeout: 1 },
		});
		expect(error.message).toMatch(/^Outcome unknown: .*\(no answer within the timeout\)/);
		await new Promise((r) => setTimeout(r, 1600));
		expect(posts()).toHaveLength(1);
	});

	test('429, 302 and an HTML login page on a write: one POST, a clear (not retried) error', async () => {
		const pending = sim.createPendingAction();
		const params = { resource: 'action', operation: 'activate', codeId: pending.codeid };
		sim.injectFault({ kind: 'status', status: 429, retryAfter: '1', method: 'POST', times: 1 });
		expect((await runError(sim, params)).message).toMatch(/HTTP 429/);
		sim.injectFault({ kind: 'redirect-login', method: 'POST', times: 1 });
		expect((await runError(sim, params)).message).toMatch(/redirected POST \/antigena/);
		sim.injectFault({ kind: 'html-login', method: 'POST', times: 1 });
		expect((await runError(sim, params)).message).toMatch(/Outcome unknown/);
		expect(posts()).toHaveLength(3);
		expect(sim.action(pending.codeid)!.active).toBe(false);
	});

	test('connection refused on a write: nothing was sent, so not "unknown"', async () => {
		const server = createServer();
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		const port = (server.address() as { port: number }).port;
		await new Promise<void>((r) => server.close(() => r()));
		const error = await runError(
			sim,
			{ resource: 'action', operation: 'activate', codeId: 5 },
			{ credentials: { ...credentialsFor(sim), url: `http://127.0.0.1:${port}` } },
		);
		expect(error.message).toBe('Could not reach the Darktrace appliance for POST /antigena');
	});
});

describe('clock skew', () => {
	test("API DATE ERROR states the skew from the appliance's Date header and says to fix the clock", async () => {
		sim.setClockSkew(2 * 3600_000);
		try {
			const error = await runError(sim, summary);
			expect(error.message).toMatch(/API DATE ERROR/);
			expect(error.description).toMatch(/clock is 12\d minutes behind the appliance's/);
			expect(error.description).toMatch(/Fix the clock of the n8n host/);
		} finally {
			sim.setClockSkew(0);
		}
	});
});
