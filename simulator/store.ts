/** The simulated appliance's state: clock, devices, RESPOND actions and their state machine. */
import type {
	SimAction,
	SimBreach,
	SimBreachModel,
	SimConnectionSpec,
	SimDevice,
	SimHistoryAction,
	SimHistoryEntry,
	SimInhibitor,
} from './types';
import { DAY, HOUR, InputError, formatTime } from './util';

export const HISTORY_FAMILY = 'Antigena';
export const SYSTEM_USERNAME = 'Darktrace';
/** Model default length (seconds) when nothing else is known. */
export const DEFAULT_ACTION_SECONDS = 600;
/** How long a model-proposed action waits for confirmation by default. */
export const DEFAULT_PENDING_MS = HOUR;
/** `GET /antigena` without a window: current actions plus those that expired in the last 14 days. */
export const DEFAULT_LIST_WINDOW_MS = 14 * DAY;
export const FIRST_CODEID = 10001;

export const INHIBITOR_LABELS: Record<SimInhibitor, string> = {
	connection: 'Block matching connections',
	pol: 'Enforce pattern of life',
	gpol: 'Enforce group pattern of life',
	quarantine: 'Quarantine device',
	quarantineOutgoing: 'Block all outgoing traffic',
	quarantineIncoming: 'Block all incoming traffic',
};

/** Inhibitors a Client Sensor device cannot apply (section 7 of the contract). */
const CLIENT_SENSOR_UNSUPPORTED = new Set<string>(['pol', 'gpol', 'quarantineOutgoing']);

const TYPE_LABELS: Record<string, string> = {
	desktop: 'Desktop',
	laptop: 'Laptop',
	server: 'Server',
	printer: 'Printer',
	camera: 'IP Camera',
	mobile: 'Mobile Device',
};

const DEFAULT_MODEL = {
	model: 'Antigena / Network / Significant Anomaly / Antigena Significant Anomaly Block',
	modeluuid: '2a9b0c1e-5f3d-4c7a-9e21-6b8d4f0a1c33',
};

export interface TimeWindow {
	start: number;
	end: number;
}

export interface ActionFilter {
	window?: TimeWindow;
	includecleared?: boolean;
	needconfirming?: boolean;
	did?: number;
	pbid?: number;
}

export interface ChangeRequest {
	codeid: number;
	activate?: boolean;
	clear?: boolean;
	duration?: number;
	reason?: string;
}

export interface ManualRequest {
	did: number;
	action: SimInhibitor;
	duration: number;
	reason?: string;
	connections?: SimConnectionSpec[];
}

export interface Summary {
	pendingCount: number;
	activeCount: number;
	pendingActionDevices: number[];
	activeActionDevices: number[];
}

export function historyEntry(
	action: SimHistoryAction,
	username: string,
	reason: string,
	time: number,
): SimHistoryEntry {
	return { family: HISTORY_FAMILY, username, action, reason, time };
}

function macFor(did: number): string {
	const bytes = [0x00, 0x50, 0x56, (did >> 16) & 0xff, (did >> 8) & 0xff, did & 0xff];
	return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Copies the keys of `partial` onto `target`, skipping `undefined` so that no default is erased. */
function assignDefined<T extends object>(target: T, partial: Partial<T>): T {
	for (const key of Object.keys(partial) as Array<keyof T>) {
		const value = partial[key];
		if (value !== undefined) target[key] = value as T[keyof T];
	}
	return target;
}

/** A small stable number from a string (model ids derived from the model's uuid). */
function stableNumber(text: string, modulo: number): number {
	let h = 0;
	for (const c of text) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
	return 1 + (h % modulo);
}

function categoryOf(name: string): SimBreachModel['category'] {
	if (/compliance/i.test(name)) return 'Compliance';
	if (/ransomware|external threat/i.test(name)) return 'Critical';
	if (/insider|anomaly/i.test(name)) return 'Suspicious';
	return 'Informational';
}

/**
 * The model of an action's breach, then and now. Model descriptions carry a literal `\n` (backslash,
 * n), as the guide warns; every third breach's model was edited since (`now` differs from `then`).
 */
function breachModels(a: SimAction): { then: SimBreachModel; now: SimBreachModel } {
	const name = a.model || DEFAULT_MODEL.model;
	const uuid = a.modeluuid || DEFAULT_MODEL.modeluuid;
	// shared between breaches of the same model (large data sets have thousands); never mutated
	const key = `${uuid}\n${name}\n${a.pbid % 3 === 0}`;
	let models = MODEL_CACHE.get(key);
	if (!models) {
		models = makeBreachModels(name, uuid, a.pbid % 3 === 0);
		if (MODEL_CACHE.size > 1000) MODEL_CACHE.clear();
		MODEL_CACHE.set(key, models);
	}
	return models;
}

const MODEL_CACHE = new Map<string, { then: SimBreachModel; now: SimBreachModel }>();

function makeBreachModels(name: string, uuid: string, edited: boolean): { then: SimBreachModel; now: SimBreachModel } {
	const pid = stableNumber(uuid, 3000);
	const then: SimBreachModel = {
		name,
		pid,
		phid: pid * 10 + 1,
		uuid,
		tags: ['AP: Egress', 'RESPOND'],
		priority: 1 + (pid % 5),
		category: categoryOf(name),
		description: `A device breached ${name.split(' / ').pop() ?? name}.\\nAction: review the device and the RESPOND action.`,
		version: 1,
	};
	const now = edited
		? { ...then, phid: then.phid + 1, version: 2, priority: Math.min(5, then.priority + 1), tags: [...then.tags, 'Edited'] }
		: { ...then, tags: [...then.tags] };
	return { then, now };
}

function uniqueSorted(values: number[]): number[] {
	return [...new Set(values)].sort((a, b) => a - b);
}

export class SimStore {
	auditMode = false;
	private readonly devicesById = new Map<number, SimDevice>();
	private readonly actionsById = new Map<number, SimAction>();
	private readonly breachesById = new Map<number, SimBreach>();
	private nextDid = 1;
	private nextCodeid = FIRST_CODEID;
	private nextPbid = 50001;
	/** How far the appliance's clock runs ahead of real time (negative: behind). */
	private clockSkew = 0;

	constructor(now: number) {
		this.setNow(now);
	}

	// --- clock: ONE clock for the appliance ---------------------------------------------------
	/** Time made to pass by advance()/setNow(): for the appliance and its clients alike. */
	private passed = 0;

	/** The appliance's clock: what the Date header, expiry, windows and history read. */
	now(): number {
		return Date.now() + this.clockSkew + this.passed;
	}

	/**
	 * The clock a signed DTAPI-Date is judged against: the appliance's clock with the time tests made
	 * pass taken off, because that time passed for the client too (a test cannot move the clock of the
	 * n8n under test, so its dates are read as if it had moved along). Only a skew makes dates fail.
	 */
	clientClock(): number {
		return Date.now() + this.clockSkew;
	}

	/** Sets the appliance's time, as time passing for the appliance and its clients alike. */
	setNow(ms: number): void {
		this.passed = ms - Date.now() - this.clockSkew;
	}

	/** Puts the appliance's clock off against its clients' (API DATE ERROR beyond 30 minutes). */
	setClockSkew(ms: number): void {
		this.clockSkew = ms;
	}

	/** Lets `ms` pass for the appliance (its clock, so expiry and history) and its clients alike. */
	advance(ms: number): void {
		this.passed += ms;
	}

	clear(): void {
		this.devicesById.clear();
		this.actionsById.clear();
		this.breachesById.clear();
		this.nextDid = 1;
		this.nextCodeid = FIRST_CODEID;
		this.nextPbid = 50001;
	}

	// --- devices --------------------------------------------------------------------------
	device(did: number): SimDevice | undefined {
		return this.devicesById.get(did);
	}

	allDevices(): SimDevice[] {
		return [...this.devicesById.values()];
	}

	insertDevice(partial: Partial<SimDevice> = {}): SimDevice {
		const did = partial.did ?? this.nextDid;
		if (this.devicesById.has(did)) throw new Error(`Device ${did} already exists`);
		const now = this.now();
		const ip = partial.ip ?? `10.${20 + ((did >> 16) & 0xff)}.${(did >> 8) & 0xff}.${did & 0xff}`;
		const typename = partial.typename ?? 'desktop';
		const device = assignDefined<SimDevice>(
			{
				did,
				ip,
				ips: [{ ip, timems: now, time: formatTime(now), sid: 1 }],
				sid: 1,
				hostname: `ws-${did}.corp.example`,
				firstSeen: now - 90 * DAY,
				lastSeen: now,
				os: 'Windows 10',
				typename,
				typelabel: TYPE_LABELS[typename] ?? typename,
				macaddress: macFor(did),
				vendor: 'Dell Inc.',
				tags: [],
				sensorType: /client/i.test(typename) ? 'client' : 'network',
			},
			partial,
		);
		this.devicesById.set(did, device);
		this.nextDid = Math.max(this.nextDid, did + 1);
		return device;
	}

	// --- actions --------------------------------------------------------------------------
	action(codeid: number): SimAction | undefined {
		return this.actionsById.get(codeid);
	}

	allActions(): SimAction[] {
		return [...this.actionsById.values()];
	}

	/** Stores an action, completing what `partial` leaves out as an automatic action created now. */
	insertAction(partial: Partial<SimAction> = {}): SimAction {
		const device =
			partial.did !== undefined ? this.devicesById.get(partial.did) : (this.allDevices()[0] ?? this.insertDevice());
		if (!device) throw new Error(`Unknown device ${partial.did}`);
		const codeid = partial.codeid ?? this.nextCodeid;
		if (this.actionsById.has(codeid)) throw new Error(`Action ${codeid} already exists`);
		const now = this.now();
		const kind = partial.action ?? 'quarantine';
		const manual = partial.manual ?? false;
		const needconfirming = partial.needconfirming ?? false;
		const cleared = partial.cleared ?? false;
		const triggerer =
			partial.triggerer !== undefined ? partial.triggerer : manual ? { username: 'admin', reason: '' } : null;
		const start = partial.start ?? now;
		const defaultDuration = partial.defaultDuration ?? DEFAULT_ACTION_SECONDS;
		const expires = partial.expires ?? start + (needconfirming ? DEFAULT_PENDING_MS : defaultDuration * 1000);
		const blockedConnections = partial.blockedConnections ?? [];
		const creator = triggerer && typeof triggerer === 'object' ? triggerer : { username: SYSTEM_USERNAME, reason: '' };
		const history = partial.history ?? [
			historyEntry(
				needconfirming ? 'created (requires confirmation)' : 'created',
				creator.username,
				creator.reason,
				start,
			),
			...(cleared ? [historyEntry('cleared', 'admin', '', partial.updated ?? now)] : []),
		];
		const action = assignDefined<SimAction>(
			{
				codeid,
				did: device.did,
				ip: device.ip,
				action: kind,
				label: INHIBITOR_LABELS[kind as SimInhibitor] ?? kind,
				detail: '',
				manual,
				triggerer,
				score: manual ? 0 : 0.75,
				pbid: manual ? 0 : this.nextPbid,
				model: manual ? '' : DEFAULT_MODEL.model,
				modeluuid: manual ? '' : DEFAULT_MODEL.modeluuid,
				start,
				expires,
				updated: start,
				blocked: blockedConnections.length > 0,
				agemail: false,
				aghost: false,
				active: !needconfirming && !cleared,
				cleared,
				needconfirming,
				history,
				defaultDuration,
				connections: [],
				blockedConnections,
			},
			partial,
		);
		this.actionsById.set(codeid, action);
		this.nextCodeid = Math.max(this.nextCodeid, codeid + 1);
		this.nextPbid = Math.max(this.nextPbid, action.pbid + 1);
		if (action.pbid > 0 && !this.breachesById.has(action.pbid)) this.insertBreachFor(action);
		return action;
	}

	// --- model breaches -------------------------------------------------------------------
	breach(pbid: number): SimBreach | undefined {
		return this.breachesById.get(pbid);
	}

	allBreaches(): SimBreach[] {
		return [...this.breachesById.values()];
	}

	/**
	 * The breach that triggered `a`: on its device, a little before the action started. How it is
	 * served varies by pbid, deterministically: every fourth breach (pbid % 4 === 3) has the older
	 * flat model shape, every fifth (pbid % 5 === 2) comes wrapped in a one-element list.
	 */
	insertBreachFor(a: SimAction, partial: Partial<SimBreach> = {}): SimBreach {
		const time = a.start - 2 * 60_000;
		const breach = assignDefined<SimBreach>(
			{
				pbid: a.pbid,
				did: a.did,
				time,
				creationTime: time + 5_000,
				score: a.score > 0 ? a.score : 0.5,
				commentCount: a.pbid % 4,
				...breachModels(a),
				modelShape: a.pbid % 4 === 3 ? 'flat' : 'then-now',
				asList: a.pbid % 5 === 2,
			},
			partial,
		);
		this.breachesById.set(breach.pbid, breach);
		return breach;
	}

	/** Awaiting confirmation: proposed by a model, never activated, not cleared, not lapsed. */
	isPending(a: SimAction, now = this.now()): boolean {
		return a.needconfirming && !a.active && !a.cleared && a.expires > now;
	}

	/** Currently enforced. */
	isRunning(a: SimAction, now = this.now()): boolean {
		return a.active && !a.cleared && a.expires > now;
	}

	list(filter: ActionFilter): SimAction[] {
		const now = this.now();
		const window = filter.window ?? { start: now - DEFAULT_LIST_WINDOW_MS, end: Infinity };
		return this.allActions().filter(
			(a) =>
				a.expires >= window.start &&
				a.start <= window.end &&
				(filter.includecleared === true || !a.cleared) &&
				(filter.did === undefined || a.did === filter.did) &&
				(filter.pbid === undefined || a.pbid === filter.pbid) &&
				(filter.needconfirming === undefined || this.isPending(a, now) === filter.needconfirming),
		);
	}

	/** Without a window: live counts. With one: no pending information, active = active at any time in it. */
	summary(window?: TimeWindow): Summary {
		const now = this.now();
		const pending = window ? [] : this.allActions().filter((a) => this.isPending(a, now));
		const active = this.allActions().filter((a) => (window ? this.wasActiveDuring(a, window) : this.isRunning(a, now)));
		return {
			pendingCount: pending.length,
			activeCount: active.length,
			pendingActionDevices: uniqueSorted(pending.map((a) => a.did)),
			activeActionDevices: uniqueSorted(active.map((a) => a.did)),
		};
	}

	private wasActiveDuring(a: SimAction, window: TimeWindow): boolean {
		const activated = a.active || a.history.some((h) => h.action === 'created' || h.action.startsWith('reactivated'));
		const lastClear = [...a.history].reverse().find((h) => h.action === 'cleared');
		const end = a.cleared && lastClear ? lastClear.time : a.expires;
		return activated && a.start <= window.end && end >= window.start;
	}

	/** `POST /antigena`: activate, extend, clear or reactivate. Throws InputError on a wrong state. */
	change(req: ChangeRequest, username: string): void {
		const a = this.actionsById.get(req.codeid);
		if (!a) throw new InputError(`Unknown codeid ${req.codeid}`);
		const now = this.now();
		let entry: SimHistoryAction;
		if (req.activate && req.clear) throw new InputError('activate and clear cannot both be true');
		if (req.clear) {
			// Clearing a cleared action again (a retried clear) succeeds and writes a second history
			// entry: the contract's "idempotent in effect, but a retry still writes a history entry".
			// A duration (refused in strict mode) does not change what a clear does.
			a.cleared = true;
			a.active = false;
			entry = 'cleared';
		} else if (req.activate) {
			if (this.isRunning(a, now)) throw new InputError(`Action ${a.codeid} is already active`);
			if (this.isPending(a, now)) {
				a.start = now;
				a.expires = now + (req.duration ?? a.defaultDuration) * 1000;
				entry = 'created';
			} else {
				if (req.duration === undefined) {
					throw new InputError('duration is required to reactivate a cleared or expired action');
				}
				a.expires = now + req.duration * 1000;
				entry = a.cleared ? 'reactivated (cleared)' : 'reactivated (expired)';
			}
			a.active = true;
			a.cleared = false;
			a.needconfirming = false;
		} else if (req.duration !== undefined) {
			if (!this.isRunning(a, now)) {
				throw new InputError(`Action ${a.codeid} is not active: only an active action can be extended`);
			}
			a.expires = now + req.duration * 1000;
			entry = 'extended';
		} else {
			throw new InputError('Nothing to do: give activate, clear or duration');
		}
		a.updated = now;
		a.history.push(historyEntry(entry, username, req.reason ?? '', now));
	}

	/** `POST /antigena/manual`: a manual action, active immediately. */
	createManual(req: ManualRequest, username: string): SimAction {
		const device = this.devicesById.get(req.did);
		if (!device) throw new InputError(`Unknown device did ${req.did}`);
		if (device.sensorType === 'client' && CLIENT_SENSOR_UNSUPPORTED.has(req.action)) {
			throw new InputError(`Action ${req.action} is not supported on device ${device.did} (Client Sensor)`);
		}
		const now = this.now();
		const reason = req.reason ?? '';
		const connections = req.connections ?? [];
		return this.insertAction({
			did: device.did,
			action: req.action,
			manual: true,
			triggerer: { username, reason },
			detail: connections.map((c) => `${c.src} -> ${c.dst}${c.port !== undefined ? `:${c.port}` : ''}`).join(', '),
			start: now,
			expires: now + req.duration * 1000,
			defaultDuration: req.duration,
			connections,
		});
	}
}
