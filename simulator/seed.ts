/** Deterministic data sets: the realistic demo seed and large generated data sets for benchmarks. */
import { DEFAULT_PENDING_MS, INHIBITOR_LABELS, SYSTEM_USERNAME, historyEntry, type SimStore } from './store';
import type { LargeDatasetOptions, SimAction, SimBlockedConnection, SimDevice, SimInhibitor } from './types';
import { DAY, HOUR, MINUTE, createRng, formatTime, type Rng } from './util';

interface ModelInfo {
	model: string;
	modeluuid: string;
	action: SimInhibitor;
	seconds: number;
}

const MODELS: ModelInfo[] = [
	['External Threat / Antigena Suspicious File Block', 'connection', 7200],
	['External Threat / Antigena Suspicious Activity Block', 'connection', 3600],
	['Insider Threat / Antigena SMB Enumeration Block', 'pol', 3600],
	['Insider Threat / Antigena Network Scan Block', 'pol', 1800],
	['Significant Anomaly / Antigena Enhanced Monitoring from Client Block', 'gpol', 7200],
	['External Threat / Antigena Ransomware Block', 'quarantine', 86400],
	['Compliance / Antigena Crypto Currency Mining Block', 'quarantineOutgoing', 600],
	['Significant Anomaly / Antigena Breaches Over Time Block', 'quarantine', 3600],
	['Insider Threat / Antigena Large Data Volume Inbound Block', 'quarantineIncoming', 1800],
].map(([name, action, seconds], i) => ({
	model: `Antigena / Network / ${name}`,
	modeluuid: `${(0x3c1f9a00 + i * 7919).toString(16)}-0a4e-4b8c-9d2f-${(0xe1b2c3d40000 + i * 104729).toString(16)}`,
	action: action as SimInhibitor,
	seconds: seconds as number,
}));

const INHIBITORS = Object.keys(INHIBITOR_LABELS) as SimInhibitor[];
const EXTERNAL_IPS = ['185.220.101.4', '45.133.1.88', '91.219.236.12', '103.75.201.2', '198.51.100.23', '203.0.113.77'];
const PORTS = [443, 80, 445, 3389, 22, 8080, 53];
const ANALYSTS = ['jdoe', 'msmith', 'soc-analyst'];
const REASONS = [
	'Suspicious beaconing reported by user',
	'Containment during incident IR-2041',
	'Lateral movement suspected',
];

type Kind =
	| 'pending'
	| 'active'
	| 'confirmed'
	| 'manual'
	| 'expired'
	| 'expired-null'
	| 'manual-expired'
	| 'old'
	| 'cleared'
	| 'cleared-expired'
	| 'lapsed';

const MANUAL_KINDS = new Set<Kind>(['manual', 'manual-expired']);
const NEVER_ACTIVATED = new Set<Kind>(['pending', 'lapsed']);

/** Start and expiry of an action of this kind, relative to `now`. */
function timing(kind: Kind, seconds: number, rng: Rng, now: number): { start: number; expires: number } {
	const lasting = (start: number) => ({ start, expires: start + seconds * 1000 });
	switch (kind) {
		case 'pending':
			return { start: now - rng.int(2, 90) * MINUTE, expires: now + rng.int(20, 240) * MINUTE };
		case 'lapsed': {
			const start = now - rng.int(1, 12) * DAY - rng.int(0, 600) * MINUTE;
			return { start, expires: start + DEFAULT_PENDING_MS };
		}
		case 'active':
		case 'confirmed':
		case 'manual':
			return { start: now - rng.int(5, 180) * MINUTE, expires: now + rng.int(10, 600) * MINUTE };
		case 'old':
			return lasting(now - rng.int(15, 45) * DAY);
		case 'cleared':
			return lasting(now - rng.int(1, 120) * MINUTE);
		default: // expired kinds
			return lasting(now - rng.int(1, 13) * DAY - rng.int(0, 600) * MINUTE);
	}
}

function blockedConnections(a: { action: string; did: number; start: number }, rng: Rng): SimBlockedConnection[] {
	return Array.from({ length: rng.int(1, 3) }, () => {
		const timems = a.start + rng.int(0, 300) * 1000;
		return {
			action: a.action,
			label: INHIBITOR_LABELS[a.action as SimInhibitor] ?? a.action,
			did: a.did,
			direction: rng.next() < 0.8 ? 'outgoing' : 'incoming',
			ip: rng.pick(EXTERNAL_IPS),
			port: rng.pick(PORTS),
			timems,
			time: formatTime(timems),
		};
	});
}

/** One action of the given kind; `inhibitor` is used for manual kinds, `model` otherwise. */
function scenarioAction(
	kind: Kind,
	device: SimDevice,
	model: ModelInfo,
	inhibitor: SimInhibitor,
	rng: Rng,
	now: number,
	connections: 'never' | 'sometimes' | 'always',
): Partial<SimAction> {
	const did = device.did;
	const manual = MANUAL_KINDS.has(kind);
	const seconds = manual ? rng.pick([600, 1800, 3600]) : model.seconds;
	const { start, expires } = timing(kind, seconds, rng, now);
	const action = manual ? inhibitor : model.action;
	const user = rng.pick(ANALYSTS);
	const reason = rng.pick(REASONS);
	const triggerer = manual ? { username: user, reason } : kind === 'expired-null' ? 'null' : null;
	const history = [
		historyEntry(
			NEVER_ACTIVATED.has(kind) || kind === 'confirmed' ? 'created (requires confirmation)' : 'created',
			manual ? user : SYSTEM_USERNAME,
			manual ? reason : '',
			kind === 'confirmed' ? start - rng.int(1, 30) * MINUTE : start,
		),
	];
	if (kind === 'confirmed') history.push(historyEntry('created', user, 'Confirmed after triage', start));
	const cleared = kind === 'cleared' || kind === 'cleared-expired';
	const updated = cleared ? Math.min(now - MINUTE, start + rng.int(1, 30) * MINUTE) : start;
	if (cleared) history.push(historyEntry('cleared', user, 'False positive: approved change window', updated));
	const blocks =
		!NEVER_ACTIVATED.has(kind) &&
		action !== 'pol' &&
		action !== 'gpol' &&
		(connections === 'always' || (connections === 'sometimes' && rng.next() < 0.5));
	const score = Math.round((0.3 + rng.next() * 0.7) * 100) / 100;
	const dst = rng.pick(EXTERNAL_IPS);
	const port = rng.pick(PORTS);
	return {
		did,
		action,
		detail: action === 'connection' ? `${dst}:${port}` : '',
		manual,
		triggerer,
		score: manual ? 0 : score,
		...(manual ? { pbid: 0, model: '', modeluuid: '' } : { model: model.model, modeluuid: model.modeluuid }),
		start,
		expires,
		updated,
		blockedConnections: blocks ? blockedConnections({ action, did, start }, rng) : [],
		active: !NEVER_ACTIVATED.has(kind) && !cleared,
		cleared,
		needconfirming: NEVER_ACTIVATED.has(kind),
		history,
		defaultDuration: seconds,
		connections: manual && action === 'connection' ? [{ src: device.ip, dst, port }] : [],
	};
}

type DeviceRow = [
	did: number,
	hostname: string,
	ip: string,
	os: string,
	typename: string,
	vendor: string,
	tags: string[],
];

const SEED_DEVICES: DeviceRow[] = [
	[
		11,
		'dc01.corp.example',
		'10.0.1.10',
		'Windows Server 2019',
		'server',
		'Dell Inc.',
		['Domain Controller', 'Critical Asset'],
	],
	[
		12,
		'dc02.corp.example',
		'10.0.1.11',
		'Windows Server 2019',
		'server',
		'Dell Inc.',
		['Domain Controller', 'Critical Asset'],
	],
	[
		23,
		'fs01.corp.example',
		'10.0.1.20',
		'Windows Server 2022',
		'server',
		'Hewlett Packard Enterprise',
		['Critical Asset'],
	],
	[31, 'web-prod-01.dmz.example', '172.16.5.21', 'Linux 5.x', 'server', 'VMware, Inc.', ['DMZ']],
	[32, 'web-prod-02.dmz.example', '172.16.5.22', 'Linux 5.x', 'server', 'VMware, Inc.', ['DMZ']],
	[45, 'db-prod-01.corp.example', '10.0.2.15', 'Linux 4.x', 'server', 'Dell Inc.', ['Critical Asset', 'Finance']],
	[51, 'mail-gw-01.dmz.example', '172.16.5.30', 'Linux 5.x', 'server', 'VMware, Inc.', ['DMZ']],
	[64, 'build-agent-07.corp.example', '10.0.3.47', 'Linux 5.x', 'server', 'Super Micro Computer', []],
	[101, 'lt-jsmith.corp.example', '10.0.10.101', 'Windows 11', 'laptop', 'Lenovo', ['Finance']],
	[102, 'lt-akumar.corp.example', '10.0.10.102', 'macOS 14', 'laptop', 'Apple, Inc.', ['Executive']],
	[103, 'lt-bwilson.corp.example', '10.0.10.103', 'Windows 11', 'laptop', 'Dell Inc.', []],
	[104, 'lt-cnguyen.corp.example', '10.0.10.104', 'Windows 10', 'laptop', 'HP Inc.', []],
	[105, 'lt-dlee.corp.example', '10.0.10.105', 'macOS 13', 'laptop', 'Apple, Inc.', ['Engineering']],
	[106, 'lt-eroberts.corp.example', '10.0.10.106', 'Windows 11', 'laptop', 'Lenovo', []],
	[107, 'lt-fgarcia.corp.example', '10.0.10.107', 'Ubuntu 22.04', 'laptop', 'Dell Inc.', ['Engineering']],
	[108, 'lt-gpatel.corp.example', '10.0.10.108', 'Windows 11', 'laptop', 'Microsoft Corporation', ['Finance']],
	[109, 'lt-hkim.corp.example', '10.0.10.109', 'Windows 10', 'laptop', 'Lenovo', []],
	[110, 'lt-imueller.corp.example', '10.0.10.110', 'macOS 14', 'laptop', 'Apple, Inc.', []],
	[111, 'lt-jmartin.corp.example', '10.0.10.111', 'Windows 11', 'laptop', 'HP Inc.', ['Executive']],
	[112, 'lt-kbrown.corp.example', '10.0.10.112', 'Windows 11', 'laptop', 'Dell Inc.', []],
	[201, 'ws-recept-01.corp.example', '10.0.11.21', 'Windows 10', 'desktop', 'Dell Inc.', []],
	[202, 'ws-fin-02.corp.example', '10.0.11.22', 'Windows 10', 'desktop', 'HP Inc.', ['Finance']],
	[203, 'ws-eng-03.corp.example', '10.0.11.23', 'Windows 11', 'desktop', 'Lenovo', ['Engineering']],
	[204, 'ws-hr-04.corp.example', '10.0.11.24', 'Windows 11', 'desktop', 'Dell Inc.', []],
	[205, 'ws-ops-05.corp.example', '10.0.11.25', 'Ubuntu 22.04', 'desktop', 'Dell Inc.', []],
	[301, 'prn-floor2.corp.example', '10.0.20.5', 'Embedded', 'printer', 'HP Inc.', []],
	[302, 'cam-lobby-01.corp.example', '10.0.30.12', 'Linux 3.x', 'camera', 'Hikvision', ['IoT']],
	[401, 'lt-remote-mgarcia', '192.168.1.23', 'Windows 11', 'Client Sensor', 'Dell Inc.', ['Remote Worker']],
];

/** [kind, did, model index (automatic) or inhibitor (manual)] */
const SEED_ACTIONS: Array<[Kind, number, number | SimInhibitor]> = [
	['pending', 101, 0],
	['pending', 102, 2],
	['pending', 104, 3],
	['pending', 45, 5],
	['pending', 201, 1],
	['pending', 401, 8],
	['pending', 110, 6],
	['pending', 101, 4],
	['active', 31, 0],
	['active', 32, 1],
	['active', 64, 6],
	['active', 103, 2],
	['active', 202, 3],
	['active', 401, 0],
	['confirmed', 105, 5],
	['confirmed', 203, 1],
	['manual', 302, 'quarantine'],
	['manual', 108, 'connection'],
	['expired', 11, 3],
	['expired', 23, 2],
	['expired', 51, 1],
	['expired', 106, 0],
	['expired', 107, 4],
	['expired', 204, 5],
	['expired', 301, 8],
	['expired', 109, 6],
	['expired-null', 111, 0],
	['manual-expired', 12, 'pol'],
	['old', 31, 1],
	['old', 205, 2],
	['old', 112, 0],
	['cleared', 45, 0],
	['cleared', 101, 6],
	['cleared', 64, 3],
	['cleared', 202, 5],
	['cleared-expired', 103, 1],
	['cleared', 302, 8],
	['lapsed', 104, 2],
	['lapsed', 106, 3],
	['lapsed', 201, 4],
];

function tagsFrom(names: string[], did: number): SimDevice['tags'] {
	return names.map((name, i) => ({
		tid: did * 10 + i,
		name,
		restricted: false,
		data: { auto: false, color: 100 + i * 40, description: '' },
	}));
}

function deviceFromRow([did, hostname, ip, os, typename, vendor, tags]: DeviceRow, now: number): Partial<SimDevice> {
	return {
		did,
		hostname,
		ip,
		ips: [{ ip, timems: now - 2 * HOUR, time: formatTime(now - 2 * HOUR), sid: 1 }],
		os,
		typename,
		vendor,
		tags: tagsFrom(tags, did),
		firstSeen: now - (30 + did) * DAY,
		lastSeen: now - (did % 7) * MINUTE,
	};
}

/** A few dozen devices and 40 actions in every state, relative to the store's clock. */
export function seedRealistic(store: SimStore): void {
	const now = store.now();
	const rng = createRng(20240110);
	for (const row of SEED_DEVICES) store.insertDevice(deviceFromRow(row, now));
	for (const [kind, did, what] of SEED_ACTIONS) {
		const model = typeof what === 'number' ? MODELS[what] : MODELS[0];
		const inhibitor = typeof what === 'number' ? model.action : what;
		store.insertAction(scenarioAction(kind, store.device(did) as SimDevice, model, inhibitor, rng, now, 'sometimes'));
	}
}

const LARGE_KINDS: Kind[] = ['active', 'active', 'confirmed', 'manual', 'expired', 'expired', 'cleared'];
const LARGE_TYPES = ['laptop', 'desktop', 'server', 'laptop', 'desktop', 'printer', 'camera'];

/**
 * Replaces the store's content with `n` actions over `max(20, n/10)` devices. Every action falls in the
 * default list window; `pendingRatio` (default 0.1) of them are pending, about a seventh of the rest cleared.
 */
export function seedLarge(store: SimStore, n: number, opts: LargeDatasetOptions = {}): void {
	const rng = createRng(0x5eed + n);
	const now = store.now();
	const pendingRatio = opts.pendingRatio ?? 0.1;
	store.clear();
	const deviceCount = Math.max(20, Math.ceil(n / 10));
	const devices = Array.from({ length: deviceCount }, (_, i) => {
		const did = 1000 + i;
		const typename = i % 97 === 0 ? 'Client Sensor' : rng.pick(LARGE_TYPES);
		const ip = `10.${100 + (i >> 16)}.${(i >> 8) & 0xff}.${i & 0xff}`;
		return store.insertDevice(
			deviceFromRow([did, `host-${did}.corp.example`, ip, 'Windows 11', typename, 'Dell Inc.', []], now),
		);
	});
	const connections = opts.withConnections ? 'always' : 'never';
	for (let i = 0; i < n; i++) {
		const kind: Kind = rng.next() < pendingRatio ? 'pending' : rng.pick(LARGE_KINDS);
		store.insertAction(
			scenarioAction(kind, rng.pick(devices), rng.pick(MODELS), rng.pick(INHIBITORS), rng, now, connections),
		);
	}
}
