/**
 * The AI agent example in real n8n: AI Agent + OpenAI Chat Model (its credential's Base URL pointed at a
 * scripted OpenAI-compatible model on loopback) + two Darktrace RESPOND tools filled with `$fromAI`.
 * Asserts what n8n told the model (tool names, descriptions, argument schemas), that an invalid code ID
 * comes back to the model as readable text with nothing sent, and that the simulator shows exactly the
 * activation the model chose, with its reason.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { description as actionOperations } from '../../nodes/Darktrace/actions/action/Action.resource';
import { mailCredential, modelCredential, WORKFLOWS } from '../lib/examples';
import { executionRun } from '../lib/n8n';
import { sleep, until } from '../lib/proc';
import type { Runtime } from '../lib/runtime';
import { assertAllSigned, itemsOf, lastHistory, pendingActions, simState, workflowOf, writesOf, type E2eContext, type Json } from './context';
import { decodedBody, startMockMail } from './mockMail';
import { agentReason, approveRiskiestScript, INVALID_CODE_ID, startMockModel, toolResults, type ChatRequest } from './mockModel';

const RESPOND_USER = 'soc-respond';

/** The `action` label of an operation of the Action resource (what n8n makes the tool description from). */
function actionLabel(operation: string): string {
	const options = actionOperations.find((p) => p.name === 'operation')?.options as Array<{ value: string; action?: string }>;
	const label = options.find((o) => o.value === operation)?.action;
	if (!label) throw new Error(`No action label for "${operation}"`);
	return label;
}

/** Why this n8n cannot run the example (AI Agent 3.1 and OpenAI Chat Model 1.3 are needed), or undefined. */
export function agentUnsupported(runtime: Runtime): string | undefined {
	const nodes = join(runtime.dir, 'node_modules', '@n8n', 'n8n-nodes-langchain', 'dist', 'nodes');
	const agentDir = join(nodes, 'agents', 'Agent');
	if (!existsSync(agentDir)) return `n8n ${runtime.version} has no AI Agent node`;
	const agentSource = readdirSync(agentDir)
		.filter((f) => f.endsWith('.node.js'))
		.map((f) => readFileSync(join(agentDir, f), 'utf8'))
		.join('\n');
	if (!/\b3\.1\b/.test(agentSource)) return `n8n ${runtime.version}'s AI Agent has no version 3.1`;
	const model = join(nodes, 'llms', 'LMChatOpenAi', 'LmChatOpenAi.node.js');
	if (!existsSync(model) || !readFileSync(model, 'utf8').includes('responsesApiEnabled')) {
		return `n8n ${runtime.version}'s OpenAI Chat Model has no "Use Responses API" switch (version 1.3)`;
	}
	return undefined;
}

/** Why this n8n offers no human review of tool calls (n8n builds `…HitlTool` node types from 2.x), or undefined. */
export function reviewUnsupported(runtime: Runtime): string | undefined {
	const generator = join(runtime.dir, 'node_modules', 'n8n', 'dist', 'tool-generation', 'hitl-tools.js');
	return existsSync(generator) ? undefined : `n8n ${runtime.version} has no human review tools (no "…HitlTool" node types)`;
}

interface SentTool {
	name: string;
	description?: string;
	parameters?: { properties?: Record<string, { type?: string; description?: string }> };
}

function fromAiDescription(workflow: ReturnType<typeof workflowOf>, node: string, key: string): string {
	const text = JSON.stringify(workflow.nodes.find((n) => n.name === node)?.parameters ?? {});
	const match = new RegExp(`\\$fromAI\\('${key}', '([^']*)'`).exec(text);
	if (!match) throw new Error(`No $fromAI('${key}') in ${node}`);
	return match[1];
}

export async function agentTests(ctx: E2eContext): Promise<void> {
	const { suite, sim, session } = ctx;
	const name = '8. AI agent: lists pending actions, an invalid code ID comes back as text, activates the riskiest with its reason';
	const unsupported = agentUnsupported(session.n8n.runtime);
	if (unsupported) {
		ctx.print(`  - SKIPPED (not counted as passed): ${name}: ${unsupported}`);
		return;
	}
	const model = await startMockModel(approveRiskiestScript());
	try {
		await suite.test(name, async () => {
			await session.n8n.importCredentials([modelCredential(model.url)]);
			const riskiest = sim.createPendingAction({ did: 103, score: 0.99 });
			assert.deepEqual(
				pendingActions(sim).filter((a) => a.score >= riskiest.score).map((a) => a.codeid),
				[riskiest.codeid],
				'the new action is the only pending action scoring 0.99',
			);
			const since = Date.now();

			const run = await session.n8n.execute(WORKFLOWS.agent);
			assert.ok(run.ok, `the agent workflow failed: ${run.error}`);

			const requests: ChatRequest[] = model.requests();
			assert.equal(requests.length, 4, 'four model calls: list, invalid activate, activate, answer');
			// What n8n told the model.
			const workflow = workflowOf(ctx, WORKFLOWS.agent);
			const tools = (requests[0].tools ?? []).map((t) => t.function as SentTool);
			assert.deepEqual(tools.map((t) => t.name).sort(), ['Activate_action', 'List_pending_actions']);
			const list = tools.find((t) => t.name === 'List_pending_actions');
			const activate = tools.find((t) => t.name === 'Activate_action');
			assert.equal(list?.description, `${actionLabel('getMany')} in Darktrace RESPOND`);
			assert.equal(activate?.description, `${actionLabel('activate')} in Darktrace RESPOND`);
			assert.match(String(list?.description), /codeid/, 'the list tool says its results carry the codeid');
			assert.match(String(activate?.description), /enforc/, 'the activate tool says it changes enforcement');
			assert.equal(activate?.parameters?.properties?.codeid?.description, fromAiDescription(workflow, 'Activate action', 'codeid'));
			assert.equal(activate?.parameters?.properties?.codeid?.type, 'number');
			assert.equal(activate?.parameters?.properties?.reason?.description, fromAiDescription(workflow, 'Activate action', 'reason'));
			assert.equal(list?.parameters?.properties?.minScore?.description, fromAiDescription(workflow, 'List pending actions', 'minScore'));
			ctx.print(`      tools offered: ${tools.map((t) => `${t.name} ("${t.description}")`).join(', ')}`);

			// The invalid code ID came back as text the model can act on.
			const results = toolResults(requests[3]);
			assert.equal(results.length, 3);
			const error = results[1].content;
			ctx.print(`      the model read, after codeid ${INVALID_CODE_ID}: ${error}`);
			assert.match(error, new RegExp(`Code ID ${INVALID_CODE_ID} is below 1`));
			assert.match(error, /codeid/, 'the error names the field to use');

			// Exactly the scripted activation reached the appliance.
			const sent = sim.requests().filter((r) => r.time >= since);
			assertAllSigned(sent);
			const writes = writesOf(sent);
			assert.deepEqual(
				writes.map((r) => {
					const body = JSON.parse(r.body) as Json;
					return { codeid: body.codeid, activate: body.activate, reason: body.reason };
				}),
				[{ codeid: riskiest.codeid, activate: true, reason: agentReason({ score: 0.99, hostname: sim.devices().find((d) => d.did === 103)?.hostname, label: riskiest.label }) }],
				'one write: the riskiest action, with the model\'s reason',
			);
			assert.equal(sent.filter((r) => r.method === 'POST').length, 1, 'the invalid code ID was never sent');
			const after = sim.action(riskiest.codeid);
			assert.equal(after && simState(after, sim.now()), 'active');
			assert.equal(lastHistory(after)?.username, RESPOND_USER);
			assert.equal(lastHistory(after)?.reason, JSON.parse(writes[0].body).reason);
			const [answer] = itemsOf(run, 'AI Agent');
			assert.equal(answer.output, `Activated action ${riskiest.codeid}.`);
		});
	} finally {
		await model.stop();
	}
}


/** A desktop browser's user agent: n8n answers review links opened by anything else as a bot's. */
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * The agent with n8n's human review on its write tool (a Send Email review node): the activation waits
 * for the reviewer, who gets the tool's input by e-mail and clicks Approve or Decline as in a mail client.
 * Needs `n8n start` running: it runs the workflow as the editor does and serves the review links.
 */
export async function agentReviewTests(ctx: E2eContext): Promise<void> {
	const { suite, sim, session } = ctx;
	const { n8n } = session;
	const cases = [
		{ decision: 'approve' as const, name: '8. AI agent with human review: nothing is sent until the reviewer approves by e-mail (a bot opening the link resumes nothing); then exactly the activation' },
		{ decision: 'decline' as const, name: '8. AI agent with human review: a declined activation sends nothing; the model is told' },
	];
	const unsupported = [reviewUnsupported(n8n.runtime), agentUnsupported(n8n.runtime)].filter(Boolean).join('; ');
	if (unsupported) {
		for (const c of cases) ctx.print(`  - SKIPPED (not counted as passed): ${c.name}: ${unsupported}`);
		return;
	}
	for (const [index, { decision, name }] of cases.entries()) {
		// The script makes no invalid call behind a review (the reviewer would be asked about it).
		const model = await startMockModel(approveRiskiestScript());
		const mail = await startMockMail();
		try {
			await suite.test(name, async () => {
				await n8n.importCredentials([modelCredential(model.url), mailCredential(mail.host, mail.port)]);
				// Each case's action outscores every pending action, the previous case's included.
				const riskiest = sim.createPendingAction({ did: 104, score: [0.991, 0.995][index] });
				assert.deepEqual(
					pendingActions(sim).filter((a) => a.score >= riskiest.score).map((a) => a.codeid),
					[riskiest.codeid],
					`the new action is the only pending action scoring ${riskiest.score}`,
				);
				const since = Date.now();
				const id = await n8n.startManualRun(WORKFLOWS.agentReview);
				const waiting = await until('the execution to wait for the reviewer', async () => {
					const now = await n8n.execution(id);
					if (now && !['new', 'running', 'waiting'].includes(now.status)) assert.fail(`execution ${id} ended ${now.status} before the review`);
					return now?.status === 'waiting' ? now : undefined;
				});
				const [message] = await until('the review e-mail', () => (mail.messages().length > 0 ? mail.messages() : undefined));
				assert.equal(mail.messages().length, 1, 'one review e-mail');
				assert.deepEqual(message.to, ['soc-reviewer@example.com']);
				const body = decodedBody(message);
				assert.ok(body.includes(String(riskiest.codeid)), `the e-mail shows the code ID the agent chose:\n${body.slice(0, 2000)}`);
				assert.ok(body.includes(`Highest-scoring pending action (score ${riskiest.score})`), "the e-mail shows the agent's reason");
				assert.equal(writesOf(sim.requests().filter((r) => r.time >= since)).length, 0, 'nothing is written while the review waits');
				const links = [...body.matchAll(/href="([^"]*approved=(true|false)[^"]*)"/g)];
				const link = links.find((l) => l[2] === (decision === 'approve' ? 'true' : 'false'))?.[1];
				assert.ok(link, `the e-mail has a ${decision} link (links: ${links.map((l) => l[1]).join(', ')})`);
				ctx.print(`      execution ${waiting.id} waits; the reviewer clicks ${link}`);
				if (decision === 'approve') {
					// n8n ignores a review link opened by a bot (its user agent: link scanners, previews, this
					// test's plain fetch): nothing resumes.
					const scanned = await fetch(link);
					assert.equal(scanned.status, 200, `GET ${link} as a bot: HTTP ${scanned.status}`);
					assert.equal(await scanned.text(), '', 'a bot gets an empty page');
					await sleep(2000);
					assert.equal((await n8n.execution(id))?.status, 'waiting', 'a bot opening the link does not resume the execution');
				}
				// The reviewer clicks the link in the mail client: the browser opens it.
				const click = await fetch(link, { headers: { 'user-agent': BROWSER, accept: 'text/html' } });
				const page = await click.text();
				assert.equal(click.status, 200, `GET ${link}: HTTP ${click.status} ${page.slice(0, 300)}`);
				ctx.print(`      the reviewer's browser shows: ${page.replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>|<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120)}`);
				const finished = await until('the agent to finish', async () => {
					const now = await n8n.execution(id);
					if (now && !['new', 'running', 'waiting', 'success'].includes(now.status)) assert.fail(`execution ${id} ended ${now.status}`);
					return now?.status === 'success' ? now : undefined;
				});
				const writes = writesOf(sim.requests().filter((r) => r.time >= since));
				const [answer] = itemsOf(executionRun(WORKFLOWS.agentReview, finished), 'AI Agent');
				const requests = model.requests();
				if (decision === 'approve') {
					assert.deepEqual(
						writes.map((r) => {
							const b = JSON.parse(r.body) as Json;
							return [b.codeid, b.activate, b.reason];
						}),
						[[riskiest.codeid, true, agentReason({ score: riskiest.score, hostname: sim.devices().find((d) => d.did === 104)?.hostname, label: riskiest.label })]],
						'exactly the reviewed activation reached the appliance',
					);
					assert.equal(simState(sim.action(riskiest.codeid)!, sim.now()), 'active');
					assert.equal(requests.length, 3, 'three model calls: list, activate, answer');
					assert.equal(answer.output, `Activated action ${riskiest.codeid}.`);
				} else {
					assert.equal(writes.length, 0, 'a declined activation sends nothing');
					assert.equal(simState(sim.action(riskiest.codeid)!, sim.now()), 'pending');
					const results = toolResults(requests[requests.length - 1]);
					assert.match(results[results.length - 1].content, /User rejected the tool call/);
					ctx.print(`      the model read, after the decline: ${results[results.length - 1].content}`);
					assert.equal(requests.length, 3, 'three model calls: list, activate (declined), answer');
					assert.equal(answer.output, `The reviewer declined activating action ${riskiest.codeid}.`);
				}
			});
		} finally {
			await model.stop();
			await mail.stop();
		}
	}
}
