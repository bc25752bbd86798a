/** The Darktrace API surface: authentication, permissions, faults, the three RESPOND endpoints. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCompactDate, parseWindowDate, verifyRequest } from './auth';
import { FaultList, faultReply, processesRequest, resetMidResponse, trickle, type Schedule } from './faults';
import { guarded, jsonReply, readBody, send, type Reply } from './http-util';
import { actionView, breachView, deviceView, restrictTo } from './json';
import { INHIBITOR_LABELS, type ChangeRequest, type ManualRequest, type SimStore, type TimeWindow } from './store';
import type {
	BreachStyle,
	FaultSpec,
	RecordedRequest,
	SimAction,
	SimBreach,
	SimConnectionSpec,
	SimulatorToken,
} from './types';
import { InputError, LintError, hasOwn } from './util';

export interface ApiContext {
	store: SimStore;
	tokens: readonly SimulatorToken[];
	faults: FaultList;
	record(request: RecordedRequest): void;
	/** A timer that stop() cancels. */
	schedule: Schedule;
	/** How `GET /modelbreaches` answers. */
	breachStyle(): Required<BreachStyle>;
	/** The appliance's own URL (for `includebreachurl=true`). */
	baseUrl(): string;
	/** Strict mode: request linting on (see README). */
	strict(): boolean;
}

interface Call {
	ctx: ApiContext;
	strict: boolean;
	store: SimStore;
	token: SimulatorToken;
	query: string;
	body: Buffer;
	contentType?: string;
	/** A 'partial' fault met by this request: the list answer leaves actions out. */
	partial?: FaultSpec;
}

interface Outcome extends Reply {
	wrote?: boolean;
	/** Strict mode refused the request: why. */
	lint?: string;
}

type Handler = (call: Call) => Outcome;

// --- query parameters --------------------------------------------------------------------

type ParamType = 'bool' | 'int' | 'datetime' | 'string';
type ParamSpec = Record<string, ParamType>;
type Params<S extends ParamSpec> = {
	[K in keyof S]?: S[K] extends 'bool' ? boolean : S[K] extends 'string' ? string : number;
};

const LIST_PARAMS = {
	fulldevicedetails: 'bool',
	includecleared: 'bool',
	includehistory: 'bool',
	needconfirming: 'bool',
	includeconnections: 'bool',
	starttime: 'int',
	endtime: 'int',
	from: 'datetime',
	to: 'datetime',
	responsedata: 'string',
	pbid: 'int',
	did: 'int',
} as const;

const SUMMARY_PARAMS = { starttime: 'int', endtime: 'int', responsedata: 'string' } as const;

/** Throws a LintError in strict mode; otherwise the request goes on as an appliance would take it. */
function lint(strict: boolean, message: string): void {
	if (strict) throw new LintError(message);
}

function parseParam(name: string, value: string, type: ParamType, strict: boolean): boolean | number | string {
	if (type === 'bool') {
		const lower = value.toLowerCase();
		if (lower === 'true' || lower === 'false') {
			if (value !== lower) lint(strict, `Parameter ${name} must be lowercase true or false (got ${value})`);
			return lower === 'true';
		}
		throw new InputError(`Parameter ${name} must be true or false`);
	}
	if (type === 'int') {
		if (/^\d{1,15}$/.test(value)) return Number(value);
		throw new InputError(`Parameter ${name} must be a whole number`);
	}
	if (type === 'datetime') {
		const ms = parseWindowDate(value);
		if (ms !== undefined) return ms;
		const compact = parseCompactDate(value);
		if (compact !== undefined) {
			lint(strict, `Parameter ${name} must be YYYY-MM-DD HH:MM:SS (got the compact form ${value})`);
			return compact;
		}
		throw new InputError(`Parameter ${name} must be a date YYYY-MM-DD HH:MM:SS`);
	}
	if (value) return value;
	throw new InputError(`Parameter ${name} must not be empty`);
}

/**
 * Query parameters by the endpoint's spec. Default (as an appliance plausibly does): unknown
 * parameters are ignored and a repeated one keeps its first value. Strict: both are lint errors.
 */
function parseQuery<S extends ParamSpec>(raw: string, spec: S, strict: boolean): Params<S> {
	const out: Record<string, boolean | number | string> = {};
	for (const [name, value] of new URLSearchParams(raw)) {
		if (!hasOwn(spec, name)) {
			lint(strict, `Unknown parameter ${name}`);
			continue;
		}
		if (hasOwn(out, name)) {
			lint(strict, `Parameter ${name} given more than once`);
			continue;
		}
		out[name] = parseParam(name, value, spec[name], strict);
	}
	return out as Params<S>;
}

/** A pair is required (the contract says so). A start after the end is a lint; by default it selects nothing. */
function windowOf(
	start: number | undefined,
	end: number | undefined,
	names: string,
	strict: boolean,
): TimeWindow | undefined {
	if (start === undefined && end === undefined) return undefined;
	if (start === undefined || end === undefined) throw new InputError(`${names} must be given as a pair`);
	if (start > end) lint(strict, `${names}: the start must not be after the end`);
	return { start, end };
}

// --- JSON bodies -------------------------------------------------------------------------

type FieldType = 'id' | 'bool' | 'string' | 'name' | 'array';
const FIELD_TYPES: Record<FieldType, [string, (v: unknown) => boolean]> = {
	id: ['a positive whole number', (v) => Number.isSafeInteger(v) && (v as number) > 0],
	bool: ['true or false', (v) => typeof v === 'boolean'],
	string: ['a string', (v) => typeof v === 'string'],
	name: ['a non-empty string without spaces', (v) => typeof v === 'string' && /^\S+$/.test(v)],
	array: ['an array', (v) => Array.isArray(v)],
};

function isObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Unknown fields are ignored by default (as an appliance plausibly does) and a lint error in strict mode. */
function checkFields<T>(
	value: unknown,
	spec: Record<string, FieldType>,
	required: string[],
	where: string,
	strict: boolean,
): T {
	if (!isObject(value)) throw new InputError(`${where} must be a JSON object`);
	for (const key of Object.keys(value)) {
		if (!hasOwn(spec, key)) lint(strict, `Unknown field ${key} in ${where}`);
	}
	for (const key of required) {
		if (value[key] === undefined) throw new InputError(`Missing required field ${key} in ${where}`);
	}
	for (const [key, type] of Object.entries(spec)) {
		const [description, test] = FIELD_TYPES[type];
		if (value[key] !== undefined && !test(value[key])) throw new InputError(`Field ${key} must be ${description}`);
	}
	const known = Object.entries(value).filter(([key]) => hasOwn(spec, key));
	return Object.fromEntries(known) as T;
}

function jsonBody(call: Call): unknown {
	const type = call.contentType?.split(';')[0].trim().toLowerCase();
	if (type && type !== 'application/json')
		throw new InputError('The request body must be JSON (Content-Type: application/json)');
	try {
		return JSON.parse(call.body.toString('utf8'));
	} catch {
		throw new InputError('The request body is not valid JSON');
	}
}

function requireAuditReason(store: SimStore, reason: string | undefined): void {
	if (store.auditMode && !reason?.trim()) {
		throw new InputError('A reason is required: RESPOND actions are audited on this appliance');
	}
}

// --- endpoints ---------------------------------------------------------------------------

/** Devices with a quarantine-type action being enforced right now. */
function quarantinedDevices(store: SimStore): Set<number> {
	const running = store.allActions().filter((a) => a.action.startsWith('quarantine') && store.isRunning(a));
	return new Set(running.map((a) => a.did));
}

const listActions: Handler = ({ store, query, strict, partial }) => {
	const p = parseQuery(query, LIST_PARAMS, strict);
	const byTime = windowOf(p.starttime, p.endtime, 'starttime and endtime', strict);
	const byDate = windowOf(p.from, p.to, 'from and to', strict);
	// both forms: a guess, starttime/endtime (the epoch form) wins
	if (byTime && byDate) lint(strict, 'Give either starttime/endtime or from/to, not both');
	let actions = store.list({
		window: byTime ?? byDate,
		includecleared: p.includecleared,
		needconfirming: p.needconfirming,
		did: p.did,
		pbid: p.pbid,
	});
	if (partial?.keepCodeids) {
		const keep = new Set(partial.keepCodeids);
		actions = actions.filter((a) => keep.has(a.codeid));
	} else if (partial?.keepNewest !== undefined) {
		const newest = new Set([...actions].sort((x, y) => y.codeid - x.codeid).slice(0, partial.keepNewest));
		actions = actions.filter((a) => newest.has(a));
	}
	const views = actions.map((a) => actionView(a, p.includehistory === true));
	if (!p.fulldevicedetails && !p.includeconnections) return jsonReply(200, restrictTo(views, p.responsedata));
	const dids = [...new Set(actions.map((a) => a.did))];
	const quarantined = quarantinedDevices(store);
	const result = {
		actions: views,
		devices: p.fulldevicedetails
			? dids.flatMap((did) => {
					const device = store.device(did);
					return device ? [deviceView(device, quarantined.has(did))] : [];
				})
			: undefined,
		connections: p.includeconnections ? actions.flatMap((a: SimAction) => a.blockedConnections) : undefined,
	};
	return jsonReply(200, restrictTo(result, p.responsedata));
};

const summary: Handler = ({ store, query, strict }) => {
	const p = parseQuery(query, SUMMARY_PARAMS, strict);
	return jsonReply(
		200,
		restrictTo(store.summary(windowOf(p.starttime, p.endtime, 'starttime and endtime', strict)), p.responsedata),
	);
};

const BREACH_PARAMS = {
	pbid: 'int',
	did: 'int',
	minimal: 'bool',
	includebreachurl: 'bool',
	starttime: 'int',
	endtime: 'int',
	responsedata: 'string',
} as const;

/**
 * `GET /modelbreaches`: with `pbid`, that one breach (an object, or a one-element list on some
 * breaches / by option); an unknown pbid is `[]` (or 400 by option). Without `pbid`, a list of every
 * breach (filtered by `did` and the time window), each as an object: a guess, the contract only
 * covers the `pbid` form.
 */
const modelBreaches: Handler = ({ ctx, store, query, strict }) => {
	const p = parseQuery(query, BREACH_PARAMS, strict);
	const style = ctx.breachStyle();
	const window = windowOf(p.starttime, p.endtime, 'starttime and endtime', strict);
	const view = (b: SimBreach) =>
		breachView(b, store.device(b.did), {
			minimal: p.minimal === true,
			baseUrl: p.includebreachurl ? ctx.baseUrl() : undefined,
			modelShape: style.modelShape === 'mixed' ? b.modelShape : style.modelShape,
		});
	if (p.pbid === undefined) {
		const all = store
			.allBreaches()
			.filter((b) => p.did === undefined || b.did === p.did)
			.filter((b) => !window || (b.time >= window.start && b.time <= window.end))
			.sort((a, b) => a.time - b.time || a.pbid - b.pbid);
		return jsonReply(200, restrictTo(all.map(view), p.responsedata));
	}
	const breach = store.breach(p.pbid);
	if (!breach) {
		if (style.unknownPbid === 'error') throw new InputError(`Unknown pbid ${p.pbid}`);
		return jsonReply(200, []);
	}
	const asList = style.form === 'mixed' ? breach.asList : style.form === 'list';
	const one = restrictTo(view(breach), p.responsedata);
	return jsonReply(200, asList ? [one] : one);
};

const CHANGE_FIELDS: Record<string, FieldType> = {
	codeid: 'id',
	activate: 'bool',
	clear: 'bool',
	duration: 'id',
	reason: 'string',
};

const changeAction: Handler = (call) => {
	const body = checkFields<ChangeRequest>(jsonBody(call), CHANGE_FIELDS, ['codeid'], 'the request body', call.strict);
	if (body.clear && body.duration !== undefined) {
		lint(call.strict, 'duration cannot be combined with clear');
		delete body.duration; // the guide: duration does not change how long a clear lasts
	}
	requireAuditReason(call.store, body.reason);
	call.store.change(body, call.token.username);
	return { ...jsonReply(200, { response: 'SUCCESS' }), wrote: true };
};

const MANUAL_FIELDS: Record<string, FieldType> = {
	did: 'id',
	action: 'name',
	duration: 'id',
	reason: 'string',
	connections: 'array',
};
const CONNECTION_FIELDS: Record<string, FieldType> = { src: 'name', dst: 'name', port: 'id' };

const createManual: Handler = (call) => {
	const body = checkFields<ManualRequest>(
		jsonBody(call),
		MANUAL_FIELDS,
		['did', 'action', 'duration'],
		'the request body',
		call.strict,
	);
	if (!hasOwn(INHIBITOR_LABELS, body.action)) {
		throw new InputError(`Field action must be one of ${Object.keys(INHIBITOR_LABELS).join(', ')}`);
	}
	if (body.action === 'connection') {
		if (!body.connections?.length) throw new InputError('Field connections is required for the connection action');
		body.connections = body.connections.map((entry, i) => {
			const c = checkFields<SimConnectionSpec>(
				entry,
				CONNECTION_FIELDS,
				['src', 'dst'],
				`connections[${i}]`,
				call.strict,
			);
			if (c.port !== undefined && c.port > 65535) throw new InputError(`connections[${i}].port must be at most 65535`);
			return c;
		});
	} else if (body.connections !== undefined) {
		throw new InputError('Field connections is only valid for the connection action');
	}
	requireAuditReason(call.store, body.reason);
	const created = call.store.createManual(body, call.token.username);
	return { ...jsonReply(200, { codeid: created.codeid }), wrote: true };
};

/** [handler, roles allowed] per method; GET needs Visualizer + Unrestricted Devices, POST also RESPOND. */
const READERS: SimulatorToken['role'][] = ['respond', 'readonly'];
const WRITERS: SimulatorToken['role'][] = ['respond'];
const ENDPOINTS: Record<string, Partial<Record<string, [Handler, SimulatorToken['role'][]]>>> = {
	'/antigena': { GET: [listActions, READERS], POST: [changeAction, WRITERS] },
	'/antigena/manual': { POST: [createManual, WRITERS] },
	'/antigena/summary': { GET: [summary, READERS] },
	'/modelbreaches': { GET: [modelBreaches, READERS] },
};

function route(method: string, path: string, call: Call): Outcome {
	const endpoint = hasOwn(ENDPOINTS, path) ? ENDPOINTS[path] : undefined;
	const entry = endpoint?.[method];
	// A method an endpoint does not support is answered like an unknown endpoint (a guess: the
	// guide only says "GET is not supported" on /antigena/manual).
	if (!entry) {
		const what = endpoint ? `${method} ${path}` : path;
		return jsonReply(404, { error: `Unknown API endpoint ${what}`, response: 'NOT FOUND' });
	}
	const [handler, roles] = entry;
	if (!roles.includes(call.token.role)) {
		const needed =
			method === 'POST'
				? 'Darktrace RESPOND, Unrestricted Devices and Visualizer'
				: path === '/modelbreaches'
					? 'Visualizer'
					: 'Unrestricted Devices and Visualizer';
		return jsonReply(403, {
			error: `The API token lacks the permission required: ${needed}`,
			response: 'PERMISSION ERROR',
		});
	}
	try {
		if (method === 'POST' && call.query) lint(call.strict, 'A POST must carry no query string (its signature covers the body only)');
		return handler(call);
	} catch (error) {
		if (error instanceof InputError) {
			const reply = jsonReply(400, { error: error.message, response: 'INPUT ERROR' });
			return error instanceof LintError ? { ...reply, lint: error.message } : reply;
		}
		throw error;
	}
}

const AUTH_ERRORS = { signature: 'API SIGNATURE ERROR', date: 'API DATE ERROR' } as const;

export function createApiHandler(ctx: ApiContext): (req: IncomingMessage, res: ServerResponse) => void {
	return guarded(async (req, res) => {
		const time = Date.now();
		const method = req.method ?? 'GET';
		const target = req.url ?? '/';
		const queryAt = target.indexOf('?');
		const path = queryAt < 0 ? target : target.slice(0, queryAt);
		const query = queryAt < 0 ? '' : target.slice(queryAt + 1);
		// The Date header reads the appliance's clock, as expiry and windows do; a DTAPI-Date is judged
		// against the same clock less the time tests made pass for appliance and client alike.
		res.setHeader('Date', new Date(ctx.store.now()).toUTCString());
		const body = await readBody(req);
		const auth = body
			? verifyRequest({ method, rawTarget: target, body, headers: req.headers }, ctx.tokens, ctx.store.clientClock())
			: ({ ok: false, error: 'signature' } as const);
		const publicToken = req.headers['dtapi-token'];
		const record: RecordedRequest = {
			method,
			target,
			path,
			query: Object.fromEntries(new URLSearchParams(query)),
			body: body?.toString('utf8') ?? '',
			token: typeof publicToken === 'string' ? publicToken : undefined,
			status: 0,
			authOk: auth.ok,
			isWrite: false,
			time,
		};
		const finish = (status: number) => ctx.record({ ...record, status });

		const taken = ctx.faults.take(method, path);
		const fault = taken.find((f) => f.kind !== 'latency');
		// A delay ends early, with false, when the client goes away: the request is then dropped
		// (before the write) or left unanswered (afterWrite), and recorded with status 0.
		const delay = (ms: number) =>
			new Promise<boolean>((resolve) => {
				if (res.destroyed) return resolve(false);
				const gone = () => {
					cancel();
					resolve(false);
				};
				const cancel = ctx.schedule(() => {
					res.off('close', gone);
					resolve(true);
				}, ms);
				res.once('close', gone);
			});
		for (const f of taken) {
			if (f.kind === 'latency' && !f.afterWrite && !(await delay(f.delayMs ?? 0))) return finish(0);
		}

		if (!processesRequest(fault, method)) {
			// a fault that answers in the appliance's place: the request is never processed
			const f = fault as FaultSpec;
			if (f.kind === 'reset') {
				resetMidResponse(res);
				return finish(0);
			}
			if (f.kind === 'slow-body' || f.kind === 'endless-body') {
				const reply = faultReply({ ...f, status: f.status ?? 502 });
				finish(reply.status);
				return trickle(res, reply, f, ctx.schedule);
			}
			return finish(send(res, faultReply(f)));
		}

		let outcome: Outcome;
		if (!body) outcome = jsonReply(413, { error: 'Request body too large', response: 'INPUT ERROR' });
		else if (!auth.ok) outcome = jsonReply(400, { response: AUTH_ERRORS[auth.error] });
		else if (auth.decoded && ctx.strict()) {
			const message = 'Signed over the percent-decoded target: sign exactly the bytes sent';
			outcome = { ...jsonReply(400, { error: message, response: 'INPUT ERROR' }), lint: message };
		} else
			outcome = route(method, path, {
				ctx,
				strict: ctx.strict(),
				store: ctx.store,
				token: auth.token,
				query,
				body,
				contentType: req.headers['content-type'],
				partial: fault?.kind === 'partial' ? fault : undefined,
			});
		record.isWrite = outcome.wrote === true;
		if (outcome.lint !== undefined) record.lint = outcome.lint;
		for (const f of taken) {
			if (f.kind === 'latency' && f.afterWrite && !(await delay(f.delayMs ?? 0))) return finish(0);
		}
		switch (fault?.kind) {
			case 'status-after-write':
				return finish(send(res, faultReply(fault)));
			case 'reset':
				resetMidResponse(res);
				return finish(0);
			case 'slow-body':
			case 'endless-body':
				finish(outcome.status);
				return trickle(res, outcome, fault, ctx.schedule);
			default:
				return finish(send(res, outcome));
		}
	});
}
