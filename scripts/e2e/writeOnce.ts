/**
 * Write-once in a running `n8n start`, as a user meets it: a webhook workflow whose Create Manual Action
 * is answered 502 after the appliance applied it, with Retry On Fail on; and failed executions of
 * writes whose answers were lost, retried from the executions list (n8n's REST retry).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CREDENTIALS } from '../lib/examples';
import type { Execution, Item } from '../lib/n8n';
import { sleep } from '../lib/proc';
import type { SimAction } from '../../simulator';
import type { E2eContext, Json } from './context';

const RESPOND_NODE = 'Darktrace RESPOND';

/** A workflow: a webhook (POST /webhook/<path>, the body as the item) → one RESPOND write. */
function webhookWorkflow(path: string, parameters: Json, settings: Json = {}): Json {
	return {
		name: `e2e write-once ${path}`,
		active: false,
		settings: { executionOrder: 'v1', saveManualExecutions: true },
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			},
			{
				id: randomUUID(),
				name: RESPOND_NODE,
				type: 'n8n-nodes-darktrace.darktraceRespond',
				typeVersion: 1,
				position: [220, 0],
				parameters,
				credentials: { darktraceApi: { id: CREDENTIALS.respond.id, name: CREDENTIALS.respond.name } },
				...settings,
			},
		],
		connections: { Webhook: { main: [[{ node: RESPOND_NODE, type: 'main', index: 0 }]] } },
	};
}

async function createActive(ctx: E2eContext, workflow: Json): Promise<string> {
	const { n8n } = ctx.session;
	const created = await n8n.rest<{ data?: { id?: string } }>('POST', '/workflows', workflow);
	const id = created.body.data?.id;
	assert.ok(
		created.status === 200 && id,
		`creating a workflow: HTTP ${created.status} ${JSON.stringify(created.body)}`,
	);
	const on = await n8n.api('POST', `/workflows/${id}/activate`);
	assert.equal(on.status, 200, `activate: HTTP ${on.status} ${JSON.stringify(on.body)}`);
	return id;
}

/** Calls the webhook once it is registered: n8n 2.x activates a workflow asynchronously (until then the
 * webhook answers 404 and runs nothing). */
async function callWebhook(ctx: E2eContext, path: string, body: Json): Promise<void> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const response = await fetch(`${ctx.session.n8n.baseUrl}/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
		const text = await response.text();
		if (response.status === 404 && Date.now() < deadline) {
			await sleep(250);
			continue;
		}
		assert.equal(response.status, 200, `webhook ${path}: HTTP ${response.status} ${text}`);
		return;
	}
}

function respondItems(execution: Execution): Json[] {
	const runs = execution.data?.resultData?.runData?.[RESPOND_NODE] ?? [];
	const items = (runs.at(-1)?.data?.main?.[0] ?? []) as Item[];
	return items.map((item) => item.json as Json);
}

/** n8n's REST retry of a failed execution ("Retry with original workflow"); answers when it finished. */
async function retryExecution(ctx: E2eContext, id: string): Promise<void> {
	const retried = await ctx.session.n8n.rest('POST', `/executions/${id}/retry`, {});
	assert.equal(retried.status, 200, `retry of execution ${id}: HTTP ${retried.status} ${JSON.stringify(retried.body)}`);
}

const manualActions = (ctx: E2eContext, reason: string): SimAction[] =>
	ctx.sim.actions().filter((a) => a.manual && (a.triggerer as { reason?: string } | null)?.reason === reason);
const posts = (ctx: E2eContext, since: number) =>
	ctx.sim.requests().filter((r) => r.method === 'POST' && r.time >= since);

export async function writeOnceTests(ctx: E2eContext): Promise<void> {
	const { suite, sim } = ctx;
	const { n8n } = ctx.session;
	const network = () => sim.devices().filter((d) => d.sensorType === 'network');

	await suite.test(
		'write-once: Retry On Fail on a Create Manual answered 502 after applying → one action',
		async () => {
			const reason = `e2e retry-on-fail ${Date.now()}`;
			const id = await createActive(
				ctx,
				webhookWorkflow(
					'dt-write-once-retry-on-fail',
					{
						resource: 'action',
						operation: 'createManual',
						did: '={{ $json.body.did }}',
						inhibitor: 'quarantineOutgoing',
						duration: 600,
						reason: '={{ $json.body.reason }}',
						options: {},
					},
					{ retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 },
				),
			);
			const since = Date.now();
			sim.injectFault({ kind: 'status-after-write', status: 502, method: 'POST', path: '/antigena/manual', times: 1 });
			await callWebhook(ctx, 'dt-write-once-retry-on-fail', { did: network()[0].did, reason });
			const [execution] = await n8n.waitForExecutions(id, 1, 60_000);
			assert.equal(execution.status, 'success', `the execution ${execution.id} is ${execution.status}`);
			assert.equal(posts(ctx, since).length, 1, 'one POST reached the appliance');
			const created = manualActions(ctx, reason);
			assert.equal(created.length, 1, 'one manual action on the appliance');
			const [out] = respondItems(execution);
			assert.equal(out.codeid, created[0].codeid);
			assert.equal(out.alreadyApplied, true);
		},
	);

	/**
	 * Runs a webhook workflow whose one write is applied but answered 502, asserts the execution failed,
	 * retries it from the executions list and returns the retried execution after checking it succeeded
	 * with `alreadyApplied` and that no second POST was sent.
	 */
	const failThenRetry = async (path: string, parameters: Json, body: Json, faultPath: string) => {
		const id = await createActive(ctx, webhookWorkflow(path, parameters));
		const since = Date.now();
		sim.injectFault({ kind: 'status-after-write', status: 502, method: 'POST', path: faultPath, times: 1 });
		await callWebhook(ctx, path, body);
		const [failed] = await n8n.waitForExecutions(id, 1, 60_000);
		assert.equal(failed.status, 'error', `the first execution is ${failed.status}`);
		await retryExecution(ctx, failed.id);
		const retry = (await n8n.waitForExecutions(id, 2, 60_000)).find((e) => e.id !== failed.id) as Execution;
		assert.equal(retry.mode, 'retry');
		assert.equal(retry.status, 'success', `the retried execution is ${retry.status}`);
		assert.equal(respondItems(retry)[0]?.alreadyApplied, true);
		assert.equal(posts(ctx, since).length, 1, 'one POST reached the appliance');
	};

	await suite.test(
		'write-once: a failed Create Manual (answer lost), retried from the executions list → still one action',
		async () => {
			const reason = `e2e retried execution ${Date.now()}`;
			const parameters = {
				resource: 'action',
				operation: 'createManual',
				did: '={{ $json.body.did }}',
				inhibitor: 'quarantineIncoming',
				duration: 600,
				reason: '={{ $json.body.reason }}',
				options: {},
			};
			await failThenRetry(
				'dt-write-once-retry-create',
				parameters,
				{ did: network()[1].did, reason },
				'/antigena/manual',
			);
			assert.equal(manualActions(ctx, reason).length, 1, 'one manual action');
		},
	);

	await suite.test(
		'write-once: a failed Extend by Add Time (answer lost), retried from the executions list → one extension',
		async () => {
			const target = sim.createAction({ active: true, needconfirming: false, expires: sim.now() + 3600_000 });
			const expectedExpiry = target.expires + 1800_000;
			const parameters = {
				resource: 'action',
				operation: 'extend',
				codeId: '={{ $json.body.codeid }}',
				extendMode: 'addTime',
				duration: 1800,
				reason: '={{ $json.body.reason }}',
				options: {},
			};
			await failThenRetry(
				'dt-write-once-retry-extend',
				parameters,
				{ codeid: target.codeid, reason: `e2e add time ${Date.now()}` },
				'/antigena',
			);
			const extensions = sim.action(target.codeid)?.history.filter((h) => h.action === 'extended') ?? [];
			assert.equal(extensions.length, 1, 'one extension in the history');
			const expires = sim.action(target.codeid)?.expires ?? 0;
			assert.ok(
				Math.abs(expires - expectedExpiry) < 10_000,
				`the expiry moved by 30 minutes once (${expires - target.expires} ms)`,
			);
		},
	);
}
