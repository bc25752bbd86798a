/**
 * A worker killed (SIGKILL) while a write is in flight: the appliance applied the write, the answer
 * never came back. n8n 2.x does not re-run a stalled job (`maxStalledCount: 0`): once the job's lock
 * expires, main marks the execution failed, with no node data. Then what a user does next: *Retry* in
 * the executions list, and running the workflow again with the same input. The appliance must still
 * hold ONE manual action, and ONE extension: the node never resends a write whose outcome it does not
 * know, and reads the appliance's own state before writing (the README's write-once rules).
 */
import assert from 'node:assert/strict';
import type { FaultSpec, SimAction, Simulator } from '../../simulator';
import { itemsOf, type E2eContext, type Json } from '../e2e/context';
import { executionRun, type Execution, type WorkflowJson } from '../lib/n8n';
import { sleep } from '../lib/proc';
import type { QueueDeployment } from '../lib/queue';
import { addTimeWorkflow, createManualWorkflow, QUEUE_WORKFLOWS, WRITE_NODE, type ManualSpec } from './workflows';

/** How long the simulator holds the write's answer: far longer than the kill takes. */
const ANSWER_DELAY_MS = 30_000;

const MANUAL: ManualSpec = { did: 110, inhibitor: 'quarantine', duration: 900, reason: 'Queue test: contain host (ticket SOC-9001)' };
const ADD_SECONDS = 1200;
const ADD_REASON = 'Queue test: investigation continues (ticket SOC-9002)';

export interface KillPlan {
	workflows: WorkflowJson[];
	/** The action Add Time extends (active for an hour from setup). */
	target: SimAction;
	/** Whether the simulator can delay an answer after applying the write (`latency` with `afterWrite`). */
	afterWrite: boolean;
}

/** Whether this simulator knows `afterWrite` (it rejects it on a kind that cannot take it). */
function simulatorDelaysAfterWrite(sim: Simulator): boolean {
	try {
		sim.injectFault({ kind: 'status', status: 500, path: '/never-requested', afterWrite: true } as FaultSpec);
		return false;
	} catch {
		return true;
	} finally {
		sim.clearFaults();
	}
}

/** Before n8n starts: the workflows to import and the action to extend. */
export function prepareKillTests(sim: Simulator): KillPlan {
	const now = sim.now();
	const target = sim.createAction({ did: 109, action: 'quarantine', active: true, start: now - 60_000, expires: now + 60 * 60_000 });
	return {
		workflows: [createManualWorkflow(MANUAL), addTimeWorkflow(target.codeid, ADD_SECONDS, ADD_REASON)],
		target,
		afterWrite: simulatorDelaysAfterWrite(sim),
	};
}

function manualActions(sim: Simulator): SimAction[] {
	return sim.actions().filter((a) => a.manual && a.did === MANUAL.did && a.action === MANUAL.inhibitor);
}

function extensions(sim: Simulator, codeid: number): number {
	return (sim.action(codeid)?.history ?? []).filter((h) => h.action === 'extended' && h.reason === ADD_REASON).length;
}

interface KillOutcome {
	execution: Execution;
	worker: string;
	/** From the kill to main marking the execution failed. */
	failedAfterMs: number;
}

/**
 * Starts the workflow on a worker with the write's answer held back, SIGKILLs that worker once the
 * write is applied, starts a fresh worker in its place, and waits for main to give up on the execution.
 */
async function killDuringWrite(ctx: E2eContext, queue: QueueDeployment, plan: KillPlan, workflowId: string, path: string, applied: () => boolean): Promise<KillOutcome> {
	const { sim } = ctx;
	const { n8n } = queue;
	sim.clearFaults();
	// Without afterWrite (an older simulator) the write lands when the delay ends: kill before that.
	const delayMs = plan.afterWrite ? ANSWER_DELAY_MS : 10_000;
	sim.injectFault({ kind: 'latency', method: 'POST', path, delayMs, times: 1, ...(plan.afterWrite ? { afterWrite: true } : {}) } as FaultSpec);
	const id = await n8n.startManualRun(workflowId);
	const deadline = Date.now() + 60_000;
	let worker: string | undefined;
	for (;;) {
		worker = queue.workerOf(id);
		if (worker && (plan.afterWrite ? applied() : true)) break;
		if (Date.now() > deadline) assert.fail(`execution ${id}: ${worker ? 'the write was not applied' : 'no worker started it'} within 60 s`);
		await sleep(50);
	}
	if (!plan.afterWrite) await sleep(3000);
	const running = n8n.workers.find((w) => w.name === worker);
	assert.ok(running, `${worker} is running`);
	await n8n.stopWorker(running, 'SIGKILL');
	const killedAt = Date.now();
	// The other worker's stalled-job check finds the orphaned job; main then marks the execution.
	const execution = await n8n.waitForExecution(id, 180_000);
	const failedAfterMs = Date.now() - killedAt;
	await queue.startWorker(running.name);
	if (!plan.afterWrite) {
		while (!applied() && Date.now() < killedAt + delayMs + 5000) await sleep(100);
	}
	sim.clearFaults();
	return { execution, worker: running.name, failedAfterMs };
}

/** Main gave up: failed, no node ran as far as n8n knows, yet the appliance applied the write. */
function assertLost(ctx: E2eContext, outcome: KillOutcome, appliedNow: boolean): void {
	const { execution } = outcome;
	assert.notEqual(execution.status, 'success', `execution ${execution.id} must not succeed`);
	assert.ok(['crashed', 'error', 'failed'].includes(execution.status), `execution ${execution.id}: status ${execution.status}`);
	const runData = execution.data?.resultData?.runData ?? {};
	assert.deepEqual(Object.keys(runData), [], `execution ${execution.id} keeps no node data`);
	assert.equal(appliedNow, true, 'the appliance applied the write');
	ctx.print(
		`      ${outcome.worker} SIGKILLed mid-write; main marked execution ${execution.id} "${execution.status}" ` +
			`${(outcome.failedAfterMs / 1000).toFixed(1)} s later, no node data`,
	);
}

interface RetryOutcome {
	httpStatus: number;
	retry?: Execution;
	original?: Execution;
}

/** *Retry* from the executions list (`POST /rest/executions/:id/retry`, "with the original workflow"). */
async function retryFromList(ctx: E2eContext, queue: QueueDeployment, workflowId: string, failed: Execution): Promise<RetryOutcome> {
	const { n8n } = queue;
	const before = new Set((await n8n.executions(workflowId)).map((e) => String(e.id)));
	const answer = await n8n.rest('POST', `/executions/${failed.id}/retry`, {});
	const after = await n8n.executions(workflowId);
	const created = after.filter((e) => !before.has(String(e.id)));
	const retry = created.length === 1 ? await n8n.waitForExecution(String(created[0].id)) : undefined;
	const original = await n8n.execution(String(failed.id));
	const error = (retry?.data?.resultData as { error?: { message?: string } } | undefined)?.error?.message;
	ctx.print(
		`      Retry: HTTP ${answer.status}; ${created.length} new execution(s)` +
			(retry ? ` (${retry.id}: ${retry.mode}, ${retry.status}, nodes run: ${Object.keys(retry.data?.resultData?.runData ?? {}).join(', ') || 'none'}, error: ${error})` : '') +
			`; original now "${original?.status}"`,
	);
	return { httpStatus: answer.status, retry, original };
}

/**
 * What n8n 2.40.7 does on Retry of an execution that has no node data: it starts one execution (mode
 * `retry`) that runs no node and fails, and leaves the original failed. Nothing reaches the appliance.
 */
function assertRetryRanNothing(outcome: RetryOutcome, failed: Execution): void {
	assert.equal(outcome.httpStatus, 200, 'Retry is offered');
	assert.ok(outcome.retry, 'Retry started one new execution');
	assert.equal(outcome.retry.mode, 'retry');
	assert.deepEqual(Object.keys(outcome.retry.data?.resultData?.runData ?? {}), [], 'the retry ran no node');
	assert.equal(outcome.retry.status, 'error');
	assert.equal(outcome.original?.status, failed.status, 'the original execution keeps its status');
}

/** Runs the workflow again (same input) on a worker; its one output item. */
async function runAgain(queue: QueueDeployment, workflowId: string): Promise<{ item: Json; worker?: string; id: string }> {
	const id = await queue.n8n.startManualRun(workflowId);
	const execution = await queue.n8n.waitForExecution(id);
	const run = executionRun(workflowId, execution);
	assert.ok(run.ok, `the second run failed: ${run.error}`);
	const items = itemsOf(run, WRITE_NODE);
	assert.equal(items.length, 1);
	return { item: items[0], worker: queue.workerOf(id), id };
}

export async function killTests(ctx: E2eContext, queue: QueueDeployment, plan: KillPlan): Promise<void> {
	const { suite, sim } = ctx;
	if (!plan.afterWrite) ctx.print('      (this simulator cannot delay an answer after the write: the worker is killed during a plain latency)');

	await suite.test('worker killed mid-write, Create Manual Action: failed, no node data, applied once; Retry and a rerun send nothing', async () => {
		assert.equal(manualActions(sim).length, 0, `no manual ${MANUAL.inhibitor} action on device ${MANUAL.did} before`);
		const outcome = await killDuringWrite(ctx, queue, plan, QUEUE_WORKFLOWS.killCreate, '/antigena/manual', () => manualActions(sim).length > 0);
		assertLost(ctx, outcome, manualActions(sim).length === 1);
		const [created] = manualActions(sim);
		assert.equal(created.triggerer && typeof created.triggerer === 'object' ? created.triggerer.reason : undefined, MANUAL.reason);

		const postsBefore = sim.requests().filter((r) => r.method === 'POST' && r.path === '/antigena/manual').length;
		assertRetryRanNothing(await retryFromList(ctx, queue, QUEUE_WORKFLOWS.killCreate, outcome.execution), outcome.execution);
		assert.equal(manualActions(sim).length, 1, 'after Retry: still one manual action');

		const again = await runAgain(queue, QUEUE_WORKFLOWS.killCreate);
		ctx.print(`      run again (execution ${again.id}, ${again.worker}): ${JSON.stringify({ codeid: again.item.codeid, alreadyApplied: again.item.alreadyApplied })}`);
		assert.deepEqual(
			manualActions(sim).map((a) => a.codeid),
			[created.codeid],
			'the appliance still has exactly one manual action',
		);
		assert.equal(again.item.codeid, created.codeid, 'the rerun returns the action already created');
		assert.equal(again.item.alreadyApplied, true);
		assert.equal(again.item.success, true);
		const postsAfter = sim.requests().filter((r) => r.method === 'POST' && r.path === '/antigena/manual').length;
		assert.equal(postsAfter, postsBefore, 'no POST /antigena/manual after the kill');
	});

	await suite.test('worker killed mid-write, Add Time: failed, no node data, extended once; Retry and a rerun send nothing', async () => {
		const { codeid } = plan.target;
		assert.equal(extensions(sim, codeid), 0, 'not extended before');
		const expiresBefore = sim.action(codeid)?.expires ?? 0;
		const outcome = await killDuringWrite(ctx, queue, plan, QUEUE_WORKFLOWS.killExtend, '/antigena', () => extensions(sim, codeid) > 0);
		assertLost(ctx, outcome, extensions(sim, codeid) === 1);
		const expiresAfterKill = sim.action(codeid)?.expires ?? 0;
		assert.ok(expiresAfterKill > expiresBefore + (ADD_SECONDS - 60) * 1000, 'the extension was applied');

		const postsBefore = sim.requests().filter((r) => r.method === 'POST' && r.path === '/antigena').length;
		assertRetryRanNothing(await retryFromList(ctx, queue, QUEUE_WORKFLOWS.killExtend, outcome.execution), outcome.execution);
		assert.equal(extensions(sim, codeid), 1, 'after Retry: still one extension');

		const again = await runAgain(queue, QUEUE_WORKFLOWS.killExtend);
		ctx.print(`      run again (execution ${again.id}, ${again.worker}): ${JSON.stringify({ codeid: again.item.codeid, alreadyApplied: again.item.alreadyApplied })}`);
		assert.equal(extensions(sim, codeid), 1, 'the appliance shows exactly one extension');
		assert.equal(sim.action(codeid)?.expires, expiresAfterKill, 'the expiry did not move again');
		assert.equal(again.item.alreadyApplied, true);
		assert.equal(again.item.success, true);
		const postsAfter = sim.requests().filter((r) => r.method === 'POST' && r.path === '/antigena').length;
		assert.equal(postsAfter, postsBefore, 'no POST /antigena after the kill');
	});
}
