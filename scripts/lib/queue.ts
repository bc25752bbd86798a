/**
 * n8n in queue mode on loopback, as larger teams run it: Redis (the queue), PostgreSQL (workflows,
 * credentials, static data, executions), one main process (editor, API, triggers and pollers) and
 * workers that run the executions, all from the runtime the e2e tests use, sharing one user folder
 * with the packed package in `.n8n/nodes` and one encryption key. Everything is stopped by stop(),
 * and killed (process groups) if the scripts exit first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator } from '../../simulator';
import type { CredentialFixture, N8n, N8nWorker } from './n8n';
import { Postgres } from './postgres';
import { Redis } from './redis';
import type { Runtime } from './runtime';
import { createSession, type Session, type SessionOptions } from './session';

/**
 * Lowered queue timings: a killed worker's job is declared stalled after ~15 s instead of ~90–120 s
 * (n8n's defaults: lock 30 s, renew 15 s, stalled check 30 s). Only for tests and the demo.
 */
export const FAST_QUEUE_TIMINGS: NodeJS.ProcessEnv = {
	QUEUE_WORKER_LOCK_DURATION: '10000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2500',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
};

export interface QueueOptions {
	runtime: Runtime;
	tarball: string;
	sim: Simulator;
	/** Number of workers (default 2). */
	workers?: number;
	/** Jobs each worker runs at once (`n8n worker --concurrency`, n8n's default 10). */
	concurrency?: number;
	/** Port for the main process (default: a free one). */
	port?: number;
	extraCredentials?: CredentialFixture[];
	/** Workflows to import with the examples. */
	extraWorkflows?: SessionOptions['extraWorkflows'];
	/** Everything the processes print (workers' lines prefixed with their name). */
	log?: (text: string) => void;
	/** Extra environment for every n8n process. */
	env?: NodeJS.ProcessEnv;
}

export interface QueueDeployment {
	redis: Redis;
	postgres: Postgres;
	session: Session;
	n8n: N8n;
	/** The environment every n8n process gets on top of the headless defaults. */
	env: NodeJS.ProcessEnv;
	/** Starts main (`n8n start`), then the workers; resolves when all are ready. */
	start(): Promise<void>;
	/** Starts one worker (`worker-<n>` names); resolves when its health check answers. */
	startWorker(name: string): Promise<N8nWorker>;
	/** The worker whose log says it ran execution `id`, if any. */
	workerOf(executionId: string): string | undefined;
	/** One line per process: what it is, its pid and port. */
	describe(): string[];
	/** Stops main, the workers, PostgreSQL and Redis; removes the user folder unless `keepFolder`. */
	stop(keepFolder?: boolean): Promise<void>;
}

/** The queue-mode variables for one Redis and one PostgreSQL (main and workers get the same). */
export function queueEnv(redis: Redis, postgres: Postgres): NodeJS.ProcessEnv {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		...postgres.n8nEnv,
		// The editor's "Execute workflow" runs on a worker too, not on main.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		...FAST_QUEUE_TIMINGS,
	};
}

/** Redis, PostgreSQL and a user folder with the package, credentials and examples imported; nothing n8n runs yet. */
export async function createQueueDeployment(options: QueueOptions): Promise<QueueDeployment> {
	const log = options.log;
	const redis = await Redis.start(log);
	let postgres: Postgres | undefined;
	try {
		postgres = await Postgres.start({ runtime: options.runtime, log });
		const env = { ...queueEnv(redis, postgres), ...options.env };
		const session = await createSession({
			runtime: options.runtime,
			tarball: options.tarball,
			sim: options.sim,
			port: options.port,
			extraCredentials: options.extraCredentials,
			extraWorkflows: options.extraWorkflows,
			log,
			env,
		});
		return deployment(options, redis, postgres, session, env);
	} catch (error) {
		await postgres?.stop();
		await redis.stop();
		throw error;
	}
}

function deployment(options: QueueOptions, redis: Redis, postgres: Postgres, session: Session, env: NodeJS.ProcessEnv): QueueDeployment {
	const { n8n } = session;
	const workerCount = options.workers ?? 2;
	const workerArgs = options.concurrency ? [`--concurrency=${options.concurrency}`] : [];
	const startWorker = (name: string) => n8n.startWorker(name, workerArgs);
	return {
		redis,
		postgres,
		session,
		n8n,
		env,
		startWorker,
		async start() {
			await n8n.start();
			// One at a time: two cold starts at once on a 2-core machine only slow each other down.
			for (let i = 1; i <= workerCount; i++) await startWorker(`worker-${i}`);
		},
		workerOf(executionId: string) {
			const started = new RegExp(`started execution ${executionId} \\(job`);
			return workerLogs(n8n).find(([, text]) => started.test(text))?.[0];
		},
		describe() {
			return [
				`main      pid ${n8n.pid ?? '-'}  http://127.0.0.1:${n8n.port} (editor, API, trigger polls; enqueues executions)`,
				...n8n.workers.map((w) => `${w.name.padEnd(9)} pid ${w.child.pid}  health http://127.0.0.1:${w.healthPort}/healthz (runs executions)`),
				`redis     pid ${redis.pid}  127.0.0.1:${redis.port} (the queue)`,
				`postgres  pid ${postgres.pid}  127.0.0.1:${postgres.port}/${postgres.database} (workflows, credentials, static data, executions)`,
			];
		},
		async stop(keepFolder = false) {
			try {
				await n8n.dispose(keepFolder);
			} finally {
				await postgres.stop();
				await redis.stop();
			}
		},
	};
}

/** Every worker log in the user folder (`<name>.log`), running or not, by worker name. */
function workerLogs(n8n: N8n): Array<[string, string]> {
	return readdirSync(n8n.userFolder)
		.filter((file) => /^worker-\d+\.log$/.test(file))
		.map((file) => [file.replace(/\.log$/, ''), readFileSync(join(n8n.userFolder, file), 'utf8')]);
}
