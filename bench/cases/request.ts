/** One signed request: Summary: Get through our node, against n8n's own httpRequest and raw undici. */
import type { IDataObject } from 'n8n-workflow';

import { DarktraceRespond } from '../../nodes/Darktrace/DarktraceRespond.node';
import { READS_IN_FLIGHT } from '../../nodes/Darktrace/actions/common.descriptions';
import { executeNode, type NodeUnderTest } from '../../test/harness';
import { credentialedFloorNode, httpRequestFloorNode } from '../floor-node';
import { hooked } from '../hooked-node';
import { loadHttpRequestNode } from '../http-request-node';
import { interleaved, pairedRatio, pairedRatios, type Side } from '../measure';
import { measure, result } from '../report';
import type { BenchCase } from '../settings';
import { rawGetJson, signedHeaders } from '../sim';
import { loadVariants } from '../variant';

const TARGET = '/antigena/summary';

async function firstJson(node: NodeUnderTest): Promise<IDataObject> {
	const { output } = await executeNode(node);
	const json = output?.[0]?.[0]?.json;
	if (!json || typeof json.pendingCount !== 'number')
		throw new Error(`${node.type.description.name} did not return the summary`);
	return json;
}

/**
 * Items of the bulk sides: one execution sends this many requests, as the node's defaults send them (reads
 * READS_IN_FLIGHT at a time) against the HTTP Request node, one after another against the bare floor.
 */
const BULK_ITEMS = 10;

export const oneRequest: BenchCase = async ({ sim, settings, log }) => {
	// Timed from executeNode's call to the node's return, both sides alike (see hooked-node.ts).
	const respond = new DarktraceRespond();
	const parameters = { resource: 'summary', operation: 'get' };
	const headers = signedHeaders(sim.token, TARGET);
	const httpRequest = await loadHttpRequestNode(log);
	const types = {
		ours: hooked(respond),
		floor: hooked(httpRequestFloorNode(sim.url + TARGET, headers)),
		floorCopy: hooked(httpRequestFloorNode(sim.url + TARGET, headers)),
		floorWithOurParameters: hooked(httpRequestFloorNode(sim.url + TARGET, headers, respond.description.properties)),
		n8n: hooked(credentialedFloorNode(respond.description, sim.url, TARGET)),
		httpNode: hooked(httpRequest.type),
	};
	const node = (name: keyof typeof types, withParameters: boolean): NodeUnderTest => ({
		type: types[name].type,
		parameters: withParameters ? parameters : {},
		credentials: sim.credentials,
	});
	const ours = node('ours', true);
	// The per-request row compares like with like: the floor node sends its items one after another.
	const oursSequential: NodeUnderTest = { ...ours, parameters: { ...parameters, options: { concurrency: 1 } } };
	const floor = node('floor', false);
	const floorCopy = node('floorCopy', false);
	const floorWithOurParameters = node('floorWithOurParameters', true);
	const n8n = node('n8n', true);
	// What a user builds without our node: an HTTP Request node, Authentication "Predefined Credential
	// Type", our Darktrace credential (its authenticate signs the request), the same GET.
	const httpNode: NodeUnderTest = {
		type: types.httpNode.type,
		// n8n-core lets only this node type use any credential type (FULL_ACCESS_NODE_TYPES).
		name: 'n8n-nodes-base.httpRequest',
		parameters: {
			method: 'GET',
			url: sim.url + TARGET,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'darktraceApi',
		},
		credentials: sim.credentials,
	};
	for (const side of [ours, oursSequential, floor, floorCopy, floorWithOurParameters, n8n, httpNode]) await firstJson(side);
	const bulkItems = Array.from({ length: BULK_ITEMS }, () => ({ json: {} }));
	const perRequest = (ms: number[]) => ms.map((value) => value / BULK_ITEMS);

	const n = settings.requestsPerSample;
	const runs = settings.requestRuns;
	log(`one request: ${settings.warmup + runs} rounds of ${n} turns, one execution per side per turn`);
	// BENCH_VARIANT: copies of the package measured in the same turns (bench/variant.ts).
	const variants = loadVariants().map((variant) => {
		const type = hooked(variant.respond);
		const under: NodeUnderTest = { type: type.type, parameters, credentials: sim.credentials };
		const run = (items = [{ json: {} }]) => executeNode(under, items, 'manual', variant.useCredential);
		return { variant, type, run };
	});
	for (const { run } of variants) await run();
	const variantSides: Record<string, Side> = {};
	for (const { variant, type, run } of variants) {
		variantSides[`v:${variant.name}`] = { call: () => run(), end: type };
		variantSides[`vBulk:${variant.name}`] = { call: () => run(bulkItems), end: type };
	}
	const samples: Record<string, number[]> = await interleaved(
		{
			...variantSides,
			ours: { call: () => executeNode(ours), end: types.ours },
			floor: { call: () => executeNode(floor), end: types.floor },
			floorCopy: { call: () => executeNode(floorCopy), end: types.floorCopy },
			floorWithOurParameters: { call: () => executeNode(floorWithOurParameters), end: types.floorWithOurParameters },
			n8n: { call: () => executeNode(n8n), end: types.n8n },
			raw: { call: () => rawGetJson(sim, TARGET) },
			oursBulk: { call: () => executeNode(ours, bulkItems), end: types.ours },
			oursBulkSequential: { call: () => executeNode(oursSequential, bulkItems), end: types.ours },
			floorBulk: { call: () => executeNode(floor, bulkItems), end: types.floor },
			httpNode: { call: () => executeNode(httpNode), end: types.httpNode },
			httpNodeBulk: { call: () => executeNode(httpNode, bulkItems), end: types.httpNode },
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
	const httpWhat = `n8n's HTTP Request node (n8n-nodes-base ${httpRequest.version}), predefined credential type: our credential`;
	return [
		result({
			id: 'request.httpNode',
			label: "Summary: Get vs n8n's HTTP Request node, 1-item execution",
			ours: oursMeasure,
			floor: measure(httpWhat, 'ms/request', samples.httpNode),
			ratios: pairedRatios(samples.ours, samples.httpNode),
			ratioMeaning: 'time ours/theirs',
			target: { max: 1, of: 'ratio', text: '≤ 1.00' },
			note: 'what a user would build without our node: the same signed GET, same harness',
		}),
		result({
			id: 'request.httpNodeBulk',
			label: `Summary: Get vs n8n's HTTP Request node, ${BULK_ITEMS}-item execution`,
			ours: measure(`Summary: Get × ${BULK_ITEMS} items, per request`, 'ms/request', perRequest(samples.oursBulk)),
			floor: measure(`${httpWhat} × ${BULK_ITEMS} items, per request`, 'ms/request', perRequest(samples.httpNodeBulk)),
			ratios: pairedRatios(samples.oursBulk, samples.httpNodeBulk),
			ratioMeaning: 'time ours/theirs',
			target: { max: 1, of: 'ratio', text: '≤ 1.00' },
			note: `both with their defaults: the HTTP Request node sends an execution's items at once, ours ${READS_IN_FLIGHT} reads at a time (Max Requests in Flight)`,
		}),
		result({
			id: 'request.bulk',
			label: `Same request, per request of a ${BULK_ITEMS}-item execution, vs the bare floor`,
			ours: measure(
				`Summary: Get × ${BULK_ITEMS} items, Max Requests in Flight 1, per request`,
				'ms/request',
				perRequest(samples.oursBulkSequential),
			),
			floor: measure(
				`the n8n floor node × ${BULK_ITEMS} items, per request`,
				'ms/request',
				perRequest(samples.floorBulk),
			),
			ratios: pairedRatios(samples.oursBulkSequential, samples.floorBulk),
			ratioMeaning: 'time ours/floor',
			target: { max: 1.1, of: 'ratio', text: '≤ 1.10' },
			note: 'what each request costs once the per-execution work (workflow, parameter list, context) is shared by the items',
		}),
		result({
			id: 'request.n8nFloor',
			label: "One signed request (1-item execution) vs n8n's bare httpRequest",
			ours: oursMeasure,
			floor: floorMeasure,
			ratios: pairedRatios(samples.ours, samples.floor),
			ratioMeaning: 'time ours/floor',
			target: null,
			note: `retired as a target: the remainder is n8n's per-execution cost. n8n's handling of our parameter list alone (the floor node given our node's parameters) costs ${share(samples.floorWithOurParameters)} × the floor; our description + credential alone ${share(samples.n8n)} ×`,
		}),
		result({
			id: 'request.n8nShare',
			label: 'Same request vs our description + credential alone',
			ours: oursMeasure,
			floor: n8nMeasure,
			ratios: pairedRatios(samples.ours, samples.n8n),
			ratioMeaning: 'time ours/floor',
			target: null,
		}),
		result({
			id: 'request.biasCheck',
			label: 'Bias check: the n8n floor against an identical copy of itself',
			ours: measure('the same floor node, a second instance', 'ms/request', samples.floorCopy),
			floor: floorMeasure,
			ratios: pairedRatios(samples.floorCopy, samples.floor),
			ratioMeaning: 'time copy/floor',
			target: null,
			note: 'should be 1.00: how far from it this run is, is how far any ratio of this case can be off',
		}),
		result({
			id: 'request.rawFloor',
			label: 'Same request vs the machine floor',
			ours: oursMeasure,
			floor: rawMeasure,
			ratios: pairedRatios(samples.ours, samples.raw),
			ratioMeaning: 'time ours/floor',
			target: null,
		}),
		...variants.flatMap(({ variant }) => [
			result({
				id: `variant.${variant.name}.one`,
				label: `Variant ${variant.name} vs ours, 1-item execution`,
				ours: measure(`variant ${variant.name}`, 'ms/request', samples[`v:${variant.name}`]),
				floor: oursMeasure,
				ratios: pairedRatios(samples[`v:${variant.name}`], samples.ours),
				ratioMeaning: 'time variant/ours',
				target: null,
			}),
			result({
				id: `variant.${variant.name}.bulk`,
				label: `Variant ${variant.name} vs ours, ${BULK_ITEMS}-item execution`,
				ours: measure(`variant ${variant.name}, per request`, 'ms/request', perRequest(samples[`vBulk:${variant.name}`])),
				floor: measure('ours, per request', 'ms/request', perRequest(samples.oursBulk)),
				ratios: pairedRatios(samples[`vBulk:${variant.name}`], samples.oursBulk),
				ratioMeaning: 'time variant/ours',
				target: null,
			}),
			result({
				id: `variant.${variant.name}.httpNode`,
				label: `Variant ${variant.name} vs n8n's HTTP Request node, 1-item execution`,
				ours: measure(`variant ${variant.name}`, 'ms/request', samples[`v:${variant.name}`]),
				floor: measure("n8n's HTTP Request node", 'ms/request', samples.httpNode),
				ratios: pairedRatios(samples[`v:${variant.name}`], samples.httpNode),
				ratioMeaning: 'time variant/theirs',
				target: { max: 1, of: 'ratio', text: '≤ 1.00' },
			}),
			result({
				id: `variant.${variant.name}.bulkFloor`,
				label: `Variant ${variant.name}, per request of a ${BULK_ITEMS}-item execution, vs the bare floor`,
				ours: measure(`variant ${variant.name}, per request`, 'ms/request', perRequest(samples[`vBulk:${variant.name}`])),
				floor: measure('the n8n floor node, per request', 'ms/request', perRequest(samples.floorBulk)),
				ratios: pairedRatios(samples[`vBulk:${variant.name}`], samples.floorBulk),
				ratioMeaning: 'time variant/floor',
				target: { max: 1.1, of: 'ratio', text: '≤ 1.10' },
			}),
		]),
	];
};
