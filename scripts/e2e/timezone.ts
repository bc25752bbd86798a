/**
 * A workflow whose time zone is not UTC (Asia/Tokyo): time windows written without an offset, as n8n's
 * date picker stores them, reach the appliance as epoch ms read in that zone; epoch ms pass unchanged.
 */
import assert from 'node:assert/strict';
import { CREDENTIALS } from '../lib/examples';
import type { WorkflowJson } from '../lib/n8n';
import { assertAllSigned, itemsOf, type E2eContext } from './context';

const ID = 'DtE2eTimeZone001';
const PACKAGE_NODE = 'n8n-nodes-darktrace.darktraceRespond';

function workflow(): WorkflowJson {
	const node = (name: string, x: number, parameters: Record<string, unknown>) => ({
		id: `tz-${x}`,
		name,
		type: PACKAGE_NODE,
		typeVersion: 1,
		position: [x, 0],
		parameters,
		credentials: { darktraceApi: CREDENTIALS.respond },
	});
	return {
		id: ID,
		name: 'Time window in Asia/Tokyo',
		active: false,
		settings: { executionOrder: 'v1', timezone: 'Asia/Tokyo' },
		nodes: [
			{
				id: 'tz-run',
				name: 'Run',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			node('Get Many in Tokyo', 240, {
				resource: 'action',
				operation: 'getMany',
				returnAll: true,
				filters: { startTime: '2026-01-01T00:00:00', endTime: '2026-01-02T00:00:00' },
			}),
			node('Summary in Tokyo', 480, {
				resource: 'summary',
				operation: 'get',
				options: { startTime: '1767225600000', endTime: '2026-01-01T12:30:00' },
			}),
		],
		// Both from Run: a window with no actions gives Get Many no output, which would skip a node after it.
		connections: {
			Run: {
				main: [
					[
						{ node: 'Get Many in Tokyo', type: 'main', index: 0 },
						{ node: 'Summary in Tokyo', type: 'main', index: 0 },
					],
				],
			},
		},
	} as unknown as WorkflowJson;
}

async function timeZoneWorkflow(ctx: E2eContext): Promise<void> {
	const { sim, session } = ctx;
	await session.n8n.importWorkflows([workflow()]);
	sim.clearRequests();
	const run = await session.n8n.execute(ID);
	assert.ok(run.ok, `the workflow failed: ${run.error}`);
	const requests = sim.requests();
	assertAllSigned(requests);
	// Tokyo is UTC+9 all year: local midnight on 1 January is 15:00 UTC on 31 December.
	assert.deepEqual(
		requests.map((r) => r.target).sort(),
		[
			`/antigena?starttime=${Date.parse('2025-12-31T15:00:00Z')}&endtime=${Date.parse('2026-01-01T15:00:00Z')}`,
			`/antigena/summary?starttime=1767225600000&endtime=${Date.parse('2026-01-01T03:30:00Z')}`,
		].sort(),
	);
	const [summary] = itemsOf(run, 'Summary in Tokyo');
	assert.equal(summary.starttime, 1767225600000);
	assert.equal(summary.endtime, Date.parse('2026-01-01T03:30:00Z'));
}

export async function timeZoneTests(ctx: E2eContext): Promise<void> {
	await ctx.suite.test(
		"6. a workflow in Asia/Tokyo: time windows without an offset are read in the workflow's time zone",
		() => timeZoneWorkflow(ctx),
	);
}
