/**
 * What the approver needs on one screen: Threat Visualizer links on every action item, and "Include
 * Model Breach" (GET /modelbreaches?pbid=) on Get Many and Get, through n8n-core's real ExecuteContext
 * against the simulator over HTTP. Requests are counted in the simulator's request log.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startSimulator, type SimAction, type SimBreach, type Simulator } from '../../simulator';
import { actionLinks } from '../../nodes/Darktrace/domain/links';
import { summarizeBreach } from '../../nodes/Darktrace/domain/modelBreach';
import { credentialsFor, runError, runJson } from './respond';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ seed: 'empty' });
});
afterAll(async () => await sim.stop());

/** Two pending actions from one breach, one from another, a manual action; fresh for each test. */
let fixture: { shared: [SimAction, SimAction]; other: SimAction; manual: SimAction };
beforeEach(() => {
	sim.reset('empty');
	sim.clearFaults();
	sim.setBreachStyle({ form: 'mixed', modelShape: 'mixed', unknownPbid: 'empty-list' });
	const first = sim.createPendingAction();
	const second = sim.createPendingAction({ pbid: first.pbid, did: first.did });
	const other = sim.createPendingAction();
	const manual = sim.createAction({ manual: true, action: 'quarantine' });
	fixture = { shared: [first, second], other, manual };
	sim.clearRequests();
});

const breachReads = () => sim.requests().filter((r) => r.path === '/modelbreaches');

const getMany = (options: INodeParameters = {}, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'action',
	operation: 'getMany',
	returnAll: true,
	options,
	...extra,
});

const byCodeid = (items: IDataObject[], codeid: number) => {
	const found = items.find((i) => i.codeid === codeid);
	if (!found) throw new Error(`no item for codeid ${codeid}`);
	return found;
};

/** The summary the node should build from a simulator breach: the model as it was (`then`; the flat shape serves the same). */
function expectedBreach(b: SimBreach): IDataObject {
	return {
		pbid: b.pbid,
		modelName: b.then.name,
		category: b.then.category,
		description: b.then.description.replace(/\\n/g, '\n'),
		time: new Date(b.time).toISOString(),
		score: b.score,
		priority: b.then.priority,
		tags: b.then.tags,
		modelUuid: b.then.uuid,
		commentCount: b.commentCount,
	};
}

describe('links into the Threat Visualizer', () => {
	test('Get Many: deviceUrl on every action, breachUrl only where a model breach triggered it; no breach read', async () => {
		for (const simple of [true, false]) {
			const out = await runJson(sim, getMany({}, { simple }));
			expect(out).toHaveLength(4);
			for (const a of [...fixture.shared, fixture.other]) {
				expect(byCodeid(out, a.codeid)).toMatchObject({
					deviceUrl: `${sim.url}/#device/${a.did}`,
					breachUrl: `${sim.url}/#modelbreach/${a.pbid}`,
				});
			}
			expect(byCodeid(out, fixture.manual.codeid)).toMatchObject({
				deviceUrl: `${sim.url}/#device/${fixture.manual.did}`,
				breachUrl: null,
			});
			expect(out.every((i) => !('modelBreach' in i) && !('modelBreachNote' in i))).toBe(true);
		}
		expect(breachReads()).toHaveLength(0);
	});

	test('the instance is the credential URL as sent: a trailing slash does not double', async () => {
		const out = await runJson(sim, getMany(), { credentials: { ...credentialsFor(sim), url: `${sim.url}/` } });
		expect(byCodeid(out, fixture.other.codeid).deviceUrl).toBe(`${sim.url}/#device/${fixture.other.did}`);
	});

	test('Get (Simplify on and off) and the action returned after a write carry them too', async () => {
		const a = fixture.other;
		for (const simple of [true, false]) {
			const [got] = await runJson(sim, { resource: 'action', operation: 'get', codeId: a.codeid, simple });
			expect([got.deviceUrl, got.breachUrl]).toEqual([
				`${sim.url}/#device/${a.did}`,
				`${sim.url}/#modelbreach/${a.pbid}`,
			]);
		}
		const [manual] = await runJson(sim, { resource: 'action', operation: 'get', codeId: fixture.manual.codeid });
		expect(manual.breachUrl).toBeNull();
		const [written] = await runJson(sim, {
			resource: 'action',
			operation: 'activate',
			codeId: a.codeid,
			reason: 'approved',
			options: { returnAction: true },
		});
		expect(written.action).toMatchObject({
			state: 'active',
			deviceUrl: `${sim.url}/#device/${a.did}`,
			breachUrl: `${sim.url}/#modelbreach/${a.pbid}`,
		});
		const [created] = await runJson(sim, {
			resource: 'action',
			operation: 'createManual',
			did: a.did,
			inhibitor: 'quarantine',
			duration: 600,
			reason: 'manual test',
			options: { returnAction: true },
		});
		expect(created.action).toMatchObject({ manual: true, deviceUrl: `${sim.url}/#device/${a.did}`, breachUrl: null });
	});
});

describe('Include Model Breach', () => {
	test('one request per distinct breach, even across input items; the breach on every action that names it', async () => {
		const out = await runJson(sim, getMany({ includeModelBreach: true }), {
			items: [{ json: {} }, { json: {} }],
		});
		expect(out).toHaveLength(8);
		const pbids = [fixture.shared[0].pbid, fixture.other.pbid];
		expect(
			breachReads()
				.map((r) => r.target)
				.sort(),
		).toEqual(pbids.map((p) => `/modelbreaches?pbid=${p}`).sort());
		for (const a of [...fixture.shared, fixture.other]) {
			const item = byCodeid(out, a.codeid);
			expect(item.modelBreach).toEqual(expectedBreach(sim.breach(a.pbid)!));
			expect(item.modelBreachNote).toBeNull();
		}
		const shared = out.filter((i) => i.pbid === fixture.shared[0].pbid);
		expect(shared).toHaveLength(4);
		// Each item has its own copy: changing one downstream changes no other.
		expect(new Set(shared.map((i) => i.modelBreach)).size).toBe(4);
		expect(new Set(shared.map((i) => (i.modelBreach as IDataObject).tags)).size).toBe(4);
		expect(byCodeid(out, fixture.manual.codeid)).toMatchObject({
			modelBreach: null,
			modelBreachNote: expect.stringMatching(/^No model breach: .*manual/),
		});
	});

	test("the description's literal \\n become line breaks; the breach time is ISO like the action's times", async () => {
		sim.setBreachStyle({ form: 'object', modelShape: 'then-now' });
		const [item] = await runJson(sim, {
			resource: 'action',
			operation: 'get',
			codeId: fixture.other.codeid,
			options: { includeModelBreach: true },
		});
		const breach = item.modelBreach as IDataObject;
		expect(sim.breach(fixture.other.pbid)!.then.description).toContain('\\n');
		expect(breach.description).toContain('\n');
		expect(breach.description).not.toContain('\\n');
		expect(breach.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		expect(item.start).toMatch(/Z$/);
	});

	test.each([
		['object', 'then-now'],
		['object', 'flat'],
		['list', 'then-now'],
		['list', 'flat'],
	] as const)('answered as %s with the %s model shape', async (form, modelShape) => {
		sim.setBreachStyle({ form, modelShape });
		const a = fixture.other;
		for (const simple of [true, false]) {
			const [item] = await runJson(sim, {
				resource: 'action',
				operation: 'get',
				codeId: a.codeid,
				simple,
				options: { includeModelBreach: true },
			});
			expect(item.modelBreach).toEqual(expectedBreach(sim.breach(a.pbid)!));
			expect(item.modelBreachNote).toBeNull();
			expect(item.codeid).toBe(a.codeid);
		}
	});

	test('Max Requests in Flight bounds the breach reads', async () => {
		sim.reset('empty');
		const actions = Array.from({ length: 6 }, () => sim.createPendingAction());
		const delayMs = 300;
		for (const [limit, expectedMin] of [
			[1, 6],
			[3, 2],
		] as const) {
			sim.clearRequests();
			sim.injectFault({ path: '/modelbreaches', kind: 'latency', delayMs, times: 6 });
			const started = Date.now();
			const out = await runJson(sim, getMany({ includeModelBreach: true, concurrency: limit }));
			const elapsed = Date.now() - started;
			expect(out.filter((i) => i.modelBreach !== null)).toHaveLength(actions.length);
			const arrivals = breachReads()
				.map((r) => r.time)
				.sort((x, y) => x - y);
			expect(arrivals).toHaveLength(6);
			// With `limit` in flight, the read `limit` places later can only start once one has ended.
			for (let k = 0; k + limit < arrivals.length; k++) {
				expect(arrivals[k + limit] - arrivals[k]).toBeGreaterThanOrEqual(delayMs - 30);
			}
			// ... and the bound is used, not only respected: 6 reads take about 6 / limit delays.
			expect(elapsed).toBeGreaterThanOrEqual(expectedMin * delayMs - 30);
			expect(elapsed).toBeLessThan((expectedMin + 1.5) * delayMs + 1000);
		}
	});

	test('a 503 is retried as a read, then the breach is there', async () => {
		sim.injectFault({ path: '/modelbreaches', kind: 'status', status: 503, times: 1 });
		const [item] = await runJson(sim, {
			resource: 'action',
			operation: 'get',
			codeId: fixture.other.codeid,
			options: { includeModelBreach: true },
		});
		expect(breachReads().map((r) => r.status)).toEqual([503, 200]);
		expect(item.modelBreach).toEqual(expectedBreach(sim.breach(fixture.other.pbid)!));
	});

	test.each([
		['an empty list', { kind: 'status', status: 200, body: '[]' }, /not found on the appliance \(empty answer\)/],
		[
			'400 INPUT ERROR',
			{ kind: 'status', status: 400, body: '{"error":"Unknown pbid","response":"INPUT ERROR"}' },
			/not found on the appliance \(HTTP 400\)/,
		],
		['404', { kind: 'status', status: 404 }, /not found on the appliance \(HTTP 404\)/],
		['500 on every try', { kind: 'status', status: 500, times: 3 }, /could not be read: .*HTTP 500/],
	] as const)('an unknown or unreadable breach (%s) leaves the action intact with a note', async (_, fault, note) => {
		const a = fixture.other;
		const params = { resource: 'action', operation: 'get', codeId: a.codeid };
		const [plain] = await runJson(sim, params);
		sim.injectFault({ times: 1, ...fault, path: '/modelbreaches' } as never);
		const [item] = await runJson(sim, { ...params, options: { includeModelBreach: true } });
		const { modelBreach, modelBreachNote, ...action } = item;
		expect(modelBreach).toBeNull();
		expect(modelBreachNote).toMatch(note);
		expect(modelBreachNote).toContain(`Model breach ${a.pbid}`);
		expect({ ...action, remainingSeconds: 0 }).toEqual({ ...plain, remainingSeconds: 0 });
	});

	test('invalid input fails before any request', async () => {
		for (const concurrency of [0, 11, 'many']) {
			sim.clearRequests();
			const error = await runError(sim, getMany({ includeModelBreach: true, concurrency }));
			expect(error.message).toContain('Max Requests in Flight');
			expect(error.message).toContain(String(concurrency));
			expect(sim.requests()).toHaveLength(0);
		}
	});
});

describe('the pure parts: links and the breach summary', () => {
	test('links only for positive whole IDs, from numbers or numeric strings', () => {
		const base = 'https://dt.example.com';
		expect(actionLinks(base, 12, '345')).toEqual({
			deviceUrl: `${base}/#device/12`,
			breachUrl: `${base}/#modelbreach/345`,
		});
		for (const pbid of [0, '0', null, undefined, '', -3, 12.5, 'abc']) {
			expect(actionLinks(base, 12, pbid).breachUrl).toBeNull();
		}
		expect(actionLinks(base, undefined, 7)).toEqual({ deviceUrl: null, breachUrl: `${base}/#modelbreach/7` });
	});

	test('summary: model.then before model.now, a model with only "now", no model at all, an empty list', () => {
		const then = { name: 'Then', category: 'Critical', description: 'a\\r\\nb\\nc' };
		expect(summarizeBreach({ pbid: 5, model: { then, now: { name: 'Now' } } }, 5)).toMatchObject({
			modelName: 'Then',
			category: 'Critical',
			description: 'a\nb\nc',
		});
		expect(summarizeBreach([{ model: { now: { name: 'Now' } } }], 6)).toMatchObject({ pbid: 6, modelName: 'Now' });
		expect(summarizeBreach({ pbid: 7, time: '1700000000000.0', score: '0.5' }, 7)).toMatchObject({
			modelName: null,
			category: null,
			description: null,
			time: new Date(1700000000000).toISOString(),
			score: 0.5,
			tags: [],
		});
		expect(summarizeBreach([], 8)).toBeNull();
		expect(summarizeBreach('nothing', 8)).toBeNull();
	});
});
