/**
 * Activate many items while the simulator adds latency to every POST: items/s at the default
 * concurrency (1) and the speedup of the node's bounded concurrency (options.concurrency).
 */
import type { INodeExecutionData } from 'n8n-workflow';
import { performance } from 'node:perf_hooks';

import { DarktraceRespond } from '../../nodes/Darktrace/DarktraceRespond.node';
import { executeNode } from '../../test/harness';
import { pairedRatios, rounds } from '../measure';
import { measure, result, type Measure } from '../report';
import type { BenchCase, BenchContext } from '../settings';
import { rawGetJson } from '../sim';

const CONCURRENCY = [1, 4, 10] as const;

/** A fresh store of `n` pending actions (the same codeids every time), as one input item each. */
async function pendingItems({ sim }: BenchContext, n: number): Promise<INodeExecutionData[]> {
	await sim.control('POST', '/large', { n, pendingRatio: 1 });
	const actions = (await rawGetJson(sim, '/antigena?needconfirming=true')) as Array<{ codeid: number }>;
	if (actions.length !== n) throw new Error(`expected ${n} pending actions, the simulator has ${actions.length}`);
	return actions.map(({ codeid }) => ({ json: { codeid } }));
}

/** Items per second of one node run over `n` fresh pending actions (set-up not timed). */
async function activateRun(ctx: BenchContext, n: number, concurrency: number): Promise<number> {
	const items = await pendingItems(ctx, n);
	const node = {
		type: new DarktraceRespond(),
		parameters: {
			resource: 'action',
			operation: 'activate',
			codeId: '={{ $json.codeid }}',
			reason: 'bench',
			options: { concurrency },
		},
		credentials: ctx.sim.credentials,
	};
	const start = performance.now();
	const { output } = await executeNode(node, items);
	const seconds = (performance.now() - start) / 1000;
	const done = (output?.[0] ?? []).filter((item) => item.json.success === true).length;
	if (done !== n) throw new Error(`activate (concurrency ${concurrency}): ${done} of ${n} items succeeded`);
	return n / seconds;
}

export const activate: BenchCase = async (ctx) => {
	const { sim, settings, log } = ctx;
	const n = settings.activateItems;
	await sim.control('POST', '/faults', { kind: 'latency', delayMs: settings.latencyMs, method: 'POST' });
	try {
		log(
			`activate: warm-up of ${settings.activateWarmupItems} items, then ${settings.activateRuns} rounds of ${n} items per concurrency`,
		);
		for (const c of CONCURRENCY) await activateRun(ctx, settings.activateWarmupItems, c);
		const samples = await rounds(
			Object.fromEntries(CONCURRENCY.map((c) => [`c${c}`, () => activateRun(ctx, n, c)])) as Record<
				string,
				() => Promise<number>
			>,
			{ warmup: 0, runs: settings.activateRuns },
		);
		const at = (c: number): Measure =>
			measure(`concurrency ${c}${c === 1 ? ' (default)' : ''}`, 'items/s', samples[`c${c}`]);
		const base = at(1);
		const label = `${n.toLocaleString('en-US')} Activate items, +${settings.latencyMs} ms per POST`;
		return CONCURRENCY.map((c) => {
			const ours = at(c);
			return result({
				id: `activate.c${c}`,
				label: c === 1 ? label : `${label}, concurrency ${c} vs 1`,
				ours,
				floor: c === 1 ? null : base,
				ratios: c === 1 ? undefined : pairedRatios(ours.samples, base.samples),
				ratioMeaning: c === 1 ? '' : 'speedup',
				target: null,
				note:
					c === 1 ? `sequential bound: ${(1000 / settings.latencyMs).toFixed(0)} items/s from the latency alone` : '',
			});
		});
	} finally {
		await sim.control('DELETE', '/faults');
	}
};
