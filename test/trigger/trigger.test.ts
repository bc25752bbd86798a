/**
 * The Darktrace RESPOND Trigger in n8n-core's real PollContext against the simulator over real HTTP.
 * `harness.saved` is what n8n would have persisted (only after a trigger-mode poll that emits).
 */
// n8n-core resolves its logger through its own copies of these packages.
import { Logger } from 'n8n-core/node_modules/@n8n/backend-common';
import { Container } from 'n8n-core/node_modules/@n8n/di';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { DarktraceRespondTrigger } from '../../nodes/Darktrace/DarktraceRespondTrigger.node';
import { startSimulator, type Simulator } from '../../simulator';
import { readState } from '../../nodes/Darktrace/trigger/seenState';
import { pollHarness, type TestCredentials } from '../harness';
import { post } from '../simulator/client';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ seed: 'empty' });
});

afterAll(async () => {
	await sim.stop();
});

beforeEach(() => {
	sim.setNow(Date.now());
	sim.reset('empty');
	sim.clearFaults();
	sim.clearRequests();
});

function credentials(role: 'respond' | 'readonly' | 'none' = 'respond'): TestCredentials {
	const token = sim.token(role);
	return { url: sim.url, publicToken: token.public, privateToken: token.private };
}

function trigger(parameters: INodeParameters = {}, persisted?: IDataObject, creds = credentials()) {
	return pollHarness(
		{
			type: new DarktraceRespondTrigger(),
			name: 'n8n-nodes-darktrace.darktraceRespondTrigger',
			parameters,
			credentials: creds,
		},
		persisted,
	);
}

const ALL_EVENTS = ['pendingAction', 'actionActive', 'actionCleared', 'actionExpired'];

function items(output: INodeExecutionData[][] | null): IDataObject[] {
	expect(output).not.toBeNull();
	return (output as INodeExecutionData[][])[0].map((item) => item.json);
}

const eventIds = (output: INodeExecutionData[][] | null) => items(output).map((json) => json.eventId);

async function change(codeid: number, body: IDataObject): Promise<void> {
	const response = await post(sim, '/antigena', { codeid, ...body });
	expect(response.status).toBe(200);
}

/** The trigger's saved state, as n8n keeps it under the node's name. */
const nodeState = (saved: IDataObject) => saved['node:Darktrace RESPOND Trigger'] as IDataObject;

/** [codeid, event bits] of every action the saved state tracks. */
function tracked(saved: IDataObject): Array<[number, number]> {
	return [...readState(nodeState(saved) ?? {}, Date.now()).entries].map(([codeid, e]) => [codeid, e.bits]);
}

const antigenaGets = () => sim.requests().filter((r) => r.method === 'GET' && r.path === '/antigena');

describe('New Pending Action', () => {
	it('emits each pending action once, then null, then only the next one', async () => {
		const harness = trigger();
		expect(await harness.poll()).toBeNull(); // activation: baseline of nothing
		const a = sim.createPendingAction();
		const first = await harness.poll();
		expect(items(first)).toEqual([
			expect.objectContaining({
				eventId: `${a.codeid}:pendingAction`,
				event: 'pendingAction',
				codeid: a.codeid,
				state: 'pending',
			}),
		]);
		expect(harness.saved).toEqual(harness.staticData);

		expect(await harness.poll()).toBeNull();
		const b = sim.createPendingAction();
		expect(eventIds(await harness.poll())).toEqual([`${b.codeid}:pendingAction`]);
		expect(await harness.poll()).toBeNull();

		// Pending only: the appliance is asked for pending actions only.
		expect(antigenaGets().map((r) => r.query)).toEqual(Array(5).fill({ needconfirming: 'true' }));
	});

	it('repeats nothing after a restart with the persisted static data, and still sees new actions', async () => {
		const first = trigger();
		await first.poll();
		const a = sim.createPendingAction();
		expect(eventIds(await first.poll())).toEqual([`${a.codeid}:pendingAction`]);

		const restarted = trigger({}, first.saved);
		expect(await restarted.poll('trigger', 'init')).toBeNull();
		const b = sim.createPendingAction();
		expect(eventIds(await restarted.poll())).toEqual([`${b.codeid}:pendingAction`]);

		// The persisted state is compact: version 2, one short entry per codeid (see seenState.ts).
		expect(tracked(restarted.saved)).toEqual([
			[a.codeid, 1],
			[b.codeid, 1],
		]);
		expect(nodeState(restarted.saved)).toMatchObject({ v: 2, b: 1 });
	});

	it('takes actions already pending at activation as seen by default', async () => {
		sim.createPendingAction();
		sim.createPendingAction();
		const harness = trigger();
		expect(await harness.poll()).toBeNull();
		expect(await harness.poll()).toBeNull();
		const c = sim.createPendingAction();
		expect(eventIds(await harness.poll())).toEqual([`${c.codeid}:pendingAction`]);
	});

	it('emits actions already pending at activation with "Emit Actions Already Pending on Activation"', async () => {
		const a = sim.createPendingAction();
		const b = sim.createPendingAction();
		const harness = trigger({ options: { emitExisting: true } });
		expect(eventIds(await harness.poll())).toEqual([`${a.codeid}:pendingAction`, `${b.codeid}:pendingAction`]);
		expect(await harness.poll()).toBeNull();
		expect(await trigger({ options: { emitExisting: true } }, harness.saved).poll()).toBeNull();
	});

	it('keeps actions that stopped being pending, which the pending-only answer lacks', async () => {
		const harness = trigger();
		await harness.poll();
		const a = sim.createPendingAction();
		expect(eventIds(await harness.poll())).toEqual([`${a.codeid}:pendingAction`]);
		await change(a.codeid, { activate: true });
		const b = sim.createPendingAction();
		expect(eventIds(await harness.poll())).toEqual([`${b.codeid}:pendingAction`]);
		expect(tracked(harness.saved)).toEqual([
			[a.codeid, 1],
			[b.codeid, 1],
		]);
		// (pending → active → pending again is in test/trigger/planner.test.ts: the simulator cannot un-approve.)
		const restarted = trigger({}, harness.saved);
		expect(await restarted.poll('trigger', 'init')).toBeNull();
	});
});

describe('restarts before the first emission', () => {
	it('an n8n restart (activation "init") without saved state emits what is pending instead of missing it', async () => {
		const before = sim.createPendingAction();
		const harness = trigger();
		expect(await harness.poll('trigger', 'activate')).toBeNull(); // switched on: existing = seen
		expect(harness.saved).toEqual({}); // nothing emitted, so n8n saved nothing
		const arrived = sim.createPendingAction(); // arrives, then n8n restarts before the next poll
		const restarted = trigger({}, harness.saved);
		expect(eventIds(await restarted.poll('trigger', 'init'))).toEqual([
			`${before.codeid}:pendingAction`,
			`${arrived.codeid}:pendingAction`,
		]);
		expect(await restarted.poll('trigger', 'init')).toBeNull();
	});

	it('saving an active workflow (activation "update") keeps the no-flood convention', async () => {
		sim.createPendingAction();
		expect(await trigger().poll('trigger', 'update')).toBeNull();
	});
});

describe('state changes of an emitted action', () => {
	it('fires Action Became Active, Action Cleared and Action Expired once each', async () => {
		const existingActive = sim.createAction({ needconfirming: false, active: true });
		const a = sim.createPendingAction();
		const harness = trigger({ events: ALL_EVENTS });
		expect(await harness.poll()).toBeNull(); // baseline: a is pending, existingActive active
		expect(antigenaGets()[0].query).toEqual({ includecleared: 'true' });

		await change(a.codeid, { activate: true, reason: 'approved in SOC-1' });
		expect(items(await harness.poll())).toEqual([
			expect.objectContaining({ eventId: `${a.codeid}:actionActive`, event: 'actionActive', state: 'active' }),
		]);
		expect(await harness.poll()).toBeNull();

		await change(a.codeid, { clear: true, reason: 'false positive' });
		expect(eventIds(await harness.poll())).toEqual([`${a.codeid}:actionCleared`]);
		expect(await harness.poll()).toBeNull();

		// A pending approval that lapses: pending first, then expired (judged by the appliance's clock).
		const b = sim.createPendingAction({ expires: sim.now() + 60_000 });
		expect(eventIds(await harness.poll())).toEqual([`${b.codeid}:pendingAction`]);
		sim.advance(120_000);
		expect(items(await harness.poll())).toEqual([
			expect.objectContaining({ eventId: `${b.codeid}:actionExpired`, event: 'actionExpired', state: 'expired' }),
		]);
		expect(await harness.poll()).toBeNull();

		// After a restart nothing is repeated; the action already active at activation never fired.
		const restarted = trigger({ events: ALL_EVENTS }, harness.saved);
		expect(await restarted.poll('trigger', 'init')).toBeNull();
		expect(tracked(restarted.saved)).toEqual([
			[existingActive.codeid, 2],
			[a.codeid, 1 | 2 | 4],
			[b.codeid, 1 | 8],
		]);
	});

	it('Action Became Active also fires for an action applied autonomously after activation', async () => {
		const harness = trigger({ events: ['actionActive'] });
		expect(await harness.poll()).toBeNull();
		sim.createPendingAction();
		const autonomous = sim.createAction({ needconfirming: false, active: true });
		expect(eventIds(await harness.poll())).toEqual([`${autonomous.codeid}:actionActive`]);
		expect(antigenaGets()[0].query).toEqual({});
	});

	it('selecting only Action Cleared fires for clears and nothing else', async () => {
		const a = sim.createPendingAction();
		const b = sim.createPendingAction();
		const harness = trigger({ events: ['actionCleared'] });
		expect(await harness.poll()).toBeNull();
		await change(a.codeid, { activate: true });
		sim.createPendingAction();
		expect(await harness.poll()).toBeNull();
		await change(b.codeid, { clear: true });
		expect(eventIds(await harness.poll())).toEqual([`${b.codeid}:actionCleared`]);
	});
});

describe('manual runs ("Fetch Test Event")', () => {
	it('return the newest matching action without touching the state', async () => {
		sim.createPendingAction();
		const harness = trigger();
		await harness.poll(); // baseline
		const newest = sim.createPendingAction();
		const before = JSON.parse(JSON.stringify(harness.staticData));
		const saved = JSON.parse(JSON.stringify(harness.saved));

		expect(eventIds(await harness.poll('manual', 'manual'))).toEqual([`${newest.codeid}:pendingAction`]);
		expect(harness.staticData).toEqual(before);
		expect(harness.saved).toEqual(saved);

		// The trigger still emits it: the sample did not mark it as seen.
		expect(eventIds(await harness.poll())).toEqual([`${newest.codeid}:pendingAction`]);
	});

	it('on a new trigger create no state at all, and say so clearly when nothing matches', async () => {
		const harness = trigger();
		await expect(harness.poll('manual', 'manual')).rejects.toThrow(
			'No RESPOND actions for "New Pending Action" right now',
		);
		expect(harness.staticData).toEqual({});
		sim.createPendingAction({ score: 0.4 });
		await expect(trigger({ filters: { minScore: 0.5 } }).poll('manual', 'manual')).rejects.toThrow(/right now/);
		expect(items(await harness.poll('manual', 'manual'))).toHaveLength(1);
		expect(harness.staticData).toEqual({});
	});
});

describe('failed polls', () => {
	it('a 5xx poll fails with the transport message, changes nothing, and the next poll emits what was missed', async () => {
		const harness = trigger();
		await harness.poll();
		const a = sim.createPendingAction();
		const before = JSON.parse(JSON.stringify(harness.staticData));
		sim.injectFault({ kind: 'status', status: 500, path: '/antigena', times: 3 });
		await expect(harness.poll()).rejects.toThrow('The Darktrace appliance failed on GET /antigena (HTTP 500)');
		expect(harness.staticData).toEqual(before);
		expect(eventIds(await harness.poll())).toEqual([`${a.codeid}:pendingAction`]);
	});

	it('a rejected signature fails the poll and leaves the persisted state as it was', async () => {
		const good = trigger();
		await good.poll();
		const a = sim.createPendingAction();
		await good.poll();
		const b = sim.createPendingAction();

		const wrong = { ...credentials(), privateToken: 'x'.repeat(40) };
		const failing = trigger({}, good.saved, wrong);
		await expect(failing.poll()).rejects.toThrow('Darktrace rejected the request signature (API SIGNATURE ERROR)');
		expect(failing.staticData).toEqual(good.saved);

		const fixed = trigger({}, failing.saved);
		expect(eventIds(await fixed.poll())).toEqual([`${b.codeid}:pendingAction`]);
		expect(a.codeid).not.toBe(b.codeid);
	});

	it('an unreachable appliance fails the poll with the transport message', async () => {
		const harness = trigger({}, undefined, { ...credentials(), url: 'http://127.0.0.1:1' });
		const error = (await harness.poll().catch((e: unknown) => e)) as Error & { description?: string };
		expect(error.constructor.name).toBe('NodeApiError');
		expect(error.description).toMatch('Nothing accepts connections at http://127.0.0.1:1');
		expect(harness.staticData).toEqual({});
	}, 15_000);

	it('a bad Device IDs filter fails before any request, naming the field, the value and the fix', async () => {
		const harness = trigger({ filters: { deviceIds: '12, abc' } });
		const error = await harness.poll().then(
			() => undefined,
			(e: Error & { description?: string }) => e,
		);
		expect(error?.constructor.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Device IDs "abc" is not a whole number: give whole numbers separated by commas');
		expect(error?.description).toMatch(/whole numbers separated by commas/);
		expect(sim.requests()).toHaveLength(0);
	});
});

describe('filters and options', () => {
	it('emits only actions matching score, inhibitor and device filters', async () => {
		sim.addDevice({ did: 12 });
		sim.addDevice({ did: 13 });
		const harness = trigger({ filters: { minScore: 0.7, inhibitors: ['quarantine', 'pol'], deviceIds: '12,13' } });
		await harness.poll();
		sim.addDevice({ did: 14 });
		const first = sim.createPendingAction({ did: 12, score: 0.9, action: 'quarantine' });
		sim.createPendingAction({ did: 12, score: 0.5, action: 'quarantine' });
		sim.createPendingAction({ did: 13, score: 0.9, action: 'gpol' });
		sim.createPendingAction({ did: 14, score: 0.9, action: 'pol' });
		const second = sim.createPendingAction({ did: 13, score: 0.7, action: 'pol' });
		expect(eventIds(await harness.poll())).toEqual([`${first.codeid}:pendingAction`, `${second.codeid}:pendingAction`]);
		expect(await harness.poll()).toBeNull();
	});

	it('asks for one device by "did", and adds device details and history when chosen', async () => {
		sim.addDevice({ did: 12, hostname: 'dc02.corp.example' });
		const harness = trigger({
			filters: { deviceIds: '12' },
			options: { fullDeviceDetails: true, includeHistory: true },
		});
		await harness.poll();
		const a = sim.createPendingAction({ did: 12 });
		const [json] = items(await harness.poll());
		expect(json).toMatchObject({
			eventId: `${a.codeid}:pendingAction`,
			device: { did: 12, hostname: 'dc02.corp.example' },
			history: [expect.objectContaining({ action: 'created (requires confirmation)' })],
		});
		expect(antigenaGets().at(-1)?.query).toEqual({
			needconfirming: 'true',
			did: '12',
			fulldevicedetails: 'true',
			includehistory: 'true',
		});
	});

	it('Simplify off returns the whole normalised action', async () => {
		const harness = trigger({ simple: false });
		await harness.poll();
		const a = sim.createPendingAction({ score: 0.85 });
		const [json] = items(await harness.poll());
		expect(json).toMatchObject({
			eventId: `${a.codeid}:pendingAction`,
			event: 'pendingAction',
			codeid: a.codeid,
			modeluuid: a.modeluuid,
			active: false,
			state: 'pending',
			expires: a.expires,
			expiresIso: new Date(a.expires).toISOString(),
		});
	});

	it('rejects an empty event selection before any request', async () => {
		await expect(trigger({ events: [] }).poll()).rejects.toThrow(/Events .* selects nothing/);
		expect(sim.requests()).toHaveLength(0);
	});
});

describe('partial answers, filter changes, rebuilds (issue #13)', () => {
	const HOUR = 3_600_000;
	const DAY = 24 * HOUR;

	/** Emissions over up to `polls` polls (a jump of the appliance's Date is held one poll). */
	async function emitted(harness: ReturnType<typeof trigger>, polls = 2): Promise<unknown[]> {
		const out: unknown[] = [];
		for (let i = 0; i < polls; i++) {
			const result = await harness.poll();
			if (result) out.push(...eventIds(result));
		}
		return out;
	}

	it('50 seen, an answer with only one new action, then full answers and a restart: the new one once', async () => {
		for (let i = 0; i < 50; i++) sim.createPendingAction();
		const harness = trigger();
		expect(await harness.poll()).toBeNull();
		const fresh = sim.createPendingAction();
		sim.injectFault({ kind: 'partial', keepCodeids: [fresh.codeid], times: 1 });
		expect(eventIds(await harness.poll())).toEqual([`${fresh.codeid}:pendingAction`]);
		expect(antigenaGets()).toHaveLength(2);
		expect(tracked(harness.saved)).toHaveLength(51);
		expect(await harness.poll()).toBeNull();
		expect(await trigger({}, harness.saved).poll('trigger', 'init')).toBeNull();
	});

	it('narrowing the device filter to one device and widening it again re-emits nothing', async () => {
		sim.addDevice({ did: 12 });
		sim.addDevice({ did: 13 });
		const wide = trigger();
		await wide.poll();
		const a = sim.createPendingAction({ did: 12 });
		const b = sim.createPendingAction({ did: 13 });
		expect(eventIds(await wide.poll())).toEqual([`${a.codeid}:pendingAction`, `${b.codeid}:pendingAction`]);

		const narrow = trigger({ filters: { deviceIds: '12' } }, wide.saved);
		expect(await narrow.poll()).toBeNull();
		expect(antigenaGets().at(-1)?.query).toEqual({ needconfirming: 'true', did: '12' });
		const c = sim.createPendingAction({ did: 13 }); // arrives while the filter excludes it

		const widened = trigger({}, narrow.saved);
		expect(eventIds(await widened.poll())).toEqual([`${c.codeid}:pendingAction`]);
		expect(await widened.poll()).toBeNull();
	});

	it('a rebuilt appliance: a codeid seen before now names a new action, which is emitted', async () => {
		sim.addDevice({ did: 12 });
		const harness = trigger({ events: ['pendingAction', 'actionActive'] });
		await harness.poll();
		const before = sim.createPendingAction({ did: 12 });
		expect(eventIds(await harness.poll())).toEqual([`${before.codeid}:pendingAction`]);
		await change(before.codeid, { activate: true });
		expect(eventIds(await harness.poll())).toEqual([`${before.codeid}:actionActive`]);

		sim.advance(3 * HOUR); // the rebuild takes a while
		sim.reset('empty');
		sim.addDevice({ did: 12 });
		const after = sim.createPendingAction({ did: 12 });
		expect(after.codeid).toBe(before.codeid);
		expect(await emitted(harness)).toEqual([`${after.codeid}:pendingAction`]);
		await change(after.codeid, { activate: true });
		expect(await emitted(harness)).toEqual([`${after.codeid}:actionActive`]);
	});

	it('an action without a valid codeid is reported in the log, never emitted', async () => {
		const warn = jest.spyOn(Container.get(Logger), 'warn').mockImplementation(() => undefined);
		try {
			const harness = trigger();
			await harness.poll();
			const good = sim.createPendingAction();
			const body = JSON.stringify([
				...sim.actions().map((a) => ({ ...a, history: undefined })),
				{ ...sim.actions()[0], codeid: '0x10' },
				{ ...sim.actions()[0], codeid: 12.5 },
			]);
			sim.injectFault({ kind: 'status', status: 200, body, times: 1 });
			expect(eventIds(await harness.poll())).toEqual([`${good.codeid}:pendingAction`]);
			expect(warn.mock.calls.map(([message]) => message)).toEqual([
				'Darktrace RESPOND Trigger: 2 action(s) from GET /antigena have no valid "codeid" (a positive whole number), so they cannot be emitted: "0x10", 12.5',
			]);
		} finally {
			warn.mockRestore();
		}
	});

	it('90 days of polls on the simulator clock: every event once, and the state stops growing', async () => {
		const harness = trigger({ events: ['pendingAction', 'actionActive', 'actionExpired'] });
		expect(await harness.poll()).toBeNull();
		const delivered = new Set<unknown>();
		let count = 0;
		const sizes: Array<[number, number]> = [];
		for (let day = 1; day <= 90; day++) {
			const created = Array.from({ length: 10 }, () => sim.createPendingAction());
			for (const id of await emitted(harness, 1)) delivered.add(id), count++;
			for (const a of created.slice(0, 3)) await change(a.codeid, { activate: true });
			for (const id of await emitted(harness, 1)) delivered.add(id), count++;
			sim.advance(DAY);
			for (const id of await emitted(harness, 2)) delivered.add(id), count++;
			if (day % 30 === 0) {
				const state = nodeState(harness.staticData);
				sizes.push([readState(state, sim.now()).entries.size, JSON.stringify(state).length]);
			}
		}
		expect([count, delivered.size]).toEqual([90 * 23, 90 * 23]); // 10 pending, 3 active, 10 expired a day
		// Entries leave 15 days after their last known expiry: 15 days of 10 actions stay tracked.
		expect(sizes.map(([entries]) => entries)).toEqual([150, 150, 150]);
		expect(sizes[2][1]).toBeLessThanOrEqual(sizes[0][1] + 4);
	});
});

describe('10,000 pending actions', () => {
	it('emits all once, keeps the state compact, and treats them as seen afterwards', async () => {
		const harness = trigger();
		expect(await harness.poll()).toBeNull();
		sim.generateLargeDataset(10_000, { pendingRatio: 1 });
		const pending = sim
			.actions()
			.filter((a) => a.needconfirming && !a.active && !a.cleared && a.expires > Date.now() + 60_000);
		expect(pending).toHaveLength(10_000);

		const output = await harness.poll();
		const ids = eventIds(output);
		expect(ids).toHaveLength(10_000);
		expect(new Set(ids).size).toBe(10_000);

		const bytes = JSON.stringify(harness.saved).length;
		const perAction = bytes / 10_000;
		console.log(`trigger static data: ${bytes} bytes for 10,000 actions = ${perAction.toFixed(2)} bytes/action`);
		expect(perAction).toBeLessThanOrEqual(16);

		const started = Date.now();
		expect(await harness.poll()).toBeNull();
		console.log(`poll over 10,000 already-seen actions: ${Date.now() - started} ms`);
		expect(await trigger({}, harness.saved).poll()).toBeNull();
	});
});
