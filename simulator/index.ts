/**
 * Darktrace appliance simulator: the RESPOND (Antigena) API of a Threat Visualizer, on loopback,
 * with a controllable clock, fault injection and a request log. See simulator/README.md.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { join } from 'node:path';
import { createApiHandler } from './api';
import { createControlHandler } from './control';
import { FaultList } from './faults';
import { closeServer, listenLoopback } from './http-util';
import { seedLarge, seedRealistic } from './seed';
import { SimStore } from './store';
import type {
	BreachStyle,
	FaultSpec,
	LargeDatasetOptions,
	RecordedRequest,
	SeedKind,
	SimAction,
	SimBreach,
	SimDevice,
	SimulatorToken,
} from './types';

export type {
	BreachStyle,
	SimBreach,
	SimBreachModel,
	FaultKind,
	FaultSpec,
	LargeDatasetOptions,
	RecordedRequest,
	SeedKind,
	SimAction,
	SimBlockedConnection,
	SimConnectionSpec,
	SimDevice,
	SimDeviceIp,
	SimDeviceTag,
	SimHistoryAction,
	SimHistoryEntry,
	SimInhibitor,
	SimManualTriggerer,
	SimRole,
	SimulatorToken,
} from './types';

export interface SimulatorOptions {
	/** 0 (default) = a free port. */
	port?: number;
	/** Serve TLS with the committed self-signed certificate (simulator/certs/). */
	https?: boolean;
	/** Default 'realistic'. */
	seed?: SeedKind;
	/** The appliance's clock at start (epoch ms); default Date.now(). It then runs with real time. */
	now?: number;
	/** Default false. */
	auditMode?: boolean;
	/** Default: DEFAULT_TOKENS, one per role. */
	tokens?: SimulatorToken[];
	/** Separate HTTP control server on loopback: 0 = a free port, false/undefined = none. */
	controlPort?: number | false;
	/**
	 * Request linting: refuse (400 INPUT ERROR, recorded as `lint`) what an appliance would or might
	 * accept but this project's client must not send. Default: process.env.DARKTRACE_SIMULATOR_STRICT
	 * === '1' (the project's jest setup sets it), otherwise off.
	 */
	strict?: boolean;
	/** How `GET /modelbreaches` answers (default: shapes and forms mixed per breach, unknown pbid `[]`). */
	breachStyle?: BreachStyle;
	/** Called after each API request is answered (the CLI prints these). Never sees a private token. */
	onRequest?: (request: RecordedRequest) => void;
}

export interface Simulator {
	readonly url: string;
	readonly controlUrl?: string;
	readonly tokens: SimulatorToken[];
	token(role: SimulatorToken['role']): SimulatorToken;
	readonly caCert: string;
	/** The appliance's one clock (real time plus any skew): date check, Date header, expiry, windows. */
	now(): number;
	/**
	 * Lets `ms` pass for the appliance and its clients alike: its clock moves (actions expire), stored
	 * times stay, and signed dates are judged as if the client's clock had moved along.
	 */
	advance(ms: number): void;
	/** Sets the appliance's clock; a client whose clock differs by over 30 minutes gets API DATE ERROR. */
	setNow(ms: number): void;
	/** Skews the appliance's clock against real time (0 = in sync); the same clock as setNow. */
	setClockSkew(ms: number): void;
	setAuditMode(on: boolean): void;
	/** Turns request linting on or off (see SimulatorOptions.strict). */
	setStrict(on: boolean): void;
	readonly strict: boolean;
	devices(): SimDevice[];
	actions(): SimAction[];
	action(codeid: number): SimAction | undefined;
	addDevice(partial?: Partial<SimDevice>): SimDevice;
	createPendingAction(partial?: Partial<SimAction> & { did?: number }): SimAction;
	createAction(partial: Partial<SimAction> & { did?: number }): SimAction;
	/** Model breaches, one per pbid of an automatic action (created with it). */
	breaches(): SimBreach[];
	breach(pbid: number): SimBreach | undefined;
	/** Changes how `GET /modelbreaches` answers; unset fields keep their value. */
	setBreachStyle(style: BreachStyle): void;
	reset(seed?: SeedKind): void;
	generateLargeDataset(n: number, opts?: LargeDatasetOptions): void;
	injectFault(f: FaultSpec): void;
	clearFaults(): void;
	requests(): RecordedRequest[];
	clearRequests(): void;
	/** Timers running for faults (delays, slow bodies): 0 once every such answer is over. */
	activeTimers(): number;
	stop(): Promise<void>;
}

/** Fixed demo tokens (40 chars of [a-z0-9]) so that demos and saved n8n credentials stay valid. */
export const DEFAULT_TOKENS: readonly SimulatorToken[] = Object.freeze([
	{
		role: 'respond',
		public: '7z44mayjp3k2g794hmtfk4n9zofzs0bgdocz4o8e',
		private: 'jsood4qv3vl7px5nkvskma8za19lm4a5pw3bd5hy',
		username: 'soc-respond',
	},
	{
		role: 'readonly',
		public: 'nkpbg68qp6k9w1o9nb5abprhf21seylbt6viao8h',
		private: 'cq5mkd17g6z2wx17qthquyyt6oyxcrblbommjcec',
		username: 'soc-readonly',
	},
	{
		role: 'none',
		public: 'o91jiv6t15iq3r0qomfvn5uex3ynxrynmklrt5cq',
		private: '5rh82so94tf08kdwdnlwjgejo9cgel8g5vo3jf5m',
		username: 'no-perms',
	},
]);

const CERT_DIR = join(__dirname, 'certs');
/** The request log keeps this many entries (oldest dropped first). */
const MAX_RECORDED = 50_000;

function clone<T>(value: T): T {
	return structuredClone(value);
}

function byCodeid(a: SimAction, b: SimAction): number {
	return a.codeid - b.codeid;
}

class RunningSimulator implements Simulator {
	readonly tokens: SimulatorToken[];
	readonly caCert: string;
	url = '';
	controlUrl?: string;
	readonly faults = new FaultList();
	private readonly log: RecordedRequest[] = [];
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly servers: Array<Server | HttpsServer> = [];

	constructor(
		readonly store: SimStore,
		tokens: SimulatorToken[],
		private readonly defaultSeed: SeedKind,
		private readonly onRequest?: (request: RecordedRequest) => void,
	) {
		this.tokens = tokens;
		this.caCert = readFileSync(join(CERT_DIR, 'cert.pem'), 'utf8');
	}

	async listen(opts: SimulatorOptions): Promise<void> {
		const api = createApiHandler({
			store: this.store,
			tokens: this.tokens,
			faults: this.faults,
			record: (request) => this.record(request),
			schedule: (fn, ms) => this.schedule(fn, ms),
			breachStyle: () => this.style,
			strict: () => this.strictMode,
			baseUrl: () => this.url,
		});
		const server = opts.https
			? createHttpsServer({ key: readFileSync(join(CERT_DIR, 'key.pem')), cert: this.caCert }, api)
			: createHttpServer(api);
		this.servers.push(server);
		const port = await listenLoopback(server, opts.port ?? 0);
		this.url = opts.https ? `https://localhost:${port}` : `http://127.0.0.1:${port}`;
		if (opts.controlPort !== undefined && opts.controlPort !== false) {
			const control = createHttpServer(createControlHandler(this));
			this.servers.push(control);
			this.controlUrl = `http://127.0.0.1:${await listenLoopback(control, opts.controlPort)}`;
		}
	}

	private record(request: RecordedRequest): void {
		this.log.push(request);
		if (this.log.length > MAX_RECORDED) this.log.splice(0, this.log.length - MAX_RECORDED);
		this.onRequest?.(clone(request));
	}

	/** A timer that stop() cancels; returns its own cancel function. */
	private schedule(fn: () => void, ms: number): () => void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			fn();
		}, ms);
		this.timers.add(timer);
		return () => {
			clearTimeout(timer);
			this.timers.delete(timer);
		};
	}

	token(role: SimulatorToken['role']): SimulatorToken {
		const found = this.tokens.find((t) => t.role === role);
		if (!found) throw new Error(`No simulator token with role ${role}`);
		return found;
	}

	now(): number {
		return this.store.now();
	}

	advance(ms: number): void {
		this.store.advance(ms);
	}

	setNow(ms: number): void {
		this.store.setNow(ms);
	}

	private strictMode = false;
	private style: Required<BreachStyle> = { form: 'mixed', modelShape: 'mixed', unknownPbid: 'empty-list' };

	setClockSkew(ms: number): void {
		this.store.setClockSkew(ms);
	}

	setAuditMode(on: boolean): void {
		this.store.auditMode = on;
	}

	setStrict(on: boolean): void {
		this.strictMode = on;
	}

	get strict(): boolean {
		return this.strictMode;
	}

	get auditMode(): boolean {
		return this.store.auditMode;
	}

	devices(): SimDevice[] {
		return clone(this.store.allDevices());
	}

	actions(): SimAction[] {
		return clone(this.store.allActions().sort(byCodeid));
	}

	action(codeid: number): SimAction | undefined {
		const found = this.store.action(codeid);
		return found && clone(found);
	}

	addDevice(partial: Partial<SimDevice> = {}): SimDevice {
		return clone(this.store.insertDevice(partial));
	}

	createPendingAction(partial: Partial<SimAction> = {}): SimAction {
		return this.createAction({
			manual: false,
			triggerer: null,
			...partial,
			needconfirming: true,
			active: false,
			cleared: false,
		});
	}

	createAction(partial: Partial<SimAction>): SimAction {
		return clone(this.store.insertAction(partial));
	}

	breaches(): SimBreach[] {
		return clone(this.store.allBreaches().sort((a, b) => a.pbid - b.pbid));
	}

	breach(pbid: number): SimBreach | undefined {
		const found = this.store.breach(pbid);
		return found && clone(found);
	}

	setBreachStyle(style: BreachStyle): void {
		const next = { ...this.style, ...style };
		const ok =
			['mixed', 'object', 'list'].includes(next.form) &&
			['mixed', 'then-now', 'flat'].includes(next.modelShape) &&
			['empty-list', 'error'].includes(next.unknownPbid);
		if (!ok) throw new Error(`Invalid breach style ${JSON.stringify(style)}`);
		this.style = next;
	}

	reset(seed: SeedKind = this.defaultSeed): void {
		this.store.clear();
		if (seed === 'realistic') seedRealistic(this.store);
	}

	generateLargeDataset(n: number, opts?: LargeDatasetOptions): void {
		seedLarge(this.store, n, opts);
	}

	injectFault(f: FaultSpec): void {
		this.faults.add(f);
	}

	clearFaults(): void {
		this.faults.clear();
	}

	requests(): RecordedRequest[] {
		return clone(this.log);
	}

	clearRequests(): void {
		this.log.length = 0;
	}

	activeTimers(): number {
		return this.timers.size;
	}

	async stop(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		await Promise.all(this.servers.splice(0).map(closeServer));
	}
}

function checkTokens(tokens: SimulatorToken[]): void {
	const publics = new Set<string>();
	for (const t of tokens) {
		if (!t.public || !t.private || !t.username) throw new Error('Simulator tokens need public, private and username');
		if (publics.has(t.public)) throw new Error(`Duplicate public token for role ${t.role}`);
		publics.add(t.public);
	}
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
	const tokens = clone(opts.tokens ?? [...DEFAULT_TOKENS]);
	checkTokens(tokens);
	const store = new SimStore(opts.now ?? Date.now());
	store.auditMode = opts.auditMode ?? false;
	const sim = new RunningSimulator(store, tokens, opts.seed ?? 'realistic', opts.onRequest);
	sim.reset();
	if (opts.breachStyle) sim.setBreachStyle(opts.breachStyle);
	sim.setStrict(opts.strict ?? process.env.DARKTRACE_SIMULATOR_STRICT === '1');
	try {
		await sim.listen(opts);
	} catch (error) {
		await sim.stop();
		throw error;
	}
	return sim;
}
