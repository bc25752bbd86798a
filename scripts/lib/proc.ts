/**
 * Child processes for the e2e tests and the demo: each one in its own process group, time-boxed,
 * and killed (group and all) when this process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();

/** Kills a child's whole process group (n8n starts task runners of its own). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

process.on('exit', () => {
	for (const child of running) killGroup(child);
});

export type OutputListener = (text: string, stream: 'stdout' | 'stderr') => void;

export interface SpawnOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Called with each chunk of stdout and stderr. */
	onOutput?: OutputListener;
	/** Run as this user and group (when this process runs as root). */
	uid?: number;
	gid?: number;
}

/** Starts a long-running child in its own process group; it is killed when this process exits. */
export function startProcess(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		uid: options.uid,
		gid: options.gid,
	});
	running.add(child);
	child.on('exit', () => running.delete(child));
	child.stdout?.on('data', (chunk: Buffer) => options.onOutput?.(chunk.toString('utf8'), 'stdout'));
	child.stderr?.on('data', (chunk: Buffer) => options.onOutput?.(chunk.toString('utf8'), 'stderr'));
	return child;
}

export interface RunResult {
	code: number | null;
	stdout: string;
	stderr: string;
	/** stdout and stderr interleaved as they arrived. */
	output: string;
	ms: number;
}

export interface RunOptions extends SpawnOptions {
	/** Kill the process group after this long (default 5 minutes). */
	timeoutMs?: number;
}

/** Runs a command to completion, capturing its output; rejects on spawn errors and timeouts only. */
export async function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
	const started = Date.now();
	const timeoutMs = options.timeoutMs ?? 5 * 60_000;
	let stdout = '';
	let stderr = '';
	let output = '';
	const child = startProcess(command, args, {
		...options,
		onOutput: (text, stream) => {
			if (stream === 'stdout') stdout += text;
			else stderr += text;
			output += text;
			options.onOutput?.(text, stream);
		},
	});
	return await new Promise<RunResult>((resolve, reject) => {
		const timer = setTimeout(() => {
			killGroup(child);
			reject(new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs / 1000} s\n${output.slice(-4000)}`));
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr, output, ms: Date.now() - started });
		});
	});
}

/** Like run(), but rejects unless the command exits 0. */
export async function runOk(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		throw new Error(`${command} ${args.join(' ')} exited ${result.code}\n${result.output.slice(-4000)}`);
	}
	return result;
}

/** Resolves when the child exits, or after `ms` (then false). */
export async function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
	if (child.exitCode !== null || child.signalCode !== null) return true;
	return await new Promise<boolean>((resolve) => {
		const timer = setTimeout(() => resolve(false), ms);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(true);
		});
	});
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Probes every 500 ms until `probe` gives a value; fails naming `what` after `timeoutMs`. */
export async function until<T>(
	what: string,
	probe: () => Promise<T | undefined> | T | undefined,
	timeoutMs = 60_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(500);
	}
}
