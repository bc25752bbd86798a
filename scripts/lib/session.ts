/**
 * What the e2e tests and the demo share: a real n8n with the packed package, the example credentials
 * pointing at a simulator, the example workflows imported, and a way to run them from the CLI.
 */
import type { Simulator } from '../../simulator';
import { exampleCredentials, isManual, loadExamples, type ExampleFile } from './examples';
import { N8n, type CredentialFixture, type WorkflowJson, type WorkflowRun } from './n8n';
import type { Runtime } from './runtime';
import { describeRun } from './summary';

export interface SessionOptions {
	runtime: Runtime;
	tarball: string;
	sim: Simulator;
	/** Port for `n8n start` (default: a free one). */
	port?: number;
	/** Credentials to import besides the examples' own. */
	extraCredentials?: CredentialFixture[];
	/** Workflows to import with the examples (one `n8n import:workflow`), given the examples. */
	extraWorkflows?: (examples: ExampleFile[]) => WorkflowJson[];
	log?: (text: string) => void;
	/** Extra environment for every n8n process. */
	env?: NodeJS.ProcessEnv;
}

export interface Session {
	n8n: N8n;
	examples: ExampleFile[];
}

/** A fresh n8n user folder with the package, the example credentials and workflows imported. */
export async function createSession(options: SessionOptions): Promise<Session> {
	const { sim } = options;
	const { runtime, tarball, port, log, env } = options;
	const n8n = await N8n.create({ runtime, tarball, port, log, env });
	try {
		const tokens = { respond: sim.token('respond'), readonly: sim.token('readonly') };
		await n8n.importCredentials([...exampleCredentials(sim.url, tokens), ...(options.extraCredentials ?? [])]);
		const examples = loadExamples(sim.url);
		await n8n.importWorkflows([...examples.map((example) => example.workflow), ...(options.extraWorkflows?.(examples) ?? [])]);
		return { n8n, examples };
	} catch (error) {
		await n8n.dispose(true);
		throw error;
	}
}

export interface ExampleRun {
	example: ExampleFile;
	run: WorkflowRun;
}

/** Runs every example that starts with a Manual Trigger, in file order, printing a summary of each. */
export async function runManualExamples(
	session: Session,
	print: (line: string) => void,
	after: (run: WorkflowRun) => void = () => {},
): Promise<ExampleRun[]> {
	const results: ExampleRun[] = [];
	for (const example of session.examples.filter((e) => isManual(e.workflow))) {
		const run = await session.n8n.execute(example.workflow.id);
		for (const line of describeRun(example.workflow, run)) print(line);
		after(run);
		results.push({ example, run });
	}
	return results;
}
