/**
 * The trigger's items carry Threat Visualizer links, and with "Include Model Breach" the breach behind
 * each emitted action; a failing breach endpoint never blocks or repeats an emission. n8n-core's real
 * PollContext against the simulator over HTTP.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { DarktraceRespondTrigger } from '../../nodes/Darktrace/DarktraceRespondTrigger.node';
import { startSimulator, type Simulator } from '../../simulator';
import { pollHarness } from '../harness';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ seed: 'empty' });
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.setNow(Date.now());
	sim.reset('empty');
	sim.clearFaults();
	sim.setBreachStyle({ form: 'mixed', modelShape: 'mixed', unknownPbid: 'empty-list' });
	sim.clearRequests();
});

function trigger(parameters: INodeParameters = {}) {
	const token = sim.token('respond');
	return pollHarness({
		type: new DarktraceRespondTrigger(),
		name: 'n8n-nodes-darktrace.darktraceRespondTrigger',
		parameters,
		credentials: { url: sim.url, publicToken: token.public, privateToken: token.private },
	});
}

function items(output: INodeExecutionData[][] | null): IDataObject[] {
	expect(output).not.toBeNull();
	return (output as INodeExecutionData[][])[0].map((item) => item.json);
}

const breachReads = () => sim.requests().filter((r) => r.path === '/modelbreaches');
const withBreach = { options: { includeModelBreach: true } };

describe('trigger: links and Include Model Breach', () => {
	test('links on every item, Simplify on and off; no breach read without the option', async () => {
		for (const simple of [true, false]) {
			sim.reset('empty');
			const harness = trigger({ simple });
			expect(await harness.poll()).toBeNull();
			const a = sim.createPendingAction();
			const [item] = items(await harness.poll());
			expect(item).toMatchObject({
				codeid: a.codeid,
				deviceUrl: `${sim.url}/#device/${a.did}`,
				breachUrl: `${sim.url}/#modelbreach/${a.pbid}`,
			});
			expect('modelBreach' in item).toBe(false);
		}
		expect(breachReads()).toHaveLength(0);
	});

	test('emits once with the breach; one read per distinct breach; a manual action gets a note', async () => {
		const harness = trigger({ events: ['pendingAction', 'actionActive'], ...withBreach });
		expect(await harness.poll()).toBeNull();
		const a = sim.createPendingAction();
		const b = sim.createPendingAction({ pbid: a.pbid, did: a.did });
		const manual = sim.createAction({ manual: true, action: 'quarantine' });
		const out = items(await harness.poll());
		expect(out.map((i) => i.eventId).sort()).toEqual(
			[`${a.codeid}:pendingAction`, `${b.codeid}:pendingAction`, `${manual.codeid}:actionActive`].sort(),
		);
		expect(breachReads().map((r) => r.target)).toEqual([`/modelbreaches?pbid=${a.pbid}`]);
		const breach = sim.breach(a.pbid)!;
		for (const item of out.filter((i) => i.pbid === a.pbid)) {
			expect(item.modelBreach).toMatchObject({
				pbid: a.pbid,
				modelName: breach.then.name,
				category: breach.then.category,
				score: breach.score,
				time: new Date(breach.time).toISOString(),
			});
			expect(item.modelBreachNote).toBeNull();
		}
		const manualItem = out.find((i) => i.codeid === manual.codeid)!;
		expect(manualItem).toMatchObject({ breachUrl: null, modelBreach: null });
		expect(manualItem.modelBreachNote).toMatch(/^No model breach/);
		expect(harness.saved).toEqual(harness.staticData);

		expect(await harness.poll()).toBeNull();
		expect(breachReads()).toHaveLength(1);
	});

	test('the breach endpoint failing: the action is emitted once, with a note, and never again', async () => {
		const harness = trigger(withBreach);
		expect(await harness.poll()).toBeNull();
		const a = sim.createPendingAction();
		sim.injectFault({ path: '/modelbreaches', kind: 'status', status: 500, times: 100 });
		const [item] = items(await harness.poll());
		expect(item).toMatchObject({ eventId: `${a.codeid}:pendingAction`, modelBreach: null });
		expect(item.modelBreachNote).toMatch(new RegExp(`^Model breach ${a.pbid} could not be read: .*HTTP 500`));
		expect(breachReads().map((r) => r.status)).toEqual([500, 500, 500]);
		expect(harness.saved).toEqual(harness.staticData);
		// Neither the next poll nor a restart from the saved state repeats it, breach endpoint still failing.
		expect(await harness.poll()).toBeNull();
		const restarted = pollHarness(
			{
				type: new DarktraceRespondTrigger(),
				name: 'n8n-nodes-darktrace.darktraceRespondTrigger',
				parameters: withBreach,
				credentials: {
					url: sim.url,
					publicToken: sim.token('respond').public,
					privateToken: sim.token('respond').private,
				},
			},
			harness.saved,
		);
		expect(await restarted.poll('trigger', 'init')).toBeNull();
		const next = sim.createPendingAction();
		sim.clearFaults();
		const [second] = items(await restarted.poll());
		expect(second).toMatchObject({ eventId: `${next.codeid}:pendingAction`, modelBreachNote: null });
	});

	test('a breach endpoint that never answers delays the poll by at most its Timeout', async () => {
		const harness = trigger({ options: { includeModelBreach: true, timeout: 2 } });
		expect(await harness.poll()).toBeNull();
		const actions = [sim.createPendingAction(), sim.createPendingAction(), sim.createPendingAction()];
		// Every read hangs for 20 s; four in flight at most, so a fifth would wait: all end within 2 s.
		actions.push(sim.createPendingAction(), sim.createPendingAction());
		sim.injectFault({ path: '/modelbreaches', kind: 'latency', delayMs: 20_000, times: 100 });
		const started = Date.now();
		const out = items(await harness.poll());
		const elapsed = Date.now() - started;
		expect(out).toHaveLength(actions.length);
		expect(elapsed).toBeLessThan(4000);
		for (const item of out) {
			expect(item.modelBreach).toBeNull();
			expect(item.modelBreachNote).toMatch(/^Model breach \d+ (could not be read: .*tim|was not read: the time)/);
		}
		expect(breachReads().length).toBeLessThanOrEqual(4);
		expect(await harness.poll()).toBeNull();
		sim.clearFaults();
	});

	test('Fetch Test Event shows the breach too, and changes no state', async () => {
		const a = sim.createPendingAction();
		const harness = trigger(withBreach);
		const [item] = items(await harness.poll('manual'));
		expect(item).toMatchObject({ codeid: a.codeid, modelBreach: { pbid: a.pbid }, modelBreachNote: null });
		expect(harness.staticData).toEqual({});
	});
});
