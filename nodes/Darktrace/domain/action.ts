/**
 * The RESPOND action model, the one place that reads actions as real appliances return them: loose types
 * (`expires` as a float, `updated` as a string, `triggerer` null / "null" / object), two response shapes
 * (plain array, or `{actions, devices, connections}`), and what the API never states outright: code ID,
 * state, seconds left. Get, Get Many, the trigger and the write-once checks all derive them here.
 */
import type { IDataObject } from 'n8n-workflow';

export type ActionState = 'pending' | 'active' | 'expired' | 'cleared';

export const ACTION_STATES: readonly ActionState[] = ['pending', 'active', 'expired', 'cleared'];

export const INHIBITORS = {
	connection: 'Block matching connections',
	pol: 'Enforce pattern of life',
	gpol: 'Enforce group pattern of life',
	quarantine: 'Quarantine device',
	quarantineOutgoing: 'Block all outgoing traffic',
	quarantineIncoming: 'Block all incoming traffic',
} as const;

export type Inhibitor = keyof typeof INHIBITORS;

export interface Triggerer {
	username: string;
	reason: string;
}

/** An action with every field in one type, plus what we compute. Unknown extra fields are kept. */
export interface NormalizedAction extends IDataObject {
	codeid: number;
	did: number;
	ip: string;
	action: string;
	label: string;
	detail: string;
	manual: boolean;
	triggerer: Triggerer | null;
	score: number;
	pbid: number | null;
	model: string;
	modeluuid: string;
	start: number | null;
	expires: number | null;
	updated: number | null;
	blocked: boolean;
	active: boolean;
	cleared: boolean;
	agemail: boolean;
	aghost: boolean;
	/** Computed: pending (awaits confirmation), active (in force now), expired, cleared. */
	state: ActionState;
	startIso: string | null;
	expiresIso: string | null;
	updatedIso: string | null;
	/** Seconds until expiry (0 once expired). */
	remainingSeconds: number;
}

/** A number from a number or a numeric string (`"1586190000000"`, `1586190000000.0`); else null. */
export function toNumber(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
	return null;
}

/** Epoch milliseconds, rounded (appliances send `1586190000000.0`). */
export function toEpochMs(value: unknown): number | null {
	const n = toNumber(value);
	return n === null ? null : Math.round(n);
}

function toBool(value: unknown): boolean {
	return value === true || value === 'true' || value === 1 || value === '1';
}

function toTriggerer(value: unknown): Triggerer | null {
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		const t = value as IDataObject;
		return { username: String(t.username ?? ''), reason: String(t.reason ?? '') };
	}
	return null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const DECIMAL_ID = /^[1-9][0-9]*$/;

/**
 * `codeid` (or `code`, as the SDK docs spell it) as a positive safe integer: a number, or a string of
 * decimal digits. Anything else (12.5, 0, 2^53, "0x10", "1e3") is null: the action is reported, not guessed.
 */
export function codeIdOf(raw: IDataObject): number | null {
	const value = raw.codeid ?? raw.code;
	const n = typeof value === 'number' ? value : typeof value === 'string' && DECIMAL_ID.test(value) ? Number(value) : NaN;
	return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * The state an operator means, from an action raw or normalised. The appliance keeps `active=true` after
 * expiry, so expiry is read from `expires`; an action that was never activated and has not expired is
 * awaiting confirmation.
 */
export function stateOf(raw: IDataObject, now: number): ActionState {
	if (toBool(raw.cleared)) return 'cleared';
	const expires = toEpochMs(raw.expires);
	if (expires !== null && expires <= now) return 'expired';
	return toBool(raw.active) ? 'active' : 'pending';
}

/** Seconds until expiry, 0 once expired or when the action has no expiry. */
function secondsLeft(expires: number | null, now: number): number {
	return expires === null ? 0 : Math.max(0, Math.round((expires - now) / 1000));
}

/**
 * Normalises one raw action. `now` is epoch ms.
 * Built by Object.assign + assignments, not `{ ...raw, extra }`: on V8 11 an object literal that
 * spreads a JSON-parsed object and then adds properties takes a slow path (a new map per action),
 * which makes Get Many of 10,000 actions with Simplify off 1.6× slower and 2.4× larger.
 */
export function normalizeAction(raw: IDataObject, now: number): NormalizedAction {
	const expires = toEpochMs(raw.expires);
	const start = toEpochMs(raw.start);
	const updated = toEpochMs(raw.updated);
	// bench: Get Many, Simplify off (bench/README.md)
	const action = Object.assign({}, raw) as NormalizedAction;
	action.codeid = codeIdOf(raw) ?? 0;
	action.did = toNumber(raw.did) ?? 0;
	action.ip = String(raw.ip ?? '');
	action.action = String(raw.action ?? '');
	action.label = String(raw.label ?? '');
	action.detail = String(raw.detail ?? '');
	action.manual = toBool(raw.manual);
	action.triggerer = toTriggerer(raw.triggerer);
	action.score = toNumber(raw.score) ?? 0;
	action.pbid = toNumber(raw.pbid);
	action.model = String(raw.model ?? '');
	action.modeluuid = String(raw.modeluuid ?? '');
	action.start = start;
	action.expires = expires;
	action.updated = updated;
	action.blocked = toBool(raw.blocked);
	action.active = toBool(raw.active);
	action.cleared = toBool(raw.cleared);
	action.agemail = toBool(raw.agemail);
	action.aghost = toBool(raw.aghost);
	action.state = stateOf(raw, now);
	action.startIso = iso(start);
	action.expiresIso = iso(expires);
	action.updatedIso = iso(updated);
	action.remainingSeconds = secondsLeft(expires, now);
	return action;
}

export interface ActionFilters {
	codeid?: number;
	deviceIds?: readonly number[];
	inhibitors?: readonly string[];
	ip?: (ip: string) => boolean;
	/** "Not set" (no filtering) when undefined or 0: the UI's default is 0. */
	minScore?: number;
	origin?: 'any' | 'manual' | 'automatic';
	states?: readonly string[];
}

/**
 * The client-side filters of Get Many and the trigger, as one test on an action: raw (loose types),
 * normalised or simplified. `states` reads the computed `state` field, so only callers that have one pass it.
 */
export function actionMatcher(filters: ActionFilters): (a: IDataObject) => boolean {
	const { codeid, ip, minScore, origin = 'any', inhibitors = [], states = [] } = filters;
	const devices = new Set(filters.deviceIds ?? []);
	return (a) =>
		(codeid === undefined || codeIdOf(a) === codeid) &&
		(devices.size === 0 || devices.has(toNumber(a.did) ?? -1)) &&
		(inhibitors.length === 0 || inhibitors.includes(String(a.action ?? ''))) &&
		(ip === undefined || ip(String(a.ip ?? ''))) &&
		(minScore === undefined || minScore <= 0 || (toNumber(a.score) ?? 0) >= minScore) &&
		(origin === 'any' || toBool(a.manual) === (origin === 'manual')) &&
		(states.length === 0 || states.includes(String(a.state)));
}

export interface ActionsResponse {
	actions: IDataObject[];
	devices: IDataObject[];
	connections: IDataObject[];
}

/** Accepts both shapes of GET /antigena (array, or `{actions, devices?, connections?}`). */
export function splitActionsResponse(response: unknown): ActionsResponse {
	if (Array.isArray(response)) return { actions: response as IDataObject[], devices: [], connections: [] };
	if (response && typeof response === 'object') {
		const r = response as IDataObject;
		const list = (key: string) => (Array.isArray(r[key]) ? (r[key] as IDataObject[]) : []);
		return { actions: list('actions'), devices: list('devices'), connections: list('connections') };
	}
	throw new Error(
		'GET /antigena answered neither a list of actions nor an object with "actions": check the instance URL in the Darktrace credential (the Threat Visualizer address)',
	);
}

/** Device and blocked-connection lookups by `did`, built once per response. */
export function indexByDevice(response: ActionsResponse) {
	const devices = new Map<number, IDataObject>();
	for (const d of response.devices) {
		const did = toNumber(d.did);
		if (did !== null) devices.set(did, d);
	}
	const connections = new Map<number, IDataObject[]>();
	for (const c of response.connections) {
		const did = toNumber(c.did);
		if (did === null) continue;
		const list = connections.get(did);
		if (list) list.push(c);
		else connections.set(did, [c]);
	}
	return { devices, connections };
}

/** The fields of a device an approval workflow needs. */
function deviceSummary(device: IDataObject): IDataObject {
	return {
		did: device.did,
		hostname: device.hostname ?? null,
		ip: device.ip ?? null,
		macaddress: device.macaddress ?? null,
		typelabel: device.typelabel ?? null,
		os: device.os ?? null,
		vendor: device.vendor ?? null,
	};
}

/**
 * The fields an approval workflow needs, in the order a reader scans them, straight from the raw action
 * (or a normalised one): long lists never build a full normalised copy of every action.
 */
export function simplifyAction(
	raw: IDataObject,
	now: number,
	device?: IDataObject,
	connections?: IDataObject[],
): IDataObject {
	const expires = toEpochMs(raw.expires);
	const triggerer = toTriggerer(raw.triggerer);
	const out: IDataObject = {
		codeid: codeIdOf(raw) ?? 0,
		state: stateOf(raw, now),
		action: String(raw.action ?? ''),
		label: String(raw.label ?? ''),
		did: toNumber(raw.did) ?? 0,
		ip: String(raw.ip ?? ''),
		score: toNumber(raw.score) ?? 0,
		model: String(raw.model ?? ''),
		pbid: toNumber(raw.pbid),
		manual: toBool(raw.manual),
		triggeredBy: triggerer?.username ?? null,
		triggerReason: triggerer?.reason ?? null,
		detail: String(raw.detail ?? ''),
		start: iso(toEpochMs(raw.start)),
		expires: iso(expires),
		remainingSeconds: secondsLeft(expires, now),
	};
	if (device) out.device = deviceSummary(device);
	if (connections) out.connections = connections;
	if (raw.history) out.history = raw.history;
	return out;
}

/**
 * An action as Get, Get Many and the trigger output it. Simplify on: the fields an approval workflow
 * needs (simplifyAction). Off: the whole normalised action, every field the appliance sent (its own
 * types fixed) plus state, ISO times and seconds left. `device` and `connections` are added when given.
 */
export function actionItem(
	raw: IDataObject,
	now: number,
	simple: boolean,
	device?: IDataObject,
	connections?: IDataObject[],
): IDataObject {
	if (simple) return simplifyAction(raw, now, device, connections);
	const action = normalizeAction(raw, now);
	if (device) action.device = device;
	if (connections) action.connections = connections;
	return action;
}
