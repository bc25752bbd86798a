/** Timing, heap and repetition helpers of the benchmarks. */
import { performance } from 'node:perf_hooks';
import { GCProfiler, getHeapStatistics } from 'node:v8';

export function median(values: readonly number[]): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The per-round ratios `numerators[i] / denominators[i]` (both sides sampled in the same round). */
export function pairedRatios(numerators: readonly number[], denominators: readonly number[]): number[] {
	return numerators.map((value, i) => value / denominators[i]);
}

/** The median of the per-round ratios (sides sampled in the same round). */
export function pairedRatio(numerators: readonly number[], denominators: readonly number[]): number {
	return median(pairedRatios(numerators, denominators));
}

const BOOTSTRAP_RESAMPLES = 4_000;

/**
 * A 95 % interval of the median of `values` (per-round ratios): the 2.5th and 97.5th percentiles of
 * the medians of resamples drawn with replacement (percentile bootstrap, seeded, so a run repeats).
 */
export function bootstrapInterval(values: readonly number[], seed = 7): [number, number] {
	if (values.length < 2) return [NaN, NaN];
	const random = uniform(seed);
	const medians: number[] = [];
	const resample = new Array<number>(values.length);
	for (let b = 0; b < BOOTSTRAP_RESAMPLES; b++) {
		for (let i = 0; i < values.length; i++) resample[i] = values[Math.floor(random() * values.length)];
		medians.push(median(resample));
	}
	medians.sort((a, b) => a - b);
	const at = (q: number) => medians[Math.min(medians.length - 1, Math.max(0, Math.round(q * (medians.length - 1))))];
	return [at(0.025), at(0.975)];
}

const SETTLE_MS = 50;

/** A full collection, so that a heap sample starts from a clean heap (bench/run.ts ensures --expose-gc). */
export function collect(): void {
	const gc = global.gc;
	if (typeof gc !== 'function') throw new Error('Run with --expose-gc (npm run bench does)');
	gc();
}

export interface RoundsOptions {
	/** Rounds run first and thrown away (JIT, connection pools, caches). */
	warmup: number;
	/** Rounds kept. */
	runs: number;
}

/**
 * Runs one sample of every side per round, in the same order each round (ABAB…), so that drift of
 * the machine during the run hits every side alike.
 */
export async function rounds<K extends string, S>(
	sides: Record<K, () => Promise<S>>,
	{ warmup, runs }: RoundsOptions,
): Promise<Record<K, S[]>> {
	const keys = Object.keys(sides) as K[];
	const kept = Object.fromEntries(keys.map((key) => [key, [] as S[]])) as Record<K, S[]>;
	for (let round = 0; round < warmup + runs; round++) {
		for (const key of keys) {
			const sample = await sides[key]();
			if (round >= warmup) kept[key].push(sample);
		}
	}
	return kept;
}

/** Something that can say when a call's measured part ended (bench/hooked-node.ts); else the call's promise settling ends it. */
export interface EndMark {
	returnedAt: number;
	onReturn?: () => void;
}

/** A side of an interleaved measurement: one call, and where its measured part ends. */
export interface Side {
	call: () => Promise<unknown>;
	end?: EndMark;
}

/** Deterministic uniform numbers in [0, 1) (mulberry32), so that a run can be repeated call for call. */
function uniform(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Deterministic shuffles. */
function shuffler(seed: number): <T>(items: T[]) => T[] {
	const random = uniform(seed);
	return (items) => {
		const out = [...items];
		for (let i = out.length - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[out[i], out[j]] = [out[j], out[i]];
		}
		return out;
	};
}

/**
 * Mean ms per call of every side, one sample per round of `count` turns. In each turn every side makes
 * one call, in a fresh shuffled order: a call pays for what the call before it left behind (sockets
 * closing, garbage, caches filled with other code), so no side may always follow the same one. Running
 * each side's calls in a block instead measured an identical copy of the floor 4–7 % slower than the
 * floor when its block came first.
 */
export async function interleaved<K extends string>(
	sides: Record<K, Side>,
	count: number,
	{ warmup, runs }: RoundsOptions,
	seed = 1,
): Promise<Record<K, number[]>> {
	const keys = Object.keys(sides) as K[];
	const shuffle = shuffler(seed);
	const kept = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Record<K, number[]>;
	for (let round = 0; round < warmup + runs; round++) {
		const total = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
		for (let turn = 0; turn < count; turn++) {
			for (const key of shuffle(keys)) {
				const { call, end } = sides[key];
				const start = performance.now();
				await call();
				total[key] += (end ? end.returnedAt : performance.now()) - start;
			}
		}
		if (round >= warmup) for (const key of keys) kept[key].push(total[key] / count);
	}
	return kept;
}

/** Calls per second of `count` calls of a synchronous function; `call`'s results are kept alive. */
export function callsPerSecond(count: number, call: (i: number) => string): number {
	let sink = 0;
	const start = performance.now();
	for (let i = 0; i < count; i++) sink += call(i).length;
	const seconds = (performance.now() - start) / 1000;
	if (sink === 0) throw new Error('the measured function returned nothing');
	return count / seconds;
}

export interface HeapSample {
	ms: number;
	/** Peak of V8's used heap during the call, above the heap after a full GC just before it. */
	heapGrowth: number;
}

/**
 * Times one call and its peak heap growth, up to its end mark if given. The used heap only falls at
 * a GC, so its peak is either just before some GC or at the end: V8's GCProfiler gives the used heap
 * before every GC during the call, and the heap is also read every millisecond the event loop is
 * free and once at the end (while the call's result is still referenced).
 */
export async function measureHeap<T>(
	call: () => Promise<T>,
	check?: (result: T) => void,
	end?: EndMark,
): Promise<HeapSample> {
	collect();
	// V8 sweeps after a GC on background threads: let it finish before timing (2 cores).
	await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
	const used = () => getHeapStatistics().used_heap_size;
	const base = used();
	let peak = base;
	const sampler = setInterval(() => {
		peak = Math.max(peak, used());
	}, 1);
	const profiler = new GCProfiler();
	let start = 0;
	let sample: HeapSample | undefined;
	const finish = () => {
		if (sample) return;
		const ms = performance.now() - start;
		peak = Math.max(peak, used());
		clearInterval(sampler);
		for (const gc of profiler.stop().statistics) peak = Math.max(peak, gc.beforeGC.heapStatistics.usedHeapSize);
		sample = { ms, heapGrowth: peak - base };
	};
	if (end) end.onReturn = finish;
	profiler.start();
	start = performance.now();
	let result: T;
	try {
		result = await call();
	} finally {
		finish();
		if (end) end.onReturn = undefined;
	}
	check?.(result);
	return sample as HeapSample;
}
