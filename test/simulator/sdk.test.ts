/**
 * The public Python SDK (`darktrace-sdk` 0.10) as a client, reproduced byte for byte from its
 * documented behaviour (no Python here): it sorts the parameters, signs `path?k=v&...` with the
 * values as Python prints them (unencoded; `True`/`False` for booleans) and sends them
 * form-encoded (space as `+`, `:` as `%3A`). Appliances accept that; so must the simulator.
 */
import { createHmac } from 'node:crypto';
import { INPUT_ERROR, raw, useSimulator, get } from './client';
import type { Simulator } from '../../simulator';

type PyValue = string | number | boolean;

/** str() of a Python value. */
const pyStr = (v: PyValue) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

/** Python's urllib.parse.quote_plus: everything but letters, digits and `_.-~` encoded, space as `+`. */
function quotePlus(text: string): string {
	return [...Buffer.from(text, 'utf8')]
		.map((b) => {
			const c = String.fromCharCode(b);
			if (/[A-Za-z0-9_.\-~]/.test(c)) return c;
			if (c === ' ') return '+';
			return `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
		})
		.join('');
}

/** The SDK's GET: what it signs, what it sends, and its headers. */
function sdkRequest(sim: Simulator, path: string, params: Record<string, PyValue>) {
	const sorted = Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	const signed = `${path}?${sorted.map(([k, v]) => `${k}=${pyStr(v)}`).join('&')}`;
	const sent = `${path}?${sorted.map(([k, v]) => `${quotePlus(k)}=${quotePlus(pyStr(v))}`).join('&')}`;
	const token = sim.token('respond');
	const date = new Date(sim.now()).toISOString().slice(0, 19).replace('T', ' ');
	const signature = createHmac('sha1', token.private).update(`${signed}\n${token.public}\n${date}`).digest('hex');
	const headers = {
		'DTAPI-Token': token.public,
		'DTAPI-Date': date,
		'DTAPI-Signature': signature,
		'Content-Type': 'application/json',
	};
	return { signed, sent, send: () => raw(sim.url, sent, { headers, ca: sim.caCert }) };
}

const sim = useSimulator({ strict: false });
const codes = (json: Array<{ codeid: number }>) => json.map((a) => a.codeid);

describe('darktrace-sdk 0.10 request bytes', () => {
	it('get_actions(from_time="2026-12-01 05:52:22", to_time=...): signed decoded, sent encoded, accepted', async () => {
		const request = sdkRequest(sim, '/antigena', { from: '2026-12-01 05:52:22', to: '2026-12-01 06:52:22' });
		expect(request.signed).toBe('/antigena?from=2026-12-01 05:52:22&to=2026-12-01 06:52:22');
		expect(request.sent).toBe('/antigena?from=2026-12-01+05%3A52%3A22&to=2026-12-01+06%3A52%3A22');
		const res = await request.send();
		expect(res.status).toBe(200);
		const start = Date.UTC(2026, 11, 1, 5, 52, 22);
		const same = await get(sim, `/antigena?starttime=${start}&endtime=${start + 3_600_000}`);
		expect(codes(res.json)).toEqual(codes(same.json));
	});

	it('the ISO T form of from/to', async () => {
		const now = sim.now();
		const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);
		const request = sdkRequest(sim, '/antigena', { from: iso(now - 86_400_000), to: iso(now) });
		expect(request.sent).toMatch(/^\/antigena\?from=\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\d&to=/);
		const res = await request.send();
		expect(res.status).toBe(200);
		const same = await get(sim, `/antigena?starttime=${Math.floor((now - 86_400_000) / 1000) * 1000}&endtime=${Math.floor(now / 1000) * 1000}`);
		expect(codes(res.json)).toEqual(codes(same.json));
		expect(res.json.length).toBeGreaterThan(0);
	});

	it('booleans as Python prints them, with other filters, sorted', async () => {
		const request = sdkRequest(sim, '/antigena', { needconfirming: true, includehistory: true, did: 101 });
		expect(request.sent).toBe('/antigena?did=101&includehistory=True&needconfirming=True');
		const res = await request.send();
		expect(res.status).toBe(200);
		const same = await get(sim, '/antigena?did=101&includehistory=true&needconfirming=true');
		expect(res.json).toEqual(same.json);
		expect(res.json.length).toBeGreaterThan(0);
		expect(res.json[0].history).toEqual(expect.any(Array));
	});

	it('strict mode refuses both habits as lint (this project signs the bytes it sends, lowercase)', async () => {
		sim.setStrict(true);
		const windowed = await sdkRequest(sim, '/antigena', { from: '2026-12-01 05:52:22', to: '2026-12-01 06:52:22' }).send();
		expect([windowed.status, windowed.json]).toEqual([400, INPUT_ERROR]);
		expect(sim.requests().at(-1)?.lint).toMatch(/percent-decoded/);
		const booleans = await sdkRequest(sim, '/antigena', { includecleared: true }).send();
		expect([booleans.status, booleans.json]).toEqual([400, INPUT_ERROR]);
		expect(sim.requests().at(-1)?.lint).toMatch(/lowercase/);
	});
});
