/**
 * The trigger in queue mode: active on main (which polls), every emission executed by a worker, its
 * static data in PostgreSQL; polling every 10 s so that the test waits on n8n's own schedule.
 */
import assert from 'node:assert/strict';
import type { IDataObject } from 'n8n-workflow';
import { EVENT_BIT } from '../../nodes/Darktrace/trigger/events';
import { readState } from '../../nodes/Darktrace/trigger/seenState';
import { itemsOf, pendingActions, type E2eContext, type Json } from '../e2e/context';
import { executionRun, type Execution } from '../lib/n8n';
import { sleep } from '../lib/proc';
import type { QueueDeployment } from '../lib/queue';
import { QUEUE_WORKFLOWS, TRIGGER_NODE } from './workflows';

const WORKFLOW = QUEUE_WORKFLOWS.fastTrigger;
/** Two poll periods: a poll is due within 10 s. */
const POLL_WAIT_MS = 25_000;

function emittedBy(execution: Execution): number[] {
	return itemsOf(executionRun(WORKFLOW, execution), TRIGGER_NODE)
		.map((item: Json) => Number(item.codeid))
		.sort((a, b) => a - b);
}

/** Waits until main has polled the simulator `count` times after `since` (GET /antigena). */
async function waitForPolls(ctx: E2eContext, since: number, count: number): Promise<void> {
	const deadline = Date.now() + POLL_WAIT_MS * count;
	const polls = () =>
		ctx.sim.requests().filter((r) => r.method === 'GET' && r.path === '/antigena' && r.time >= since).length;
	while (polls() < count) {
		if (Date.now() > deadline)
			assert.fail(`main polled ${polls()} times in ${(POLL_WAIT_MS * count) / 1000} s, expected ${count}`);
		await sleep(250);
	}
}

/** Waits for the next execution after `known` and checks nothing else started with it. */
async function nextExecution(ctx: E2eContext, queue: QueueDeployment, known: number): Promise<Execution[]> {
	const list = await queue.n8n.waitForExecutions(WORKFLOW, known + 1, POLL_WAIT_MS);
	assert.equal(list.length, known + 1, `exactly one new execution (saw ${list.length - known})`);
	return list;
}

function assertOnWorker(queue: QueueDeployment, execution: Execution): string {
	assert.equal(execution.mode, 'trigger');
	assert.equal(execution.status, 'success', `execution ${execution.id}: ${execution.status}`);
	const worker = queue.workerOf(String(execution.id));
	assert.ok(worker, `execution ${execution.id} is in no worker's log`);
	return worker;
}

async function staticSeen(queue: QueueDeployment): Promise<number[]> {
	const [row] = await queue.postgres.query('SELECT "staticData" AS data FROM workflow_entity WHERE id = $1', [
		WORKFLOW,
	]);
	assert.ok(row, `workflow ${WORKFLOW} is in PostgreSQL`);
	const data = (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as Record<string, Json> | null;
	const node = data?.[`node:${TRIGGER_NODE}`];
	assert.ok(node, `static data of "${TRIGGER_NODE}" in PostgreSQL: ${JSON.stringify(data)}`);
	const { entries } = readState(node as IDataObject, Date.now());
	return [...entries]
		.filter(([, entry]) => entry.bits & EVENT_BIT.pendingAction)
		.map(([codeid]) => codeid)
		.sort((a, b) => a - b);
}

export async function triggerTests(ctx: E2eContext, queue: QueueDeployment): Promise<void> {
	const { suite, sim, print } = ctx;
	const { n8n } = queue;
	const emitted: number[] = [];

	await suite.test('trigger: activated on main, the first poll emits what is pending, run by a worker', async () => {
		const pending = pendingActions(sim).map((a) => a.codeid);
		const on = await n8n.api('POST', `/workflows/${WORKFLOW}/activate`);
		assert.equal(on.status, 200, `activate: HTTP ${on.status} ${JSON.stringify(on.body)}`);
		const [first] = await nextExecution(ctx, queue, 0);
		const worker = assertOnWorker(queue, first);
		assert.deepEqual(emittedBy(first), pending);
		emitted.push(...pending);
		print(`      execution ${first.id}: ${pending.length} pending actions, run by ${worker}`);
	});

	await suite.test('trigger: a new pending action fires once on the next 10-s poll, nothing else', async () => {
		const before = (await n8n.executions(WORKFLOW)).length;
		const created = sim.createPendingAction({ did: 104, score: 0.77 }).codeid;
		const list = await nextExecution(ctx, queue, before);
		const worker = assertOnWorker(queue, list[before]);
		assert.deepEqual(emittedBy(list[before]), [created]);
		emitted.push(created);
		// Two more polls see nothing new and start nothing.
		await waitForPolls(ctx, Date.now(), 2);
		assert.equal((await n8n.executions(WORKFLOW)).length, before + 1, 'polls with nothing new start no execution');
		print(`      execution ${list[before].id}: action ${created}, run by ${worker}`);
	});

	await suite.test(
		'trigger: main restarted, nothing re-emitted; a second new action fires once; static data in PostgreSQL',
		async () => {
			const before = (await n8n.executions(WORKFLOW)).length;
			await n8n.stop();
			const since = Date.now();
			await n8n.start();
			// The poll at activation, then one on the schedule.
			await waitForPolls(ctx, since, 2);
			assert.equal((await n8n.executions(WORKFLOW)).length, before, 'the restart re-emitted nothing');
			const created = sim.createPendingAction({ did: 103, score: 0.66 }).codeid;
			const list = await nextExecution(ctx, queue, before);
			const worker = assertOnWorker(queue, list[before]);
			assert.deepEqual(emittedBy(list[before]), [created]);
			emitted.push(created);
			await waitForPolls(ctx, Date.now(), 1);
			const all = (await n8n.executions(WORKFLOW)).flatMap(emittedBy);
			assert.equal(all.length, new Set(all).size, `no action emitted twice: ${all.join(', ')}`);
			assert.deepEqual(
				[...all].sort((a, b) => a - b),
				[...emitted].sort((a, b) => a - b),
			);
			const seen = await staticSeen(queue);
			for (const codeid of emitted)
				assert.ok(seen.includes(codeid), `static data in PostgreSQL lists ${codeid}: ${seen.join(', ')}`);
			print(
				`      execution ${list[before].id}: action ${created}, run by ${worker}; PostgreSQL static data lists ${seen.length} codeids`,
			);
			const off = await n8n.api('POST', `/workflows/${WORKFLOW}/deactivate`);
			assert.equal(off.status, 200, `deactivate: HTTP ${off.status}`);
		},
	);
}
