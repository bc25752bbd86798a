import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator, SimulatorToken } from '../../simulator';
import { get, raw } from './client';

const ROOT = join(__dirname, '..', '..');
const TS_NODE = join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js');

interface Cli {
	child: ChildProcessWithoutNullStreams;
	stdout: () => string;
	exited: Promise<number | null>;
}

function startCli(args: string[]): Cli {
	const child = spawn(process.execPath, [TS_NODE, '--transpile-only', 'simulator/cli.ts', ...args], { cwd: ROOT });
	let out = '';
	child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, stdout: () => out, exited };
}

// ts-node compiles the CLI in each child: slow on a loaded machine. The deadline only stops a hang.
jest.setTimeout(120_000);

async function waitFor(cli: Cli, pattern: RegExp, timeoutMs = 100_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	while (!pattern.test(cli.stdout())) {
		if (Date.now() > deadline || cli.child.exitCode !== null)
			throw new Error(`CLI output never matched ${pattern}: ${cli.stdout()}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return cli.stdout();
}

/** Just enough of a Simulator for the signing client: URL, CA and tokens, clock = real time. */
function remote(url: string, tokens: Array<Pick<SimulatorToken, 'role' | 'public' | 'private'>>): Simulator {
	const caCert = readFileSync(join(ROOT, 'simulator', 'certs', 'cert.pem'), 'utf8');
	const token = (role: string) => tokens.find((t) => t.role === role);
	return { url, caCert, token, now: () => Date.now() } as unknown as Simulator;
}

describe('simulator CLI', () => {
	// started together: most of the time is ts-node compiling, which overlaps
	let jsonCli: Cli;
	let humanCli: Cli;
	let badCli: Cli;
	beforeAll(() => {
		jsonCli = startCli(['--json', '--port', '0', '--control-port', '0', '--audit', '--empty']);
		humanCli = startCli(['--port', '0', '--https', '--large', '300']);
		badCli = startCli(['--bogus']);
	});
	afterAll(() => {
		for (const cli of [jsonCli, humanCli, badCli]) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
	});

	it('--json prints exactly one JSON line with url, controlUrl and tokens, and exits 0 on SIGTERM', async () => {
		const cli = jsonCli;
		try {
			const line = (await waitFor(cli, /\n/)).split('\n')[0];
			const info = JSON.parse(line);
			expect(Object.keys(info)).toEqual(['url', 'controlUrl', 'tokens']);
			expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(info.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(info.tokens.map((t: SimulatorToken) => Object.keys(t))).toEqual([
				['role', 'public', 'private'],
				['role', 'public', 'private'],
				['role', 'public', 'private'],
			]);
			const state = await raw(info.controlUrl, '/state');
			expect([state.json.auditMode, state.json.actions]).toEqual([true, []]);
			const res = await get(remote(info.url, info.tokens), '/antigena/summary');
			expect(res.json).toEqual({ pendingCount: 0, activeCount: 0, pendingActionDevices: [], activeActionDevices: [] });
		} finally {
			cli.child.kill('SIGTERM');
		}
		expect(await cli.exited).toBe(0);
		expect(cli.stdout().trim().split('\n')).toHaveLength(1);
	});

	it('human mode lists the URL and token pairs, logs requests, serves --large over --https, and exits 0 on SIGINT', async () => {
		const cli = humanCli;
		try {
			const text = await waitFor(cli, /Ctrl\+C/);
			const url = /(https:\/\/localhost:\d+)/.exec(text)?.[1] as string;
			expect(url).toBeDefined();
			const tokens = [...text.matchAll(/^ {2}(\w+) \(.*?\)\s+([a-z0-9]{40}) \/ ([a-z0-9]{40})$/gm)].map((m) => ({
				role: m[1],
				public: m[2],
				private: m[3],
			}));
			expect(tokens.map((t) => t.role)).toEqual(['respond', 'readonly', 'none']);
			const res = await get(
				remote(url, tokens as SimulatorToken[]),
				'/antigena?includecleared=true&responsedata=codeid',
			);
			expect(res.json).toHaveLength(300);
			await waitFor(cli, /GET \/antigena\?includecleared=true&responsedata=codeid -> 200 \(soc-respond\)/);
		} finally {
			cli.child.kill('SIGINT');
		}
		expect(await cli.exited).toBe(0);
	});

	it('an unknown option exits with status 2', async () => {
		expect(await badCli.exited).toBe(2);
	});
});
