/**
 * The large lists: Get Many of 10,000 actions with device details and connections, and a trigger
 * poll over 10,000 actions already seen. Floor: undici fetch + JSON.parse of the same body.
 */
import type { IDataObject } from 'n8n-workflow';

import { DarktraceRespond } from '../../nodes/Darktrace/DarktraceRespond.node';
import { DarktraceRespondTrigger } from '../../nodes/Darktrace/DarktraceRespondTrigger.node';
import { readState } from '../../nodes/Darktrace/trigger/seenState';
import { executeNode, pollHarness, type NodeUnderTest } from '../../test/harness';
import { hooked } from '../hooked-node';
import { measureHeap, pairedRatios, rounds, type HeapSample } from '../measure';
import { measure, result, type CaseResult, type Measure } from '../report';
import type { BenchCase, BenchContext } from '../settings';
import { rawGet, rawGetJson, type BenchSimulator } from '../sim';
import { loadVariants } from '../variant';

/** The request target (path + query) our node sent during `run`, read from the simulator's log. */
async function targetSentBy(sim: BenchSimulator, run: () => Promise<unknown>): Promise<string> {
	await sim.control('DELETE', '/requests');
	await run();
	const log = (await sim.control('GET', '/requests')) as Array<{ target: string; method: string; status: number }>;
	if (log.length !== 1 || log[0].method !== 'GET' || log[0].status !== 200) {
		throw new Error(`expected one successful GET, the simulator saw ${JSON.stringify(log)}`);
	}
	return log[0].target;
}

function actionsOf(body: unknown): unknown[] {
	if (Array.isArray(body)) return body;
	const actions = (body as IDataObject | null)?.actions;
	if (!Array.isArray(actions)) throw new Error('the simulator answered no list of actions');
	return actions;
}

function expectCount(what: string, actual: number, expected: number): void {
	if (actual !== expected) throw new Error(`${what}: ${actual} instead of ${expected}`);
}

const MiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

interface ListMeasures {
	time: Measure;
	floorTime: Measure;
	heap: Measure;
	floorHeap: Measure;
	bodyBytes: number;
	target: string;
	/** Time and heap samples of the extra sides (variants), by name. */
	extra: Record<string, HeapSample[]>;
}

/** Ours against the floor, time and heap per sample, ABAB; `n` actions expected in every answer. */
async function compareWithFloor(
	ctx: BenchContext,
	what: string,
	ours: () => Promise<HeapSample>,
	target: string,
	extra: Record<string, () => Promise<HeapSample>> = {},
): Promise<ListMeasures> {
	const { sim, settings, log } = ctx;
	const n = settings.actions;
	const body = await rawGet(sim, target);
	expectCount(`actions in the answer to ${target}`, actionsOf(JSON.parse(body)).length, n);
	const bodyBytes = Buffer.byteLength(body);
	log(`${what}: ${settings.warmup + settings.runs} rounds per side, body ${MiB(bodyBytes)}`);
	const floor = () =>
		measureHeap(
			() => rawGetJson(sim, target),
			(answer) => expectCount('floor actions', actionsOf(answer).length, n),
		);
	const samples: Record<string, HeapSample[]> = await rounds({ ...extra, ours, floor }, settings);
	const ms = (list: HeapSample[]) => list.map((s) => s.ms);
	const growth = (list: HeapSample[]) => list.map((s) => s.heapGrowth);
	return {
		time: measure(what, 'ms', ms(samples.ours)),
		floorTime: measure('undici fetch + JSON.parse', 'ms', ms(samples.floor)),
		heap: measure(`${what}: peak heap growth`, 'bytes', growth(samples.ours)),
		floorHeap: measure('fetch + JSON.parse: peak heap growth', 'bytes', growth(samples.floor)),
		bodyBytes,
		target,
		extra: Object.fromEntries(Object.keys(extra).map((name) => [name, samples[name]])),
	};
}

/** The time row of a list case: target ≤ 1.5 × the floor, unless a report row. */
function timeRow(id: string, label: string, m: ListMeasures, note: string, report = false): CaseResult {
	return result({
		id,
		label,
		ours: m.time,
		floor: m.floorTime,
		ratios: pairedRatios(m.time.samples, m.floorTime.samples),
		ratioMeaning: 'time ours/floor',
		target: report ? null : { max: 1.5, of: 'ratio', text: '≤ 1.5' },
		note: `GET ${m.target}; body ${MiB(m.bodyBytes)}; ${note}`,
	});
}

/** Variant rows of a list case: time and heap of each BENCH_VARIANT copy against ours, same rounds. */
function variantRows(id: string, label: string, m: ListMeasures): CaseResult[] {
	return Object.entries(m.extra).flatMap(([name, list]) => {
		const ms = list.map((sample) => sample.ms);
		const heap = list.map((sample) => sample.heapGrowth);
		return [
			result({
				id: `variant.${name}.${id}.time`,
				label: `Variant ${name} vs ours: ${label}, time`,
				ours: measure(`variant ${name}`, 'ms', ms),
				floor: m.time,
				ratios: pairedRatios(ms, m.time.samples),
				ratioMeaning: 'time variant/ours',
				target: null,
			}),
			result({
				id: `variant.${name}.${id}.heap`,
				label: `Variant ${name} vs ours: ${label}, peak heap growth`,
				ours: measure(`variant ${name}`, 'bytes', heap),
				floor: m.heap,
				ratios: pairedRatios(heap, m.heap.samples),
				ratioMeaning: 'heap variant/ours',
				target: null,
			}),
		];
	});
}

/** Get Many of all n actions with device details and connections; `simple` is the Simplify switch. */
async function getManyRows(ctx: BenchContext, simple: boolean): Promise<CaseResult[]> {
	const { sim, settings } = ctx;
	const n = settings.actions;
	await sim.control('POST', '/large', { n, withConnections: true });
	const parameters = {
		resource: 'action',
		operation: 'getMany',
		returnAll: true,
		// Include Cleared, so that the answer holds every one of the n actions.
		filters: { includeCleared: true },
		options: { fullDeviceDetails: true, includeConnections: true },
		simple,
	};
	const sideOf = (type: ReturnType<typeof hooked>, configure?: Parameters<typeof executeNode>[3]) => {
		const node: NodeUnderTest = { type: type.type, parameters, credentials: sim.credentials };
		const run = () => executeNode(node, undefined, 'manual', configure);
		return {
			run,
			sample: () =>
				measureHeap(run, ({ output }) => expectCount('Get Many items', output?.[0]?.length ?? 0, n), type),
		};
	};
	const ours = sideOf(hooked(new DarktraceRespond()));
	const extra = Object.fromEntries(
		loadVariants().map((variant) => [variant.name, sideOf(hooked(variant.respond), variant.useCredential).sample]),
	);
	const count = n.toLocaleString('en-US');
	const mode = simple ? '' : ', Simplify off';
	const m = await compareWithFloor(
		ctx,
		`Get Many of ${count} actions${mode}`,
		ours.sample,
		await targetSentBy(sim, ours.run),
		extra,
	);
	const floorShare = (m.floorHeap.median / m.bodyBytes).toFixed(2);
	const id = simple ? 'getMany' : 'getManyFull';
	return [
		timeRow(
			`${id}.time`,
			`Get Many, ${count} actions, device details + connections${mode}: time`,
			m,
			simple ? 'total node time' : 'total node time; report: the targets are set on the default output',
			!simple,
		),
		result({
			id: `${id}.heap`,
			label: `Get Many${mode}: peak heap growth`,
			ours: m.heap,
			floor: measure('response body size', 'bytes', [m.bodyBytes]),
			ratios: m.heap.samples.map((bytes) => bytes / m.bodyBytes),
			ratioMeaning: 'heap growth / body size',
			target: simple ? { max: 4, of: 'ratio', text: '≤ 4 × body' } : null,
			note: `fetch + JSON.parse alone grows the heap by ${MiB(m.floorHeap.median)} (${floorShare} × body)`,
		}),
		...variantRows(id, `Get Many${mode}`, m),
	];
}

export const getMany: BenchCase = async (ctx) => getManyRows(ctx, true);

/** Get Many with Simplify off: every action as the appliance sent it, with its state, device and connections. */
export const getManyFull: BenchCase = async (ctx) => getManyRows(ctx, false);

export const triggerPoll: BenchCase = async (ctx) => {
	const { sim, settings } = ctx;
	const n = settings.actions;
	await sim.control('POST', '/large', { n, pendingRatio: 1 });
	const trigger = hooked(new DarktraceRespondTrigger());
	const harness = pollHarness({
		type: trigger.type,
		parameters: { events: ['pendingAction'] },
		credentials: sim.credentials,
	});
	// The first poll after activation takes the baseline: every pending action counts as seen.
	const target = await targetSentBy(sim, async () => {
		if ((await harness.poll()) !== null) throw new Error('the baseline poll emitted items');
	});
	// n8n keeps a trigger's static data under `node:<node name>` of the workflow's static data.
	const nodeData = Object.values(harness.staticData).find((value) => (value as IDataObject | null)?.v === 2);
	const tracked = readState((nodeData ?? {}) as IDataObject, Date.now()).entries.size;
	expectCount('actions tracked after the baseline', tracked, n);
	const count = n.toLocaleString('en-US');
	const poll = () =>
		measureHeap(
			() => harness.poll(),
			(emitted) => {
				if (emitted !== null) throw new Error('a poll over actions already seen emitted items');
			},
			trigger,
		);
	const m = await compareWithFloor(ctx, `poll over ${count} seen actions`, poll, target);
	const stateBytes = Buffer.byteLength(JSON.stringify(harness.staticData));
	const heapNote = `peak heap growth: poll ${MiB(m.heap.median)}, fetch + JSON.parse ${MiB(m.floorHeap.median)}`;
	return [
		timeRow('trigger.time', `Trigger poll, ${count} actions all seen: time`, m, heapNote),
		result({
			id: 'trigger.staticData',
			label: 'Trigger: static data per tracked action',
			ours: measure(
				`${stateBytes.toLocaleString('en-US')} bytes of JSON for ${tracked.toLocaleString('en-US')} actions`,
				'bytes/action',
				[stateBytes / tracked],
			),
			floor: null,
			ratio: null,
			ratioMeaning: '',
			target: { max: 16, of: 'value', text: '≤ 16 B/action' },
		}),
	];
};
