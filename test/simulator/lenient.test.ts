/**
 * Default mode follows the API contract and is no stricter than an appliance; strict mode (what
 * the project's own tests run) refuses the same requests with 400 INPUT ERROR, logged as "lint".
 */
import { parseArgs } from '../../simulator/cli';
import { INPUT_ERROR, MINUTE, call, get, post, useSimulator } from './client';

const sim = useSimulator({ strict: false });
const codes = (json: Array<{ codeid: number }>) => json.map((a) => a.codeid);
const spaced = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const compact = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, '');

async function expectLint(send: () => Promise<{ status: number; json: unknown }>, lint: RegExp) {
	sim.setStrict(true);
	const res = await send();
	sim.setStrict(false);
	expect([res.status, res.json]).toEqual([400, INPUT_ERROR]);
	expect(sim.requests().at(-1)?.lint).toMatch(lint);
}

describe('default mode: accepted as an appliance would, strict mode: lint', () => {
	it('an unknown query parameter is ignored', async () => {
		const plain = await get(sim, '/antigena');
		const res = await get(sim, '/antigena?verbose=1');
		expect([res.status, res.json]).toEqual([200, plain.json]);
		expect(sim.requests().at(-1)?.lint).toBeUndefined();
		await expectLint(() => get(sim, '/antigena?verbose=1'), /Unknown parameter verbose/);
	});

	it('a repeated parameter keeps its first value', async () => {
		const res = await get(sim, '/antigena?did=101&did=102');
		expect(res.status).toBe(200);
		expect(new Set(res.json.map((a: { did: number }) => a.did))).toEqual(new Set([101]));
		await expectLint(() => get(sim, '/antigena?did=101&did=102'), /did given more than once/);
	});

	it('booleans in any case: True, FALSE', async () => {
		const lower = await get(sim, '/antigena?includecleared=true&needconfirming=false');
		const mixed = await get(sim, '/antigena?includecleared=True&needconfirming=FALSE');
		expect([mixed.status, codes(mixed.json)]).toEqual([200, codes(lower.json)]);
		await expectLint(() => get(sim, '/antigena?includecleared=True'), /includecleared must be lowercase/);
		expect((await get(sim, '/antigena?includecleared=yes')).status).toBe(400);
	});

	it('a start after the end selects what overlaps it literally (nothing here)', async () => {
		const now = sim.now();
		const res = await get(sim, `/antigena?starttime=${now}&endtime=${now - 60 * MINUTE}&includecleared=true`);
		const running = sim.actions().filter((a) => a.start <= now - 60 * MINUTE && a.expires >= now);
		expect([res.status, codes(res.json)]).toEqual([200, running.map((a) => a.codeid)]);
		await expectLint(() => get(sim, `/antigena?starttime=2&endtime=1`), /start must not be after the end/);
	});

	it('both window forms: starttime/endtime wins', async () => {
		const now = sim.now();
		const epoch = `starttime=${now - 2 * 60 * MINUTE}&endtime=${now}`;
		const other = `from=${encodeURIComponent(spaced(now - 30 * 24 * 60 * MINUTE))}&to=${encodeURIComponent(spaced(now - 29 * 24 * 60 * MINUTE))}`;
		const byEpoch = await get(sim, `/antigena?${epoch}`);
		const both = await get(sim, `/antigena?${epoch}&${other}`);
		expect([both.status, codes(both.json)]).toEqual([200, codes(byEpoch.json)]);
		expect(byEpoch.json.length).toBeGreaterThan(0);
		await expectLint(() => get(sim, `/antigena?${epoch}&${other}`), /either starttime\/endtime or from\/to/);
	});

	it('the compact form of from/to is read like the spaced one', async () => {
		const now = sim.now();
		const [from, to] = [now - 3 * 60 * MINUTE, now];
		const asSpaced = await get(sim, `/antigena?from=${encodeURIComponent(spaced(from))}&to=${encodeURIComponent(spaced(to))}`);
		const asCompact = await get(sim, `/antigena?from=${compact(from)}&to=${compact(to)}`);
		expect([asCompact.status, codes(asCompact.json)]).toEqual([200, codes(asSpaced.json)]);
		await expectLint(() => get(sim, `/antigena?from=${compact(from)}&to=${compact(to)}`), /compact form/);
	});

	it('half a window is an INPUT ERROR in both modes (the contract: "must be given as a pair")', async () => {
		expect((await get(sim, '/antigena?starttime=1')).status).toBe(400);
		expect(sim.requests().at(-1)?.lint).toBeUndefined();
	});

	it('an unknown body field is ignored', async () => {
		const res = await post(sim, '/antigena', { codeid: 10001, activate: true, comment: 'x' });
		expect([res.status, sim.action(10001)?.active]).toEqual([200, true]);
		await expectLint(() => post(sim, '/antigena', { codeid: 10002, clear: true, comment: 'x' }), /Unknown field comment/);
		expect(sim.action(10002)?.cleared).toBe(false);
	});

	it('an unknown field of a connections entry is ignored and not stored', async () => {
		const body = { did: 101, action: 'connection', duration: 60, connections: [{ src: 'a', dst: 'b', proto: 'tcp' }] };
		const res = await post(sim, '/antigena/manual', body);
		expect(res.status).toBe(200);
		expect(sim.action(res.json.codeid)?.connections).toEqual([{ src: 'a', dst: 'b' }]);
		await expectLint(() => post(sim, '/antigena/manual', body), /Unknown field proto in connections\[0\]/);
	});

	it('a clear with a duration clears (the duration changes nothing)', async () => {
		const active = sim.actions().find((a) => a.active && !a.cleared && a.expires > sim.now())!;
		const res = await post(sim, '/antigena', { codeid: active.codeid, clear: true, duration: 60 });
		expect(res.status).toBe(200);
		expect(sim.action(active.codeid)).toMatchObject({ cleared: true, active: false, expires: active.expires });
		await expectLint(() => post(sim, '/antigena', { codeid: 10002, clear: true, duration: 5 }), /duration cannot/);
	});

	it('a POST with a query string is processed (the query is not signed)', async () => {
		const body = JSON.stringify({ codeid: 10002, clear: true });
		const send = () => call(sim, 'POST', '/antigena?x=1', body, { signTarget: `/antigena?${body}` });
		await expectLint(send, /no query string/);
		expect(sim.action(10002)?.cleared).toBe(false);
		expect((await send()).status).toBe(200);
		expect(sim.action(10002)?.cleared).toBe(true);
	});

	it('GET /antigena/manual is 404 in both modes', async () => {
		expect((await get(sim, '/antigena/manual')).status).toBe(404);
		sim.setStrict(true);
		expect((await get(sim, '/antigena/manual')).status).toBe(404);
	});

	it('strict mode is a start option, a CLI flag (off by default) and reported by the control state', () => {
		expect(sim.strict).toBe(false);
		const cli = parseArgs(['--strict']);
		const plain = parseArgs([]);
		expect([cli !== 'help' && cli.sim.strict, plain !== 'help' && plain.sim.strict]).toEqual([true, false]);
	});
});
