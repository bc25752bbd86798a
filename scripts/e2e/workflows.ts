/**
 * The example workflows run with the n8n CLI against the simulator: each asserts on the workflow's
 * output and on the simulator's resulting state and request log.
 */
import assert from 'node:assert/strict';
import { WORKFLOWS } from '../lib/examples';
import {
	assertAllSigned,
	assertNear,
	itemsOf,
	lastHistory,
	pendingActions,
	runExample,
	simState,
	sortedIds,
	writesOf,
	type E2eContext,
} from './context';

const THRESHOLD = 0.7;
const RESPOND_USER = 'soc-respond';

async function approveHighScore(ctx: E2eContext): Promise<void> {
	const { sim } = ctx;
	// Make sure both sides of the threshold are present, whatever earlier runs left.
	sim.createPendingAction({ did: 203, score: 0.95 });
	sim.createPendingAction({ did: 204, score: 0.2 });
	const before = pendingActions(sim);
	const expected = before.filter((a) => a.score >= THRESHOLD);
	const below = before.filter((a) => a.score < THRESHOLD);
	sim.clearRequests();

	const run = await runExample(ctx, WORKFLOWS.approve);

	const listed = itemsOf(run, 'List pending actions');
	assert.deepEqual(sortedIds(listed), sortedIds(before), 'the listing returns exactly the pending actions');
	const devices = new Map(sim.devices().map((d) => [d.did, d]));
	for (const item of listed) {
		assert.equal(item.state, 'pending');
		const device = item.device as Record<string, unknown> | undefined;
		assert.equal(device?.hostname, devices.get(Number(item.did))?.hostname, `device details of action ${item.codeid}`);
	}
	const approved = itemsOf(run, 'Approve action');
	assert.deepEqual(sortedIds(approved), sortedIds(expected), `approved exactly the pending actions scoring >= ${THRESHOLD}`);
	for (const item of approved) {
		assert.equal(item.success, true);
		assert.equal(item.operation, 'activate');
	}
	const now = sim.now();
	for (const a of expected) {
		const after = sim.action(a.codeid);
		assert.equal(after && simState(after, now), 'active', `action ${a.codeid} is active`);
		const entry = lastHistory(after);
		assert.equal(entry?.username, RESPOND_USER);
		assert.equal(entry?.reason, `Approved by n8n: score ${a.score} on ${devices.get(a.did)?.hostname}`);
	}
	for (const a of below) {
		const after = sim.action(a.codeid);
		assert.equal(after && simState(after, now), 'pending', `action ${a.codeid} (score ${a.score}) stays pending`);
	}
	const requests = sim.requests();
	assertAllSigned(requests);
	assert.equal(writesOf(requests).length, expected.length, 'one write per approved action');
}

async function blockExtendClear(ctx: E2eContext): Promise<void> {
	const { sim } = ctx;
	sim.clearRequests();
	const run = await runExample(ctx, WORKFLOWS.blockConnections);

	const [created] = itemsOf(run, 'Block matching connections');
	const codeid = Number(created.codeid);
	assert.ok(codeid > 0, `createManual returned a code ID (${JSON.stringify(created)})`);
	assert.equal(created.inhibitor, 'connection');
	assert.equal(created.label, 'Block matching connections');
	const action = sim.action(codeid);
	assert.ok(action, `the simulator has action ${codeid}`);
	assert.equal(action.manual, true);
	assert.equal(action.action, 'connection');
	assert.equal(action.did, 107);
	assert.deepEqual(action.connections, [
		{ src: '10.0.10.107', dst: '185.220.101.4', port: 443 },
		{ src: '10.0.10.107', dst: 'malware-c2.example.net' },
	]);

	const [extended] = itemsOf(run, 'Add 30 minutes');
	assert.equal(extended.codeid, codeid);
	assert.equal(extended.success, true);
	assertNear(Number(extended.remainingBefore), 600, 15, 'remaining seconds before the extension');
	assert.equal(extended.duration, Number(extended.remainingBefore) + 1800, 'the API got the new total (remaining + 30 min)');
	const afterExtend = extended.action as Record<string, unknown>;
	assert.equal(afterExtend.state, 'active');
	assertNear(Number(afterExtend.remainingSeconds), 2400, 15, 'remaining seconds after the extension');

	const [cleared] = itemsOf(run, 'Clear action');
	assert.equal(cleared.success, true);
	assert.equal((cleared.action as Record<string, unknown>).state, 'cleared');

	const final = sim.action(codeid);
	assert.equal(final?.cleared, true, 'the action is cleared on the appliance');
	assert.deepEqual(
		final?.history.map((h) => [h.action, h.username, h.reason]),
		[
			['created', RESPOND_USER, 'Containment: beaconing to a known C2 (ticket SOC-1234)'],
			['extended', RESPOND_USER, 'Investigation still running (ticket SOC-1234)'],
			['cleared', RESPOND_USER, 'Host reimaged, block no longer needed (ticket SOC-1234)'],
		],
	);
	const requests = sim.requests();
	assertAllSigned(requests);
	assert.deepEqual(
		writesOf(requests).map((r) => `${r.method} ${r.path}`),
		['POST /antigena/manual', 'POST /antigena', 'POST /antigena'],
	);
}

async function reactivateExpired(ctx: E2eContext): Promise<void> {
	const { sim } = ctx;
	// An action that expired ten minutes ago: the latest expiry, so the workflow picks it. (Advancing the
	// simulator's clock instead would put n8n's DTAPI-Date outside the appliance's ±30 min window.)
	const now = sim.now();
	const expired = sim.createAction({ did: 205, action: 'quarantine', active: true, start: now - 70 * 60_000, expires: now - 10 * 60_000 });
	assert.equal(simState(expired, now), 'expired');
	const activeBefore = sim.actions().filter((a) => simState(a, now) === 'active').length;
	sim.clearRequests();

	const run = await runExample(ctx, WORKFLOWS.reactivate);

	const [summaryBefore] = itemsOf(run, 'Summary before');
	assert.equal(summaryBefore.activeCount, activeBefore, 'summary before: active count');
	const [picked] = itemsOf(run, 'Keep one');
	assert.equal(picked.codeid, expired.codeid, 'the workflow picked the action that expired last');
	const [reactivated] = itemsOf(run, 'Reactivate for 1 hour');
	assert.equal(reactivated.success, true);
	assert.equal(reactivated.duration, 3600);
	const after = sim.action(expired.codeid);
	assert.equal(after && simState(after, sim.now()), 'active', 'the action is active again');
	assertNear(((after?.expires ?? 0) - sim.now()) / 1000, 3600, 20, 'seconds until the new expiry');
	assert.equal(lastHistory(after)?.action, 'reactivated (expired)');
	assert.equal(lastHistory(after)?.reason, 'Re-applied after expiry: Quarantine device on device 205');
	const [summaryAfter] = itemsOf(run, 'Summary after');
	assert.equal(summaryAfter.activeCount, Number(summaryBefore.activeCount) + 1, 'summary after: one more active action');
	assert.ok((summaryAfter.activeActionDevices as number[]).includes(205), 'summary after lists device 205 as active');
	const requests = sim.requests();
	assertAllSigned(requests);
	assert.equal(writesOf(requests).length, 1, 'exactly one write');
}

async function errorsContinueOnFail(ctx: E2eContext): Promise<void> {
	const { sim } = ctx;
	const firstPending = pendingActions(sim)[0];
	assert.ok(firstPending, 'the simulator has a pending action');
	sim.clearRequests();

	const run = await runExample(ctx, WORKFLOWS.errors);

	const items = itemsOf(run, 'Approve (continue on fail)');
	assert.equal(items.length, 3, 'one output item per input item');
	for (const item of items) {
		assert.equal(typeof item.error, 'string', `an error item: ${JSON.stringify(item)}`);
		assert.ok(typeof item.details === 'string' && item.details.length > 10, 'error items carry the fix in details');
	}
	assert.match(String(items[0].error), /-5/);
	assert.match(String(items[1].error), /abc/);
	assert.match(String(items[2].error), /999999/);
	assert.match(String(items[2].details), /INPUT ERROR/);

	const [readOnly] = itemsOf(run, 'Approve with a read-only token');
	assert.match(String(readOnly.error), /403/);
	assert.equal(simState(sim.action(firstPending.codeid) ?? firstPending, sim.now()), 'pending', 'the action stays pending');

	const requests = sim.requests();
	assertAllSigned(requests);
	assert.equal(writesOf(requests).length, 0, 'nothing changed on the appliance');
	const posts = requests.filter((r) => r.method === 'POST');
	const sent = posts.map((r) => [JSON.parse(r.body).codeid, r.status]);
	assert.deepEqual(sent, [
		[999999, 400],
		[firstPending.codeid, 403],
	], 'the bad code IDs (-5, "abc") were never sent');
}

async function httpRequestNode(ctx: E2eContext): Promise<void> {
	const { sim } = ctx;
	const before = pendingActions(sim);
	assert.ok(before.length > 0, 'the simulator has a pending action');
	sim.clearRequests();

	const run = await runExample(ctx, WORKFLOWS.httpRequest);

	const requests = sim.requests();
	assertAllSigned(requests);
	const get = requests.find((r) => r.method === 'GET');
	assert.ok(get, 'the GET reached the simulator');
	assert.equal(get.status, 200);
	assert.match(get.target, /[?&]from=\d{4}-\d\d-\d\d%20\d\d(:|%3A)\d\d(:|%3A)\d\d(&|$)/, `the space is sent encoded: ${get.target}`);
	assert.match(get.query.from, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
	assert.match(get.query.to, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
	const listed = itemsOf(run, 'GET pending actions of the last day');
	assert.deepEqual(sortedIds(listed), sortedIds(before), 'the GET returned the pending actions');

	const post = requests.find((r) => r.method === 'POST');
	assert.ok(post, 'the POST reached the simulator');
	assert.equal(post.status, 200);
	const body = JSON.parse(post.body) as Record<string, unknown>;
	assert.equal(body.codeid, listed[0].codeid);
	assert.equal(body.activate, true);
	assert.deepEqual(itemsOf(run, 'POST /antigena to approve it'), [{ response: 'SUCCESS' }]);
	const approved = sim.action(Number(body.codeid));
	assert.equal(approved && simState(approved, sim.now()), 'active');
	assert.equal(lastHistory(approved)?.reason, 'Approved with the HTTP Request node');
}

export async function workflowTests(ctx: E2eContext): Promise<void> {
	const { suite } = ctx;
	await suite.test('1. pending actions with device details → approve those scoring ≥ 0.7 (Filter node)', () => approveHighScore(ctx));
	await suite.test('2. manual "block matching connections" action → add 30 min → clear', () => blockExtendClear(ctx));
	await suite.test('3. summary → reactivate the latest expired action → summary', () => reactivateExpired(ctx));
	await suite.test('4. bad code IDs and appliance errors with continue on fail', () => errorsContinueOnFail(ctx));
	await suite.test('5. HTTP Request node with the Darktrace credential (GET with from/to, JSON POST)', () => httpRequestNode(ctx));
}
