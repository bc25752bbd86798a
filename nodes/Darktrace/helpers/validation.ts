/**
 * Input checks run before any request. Each failure names the field, the value and the fix; the
 * operations turn it into a NodeOperationError for the item. Pure: no n8n runtime.
 */
import { INHIBITORS, type Inhibitor } from './action';

export class InputError extends Error {
	constructor(
		readonly field: string,
		readonly value: unknown,
		readonly fix: string,
		problem = 'is not valid',
	) {
		super(`${field} ${show(value)} ${problem}`);
		this.name = 'InputError';
	}
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
export const MAX_ID = 2147483647;
/** Longest RESPOND action we let anyone ask for: 30 days. */
export const MAX_DURATION_SECONDS = 30 * 24 * 3600;
export const MAX_REASON_LENGTH = 1024;

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
		'Use the action\'s "codeid" (a positive whole number), e.g. {{ $json.codeid }}.',
	);
}

export function parseDeviceId(value: unknown, field = 'Device ID'): number {
	return parseInteger(field, value, 'Use the device\'s "did" (a positive whole number), e.g. {{ $json.did }}.');
}

export function parseDuration(value: unknown, field = 'Duration (Seconds)'): number {
	return parseInteger(
		field,
		value,
		`Give the duration in whole seconds, from 1 to ${MAX_DURATION_SECONDS} (30 days); e.g. 3600 for one hour.`,
		1,
		MAX_DURATION_SECONDS,
	);
}

export function parseReason(value: unknown): string {
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
export function parseInhibitors(value: unknown, field = 'Inhibitors'): Inhibitor[] {
	if (value === undefined || value === null || value === '') return [];
	if (!Array.isArray(value)) {
		throw new InputError(field, value, `Give a list of: ${Object.keys(INHIBITORS).join(', ')}.`, 'is not a list');
	}
	return value.map((inhibitor) => parseInhibitor(inhibitor, field));
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

export function isIpv6(value: string): boolean {
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
	// A dotted string of digits is a mistyped IPv4 address, not a host name.
	if (/^[\d.]+$/.test(value)) return false;
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
					'Give an IPv4/IPv6 address (e.g. 10.0.0.5) or a host name (e.g. example.com), without scheme or port.',
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

/** Epoch ms from an n8n date-time parameter (ISO string, luxon DateTime, Date or epoch ms). */
export function parseDateTime(field: string, value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let ms = NaN;
	if (typeof value === 'number') ms = value;
	else if (typeof value === 'string') ms = /^\d{10,13}$/.test(value.trim()) ? Number(value.trim()) : Date.parse(value);
	else if (value instanceof Date) ms = value.getTime();
	else if (typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		ms = (value as { toMillis(): number }).toMillis();
	}
	if (!Number.isFinite(ms) || ms < 0) {
		throw new InputError(
			field,
			value,
			'Give a date and time, e.g. 2024-01-31T12:00:00Z or {{ $now.minus(1, "day") }}.',
			'is not a date',
		);
	}
	if (typeof value === 'number' && value < 1e11) ms = value * 1000; // epoch seconds
	return Math.round(ms);
}

/** A time window is all or nothing: the appliance rejects half of one. */
export function parseTimeWindow(start: unknown, end: unknown): { starttime: number; endtime: number } | undefined {
	const starttime = parseDateTime('Start Time', start);
	const endtime = parseDateTime('End Time', end);
	if (starttime === undefined && endtime === undefined) return undefined;
	if (starttime === undefined) {
		throw new InputError(
			'Start Time',
			start,
			'Set both Start Time and End Time, or neither.',
			'is missing while End Time is set',
		);
	}
	if (endtime === undefined) {
		throw new InputError(
			'End Time',
			end,
			'Set both Start Time and End Time, or neither.',
			'is missing while Start Time is set',
		);
	}
	if (endtime <= starttime) {
		throw new InputError(
			'End Time',
			end,
			`Choose an end after the start (${new Date(starttime).toISOString()}).`,
			'is not after Start Time',
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

export function parseScore(field: string, value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const n = typeof value === 'number' ? value : Number(value);
	if (!Number.isFinite(n) || n < 0 || n > 1) {
		throw new InputError(
			field,
			value,
			'Give a score between 0 and 1, e.g. 0.8 (RESPOND scores are 0..1, not percent).',
			'is not between 0 and 1',
		);
	}
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
