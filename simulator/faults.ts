/** Injected faults: what a gateway, an old appliance or a flaky network does to a request. */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { jsonReply, type Reply } from './http-util';
import type { FaultKind, FaultSpec } from './types';

const KINDS: FaultKind[] = [
	'latency',
	'status',
	'reset',
	'html-login',
	'redirect-login',
	'malformed-json',
	'empty-body',
	'status-after-write',
	'slow-body',
	'endless-body',
];

/** Kinds that take `afterWrite` (process the request first, then misbehave). */
const AFTER_WRITE_KINDS: FaultKind[] = ['latency', 'reset', 'slow-body', 'endless-body'];
/** Default pause between two body bytes of `slow-body` / `endless-body`. */
export const DEFAULT_INTERVAL_MS = 150;

const LOGIN_PAGE =
	'<!DOCTYPE html><html><head><title>Darktrace | Login</title></head><body>' +
	'<form method="post" action="/login"><input name="username"><input name="password" type="password">' +
	'<button type="submit">Log in</button></form></body></html>';

function fail(message: string): never {
	throw new Error(`Invalid fault: ${message}`);
}

/** Checks a fault coming from code or from the control server. */
export function validateFault(input: unknown): FaultSpec {
	if (input === null || typeof input !== 'object' || Array.isArray(input)) fail('expected an object');
	const f = input as Record<string, unknown>;
	if (!KINDS.includes(f.kind as FaultKind)) fail(`kind must be one of ${KINDS.join(', ')}`);
	if (f.method !== undefined && f.method !== 'GET' && f.method !== 'POST') fail('method must be GET or POST');
	if (f.path !== undefined && (typeof f.path !== 'string' || !f.path.startsWith('/'))) fail('path must start with /');
	if (f.times !== undefined && !(typeof f.times === 'number' && f.times >= 1)) fail('times must be a number >= 1');
	if (f.delayMs !== undefined && !(typeof f.delayMs === 'number' && f.delayMs >= 0)) fail('delayMs must be >= 0');
	if (f.kind === 'latency' && f.delayMs === undefined) fail('latency needs delayMs');
	const needsStatus = f.kind === 'status' || f.kind === 'status-after-write';
	if (needsStatus && !(Number.isInteger(f.status) && (f.status as number) >= 100 && (f.status as number) <= 599)) {
		fail(`${String(f.kind)} needs a status between 100 and 599`);
	}
	if (f.retryAfter !== undefined && typeof f.retryAfter !== 'string') fail('retryAfter must be a string');
	if (f.body !== undefined && typeof f.body !== 'string') fail('body must be a string');
	if (f.afterWrite !== undefined) {
		if (typeof f.afterWrite !== 'boolean') fail('afterWrite must be true or false');
		if (!AFTER_WRITE_KINDS.includes(f.kind as FaultKind)) fail(`afterWrite applies to ${AFTER_WRITE_KINDS.join(', ')}`);
	}
	if (f.intervalMs !== undefined && !(typeof f.intervalMs === 'number' && f.intervalMs >= 1)) {
		fail('intervalMs must be a number >= 1');
	}
	return { ...(f as unknown as FaultSpec) };
}

interface ArmedFault {
	spec: FaultSpec;
	remaining: number;
}

export class FaultList {
	private armed: ArmedFault[] = [];

	add(spec: FaultSpec): void {
		this.armed.push({ spec: validateFault(spec), remaining: spec.times ?? Infinity });
	}

	clear(): void {
		this.armed = [];
	}

	list(): FaultSpec[] {
		return this.armed.map((a) => ({ ...a.spec, times: Number.isFinite(a.remaining) ? a.remaining : undefined }));
	}

	/**
	 * The faults a request meets, each use counted: every matching latency fault, in order, then
	 * the first matching fault of another kind.
	 */
	take(method: string, path: string): FaultSpec[] {
		const taken: FaultSpec[] = [];
		for (const armed of this.armed) {
			const { spec } = armed;
			if ((spec.method && spec.method !== method) || (spec.path && spec.path !== path)) continue;
			taken.push(spec);
			armed.remaining -= 1;
			if (spec.kind !== 'latency') break;
		}
		this.armed = this.armed.filter((a) => a.remaining > 0);
		return taken;
	}
}

/** A fault's answer as a status reply, for 'status', 'status-after-write' and the fixed-page kinds. */
export function faultReply(spec: FaultSpec): Reply {
	switch (spec.kind) {
		case 'html-login':
			return { status: 200, body: LOGIN_PAGE, contentType: 'text/html; charset=utf-8' };
		case 'redirect-login':
			return { status: 302, body: '', headers: { Location: '/login' } };
		case 'malformed-json':
			return {
				status: 200,
				body: '[{"codeid":10001,"did":11,"ip":"10.0.1.10","action":"quar',
				contentType: 'application/json',
			};
		case 'empty-body':
			return { status: 200, body: '', contentType: 'application/json' };
		default: {
			const status = spec.status ?? 500;
			const headers = spec.retryAfter !== undefined ? { 'Retry-After': spec.retryAfter } : undefined;
			if (spec.body !== undefined) {
				const isJson = /^\s*[[{]/.test(spec.body);
				return {
					status,
					body: spec.body,
					contentType: isJson ? 'application/json' : 'text/html; charset=utf-8',
					headers,
				};
			}
			if (status === 429 || status === 403) {
				return jsonReply(status, { error: STATUS_CODES[status] ?? 'Error', response: 'ERROR' }, headers);
			}
			const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
			const page = `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`;
			return { status, body: page, contentType: 'text/html; charset=utf-8', headers };
		}
	}
}

/**
 * Whether the request is processed (a POST's write applied) before the fault acts. The fault kinds
 * that answer in the appliance's place never process it; `status-after-write` always does; the
 * `afterWrite` kinds do when asked, and the body faults always do for a GET (a read changes nothing,
 * and the slow body is then the real answer).
 */
export function processesRequest(fault: FaultSpec | undefined, method: string): boolean {
	if (!fault || fault.kind === 'status-after-write') return true;
	if (fault.kind === 'slow-body' || fault.kind === 'endless-body') return fault.afterWrite === true || method !== 'POST';
	return fault.kind === 'reset' && fault.afterWrite === true;
}

/**
 * The TCP socket under a response: over HTTPS the response's socket is a TLS socket whose handle
 * cannot be reset, so the reset goes to the plain socket the TLS layer runs on.
 */
function tcpSocket(res: ServerResponse): Socket | undefined {
	const socket = res.socket;
	if (!socket) return undefined;
	const parent: unknown = (socket as Socket & { _parent?: unknown })._parent;
	return parent instanceof Socket ? parent : socket;
}

/** 'reset': send the status line and headers, a few bytes of body, then reset the connection. */
export function resetMidResponse(res: ServerResponse): void {
	res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '4096' });
	res.write('[{"codeid":', () => {
		const socket = tcpSocket(res);
		if (!socket || socket.destroyed) return;
		try {
			socket.resetAndDestroy();
		} catch {
			socket.destroy();
		}
		res.socket?.destroy();
	});
}

/** Schedules `fn` after `ms`; returns a function that cancels it. */
export type Schedule = (fn: () => void, ms: number) => () => void;

/**
 * 'slow-body' / 'endless-body': status and headers at once, then the body one byte every
 * `intervalMs`; an endless body then goes on with JSON whitespace (so what arrived stays a valid
 * prefix) until the client goes away. Stops, with no timer left, as soon as the connection closes.
 */
export function trickle(res: ServerResponse, reply: Reply, spec: FaultSpec, schedule: Schedule): void {
	const endless = spec.kind === 'endless-body';
	const interval = spec.intervalMs ?? DEFAULT_INTERVAL_MS;
	const bytes = Buffer.from(reply.body, 'utf8');
	const headers: Record<string, string | number> = { ...reply.headers };
	if (reply.contentType) headers['Content-Type'] = reply.contentType;
	if (!endless) headers['Content-Length'] = bytes.length;
	res.writeHead(reply.status, headers);
	res.flushHeaders();
	let sent = 0;
	let cancel: (() => void) | undefined;
	const tick = () => {
		cancel = undefined;
		if (res.destroyed || res.writableEnded) return;
		if (sent < bytes.length) res.write(bytes.subarray(sent, ++sent));
		else if (endless) res.write(' ');
		if (!endless && sent >= bytes.length) {
			res.end();
			return;
		}
		cancel = schedule(tick, interval);
	};
	res.once('close', () => cancel?.());
	if (!endless && bytes.length === 0) res.end();
	else cancel = schedule(tick, interval);
}
