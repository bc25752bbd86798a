/** One signed request: Summary: Get through our node, against n8n's own httpRequest and raw undici. */
import type { IDataObject } from 'n8n-workflow';

import { DarktraceRespond } from '../../nodes/Darktrace/DarktraceRespond.node';
import { executeNode, type NodeUnderTest } from '../../test/harness';
import { credentialedFloorNode, httpRequestFloorNode } from '../floor-node';
import { hooked } from '../hooked-node';
import { msPerCall, pairedRatio, rounds } from '../measure';
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

export const oneRequest: BenchCase = async ({ sim, settings, log }) => {
	// Timed from executeNode's call to the node's return, both sides alike (see hooked-node.ts).
	const respond = new DarktraceRespond();
	const parameters = { resource: 'summary', operation: 'get' };
	const oursType = hooked(respond);
	const floorType = hooked(httpRequestFloorNode(sim.url + TARGET, signedHeaders(sim.token, TARGET)));
	const n8nType = hooked(credentialedFloorNode(respond.description, sim.url, TARGET));
	const ours: NodeUnderTest = { type: oursType.type, parameters, credentials: sim.credentials };
	const floor: NodeUnderTest = { type: floorType.type, parameters: {}, credentials: sim.credentials };
	const n8n: NodeUnderTest = { type: n8nType.type, parameters, credentials: sim.credentials };
	for (const node of [ours, floor, n8n]) await firstJson(node);

	const n = settings.requestsPerSample;
	const runs = settings.requestRuns;
	log(`one request: ${settings.warmup + runs} rounds of ${n} sequential requests per side`);
	const samples = await rounds(
		{
			ours: () => msPerCall(n, () => executeNode(ours), oursType),
			floor: () => msPerCall(n, () => executeNode(floor), floorType),
			n8n: () => msPerCall(n, () => executeNode(n8n), n8nType),
			raw: () => msPerCall(n, () => rawGetJson(sim, TARGET)),
		},
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
	return [
		result({
			id: 'request.n8nFloor',
			label: 'One signed request (Summary: Get)',
			ours: oursMeasure,
			floor: floorMeasure,
			ratio: pairedRatio(samples.ours, samples.floor),
			ratioMeaning: 'time ours/floor',
			target: { max: 1.1, of: 'ratio', text: '≤ 1.10' },
		}),
		result({
			id: 'request.n8nShare',
			label: 'Same request vs our description + credential alone',
			ours: oursMeasure,
			floor: n8nMeasure,
			ratio: pairedRatio(samples.ours, samples.n8n),
			ratioMeaning: 'time ours/floor',
			target: null,
			note: `the description + credential alone cost ${pairedRatio(samples.n8n, samples.floor).toFixed(2)} × the n8n floor; the rest of the first row is our node code`,
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
