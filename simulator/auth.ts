/**
 * Request authentication as a Darktrace appliance does it: HMAC-SHA1 over
 * `<api-request>\n<public token>\n<DTAPI-Date header>`, and a ±30 minute date check.
 * Independent of the node's own signing code on purpose: it must catch the node's mistakes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SimulatorToken } from './types';

export const MAX_DATE_SKEW_MS = 30 * 60 * 1000;

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MON = `(?<mon>${MONTHS.join('|')})`;
const HMS = '(?<h>\\d{2}):(?<mi>\\d{2}):(?<s>\\d{2})';
const ISO_LIKE = new RegExp(`^(?<y>\\d{4})-(?<mo>\\d{2})-(?<d>\\d{2})[T ]${HMS}$`);

/** The DTAPI-Date formats listed by the API guide, all read as UTC. */
const API_DATE_FORMATS: RegExp[] = [
	/^(?<y>\d{4})(?<mo>\d{2})(?<d>\d{2})T(?<h>\d{2})(?<mi>\d{2})(?<s>\d{2})$/, // 20230101T120000
	ISO_LIKE, // 2023-01-01T12:00:00, 2023-01-01 12:00:00
	new RegExp(`^${DAY}, (?<d>\\d{1,2}) ${MON} (?<y>\\d{4}) ${HMS}(?: (?:GMT|UTC))?$`), // Mon, 01 Jan 2023 12:00:00[ GMT|UTC]
	new RegExp(`^${DAY} ${MON} +(?<d>\\d{1,2}) ${HMS} (?<y>\\d{4})$`), // Mon Jan 1 12:00:00 2023
];

function parseWith(value: string, formats: RegExp[]): number | undefined {
	for (const format of formats) {
		const g = format.exec(value)?.groups;
		if (!g) continue;
		const fields = [
			Number(g.y),
			g.mon ? MONTHS.indexOf(g.mon) : Number(g.mo) - 1,
			Number(g.d),
			Number(g.h),
			Number(g.mi),
			Number(g.s),
		] as const;
		const ms = Date.UTC(...fields);
		const back = new Date(ms);
		const roundTrip = [
			back.getUTCFullYear(),
			back.getUTCMonth(),
			back.getUTCDate(),
			back.getUTCHours(),
			back.getUTCMinutes(),
			back.getUTCSeconds(),
		];
		// Rejects impossible dates such as 2023-02-30 or 25:00:00 instead of rolling them over.
		return roundTrip.every((v, i) => v === fields[i]) ? ms : undefined;
	}
	return undefined;
}

/** Parses a DTAPI-Date header value (any documented format, UTC). The weekday name is not cross-checked. */
export function parseApiDate(value: string): number | undefined {
	return parseWith(value, API_DATE_FORMATS);
}

/** Parses a `from`/`to` query value: `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS`, UTC. */
export function parseWindowDate(value: string): number | undefined {
	return parseWith(value, [ISO_LIKE]);
}

/** The compact `YYYYMMDDTHHMMSS` form (a DTAPI-Date format) given as a `from`/`to` value. */
export function parseCompactDate(value: string): number | undefined {
	return parseWith(value, [API_DATE_FORMATS[0]]);
}

export function computeSignature(
	target: string | Buffer,
	publicToken: string,
	privateToken: string,
	date: string,
): string {
	return createHmac('sha1', privateToken).update(target).update(`\n${publicToken}\n${date}`).digest('hex');
}

/**
 * What the client must have signed: for a GET the raw target as received (never decoded or
 * re-encoded); for a POST the path, `?` and the raw body bytes (a query string on a POST is not signed).
 */
export function signedTarget(method: string, rawTarget: string, body: Buffer): Buffer {
	if (method !== 'POST') return Buffer.from(rawTarget, 'latin1');
	const path = rawTarget.split('?')[0];
	return body.length ? Buffer.concat([Buffer.from(`${path}?`, 'latin1'), body]) : Buffer.from(path, 'latin1');
}

/**
 * The GET target with its query percent-decoded (`+` as a space), as a client signs it that
 * "signs unencoded, sends encoded" (the guide's advice; the Python SDK does it). Undefined when
 * decoding changes nothing or the query is not valid percent-encoding.
 */
export function decodedTarget(method: string, rawTarget: string): Buffer | undefined {
	const at = rawTarget.indexOf('?');
	if (method === 'POST' || at < 0) return undefined;
	const query = rawTarget.slice(at + 1);
	let decoded: string;
	try {
		decoded = decodeURIComponent(query.replace(/\+/g, ' '));
	} catch {
		return undefined;
	}
	return decoded === query ? undefined : Buffer.from(`${rawTarget.slice(0, at)}?${decoded}`, 'utf8');
}

/** `decoded`: the signature matched only the percent-decoded target. */
export type AuthResult =
	| { ok: true; token: SimulatorToken; decoded: boolean }
	| { ok: false; error: 'signature' | 'date' };

export interface AuthInput {
	method: string;
	rawTarget: string;
	body: Buffer;
	headers: IncomingHttpHeaders;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function sameHex(a: string, b: string): boolean {
	return a.length === b.length && timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}

/**
 * Order of checks: headers present, token known, signature valid (over the bytes sent, or else
 * over the percent-decoded target), then the date. A DATE ERROR therefore means the tokens are
 * right and only the clock is off.
 */
export function verifyRequest(input: AuthInput, tokens: readonly SimulatorToken[], now: number): AuthResult {
	const publicToken = header(input.headers, 'dtapi-token');
	const date = header(input.headers, 'dtapi-date');
	const signature = header(input.headers, 'dtapi-signature');
	const token = tokens.find((t) => t.public === publicToken);
	if (!publicToken || !date || !signature || !token) return { ok: false, error: 'signature' };
	const signs = (target: Buffer) => sameHex(signature, computeSignature(target, token.public, token.private, date));
	let decoded = false;
	if (!signs(signedTarget(input.method, input.rawTarget, input.body))) {
		const alternative = decodedTarget(input.method, input.rawTarget);
		if (!alternative || !signs(alternative)) return { ok: false, error: 'signature' };
		decoded = true;
	}
	const when = parseApiDate(date);
	if (when === undefined || Math.abs(when - now) > MAX_DATE_SKEW_MS) return { ok: false, error: 'date' };
	return { ok: true, token, decoded };
}
