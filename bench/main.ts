/** The benchmark run: starts the simulator, runs the cases, prints the table and writes the JSON. */
import './env';
import '../test/harness/setup-env';

import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

import { activate } from './cases/activate';
import { getMany, getManyFull, triggerPoll } from './cases/large';
import { oneRequest } from './cases/request';
import { signing } from './cases/signing';
import { machine, renderReport, writeReport, type CaseResult, type Report } from './report';
import { FULL, QUICK, type BenchCase } from './settings';
import { startBenchSimulator } from './sim';
import { loadVariants } from './variant';

const CASES: Record<string, BenchCase> = {
	request: oneRequest,
	signing,
	getMany,
	getManyFull,
	trigger: triggerPoll,
	activate,
};

const USAGE = `Usage: npm run bench -- [--quick] [--only ${Object.keys(CASES).join(',')}] [--rounds N]
  --quick   fewer repetitions and smaller data (a smoke run, under a minute)
  --only    run only these cases (latest.json is then not written)
  --rounds  counted rounds of the one-request and signing cases (latest.json is then not written)
  BENCH_VARIANT=<dir>[,<dir>…] adds copies of the package as sides (bench/variant.ts)`;

const METHODS = [
	'The simulator runs in a child process (simulator/cli.ts on loopback), so its CPU time and heap are not counted as ours; every request is real HTTP.',
	"Our nodes run through test/harness: n8n-core's real ExecuteContext / PollContext and n8n's real HTTP helpers; the credential's authenticate signs every request. A node's time ends when its execute()/poll() returns (bench/hooked-node.ts), before the harness's test-only scan of the output for the private token.",
	'Each case runs its sides in the same order every round (ABAB…), after warm-up rounds that are thrown away. Figures are medians over the counted rounds; a ratio is the median of the per-round ratios (both sides of one round ran back to back), so drift of the machine cancels. Timing-only samples run in the steady state (no forced GC: a forced GC makes the next few ms slow while V8 sweeps on the second core).',
	'Intervals: [low–high] is a 95 % percentile bootstrap interval of the median ratio (4,000 resamples of the per-round ratios, seeded). Against a target: PASS when the whole interval is at or below it, MISS only when the whole interval is above it, WITHIN NOISE when it straddles it.',
	"n8n's HTTP Request node: n8n-nodes-base's HttpRequestV3 (typeVersion 4.5) loaded from the pinned n8n runtime of the e2e tests (bench/http-request-node.ts; same n8n-core and n8n-workflow versions as ours), registered as n8n-nodes-base.httpRequest, GET <simulator>/antigena/summary with Authentication \"Predefined Credential Type\" = darktraceApi, so our credential's authenticate signs it; run through the same harness, in the same turns, as our node.",
	"One request: mean time per execution over N turns per sample; in each turn every side runs once, in a shuffled order (seeded), so that no side always runs right after the same other side; a ratio is the median of the per-sample ratios. Time runs from the executeNode call to the node returning, so it includes n8n's per-execution work (the workflow with the node's parameter list, the context). n8n floor: a bench-only node (bench/floor-node.ts) whose execute() is one this.helpers.httpRequest per item with headers signed in advance, through the same harness; given our node's parameter list, it shows what n8n's handling of that list costs alone. Bulk: the same two nodes with 10 input items, per request. Bias check: a second instance of the floor node, measured like any side. Raw floor: undici.request + node:crypto HMAC + JSON.parse.",
	'Signing: signatures/s over N calls per sample; signDarktraceRequest gets a fresh GET options object per call (built just before timing, small batches so that they are young objects, as per request). Floor: createHmac(sha1).update(message).digest(hex) over the exact message the signer signs (checked equal). Ratio = floor rate / our rate (how much more a signature costs).',
	"Heap (and the time of the same samples): peak of V8's used heap during the call minus the used heap after a full GC and a 50 ms pause just before it. The used heap only falls at a GC, so the peak is the largest of the used heap before each GC (v8.GCProfiler), a 1 ms sampler while the event loop is free, and the used heap when the node returns (its output still referenced). Garbage not yet collected counts, as it occupies the heap; buffers outside the V8 heap do not.",
	"Get Many / trigger floor: undici request of the exact target our node sent (read from the simulator's request log) + JSON.parse of the body. Get Many uses Include Cleared so that all N actions are in the answer; Get Many, Simplify off: the same with every action as the appliance sent it (state, device and connections added).",
	'Trigger: one baseline poll takes every pending action as seen; the counted polls then emit nothing. Static data: bytes of JSON.stringify(static data) per tracked action.',
	"Activate: the simulator delays every POST; items/s = items / node run time (fresh pending actions before each run, not timed); the concurrencies alternate round by round. Concurrency is the node's options.concurrency.",
];

function version(name: string): string {
	return (require(`${name}/package.json`) as { version: string }).version;
}

interface Args {
	quick: boolean;
	only: string[];
	rounds?: number;
}

function parseArgs(argv: string[]): Args | 'help' {
	const args: Args = { quick: false, only: Object.keys(CASES) };
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		if (flag === '--quick') args.quick = true;
		else if (flag === '--help' || flag === '-h') return 'help';
		else if (flag === '--only') {
			args.only = (argv[++i] ?? '').split(',').filter(Boolean);
			const unknown = args.only.filter((name) => !(name in CASES));
			if (unknown.length || args.only.length === 0)
				throw new Error(`--only takes a list of ${Object.keys(CASES).join(', ')}`);
		} else if (flag === '--rounds') {
			args.rounds = Number(argv[++i]);
			if (!Number.isInteger(args.rounds) || args.rounds < 2) throw new Error('--rounds takes a whole number ≥ 2');
		} else throw new Error(`Unknown option ${flag}`);
	}
	return args;
}

export async function main(argv: string[]): Promise<number> {
	let args: Args | 'help';
	try {
		args = parseArgs(argv);
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
		return 2;
	}
	if (args === 'help') {
		process.stdout.write(`${USAGE}\n`);
		return 0;
	}
	const settings = { ...(args.quick ? QUICK : FULL) };
	if (args.rounds) settings.requestRuns = settings.signingRuns = args.rounds;
	const started = performance.now();
	const loadAtStart = loadavg()[0];
	const log = (line: string) =>
		process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0)}s] ${line}\n`);
	const sim = await startBenchSimulator();
	const results: CaseResult[] = [];
	try {
		for (const name of args.only) {
			await sim.control('POST', '/reset', { seed: 'realistic' });
			results.push(...(await CASES[name]({ sim, settings, log })));
		}
	} finally {
		await sim.stop();
	}
	const report: Report = {
		schema: 2,
		generatedAt: new Date().toISOString(),
		mode: args.quick ? 'quick' : 'full',
		cases: args.only,
		machine: machine(loadAtStart),
		versions: {
			'n8n-nodes-darktrace': version('..'),
			'n8n-core': version('n8n-core'),
			'n8n-workflow': version('n8n-workflow'),
			undici: version('undici'),
		},
		settings: { ...settings },
		durationSeconds: (performance.now() - started) / 1000,
		results,
		methods: METHODS,
	};
	process.stdout.write(`\n${renderReport(report)}\n\n`);
	const complete = args.only.length === Object.keys(CASES).length && !args.rounds && loadVariants().length === 0;
	const files = writeReport(report, complete);
	process.stdout.write(`Written: ${files.join(', ')}\n`);
	return 0;
}
