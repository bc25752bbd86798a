/**
 * Write-once inside n8n's own retry loop: each write operation, run in n8n-core's real WorkflowExecute
 * under every combination of Retry On Fail × On Error × Max Requests in Flight, with faults that hide
 * the outcome of an applied write, and one that refuses the connection. The simulator counts the POSTs
 * and keeps the state: exact counts, never "at least".
 */
import { createServer } from 'node:net';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startSimulator, type FaultSpec, type SimAction, type Simulator } from '../../simulator';
import { runInWorkflowExecute, type NodeSettings } from '../harness/workflowExecute';
import { credentialsFor } from '../node/respond';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ seed: 'realistic' });
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.clearRequests();
	sim.clearFaults();
});

const REASON = 'write-once check';

/** Waits until the simulator holds no delayed answer: a request the node gave up on is recorded when
 * the simulator sees the connection close. */
async function settled(): Promise<void> {
	for (let i = 0; i < 100 && sim.activeTimers() > 0; i++) await new Promise((r) => setTimeout(r, 20));
	await new Promise((r) => setTimeout(r, 20));
}
const posts = () => sim.requests().filter((r) => r.method === 'POST');

/** A port nothing listens on: connections to it are refused. */
async function refusedUrl(): Promise<string> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}`;
}

interface WriteCase {
	name: string;
	/** Creates the targets; returns the items and the node parameters. */
	setup(): { items: IDataObject[]; parameters: INodeParameters };
	/** How many times the write took effect on the appliance for these items. */
	effects(items: IDataObject[]): number;
}

const activeAction = () => sim.createAction({ active: true, needconfirming: false, expires: sim.now() + 3600_000 });
const historyWithReason = (codeid: number, entry: string) =>
	sim.action(codeid)!.history.filter((h) => h.action === entry && h.reason === REASON).length;
const byCode = (make: () => SimAction) => ({ codeid: make().codeid });

const changeCase = (
	name: string,
	operation: string,
	make: () => SimAction,
	entry: string,
	extra: INodeParameters = {},
): WriteCase => ({
	name,
	setup: () => ({
		items: [byCode(make), byCode(make)],
		parameters: { resource: 'action', operation, codeId: '={{ $json.codeid }}', reason: REASON, ...extra },
	}),
	effects: (items) => items.reduce((n, item) => n + historyWithReason(item.codeid as number, entry), 0),
});

const CASES: WriteCase[] = [
	changeCase('Activate', 'activate', () => sim.createPendingAction(), 'created'),
	changeCase('Clear', 'clear', activeAction, 'cleared'),
	changeCase(
		'Reactivate',
		'reactivate',
		() => sim.createAction({ active: false, cleared: true, needconfirming: false, expires: sim.now() + 3600_000 }),
		'reactivated (cleared)',
		{ duration: 600 },
	),
	changeCase('Extend (Set Remaining Time To)', 'extend', activeAction, 'extended', {
		extendMode: 'setRemaining',
		duration: 7200,
	}),
	changeCase('Extend (Add Time)', 'extend', activeAction, 'extended', { extendMode: 'addTime', duration: 600 }),
	{
		name: 'Create Manual Action',
		setup: () => {
			const devices = sim.devices().filter((d) => d.sensorType === 'network');
			const reason = `${REASON} ${Math.random().toString(36).slice(2)}`;
			return {
				items: [
					{ did: devices[0].did, reason },
					{ did: devices[1].did, reason },
				],
				parameters: {
					resource: 'action',
					operation: 'createManual',
					did: '={{ $json.did }}',
					inhibitor: 'quarantineIncoming',
					duration: 600,
					reason: '={{ $json.reason }}',
				},
			};
		},
		effects: (items) =>
			sim.actions().filter((a) => a.manual && (a.triggerer as { reason?: string } | null)?.reason === items[0].reason)
				.length,
	},
];

/** Faults that hide the outcome of a write the appliance applied. */
const HIDDEN_OUTCOMES: Array<{ name: string; fault: FaultSpec; timeout?: number }> = [
	{ name: '502 after applying', fault: { kind: 'status-after-write', status: 502, method: 'POST' } },
	{ name: 'reset after applying', fault: { kind: 'reset', afterWrite: true, method: 'POST' } },
	{
		name: 'timeout after applying',
		fault: { kind: 'latency', delayMs: 2500, afterWrite: true, method: 'POST' },
		timeout: 1,
	},
];

const SETTINGS: Array<{ name: string; settings: NodeSettings }> = [
	{ name: 'no retry, stop', settings: { onError: 'stopWorkflow' } },
	{
		name: 'Retry On Fail ×3, stop',
		settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1, onError: 'stopWorkflow' },
	},
	{
		name: 'Retry On Fail ×3, continue',
		settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1, onError: 'continueRegularOutput' },
	},
	{
		name: 'Retry On Fail ×3, error output',
		settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1, onError: 'continueErrorOutput' },
	},
	{ name: 'no retry, continue', settings: { onError: 'continueRegularOutput' } },
];

/**
 * Expected with 2 items whose every write is applied but answered with a hidden outcome: how many items
 * are sent at all, and whether the execution ends well. Stopping at concurrency 1 sends one new item per
 * try (a later try settles the earlier ones by reading the appliance); otherwise every item goes in the
 * first try. A later try settles every sent item as already applied.
 */
function expected(settings: NodeSettings, concurrency: number): { sent: number; succeeds: boolean } {
	const tries = settings.retryOnFail ? (settings.maxTries ?? 3) : 1;
	const stops = (settings.onError ?? 'stopWorkflow') === 'stopWorkflow';
	const sent = stops && concurrency === 1 ? Math.min(2, tries) : 2;
	const succeeds = stops ? (concurrency === 1 ? tries > 2 : tries > 1) : tries > 1;
	return { sent, succeeds };
}

describe.each(CASES)('$name', (writeCase) => {
	describe.each(HIDDEN_OUTCOMES)('$name', ({ fault, timeout }) => {
		test.each(SETTINGS.flatMap((s) => [1, 3].map((concurrency) => ({ ...s, concurrency }))))(
			'$name, $concurrency in flight: each item sent at most once, outcome settled by the appliance',
			async ({ settings, concurrency }) => {
				const { items, parameters } = writeCase.setup();
				sim.injectFault(fault);
				const run = await runInWorkflowExecute({
					parameters: { ...parameters, options: { concurrency, ...(timeout ? { timeout } : {}) } },
					credentials: credentialsFor(sim),
					items,
					settings,
				});
				await settled();
				const want = expected(settings, concurrency);
				expect(posts()).toHaveLength(want.sent);
				expect(writeCase.effects(items)).toBe(want.sent);
				const stops = (settings.onError ?? 'stopWorkflow') === 'stopWorkflow';
				if (want.succeeds) {
					expect(run.error).toBeUndefined();
					const results = run.outputs[0];
					expect(results).toHaveLength(2);
					for (const result of results) expect(result).toMatchObject({ success: true, alreadyApplied: true });
				} else if (stops) {
					expect(run.error?.message).toMatch(/^Outcome unknown/);
				} else {
					// No retry, continue: one error item per item, each naming the hidden outcome.
					const errors = settings.onError === 'continueErrorOutput' ? run.outputs[1] : run.outputs[0];
					expect(errors.map((e) => String(e.error))).toEqual([
						expect.stringMatching(/^Outcome unknown/),
						expect.stringMatching(/^Outcome unknown/),
					]);
				}
			},
		);
	});

	test.each(SETTINGS)(
		'connection refused, $name: nothing reaches the appliance, a clear error',
		async ({ settings }) => {
			const { items, parameters } = writeCase.setup();
			const run = await runInWorkflowExecute({
				parameters,
				credentials: { ...credentialsFor(sim), url: await refusedUrl() },
				items,
				settings,
			});
			expect(posts()).toHaveLength(0);
			expect(writeCase.effects(items)).toBe(0);
			const stops = (settings.onError ?? 'stopWorkflow') === 'stopWorkflow';
			if (stops) expect(run.error?.message).toMatch(/^Could not reach the Darktrace appliance/);
			else {
				const errors = settings.onError === 'continueErrorOutput' ? run.outputs[1] : run.outputs[0];
				expect(errors).toHaveLength(2);
				for (const e of errors) expect(String(e.error)).toMatch(/^Could not reach the Darktrace appliance/);
			}
		},
	);
});

describe('what n8n does around the node, beyond hidden outcomes', () => {
	const clearParams = { resource: 'action', operation: 'clear', codeId: '={{ $json.codeid }}', reason: REASON };

	test('Retry On Fail + continue, item 0 invalid, items 1–2 valid Clears: 2 POSTs, not 6', async () => {
		const items = [{ codeid: 'abc' }, byCode(activeAction), byCode(activeAction)];
		const run = await runInWorkflowExecute({
			parameters: clearParams,
			credentials: credentialsFor(sim),
			items,
			settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1, onError: 'continueRegularOutput' },
		});
		expect(posts()).toHaveLength(2);
		expect(historyWithReason(items[1].codeid as number, 'cleared')).toBe(1);
		expect(historyWithReason(items[2].codeid as number, 'cleared')).toBe(1);
		const [invalid, ...cleared] = run.outputs[0];
		expect(String(invalid.error)).toMatch(/^Code ID "abc" is not a whole number/);
		for (const out of cleared) expect(out).toMatchObject({ success: true, alreadyApplied: false });
	});

	test('Max Requests in Flight 3, the appliance rejects item 0: the error names the items already applied', async () => {
		const items = [{ codeid: 99_999_999 }, byCode(activeAction), byCode(activeAction)];
		const run = await runInWorkflowExecute({
			parameters: { ...clearParams, options: { concurrency: 3 } },
			credentials: credentialsFor(sim),
			items,
		});
		expect(posts()).toHaveLength(3);
		expect(run.error?.description).toContain(
			`Applied before this error: item 1 (code ID ${String(items[1].codeid)}), item 2 (code ID ${String(items[2].codeid)}).`,
		);
	});

	test('stopping at item 1 of 4: the error says which item was applied and which were not sent', async () => {
		const items = [byCode(activeAction), { codeid: 99_999_999 }, byCode(activeAction), byCode(activeAction)];
		const run = await runInWorkflowExecute({ parameters: clearParams, credentials: credentialsFor(sim), items });
		expect(posts()).toHaveLength(2);
		expect(run.error?.description).toContain(
			`Applied before this error: item 0 (code ID ${String(items[0].codeid)}). Not sent: items 2, 3.`,
		);
	});

	test('Retry On Fail after a 502 that was NOT applied: not sent again in this execution, the error says so', async () => {
		const pending = sim.createPendingAction();
		sim.injectFault({ kind: 'status', status: 502, method: 'POST', times: 1 });
		const run = await runInWorkflowExecute({
			parameters: { resource: 'action', operation: 'activate', codeId: pending.codeid, reason: REASON },
			credentials: credentialsFor(sim),
			items: [{}],
			settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 },
		});
		expect(posts()).toHaveLength(1);
		expect(sim.action(pending.codeid)?.active).toBe(false);
		expect(run.error?.message).toMatch(
			/^Outcome unknown, not sent again: the appliance did not confirm the request to activate RESPOND action \d+ \(HTTP 502\); the appliance does not show it as applied$/,
		);
	});

	test("Return Action After Write: a failed read-back keeps the write's success, with the read error beside it", async () => {
		const pending = sim.createPendingAction();
		sim.injectFault({ kind: 'status', status: 503, method: 'GET', path: '/antigena' });
		const run = await runInWorkflowExecute({
			parameters: {
				resource: 'action',
				operation: 'activate',
				codeId: '={{ $json.codeid }}',
				reason: REASON,
				options: { returnAction: true },
			},
			credentials: credentialsFor(sim),
			items: [{ codeid: pending.codeid }],
			settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 },
		});
		expect(run.error).toBeUndefined();
		expect(posts()).toHaveLength(1);
		expect(run.outputs[0][0]).toMatchObject({ codeid: pending.codeid, success: true, action: null });
		expect(String(run.outputs[0][0].readBackError)).toMatch(
			new RegExp(`^The write was applied, but reading action ${pending.codeid} back failed: .*HTTP 503`),
		);
	});
});

describe("a retried execution (n8n's executions list: mode 'retry', a new execution): the appliance's state decides", () => {
	const retry = (parameters: INodeParameters, items: IDataObject[]) =>
		runInWorkflowExecute({ parameters, credentials: credentialsFor(sim), items, mode: 'retry' });

	test.each([
		['Activate of an action already active', 'activate', activeAction, {}],
		['Clear of an action already cleared', 'clear', () => sim.createAction({ active: false, cleared: true }), {}],
		['Reactivate of an action already active again', 'reactivate', activeAction, { duration: 600 }],
	])('%s: not sent, reported alreadyApplied', async (_name, operation, make, extra) => {
		const target = (make as () => SimAction)();
		const run = await retry({ resource: 'action', operation, codeId: target.codeid, reason: REASON, ...extra }, [{}]);
		expect(run.error).toBeUndefined();
		expect(posts()).toHaveLength(0);
		expect(run.outputs[0][0]).toMatchObject({ codeid: target.codeid, success: true, alreadyApplied: true });
	});

	test('Activate of a pending action in a retried execution is sent', async () => {
		const pending = sim.createPendingAction();
		const run = await retry({ resource: 'action', operation: 'activate', codeId: pending.codeid, reason: REASON }, [
			{},
		]);
		expect(posts()).toHaveLength(1);
		expect(run.outputs[0][0]).toMatchObject({ success: true, alreadyApplied: false });
	});

	test('Create Manual run again after a lost answer (any mode): one action, its code ID returned', async () => {
		const did = sim.devices().filter((d) => d.sensorType === 'network')[2].did;
		const parameters = {
			resource: 'action',
			operation: 'createManual',
			did,
			inhibitor: 'pol',
			duration: 900,
			reason: `${REASON} again`,
		};
		sim.injectFault({ kind: 'status-after-write', status: 504, method: 'POST', times: 1 });
		const first = await runInWorkflowExecute({ parameters, credentials: credentialsFor(sim), items: [{}] });
		expect(first.error?.message).toMatch(/^Outcome unknown/);
		const created = sim
			.actions()
			.filter(
				(a) => a.manual && a.did === did && (a.triggerer as { reason?: string } | null)?.reason === `${REASON} again`,
			);
		expect(created).toHaveLength(1);
		for (const mode of ['retry', 'manual'] as const) {
			const again = await runInWorkflowExecute({ parameters, credentials: credentialsFor(sim), items: [{}], mode });
			expect(again.error).toBeUndefined();
			expect(again.outputs[0][0]).toMatchObject({ codeid: created[0].codeid, alreadyApplied: true, success: true });
		}
		expect(posts()).toHaveLength(1);
		expect(
			sim
				.actions()
				.filter(
					(a) => a.manual && a.did === did && (a.triggerer as { reason?: string } | null)?.reason === `${REASON} again`,
				),
		).toHaveLength(1);
	});

	test('Extend by Add Time run again after a lost answer: the time is added once', async () => {
		const target = activeAction();
		const parameters = {
			resource: 'action',
			operation: 'extend',
			codeId: target.codeid,
			extendMode: 'addTime',
			duration: 1800,
			reason: `${REASON} add`,
		};
		sim.injectFault({ kind: 'status-after-write', status: 502, method: 'POST', times: 1 });
		const first = await runInWorkflowExecute({ parameters, credentials: credentialsFor(sim), items: [{}] });
		expect(first.error?.message).toMatch(/^Outcome unknown/);
		const expiresAfterFirst = sim.action(target.codeid)!.expires;
		const again = await runInWorkflowExecute({
			parameters,
			credentials: credentialsFor(sim),
			items: [{}],
			mode: 'retry',
		});
		expect(again.outputs[0][0]).toMatchObject({ alreadyApplied: true, success: true, extendMode: 'addTime' });
		expect(posts()).toHaveLength(1);
		expect(sim.action(target.codeid)!.expires).toBe(expiresAfterFirst);
		expect(historyWithReason(target.codeid, 'extended')).toBe(0);
		expect(sim.action(target.codeid)!.history.filter((h) => h.action === 'extended')).toHaveLength(1);
	});
});
