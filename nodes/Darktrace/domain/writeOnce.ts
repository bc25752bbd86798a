/**
 * Write-once rules: a RESPOND write reaches the appliance at most once per item per execution, whatever
 * n8n does around the node (Retry On Fail re-runs `execute` in the same execution; a retried execution
 * re-runs the failed node with the same input). Two parts, both pure:
 * - the ledger: what each item's write did earlier in this execution (in process memory, bounded);
 * - the appliance's own state as the key across executions: whether a write already took effect.
 */
import type { IDataObject } from 'n8n-workflow';

import { toEpochMs, type NormalizedAction } from './action';

/** How far back a write of ours counts as "moments ago" when the appliance's history is the key. */
export const RECENT_WRITE_MS = 10 * 60_000;

export type Attempt =
	| { outcome: 'applied'; output: IDataObject[] }
	| { outcome: 'rejected'; error: unknown }
	| { outcome: 'unknown'; error: unknown };

interface Run {
	attempts: Map<number, Attempt>;
	touched: number;
}

/**
 * What each item's write did in an execution's run of a node, keyed by execution, node and run index.
 * Bounded: at most `maxRuns` runs, each dropped `ttlMs` after its last use; a run is released as soon as
 * the node finishes it cleanly (n8n then never re-runs it). Holds outputs and errors, never a credential.
 */
export class WriteLedger {
	private readonly runs = new Map<string, Run>();

	constructor(
		private readonly maxRuns = 256,
		private readonly ttlMs = 60 * 60_000,
	) {}

	get size(): number {
		return this.runs.size;
	}

	get(key: string, itemIndex: number, now: number): Attempt | undefined {
		this.prune(now);
		const run = this.runs.get(key);
		if (!run) return undefined;
		run.touched = now;
		return run.attempts.get(itemIndex);
	}

	record(key: string, itemIndex: number, attempt: Attempt, now: number): void {
		let run = this.runs.get(key);
		if (!run) {
			run = { attempts: new Map(), touched: now };
			this.runs.set(key, run);
		} else {
			// Re-inserted so that the map's order stays least recently used first.
			this.runs.delete(key);
			this.runs.set(key, run);
		}
		run.touched = now;
		run.attempts.set(itemIndex, attempt);
		this.prune(now);
	}

	release(key: string): void {
		this.runs.delete(key);
	}

	private prune(now: number): void {
		for (const [key, run] of this.runs) {
			if (this.runs.size <= this.maxRuns && now - run.touched < this.ttlMs) break;
			this.runs.delete(key);
		}
	}
}

/** A history entry's action and time, loose types accepted. */
function historyEntries(action: IDataObject): Array<{ action: string; reason: string; time: number | null }> {
	const history = Array.isArray(action.history) ? (action.history as IDataObject[]) : [];
	return history.map((h) => ({
		action: String(h.action ?? ''),
		reason: String(h.reason ?? ''),
		time: toEpochMs(h.time),
	}));
}

/** Whether the action's history shows an `entry` with this reason within RECENT_WRITE_MS of `now`. */
function hasRecentHistory(action: IDataObject, entry: string, reason: string, now: number): boolean {
	return historyEntries(action).some(
		(h) => h.action === entry && h.reason === reason && h.time !== null && h.time >= now - RECENT_WRITE_MS,
	);
}

export type ChangeOperation = 'activate' | 'extend' | 'clear' | 'reactivate';

/**
 * Whether a state change already took effect, by the action as the appliance shows it now (`now` is the
 * appliance's clock): activate → active; clear → cleared; reactivate → active; extend → its history shows
 * an extension with this reason in the last RECENT_WRITE_MS (an extension leaves no other trace).
 */
export function changeApplied(
	operation: ChangeOperation,
	action: NormalizedAction,
	reason: string,
	now: number,
): boolean {
	switch (operation) {
		case 'activate':
		case 'reactivate':
			return action.state === 'active';
		case 'clear':
			return action.state === 'cleared';
		case 'extend':
			return action.state === 'active' && hasRecentHistory(action, 'extended', reason, now);
	}
}

export interface ManualActionRequest {
	did: number;
	inhibitor: string;
	reason: string;
	connections?: Array<{ src: string; dst: string; port?: number }>;
}

/**
 * The manual action a Create Manual request already made, if the device has one: manual, same inhibitor,
 * same reason, pending or active, started within RECENT_WRITE_MS of `now` (the appliance's clock), and for
 * connection blocks, a detail that names every destination (when the appliance gives a detail).
 */
export function findCreatedManualAction(
	actions: NormalizedAction[],
	request: ManualActionRequest,
	now: number,
): NormalizedAction | undefined {
	const matches = actions.filter(
		(a) =>
			a.manual &&
			a.did === request.did &&
			a.action === request.inhibitor &&
			(a.triggerer?.reason ?? '') === request.reason &&
			(a.state === 'pending' || a.state === 'active') &&
			a.start !== null &&
			a.start >= now - RECENT_WRITE_MS &&
			(a.detail === '' || (request.connections ?? []).every((c) => a.detail.includes(c.dst))),
	);
	// The newest, if a user made several.
	return matches.sort((a, b) => (b.start ?? 0) - (a.start ?? 0))[0];
}
