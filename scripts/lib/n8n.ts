/**
 * A real n8n instance for the e2e tests and the demo: a fresh user folder with the packed package
 * installed in `.n8n/nodes` the way users install community packages, the n8n CLI (import, execute,
 * publish), `n8n start` on a loopback port, and its REST and public APIs.
 */
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { killGroup, run, runOk, sleep, startProcess, waitForExit, type RunResult } from './proc';
import type { Runtime } from './runtime';

/** Fixed so that credentials imported in one run decrypt in the next (test data only). */
export const ENCRYPTION_KEY = 'n8n-nodes-darktrace-e2e-not-a-secret';

export interface CredentialFixture {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown>; [key: string]: unknown }>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export interface Item {
	json: Record<string, unknown>;
}

/** Each node's output items (main output 0) per run, keyed by node name. */
export type NodeRuns = Record<string, Item[][]>;

export interface WorkflowRun {
	workflowId: string;
	ok: boolean;
	error?: string;
	/** Each node's main-output items, per run, keyed by node name (only when the execution succeeded). */
	nodes: NodeRuns;
	ms: number;
	/** n8n's execution id, when the run went through the server (see `N8n.executeVia`). */
	executionId?: string;
}

/** The part of n8n's execution data the tests read. */
export interface ExecutionData {
	resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Item[] | null> } }>> };
}

/** An execution as n8n's public API lists it (`includeData=true`). */
export interface Execution {
	id: string;
	status: string;
	mode: string;
	startedAt?: string;
	stoppedAt?: string;
	data?: ExecutionData;
}

function nodeRuns(data: ExecutionData | undefined): NodeRuns {
	const nodes: NodeRuns = {};
	for (const [name, runs] of Object.entries(data?.resultData?.runData ?? {})) {
		nodes[name] = runs.map((task) => task.data?.main?.[0] ?? []);
	}
	return nodes;
}

/** A recorded execution in the shape of a CLI run. */
export function executionRun(workflowId: string, execution: Execution): WorkflowRun {
	const ms = execution.startedAt && execution.stoppedAt ? Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt) : 0;
	const ok = execution.status === 'success';
	const error = ok ? undefined : `execution ${execution.id}: ${execution.status}${executionError(execution)}`;
	return { workflowId, ok, error, nodes: nodeRuns(execution.data), ms, executionId: String(execution.id) };
}

function executionError(execution: Execution): string {
	const message = (execution.data?.resultData as { error?: { message?: string } } | undefined)?.error?.message;
	return message ? ` (${message})` : '';
}

export interface N8nOptions {
	runtime: Runtime;
	/** Absolute path of the packed package (`npm pack`). */
	tarball: string;
	/** Port for `n8n start`; default a free one. */
	port?: number;
	/** Everything n8n prints goes here (and to `<userFolder>/n8n.log`). */
	log?: (text: string) => void;
	env?: NodeJS.ProcessEnv;
}

/** An `n8n worker` process (queue mode) sharing the instance's user folder, database and Redis. */
export interface N8nWorker {
	name: string;
	child: ChildProcess;
	/** Its own log (`<userFolder>/<name>.log`). */
	logFile: string;
	logs(): string;
	/** The health-check port (`QUEUE_HEALTH_CHECK_PORT`). */
	healthPort: number;
}

export class N8n {
	readonly runtime: Runtime;
	readonly userFolder: string;
	readonly port: number;
	readonly logFile: string;
	private readonly logSink?: (text: string) => void;
	private readonly extraEnv: NodeJS.ProcessEnv;
	private server?: ChildProcess;
	private readonly workerProcesses = new Map<string, N8nWorker>();
	/**
	 * How execute() runs a workflow: `cli` (`n8n execute-batch`, in its own process) or `server` (as
	 * the editor's "Execute workflow" does, on the running instance: logged in, and with
	 * `OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true` in queue mode, on a worker).
	 */
	executeVia: 'cli' | 'server' = 'cli';
	private cookie?: string;
	private apiKey?: string;

	private constructor(options: N8nOptions, userFolder: string, port: number) {
		this.runtime = options.runtime;
		this.userFolder = userFolder;
		this.port = port;
		this.logFile = join(userFolder, 'n8n.log');
		this.logSink = options.log;
		this.extraEnv = options.env ?? {};
	}

	/** A fresh temp user folder (removed by dispose()) with the packed package installed into `.n8n/nodes`. */
	static async create(options: N8nOptions): Promise<N8n> {
		const userFolder = mkdtempSync(join(tmpdir(), 'n8n-darktrace-instance-'));
		const instance = new N8n(options, userFolder, options.port ?? (await freePort()));
		const nodesDir = join(userFolder, '.n8n', 'nodes');
		mkdirSync(nodesDir, { recursive: true });
		writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
		// As users do (`npm install <package>` in ~/.n8n/nodes); n8n-workflow comes from n8n itself.
		await runOk(
			'npm',
			['install', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--package-lock=false', options.tarball],
			{ cwd: nodesDir, timeoutMs: 2 * 60_000 },
		);
		return instance;
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Everything n8n printed so far (CLI calls and the server). */
	logs(): string {
		try {
			return readFileSync(this.logFile, 'utf8');
		} catch {
			return '';
		}
	}

	private record(text: string): void {
		appendFileSync(this.logFile, text);
		this.logSink?.(text);
	}

	private async env(): Promise<NodeJS.ProcessEnv> {
		// The package must load from .n8n/nodes as users install it, never from a custom extensions folder.
		const { PATH = '', N8N_CUSTOM_EXTENSIONS: _ignored, ...inherited } = process.env;
		return {
			...inherited,
			PATH: `${join(this.runtime.dir, 'node_modules', '.bin')}:${PATH}`,
			N8N_USER_FOLDER: this.userFolder,
			DB_TYPE: 'sqlite',
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: String(this.port),
			N8N_EDITOR_BASE_URL: this.baseUrl,
			// Every process (CLI calls included) starts a task-runner broker: give each its own port.
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_SECURE_COOKIE: 'false',
			N8N_LOG_OUTPUT: 'console',
			N8N_LOG_LEVEL: 'info',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			NO_PROXY: '127.0.0.1,localhost',
			// n8n 1.x on Node 20: the newer expression engine needs Node 24 (see install-n8n-runtime.sh).
			...(this.runtime.version.startsWith('1.') ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
			...this.extraEnv,
		};
	}

	/** Runs an n8n CLI command (`import:workflow`, `execute-batch`…). */
	async cli(args: string[], timeoutMs = 3 * 60_000): Promise<RunResult> {
		this.record(`\n$ n8n ${args.join(' ')}\n`);
		return await run(this.runtime.node, [this.runtime.n8nBin, ...args], {
			cwd: this.userFolder,
			env: await this.env(),
			timeoutMs,
			onOutput: (text) => this.record(text),
		});
	}

	private async cliOk(args: string[], timeoutMs?: number): Promise<RunResult> {
		const result = await this.cli(args, timeoutMs);
		if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} exited ${result.code}:\n${result.output.slice(-3000)}`);
		return result;
	}

	private scratch(name: string): string {
		const dir = join(this.userFolder, 'scratch');
		mkdirSync(dir, { recursive: true });
		return join(dir, name);
	}

	/** `n8n import:credentials`: the data is given in plain text and encrypted by n8n. */
	async importCredentials(credentials: CredentialFixture[]): Promise<void> {
		const file = this.scratch('credentials.json');
		writeFileSync(file, JSON.stringify(credentials));
		try {
			await this.cliOk([`import:credentials`, `--input=${file}`]);
		} finally {
			rmSync(file, { force: true });
		}
	}

	/** `n8n import:workflow --separate`: all workflows in one call. */
	async importWorkflows(workflows: WorkflowJson[]): Promise<void> {
		const dir = this.scratch('workflows');
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(dir);
		for (const workflow of workflows) writeFileSync(join(dir, `${workflow.id}.json`), JSON.stringify(workflow, null, '\t'));
		await this.cliOk(['import:workflow', '--separate', `--input=${dir}`]);
	}

	/**
	 * Runs one imported workflow from its Manual Trigger with `n8n execute-batch` (never retried: the
	 * workflows write to the appliance) and returns every node's output.
	 */
	async execute(workflowId: string): Promise<WorkflowRun> {
		if (this.executeVia === 'server') {
			const started = Date.now();
			const execution = await this.waitForExecution(await this.startManualRun(workflowId));
			return { ...executionRun(workflowId, execution), ms: Date.now() - started };
		}
		const started = Date.now();
		const dir = this.scratch(`run-${workflowId}-${started}`);
		mkdirSync(dir);
		const summaryFile = join(dir, 'summary.json');
		const result = await this.cli([
			'execute-batch',
			`--ids=${workflowId}`,
			'--retries=0',
			`--snapshot=${dir}/`,
			`--output=${summaryFile}`,
		]);
		const ms = Date.now() - started;
		let summary: { executions?: Array<{ workflowId: string; executionStatus: string; error?: string }> } = {};
		try {
			summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
		} catch {
			return { workflowId, ok: false, error: `n8n execute-batch exited ${result.code} without a summary:\n${result.output.slice(-3000)}`, nodes: {}, ms };
		}
		const execution = summary.executions?.find((e) => e.workflowId === workflowId);
		if (!execution) return { workflowId, ok: false, error: `Workflow ${workflowId} was not executed (is it imported?)`, nodes: {}, ms };
		if (execution.executionStatus !== 'success') {
			return { workflowId, ok: false, error: execution.error ?? execution.executionStatus, nodes: {}, ms };
		}
		const snapshot = JSON.parse(readFileSync(join(dir, `${workflowId}-snapshot.json`), 'utf8')) as { data: ExecutionData };
		const nodes = nodeRuns(snapshot.data);
		return { workflowId, ok: true, nodes, ms };
	}

	/** Marks a workflow active in the database, for the next `n8n start` (2.x: publish; 1.x: update). */
	async activateOffline(workflowId: string): Promise<void> {
		if (this.runtime.version.startsWith('1.')) {
			await this.cliOk(['update:workflow', `--id=${workflowId}`, '--active=true']);
		} else {
			await this.cliOk(['publish:workflow', `--id=${workflowId}`]);
		}
	}

	/** `n8n start`, resolved once `/healthz/readiness` answers 200. */
	async start(timeoutMs = 90_000): Promise<void> {
		if (this.server) throw new Error('n8n is already running');
		this.record('\n$ n8n start\n');
		const server = startProcess(this.runtime.node, [this.runtime.n8nBin, 'start'], {
			cwd: this.userFolder,
			env: await this.env(),
			onOutput: (text) => this.record(text),
		});
		this.server = server;
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (server.exitCode !== null || server.signalCode !== null) {
				this.server = undefined;
				throw new Error(`n8n start exited (${server.exitCode ?? server.signalCode}):\n${this.logs().slice(-3000)}`);
			}
			try {
				// Readiness comes first; n8n 1.x mounts the REST routes a few seconds later.
				const ready = await fetch(`${this.baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
				const rest = ready.ok && (await fetch(`${this.baseUrl}/rest/settings`, { signal: AbortSignal.timeout(2000) }));
				if (rest && rest.ok) return;
			} catch {
				// not listening yet
			}
			await sleep(250);
		}
		await this.stop();
		throw new Error(`n8n did not become ready within ${timeoutMs / 1000} s:\n${this.logs().slice(-3000)}`);
	}

	/** SIGTERM (n8n shuts down gracefully), SIGKILL after `graceMs`. */
	async stop(graceMs = 20_000): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		killGroup(server, 'SIGTERM');
		if (!(await waitForExit(server, graceMs))) {
			killGroup(server, 'SIGKILL');
			await waitForExit(server, 5000);
		}
		// Task runners started by n8n live in its process group.
		killGroup(server, 'SIGKILL');
	}

	get running(): boolean {
		return this.server !== undefined;
	}

	/** The main process's pid while it runs. */
	get pid(): number | undefined {
		return this.server?.pid;
	}

	/**
	 * `n8n worker` (queue mode: the instance's `env` must set `EXECUTIONS_MODE=queue`, Redis and the
	 * database), resolved once its health check answers. Its output goes to `<userFolder>/<name>.log`.
	 */
	async startWorker(name: string, args: string[] = [], timeoutMs = 90_000): Promise<N8nWorker> {
		if (this.workerProcesses.has(name)) throw new Error(`worker ${name} is already running`);
		const healthPort = await freePort();
		const logFile = join(this.userFolder, `${name}.log`);
		const logs = () => {
			try {
				return readFileSync(logFile, 'utf8');
			} catch {
				return '';
			}
		};
		appendFileSync(logFile, `\n$ n8n worker ${args.join(' ')}\n`);
		const env = { ...(await this.env()), QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort) };
		const child = startProcess(this.runtime.node, [this.runtime.n8nBin, 'worker', ...args], {
			cwd: this.userFolder,
			env,
			onOutput: (text) => {
				appendFileSync(logFile, text);
				this.logSink?.(text.replace(/^(?=.)/gm, `[${name}] `));
			},
		});
		const worker: N8nWorker = { name, child, logFile, logs, healthPort };
		this.workerProcesses.set(name, worker);
		child.once('exit', () => this.workerProcesses.get(name) === worker && this.workerProcesses.delete(name));
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (child.exitCode !== null || child.signalCode !== null) {
				throw new Error(`n8n worker ${name} exited (${child.exitCode ?? child.signalCode}):\n${logs().slice(-3000)}`);
			}
			try {
				const ready = await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
				if (ready.ok) return worker;
			} catch {
				// not listening yet
			}
			await sleep(250);
		}
		await this.stopWorker(worker);
		throw new Error(`n8n worker ${name} did not become ready within ${timeoutMs / 1000} s:\n${logs().slice(-3000)}`);
	}

	/** The workers running now. */
	get workers(): N8nWorker[] {
		return [...this.workerProcesses.values()];
	}

	/** SIGTERM (the worker finishes its jobs), SIGKILL after `graceMs`; or at once with `signal: 'SIGKILL'`. */
	async stopWorker(worker: N8nWorker, signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<void> {
		if (this.workerProcesses.get(worker.name) === worker) this.workerProcesses.delete(worker.name);
		killGroup(worker.child, signal);
		if (!(await waitForExit(worker.child, signal === 'SIGKILL' ? 5000 : graceMs))) {
			killGroup(worker.child, 'SIGKILL');
			await waitForExit(worker.child, 5000);
		}
		killGroup(worker.child, 'SIGKILL');
	}

	/** A call to n8n's internal REST API (`/rest/...`), as the logged-in owner once setupOwner() ran. */
	async rest<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
		return await this.request<T>(method, `/rest${path}`, body, this.cookie ? { cookie: this.cookie } : {});
	}

	/** A call to n8n's public API (`/api/v1/...`) with the API key from createApiKey(). */
	async api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
		if (!this.apiKey) throw new Error('Call createApiKey() first');
		return await this.request<T>(method, `/api/v1${path}`, body, { 'x-n8n-api-key': this.apiKey });
	}

	private async request<T>(method: string, path: string, body: unknown, headers: Record<string, string>) {
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const setCookie = response.headers.getSetCookie?.() ?? [];
		const auth = setCookie.find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// not JSON
		}
		return { status: response.status, body: parsed as T };
	}

	/** Every recorded execution of a workflow, oldest first, with its data (public API). */
	async executions(workflowId: string): Promise<Execution[]> {
		const found: Execution[] = [];
		let cursor: string | undefined;
		do {
			const query = `workflowId=${workflowId}&includeData=true&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
			const page = await this.api<{ data: Execution[]; nextCursor?: string | null }>('GET', `/executions?${query}`);
			if (page.status !== 200) throw new Error(`GET /api/v1/executions: HTTP ${page.status} ${JSON.stringify(page.body)}`);
			found.push(...page.body.data);
			cursor = page.body.nextCursor ?? undefined;
		} while (cursor);
		return found.sort((a, b) => Number(a.id) - Number(b.id));
	}

	/**
	 * The executions of a workflow now waiting (at a Wait or Form node), oldest first, with their data.
	 * Listed as the editor's Executions list does (`GET /rest/executions`, logged in), then read one by one
	 * through the public API: n8n 1.x keeps a waiting execution among its active executions, which its public
	 * API list leaves out (with or without `status=waiting`); reading one by id works on 1.x and 2.x.
	 */
	async waitingExecutions(workflowId: string): Promise<Execution[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId, status: ['waiting'] }));
		const listed = await this.rest<{ data?: { results?: Array<{ id: string }> } }>('GET', `/executions?filter=${filter}&limit=100`);
		const results = listed.body.data?.results;
		if (listed.status !== 200 || !results) throw new Error(`GET /rest/executions: HTTP ${listed.status} ${JSON.stringify(listed.body).slice(0, 500)}`);
		const found: Execution[] = [];
		for (const { id } of results) {
			const execution = await this.execution(id);
			if (execution?.status === 'waiting') found.push(execution);
		}
		return found.sort((a, b) => Number(a.id) - Number(b.id));
	}

	/**
	 * Starts a saved workflow as the editor's "Execute workflow" does (`POST /rest/workflows/:id/run`,
	 * logged in); returns the execution id without waiting for it to finish.
	 */
	async startManualRun(workflowId: string): Promise<string> {
		const saved = await this.rest<{ data?: WorkflowJson }>('GET', `/workflows/${workflowId}`);
		if (saved.status !== 200 || !saved.body.data) throw new Error(`GET /rest/workflows/${workflowId}: HTTP ${saved.status} ${JSON.stringify(saved.body)}`);
		const trigger = saved.body.data.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
		if (!trigger) throw new Error(`Workflow ${workflowId} has no Manual Trigger`);
		// n8n 2.x runs the saved workflow from the named trigger; 1.x takes the workflow in the body.
		const body = { triggerToStartFrom: { name: trigger.name }, workflowData: saved.body.data };
		const started = await this.rest<{ data?: { executionId?: string } }>('POST', `/workflows/${workflowId}/run`, body);
		const executionId = started.body.data?.executionId;
		if (started.status !== 200 || !executionId) {
			throw new Error(`POST /rest/workflows/${workflowId}/run: HTTP ${started.status} ${JSON.stringify(started.body)}`);
		}
		return String(executionId);
	}

	/** One execution with its data (public API), or undefined while n8n has not recorded it. */
	async execution(id: string): Promise<Execution | undefined> {
		const found = await this.api<Execution>('GET', `/executions/${id}?includeData=true`);
		if (found.status === 404) return undefined;
		if (found.status !== 200) throw new Error(`GET /api/v1/executions/${id}: HTTP ${found.status} ${JSON.stringify(found.body)}`);
		return found.body;
	}

	/** Waits until an execution has finished (any status but new, running, waiting). */
	async waitForExecution(id: string, timeoutMs = 120_000): Promise<Execution> {
		const deadline = Date.now() + timeoutMs;
		let last: Execution | undefined;
		while (Date.now() < deadline) {
			last = await this.execution(id);
			if (last && !['new', 'running', 'waiting'].includes(last.status)) return last;
			await sleep(300);
		}
		throw new Error(`Execution ${id} did not finish within ${timeoutMs / 1000} s (status ${last?.status ?? 'not recorded'})`);
	}

	/** Waits until n8n has recorded at least `count` finished executions of a workflow. */
	async waitForExecutions(workflowId: string, count: number, timeoutMs = 30_000): Promise<Execution[]> {
		const deadline = Date.now() + timeoutMs;
		let list: Execution[] = [];
		while (Date.now() < deadline) {
			list = await this.executions(workflowId);
			if (list.length >= count && list.every((e) => e.status !== 'running' && e.status !== 'new')) return list;
			await sleep(500);
		}
		throw new Error(`Expected ${count} executions of workflow ${workflowId} within ${timeoutMs / 1000} s, saw ${list.length}`);
	}

	/** Resolves when the running server exits (on its own or stopped). */
	serverExit(): Promise<void> {
		const server = this.server;
		if (!server) return Promise.resolve();
		return waitForExit(server, 2 ** 31 - 1).then(() => undefined);
	}

	/** Creates the instance owner (fresh instance only) and logs in as them. */
	async setupOwner(owner: { email: string; password: string; firstName: string; lastName: string }): Promise<void> {
		const setup = await this.rest('POST', '/owner/setup', owner);
		if (setup.status !== 200) throw new Error(`Owner setup failed: HTTP ${setup.status} ${JSON.stringify(setup.body)}`);
		if (!this.cookie) {
			const login = await this.rest('POST', '/login', { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password });
			if (login.status !== 200) throw new Error(`Login failed: HTTP ${login.status} ${JSON.stringify(login.body)}`);
		}
	}

	/** An API key for the public API with the scopes the tests and the demo use. */
	async createApiKey(): Promise<string> {
		const created = await this.rest<{ data?: { rawApiKey?: string; apiKey?: string } }>('POST', '/api-keys', {
			label: `n8n-nodes-darktrace scripts ${Date.now()}`,
			scopes: ['execution:list', 'execution:read', 'workflow:list', 'workflow:read', 'workflow:activate', 'workflow:deactivate'],
			expiresAt: null,
		});
		const key = created.body.data?.rawApiKey ?? created.body.data?.apiKey;
		if (created.status !== 200 || !key) throw new Error(`Creating an API key failed: HTTP ${created.status} ${JSON.stringify(created.body)}`);
		this.apiKey = key;
		return key;
	}

	/** Stops n8n (main and workers) and removes the user folder (unless `keepFolder`). */
	async dispose(keepFolder = false): Promise<void> {
		await this.stop();
		await Promise.all(this.workers.map((worker) => this.stopWorker(worker)));
		if (!keepFolder) rmSync(this.userFolder, { recursive: true, force: true });
	}
}
