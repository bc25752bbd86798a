/**
 * The Timeout option is one deadline for the whole exchange: connecting, the answer's headers and its
 * whole body. An answer that trickles (a byte every 150 ms) or never ends fails within Timeout + 1 s, for
 * a read, a write and the trigger's poll.
 */
import { DarktraceRespondTrigger } from '../../nodes/Darktrace/DarktraceRespondTrigger.node';
import { startSimulator, type FaultSpec, type Simulator } from '../../simulator';
import { pollHarness } from '../harness';
import { credentialsFor, runError } from '../node/respond';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ seed: 'realistic' });
	// A body large enough that a byte every 150 ms takes minutes.
	sim.generateLargeDataset(200);
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.clearFaults();
	sim.clearRequests();
});

const TIMEOUT_S = 2;
const BODIES: Array<[string, FaultSpec]> = [
	['a body that trickles a byte every 150 ms', { kind: 'slow-body', intervalMs: 150 }],
	['a body that never ends', { kind: 'endless-body', intervalMs: 150 }],
];

/** Runs `fn`, returns the error it throws and how long it took. */
async function timed(fn: () => Promise<unknown>): Promise<{ error: Error & { description?: string }; ms: number }> {
	const started = Date.now();
	try {
		await fn();
	} catch (error) {
		return { error: error as Error & { description?: string }, ms: Date.now() - started };
	}
	throw new Error('expected a timeout error');
}

describe.each(BODIES)('%s', (_name, fault) => {
	test('a read (Get Many) ends within Timeout + 1 s with a timeout error, retries included', async () => {
		sim.injectFault({ ...fault, method: 'GET', path: '/antigena' });
		const { error, ms } = await timed(() =>
			runError(sim, {
				resource: 'action',
				operation: 'getMany',
				returnAll: true,
				options: { timeout: TIMEOUT_S },
			}).then((e) => Promise.reject(e)),
		);
		expect(error.message).toBe('GET /antigena timed out');
		expect(ms).toBeLessThan((TIMEOUT_S + 1) * 1000);
		expect(ms).toBeGreaterThanOrEqual(TIMEOUT_S * 1000 - 50);
	});

	test('a write (Activate, applied, answer trickling) ends within Timeout + 1 s as "Outcome unknown", sent once', async () => {
		const pending = sim.createPendingAction();
		sim.injectFault({ ...fault, method: 'POST', afterWrite: true });
		const { error, ms } = await timed(() =>
			runError(sim, {
				resource: 'action',
				operation: 'activate',
				codeId: pending.codeid,
				reason: 'deadline',
				options: { timeout: TIMEOUT_S },
			}).then((e) => Promise.reject(e)),
		);
		expect(error.message).toMatch(/^Outcome unknown: .*no answer within the timeout/);
		expect(ms).toBeLessThan((TIMEOUT_S + 1) * 1000);
		expect(sim.requests().filter((r) => r.method === 'POST')).toHaveLength(1);
		expect(sim.action(pending.codeid)?.active).toBe(true);
	});

	test("the trigger's poll ends within Timeout + 1 s with a timeout error", async () => {
		sim.injectFault({ ...fault, method: 'GET', path: '/antigena' });
		const harness = pollHarness({
			type: new DarktraceRespondTrigger(),
			parameters: { events: ['pendingAction'], options: { timeout: TIMEOUT_S } },
			credentials: credentialsFor(sim),
		});
		const { error, ms } = await timed(() => harness.poll());
		expect(error.message).toMatch(/timed out/);
		expect(ms).toBeLessThan((TIMEOUT_S + 1) * 1000);
	});
});
