/** What every e2e suite gets: the simulator, the n8n session, and assertions on both. */
import assert from 'node:assert/strict';
import type { RecordedRequest, SimAction, Simulator } from '../../simulator';
import type { WorkflowJson, WorkflowRun } from '../lib/n8n';
import type { Session } from '../lib/session';
import { describeRun } from '../lib/summary';
import type { Suite } from './suite';

export interface E2eContext {
	suite: Suite;
	sim: Simulator;
	/** A second simulator serving HTTPS with a self-signed certificate. */
	tlsSim: Simulator;
	session: Session;
	/** Where progress lines go. */
	print: (line: string) => void;
}

export type Json = Record<string, unknown>;

export type SimState = 'pending' | 'active' | 'expired' | 'cleared';

/** The state of a simulator action, by the contract's rules. */
export function simState(a: SimAction, now: number): SimState {
	if (a.cleared) return 'cleared';
	if (a.expires <= now) return 'expired';
	return a.active ? 'active' : 'pending';
}

export function pendingActions(sim: Simulator): SimAction[] {
	const now = sim.now();
	return sim.actions().filter((a) => simState(a, now) === 'pending');
}

export function workflowOf(ctx: E2eContext, id: string): WorkflowJson {
	const example = ctx.session.examples.find((e) => e.workflow.id === id);
	if (!example) throw new Error(`No example workflow with id ${id}`);
	return example.workflow;
}

/** Runs an example from the CLI, prints its summary, and fails unless the execution succeeded. */
export async function runExample(ctx: E2eContext, id: string): Promise<WorkflowRun> {
	const run = await ctx.session.n8n.execute(id);
	for (const line of describeRun(workflowOf(ctx, id), run)) ctx.print(`      ${line}`);
	assert.ok(run.ok, `workflow ${id} failed: ${run.error}`);
	return run;
}

/** The items of a node's first run (fails when the node did not run). */
export function itemsOf(run: WorkflowRun, node: string): Json[] {
	const runs = run.nodes[node];
	assert.ok(runs && runs.length > 0, `node "${node}" did not run (ran: ${Object.keys(run.nodes).join(', ')})`);
	return runs.flat().map((item) => item.json);
}

/** Every request the simulator answered carried a valid signature. */
export function assertAllSigned(requests: RecordedRequest[]): void {
	const bad = requests.filter((r) => !r.authOk);
	assert.equal(bad.length, 0, `requests rejected by the signature check: ${bad.map((r) => `${r.method} ${r.target} → ${r.status}`).join(', ')}`);
}

export function writesOf(requests: RecordedRequest[]): RecordedRequest[] {
	return requests.filter((r) => r.isWrite);
}

export function sortedIds(values: Array<{ codeid?: unknown }>): number[] {
	return values.map((v) => Number(v.codeid)).sort((a, b) => a - b);
}

export function lastHistory(a: SimAction | undefined): SimAction['history'][number] | undefined {
	return a?.history[a.history.length - 1];
}

/** `value` is within `tolerance` of `expected`. */
export function assertNear(value: number, expected: number, tolerance: number, what: string): void {
	assert.ok(Math.abs(value - expected) <= tolerance, `${what}: ${value}, expected ${expected} ± ${tolerance}`);
}
