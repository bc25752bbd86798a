/**
 * The pinned real n8n (installed once by scripts/install-n8n-runtime.sh into a cache folder outside the
 * clone), and the packed package as users install it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runOk } from './proc';

export const ROOT = resolve(__dirname, '..', '..');

/** The n8n version the e2e tests and the demo run by default. */
export const DEFAULT_N8N_VERSION = '2.40.7';

export interface Runtime {
	version: string;
	dir: string;
	/** The Node binary n8n runs on (Node 24 from the runtime folder for 2.x). */
	node: string;
	/** n8n's bin script, started as `node <n8nBin>`. */
	n8nBin: string;
}

/** Installs the runtime if needed (a few minutes, once) and returns where it is; `log` gets the progress. */
export async function ensureRuntime(version = DEFAULT_N8N_VERSION, log: (text: string) => void = () => {}): Promise<Runtime> {
	const result = await runOk('bash', [join(ROOT, 'scripts', 'install-n8n-runtime.sh')], {
		env: { ...process.env, N8N_VERSION: version },
		timeoutMs: 20 * 60_000,
		onOutput: (text, stream) => stream === 'stderr' && log(text),
	});
	const dir = result.stdout.trim().split('\n').pop()?.trim() ?? '';
	const bundledNode = join(dir, 'node_modules', '.bin', 'node');
	const n8nBin = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (!existsSync(n8nBin)) throw new Error(`The n8n runtime at "${dir}" has no n8n/bin/n8n`);
	return { version, dir, node: existsSync(bundledNode) ? bundledNode : process.execPath, n8nBin };
}

/** Builds the package and packs it the way it is published; returns the tarball's absolute path. */
export async function buildAndPack(log: (text: string) => void = () => {}): Promise<string> {
	await runOk('npm', ['run', 'build'], { cwd: ROOT, onOutput: log, timeoutMs: 5 * 60_000 });
	const destination = mkdtempSync(join(tmpdir(), 'n8n-nodes-darktrace-pack-'));
	process.on('exit', () => rmSync(destination, { recursive: true, force: true }));
	// .npmrc sets ignore-scripts, so npm pack does not rebuild: the build above is what gets packed.
	const packed = await runOk('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: ROOT,
		timeoutMs: 2 * 60_000,
	});
	const [info] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
	return join(destination, info.filename);
}

/** The node types the packed package declares (package.json's `n8n.nodes`), e.g. `darktraceRespond`. */
export function packageNodeNames(): string[] {
	const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n?: { nodes?: string[] } };
	return (pkg.n8n?.nodes ?? []).map((file) => file.replace(/^.*\//, '').replace(/\.node\.js$/, ''));
}
