import { startSimulator, type SimAction } from '../../simulator';
import { INPUT_ERROR, MINUTE, SECOND, T0, call, get, post, useSimulator } from './client';

const sim = useSimulator({ seed: 'empty', now: T0 }, (s) => s.addDevice({ did: 11 }));

const SUCCESS = { response: 'SUCCESS' };
const pending = () => sim.createPendingAction({ did: 11, defaultDuration: 900, expires: T0 + 60 * MINUTE });
const running = () => sim.createAction({ did: 11, start: T0 - MINUTE, expires: T0 + 100 * SECOND });
const state = (codeid: number) => sim.action(codeid) as SimAction;
/** Remaining seconds, tolerant of the few ms the clock runs during a request. */
const remaining = (codeid: number) => Math.round((state(codeid).expires - sim.now()) / 1000);

async function change(body: Record<string, unknown>, expected: unknown = SUCCESS, status = 200) {
	const res = await post(sim, '/antigena', body);
	expect([res.status, res.json]).toEqual([status, expected]);
	return res;
}

describe('state transitions', () => {
	it('pending → active (model default duration) → expired (active stays true) → reactivated (expired)', async () => {
		const a = pending();
		expect(await isPendingOverHttp(a.codeid)).toBe(true);
		await change({ codeid: a.codeid, activate: true, reason: 'approve' });
		expect(state(a.codeid)).toMatchObject({ active: true, cleared: false });
		expect(remaining(a.codeid)).toBe(900);
		expect(await isPendingOverHttp(a.codeid)).toBe(false);

		sim.advance(901 * SECOND);
		expect(state(a.codeid)).toMatchObject({ active: true, cleared: false });
		expect(state(a.codeid).expires).toBeLessThan(sim.now());

		await change({ codeid: a.codeid, activate: true, duration: 120, reason: 'again' });
		expect(remaining(a.codeid)).toBe(120);
		expect(state(a.codeid).history.map((h) => h.action)).toEqual([
			'created (requires confirmation)',
			'created',
			'reactivated (expired)',
		]);
	});

	it('activating a pending action with a duration uses that duration', async () => {
		const a = pending();
		await change({ codeid: a.codeid, activate: true, duration: 30 });
		expect(remaining(a.codeid)).toBe(30);
	});

	it('active → cleared → reactivated (cleared)', async () => {
		const a = running();
		await change({ codeid: a.codeid, clear: true, reason: 'false positive' });
		expect(state(a.codeid)).toMatchObject({ active: false, cleared: true });
		const listed = await get(sim, '/antigena');
		expect(listed.json.map((x: SimAction) => x.codeid)).not.toContain(a.codeid);

		await change({ codeid: a.codeid, activate: true, duration: 300, reason: 'needed after all' });
		expect(state(a.codeid)).toMatchObject({ active: true, cleared: false });
		expect(remaining(a.codeid)).toBe(300);
		expect(
			state(a.codeid)
				.history.slice(-2)
				.map((h) => h.action),
		).toEqual(['cleared', 'reactivated (cleared)']);
	});

	it('clearing an already cleared action (a retried clear) succeeds and writes a second history entry', async () => {
		const a = running();
		await change({ codeid: a.codeid, clear: true, reason: 'first' });
		const after = state(a.codeid);
		await change({ codeid: a.codeid, clear: true, reason: 'retry' });
		expect(state(a.codeid)).toMatchObject({ cleared: true, active: false, expires: after.expires, start: after.start });
		expect(state(a.codeid).history.map((h) => [h.action, h.reason])).toEqual([
			['created', ''],
			['cleared', 'first'],
			['cleared', 'retry'],
		]);
	});

	it('a pending action can be cleared (declined)', async () => {
		const a = pending();
		await change({ codeid: a.codeid, clear: true });
		expect(state(a.codeid)).toMatchObject({ active: false, cleared: true });
	});

	it('an expired action can be cleared, and then hides unless includecleared', async () => {
		const a = running();
		sim.advance(101 * SECOND);
		await change({ codeid: a.codeid, clear: true });
		expect((await get(sim, '/antigena')).json).toEqual([]);
		expect((await get(sim, '/antigena?includecleared=true')).json).toHaveLength(1);
	});

	it('extend: duration is the new total remaining length, not an increment', async () => {
		const a = running();
		expect(remaining(a.codeid)).toBe(100);
		await change({ codeid: a.codeid, duration: 110 });
		expect(remaining(a.codeid)).toBe(110);
		await change({ codeid: a.codeid, duration: 10 });
		expect(remaining(a.codeid)).toBe(10);
		expect(state(a.codeid).history.filter((h) => h.action === 'extended')).toHaveLength(2);
	});

	it('history records the token user and the reason; updated moves', async () => {
		const a = running();
		sim.advance(5 * SECOND);
		await change({ codeid: a.codeid, duration: 200, reason: 'IR-17 containment' });
		const last = state(a.codeid).history.at(-1);
		expect(last).toEqual({
			family: expect.any(String),
			username: 'soc-respond',
			action: 'extended',
			reason: 'IR-17 containment',
			time: expect.any(Number),
		});
		expect(Math.abs((last?.time ?? 0) - sim.now())).toBeLessThan(1000);
		expect(state(a.codeid).updated).toBe(last?.time);
		const res = await get(sim, '/antigena?includehistory=true');
		expect(res.json[0].history.at(-1)).toMatchObject({ username: 'soc-respond', reason: 'IR-17 containment' });
	});
});

async function isPendingOverHttp(codeid: number): Promise<boolean> {
	const res = await get(sim, '/antigena?needconfirming=true');
	return res.json.some((a: SimAction) => a.codeid === codeid);
}

describe('wrong state is an INPUT ERROR and changes nothing', () => {
	const cleared = () => sim.createAction({ did: 11, cleared: true, active: false });
	const expire = () => sim.advance(200 * SECOND);
	const cases: Array<{
		name: string;
		make: () => SimAction;
		body: (codeid: number) => Record<string, unknown>;
		before?: () => void;
	}> = [
		{ name: 'extend a pending action', make: pending, body: (codeid) => ({ codeid, duration: 60 }) },
		{ name: 'extend a cleared action', make: cleared, body: (codeid) => ({ codeid, duration: 60 }) },
		{ name: 'extend an expired action', make: running, body: (codeid) => ({ codeid, duration: 60 }), before: expire },
		{
			name: 'activate an already active action',
			make: running,
			body: (codeid) => ({ codeid, activate: true, duration: 60 }),
		},
		{
			name: 'reactivate an expired action without duration',
			make: running,
			body: (codeid) => ({ codeid, activate: true }),
			before: expire,
		},
		{
			name: 'reactivate a cleared action without duration',
			make: cleared,
			body: (codeid) => ({ codeid, activate: true }),
		},
		{ name: 'activate and clear together', make: pending, body: (codeid) => ({ codeid, activate: true, clear: true }) },
		{ name: 'clear with a duration', make: running, body: (codeid) => ({ codeid, clear: true, duration: 5 }) },
		{ name: 'no operation at all', make: running, body: (codeid) => ({ codeid, reason: 'hello' }) },
	];

	it.each(cases)('$name', async ({ make, body, before }) => {
		const a = make();
		before?.();
		const snapshot = state(a.codeid);
		const res = await post(sim, '/antigena', body(a.codeid));
		expect([res.status, res.json]).toEqual([400, INPUT_ERROR]);
		expect(state(a.codeid)).toEqual(snapshot);
	});
});

describe('request validation', () => {
	it.each([
		['an unknown codeid', { codeid: 999999, clear: true }, 'codeid'],
		['a string codeid', { codeid: '10001', clear: true }, 'codeid'],
		['a negative codeid', { codeid: -1, clear: true }, 'codeid'],
		['a missing codeid', { clear: true }, 'codeid'],
		['a string boolean', { codeid: 10001, activate: 'true' }, 'activate'],
		['a zero duration', { codeid: 10001, duration: 0 }, 'duration'],
		['a fractional duration', { codeid: 10001, duration: 1.5 }, 'duration'],
		['a non-string reason', { codeid: 10001, clear: true, reason: 5 }, 'reason'],
		['an unknown field', { codeid: 10001, clear: true, code: 1 }, 'code'],
	])('%s', async (_what, body, named) => {
		running();
		const res = await post(sim, '/antigena', body);
		expect([res.status, res.json]).toEqual([400, INPUT_ERROR]);
		expect(res.json.error).toContain(named);
	});

	it('a non-JSON body is rejected', async () => {
		running();
		for (const body of ['codeid=10001&clear=true', '[1,2]', '', '{"codeid":10001,']) {
			const res = await call(sim, 'POST', '/antigena', body);
			expect([res.status, res.json]).toEqual([400, INPUT_ERROR]);
		}
	});

	it('a form content type is rejected even with a JSON-looking body', async () => {
		running();
		const res = await call(sim, 'POST', '/antigena', '{"codeid":10001,"clear":true}', {
			contentType: 'application/x-www-form-urlencoded',
		});
		expect([res.status, res.json]).toEqual([400, INPUT_ERROR]);
		expect(state(10001).cleared).toBe(false);
	});

	it('a JSON body without a content type is accepted', async () => {
		running();
		const res = await call(sim, 'POST', '/antigena', '{"codeid":10001,"clear":true}', { contentType: null });
		expect(res.json).toEqual(SUCCESS);
	});
});

describe('audit mode', () => {
	it('any POST without a non-empty reason fails; with one it works', async () => {
		const a = running();
		sim.setAuditMode(true);
		for (const body of [
			{ codeid: a.codeid, duration: 50 },
			{ codeid: a.codeid, duration: 50, reason: '  ' },
		]) {
			const res = await post(sim, '/antigena', body);
			expect([res.status, res.json]).toEqual([400, INPUT_ERROR]);
			expect(res.json.error).toMatch(/reason/i);
		}
		const manual = await post(sim, '/antigena/manual', { did: 11, action: 'quarantine', duration: 60 });
		expect(manual.json.error).toMatch(/reason/i);
		expect(sim.actions()).toHaveLength(1);
		await change({ codeid: a.codeid, duration: 50, reason: 'audited' });
		sim.setAuditMode(false);
		await change({ codeid: a.codeid, duration: 40 });
	});

	it('can be set at start', async () => {
		const audited = await startSimulator({ seed: 'empty', auditMode: true });
		try {
			audited.addDevice({ did: 5 });
			const res = await post(audited, '/antigena/manual', { did: 5, action: 'pol', duration: 60 });
			expect(res.json).toEqual(INPUT_ERROR);
		} finally {
			await audited.stop();
		}
	});
});
