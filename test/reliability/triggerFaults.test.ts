/**
 * The trigger under every injected fault: the poll fails with a clear error, the state n8n would persist
 * is unchanged, and once the appliance recovers each missed action is emitted exactly once.
 */
import { inspect } from 'util';
import type { INodeExecutionData } from 'n8n-workflow';

import { DarktraceRespondTrigger } from '../../nodes/Darktrace/DarktraceRespondTrigger.node';
import { startSimulator, type FaultSpec, type Simulator } from '../../simulator';
import { pollHarness } from '../harness';
import { credentialsFor } from '../node/respond';
import { post } from '../simulator/client';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ seed: 'empty' });
});
afterAll(async () => await sim.stop());

const faults: Array<[string, FaultSpec, RegExp]> = [
	['latency beyond the timeout', { kind: 'latency', delayMs: 1500 }, /timed out/],
	['connection reset', { kind: 'reset' }, /Could not reach|closed/],
	['HTTP 429 with a long Retry-After', { kind: 'status', status: 429, retryAfter: '120' }, /HTTP 429/],
	['HTTP 500', { kind: 'status', status: 500 }, /HTTP 500/],
	['HTTP 502', { kind: 'status', status: 502 }, /HTTP 502/],
	['HTTP 503', { kind: 'status', status: 503 }, /HTTP 503/],
	['HTTP 504', { kind: 'status', status: 504 }, /HTTP 504/],
	['an HTML login page', { kind: 'html-login' }, /HTML page instead of JSON/],
	['a 302 to /login', { kind: 'redirect-login' }, /redirected GET \/antigena to \/login/],
	['malformed JSON', { kind: 'malformed-json' }, /not valid JSON/],
	['an empty body', { kind: 'empty-body' }, /empty body/],
];

const ids = (out: INodeExecutionData[][] | null) => (out ? out[0].map((i) => i.json.eventId) : []);

test.each(faults)('%s: the poll fails, nothing is lost or repeated after recovery', async (_name, fault, message) => {
	sim.reset('empty');
	sim.clearFaults();
	const creds = credentialsFor(sim);
	const parameters = { events: ['pendingAction', 'actionActive'], options: { timeout: 1 } };
	const type = new DarktraceRespondTrigger();
	const harness = pollHarness({ type, parameters, credentials: creds });
	expect(await harness.poll()).toBeNull(); // activation baseline
	const first = sim.createPendingAction();
	expect(ids(await harness.poll())).toEqual([`${first.codeid}:pendingAction`]);
	const persisted = JSON.parse(JSON.stringify(harness.saved));

	// While the appliance misbehaves: a new pending action, and the first one is approved.
	const missed = sim.createPendingAction();
	expect((await post(sim, '/antigena', { codeid: first.codeid, activate: true, reason: 'approved' })).status).toBe(200);
	sim.injectFault(fault);
	let error: unknown;
	try {
		await harness.poll();
	} catch (e) {
		error = e;
	}
	expect(error).toBeDefined();
	expect((error as Error).message).toMatch(message);
	expect(inspect(error, { depth: 6 })).not.toContain(creds.privateToken);
	expect(harness.saved).toEqual(persisted);

	// Recovered: after a restart from what n8n persisted, each missed event exactly once.
	sim.clearFaults();
	await new Promise((r) => setTimeout(r, fault.kind === 'latency' ? 1600 : 0));
	const restarted = pollHarness({ type, parameters, credentials: creds }, harness.saved);
	expect(ids(await restarted.poll()).sort()).toEqual(
		[`${first.codeid}:actionActive`, `${missed.codeid}:pendingAction`].sort(),
	);
	expect(await restarted.poll()).toBeNull();
});

test('a partial answer (an appliance glitch): the new action it carries once, nothing seen before again', async () => {
	sim.reset('empty');
	sim.clearFaults();
	const creds = credentialsFor(sim);
	const parameters = { events: ['pendingAction', 'actionActive'] };
	const type = new DarktraceRespondTrigger();
	const seen = Array.from({ length: 5 }, () => sim.createPendingAction());
	const harness = pollHarness({ type, parameters, credentials: creds });
	expect(await harness.poll()).toBeNull(); // activation baseline
	expect((await post(sim, '/antigena', { codeid: seen[0].codeid, activate: true })).status).toBe(200);
	const fresh = sim.createPendingAction();
	sim.injectFault({ kind: 'partial', keepNewest: 1, times: 1 });
	expect(ids(await harness.poll())).toEqual([`${fresh.codeid}:pendingAction`]);
	// The full list again, then after a restart: only what the glitch hid and had changed.
	expect(ids(await harness.poll())).toEqual([`${seen[0].codeid}:actionActive`]);
	const restarted = pollHarness({ type, parameters, credentials: creds }, harness.saved);
	expect(await restarted.poll('trigger', 'init')).toBeNull();
});
