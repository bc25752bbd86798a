/**
 * End-to-end tests in real n8n (`npm run test:e2e`): the packed package installed in a fresh n8n user
 * folder the way users install community packages, the example workflows run with the n8n CLI against
 * the simulator, the trigger in a running `n8n start`, and the credential test through n8n's REST API.
 *
 * Environment:
 * - E2E_N8N_VERSIONS: comma-separated n8n versions to run against (default 2.40.7; 1.123.81 also works,
 *   see scripts/install-n8n-runtime.sh)
 * - E2E_KEEP=1: keep the n8n user folders (always kept when a test fails)
 * - E2E_VERBOSE=1: echo everything n8n prints
 * - E2E_N8N_LOG_LEVEL: n8n's log level (default debug; the log is checked for private tokens)
 * - E2E_ONLY: comma-separated suites to run, of workflows, timezone, trigger (the trigger and the credential
 *   test in `n8n start`), writeOnce, approval, agent; default all. The setup, `n8n start` (when a selected
 *   suite needs it) and the private-token search always run; the suites left out are printed as not run.
 *
 * The simulators run strict (request linting), so the node's requests stay clean in real n8n too.
 * Prints `N passed, M failed` on its last line; exits 1 if anything failed.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_TOKENS, startSimulator } from '../../simulator';
import { WORKFLOWS } from '../lib/examples';
import { filesUnder } from '../lib/files';
import { buildAndPack, DEFAULT_N8N_VERSION, ensureRuntime, packageNodeNames } from '../lib/runtime';
import { createSession, type Session } from '../lib/session';
import type { E2eContext } from './context';
import { runMain, seconds, Suite } from './suite';
import { agentReviewTests, agentTests } from './agent';
import { approvalTests } from './approval';
import { credentialTestFixtures, serverTests, WRONG_PRIVATE_TOKEN } from './server';
import { timeZoneTests } from './timezone';
import { workflowTests } from './workflows';
import { writeOnceTests } from './writeOnce';

const verbose = process.env.E2E_VERBOSE === '1';

const SUITES = ['workflows', 'timezone', 'trigger', 'writeOnce', 'approval', 'agent'] as const;
type SuiteName = (typeof SUITES)[number];

/** The suites E2E_ONLY selects (all when unset); an unknown name stops the run before anything starts. */
function selectedSuites(): Set<SuiteName> {
	const only = (process.env.E2E_ONLY ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	if (only.length === 0) return new Set(SUITES);
	const unknown = only.filter((s) => !(SUITES as readonly string[]).includes(s));
	if (unknown.length > 0) throw new Error(`E2E_ONLY: unknown suite ${unknown.join(', ')}; the suites are ${SUITES.join(', ')}`);
	return new Set(only as SuiteName[]);
}
const printed: string[] = [];

function print(line: string): void {
	printed.push(line);
	console.log(line);
}

/** Secrets that must never appear in n8n's logs, its outputs or this run's own output. */
const SECRETS = [...DEFAULT_TOKENS.map((t) => t.private), WRONG_PRIVATE_TOKEN];

function secretsTest(suite: Suite, session: Session): Promise<boolean> {
	return suite.test('no private token in n8n logs, execution data, database or this run\'s output', async () => {
		const leaks: string[] = [];
		const sources: Array<[string, string]> = [['e2e output', printed.join('\n')]];
		for (const file of filesUnder(session.n8n.userFolder)) sources.push([file, readFileSync(file, 'latin1')]);
		for (const [where, text] of sources) {
			SECRETS.forEach((secret, i) => {
				if (text.includes(secret)) leaks.push(`private token #${i + 1} found in ${where}`);
			});
		}
		if (leaks.length > 0) throw new Error(leaks.join('\n'));
	});
}

async function runAgainst(version: string, suite: Suite, tarball: string, only: Set<SuiteName>): Promise<void> {
	print(`\nn8n ${version}`);
	const started = Date.now();
	const runtime = await ensureRuntime(version, (text) => process.stderr.write(text));
	const sim = await startSimulator({ seed: 'realistic', strict: true });
	const tlsSim = await startSimulator({ seed: 'realistic', https: true, strict: true });
	let session: Session | undefined;
	const failedBefore = suite.failed;
	try {
		const ok = await suite.test('setup: packed package installed in a fresh user folder, credentials and examples imported', async () => {
			session = await createSession({
				runtime,
				tarball,
				sim,
				extraCredentials: credentialTestFixtures(sim, tlsSim),
				log: verbose ? (text) => process.stdout.write(text) : undefined,
				// Debug logs say the most: the secrets check below reads them.
				env: { N8N_LOG_LEVEL: process.env.E2E_N8N_LOG_LEVEL ?? 'debug' },
			});
		});
		if (!ok || !session) return;
		print(`  user folder: ${session.n8n.userFolder}`);
		const ctx: E2eContext = { suite, sim, tlsSim, session, print };
		if (only.has('workflows')) await workflowTests(ctx);
		if (only.has('timezone')) await timeZoneTests(ctx);
		const hasTrigger = packageNodeNames().includes('DarktraceRespondTrigger');
		if (!session.examples.some((e) => e.workflow.id === WORKFLOWS.trigger)) throw new Error('The trigger example is missing');
		// The suites that need `n8n start` (the agent's human review: the review links are served by it).
		const needServer = (['trigger', 'writeOnce', 'approval', 'agent'] as const).some((s) => only.has(s));
		if (needServer) await serverTests(ctx, hasTrigger, only.has('trigger'));
		if (only.has('writeOnce') && session.n8n.running) await writeOnceTests(ctx);
		if (only.has('approval')) {
			if (session.n8n.running) await approvalTests(ctx);
			else suite.fail('7. approval examples', 'n8n is not running');
		}
		if (only.has('agent')) {
			await agentTests(ctx);
			if (session.n8n.running) await agentReviewTests(ctx);
			else suite.fail('8. AI agent with human review', 'n8n is not running');
		}
		await session.n8n.stop();
		await secretsTest(suite, session);
	} finally {
		await session?.n8n.stop();
		await sim.stop();
		await tlsSim.stop();
		if (session) {
			const failed = suite.failed > failedBefore;
			const keep = failed || process.env.E2E_KEEP === '1';
			if (failed) print(`  n8n log (last lines) from ${session.n8n.logFile}:\n${session.n8n.logs().split('\n').slice(-40).join('\n')}`);
			await session.n8n.dispose(keep);
			if (keep) print(`  kept ${session.n8n.userFolder}`);
		}
		print(`  n8n ${version}: ${seconds(Date.now() - started)}`);
	}
}

async function main(): Promise<number> {
	const started = Date.now();
	const suite = new Suite(print);
	const versions = (process.env.E2E_N8N_VERSIONS ?? DEFAULT_N8N_VERSION)
		.split(',')
		.map((v) => v.trim())
		.filter(Boolean);
	const only = selectedSuites();
	print(`End-to-end tests in real n8n (${versions.join(', ')})`);
	const left = SUITES.filter((s) => !only.has(s));
	if (left.length > 0) print(`  E2E_ONLY=${[...only].join(',')}: not run (neither passed nor failed): ${left.join(', ')}`);
	let tarball: string | undefined;
	await suite.test('build and pack the package', async () => {
		tarball = await buildAndPack();
		print(`  packed ${tarball}`);
	});
	if (tarball) {
		for (const version of versions) {
			try {
				await runAgainst(version, suite, tarball, only);
			} catch (error) {
				suite.fail(`n8n ${version}`, error instanceof Error ? (error.stack ?? error.message) : String(error));
			}
		}
	}
	return suite.finish('e2e total', started);
}

runMain(main);
