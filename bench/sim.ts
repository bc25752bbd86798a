/**
 * The simulator for the benchmarks, in a child process of its own (`simulator/cli.ts --json` with
 * its control server), so that its CPU time and its heap (it builds a 10,000-action answer per
 * request) are not counted as ours. Also the raw side of the comparisons: undici requests signed
 * inline with node:crypto, independent of the package's signer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { request } from 'undici';

import type { TestCredentials } from '../test/harness';

export interface Token {
	public: string;
	private: string;
}

export interface BenchSimulator {
	url: string;
	token: Token;
	credentials: TestCredentials;
	/** Calls the control server (simulator/control.ts) and returns its JSON answer. */
	control(method: 'GET' | 'POST' | 'DELETE', path: string, body?: object): Promise<unknown>;
	stop(): Promise<void>;
}

const ROOT = join(__dirname, '..');
const START_TIMEOUT_MS = 30_000;

interface CliLine {
	url: string;
	controlUrl: string;
	tokens: Array<Token & { role: string }>;
}

function firstLine(child: ChildProcess): Promise<string> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('The simulator did not start within 30 s')), START_TIMEOUT_MS);
		const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
		lines.once('line', (line) => {
			clearTimeout(timer);
			lines.close();
			resolve(line);
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`The simulator exited with code ${code} before it started`));
		});
	});
}

/** Starts the simulator (realistic seed) on free loopback ports. */
export async function startBenchSimulator(): Promise<BenchSimulator> {
	const child = spawn(
		process.execPath,
		[
			'-r',
			'ts-node/register/transpile-only',
			join(ROOT, 'simulator', 'cli.ts'),
			'--port',
			'0',
			'--control-port',
			'0',
			'--json',
		],
		{ cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
	);
	const killOnExit = () => child.kill('SIGKILL');
	process.once('exit', killOnExit);
	const info = JSON.parse(await firstLine(child)) as CliLine;
	const respond = info.tokens.find((t) => t.role === 'respond');
	if (!respond) throw new Error('The simulator has no respond token');
	const token = { public: respond.public, private: respond.private };
	return {
		url: info.url,
		token,
		credentials: { url: info.url, publicToken: token.public, privateToken: token.private },
		async control(method, path, body) {
			const res = await request(info.controlUrl + path, {
				method,
				body: body === undefined ? undefined : JSON.stringify(body),
				headers: body === undefined ? {} : { 'content-type': 'application/json' },
			});
			const text = await res.body.text();
			if (res.statusCode !== 200)
				throw new Error(`Simulator control ${method} ${path}: HTTP ${res.statusCode} ${text}`);
			return JSON.parse(text) as unknown;
		},
		async stop() {
			process.removeListener('exit', killOnExit);
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		},
	};
}

/** `DTAPI-Date` now, in the default format (`2023-01-01 12:00:00`, UTC). */
export function dtapiDateNow(): string {
	return new Date().toISOString().slice(0, 19).replace('T', ' ');
}

/** The three DTAPI headers for a GET of `target` (path + query), signed with node:crypto directly. */
export function signedHeaders(token: Token, target: string, date = dtapiDateNow()): Record<string, string> {
	const signature = createHmac('sha1', token.private).update(`${target}\n${token.public}\n${date}`).digest('hex');
	return { 'DTAPI-Token': token.public, 'DTAPI-Date': date, 'DTAPI-Signature': signature };
}

/** A GET of `target` with raw undici, signed inline; the body as text (throws unless HTTP 200). */
export async function rawGet(sim: BenchSimulator, target: string): Promise<string> {
	const res = await request(sim.url + target, { headers: signedHeaders(sim.token, target) });
	const text = await res.body.text();
	if (res.statusCode !== 200) throw new Error(`GET ${target}: HTTP ${res.statusCode} ${text.slice(0, 200)}`);
	return text;
}

/** The floor of the large-list cases: fetch with undici, then JSON.parse. */
export async function rawGetJson(sim: BenchSimulator, target: string): Promise<unknown> {
	return JSON.parse(await rawGet(sim, target)) as unknown;
}
