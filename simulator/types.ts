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
	| 'partial';

export interface FaultSpec {
	method?: 'GET' | 'POST';
	path?: string;
	times?: number;
	kind: FaultKind;
	delayMs?: number;
	status?: number;
	retryAfter?: string;
	body?: string;
	/** 'partial': GET /antigena lists only the actions with these codeids... */
	keepCodeids?: number[];
	/** ...or only the newest N (highest codeids) of what it would list. */
	keepNewest?: number;
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
	/** The status answered; 0 when the connection was reset. */
	status: number;
	authOk: boolean;
	/** True when the request changed the simulator's state. */
	isWrite: boolean;
	/** Real (wall-clock) arrival time in epoch ms. */
	time: number;
}

export type SeedKind = 'realistic' | 'empty';

export interface LargeDatasetOptions {
	pendingRatio?: number;
	withConnections?: boolean;
}
