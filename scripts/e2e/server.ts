/**
 * Tests against a running `n8n start`: the trigger in an active workflow (executions read through
 * n8n's public API, across a restart) and the credential test through n8n's REST API.
 */
import assert from 'node:assert/strict';
import { DARKTRACE_CREDENTIAL_TYPE } from '../../credentials/common/fields';
import { CREDENTIALS, WORKFLOWS, darktraceCredential } from '../lib/examples';
import { executionRun, type CredentialFixture, type Execution } from '../lib/n8n';
import { sleep } from '../lib/proc';
import type { Simulator } from '../../simulator';
import { assertAllSigned, itemsOf, pendingActions, type E2eContext, type Json } from './context';

const TRIGGER_NODE = 'Darktrace RESPOND Trigger';
/** How long to wait for a poll, and how long "nothing happens" is watched. */
const POLL_WAIT_MS = 30_000;
const QUIET_MS = 4000;

export const CREDENTIAL_TESTS = {
	good: { id: 'DtCredTestGood01', name: 'Credential test: good' },
	wrongKey: { id: 'DtCredTestBadKey', name: 'Credential test: wrong private token' },
	tls: { id: 'DtCredTestTls001', name: 'Credential test: self-signed TLS' },
	tlsIgnored: { id: 'DtCredTestTlsOff', name: 'Credential test: self-signed TLS, ignored' },
} as const;

/** A private token of the right shape that matches no token on the simulator. */
export const WRONG_PRIVATE_TOKEN = 'wrongwrongwrongwrongwrongwrongwrongwrong';

/** The credentials the credential tests need, imported with the session. */
export function credentialTestFixtures(sim: Simulator, tlsSim: Simulator): CredentialFixture[] {
	const token = sim.token('respond');
	return [
		darktraceCredential(CREDENTIAL_TESTS.good, sim.url, token),
		darktraceCredential(CREDENTIAL_TESTS.wrongKey, sim.url, { public: token.public, private: WRONG_PRIVATE_TOKEN }),
		darktraceCredential(CREDENTIAL_TESTS.tls, tlsSim.url, tlsSim.token('respond')),
		darktraceCredential(CREDENTIAL_TESTS.tlsIgnored, tlsSim.url, tlsSim.token('respond'), { ignoreSslIssues: true }),
	];
}

/** Waits for the trigger's poll (a GET /antigena after `since`), then a quiet period. */
async function waitForPoll(sim: Simulator, since: number): Promise<void> {
	const deadline = Date.now() + POLL_WAIT_MS;
	while (!sim.requests().some((r) => r.method === 'GET' && r.path === '/antigena' && r.time >= since)) {
		if (Date.now() > deadline) assert.fail('the trigger did not poll the simulator');
		await sleep(200);
	}
	await sleep(QUIET_MS);
}

function triggerItems(execution: Execution): Json[] {
	return itemsOf(executionRun(WORKFLOWS.trigger, execution), TRIGGER_NODE);
}

function codeids(items: Json[]): number[] {
	return items.map((item) => Number(item.codeid)).sort((a, b) => a - b);
}

/** Deactivates and activates the trigger workflow through the public API: n8n polls at once. */
async function repoll(ctx: E2eContext): Promise<void> {
	const { n8n } = ctx.session;
	const off = await n8n.api('POST', `/workflows/${WORKFLOWS.trigger}/deactivate`);
	assert.equal(off.status, 200, `deactivate: HTTP ${off.status} ${JSON.stringify(off.body)}`);
	const on = await n8n.api('POST', `/workflows/${WORKFLOWS.trigger}/activate`);
	assert.equal(on.status, 200, `activate: HTTP ${on.status} ${JSON.stringify(on.body)}`);
}

/** Every action the trigger emitted so far, in order, with the execution that emitted it. */
function emitted(list: Execution[]): number[] {
	return list.flatMap((e) => codeids(triggerItems(e)));
}

function assertOnce(list: Execution[]): void {
	const all = emitted(list);
	const repeated = all.filter((id, i) => all.indexOf(id) !== i);
	assert.deepEqual(repeated, [], 'no action is emitted twice');
}

async function triggerTests(ctx: E2eContext, startedAt: number, pendingAtStart: number[]): Promise<void> {
	const { suite, sim } = ctx;
	const { n8n } = ctx.session;

	await suite.test('trigger: activation emits the actions already pending, once, with device details', async () => {
		const [first] = await n8n.waitForExecutions(WORKFLOWS.trigger, 1);
		assert.equal(first.status, 'success', `execution status ${first.status}`);
		assert.equal(first.mode, 'trigger');
		const items = triggerItems(first);
		assert.deepEqual(codeids(items), pendingAtStart, 'the first poll emits every action pending at activation');
		for (const item of items) {
			assert.equal(item.event, 'pendingAction');
			assert.equal(item.eventId, `${item.codeid}:pendingAction`);
			assert.equal(item.state, 'pending');
			assert.ok((item.device as Json | undefined)?.hostname, `device details on ${item.codeid}`);
		}
		const triage = itemsOf(executionRun(WORKFLOWS.trigger, first), 'Triage summary');
		assert.equal(triage.length, items.length, 'the next node ran once per emitted action');
		assert.match(String(triage[0]?.summary), /awaiting approval on \S+/);
		assertAllSigned(sim.requests().filter((r) => r.time >= startedAt));
	});

	let newOnes: number[] = [];
	await suite.test('trigger: new pending actions are emitted once (re-poll via deactivate/activate)', async () => {
		newOnes = [sim.createPendingAction({ did: 102, score: 0.81 }).codeid, sim.createPendingAction({ did: 202, score: 0.55 }).codeid];
		await repoll(ctx);
		const list = await n8n.waitForExecutions(WORKFLOWS.trigger, 2);
		assert.equal(list.length, 2, 'exactly one new execution');
		assert.deepEqual(codeids(triggerItems(list[1])), newOnes);
		// Polling again with nothing new starts nothing.
		const since = Date.now();
		await repoll(ctx);
		await waitForPoll(sim, since);
		assert.equal((await n8n.executions(WORKFLOWS.trigger)).length, 2, 'a poll with nothing new starts no execution');
	});

	await suite.test('trigger: after an n8n restart nothing is emitted again; a new action is emitted once', async () => {
		await n8n.stop();
		const since = Date.now();
		await n8n.start();
		await waitForPoll(sim, since);
		assert.equal((await n8n.executions(WORKFLOWS.trigger)).length, 2, 'the restart re-emitted nothing');
		const later = sim.createPendingAction({ did: 105, score: 0.9 }).codeid;
		await repoll(ctx);
		const list = await n8n.waitForExecutions(WORKFLOWS.trigger, 3);
		assert.equal(list.length, 3);
		assert.deepEqual(codeids(triggerItems(list[2])), [later]);
		assertOnce(list);
		assert.deepEqual(emitted(list).sort((a, b) => a - b), [...pendingAtStart, ...newOnes, later].sort((a, b) => a - b));
	});

	await suite.test(PARTIAL_TEST, async () => {
		const before = (await n8n.executions(WORKFLOWS.trigger)).length;
		// An appliance glitch: the next answer lists only the new action, the ones after it everything.
		const fresh = sim.createPendingAction({ did: 102, score: 0.77 }).codeid;
		sim.injectFault({ kind: 'partial', keepCodeids: [fresh], times: 1 });
		await repoll(ctx);
		const list = await n8n.waitForExecutions(WORKFLOWS.trigger, before + 1);
		assert.equal(list.length, before + 1, 'exactly one new execution');
		assert.deepEqual(codeids(triggerItems(list[before])), [fresh]);
		let since = Date.now();
		await repoll(ctx);
		await waitForPoll(sim, since);
		assert.equal((await n8n.executions(WORKFLOWS.trigger)).length, before + 1, 'the full answer re-emitted nothing');
		await n8n.stop();
		since = Date.now();
		await n8n.start();
		await waitForPoll(sim, since);
		since = Date.now();
		await repoll(ctx);
		await waitForPoll(sim, since);
		const after = await n8n.executions(WORKFLOWS.trigger);
		assert.equal(after.length, before + 1, 'after a restart, full answers re-emit nothing');
		assertOnce(after);
	});
}

const PARTIAL_TEST =
	'trigger: a partial answer carrying one new action, then full answers and a restart: the new action once, nothing old again';

interface TestAnswer {
	data?: { status?: string; message?: string };
}

async function credentialTest(ctx: E2eContext, ref: { id: string; name: string }): Promise<{ status: string; message: string }> {
	const { n8n } = ctx.session;
	// As the editor does: load the stored credential (secrets come back redacted), test that.
	const stored = await n8n.rest<{ data?: { data?: Json; type?: string } }>('GET', `/credentials/${ref.id}?includeData=true`);
	assert.equal(stored.status, 200, `GET /rest/credentials/${ref.id}: HTTP ${stored.status}`);
	const data = stored.body.data?.data ?? {};
	const answer = await n8n.rest<TestAnswer>('POST', '/credentials/test', {
		credentials: { id: ref.id, name: ref.name, type: DARKTRACE_CREDENTIAL_TYPE, data },
	});
	assert.equal(answer.status, 200, `POST /rest/credentials/test: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
	ctx.print(`      ${ref.name}: ${answer.body.data?.status} ${answer.body.data?.message ?? ''}`);
	return { status: String(answer.body.data?.status), message: String(answer.body.data?.message ?? '') };
}

async function credentialTests(ctx: E2eContext): Promise<void> {
	const { suite } = ctx;
	await suite.test('credential test: a good credential passes', async () => {
		const result = await credentialTest(ctx, CREDENTIAL_TESTS.good);
		assert.equal(result.status, 'OK', result.message);
		const example = await credentialTest(ctx, CREDENTIALS.respond);
		assert.equal(example.status, 'OK', example.message);
	});
	await suite.test('credential test: a wrong private token fails with the signature message', async () => {
		const result = await credentialTest(ctx, CREDENTIAL_TESTS.wrongKey);
		assert.equal(result.status, 'Error');
		assert.match(result.message, /API SIGNATURE ERROR/);
	});
	await suite.test('credential test: a self-signed certificate fails with a TLS message (verification on)', async () => {
		const result = await credentialTest(ctx, CREDENTIAL_TESTS.tls);
		assert.equal(result.status, 'Error');
		assert.match(result.message, /self[- ]signed|certificate|SELF_SIGNED|UNABLE_TO_VERIFY|CERT_/i);
		const ignored = await credentialTest(ctx, CREDENTIAL_TESTS.tlsIgnored);
		assert.equal(ignored.status, 'OK', `with "Ignore SSL Issues" on: ${ignored.message}`);
	});
}

/**
 * Starts n8n with the trigger workflow active, then runs the trigger and credential tests; with
 * `withTests` false (E2E_ONLY without "trigger") it only starts n8n for the suites that need it.
 */
export async function serverTests(ctx: E2eContext, hasTrigger: boolean, withTests = true): Promise<void> {
	const { suite, sim } = ctx;
	const { n8n } = ctx.session;
	const names = [
		'trigger: activation emits the actions already pending, once, with device details',
		'trigger: new pending actions are emitted once (re-poll via deactivate/activate)',
		'trigger: after an n8n restart nothing is emitted again; a new action is emitted once',
		PARTIAL_TEST,
	];
	if (hasTrigger && withTests) await n8n.activateOffline(WORKFLOWS.trigger);
	const pendingAtStart = pendingActions(sim).map((a) => a.codeid);
	const startedAt = Date.now();
	const ready = await suite.test('n8n start: ready, owner set up, public API key created', async () => {
		await n8n.start();
		await n8n.setupOwner({ email: 'owner@e2e.example.com', password: 'E2e-Owner-Passw0rd', firstName: 'E2E', lastName: 'Owner' });
		await n8n.createApiKey();
	});
	if (!ready) {
		if (withTests) for (const name of names) suite.fail(name, 'n8n did not start');
		return;
	}
	if (!withTests) return;
	if (hasTrigger) {
		await triggerTests(ctx, startedAt, pendingAtStart);
	} else {
		for (const name of names) suite.fail(name, 'the Darktrace RESPOND Trigger is not in the package (package.json n8n.nodes)');
	}
	await credentialTests(ctx);
}
