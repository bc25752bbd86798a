/**
 * The control server: a separate loopback HTTP server mirroring the programmatic API as JSON.
 * It serves no Darktrace API path, and the API server serves none of these.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultList } from './faults';
import { guarded, jsonReply, readBody, send, type Reply } from './http-util';
import type { Simulator } from './index';
import type { LargeDatasetOptions, SeedKind } from './types';
import { hasOwn } from './util';

export interface ControlTarget extends Simulator {
	readonly auditMode: boolean;
	readonly faults: FaultList;
}

type Body = Record<string, unknown>;
type ControlRoute = (sim: ControlTarget, body: Body) => unknown;

function need<T>(ok: boolean, value: unknown, message: string): T {
	if (!ok) throw new Error(message);
	return value as T;
}

function finite(body: Body, key: string): number {
	return need(typeof body[key] === 'number' && Number.isFinite(body[key]), body[key], `${key} must be a number`);
}

/** `METHOD path` → handler; the answer is the handler's result as JSON, or `{"ok":true}`. */
const ROUTES: Record<string, ControlRoute> = {
	'GET /state': (sim) => ({
		url: sim.url,
		now: sim.now(),
		auditMode: sim.auditMode,
		strict: sim.strict,
		tokens: sim.tokens.map(({ role, username, public: pub }) => ({ role, username, public: pub })),
		faults: sim.faults.list(),
		devices: sim.devices(),
		actions: sim.actions(),
	}),
	'GET /requests': (sim) => sim.requests(),
	'DELETE /requests': (sim) => sim.clearRequests(),
	'POST /clock/advance': (sim, body) => {
		sim.advance(finite(body, 'ms'));
		return { now: sim.now() };
	},
	'POST /clock/set': (sim, body) => {
		sim.setNow(finite(body, 'ms'));
		return { now: sim.now() };
	},
	'POST /audit': (sim, body) =>
		sim.setAuditMode(need(typeof body.on === 'boolean', body.on, 'on must be true or false')),
	'POST /strict': (sim, body) => sim.setStrict(need(typeof body.on === 'boolean', body.on, 'on must be true or false')),
	'POST /faults': (sim, body) => sim.injectFault(body as never),
	'DELETE /faults': (sim) => sim.clearFaults(),
	'POST /actions/pending': (sim, body) => sim.createPendingAction(body),
	'POST /actions': (sim, body) => sim.createAction(body),
	'POST /devices': (sim, body) => sim.addDevice(body),
	'GET /breaches': (sim) => sim.breaches(),
	'POST /breaches/style': (sim, body) => sim.setBreachStyle(body),
	'POST /reset': (sim, body) => {
		const seed = body.seed;
		sim.reset(
			need<SeedKind | undefined>(
				[undefined, 'realistic', 'empty'].includes(seed as string),
				seed,
				'seed must be realistic or empty',
			),
		);
	},
	'POST /large': (sim, body) => {
		const n = finite(body, 'n');
		sim.generateLargeDataset(n, body as LargeDatasetOptions);
		return { actions: n };
	},
};

function parseBody(raw: Buffer | undefined): Body {
	if (!raw?.length) return {};
	const value: unknown = JSON.parse(raw.toString('utf8'));
	return need(
		value !== null && typeof value === 'object' && !Array.isArray(value),
		value,
		'the body must be a JSON object',
	);
}

export function createControlHandler(sim: ControlTarget): (req: IncomingMessage, res: ServerResponse) => void {
	return guarded(async (req, res) => {
		const raw = await readBody(req);
		const path = (req.url ?? '/').split('?')[0];
		const key = `${req.method} ${path}`;
		const handler = hasOwn(ROUTES, key) ? ROUTES[key] : undefined;
		let reply: Reply;
		if (!handler) {
			reply = jsonReply(404, { error: `Unknown control endpoint ${key}` });
		} else {
			try {
				reply = jsonReply(200, handler(sim, parseBody(raw)) ?? { ok: true });
			} catch (error) {
				reply = jsonReply(400, { error: error instanceof Error ? error.message : String(error) });
			}
		}
		send(res, reply);
	});
}
