/** Write operations against the simulator: the state it ends in, what was sent, and what the node reports. */
import { startSimulator, type Simulator } from '../../simulator';
import { credentialsFor, runError, runJson, runRespond } from './respond';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ seed: 'realistic' });
});
afterAll(async () => await sim.stop());
beforeEach(() => {
	sim.clearRequests();
	sim.clearFaults();
	sim.setAuditMode(false);
});

/** Every POST that reached the simulator, applied or rejected. */
const writes = () => sim.requests().filter((r) => r.method === 'POST');
const networkDevice = () => sim.devices().find((d) => d.sensorType === 'network')!;

describe('Activate', () => {
	test('approves a pending action with a reason; the history records the token user', async () => {
		const pending = sim.createPendingAction();
		const [out] = await runJson(sim, {
			resource: 'action',
			operation: 'activate',
			codeId: pending.codeid,
			reason: 'SOC-1 approved',
		});
		expect(out).toMatchObject({
			codeid: pending.codeid,
			operation: 'activate',
			success: true,
			response: { response: 'SUCCESS' },
		});
		expect(JSON.parse(writes()[0].body)).toEqual({ codeid: pending.codeid, activate: true, reason: 'SOC-1 approved' });
		const after = sim.action(pending.codeid)!;
		expect(after.active).toBe(true);
		expect(after.history.at(-1)).toMatchObject({ username: 'soc-respond', reason: 'SOC-1 approved' });
	});

	test('with a duration, and the action read back after the write', async () => {
		const pending = sim.createPendingAction();
		const [out] = await runJson(sim, {
			resource: 'action',
			operation: 'activate',
			codeId: pending.codeid,
			reason: 'ok',
			options: { duration: 600, returnAction: true },
		});
		expect(JSON.parse(writes()[0].body)).toEqual({
			codeid: pending.codeid,
			activate: true,
			reason: 'ok',
			duration: 600,
		});
		expect(out.duration).toBe(600);
		expect(out.action).toMatchObject({ codeid: pending.codeid, state: 'active' });
		expect(Math.abs((out.action as { remainingSeconds: number }).remainingSeconds - 600)).toBeLessThanOrEqual(2);
	});

	test('an empty reason is left out of the body', async () => {
		const pending = sim.createPendingAction();
		await runJson(sim, { resource: 'action', operation: 'activate', codeId: pending.codeid });
		expect(JSON.parse(writes()[0].body)).toEqual({ codeid: pending.codeid, activate: true });
	});
});

describe('Extend', () => {
	test('Set Remaining Time To sends the new total remaining time', async () => {
		const active = sim.createAction({ active: true, needconfirming: false, expires: sim.now() + 100_000 });
		await runJson(sim, {
			resource: 'action',
			operation: 'extend',
			codeId: active.codeid,
			extendMode: 'setRemaining',
			duration: 10,
			reason: 'shorten',
		});
		expect(JSON.parse(writes()[0].body)).toEqual({ codeid: active.codeid, duration: 10, reason: 'shorten' });
		expect(Math.round((sim.action(active.codeid)!.expires - sim.now()) / 1000)).toBeLessThanOrEqual(10);
	});

	test('Add Time reads the expiry first and sends remaining + added', async () => {
		const active = sim.createAction({ active: true, needconfirming: false, expires: sim.now() + 100_000 });
		const [out] = await runJson(sim, {
			resource: 'action',
			operation: 'extend',
			codeId: active.codeid,
			extendMode: 'addTime',
			duration: 60,
			reason: 'more',
		});
		const sent = JSON.parse(writes()[0].body);
		// ~100 s left + 60 s; the appliance's Date header has whole seconds, so allow ±1 s.
		expect(sent.duration).toBeGreaterThanOrEqual(158);
		expect(sent.duration).toBeLessThanOrEqual(161);
		expect(out).toMatchObject({ extendMode: 'addTime', added: 60 });
		const remaining = (sim.action(active.codeid)!.expires - sim.now()) / 1000;
		expect(remaining).toBeGreaterThan(150);
	});

	test('Add Time on an action that is not active stops before writing', async () => {
		const pending = sim.createPendingAction();
		const error = await runError(sim, {
			resource: 'action',
			operation: 'extend',
			codeId: pending.codeid,
			extendMode: 'addTime',
			duration: 60,
		});
		expect(error.message).toMatch(/is pending, not active/);
		expect(writes()).toHaveLength(0);
	});
});

describe('Clear and Reactivate', () => {
	test('clears an active action, then reactivates it with a duration', async () => {
		const active = sim.createAction({ active: true, needconfirming: false, expires: sim.now() + 3600_000 });
		const [cleared] = await runJson(sim, {
			resource: 'action',
			operation: 'clear',
			codeId: active.codeid,
			reason: 'false positive',
			options: { returnAction: true },
		});
		expect(cleared.action).toMatchObject({ state: 'cleared' });
		expect(sim.action(active.codeid)).toMatchObject({ cleared: true, active: false });
		const [re] = await runJson(sim, {
			resource: 'action',
			operation: 'reactivate',
			codeId: active.codeid,
			duration: 300,
			reason: 'was real',
		});
		expect(re).toMatchObject({ operation: 'reactivate', success: true, duration: 300 });
		expect(JSON.parse(writes()[1].body)).toEqual({
			codeid: active.codeid,
			activate: true,
			duration: 300,
			reason: 'was real',
		});
		expect(sim.action(active.codeid)).toMatchObject({ cleared: false, active: true });
	});

	test('reactivates an expired action', async () => {
		const expired = sim.createAction({
			active: true,
			needconfirming: false,
			start: sim.now() - 7200_000,
			expires: sim.now() - 3600_000,
		});
		await runJson(sim, { resource: 'action', operation: 'reactivate', codeId: expired.codeid, duration: 120 });
		expect(sim.action(expired.codeid)!.expires).toBeGreaterThan(sim.now());
	});
});

describe('Create Manual Action', () => {
	test.each(['pol', 'gpol', 'quarantine', 'quarantineOutgoing', 'quarantineIncoming'])(
		'creates a "%s" action and returns its code ID',
		async (inhibitor) => {
			const device = networkDevice();
			const [out] = await runJson(sim, {
				resource: 'action',
				operation: 'createManual',
				did: device.did,
				inhibitor,
				duration: 120,
				reason: 'manual',
			});
			expect(JSON.parse(writes()[0].body)).toEqual({
				did: device.did,
				action: inhibitor,
				duration: 120,
				reason: 'manual',
			});
			const created = sim.action(out.codeid as number)!;
			expect(created).toMatchObject({ did: device.did, action: inhibitor, manual: true, active: true });
			expect(out).toMatchObject({ operation: 'createManual', did: device.did, inhibitor });
		},
	);

	test('"Block matching connections" sends the connection pairs', async () => {
		const device = networkDevice();
		const [out] = await runJson(sim, {
			resource: 'action',
			operation: 'createManual',
			did: device.did,
			inhibitor: 'connection',
			duration: 600,
			connections: {
				connection: [
					{ src: device.ip, dst: '8.8.8.8', port: 0 },
					{ src: device.ip, dst: 'example.com', port: 443 },
				],
			},
			options: { returnAction: true },
		});
		expect(JSON.parse(writes()[0].body)).toEqual({
			did: device.did,
			action: 'connection',
			duration: 600,
			connections: [
				{ src: device.ip, dst: '8.8.8.8' },
				{ src: device.ip, dst: 'example.com', port: 443 },
			],
		});
		expect(sim.action(out.codeid as number)!.connections).toHaveLength(2);
		expect(out.action).toMatchObject({ codeid: out.codeid, state: 'active', action: 'connection' });
	});

	test("an inhibitor the device's sensor does not support is the appliance's 400, translated", async () => {
		const client = sim.devices().find((d) => d.sensorType === 'client')!;
		const error = await runError(sim, {
			resource: 'action',
			operation: 'createManual',
			did: client.did,
			inhibitor: 'pol',
			duration: 60,
		});
		expect(error.message).toMatch(/^Darktrace rejected POST \/antigena\/manual: /);
		expect(error.httpCode).toBe('400');
		expect(writes()).toHaveLength(1);
	});
});

describe('appliance errors become clear messages', () => {
	test('an unknown code ID on a write', async () => {
		const error = await runError(sim, { resource: 'action', operation: 'clear', codeId: 987654 });
		expect(error.message).toMatch(/^Darktrace rejected POST \/antigena: /);
		expect(error.description).toMatch(/Get it first/);
	});

	test('"Audit Antigena" on: a write without a reason is rejected and the message says why', async () => {
		sim.setAuditMode(true);
		const pending = sim.createPendingAction();
		const error = await runError(sim, { resource: 'action', operation: 'activate', codeId: pending.codeid });
		expect(error.description).toMatch(/"Audit Antigena" on: every RESPOND write needs a Reason/);
		expect(sim.action(pending.codeid)!.active).toBe(false);
		await runJson(sim, { resource: 'action', operation: 'activate', codeId: pending.codeid, reason: 'audited' });
		expect(sim.action(pending.codeid)!.active).toBe(true);
	});

	test('a read-only token may read but not write: permission message', async () => {
		const pending = sim.createPendingAction();
		const readonly = credentialsFor(sim, 'readonly');
		const read = await runJson(sim, { resource: 'summary', operation: 'get' }, { credentials: readonly });
		expect(read[0]).toHaveProperty('pendingCount');
		const error = await runError(
			sim,
			{ resource: 'action', operation: 'activate', codeId: pending.codeid },
			{ credentials: readonly },
		);
		expect(error.message).toMatch(/not allowed to POST \/antigena \(HTTP 403\)/);
		expect(error.description).toMatch(/"Darktrace RESPOND", "Unrestricted Devices" and "Visualizer"/);
	});

	test('a wrong private token: signature message', async () => {
		const error = await runError(
			sim,
			{ resource: 'summary', operation: 'get' },
			{ credentials: { ...credentialsFor(sim), privateToken: 'y'.repeat(40) } },
		);
		expect(error.message).toBe('Darktrace rejected the request signature (API SIGNATURE ERROR)');
		expect(error.description).toMatch(/do not match a token pair/);
	});
});

describe('items, expressions, continue on fail, concurrency', () => {
	test('per-item expressions: each item approves its own action, output paired and in input order', async () => {
		const actions = [sim.createPendingAction(), sim.createPendingAction(), sim.createPendingAction()];
		const { output } = await runRespond(
			sim,
			{
				resource: 'action',
				operation: 'activate',
				codeId: '={{ $json.codeid }}',
				reason: '={{ "ticket " + $json.ticket }}',
			},
			{ items: actions.map((a, i) => ({ json: { codeid: a.codeid, ticket: i } })) },
		);
		expect(output![0].map((o) => o.json.codeid)).toEqual(actions.map((a) => a.codeid));
		expect(output![0].map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		actions.forEach((a, i) => expect(sim.action(a.codeid)!.history.at(-1)!.reason).toBe(`ticket ${i}`));
	});

	test('one invalid item stops the run before ANY write is sent', async () => {
		const actions = [sim.createPendingAction(), sim.createPendingAction()];
		const error = await runError(
			sim,
			{ resource: 'action', operation: 'activate', codeId: '={{ $json.codeid }}' },
			{
				items: [
					{ json: { codeid: actions[0].codeid } },
					{ json: { codeid: 'abc' } },
					{ json: { codeid: actions[1].codeid } },
				],
			},
		);
		expect(error.message).toMatch(/Code ID "abc" is not a whole number/);
		expect(error.context?.itemIndex).toBe(1);
		expect(sim.requests()).toHaveLength(0);
		expect(actions.every((a) => !sim.action(a.codeid)!.active)).toBe(true);
	});

	test('continue on fail: bad items become error items, good ones are sent, pairing kept', async () => {
		const good = sim.createPendingAction();
		const { output } = await runRespond(
			sim,
			{ resource: 'action', operation: 'activate', codeId: '={{ $json.codeid }}', reason: 'bulk' },
			{
				continueOnFail: true,
				items: [{ json: { codeid: -5 } }, { json: { codeid: good.codeid } }, { json: { codeid: 987654 } }],
			},
		);
		const items = output![0];
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.error).toMatch(/Code ID -5 is below 1/);
		expect(items[1].json).toMatchObject({ codeid: good.codeid, success: true });
		expect(items[2].json.error).toMatch(/Darktrace rejected POST \/antigena/);
		expect(writes()).toHaveLength(2);
	});

	test('Max Requests in Flight sends in parallel and keeps input order', async () => {
		sim.injectFault({ kind: 'latency', delayMs: 100, method: 'POST' });
		const actions = Array.from({ length: 8 }, () => sim.createPendingAction());
		const items = actions.map((a) => ({ json: { codeid: a.codeid } }));
		const params = { resource: 'action', operation: 'activate', codeId: '={{ $json.codeid }}', reason: 'bulk' };
		const t0 = Date.now();
		const { output } = await runRespond(sim, { ...params, options: { concurrency: 4 } }, { items });
		const parallel = Date.now() - t0;
		expect(output![0].map((o) => o.json.codeid)).toEqual(actions.map((a) => a.codeid));
		expect(actions.every((a) => sim.action(a.codeid)!.active)).toBe(true);
		// 8 writes of >= 100 ms each: one after another would take >= 800 ms.
		expect(parallel).toBeLessThan(700);
		expect(writes()).toHaveLength(8);
	});

	test('the Custom API Call option points to the HTTP Request node', async () => {
		const error = await runError(sim, { resource: '__CUSTOM_API_CALL__', operation: '__CUSTOM_API_CALL__' });
		expect(error.message).toBe('Custom API calls are made with the HTTP Request node');
		expect(error.description).toMatch(/Predefined Credential Type.*Darktrace API/);
	});
});
