/** Shared types of the Darktrace appliance simulator (no runtime code). */

export type SimRole = 'respond' | 'readonly' | 'none';

export interface SimulatorToken {
	role: SimRole;
	public: string;
	private: string;
	username: string;
}

export type SimHistoryAction =
	| 'created'
	| 'created (requires confirmation)'
	| 'extended'
	| 'cleared'
	| 'reactivated (expired)'
	| 'reactivated (cleared)';

export interface SimHistoryEntry {
	family: string;
	username: string;
	action: SimHistoryAction;
	reason: string;
	time: number;
}

export type SimInhibitor = 'connection' | 'pol' | 'gpol' | 'quarantine' | 'quarantineOutgoing' | 'quarantineIncoming';

export interface SimManualTriggerer {
	username: string;
	reason: string;
}

/** A `connections` entry of `POST /antigena/manual`. */
export interface SimConnectionSpec {
	src: string;
	dst: string;
	port?: number;
}

/** A connection blocked by an action, as served by `includeconnections=true`. */
export interface SimBlockedConnection {
	action: string;
	label: string;
	did: number;
	direction: 'incoming' | 'outgoing';
	ip: string;
	port: number;
	timems: number;
	time: string;
}

export interface SimAction {
	codeid: number;
	did: number;
	ip: string;
	action: string;
	label: string;
	detail: string;
	manual: boolean;
	/** `null` (automatic), the string `'null'` (seen on one guide example) or `{username, reason}` (manual). */
	triggerer: null | 'null' | SimManualTriggerer;
	score: number;
	pbid: number;
	model: string;
	modeluuid: string;
	start: number;
	expires: number;
	updated: number;
	blocked: boolean;
	agemail: boolean;
	aghost: boolean;
	active: boolean;
	cleared: boolean;
	/** Internal: the action was proposed by a model and waits (or waited) for a human to confirm it. */
	needconfirming: boolean;
	/** Internal: served only with `includehistory=true`. */
	history: SimHistoryEntry[];
	/** Internal: the model's default length in seconds, used by an activation without `duration`. */
	defaultDuration: number;
	/** Internal: the `connections` of a manual `connection` action. */
	connections: SimConnectionSpec[];
	/** Internal: served only with `includeconnections=true`. */
	blockedConnections: SimBlockedConnection[];
}

export interface SimDeviceIp {
	ip: string;
	timems: number;
	time: string;
	sid: number;
}

export interface SimDeviceTag {
	tid: number;
	name: string;
	restricted: boolean;
	data: { auto: boolean; color: number; description: string };
}

export interface SimDevice {
	did: number;
	ip: string;
	ips: SimDeviceIp[];
	sid: number;
	hostname: string;
	firstSeen: number;
	lastSeen: number;
	os: string;
	typename: string;
	typelabel: string;
	macaddress: string;
	vendor: string;
	tags: SimDeviceTag[];
	/** Internal: 'client' devices (Client Sensor) refuse `pol`, `gpol` and `quarantineOutgoing`. */
	sensorType: 'network' | 'client';
}

export type FaultKind =
	| 'latency'
	| 'status'
	| 'reset'
	| 'html-login'
	| 'redirect-login'
	| 'malformed-json'
	| 'empty-body'
	| 'status-after-write'
	| 'slow-body'
	| 'endless-body';

export interface FaultSpec {
	method?: 'GET' | 'POST';
	path?: string;
	times?: number;
	kind: FaultKind;
	delayMs?: number;
	status?: number;
	retryAfter?: string;
	body?: string;
	/**
	 * `latency`, `reset`, `slow-body`, `endless-body`: process the request first (a POST's write is
	 * applied), then delay the answer / reset mid-response / send the real answer slowly.
	 */
	afterWrite?: boolean;
	/** `slow-body`, `endless-body`: milliseconds between two body bytes (default 150). */
	intervalMs?: number;
}

export interface RecordedRequest {
	method: string;
	/** The request target exactly as received (path plus raw query string). */
	target: string;
	path: string;
	query: Record<string, string>;
	body: string;
	/** The public token (`DTAPI-Token` header), if one was sent. */
	token?: string;
	/** The status answered; 0 when none was sent (a reset, or the client left during a delay). */
	status: number;
	authOk: boolean;
	/** True when the request changed the simulator's state. */
	isWrite: boolean;
	/** Real (wall-clock) arrival time in epoch ms. */
	time: number;
	/** Strict mode only: why the request was refused although an appliance would (or might) take it. */
	lint?: string;
}

/** A model as a breach describes it (`model.then` / `model.now`, or flat under `model` on older appliances). */
export interface SimBreachModel {
	name: string;
	pid: number;
	phid: number;
	uuid: string;
	tags: string[];
	priority: number;
	category: 'Informational' | 'Suspicious' | 'Critical' | 'Compliance';
	description: string;
	version: number;
}

/**
 * A model breach (`GET /modelbreaches?pbid=`). The device is read from the device store when served;
 * the two internal fields say how this breach is served (both shapes and both forms exist in the field).
 */
export interface SimBreach {
	pbid: number;
	did: number;
	time: number;
	creationTime: number;
	score: number;
	commentCount: number;
	/** The model as it was when it breached. */
	then: SimBreachModel;
	/** The model as it is now (may have been edited since). */
	now: SimBreachModel;
	/** Internal: `'flat'` = the older shape, `name`/`uuid`/`pid` directly under `model`. */
	modelShape: 'then-now' | 'flat';
	/** Internal: answered wrapped in a one-element list, as some versions do. */
	asList: boolean;
}

/** How `GET /modelbreaches` answers: 'mixed' (default) = per breach, deterministic by pbid. */
export interface BreachStyle {
	form?: 'mixed' | 'object' | 'list';
	modelShape?: 'mixed' | 'then-now' | 'flat';
	/** An unknown pbid: `[]` (default) or `400 INPUT ERROR`. */
	unknownPbid?: 'empty-list' | 'error';
}

export type SeedKind = 'realistic' | 'empty';

export interface LargeDatasetOptions {
	pendingRatio?: number;
	withConnections?: boolean;
}
