/**
 * End-to-end tests in n8n's queue mode (`npm run test:e2e:queue`): Redis, PostgreSQL 17, n8n main and
 * two workers (scripts/lib/queue.ts) with the packed package installed as users install it.
 *
 * - the example workflows, each executed by a worker (its log names the execution), asserted exactly
 *   as in the single-process e2e (scripts/e2e/workflows.ts);
 * - the trigger active on main, polling every 10 s: new pending actions fire once, across a restart of
 *   main, its static data read back from PostgreSQL;
 * - a worker killed (SIGKILL) while a write is in flight, for Create Manual Action and for Add Time;
 * - no private token in Redis (every key and value), PostgreSQL (every row) or any log.
 *
 * Environment: E2E_KEEP=1 keeps the user folder (always kept on failure), E2E_VERBOSE=1 echoes every
 * process's output. Prints `N passed, M failed` on its last line; exits 1 if anything failed.
 */
import { DEFAULT_TOKENS, startSimulator, type Simulator } from '../../simulator';
import type { E2eContext } from '../e2e/context';
import { runMain, Suite } from '../e2e/suite';
import { workflowTests } from '../e2e/workflows';
import { isManual, WORKFLOWS } from '../lib/examples';
import { createQueueDeployment, type QueueDeployment } from '../lib/queue';
import { buildAndPack, DEFAULT_N8N_VERSION, ensureRuntime } from '../lib/runtime';
import { killTests, prepareKillTests } from './kill';
import { secretsTest } from './secrets';
import { triggerTests } from './trigger';
import { fastTrigger } from './workflows';
import assert from 'node:assert/strict';

const verbose = process.env.E2E_VERBOSE === '1';
const printed: string[] = [];

function print(line: string): void {
	printed.push(line);
	console.log(line);
}

export const OWNER = { email: 'owner@queue.example.com', password: 'Queue-Owner-Passw0rd', firstName: 'Queue', lastName: 'Owner' };

/** Which process ran each execution of the manual examples: a worker, never main. */
async function examplesOnWorkers(ctx: E2eContext, queue: QueueDeployment): Promise<void> {
	const counts = new Map<string, number>();
	let total = 0;
	// The AI agent examples need the scripted model and a reviewer (the single-process e2e runs them): not run here.
	const agents: string[] = [WORKFLOWS.agent, WORKFLOWS.agentReview];
	const run = ctx.session.examples.filter((e) => isManual(e.workflow) && !agents.includes(e.workflow.id));
	for (const example of run) {
		const executions = await queue.n8n.executions(example.workflow.id);
		assert.ok(executions.length > 0, `no recorded execution of ${example.workflow.name}`);
		for (const execution of executions) {
			const worker = queue.workerOf(String(execution.id));
			assert.ok(worker, `execution ${execution.id} (${example.workflow.name}) is in no worker's log`);
			assert.equal(execution.mode, 'manual');
			counts.set(worker, (counts.get(worker) ?? 0) + 1);
			total++;
		}
	}
	assert.doesNotMatch(queue.n8n.logs(), /started execution \d+ \(job/, 'main ran no job itself');
	ctx.print(`      ${total} executions, by worker: ${[...counts].map(([w, n]) => `${w} ${n}`).join(', ')}`);
}

async function run(suite: Suite, tarball: string): Promise<void> {
	const runtime = await ensureRuntime(DEFAULT_N8N_VERSION, (text) => process.stderr.write(text));
	print(`\nn8n ${runtime.version}, queue mode`);
	const sim: Simulator = await startSimulator({ seed: 'realistic', strict: true });
	let queue: QueueDeployment | undefined;
	const failedBefore = suite.failed;
	try {
		const kill = prepareKillTests(sim);
		const ok = await suite.test('setup: Redis, PostgreSQL 17, the package in a fresh user folder, main and 2 workers ready', async () => {
			queue = await createQueueDeployment({
				runtime,
				tarball,
				sim,
				log: verbose ? (text) => process.stdout.write(text) : undefined,
				env: { N8N_LOG_LEVEL: 'debug' },
				extraWorkflows: (examples) => [fastTrigger(examples.map((e) => e.workflow)), ...kill.workflows],
			});
			await queue.start();
			await queue.n8n.setupOwner(OWNER);
			await queue.n8n.createApiKey();
			queue.n8n.executeVia = 'server';
			const version = await queue.postgres.version();
			assert.match(version, /^PostgreSQL 17\./);
			for (const line of queue.describe()) print(`      ${line}`);
			print(`      ${version.split(',')[0]}; user folder ${queue.n8n.userFolder}`);
		});
		if (!ok || !queue) return;
		// tlsSim is only used by the credential tests, which the single-process e2e covers.
		const ctx: E2eContext = { suite, sim, tlsSim: sim, session: queue.session, print };
		await workflowTests(ctx);
		await suite.test('6. every example execution ran on a worker (its log), none on main', () => examplesOnWorkers(ctx, queue as QueueDeployment));
		await triggerTests(ctx, queue);
		await killTests(ctx, queue, kill);
		await secretsTest(ctx, queue, printed, [...DEFAULT_TOKENS.map((t) => t.private)]);
	} finally {
		await sim.stop();
		if (queue) {
			const failed = suite.failed > failedBefore;
			const keep = failed || process.env.E2E_KEEP === '1';
			if (failed) print(`  n8n main log (last lines) from ${queue.n8n.logFile}:\n${queue.n8n.logs().split('\n').slice(-30).join('\n')}`);
			await queue.stop(keep);
			if (keep) print(`  kept ${queue.n8n.userFolder}`);
		}
	}
}

async function main(): Promise<number> {
	const started = Date.now();
	const suite = new Suite(print);
	print('End-to-end tests in n8n queue mode (Redis, PostgreSQL, main + 2 workers)');
	let tarball: string | undefined;
	await suite.test('build and pack the package', async () => {
		tarball = await buildAndPack();
		print(`  packed ${tarball}`);
	});
	if (tarball) {
		try {
			await run(suite, tarball);
		} catch (error) {
			suite.fail('queue mode', error instanceof Error ? (error.stack ?? error.message) : String(error));
		}
	}
	return suite.finish('e2e queue total', started);
}

runMain(main);
