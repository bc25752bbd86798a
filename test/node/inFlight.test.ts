/**
 * How many of an execution's items are on the wire at once when Max Requests in Flight is not set:
 * reads READS_IN_FLIGHT at a time (as n8n's HTTP Request node sends items at once), writes one after
 * another. Seen from the simulator: arrival times of requests it holds back by a fixed latency.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { READS_IN_FLIGHT } from '../../nodes/Darktrace/actions/common.descriptions';
import { startSimulator, type Simulator } from '../../simulator';
import { runJson } from './respond';

let sim: Simulator;
const DELAY_MS = 300;

beforeAll(async () => {
	sim = await startSimulator({ seed: 'empty' });
});
afterAll(async () => await sim.stop());

const items = (n: number): INodeExecutionData[] => Array.from({ length: n }, () => ({ json: {} }));

/** Arrival times (ms) of the requests to `path`, in order. */
function arrivals(path: string): number[] {
	return sim
		.requests()
		.filter((r) => r.path === path)
		.map((r) => r.time)
		.sort((a, b) => a - b);
}

test(`reads: ${READS_IN_FLIGHT} at a time without Max Requests in Flight`, async () => {
	sim.clearRequests();
	const n = 2 * READS_IN_FLIGHT;
	sim.injectFault({ path: '/antigena/summary', kind: 'latency', delayMs: DELAY_MS, times: n });
	const out = await runJson(sim, { resource: 'summary', operation: 'get' }, { items: items(n) });
	expect(out).toHaveLength(n);
	const at = arrivals('/antigena/summary');
	expect(at).toHaveLength(n);
	// The first READS_IN_FLIGHT go out together ...
	expect(at[READS_IN_FLIGHT - 1] - at[0]).toBeLessThan(DELAY_MS / 2);
	// ... and no more: the next one waits for one of them to end.
	for (let k = 0; k + READS_IN_FLIGHT < n; k++) {
		expect(at[k + READS_IN_FLIGHT] - at[k]).toBeGreaterThanOrEqual(DELAY_MS - 30);
	}
});

test('reads: Max Requests in Flight 1 sends them one after another', async () => {
	sim.clearRequests();
	sim.injectFault({ path: '/antigena/summary', kind: 'latency', delayMs: DELAY_MS, times: 3 });
	await runJson(sim, { resource: 'summary', operation: 'get', options: { concurrency: 1 } }, { items: items(3) });
	const at = arrivals('/antigena/summary');
	expect(at).toHaveLength(3);
	for (let k = 0; k + 1 < at.length; k++) expect(at[k + 1] - at[k]).toBeGreaterThanOrEqual(DELAY_MS - 30);
});

test('writes: one after another without Max Requests in Flight', async () => {
	sim.reset('empty');
	const actions = Array.from({ length: 3 }, () => sim.createPendingAction());
	sim.clearRequests();
	sim.injectFault({ path: '/antigena', method: 'POST', kind: 'latency', delayMs: DELAY_MS, times: 3 });
	const out = await runJson(
		sim,
		{ resource: 'action', operation: 'activate', codeId: '={{ $json.codeid }}', reason: 'in-flight test' },
		{ items: actions.map((a) => ({ json: { codeid: a.codeid } })) },
	);
	expect(out.map((o) => o.success)).toEqual([true, true, true]);
	const at = sim
		.requests()
		.filter((r) => r.method === 'POST' && r.path === '/antigena')
		.map((r) => r.time)
		.sort((a, b) => a - b);
	expect(at).toHaveLength(3);
	for (let k = 0; k + 1 < at.length; k++) expect(at[k + 1] - at[k]).toBeGreaterThanOrEqual(DELAY_MS - 30);
});
