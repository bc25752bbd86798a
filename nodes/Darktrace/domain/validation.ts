/**
 * Input checks run before any request. Each failure is an InputError naming the field, the value and the
 * fix; the router and the trigger turn it into a NodeOperationError for the item (toNodeError in
 * nodeError.ts). Pure: no n8n runtime.
 */
import { INHIBITORS, type Inhibitor } from './action';

export class InputError extends Error {
	constructor(
		readonly field: string,
		readonly value: unknown,
		readonly fix: string,
		problem = 'is not valid',
	) {
		// The fix's key part goes in the message too: an AI agent using the node as a tool reads only the message.
		super(`${field} ${show(value)} ${problem}: ${keyPart(fix)}`);
		this.name = 'InputError';
	}
}

/** A fix hint's first clause, without its example ("…, e.g. {{ $json.codeid }}."), starting lower case. */
export function keyPart(fix: string): string {
	const clause = fix.split(/,? e\.g\.|(?<!e\.g)\. |; /)[0].replace(/[.;,:]+$/, '').trim();
	return /^[A-Z][a-z]/.test(clause) ? clause.charAt(0).toLowerCase() + clause.slice(1) : clause;
}

function show(value: unknown): string {
	if (value === undefined) return '(empty)';
	if (value === null) return 'null';
	if (typeof value === 'string')
		return value === '' ? '(empty)' : `"${value.length > 80 ? value.slice(0, 80) + '…' : value}"`;
	if (typeof value === 'object') {
		const json = JSON.stringify(value);
		return json.length > 80 ? `${json.slice(0, 80)}…` : json;
	}
	return String(value);
}

/** Largest ID or duration accepted: 2^31-1, the appliance's integer range. */
const MAX_ID = 2147483647;
/** Longest RESPOND action we let anyone ask for: 30 days. */
export const MAX_DURATION_SECONDS = 30 * 24 * 3600;
const MAX_REASON_LENGTH = 1024;

/** A positive integer from a number or a string of digits (expressions often yield strings). */
export function parseInteger(field: string, value: unknown, fix: string, min = 1, max = MAX_ID): number {
	let n: number;
	if (typeof value === 'number') n = value;
	else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) n = Number(value.trim());
	else
		throw new InputError(
			field,
			value,
			fix,
			typeof value === 'string' && value.trim() === '' ? 'is empty' : 'is not a whole number',
		);
	if (!Number.isFinite(n) || !Number.isInteger(n)) throw new InputError(field, value, fix, 'is not a whole number');
	if (n < min) throw new InputError(field, value, fix, `is below ${min}`);
	if (n > max) throw new InputError(field, value, fix, `is above ${max}`);
	return n;
}

export function parseCodeId(value: unknown): number {
	return parseInteger(
		'Code ID',
		value,
		'Use the "codeid" of the action (a positive whole number) as listed by Get Many or the trigger, e.g. {{ $json.codeid }}.',
	);
}

export function parseDeviceId(value: unknown): number {
	return parseInteger('Device ID', value, 'Use the device\'s "did" (a positive whole number), e.g. {{ $json.did }}.');
}

export function parseDuration(value: unknown): number {
	return parseInteger(
		'Duration (Seconds)',
		value,
		`Give the duration in whole seconds, from 1 to ${MAX_DURATION_SECONDS} (30 days); e.g. 3600 for one hour.`,
		1,
		MAX_DURATION_SECONDS,
	);
}

/**
 * The Reason of a write. `asTool`: the node runs as an AI agent's tool, where a write must say why (it
 * changes network enforcement on the model's decision), so an empty Reason is refused.
 */
export function parseReason(value: unknown, asTool = false): string {
	if ((value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) && asTool) {
		throw new InputError(
			'Reason',
			value,
			"Set Reason to {{ $fromAI('reason', 'Why this change is needed', 'string') }} so the model states why, or type one. A RESPOND write changes network enforcement and is recorded in the action's history.",
			'is empty, and a write used as an AI tool needs one',
		);
	}
	if (value === undefined || value === null) return '';
	if (typeof value !== 'string') {
		throw new InputError(
			'Reason',
			value,
			'Give the reason as text, e.g. "Approved by SOC ticket 1234".',
			'is not text',
		);
	}
	const reason = value.trim();
	if (reason.length > MAX_REASON_LENGTH) {
		throw new InputError(
			'Reason',
			value,
			`Shorten the reason to at most ${MAX_REASON_LENGTH} characters.`,
			'is too long',
		);
	}
	return reason;
}

export function parseInhibitor(value: unknown, field = 'Inhibitor'): Inhibitor {
	if (typeof value === 'string' && Object.prototype.hasOwnProperty.call(INHIBITORS, value)) return value as Inhibitor;
	throw new InputError(
		field,
		value,
		`Use one of: ${Object.keys(INHIBITORS).join(', ')}.`,
		'is not a RESPOND inhibitor',
	);
}

/** A list of inhibitors (a multi-select filter); empty when unset. */
export function parseInhibitors(value: unknown): Inhibitor[] {
	const field = 'Inhibitors';
	if (value === undefined || value === null || value === '') return [];
	if (!Array.isArray(value)) {
		throw new InputError(field, value, `Give a list of: ${Object.keys(INHIBITORS).join(', ')}.`, 'is not a list');
	}
	return value.map((inhibitor) => parseInhibitor(inhibitor, field));
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

function isIpv6(value: string): boolean {
	if (!/^[0-9a-f:.]+$/i.test(value) || !value.includes(':')) return false;
	const parts = value.split('::');
	if (parts.length > 2) return false;
	const groups = parts.flatMap((p) => (p === '' ? [] : p.split(':')));
	const last = groups[groups.length - 1];
	const v4Tail = last !== undefined && last.includes('.');
	if (v4Tail && !IPV4.test(last)) return false;
	const hexGroups = v4Tail ? groups.slice(0, -1) : groups;
	if (!hexGroups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return false;
	const count = hexGroups.length + (v4Tail ? 2 : 0);
	return parts.length === 2 ? count < 8 : count === 8;
}

export function isIpOrHostname(value: string): boolean {
	if (IPV4.test(value) || isIpv6(value)) return true;
	// A name whose last label is a number (decimal or 0x hex) is an IPv4 address to resolvers and URL
	// parsers ("0x7f.1" is 127.0.0.1, "10.1" is 10.0.0.1): only the dotted-decimal form is taken.
	const labels = value.replace(/\.$/, '').split('.');
	if (/^(\d+|0x[0-9a-f]*)$/i.test(labels[labels.length - 1])) return false;
	return HOSTNAME.test(value);
}

export interface ConnectionPair {
	src: string;
	dst: string;
	port?: number;
}

/** Connection pairs for the "connection" inhibitor; none may be given for any other inhibitor. */
export function parseConnections(inhibitor: Inhibitor, raw: unknown): ConnectionPair[] | undefined {
	const list = raw === undefined || raw === null ? [] : raw;
	if (!Array.isArray(list)) {
		throw new InputError('Connections', raw, 'Give a list of {src, dst, port} pairs.', 'is not a list');
	}
	if (inhibitor !== 'connection') {
		if (list.length > 0) {
			throw new InputError(
				'Connections',
				list,
				`Remove the connection pairs, or choose the inhibitor "${INHIBITORS.connection}".`,
				`only apply to "${INHIBITORS.connection}", not to "${INHIBITORS[inhibitor]}"`,
			);
		}
		return undefined;
	}
	if (list.length === 0) {
		throw new InputError(
			'Connections',
			list,
			"Add at least one pair: a source (the device's IP) and a destination IP or host name, with an optional port.",
			`are required for "${INHIBITORS.connection}"`,
		);
	}
	return list.map((entry, index) => {
		const pair = (entry ?? {}) as Record<string, unknown>;
		const at = `Connection ${index + 1}`;
		const endpoint = (name: 'src' | 'dst') => {
			const value = typeof pair[name] === 'string' ? (pair[name] as string).trim() : pair[name];
			if (typeof value !== 'string' || value === '') {
				throw new InputError(
					`${at} ${name === 'src' ? 'Source' : 'Destination'}`,
					pair[name],
					'Give an IP address or host name; source and destination always go together.',
					'is missing',
				);
			}
			if (!isIpOrHostname(value)) {
				throw new InputError(
					`${at} ${name === 'src' ? 'Source' : 'Destination'}`,
					value,
					'Give an IPv4/IPv6 address (e.g. 10.0.0.5; IPv4 as four decimal numbers) or a host name (e.g. example.com), without scheme or port.',
					'is not an IP address or host name',
				);
			}
			return value;
		};
		const result: ConnectionPair = { src: endpoint('src'), dst: endpoint('dst') };
		const port = pair.port;
		if (port !== undefined && port !== null && port !== '' && port !== 0) {
			result.port = parseInteger(
				`${at} Port`,
				port,
				'Give a port from 1 to 65535, or leave it empty for any port.',
				1,
				65535,
			);
		}
		return result;
	});
}

/** Earliest epoch ms taken as a date: 1973-03-03. Smaller whole numbers are epoch seconds or typos. */
const MIN_EPOCH_MS = 1e11;
/** Latest: 9999-12-31T23:59:59.999Z. */
const MAX_EPOCH_MS = 253402300799999;
const DATE_HINT =
	"Give an ISO date and time, e.g. 2024-01-31T12:00:00 (read in the workflow's time zone) or 2024-01-31T12:00:00Z, epoch milliseconds (13 digits), or {{ $now.minus(1, 'day') }}.";
const ISO_DATE =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time in `timeZone` at instant `ms`, written as if it were UTC (whole seconds). */
function wallClock(ms: number, timeZone: string): number {
	let format = wallClocks.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
			era: 'short',
		});
		wallClocks.set(timeZone, format);
	}
	const part: Record<string, string> = {};
	for (const { type, value } of format.formatToParts(new Date(ms))) part[type] = value;
	const year = part.era === 'BC' || part.era === 'B' ? 1 - Number(part.year) : Number(part.year);
	const utc = new Date(0);
	utc.setUTCFullYear(year, Number(part.month) - 1, Number(part.day));
	utc.setUTCHours(Number(part.hour), Number(part.minute), Number(part.second), 0);
	return utc.getTime();
}

function isTimeZone(timeZone: string): boolean {
	try {
		wallClock(0, timeZone);
		return true;
	} catch {
		return false;
	}
}

function formatOffset(offsetMs: number): string {
	const minutes = Math.round(offsetMs / 60000);
	const abs = Math.abs(minutes);
	return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The instant a wall-clock time (written as if UTC) names in `timeZone`. A time the clocks skip (a DST
 * gap) or pass twice (the hour repeated when DST ends) names no single instant: refused.
 */
function fromWallClock(field: string, value: unknown, wall: number, timeZone: string): number {
	const millis = ((wall % 1000) + 1000) % 1000;
	const seconds = wall - millis;
	if (!isTimeZone(timeZone)) {
		throw new InputError(
			field,
			value,
			"Set a valid time zone in the workflow's settings (e.g. Europe/Berlin), or give the time with an offset (e.g. 2024-01-31T12:00:00Z).",
			`cannot be read in the workflow's time zone "${timeZone}"`,
		);
	}
	// The offsets in force a day before and a day after: the instant is the wall clock minus one of them.
	const offsets = [
		...new Set([-86400000, 86400000].map((day) => wallClock(seconds + day, timeZone) - (seconds + day))),
	];
	const instants = offsets.map((offset) => seconds - offset).filter((t) => wallClock(t, timeZone) === seconds);
	if (instants.length === 1) return instants[0] + millis;
	const text = typeof value === 'string' ? value.trim() : String(value);
	if (instants.length === 0) {
		throw new InputError(
			field,
			value,
			`Give another time, or the offset, e.g. ${text}${formatOffset(offsets[0])}.`,
			`does not exist in the workflow's time zone ${timeZone} (the clocks skip it)`,
		);
	}
	instants.sort((a, b) => a - b);
	throw new InputError(
		field,
		value,
		`Add the offset to say which: ${text}${formatOffset(seconds - instants[0])} (the first) or ${text}${formatOffset(seconds - instants[1])} (the second).`,
		`is ambiguous in the workflow's time zone ${timeZone} (the clocks pass it twice)`,
	);
}

/**
 * Epoch ms from a time-window value. Strings are ISO 8601; without an offset they are read in the
 * workflow's time zone (`timeZone`), as n8n's date picker stores them. Numbers and digit strings are
 * epoch milliseconds, the API's unit; values that read as epoch seconds or as no single instant are refused.
 */
export function parseDateTime(field: string, value: unknown, timeZone = 'UTC'): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const notADate = (problem = 'is not a date', fix = DATE_HINT) => new InputError(field, value, fix, problem);
	let ms: number;
	if (value instanceof Date) ms = value.getTime();
	else if (typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		ms = (value as { toMillis(): number }).toMillis();
	} else if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d+\s*$/.test(value))) {
		const n = Number(value);
		if (!Number.isFinite(n)) throw notADate();
		if (!Number.isInteger(n)) throw notADate('is not a whole number of milliseconds');
		if (n >= 1e9 && n < MIN_EPOCH_MS) {
			throw notADate(
				'looks like epoch seconds, but numbers here are epoch milliseconds',
				`Multiply by 1000 (${n * 1000} is ${new Date(n * 1000).toISOString()}), or give an ISO date and time.`,
			);
		}
		if (n < MIN_EPOCH_MS || n > MAX_EPOCH_MS) {
			throw notADate(
				'is not a date in epoch milliseconds',
				`Give epoch milliseconds (13 digits, e.g. ${Date.UTC(2024, 0, 31, 12)} for 2024-01-31T12:00:00Z) or an ISO date and time.`,
			);
		}
		ms = n;
	} else if (typeof value === 'string') {
		const match = ISO_DATE.exec(value.trim());
		if (!match) throw notADate();
		const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = match;
		const fields = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec)];
		const wall = new Date(0);
		wall.setUTCFullYear(fields[0], fields[1] - 1, fields[2]);
		wall.setUTCHours(fields[3], fields[4], fields[5], Math.round(Number(`0.${frac || '0'}`) * 1000));
		const back = wall;
		if (
			fields[0] < 1 ||
			back.getUTCFullYear() !== fields[0] ||
			back.getUTCMonth() !== fields[1] - 1 ||
			back.getUTCDate() !== fields[2] ||
			back.getUTCHours() !== fields[3] ||
			back.getUTCMinutes() !== fields[4] ||
			back.getUTCSeconds() !== fields[5]
		) {
			throw notADate('is not a calendar date and time');
		}
		if (zone) {
			const sign = zone[0] === '-' ? -1 : 1;
			const digits = zone.toUpperCase() === 'Z' ? '0000' : zone.slice(1).replace(':', '').padEnd(4, '0');
			const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
			if (Number(digits.slice(0, 2)) > 23 || Number(digits.slice(2)) > 59) throw notADate('has no valid offset');
			ms = wall.getTime() - offset;
		} else {
			ms = fromWallClock(field, value, wall.getTime(), timeZone);
		}
	} else {
		throw notADate();
	}
	if (!Number.isFinite(ms) || ms < 0 || ms > MAX_EPOCH_MS) throw notADate();
	return Math.round(ms);
}

/** The time window's fields, as labelled in the node. */
const START = 'Time Window From';
const END = 'Time Window To';

/** A time window is all or nothing: the appliance rejects half of one. `timeZone`: the workflow's. */
export function parseTimeWindow(
	start: unknown,
	end: unknown,
	timeZone = 'UTC',
): { starttime: number; endtime: number } | undefined {
	const starttime = parseDateTime(START, start, timeZone);
	const endtime = parseDateTime(END, end, timeZone);
	if (starttime === undefined && endtime === undefined) return undefined;
	if (starttime === undefined) {
		throw new InputError(START, start, `Set both ${START} and ${END}, or neither.`, `is missing while ${END} is set`);
	}
	if (endtime === undefined) {
		throw new InputError(END, end, `Set both ${START} and ${END}, or neither.`, `is missing while ${START} is set`);
	}
	if (endtime <= starttime) {
		throw new InputError(
			END,
			end,
			`Choose an end after the start (${new Date(starttime).toISOString()}).`,
			`is not after ${START}`,
		);
	}
	return { starttime, endtime };
}

/** A comma-separated list (or array) of positive integers, e.g. device IDs. */
export function parseIdList(field: string, value: unknown): number[] {
	if (value === undefined || value === null || value === '') return [];
	const parts = Array.isArray(value) ? value : typeof value === 'number' ? [value] : String(value).split(',');
	return parts
		.map((p) => (typeof p === 'string' ? p.trim() : p))
		.filter((p) => p !== '')
		.map((p) => parseInteger(field, p, 'Give whole numbers separated by commas, e.g. 12, 345.'));
}

/** A score from 0 to 1: a number, or a decimal written as text. Booleans, lists, hex and exponents are refused. */
export function parseScore(field: string, value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const fix = 'Give a score between 0 and 1, e.g. 0.8 (RESPOND scores are 0..1, not percent).';
	let n: number;
	if (typeof value === 'number') n = value;
	else if (typeof value === 'string' && /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(value)) n = Number(value);
	else throw new InputError(field, value, fix, 'is not a number');
	if (!Number.isFinite(n) || n < 0 || n > 1) throw new InputError(field, value, fix, 'is not between 0 and 1');
	return n;
}

/** Matches an IP against a pattern with `*` wildcards, e.g. `10.0.*.*` or `10.0.*`. */
export function ipMatcher(pattern: string): (ip: string) => boolean {
	const trimmed = pattern.trim();
	if (!/^[0-9a-f.:*]+$/i.test(trimmed)) {
		throw new InputError(
			'IP',
			pattern,
			'Give an IP address, with * as a wildcard, e.g. 10.0.1.* or 10.0.*',
			'is not an IP pattern',
		);
	}
	const regex = new RegExp(`^${trimmed.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`, 'i');
	return (ip: string) => regex.test(ip);
}

const SAFE_VALUE = /^[A-Za-z0-9._~:-]+$/;

/** `responsedata` goes into the signed query unencoded: keep it to characters that need no encoding. */
export function parseResponseData(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string' || !SAFE_VALUE.test(value.trim())) {
		throw new InputError(
			'Response Data',
			value,
			'Give one top-level field name, e.g. "actions" or "devices".',
			'is not a field name',
		);
	}
	return value.trim();
}

export function parseTimeout(value: unknown): number {
	return parseInteger('Timeout (Seconds)', value, 'Give the timeout in whole seconds, from 1 to 600.', 1, 600);
}

export function parseConcurrency(value: unknown): number {
	return parseInteger(
		'Max Requests in Flight',
		value,
		'Give a whole number from 1 (one request after another) to 10.',
		1,
		10,
	);
}
