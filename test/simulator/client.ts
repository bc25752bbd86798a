/** Test client: real HTTP(S) requests to a running simulator, signed with ./sign. */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { startSimulator, type Simulator, type SimulatorOptions, type SimulatorToken } from '../../simulator';
import { sign, spacedDate } from './sign';

export interface Response {
	status: number;
	headers: IncomingHttpHeaders;
	text: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	json: any;
}

export interface RawOptions {
	method?: string;
	headers?: Record<string, string>;
	body?: string;
	ca?: string;
	/** Give up (and reject) after this many ms without socket activity. */
	timeoutMs?: number;
}

/** One request; rejects on a network error (reset, refused, TLS failure, truncated body). */
export function raw(url: string, path: string, opts: RawOptions = {}): Promise<Response> {
	const base = new URL(url);
	const request = base.protocol === 'https:' ? httpsRequest : httpRequest;
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: base.hostname,
				port: base.port,
				path,
				method: opts.method ?? 'GET',
				headers: opts.headers,
				ca: opts.ca,
				agent: false,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('error', reject);
				res.on('aborted', () => reject(new Error('response aborted')));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: unknown;
					try {
						json = JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
				});
			},
		);
		req.on('error', reject);
		if (opts.timeoutMs !== undefined) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error('client timeout')));
		req.end(opts.body);
	});
}

/** A response being received: status and headers as soon as they arrive, the body as it trickles in. */
export interface OpenResponse {
	status: number;
	headers: IncomingHttpHeaders;
	/** The body bytes received so far. */
	received(): string;
	/** Resolves once `n` body bytes have arrived (rejects if the response ends or fails first). */
	bytes(n: number): Promise<string>;
	/** Resolves with the whole body when the response ends. */
	ended: Promise<string>;
	/** The client goes away. */
	close(): void;
}

/** Sends a signed request and resolves as soon as the status line and headers arrive. */
export function open(sim: Simulator, method: string, target: string, body?: unknown): Promise<OpenResponse> {
	const text = body === undefined ? '' : JSON.stringify(body);
	const headers = signedHeaders(sim, method, target, text);
	const base = new URL(sim.url);
	const request = base.protocol === 'https:' ? httpsRequest : httpRequest;
	return new Promise((resolve, reject) => {
		const req = request(
			{ host: base.hostname, port: base.port, path: target, method, headers, ca: sim.caCert, agent: false },
			(res) => {
				let data = '';
				const waiters: Array<() => void> = [];
				const ended = new Promise<string>((done, fail) => {
					res.on('end', () => done(data));
					res.on('error', fail);
					res.on('aborted', () => fail(new Error('response aborted')));
				});
				ended.catch(() => undefined);
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					data += chunk;
					waiters.splice(0).forEach((wake) => wake());
				});
				resolve({
					status: res.statusCode ?? 0,
					headers: res.headers,
					received: () => data,
					bytes: (n) =>
						new Promise((done, fail) => {
							const check = () => (data.length >= n ? done(data) : waiters.push(check));
							ended.then(() => (data.length >= n ? done(data) : fail(new Error(`ended after ${data.length} bytes`))), fail);
							check();
						}),
					ended,
					close: () => req.destroy(),
				});
			},
		);
		req.on('error', reject);
		req.end(text || undefined);
	});
}

export interface CallOptions {
	role?: SimulatorToken['role'];
	/** Sign with these tokens instead of the simulator's. */
	token?: Pick<SimulatorToken, 'public' | 'private'>;
	/** DTAPI-Date header; default: the simulator's clock in the spaced format (a client in sync). */
	date?: string;
	/** What to sign instead of the correct target. */
	signTarget?: string;
	signature?: string;
	omit?: Array<'DTAPI-Token' | 'DTAPI-Date' | 'DTAPI-Signature'>;
	contentType?: string | null;
	/** Give up (reject) after this many ms without socket activity. */
	timeoutMs?: number;
}

export function signedHeaders(
	sim: Simulator,
	method: string,
	target: string,
	body: string,
	opts: CallOptions = {},
): Record<string, string> {
	const token = opts.token ?? sim.token(opts.role ?? 'respond');
	const date = opts.date ?? spacedDate(Date.now());
	const signed = opts.signTarget ?? (method === 'POST' ? `${target.split('?')[0]}${body ? `?${body}` : ''}` : target);
	const headers: Record<string, string> = {
		'DTAPI-Token': token.public,
		'DTAPI-Date': date,
		'DTAPI-Signature': opts.signature ?? sign(signed, token.public, token.private, date),
	};
	if (body && opts.contentType !== null) headers['Content-Type'] = opts.contentType ?? 'application/json';
	for (const name of opts.omit ?? []) delete headers[name];
	return headers;
}

/** A signed API request. `body` objects are sent as JSON. */
export function call(
	sim: Simulator,
	method: string,
	target: string,
	body?: unknown,
	opts: CallOptions = {},
): Promise<Response> {
	const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
	const headers = signedHeaders(sim, method, target, text, opts);
	return raw(sim.url, target, { method, headers, body: text, ca: sim.caCert, timeoutMs: opts.timeoutMs });
}

export const get = (sim: Simulator, target: string, opts?: CallOptions) => call(sim, 'GET', target, undefined, opts);
export const post = (sim: Simulator, path: string, body: unknown, opts?: CallOptions) =>
	call(sim, 'POST', path, body, opts);

/** Resolves once `condition()` holds, checking every 10 ms (the test's own timeout bounds the wait). */
export async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** A control-server request with an optional JSON body. */
export function control(sim: Simulator, method: string, path: string, body?: unknown): Promise<Response> {
	if (!sim.controlUrl) throw new Error('no control server');
	const text = body === undefined ? undefined : JSON.stringify(body);
	return raw(sim.controlUrl, path, { method, body: text, headers: text ? { 'Content-Type': 'application/json' } : {} });
}

export const INPUT_ERROR = expect.objectContaining({ response: 'INPUT ERROR', error: expect.any(String) });
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const DAY = 24 * 60 * MINUTE;

/** A fixed instant for tests that build actions relative to the clock. */
export const T0 = Date.UTC(2024, 0, 10, 12, 0, 0);

/**
 * Starts one simulator for the enclosing describe block (stopped afterwards) and restores it before
 * each test: clock (opts.now or real time), seed, audit mode, no faults, empty request log; then
 * `prepare`. Returns a stand-in that forwards to the running simulator.
 */
export function useSimulator(opts: SimulatorOptions = {}, prepare?: (sim: Simulator) => void): Simulator {
	let live: Simulator | undefined;
	beforeAll(async () => {
		live = await startSimulator(opts);
	});
	afterAll(() => live?.stop());
	beforeEach(() => {
		const sim = live as Simulator;
		sim.setNow(opts.now ?? Date.now());
		sim.reset();
		sim.setAuditMode(opts.auditMode ?? false);
		sim.setStrict(opts.strict ?? process.env.DARKTRACE_SIMULATOR_STRICT === '1');
		sim.clearFaults();
		sim.clearRequests();
		sim.setBreachStyle({ form: 'mixed', modelShape: 'mixed', unknownPbid: 'empty-list', ...opts.breachStyle });
		prepare?.(sim);
	});
	return new Proxy({} as Simulator, {
		get(_target, key) {
			if (!live) throw new Error('The simulator is not started yet (use it inside tests)');
			const value: unknown = Reflect.get(live, key, live);
			return typeof value === 'function' ? value.bind(live) : value;
		},
	});
}
