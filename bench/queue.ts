/**
 * `npm run bench:queue` (report only, not part of `npm run bench`): n8n's queue mode with one worker,
 * then two, on the same deployment (scripts/lib/queue.ts: Redis, PostgreSQL 17, main, workers).
 *
 * 200 trigger-emitted executions that each Activate one action: 20 trigger workflows (one per device,
 * "Device IDs" filter, polling every 10 s on main), each followed by Activate; 10 rounds, each creating
 * one pending action per device 2 s before a poll. Printed: executions/s within a round (first poll of
 * the round to the last activation), and the latency from a new pending action to its activation (which
 * includes the 2 s until the poll). Bounded by the machine's cores: main, the workers, PostgreSQL, Redis
 * and the simulator share them.
 *
 * Options: --rounds <n> (default 10), --workflows <n> (default 20, at most the simulator's devices).
 */
import { cpus, loadavg } from 'node:os';
import { startSimulator, type Simulator } from '../simulator';
import { CREDENTIALS } from '../scripts/lib/examples';
import type { WorkflowJson } from '../scripts/lib/n8n';
import { sleep } from '../scripts/lib/proc';
import { createQueueDeployment, type QueueDeployment } from '../scripts/lib/queue';
import { buildAndPack, DEFAULT_N8N_VERSION, ensureRuntime } from '../scripts/lib/runtime';
import { TEN_SECOND_POLLS } from '../scripts/queue/workflows';

const OWNER = { email: 'bench@queue.example.com', password: 'Bench-Queue-Passw0rd', firstName: 'Bench', lastName: 'Queue' };
/** Actions are created this long before the next poll (polls at :00, :10, … of each minute). */
const LEAD_MS = 2000;

function option(name: string, fallback: number): number {
	const at = process.argv.indexOf(name);
	const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
	if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive whole number`);
	return value;
}

function workflowFor(did: number, index: number): WorkflowJson {
	const id = `DtBenchQueue${String(index).padStart(4, '0')}`;
	const credentials = { darktraceApi: { id: CREDENTIALS.respond.id, name: CREDENTIALS.respond.name } };
	return {
		id,
		name: `Bench: approve pending actions on device ${did}`,
		nodes: [
			{
				id: `${id}-trigger`,
				name: 'Trigger',
				type: 'n8n-nodes-darktrace.darktraceRespondTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: TEN_SECOND_POLLS }, events: ['pendingAction'], filters: { deviceIds: String(did) }, simple: true, options: {} },
				credentials,
			},
			{
				id: `${id}-activate`,
				name: 'Activate',
				type: 'n8n-nodes-darktrace.darktraceRespond',
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'action', operation: 'activate', codeId: '={{ $json.codeid }}', reason: 'Bench: approved by n8n', options: {} },
				credentials,
			},
		],
		connections: { Trigger: { main: [[{ node: 'Activate', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
}

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function median(values: number[]): number {
	return percentile([...values].sort((a, b) => a - b), 50);
}

interface PhaseResult {
	workers: number;
	executions: number;
	/** Actions not activated within 120 s of their round. */
	missed: number;
	perSecond: number[];
	latencyMs: number[];
}

/** Waits until LEAD_MS before the next 10-s mark of the wall clock. */
async function untilBeforePoll(): Promise<void> {
	const now = Date.now();
	let next = Math.ceil(now / 10_000) * 10_000;
	if (next - now < LEAD_MS + 300) next += 10_000;
	await sleep(next - LEAD_MS - now);
}

async function phase(queue: QueueDeployment, sim: Simulator, dids: number[], rounds: number, workers: number): Promise<PhaseResult> {
	const result: PhaseResult = { workers, executions: 0, missed: 0, perSecond: [], latencyMs: [] };
	for (let round = 0; round < rounds; round++) {
		await untilBeforePoll();
		const created = new Map<number, number>();
		for (const did of dids) created.set(sim.createPendingAction({ did, score: 0.9 }).codeid, Date.now());
		const since = Date.now();
		const deadline = since + 120_000;
		const activatedAt = new Map<number, number>();
		while (activatedAt.size < created.size && Date.now() < deadline) {
			for (const r of sim.requests()) {
				if (r.method !== 'POST' || r.path !== '/antigena' || r.time < since || r.status !== 200) continue;
				const codeid = Number((JSON.parse(r.body) as { codeid?: number }).codeid);
				if (created.has(codeid) && !activatedAt.has(codeid)) activatedAt.set(codeid, r.time);
			}
			await sleep(100);
		}
		const missed = [...created.keys()].filter((codeid) => !activatedAt.has(codeid));
		result.missed += missed.length;
		if (missed.length > 0) {
			const failures = sim.requests().filter((r) => r.time >= since && r.status !== 200);
			process.stderr.write(
				`  round ${round + 1}: ${missed.length} action(s) not activated within 120 s (${missed.join(', ')}); ` +
					`non-200 answers: ${failures.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ') || 'none'}\n`,
			);
		}
		if (activatedAt.size === 0) continue;
		const firstPoll = sim.requests().find((r) => r.method === 'GET' && r.path === '/antigena' && r.time >= since)?.time ?? since;
		const last = Math.max(...activatedAt.values());
		result.perSecond.push(activatedAt.size / Math.max(0.001, (last - firstPoll) / 1000));
		for (const [codeid, at] of activatedAt) result.latencyMs.push(at - (created.get(codeid) ?? at));
		result.executions += activatedAt.size;
		sim.clearRequests();
		process.stderr.write(`  ${workers} worker(s), round ${round + 1}/${rounds}: ${created.size} activations, ${((last - firstPoll) / 1000).toFixed(1)} s after the poll\n`);
	}
	return result;
}

async function main(): Promise<number> {
	const rounds = option('--rounds', 10);
	const count = option('--workflows', 20);
	const loadStart = loadavg()[0];
	const tarball = await buildAndPack();
	const runtime = await ensureRuntime(DEFAULT_N8N_VERSION, (text) => process.stderr.write(text));
	const sim = await startSimulator({ seed: 'realistic' });
	const dids = sim
		.devices()
		.filter((d) => d.sensorType !== 'client')
		.map((d) => d.did)
		.slice(0, count);
	if (dids.length < count) throw new Error(`the simulator has ${dids.length} devices, --workflows ${count}`);
	let queue: QueueDeployment | undefined;
	try {
		const workflows = dids.map(workflowFor);
		queue = await createQueueDeployment({ runtime, tarball, sim, workers: 1, extraWorkflows: () => workflows });
		await queue.start();
		await queue.n8n.setupOwner(OWNER);
		await queue.n8n.createApiKey();
		for (const workflow of workflows) {
			const on = await queue.n8n.api('POST', `/workflows/${workflow.id}/activate`);
			if (on.status !== 200) throw new Error(`activate ${workflow.id}: HTTP ${on.status} ${JSON.stringify(on.body)}`);
		}
		await sleep(3000);
		sim.clearRequests();
		const one = await phase(queue, sim, dids, rounds, 1);
		await queue.startWorker('worker-2');
		const two = await phase(queue, sim, dids, rounds, 2);

		const lines = [
			`Queue mode, ${dids.length} trigger workflows × ${rounds} rounds = ${rounds * dids.length} executions per side, each activating one action`,
			`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}); load average ${loadStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`,
			`n8n ${runtime.version}, worker concurrency 10 (n8n's default); main, workers, PostgreSQL, Redis and the simulator share the cores`,
			'',
			'| workers | activations | missed | executions/s in a round (median) | latency new pending → activated, median | p95 |',
			'| --- | --- | --- | --- | --- | --- |',
		];
		for (const r of [one, two]) {
			const sorted = [...r.latencyMs].sort((a, b) => a - b);
			lines.push(
				`| ${r.workers} | ${r.executions} | ${r.missed} | ${median(r.perSecond).toFixed(1)} | ${(median(sorted) / 1000).toFixed(2)} s | ${(percentile(sorted, 95) / 1000).toFixed(2)} s |`,
			);
		}
		lines.push('', `two workers vs one: ${(median(two.perSecond) / median(one.perSecond)).toFixed(2)} × the executions/s (report only)`);
		lines.push(`latency includes the ${LEAD_MS / 1000} s between creating the actions and the poll that finds them`);
		console.log(lines.join('\n'));
		return 0;
	} finally {
		await queue?.stop();
		await sim.stop();
	}
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error instanceof Error ? (error.stack ?? error.message) : error);
		process.exit(1);
	},
);
