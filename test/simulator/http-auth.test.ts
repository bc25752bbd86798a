import { INPUT_ERROR, MINUTE, call, get, post, raw, useSimulator } from './client';
import { dateFormats, spacedDate } from './sign';

const sim = useSimulator();

const SIGNATURE_ERROR = { response: 'API SIGNATURE ERROR' };
const DATE_ERROR = { response: 'API DATE ERROR' };

describe('DTAPI-Date', () => {
	it.each(Object.keys(dateFormats(0)))('accepts the %s format', async (format) => {
		const res = await get(sim, '/antigena/summary', { date: dateFormats(sim.now())[format] });
		expect(res.status).toBe(200);
		expect(res.json).toHaveProperty('pendingCount');
	});

	it('accepts up to 30 minutes of skew either way and rejects beyond', async () => {
		const now = sim.now();
		const at = (offset: number) => get(sim, '/antigena/summary', { date: spacedDate(now + offset) });
		expect((await at(29 * MINUTE)).status).toBe(200);
		expect((await at(-29 * MINUTE)).status).toBe(200);
		const late = await at(31 * MINUTE);
		expect([late.status, late.json]).toEqual([400, DATE_ERROR]);
		const early = await at(-31 * MINUTE);
		expect([early.status, early.json]).toEqual([400, DATE_ERROR]);
	});

	it('judges dates against the appliance\'s wall clock: setClockSkew() moves the ±30 min window', async () => {
		const date = spacedDate(Date.now());
		try {
			sim.setClockSkew(29 * MINUTE);
			expect((await get(sim, '/antigena/summary', { date })).status).toBe(200);
			sim.setClockSkew(31 * MINUTE);
			const res = await get(sim, '/antigena/summary', { date });
			expect([res.status, res.json]).toEqual([400, DATE_ERROR]);
			expect(Date.parse(res.headers.date as string)).toBeGreaterThan(Date.now() + 30 * MINUTE);
		} finally {
			sim.setClockSkew(0);
		}
	});

	it('one clock: an appliance 40 minutes ahead of its client refuses its request; its Date header shows its clock', async () => {
		const real = Date.now();
		sim.setClockSkew(40 * MINUTE);
		try {
			const res = await get(sim, '/antigena/summary', { date: spacedDate(real) });
			expect([res.status, res.json]).toEqual([400, DATE_ERROR]);
			expect(Math.abs(Date.parse(res.headers.date as string) - (real + 40 * MINUTE))).toBeLessThan(2000);
			// a client whose clock follows the appliance's is accepted, and sees the same clock
			const synced = await get(sim, '/antigena/summary', { date: spacedDate(sim.now()) });
			expect(synced.status).toBe(200);
			expect(Math.abs(Date.parse(synced.headers.date as string) - sim.now())).toBeLessThan(2000);
		} finally {
			sim.setClockSkew(0);
		}
	});

	it('advance() lets time pass for the appliance and its clients alike: its clock moves, the client stays in sync, actions expire', async () => {
		const action = sim.createAction({ expires: sim.now() + 60 * MINUTE });
		const clockBefore = sim.now();
		sim.advance(3 * 60 * MINUTE);
		expect(Math.abs(sim.now() - clockBefore - 3 * 60 * MINUTE)).toBeLessThan(2000);
		// The client cannot move its clock in a test: its dates are read as if it had moved along.
		const res = await get(sim, '/antigena/summary', { date: spacedDate(Date.now()) });
		expect(res.status).toBe(200);
		expect(Math.abs(Date.parse(res.headers.date as string) - sim.now())).toBeLessThan(2000);
		// Stored times stay as they were, as on an appliance: the action expired by the clock.
		expect(sim.action(action.codeid)!.expires).toBe(action.expires);
		expect(sim.action(action.codeid)!.expires).toBeLessThan(sim.now() - 119 * MINUTE);
		// A client 40 minutes off the moved clock is refused.
		const off = await get(sim, '/antigena/summary', { date: spacedDate(Date.now() + 40 * MINUTE) });
		expect([off.status, off.json]).toEqual([400, DATE_ERROR]);
	});

	it('an unparseable date with a valid signature is a date error', async () => {
		const res = await get(sim, '/antigena/summary', { date: '01/01/2023 12:00' });
		expect([res.status, res.json]).toEqual([400, DATE_ERROR]);
	});
});

describe('signature errors', () => {
	it('a wrong private token gives 400 API SIGNATURE ERROR', async () => {
		const res = await get(sim, '/antigena', {
			token: { public: sim.token('respond').public, private: 'wrong'.padEnd(40, '0') },
		});
		expect([res.status, res.json]).toEqual([400, SIGNATURE_ERROR]);
	});

	it('an unknown public token gives API SIGNATURE ERROR', async () => {
		const res = await get(sim, '/antigena', {
			token: { public: 'a'.repeat(40), private: sim.token('respond').private },
		});
		expect([res.status, res.json]).toEqual([400, SIGNATURE_ERROR]);
	});

	it.each(['DTAPI-Token', 'DTAPI-Date', 'DTAPI-Signature'] as const)(
		'a missing %s gives API SIGNATURE ERROR',
		async (name) => {
			const res = await get(sim, '/antigena', { omit: [name] });
			expect([res.status, res.json]).toEqual([400, SIGNATURE_ERROR]);
		},
	);

	it('no headers at all on an unknown path is still a signature error, not a 404', async () => {
		const res = await raw(sim.url, '/nothing');
		expect([res.status, res.json]).toEqual([400, SIGNATURE_ERROR]);
	});

	it('a percent-encoded query signed as sent works; signed decoded, strict mode refuses it as lint', async () => {
		const target = '/antigena?from=2020-01-10%2012:00:00&to=2020-01-11%2012:00:00';
		expect((await get(sim, target)).status).toBe(200);
		sim.setStrict(true);
		const res = await get(sim, target, { signTarget: decodeURIComponent(target) });
		expect([res.status, res.json]).toEqual([400, INPUT_ERROR]);
		expect(sim.requests().at(-1)?.lint).toMatch(/percent-decoded/);
		sim.setStrict(false);
		expect((await get(sim, target, { signTarget: decodeURIComponent(target) })).status).toBe(200);
		const wrong = await get(sim, target, { signTarget: decodeURIComponent(target).replace('2020', '2021') });
		expect(wrong.json).toEqual(SIGNATURE_ERROR);
	});

	it('a signature over sorted parameters does not match an unsorted target', async () => {
		const res = await get(sim, '/antigena?includecleared=true&did=101', {
			signTarget: '/antigena?did=101&includecleared=true',
		});
		expect(res.json).toEqual(SIGNATURE_ERROR);
	});

	it('a POST is signed over path?body; a POST with a query string is signed without the query', async () => {
		sim.setStrict(false); // strict mode refuses any query string on a POST
		const body = JSON.stringify({ codeid: 10001, clear: true });
		const res = await call(sim, 'POST', '/antigena?verbose=1', body, { signTarget: `/antigena?${body}` });
		expect([res.status, res.json]).toEqual([200, { response: 'SUCCESS' }]);
		const withQuery = await call(sim, 'POST', '/antigena?verbose=1', body, {
			signTarget: `/antigena?verbose=1?${body}`,
		});
		expect(withQuery.json).toEqual(SIGNATURE_ERROR);
	});

	it('a POST body signed with different whitespace than sent is rejected', async () => {
		const sent = '{"codeid": 10001, "clear": true}';
		const res = await call(sim, 'POST', '/antigena', sent, { signTarget: `/antigena?{"codeid":10001,"clear":true}` });
		expect(res.json).toEqual(SIGNATURE_ERROR);
		expect(sim.action(10001)?.cleared).toBe(false);
	});

	it('never echoes a private token in a response', async () => {
		const texts = await Promise.all([
			get(sim, '/antigena', { token: { public: sim.token('respond').public, private: 'x'.repeat(40) } }),
			get(sim, '/antigena'),
			post(sim, '/antigena', { codeid: 1 }),
		]);
		for (const res of texts) {
			for (const token of sim.tokens) expect(res.text).not.toContain(token.private);
		}
	});
});

describe('permissions', () => {
	const writes: Array<[string, unknown]> = [
		['/antigena', { codeid: 10001, activate: true }],
		['/antigena/manual', { did: 101, action: 'quarantine', duration: 60 }],
	];

	it('respond token: reads and writes', async () => {
		expect((await get(sim, '/antigena', { role: 'respond' })).status).toBe(200);
		for (const [path, body] of writes) expect((await post(sim, path, body, { role: 'respond' })).status).toBe(200);
	});

	it('readonly token: GETs work, POSTs are 403 with a permission error and change nothing', async () => {
		expect((await get(sim, '/antigena', { role: 'readonly' })).status).toBe(200);
		expect((await get(sim, '/antigena/summary', { role: 'readonly' })).status).toBe(200);
		const before = sim.actions();
		for (const [path, body] of writes) {
			const res = await post(sim, path, body, { role: 'readonly' });
			expect(res.status).toBe(403);
			expect(res.json.error).toMatch(/permission/i);
			expect(typeof res.json.response).toBe('string');
		}
		expect(sim.actions()).toEqual(before);
	});

	it('token without permissions: 403 on every endpoint', async () => {
		const results = await Promise.all([
			get(sim, '/antigena', { role: 'none' }),
			get(sim, '/antigena/summary', { role: 'none' }),
			...writes.map(([path, body]) => post(sim, path, body, { role: 'none' })),
		]);
		for (const res of results) {
			expect(res.status).toBe(403);
			expect(res.json.error).toMatch(/permission/i);
		}
	});
});

describe('routing', () => {
	it('unknown paths are 404 JSON', async () => {
		for (const path of ['/devices', '/antigena/', '/antigena/unknown', '/state']) {
			const res = await get(sim, path);
			expect(res.status).toBe(404);
			expect(res.headers['content-type']).toMatch(/json/);
			expect(res.json.error).toContain(path);
		}
	});

	it('GET /antigena/manual is not supported: 404, like an unknown endpoint', async () => {
		const res = await get(sim, '/antigena/manual');
		expect([res.status, res.json]).toEqual([404, { error: expect.any(String), response: 'NOT FOUND' }]);
	});

	it('POST /antigena/summary is not supported (404)', async () => {
		expect((await post(sim, '/antigena/summary', {})).status).toBe(404);
	});
});
