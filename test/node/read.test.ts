/** Read operations (Get Many, Get, Summary) through n8n-core's ExecuteContext, over HTTP, against the simulator. */
import { startSimulator, type Simulator } from '../../simulator';
import { runError, runJson } from './respond';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ seed: 'realistic' });
});
afterAll(async () => await sim.stop());
beforeEach(() => sim.clearRequests());

const targets = () => sim.requests().map((r) => r.target);

describe('Action: Get Many', () => {
	test('returns one normalised item per action with computed state and ISO times', async () => {
		const out = await runJson(sim, { resource: 'action', operation: 'getMany', returnAll: true });
		expect(targets()).toEqual(['/antigena']);
		const now = sim.now();
		const expected = sim.actions().filter((a) => !a.cleared && a.expires > now - 14 * 86400_000);
		expect(out.map((a) => a.codeid).sort()).toEqual(expected.map((a) => a.codeid).sort());
		for (const item of out) {
			const a = sim.action(item.codeid as number)!;
			expect(typeof item.codeid).toBe('number');
			expect(item.expires).toBe(new Date(Math.round(Number(a.expires))).toISOString());
			const state = a.expires <= now ? 'expired' : a.active ? 'active' : 'pending';
			expect(item.state).toBe(state);
		}
		expect(new Set(out.map((a) => a.state))).toEqual(new Set(['pending', 'active', 'expired']));
	});

	test('Limit caps the output; Return All does not', async () => {
		const limited = await runJson(sim, { resource: 'action', operation: 'getMany', limit: 3 });
		expect(limited).toHaveLength(3);
	});

	test('awaiting confirmation → needconfirming=true, only pending actions', async () => {
		const out = await runJson(sim, {
			resource: 'action',
			operation: 'getMany',
			returnAll: true,
			filters: { needConfirming: 'pending' },
		});
		expect(targets()).toEqual(['/antigena?needconfirming=true']);
		expect(out.length).toBeGreaterThan(0);
		expect(out.every((a) => a.state === 'pending')).toBe(true);
		const not = await runJson(sim, {
			resource: 'action',
			operation: 'getMany',
			returnAll: true,
			filters: { needConfirming: 'notPending' },
		});
		expect(not.some((a) => a.state === 'pending')).toBe(false);
	});

	test("appliance filters are sent as the API's parameters: includecleared, did, pbid, time window", async () => {
		const withPbid = sim.actions().find((a) => !a.manual && a.pbid)!;
		const start = '2020-01-01T00:00:00.000Z';
		const end = new Date(sim.now() + 86400_000).toISOString();
		const out = await runJson(sim, {
			resource: 'action',
			operation: 'getMany',
			returnAll: true,
			filters: { includeCleared: true, did: withPbid.did, pbid: withPbid.pbid, startTime: start, endTime: end },
		});
		expect(targets()).toEqual([
			`/antigena?includecleared=true&did=${withPbid.did}&pbid=${withPbid.pbid}&starttime=${Date.parse(start)}&endtime=${Date.parse(end)}`,
		]);
		expect(out.map((a) => a.codeid)).toContain(withPbid.codeid);
		expect(out.every((a) => a.did === withPbid.did && a.pbid === withPbid.pbid)).toBe(true);
	});

	test('an expression inside a collection is resolved per item; plain values beside it are sent as set', async () => {
		const [a, b] = sim.actions().filter((x) => !x.cleared);
		const out = await runJson(
			sim,
			{
				resource: 'action',
				operation: 'getMany',
				returnAll: true,
				filters: { includeCleared: true, did: '={{ $json.did }}' },
			},
			{ items: [{ json: { did: a.did } }, { json: { did: b.did } }] },
		);
		expect(targets()).toEqual([
			`/antigena?includecleared=true&did=${a.did}`,
			`/antigena?includecleared=true&did=${b.did}`,
		]);
		expect(out.some((x) => x.did === a.did)).toBe(true);
	});

	test('cleared actions only with Include Cleared', async () => {
		const cleared = sim.actions().find((a) => a.cleared)!;
		const without = await runJson(sim, { resource: 'action', operation: 'getMany', returnAll: true });
		expect(without.map((a) => a.codeid)).not.toContain(cleared.codeid);
		const withCleared = await runJson(sim, {
			resource: 'action',
			operation: 'getMany',
			returnAll: true,
			filters: { includeCleared: true, states: ['cleared'] },
		});
		expect(withCleared.map((a) => a.codeid)).toContain(cleared.codeid);
		expect(withCleared.every((a) => a.state === 'cleared')).toBe(true);
	});

	test('device details, blocked connections and history are attached to each action', async () => {
		const out = await runJson(sim, {
			resource: 'action',
			operation: 'getMany',
			returnAll: true,
			options: { fullDeviceDetails: true, includeConnections: true, includeHistory: true },
		});
		expect(targets()).toEqual(['/antigena?includehistory=true&includeconnections=true&fulldevicedetails=true']);
		for (const a of out) {
			const device = a.device as { did: number; hostname: string };
			expect(device.did).toBe(a.did);
			expect(device.hostname).toBe(sim.devices().find((d) => d.did === a.did)!.hostname);
			expect(Array.isArray(a.history)).toBe(true);
			expect(Array.isArray(a.connections)).toBe(true);
		}
		expect(out.some((a) => (a.connections as unknown[]).length > 0)).toBe(true);
	});

	test('client-side filters: IP wildcard, code ID, inhibitors, minimum score, origin, states', async () => {
		const all = await runJson(sim, { resource: 'action', operation: 'getMany', returnAll: true });
		const sample = all.find((a) => !a.manual && (a.score as number) > 0)!;
		const prefix = String(sample.ip).split('.').slice(0, 2).join('.');
		const byIp = await runJson(sim, {
			resource: 'action',
			operation: 'getMany',
			returnAll: true,
			filters: { ip: `${prefix}.*` },
		});
		expect(byIp.length).toBeGreaterThan(0);
		expect(byIp.every((a) => String(a.ip).startsWith(`${prefix}.`))).toBe(true);

		const byCode = await runJson(sim, {
			resource: 'action',
			operation: 'getMany',
			returnAll: true,
			filters: { codeId: sample.codeid as number },
		});
		expect(byCode.map((a) => a.codeid)).toEqual([sample.codeid]);

		const byInhibitor = await runJson(sim, {
			resource: 'action',
			operation: 'getMany',
			returnAll: true,
			filters: { inhibitors: ['quarantine', 'connection'] },
		});
		expect(byInhibitor.length).toBeGreaterThan(0);
		expect(byInhibitor.every((a) => ['quarantine', 'connection'].includes(a.action as string))).toBe(true);

		const byScore = await runJson(sim, {
			resource: 'action',
			operation: 'getMany',
			returnAll: true,
			filters: { minScore: 0.8 },
		});
		expect(byScore.every((a) => (a.score as number) >= 0.8)).toBe(true);
		expect(byScore.length).toBeLessThan(all.length);

		const manual = await runJson(sim, {
			resource: 'action',
			operation: 'getMany',
			returnAll: true,
			filters: { origin: 'manual' },
		});
		expect(manual.length).toBeGreaterThan(0);
		expect(manual.every((a) => a.manual === true && a.triggeredBy)).toBe(true);
		const automatic = await runJson(sim, {
			resource: 'action',
			operation: 'getMany',
			returnAll: true,
			filters: { origin: 'automatic' },
		});
		expect(automatic.every((a) => a.manual === false && a.triggeredBy === null)).toBe(true);
		expect(manual.length + automatic.length).toBe(all.length);

		const expired = await runJson(sim, {
			resource: 'action',
			operation: 'getMany',
			returnAll: true,
			filters: { states: ['expired'] },
		});
		expect(expired.length).toBeGreaterThan(0);
		expect(expired.every((a) => a.state === 'expired')).toBe(true);
		// Every request of this test was the same plain GET: the filters above run here, not on the appliance.
		expect(new Set(targets())).toEqual(new Set(['/antigena']));
	});

	test('Simplify off returns the whole normalised action, the same as Get and the trigger give', async () => {
		const full = await runJson(sim, {
			resource: 'action',
			operation: 'getMany',
			returnAll: true,
			simple: false,
			filters: { includeCleared: true },
		});
		expect(full.length).toBeGreaterThan(0);
		const computed = ['state', 'startIso', 'expiresIso', 'updatedIso', 'remainingSeconds'];
		expect(full.every((a) => 'modeluuid' in a && 'agemail' in a && computed.every((key) => key in a))).toBe(true);
		// The simulator sends `updated` as a string on some actions, as real appliances do: typed here.
		expect(full.every((a) => a.updated === null || typeof a.updated === 'number')).toBe(true);
		const [one] = await runJson(sim, { resource: 'action', operation: 'get', codeId: full[0].codeid as number, simple: false });
		for (const key of ['codeid', 'state', 'expires', 'expiresIso', 'updated', 'triggerer', 'modeluuid', 'agemail']) {
			expect([key, one[key]]).toEqual([key, full[0][key]]);
		}
		const simple = await runJson(sim, {
			resource: 'action',
			operation: 'getMany',
			returnAll: true,
			filters: { includeCleared: true },
		});
		expect(simple.every((a) => typeof a.codeid === 'number' && !('agemail' in a))).toBe(true);
	});

	test('Response Data Field hands over the trimmed answer as it came', async () => {
		const out = await runJson(sim, {
			resource: 'action',
			operation: 'getMany',
			returnAll: true,
			options: { fullDeviceDetails: true, responseData: 'devices' },
		});
		expect(targets()).toEqual(['/antigena?fulldevicedetails=true&responsedata=devices']);
		expect(out.length).toBeGreaterThan(0);
	});
});

describe('Action: Get', () => {
	test('finds one action by code ID with its history, cleared ones included', async () => {
		const cleared = sim.actions().find((a) => a.cleared)!;
		const [out] = await runJson(sim, { resource: 'action', operation: 'get', codeId: cleared.codeid });
		expect(out.codeid).toBe(cleared.codeid);
		expect(out.state).toBe('cleared');
		expect((out.history as unknown[]).length).toBe(cleared.history.length);
		expect(targets()).toEqual(['/antigena?includecleared=true&includehistory=true']);
	});

	test('an unknown code ID is a clear "not found"', async () => {
		const error = await runError(sim, { resource: 'action', operation: 'get', codeId: 999999 });
		expect(error.message).toBe(
			'Code ID 999999 names no RESPOND action on this appliance: use the "codeid" of an existing action (not the model breach "pbid" or the device "did"), as listed by Get Many or the trigger',
		);
		expect(error.description).toMatch(/14 days/);
	});
});

describe('Summary: Get', () => {
	test('without a window: pending and active counts and devices', async () => {
		const [out] = await runJson(sim, { resource: 'summary', operation: 'get' });
		const now = sim.now();
		const pending = sim.actions().filter((a) => a.needconfirming && !a.active && !a.cleared && a.expires > now);
		expect(out.pendingCount).toBe(pending.length);
		expect(new Set(out.pendingActionDevices as number[])).toEqual(new Set(pending.map((a) => a.did)));
		expect(targets()).toEqual(['/antigena/summary']);
	});

	test('with a window: sent as starttime/endtime, pending marked unavailable', async () => {
		const start = new Date(sim.now() - 86400_000).toISOString();
		const end = new Date(sim.now()).toISOString();
		const [out] = await runJson(sim, {
			resource: 'summary',
			operation: 'get',
			options: { startTime: start, endTime: end },
		});
		expect(targets()).toEqual([`/antigena/summary?starttime=${Date.parse(start)}&endtime=${Date.parse(end)}`]);
		expect(out.pendingCount).toBe(0);
		expect(out.pendingAvailable).toBe(false);
	});
});
