/**
 * `npm run bench [-- --quick]`: the performance benchmarks (see bench/README.md).
 *
 * Heap figures need `gc()`, and `nodes/Darktrace/X.node` must load X.node.ts, not the X.node.json
 * codex file beside it (Node tries .json before ts-node's .ts). So unless both hold, this re-runs
 * itself as `TS_NODE_PREFER_TS_EXTS=true node --expose-gc -r ts-node/register/transpile-only
 * bench/run.ts …` and passes on its exit code. Run that command directly to add node flags of your
 * own, e.g. `--cpu-prof`.
 */
import { spawnSync } from 'node:child_process';

if (typeof global.gc !== 'function' || process.env.TS_NODE_PREFER_TS_EXTS !== 'true') {
	if (typeof global.gc === 'function')
		process.stderr.write('Re-running with TS_NODE_PREFER_TS_EXTS=true; node flags are not passed on.\n');
	const args = ['--expose-gc', '-r', 'ts-node/register/transpile-only', ...process.argv.slice(1)];
	const env = { ...process.env, TS_NODE_PREFER_TS_EXTS: 'true' };
	const child = spawnSync(process.execPath, args, { stdio: 'inherit', env });
	if (child.error) throw child.error;
	process.exit(child.status ?? 1);
} else {
	// Loaded only in the process that runs the cases: env.ts must come before n8n-core.
	void import('./main')
		.then(async ({ main }) => await main(process.argv.slice(2)))
		.then(
			(code) => process.exit(code),
			(error: unknown) => {
				process.stderr.write(
					`Benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
				);
				process.exit(1);
			},
		);
}
