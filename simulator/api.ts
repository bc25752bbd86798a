/** The Darktrace API surface: authentication, permissions, faults, the three RESPOND endpoints. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseWindowDate, verifyRequest } from './auth';
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
import { InputError, hasOwn } from './util';

export interface ApiContext {
	store: SimStore;
	tokens: readonly SimulatorToken[];
	faults: FaultList;
	record(request: RecordedRequest): void;
	/** A timer that stop() cancels. */
	schedule: Schedule;
	/** How far the appliance's own clock runs ahead of the real one (negative: behind). */
	clockSkewMs(): number;
	/** How `GET /modelbreaches` answers. */
	breachStyle(): Required<BreachStyle>;
	/** The appliance's own URL (for `includebreachurl=true`). */
	baseUrl(): string;
}

interface Call {
	ctx: ApiContext;
	store: SimStore;
	token: SimulatorToken;
	query: string;
	body: Buffer;
	contentType?: string;
}

interface Outcome extends Reply {
	wrote?: boolean;
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

function parseParam(name: string, value: string, type: ParamType): boolean | number | string {
	if (type === 'bool') {
		if (value === 'true' || value === 'false') return value === 'true';
		throw new InputError(`Parameter ${name} must be true or false`);
	}
	if (type === 'int') {
		if (/^\d{1,15}$/.test(value)) return Number(value);
		throw new InputError(`Parameter ${name} must be a whole number`);
	}
	if (type === 'datetime') {
		const ms = parseWindowDate(value);
		if (ms !== undefined) return ms;
		throw new InputError(`Parameter ${name} must be a date YYYY-MM-DD HH:MM:SS`);
	}
	if (value) return value;
	throw new InputError(`Parameter ${name} must not be empty`);
}

function parseQuery<S extends ParamSpec>(raw: string, spec: S): Params<S> {
	const out: Record<string, boolean | number | string> = {};
	for (const [name, value] of new URLSearchParams(raw)) {
		if (!hasOwn(spec, name)) throw new InputError(`Unknown parameter ${name}`);
		if (hasOwn(out, name)) throw new InputError(`Parameter ${name} given more than once`);
		out[name] = parseParam(name, value, spec[name]);
	}
	return out as Params<S>;
}

function windowOf(start: number | undefined, end: number | undefined, names: string): TimeWindow | undefined {
	if (start === undefined && end === undefined) return undefined;
	if (start === undefined || end === undefined) throw new InputError(`${names} must be given as a pair`);
	if (start > end) throw new InputError(`${names}: the start must not be after the end`);
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

function checkFields<T>(value: unknown, spec: Record<string, FieldType>, required: string[], where: string): T {
	if (!isObject(value)) throw new InputError(`${where} must be a JSON object`);
	for (const key of Object.keys(value)) {
		if (!hasOwn(spec, key)) throw new InputError(`Unknown field ${key} in ${where}`);
	}
	for (const key of required) {
		if (value[key] === undefined) throw new InputError(`Missing required field ${key} in ${where}`);
	}
	for (const [key, type] of Object.entries(spec)) {
		const [description, test] = FIELD_TYPES[type];
		if (value[key] !== undefined && !test(value[key])) throw new InputError(`Field ${key} must be ${description}`);
	}
	return value as T;
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

const listActions: Handler = ({ store, query }) => {
	const p = parseQuery(query, LIST_PARAMS);
	const byTime = windowOf(p.starttime, p.endtime, 'starttime and endtime');
	const byDate = windowOf(p.from, p.to, 'from and to');
	if (byTime && byDate) throw new InputError('Give either starttime/endtime or from/to, not both');
	const actions = store.list({
		window: byTime ?? byDate,
		includecleared: p.includecleared,
		needconfirming: p.needconfirming,
		did: p.did,
		pbid: p.pbid,
	});
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

const summary: Handler = ({ store, query }) => {
	const p = parseQuery(query, SUMMARY_PARAMS);
	return jsonReply(
		200,
		restrictTo(store.summary(windowOf(p.starttime, p.endtime, 'starttime and endtime')), p.responsedata),
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
const modelBreaches: Handler = ({ ctx, store, query }) => {
	const p = parseQuery(query, BREACH_PARAMS);
	const style = ctx.breachStyle();
	const window = windowOf(p.starttime, p.endtime, 'starttime and endtime');
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
	const body = checkFields<ChangeRequest>(jsonBody(call), CHANGE_FIELDS, ['codeid'], 'the request body');
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
	);
	if (!hasOwn(INHIBITOR_LABELS, body.action)) {
		throw new InputError(`Field action must be one of ${Object.keys(INHIBITOR_LABELS).join(', ')}`);
	}
	if (body.action === 'connection') {
		if (!body.connections?.length) throw new InputError('Field connections is required for the connection action');
		body.connections.forEach((entry, i) => {
			const c = checkFields<SimConnectionSpec>(entry, CONNECTION_FIELDS, ['src', 'dst'], `connections[${i}]`);
			if (c.port !== undefined && c.port > 65535) throw new InputError(`connections[${i}].port must be at most 65535`);
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
	if (!endpoint) return jsonReply(404, { error: `Unknown API endpoint ${path}`, response: 'NOT FOUND' });
	const entry = endpoint[method];
	if (!entry) {
		const allow = Object.keys(endpoint).join(', ');
		return jsonReply(
			405,
			{ error: `${method} is not supported on ${path}`, response: 'INPUT ERROR' },
			{ Allow: allow },
		);
	}
	const [handler, roles] = entry;
	if (!roles.includes(call.token.role)) {
		const needed =
			method === 'POST'
				? 'Darktrace RESPOND, Unrestricted Devices and Visualizer'
				: 'Unrestricted Devices and Visualizer';
		return jsonReply(403, {
			error: `The API token lacks the permission required: ${needed}`,
			response: 'PERMISSION ERROR',
		});
	}
	try {
		return handler(call);
	} catch (error) {
		if (error instanceof InputError) return jsonReply(400, { error: error.message, response: 'INPUT ERROR' });
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
		// The appliance states its time in every answer. The simulated clock is where advance() has
		// moved "now" for RESPOND state; a DTAPI-Date is judged, like a real appliance's wall clock,
		// against real time plus any skew a test set (advancing time moves both client and appliance).
		res.setHeader('Date', new Date(ctx.store.now() + ctx.clockSkewMs()).toUTCString());
		const body = await readBody(req);
		const auth = body
			? verifyRequest({ method, rawTarget: target, body, headers: req.headers }, ctx.tokens, Date.now() + ctx.clockSkewMs())
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
		else
			outcome = route(method, path, {
				ctx,
				store: ctx.store,
				token: auth.token,
				query,
				body,
				contentType: req.headers['content-type'],
			});
		record.isWrite = outcome.wrote === true;
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
