import { computeSignature, parseApiDate, parseWindowDate, signedTarget, verifyRequest } from '../../simulator/auth';
import type { SimulatorToken } from '../../simulator';
import { dateFormats, sign } from './sign';

const VECTOR = {
	target: '/modelbreaches?starttime=1701388800000&endtime=1704070800000',
	public: '118v8jecrbrtkucou5a34hsbzounohx6jce61dwy',
	private: '7chbwad4hl4n5ok69e2edrs2ogpiqy8ldd5oozdb',
	date: '20230101T120000',
	signature: 'f19ae16721cc0e020ad12ec372cb15fa93bf3626',
};
const TOKENS: SimulatorToken[] = [
	{ role: 'respond', public: VECTOR.public, private: VECTOR.private, username: 'vector' },
];
const VECTOR_TIME = Date.UTC(2023, 0, 1, 12, 0, 0);

function input(method: string, rawTarget: string, headers: Record<string, string>, body = '') {
	return {
		method,
		rawTarget,
		body: Buffer.from(body),
		headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
	};
}

const vectorHeaders = { 'DTAPI-Token': VECTOR.public, 'DTAPI-Date': VECTOR.date, 'DTAPI-Signature': VECTOR.signature };

describe('official test vector', () => {
	it('computeSignature reproduces the API guide vector', () => {
		expect(computeSignature(VECTOR.target, VECTOR.public, VECTOR.private, VECTOR.date)).toBe(VECTOR.signature);
	});

	it('the independent test signer agrees', () => {
		expect(sign(VECTOR.target, VECTOR.public, VECTOR.private, VECTOR.date)).toBe(VECTOR.signature);
	});

	it('verifyRequest accepts the vector request at the vector time', () => {
		const result = verifyRequest(input('GET', VECTOR.target, vectorHeaders), TOKENS, VECTOR_TIME);
		expect(result).toEqual({ ok: true, token: TOKENS[0], decoded: false });
	});

	it('rejects the vector with reordered parameters (the signed string is the raw target)', () => {
		const reordered = '/modelbreaches?endtime=1704070800000&starttime=1701388800000';
		expect(verifyRequest(input('GET', reordered, vectorHeaders), TOKENS, VECTOR_TIME)).toEqual({
			ok: false,
			error: 'signature',
		});
	});

	it('rejects an uppercase or truncated signature', () => {
		for (const signature of [VECTOR.signature.toUpperCase(), VECTOR.signature.slice(0, 39)]) {
			const headers = { ...vectorHeaders, 'DTAPI-Signature': signature };
			expect(verifyRequest(input('GET', VECTOR.target, headers), TOKENS, VECTOR_TIME)).toEqual({
				ok: false,
				error: 'signature',
			});
		}
	});
});

describe('signedTarget', () => {
	it('is the raw target for GET, never decoded', () => {
		expect(signedTarget('GET', '/antigena?from=2020-01-10%2012:00:00', Buffer.alloc(0)).toString()).toBe(
			'/antigena?from=2020-01-10%2012:00:00',
		);
	});

	it('is path?body for POST and ignores a query string on the POST', () => {
		const body = Buffer.from('{"codeid":1,"clear":true}');
		expect(signedTarget('POST', '/antigena?x=1', body).toString()).toBe('/antigena?{"codeid":1,"clear":true}');
		expect(signedTarget('POST', '/antigena', Buffer.alloc(0)).toString()).toBe('/antigena');
	});
});

describe('verifyRequest failures', () => {
	it.each(['DTAPI-Token', 'DTAPI-Date', 'DTAPI-Signature'])('a missing %s is a signature error', (name) => {
		const headers: Record<string, string> = { ...vectorHeaders };
		delete headers[name];
		expect(verifyRequest(input('GET', VECTOR.target, headers), TOKENS, VECTOR_TIME)).toEqual({
			ok: false,
			error: 'signature',
		});
	});

	it('an unknown public token is a signature error', () => {
		const headers = { ...vectorHeaders, 'DTAPI-Token': 'x'.repeat(40) };
		expect(verifyRequest(input('GET', VECTOR.target, headers), TOKENS, VECTOR_TIME)).toEqual({
			ok: false,
			error: 'signature',
		});
	});

	it('a correct signature with a date 30 min + 1 s away is a date error; 30 min exactly is accepted', () => {
		const limit = 30 * 60 * 1000;
		for (const [now, ok] of [
			[VECTOR_TIME + limit, true],
			[VECTOR_TIME - limit, true],
			[VECTOR_TIME + limit + 1000, false],
			[VECTOR_TIME - limit - 1000, false],
		] as const) {
			const result = verifyRequest(input('GET', VECTOR.target, vectorHeaders), TOKENS, now);
			expect(result.ok ? 'ok' : result.error).toBe(ok ? 'ok' : 'date');
		}
	});

	it('an unparseable date with a correct signature is a date error', () => {
		const date = 'yesterday';
		const headers = {
			...vectorHeaders,
			'DTAPI-Date': date,
			'DTAPI-Signature': sign(VECTOR.target, VECTOR.public, VECTOR.private, date),
		};
		expect(verifyRequest(input('GET', VECTOR.target, headers), TOKENS, VECTOR_TIME)).toEqual({
			ok: false,
			error: 'date',
		});
	});

	it('a POST signed with its query string is rejected, signed without it accepted', () => {
		const body = '{"codeid":1}';
		const date = VECTOR.date;
		const withQuery = sign(`/antigena?a=1?${body}`, VECTOR.public, VECTOR.private, date);
		const without = sign(`/antigena?${body}`, VECTOR.public, VECTOR.private, date);
		const headers = (signature: string) => ({ ...vectorHeaders, 'DTAPI-Signature': signature });
		expect(verifyRequest(input('POST', '/antigena?a=1', headers(withQuery), body), TOKENS, VECTOR_TIME).ok).toBe(false);
		expect(verifyRequest(input('POST', '/antigena?a=1', headers(without), body), TOKENS, VECTOR_TIME).ok).toBe(true);
	});
});

describe('parseApiDate', () => {
	const instant = Date.UTC(2023, 0, 1, 12, 0, 0);

	it.each(Object.entries(dateFormats(instant)))('reads the %s format (%s) as UTC', (_name, value) => {
		expect(parseApiDate(value)).toBe(instant);
	});

	it('reads the guide examples literally', () => {
		for (const value of [
			'20230101T120000',
			'2023-01-01T12:00:00',
			'2023-01-01 12:00:00',
			'Mon, 01 Jan 2023 12:00:00',
			'Mon, 01 Jan 2023 12:00:00 GMT',
			'Mon, 01 Jan 2023 12:00:00 UTC',
			'Mon Jan 1 12:00:00 2023',
		]) {
			expect(parseApiDate(value)).toBe(instant);
		}
	});

	it.each([
		'2023-02-30 12:00:00',
		'2023-01-01 24:00:00',
		'2023-13-01T00:00:00',
		'2023-01-01T12:00:00Z',
		'1672574400000',
		'',
		'Mon, 01 Foo 2023 12:00:00',
		'2023-01-01 12:00',
	])('rejects %p', (value) => {
		expect(parseApiDate(value)).toBeUndefined();
	});

	it('parseWindowDate accepts only the ISO-like forms', () => {
		expect(parseWindowDate('2020-01-10 12:00:00')).toBe(Date.UTC(2020, 0, 10, 12));
		expect(parseWindowDate('2020-01-10T12:00:00')).toBe(Date.UTC(2020, 0, 10, 12));
		expect(parseWindowDate('20200110T120000')).toBeUndefined();
	});
});
