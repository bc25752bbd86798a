/** One signed request: Summary: Get through our node, against n8n's own httpRequest and raw undici. */
import type { IDataObject } from 'n8n-workflow';

import { DarktraceRespond } from '../../nodes/Darktrace/DarktraceRespond.node';
import { executeNode, type NodeUnderTest } from '../../test/harness';
import { credentialedFloorNode, httpRequestFloorNode } from '../floor-node';
import { hooked } from '../hooked-node';
import { interleaved, pairedRatio } from '../measure';
import { measure, result } from '../report';
import type { BenchCase } from '../settings';
import { rawGetJson, signedHeaders } from '../sim';

const TARGET = '/antigena/summary';

async function firstJson(node: NodeUnderTest): Promise<IDataObject> {
	const { output } = await executeNode(node);
	const json = output?.[0]?.[0]?.json;
	if (!json || typeof json.pendingCount !== 'number')
		throw new Error(`${node.type.description.name} did not return the summary`);
	return json;
}

/** Items of the bulk side: one execution sends this many requests, one after another. */
const BULK_ITEMS = 10;

export const oneRequest: BenchCase = async ({ sim, settings, log }) => {
	// Timed from executeNode's call to the node's return, both sides alike (see hooked-node.ts).
	const respond = new DarktraceRespond();
	const parameters = { resource: 'summary', operation: 'get' };
	const headers = signedHeaders(sim.token, TARGET);
	const types = {
		ours: hooked(respond),
		floor: hooked(httpRequestFloorNode(sim.url + TARGET, headers)),
		floorCopy: hooked(httpRequestFloorNode(sim.url + TARGET, headers)),
		floorWithOurParameters: hooked(httpRequestFloorNode(sim.url + TARGET, headers, respond.description.properties)),
		n8n: hooked(credentialedFloorNode(respond.description, sim.url, TARGET)),
	};
	const node = (name: keyof typeof types, withParameters: boolean): NodeUnderTest => ({
		type: types[name].type,
		parameters: withParameters ? parameters : {},
		credentials: sim.credentials,
	});
	const ours = node('ours', true);
	const floor = node('floor', false);
	const floorCopy = node('floorCopy', false);
	const floorWithOurParameters = node('floorWithOurParameters', true);
	const n8n = node('n8n', true);
	for (const side of [ours, floor, floorCopy, floorWithOurParameters, n8n]) await firstJson(side);
	const bulkItems = Array.from({ length: BULK_ITEMS }, () => ({ json: {} }));
	const perRequest = (ms: number[]) => ms.map((value) => value / BULK_ITEMS);

	const n = settings.requestsPerSample;
	const runs = settings.requestRuns;
	log(`one request: ${settings.warmup + runs} rounds of ${n} turns, one execution per side per turn`);
	const samples = await interleaved(
		{
			ours: { call: () => executeNode(ours), end: types.ours },
			floor: { call: () => executeNode(floor), end: types.floor },
			floorCopy: { call: () => executeNode(floorCopy), end: types.floorCopy },
			floorWithOurParameters: { call: () => executeNode(floorWithOurParameters), end: types.floorWithOurParameters },
			n8n: { call: () => executeNode(n8n), end: types.n8n },
			raw: { call: () => rawGetJson(sim, TARGET) },
			oursBulk: { call: () => executeNode(ours, bulkItems), end: types.ours },
			floorBulk: { call: () => executeNode(floor, bulkItems), end: types.floor },
		},
		n,
		{ warmup: settings.warmup, runs },
	);
	const oursMeasure = measure('Summary: Get, our node in n8n-core ExecuteContext', 'ms/request', samples.ours);
	const floorMeasure = measure("n8n's httpRequest, precomputed headers, same harness", 'ms/request', samples.floor);
	const rawMeasure = measure('raw undici + inline HMAC + JSON.parse', 'ms/request', samples.raw);
	const n8nMeasure = measure(
		'our description and credential without our node code: 1 parameter read + httpRequestWithAuthentication',
		'ms/request',
		samples.n8n,
	);
	const share = (side: number[]) => pairedRatio(side, samples.floor).toFixed(2);
	return [
		result({
			id: 'request.n8nFloor',
			label: 'One signed request (Summary: Get)',
			ours: oursMeasure,
			floor: floorMeasure,
			ratio: pairedRatio(samples.ours, samples.floor),
			ratioMeaning: 'time ours/floor',
			target: { max: 1.1, of: 'ratio', text: '≤ 1.10' },
			note: `n8n's per-execution handling of our parameter list alone (the floor node given our node's parameters) costs ${share(samples.floorWithOurParameters)} × the floor; our description + credential alone ${share(samples.n8n)} ×`,
		}),
		result({
			id: 'request.bulk',
			label: `Same request, per request of a ${BULK_ITEMS}-item execution`,
			ours: measure(`Summary: Get × ${BULK_ITEMS} items, per request`, 'ms/request', perRequest(samples.oursBulk)),
			floor: measure(
				`the n8n floor node × ${BULK_ITEMS} items, per request`,
				'ms/request',
				perRequest(samples.floorBulk),
			),
			ratio: pairedRatio(samples.oursBulk, samples.floorBulk),
			ratioMeaning: 'time ours/floor',
			target: null,
			note: 'what each request costs once the per-execution work (workflow, parameter list, context) is shared by the items',
		}),
		result({
			id: 'request.n8nShare',
			label: 'Same request vs our description + credential alone',
			ours: oursMeasure,
			floor: n8nMeasure,
			ratio: pairedRatio(samples.ours, samples.n8n),
			ratioMeaning: 'time ours/floor',
			target: null,
		}),
		result({
			id: 'request.biasCheck',
			label: 'Bias check: the n8n floor against an identical copy of itself',
			ours: measure('the same floor node, a second instance', 'ms/request', samples.floorCopy),
			floor: floorMeasure,
			ratio: pairedRatio(samples.floorCopy, samples.floor),
			ratioMeaning: 'time copy/floor',
			target: null,
			note: 'should be 1.00: how far from it this run is, is how far any ratio of this case can be off',
		}),
		result({
			id: 'request.rawFloor',
			label: 'Same request vs the machine floor',
			ours: oursMeasure,
			floor: rawMeasure,
			ratio: pairedRatio(samples.ours, samples.raw),
			ratioMeaning: 'time ours/floor',
			target: null,
		}),
	];
};
