/**
 * `npm run demo`: builds and packs the package, starts the Darktrace simulator with realistic data and a
 * real n8n with the package installed as users install it, a ready Darktrace credential, the example
 * workflows imported and the trigger workflow active. Prints the editor URL and a login; Ctrl-C stops
 * everything.
 *
 * `npm run demo -- --headless`: runs the example workflows once, prints what they did, and exits 0 on
 * success, 1 on failure.
 *
 * `npm run demo -- --queue`: the same on n8n's queue mode (scripts/lib/queue.ts): Redis, PostgreSQL 17,
 * n8n main and two workers; prints which process runs what (with --headless too).
 *
 * Options: --headless, --queue, --n8n-port <n> (default 5678 if free), --simulator-port <n> (default 4747
 * if free), --n8n-version <v> (default 2.40.7).
 */
import { startSimulator, type RecordedRequest, type Simulator } from '../simulator';
import { agentUnsupported } from './e2e/agent';
import { decodedBody, startMockMail, type Mail } from './e2e/mockMail';
import { startMockModel, approveRiskiestScript } from './e2e/mockModel';
import { WORKFLOWS, isManual, mailCredential, modelCredential } from './lib/examples';
import { executionRun } from './lib/n8n';
import { preferredPort } from './lib/ports';
import { createQueueDeployment, type QueueDeployment } from './lib/queue';
import { buildAndPack, DEFAULT_N8N_VERSION, ensureRuntime } from './lib/runtime';
import { createSession, runManualExamples, type Session } from './lib/session';
import { describeRun } from './lib/summary';

const DEMO_OWNER = { email: 'demo@example.com', password: 'Darktrace-Demo-1', firstName: 'Demo', lastName: 'Analyst' };

interface DemoOptions {
	headless: boolean;
	queue: boolean;
	n8nPort: number;
	simulatorPort: number;
	version: string;
}

function parseArgs(argv: string[]): DemoOptions {
	const options: DemoOptions = {
		headless: false,
		queue: false,
		n8nPort: 5678,
		simulatorPort: 4747,
		version: DEFAULT_N8N_VERSION,
	};
	const port = (flag: string, value: string | undefined) => {
		if (value === undefined || !/^\d+$/.test(value) || Number(value) > 65535)
			throw new Error(`${flag} needs a port number`);
		return Number(value);
	};
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		if (flag === '--headless') options.headless = true;
		else if (flag === '--queue') options.queue = true;
		else if (flag === '--n8n-port') options.n8nPort = port(flag, argv[++i]);
		else if (flag === '--simulator-port') options.simulatorPort = port(flag, argv[++i]);
		else if (flag === '--n8n-version') options.version = argv[++i] ?? DEFAULT_N8N_VERSION;
		else
			throw new Error(`Unknown option ${flag} (use --headless, --queue, --n8n-port, --simulator-port, --n8n-version)`);
	}
	return options;
}

function step(text: string): void {
	console.log(`▸ ${text}`);
}

function requestLine(r: RecordedRequest): string {
	const outcome = r.authOk ? String(r.status) : `${r.status} (signature rejected)`;
	return `  simulator: ${r.method} ${r.target} → ${outcome}${r.isWrite ? ' [changed state]' : ''}`;
}

/** In queue mode: which process ran an execution. */
function ranBy(queue: QueueDeployment | undefined, executionId: string | undefined): void {
	if (!queue || !executionId) return;
	console.log(
		`    ran on ${queue.workerOf(executionId) ?? 'no worker (see the logs)'} (execution ${executionId}, queued by main)`,
	);
}

/** Starts n8n (main, and the workers in queue mode), sets up the owner; prints the processes in queue mode. */
async function startN8n(session: Session, queue: QueueDeployment | undefined): Promise<void> {
	if (queue) await queue.start();
	else await session.n8n.start();
	await session.n8n.setupOwner(DEMO_OWNER);
	if (queue) {
		step('Queue mode: which process runs what');
		for (const line of queue.describe()) console.log(`  ${line}`);
	}
}

/** Starts n8n with the trigger active and waits for the trigger's first execution. */
async function showTrigger(session: Session, queue: QueueDeployment | undefined): Promise<boolean> {
	const { n8n } = session;
	const example = session.examples.find((e) => e.workflow.id === WORKFLOWS.trigger);
	if (!example) return true;
	if (!n8n.running) {
		await n8n.activateOffline(WORKFLOWS.trigger);
		await startN8n(session, queue);
		await n8n.createApiKey();
	}
	const [execution] = await n8n.waitForExecutions(WORKFLOWS.trigger, 1);
	const run = executionRun(WORKFLOWS.trigger, execution);
	for (const line of describeRun(example.workflow, run)) console.log(line);
	ranBy(queue, run.executionId);
	return run.ok;
}

/** Prints a review e-mail's subject and its Approve / Decline links (the demo's mail server). */
function printReviewLinks(mail: Mail): void {
	const body = decodedBody(mail);
	const subject = /^subject: (.*)$/im.exec(mail.data)?.[1] ?? '(no subject)';
	const links = [...body.matchAll(/href="([^"]*approved=(true|false)[^"]*)"/g)];
	console.log(`\n  e-mail to ${mail.to.join(', ')}: ${subject}`);
	for (const [, url, approved] of links) console.log(`    ${approved === 'true' ? 'Approve' : 'Decline'}: ${url}`);
}

async function headless(session: Session, queue: QueueDeployment | undefined): Promise<number> {
	if (queue) {
		// The examples run as the editor runs them, which queue mode hands to a worker.
		step('Starting n8n main and two workers with the trigger workflow active (main polls)');
		await session.n8n.activateOffline(WORKFLOWS.trigger);
		await startN8n(session, queue);
		await session.n8n.createApiKey();
		session.n8n.executeVia = 'server';
		step('Running the example workflows ("Execute workflow": main enqueues, a worker runs)');
	} else {
		step('Running the example workflows with the n8n CLI');
	}
	// The human-review example waits for a person: it is for the interactive demo.
	session.examples = session.examples.filter((e) => e.workflow.id !== WORKFLOWS.agentReview);
	const results = await runManualExamples(
		session,
		(line) => console.log(line),
		(run) => ranBy(queue, run.executionId),
	);
	step(
		queue
			? 'The trigger workflow: polled by main, its first execution run by a worker'
			: 'Starting n8n with the trigger workflow active (first poll)',
	);
	const triggerOk = await showTrigger(session, queue);
	const failed = results.filter((r) => !r.run.ok).map((r) => r.example.workflow.name);
	if (!triggerOk) failed.push('trigger');
	console.log(
		failed.length === 0
			? `\nAll ${results.length + 1} example workflows ran.`
			: `\n${failed.length} example workflow(s) failed: ${failed.join(', ')}`,
	);
	return failed.length === 0 ? 0 : 1;
}

async function interactive(
	session: Session,
	sim: Simulator,
	modelUrl: string,
	queue: QueueDeployment | undefined,
): Promise<number> {
	const { n8n } = session;
	step(
		queue
			? 'Starting n8n main and two workers with the trigger workflow active'
			: 'Starting n8n with the trigger workflow active',
	);
	await n8n.activateOffline(WORKFLOWS.trigger);
	await startN8n(session, queue);
	const manual = session.examples.filter((e) => isManual(e.workflow)).map((e) => `    - ${e.workflow.name}`);
	console.log(`
n8n is ready: ${n8n.baseUrl}
  login: ${DEMO_OWNER.email} / ${DEMO_OWNER.password}
  credential "Darktrace simulator" points at the simulator: ${sim.url}
  example workflows (open one, then "Execute workflow"):
${manual.join('\n')}
  active: "Darktrace: on new pending actions (trigger)" (polls every minute)
  approval loop: activate "ask a person to approve each new pending action (form)" and its companion
    "close the approval request", create a pending action (below), open the execution's approvalFormUrl
  AI agent: "an AI agent approves the riskiest pending action" talks to a scripted model on ${modelUrl}
  human review: "an AI agent proposes, a person reviews the activation by e-mail" e-mails the review to a
    local mail server: its Approve / Decline links are printed here; open one in your browser

Create a pending action for the trigger to pick up:
  curl -X POST ${sim.controlUrl}/actions/pending -H 'content-type: application/json' -d '{"did":101,"score":0.9}'
n8n's log: ${n8n.logFile}${queue ? `\n  workers' logs: ${n8n.workers.map((w) => w.logFile).join(', ')} ("Worker started execution N")` : ''}
Press Ctrl-C to stop.
`);
	return await new Promise<number>((resolve) => {
		let stopping = false;
		const stop = (code: number) => {
			if (stopping) return;
			stopping = true;
			resolve(code);
		};
		process.on('SIGINT', () => stop(0));
		process.on('SIGTERM', () => stop(0));
		// `npm run demo` runs this under `sh -c`: when npm is stopped, the shell dies without passing the
		// signal on. Noticing the new parent process is the only way to stop n8n then.
		const parent = process.ppid;
		setInterval(() => process.ppid !== parent && stop(0), 1000).unref();
		void n8n.serverExit().then(() => {
			if (!stopping) console.error(`n8n exited unexpectedly; see ${n8n.logFile}`);
			stop(1);
		});
	});
}

async function main(): Promise<number> {
	const options = parseArgs(process.argv.slice(2));
	// Ctrl-C exits (children, each in its own process group, are killed on exit) until the interactive
	// demo is up; then it stops n8n and the simulator gracefully.
	const early = () => process.exit(130);
	process.on('SIGINT', early);
	process.on('SIGTERM', early);

	step('Building and packing the package');
	const tarball = await buildAndPack();
	step(`Preparing n8n ${options.version} (the first run installs it, a few minutes)`);
	const runtime = await ensureRuntime(options.version, (text) => process.stderr.write(text));

	const sim = await startSimulator({
		port: await preferredPort(options.simulatorPort),
		seed: 'realistic',
		controlPort: await preferredPort(options.simulatorPort + 1),
		onRequest: options.headless ? undefined : (r) => console.log(requestLine(r)),
	});
	step(`Darktrace simulator on ${sim.url} (${sim.actions().length} actions, ${sim.devices().length} devices)`);
	// The AI agent example's "OpenAI-compatible model" credential points at a scripted local model.
	const model = await startMockModel(approveRiskiestScript());
	// The human-review example's "Mail server (SMTP)" credential points at a local mail server that
	// prints each review e-mail's links.
	const mail = await startMockMail(options.headless ? undefined : printReviewLinks);
	let session: Session | undefined;
	let queue: QueueDeployment | undefined;
	try {
		const port = await preferredPort(options.n8nPort);
		const extraCredentials = [modelCredential(model.url), mailCredential(mail.host, mail.port)];
		if (options.queue) {
			step(
				'Queue mode: starting Redis and PostgreSQL 17; installing the packed package in a fresh user folder; importing the credentials and the examples',
			);
			queue = await createQueueDeployment({ runtime, tarball, sim, port, extraCredentials });
			session = queue.session;
		} else {
			step('Installing the packed package in a fresh n8n user folder; importing the credentials and the examples');
			session = await createSession({ runtime, tarball, sim, port, extraCredentials });
		}
		const unsupported = agentUnsupported(runtime);
		if (unsupported) {
			step(`Leaving out the AI agent examples: ${unsupported}`);
			session.examples = session.examples.filter((e) => e.workflow.id !== WORKFLOWS.agent && e.workflow.id !== WORKFLOWS.agentReview);
		}
		if (options.headless) return await headless(session, queue);
		process.off('SIGINT', early);
		process.off('SIGTERM', early);
		return await interactive(session, sim, model.url, queue);
	} finally {
		step(
			queue ? 'Stopping n8n (main and workers), PostgreSQL, Redis and the simulator' : 'Stopping n8n and the simulator',
		);
		if (queue) await queue.stop();
		else await session?.n8n.dispose();
		await sim.stop();
		await model.stop();
		await mail.stop();
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	},
);
