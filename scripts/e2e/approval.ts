/**
 * The human approval loop in a running `n8n start`: the "ask a person to approve" example pauses at its
 * n8n form (Wait node, "On Form Submitted"), the test answers the form exactly as a browser does (GET
 * the page from the resume link, POST the form's own fields as multipart form data), and the simulator
 * shows who approved or declined and why. The companion example then reports the cleared action.
 */
import assert from 'node:assert/strict';
import { WORKFLOWS } from '../lib/examples';
import { executionRun, type Execution, type WorkflowJson } from '../lib/n8n';
import { until } from '../lib/proc';
import { assertAllSigned, lastHistory, simState, workflowOf, writesOf, type E2eContext, type Json } from './context';

const RESPOND_USER = 'soc-respond';

/**
 * The examples poll every minute; the test runs them with six custom poll times a minute (one every
 * 10 s) so a new action is picked up quickly. Nothing else in them changes.
 */
export function everyTenSeconds(workflow: WorkflowJson): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowJson;
	for (const node of copy.nodes) {
		if (node.type.endsWith('.darktraceRespondTrigger')) {
			node.parameters.pollTimes = {
				item: [0, 10, 20, 30, 40, 50].map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` })),
			};
		}
	}
	return copy;
}

/** The controls of an n8n form page: each one's name, label, a select's options, its preset value. */
export interface FormField {
	name: string;
	label: string;
	options: string[];
	value: string;
}

function decode(text: string): string {
	return text
		.replace(/&amp;/g, '&')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;|&#x27;/g, "'")
		.trim();
}

function attribute(attrs: string, name: string): string | undefined {
	const match = new RegExp(`\\b${name}=(?:'([^']*)'|"([^"]*)")`).exec(attrs);
	return match ? decode(match[1] ?? match[2] ?? '') : undefined;
}

/** Reads the form's controls from the HTML n8n serves (what a browser puts in its form data). */
export function formFields(html: string): FormField[] {
	const form = /<form\b[\s\S]*?<\/form>/.exec(html)?.[0] ?? html;
	const labels = new Map<string, string>();
	for (const match of form.matchAll(/<label\b([^>]*)>([\s\S]*?)<\/label>/g)) {
		const target = attribute(match[1], 'for');
		if (target) labels.set(target, decode(match[2].replace(/<[^>]+>/g, '')));
	}
	const fields: FormField[] = [];
	for (const match of form.matchAll(/<(select|textarea)\b([^>]*)>([\s\S]*?)<\/\1>|<input\b([^>]*)>/g)) {
		const [, tag, pairAttrs, inner = '', inputAttrs] = match;
		const attrs = pairAttrs ?? inputAttrs ?? '';
		const name = attribute(attrs, 'name');
		if (!name || attribute(attrs, 'type') === 'file') continue;
		const options = [...inner.matchAll(/<option\b([^>]*)>/g)].map((o) => attribute(o[1], 'value') ?? '').filter(Boolean);
		const value = tag === 'textarea' ? decode(inner) : tag === 'select' ? '' : (attribute(attrs, 'value') ?? '');
		fields.push({ name, label: labels.get(attribute(attrs, 'id') ?? name) ?? '', options, value });
	}
	return fields;
}

/** What a person types into the approval form. */
interface Answer {
	name: string;
	decision: 'Approve' | 'Decline';
	reason: string;
}

/** Opens the approval link like a browser and submits the form; returns the page's text. */
async function answerForm(url: string, answer: Answer): Promise<string> {
	const page = await fetch(url, { headers: { accept: 'text/html' } });
	const html = await page.text();
	assert.equal(page.status, 200, `GET ${url}: HTTP ${page.status} ${html.slice(0, 300)}`);
	const fields = formFields(html);
	const byLabel = (label: string) => {
		const field = fields.find((f) => f.label.replace(/\s*\*$/, '') === label);
		assert.ok(field, `the form has a "${label}" field (found: ${fields.map((f) => `${f.name}=${f.label}`).join(', ')})`);
		return field;
	};
	const decision = byLabel('Decision');
	assert.deepEqual(decision.options, ['Approve', 'Decline'], 'the Decision field offers Approve and Decline');
	// As the page's script does: every named control, in order, with what the person typed or chose.
	const typed = new Map([
		[byLabel('Your name').name, answer.name],
		[decision.name, answer.decision],
		[byLabel('Reason').name, answer.reason],
	]);
	const form = new FormData();
	for (const field of fields) form.append(field.name, typed.get(field.name) ?? field.value);
	const submitted = await fetch(url, { method: 'POST', body: form });
	const text = await submitted.text();
	assert.equal(submitted.status, 200, `POST ${url}: HTTP ${submitted.status} ${text.slice(0, 300)}`);
	return html;
}

/** The page as text: HTML character references decoded (n8n escapes the form description). */
function htmlText(html: string): string {
	const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
	return html.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
		if (ref[0] !== '#') return named[ref.toLowerCase()] ?? whole;
		const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
		return String.fromCodePoint(code);
	});
}

interface Request {
	execution: Execution;
	codeid: number;
	url: string;
	/** How many times the execution has paused at the form so far. */
	asked: number;
}

/** Executions of the approval workflow now waiting at the form, with the action each one asks about. */
async function waitingRequests(ctx: E2eContext): Promise<Request[]> {
	const list = await ctx.session.n8n.waitingExecutions(WORKFLOWS.approval);
	return list.map((execution) => {
		const runs = executionRun(WORKFLOWS.approval, execution).nodes['Approval request'] ?? [];
		const last = runs[runs.length - 1]?.[0]?.json ?? {};
		return { execution, codeid: Number(last.codeid), url: String(last.approvalFormUrl), asked: runs.length };
	});
}


async function activate(ctx: E2eContext, id: string, on: boolean): Promise<void> {
	const answer = await ctx.session.n8n.api('POST', `/workflows/${id}/${on ? 'activate' : 'deactivate'}`);
	assert.equal(answer.status, 200, `${on ? 'activate' : 'deactivate'} ${id}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
}

/** Needs `n8n start` running with the owner logged in and an API key (after serverTests). */
export async function approvalTests(ctx: E2eContext): Promise<void> {
	const { suite, sim } = ctx;
	const { n8n } = ctx.session;
	const names = [
		'7. approval form: the execution pauses per new pending action; "Approve" activates it with the approver and reason',
		'7. approval form: "Decline" clears the action with the approver and reason',
		'7. companion: the cleared action is reported once, with who cleared it and why',
	];
	const ready = await suite.test('7. approval examples imported (polling every 10 s) and activated', async () => {
		await n8n.importWorkflows([everyTenSeconds(workflowOf(ctx, WORKFLOWS.approval)), everyTenSeconds(workflowOf(ctx, WORKFLOWS.approvalClosed))]);
		// Activation polls at once and counts what is already pending (or cleared) as seen. n8n activates
		// in the background after answering, so wait for the first polls before creating actions.
		const t0 = Date.now();
		await activate(ctx, WORKFLOWS.approval, true);
		await activate(ctx, WORKFLOWS.approvalClosed, true);
		const polls = (history: boolean) =>
			sim.requests().filter((r) => r.method === 'GET' && r.path === '/antigena' && r.time >= t0 && (r.query.includehistory === 'true') === history);
		// Two pending-action polls: at least one is the approval workflow's (the trigger example polls once a minute).
		await until('the approval workflow\'s first poll', async () => (polls(false).length >= 2 ? true : undefined));
		await until('the companion workflow\'s first poll', async () => (polls(true).length >= 1 ? true : undefined));
		assert.equal((await n8n.executions(WORKFLOWS.approval)).length, 0, 'activation started no approval request');
		assert.equal((await n8n.waitingExecutions(WORKFLOWS.approval)).length, 0, 'activation started no approval request that waits');
	});
	if (!ready) {
		for (const name of names) suite.fail(name, 'the approval examples could not be activated');
		return;
	}

	const since = Date.now();
	const approveMe = sim.createPendingAction({ did: 101, score: 0.91 });
	const declineMe = sim.createPendingAction({ did: 102, score: 0.42 });
	const hostname = (did: number) => sim.devices().find((d) => d.did === did)?.hostname;
	const answers = new Map<number, Answer>([
		[approveMe.codeid, { name: 'Alice Analyst', decision: 'Approve', reason: 'Confirmed beaconing, ticket SOC-4711' }],
		[declineMe.codeid, { name: 'Bob Reviewer', decision: 'Decline', reason: 'Known backup traffic, false positive' }],
	]);
	const answered: number[] = [];

	/** Answers the next waiting request (whichever action it asks about) and waits until n8n moved on. */
	const answerNext = async (): Promise<number> => {
		const request = await until('an approval request waiting at the form', async () => {
			const waiting = (await waitingRequests(ctx)).filter((r) => !answered.includes(r.codeid));
			return waiting[0];
		});
		const answer = answers.get(request.codeid);
		assert.ok(answer, `the form asks about action ${request.codeid}, one of those created (${[...answers.keys()].join(', ')})`);
		assert.match(request.url, /^http:\/\/127\.0\.0\.1:\d+\/form-waiting\/\d+/, `the approval link is n8n's form resume URL: ${request.url}`);
		const page = await answerForm(request.url, answer);
		const action = sim.action(request.codeid);
		assert.ok(page.includes(String(hostname(action?.did ?? 0))), 'the form shows the device the action is on');
		assert.ok(page.includes(`Code ID ${request.codeid}`), 'the form shows the code ID');
		// What the approver needs on one screen: links into the Threat Visualizer and the model breach.
		const text = htmlText(page);
		const breach = sim.breach(action?.pbid ?? 0);
		assert.ok(breach, `the simulator has the breach of action ${request.codeid}`);
		for (const [what, shown] of [
			['the device link', `${sim.url}/#device/${action?.did}`],
			['the model breach link', `${sim.url}/#modelbreach/${breach.pbid}`],
			['the model name', breach.then.name],
			['the model category', `(${breach.then.category}, breach score ${breach.score},`],
		] as const) {
			assert.ok(text.includes(shown), `the form shows ${what}: "${shown}" (page text: ${text.slice(0, 2000)})`);
		}
		answered.push(request.codeid);
		ctx.print(`      ${answer.name} answered "${answer.decision}" for action ${request.codeid} at ${request.url}`);
		// n8n moved on: the execution finished, or it asks again (the next action of the same poll).
		await until('the execution to resume', async () => {
			const now = await n8n.execution(request.execution.id);
			if (now?.status === 'success') return true;
			if (now?.status === 'waiting') {
				const runs = executionRun(WORKFLOWS.approval, now).nodes['Approval request'] ?? [];
				return runs.length > request.asked ? true : undefined;
			}
			if (now && now.status !== 'running' && now.status !== 'new') assert.fail(`execution ${now.id} ended ${now.status}`);
			return undefined;
		});
		return request.codeid;
	};

	const first = { codeid: 0 };
	await suite.test(names[0], async () => {
		// Answer whichever comes first; the other is answered in the next test.
		first.codeid = await answerNext();
		const codeid = first.codeid === approveMe.codeid ? first.codeid : await answerNext();
		const after = sim.action(codeid);
		assert.equal(after && simState(after, sim.now()), 'active', `action ${codeid} is active`);
		const entry = lastHistory(after);
		assert.equal(entry?.username, RESPOND_USER);
		assert.equal(entry?.reason, 'Approved by Alice Analyst in n8n: Confirmed beaconing, ticket SOC-4711');
	});

	await suite.test(names[1], async () => {
		if (!answered.includes(declineMe.codeid)) await answerNext();
		const after = sim.action(declineMe.codeid);
		assert.equal(after && simState(after, sim.now()), 'cleared', `action ${declineMe.codeid} is cleared`);
		const entry = lastHistory(after);
		assert.equal(entry?.username, RESPOND_USER);
		assert.equal(entry?.reason, 'Declined by Bob Reviewer in n8n: Known backup traffic, false positive');
		const list = await n8n.waitForExecutions(WORKFLOWS.approval, 1);
		for (const execution of list) assert.equal(execution.status, 'success', `execution ${execution.id} finished (${execution.status})`);
		const requests = sim.requests().filter((r) => r.time >= since);
		assertAllSigned(requests);
		assert.deepEqual(
			writesOf(requests).map((r) => {
				const body = JSON.parse(r.body) as Json;
				return [body.codeid, body.activate === true ? 'activate' : body.clear === true ? 'clear' : JSON.stringify(body)];
			}),
			[
				[first.codeid, first.codeid === approveMe.codeid ? 'activate' : 'clear'],
				[first.codeid === approveMe.codeid ? declineMe.codeid : approveMe.codeid, first.codeid === approveMe.codeid ? 'clear' : 'activate'],
			],
			'exactly one write per answer, in the order answered',
		);
	});

	await suite.test(names[2], async () => {
		const items = await until('the companion to report the cleared action', async () => {
			const list = await n8n.executions(WORKFLOWS.approvalClosed);
			const closed = list
				.filter((e) => e.status === 'success')
				.flatMap((e) => (executionRun(WORKFLOWS.approvalClosed, e).nodes['Request closed'] ?? []).flat().map((i) => i.json));
			const mine = closed.filter((item) => item.codeid === declineMe.codeid);
			return mine.length > 0 ? { closed, mine } : undefined;
		});
		assert.equal(items.mine.length, 1, 'the cleared action is reported once');
		const [report] = items.mine;
		assert.equal(report.status, 'cleared');
		assert.equal(report.closedBy, RESPOND_USER);
		assert.equal(report.eventId, `${declineMe.codeid}:actionCleared`);
		assert.match(String(report.summary), /^Cleared: .+ \(code ID \d+\) by soc-respond: Declined by Bob Reviewer in n8n: Known backup traffic, false positive$/);
		assert.equal(items.closed.filter((item) => item.codeid === approveMe.codeid).length, 0, 'the approved action is not reported');
	});

	await activate(ctx, WORKFLOWS.approval, false);
	await activate(ctx, WORKFLOWS.approvalClosed, false);
}
