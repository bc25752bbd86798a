/** Sizes and repetitions of a full run and of `--quick`, and what every case receives. */
import type { CaseResult } from './report';
import type { BenchSimulator } from './sim';

export interface Settings {
	/** Warm-up rounds (thrown away) before the counted ones. */
	warmup: number;
	/** Counted rounds of the Get Many and trigger cases. */
	runs: number;
	/** Counted rounds of the one-request case, and sequential requests per sample. */
	requestRuns: number;
	requestsPerSample: number;
	/** Counted rounds of the signing case, and signatures per sample. */
	signingRuns: number;
	signaturesPerSample: number;
	/** Actions of the Get Many and trigger cases. */
	actions: number;
	/** Input items of the activate case. */
	activateItems: number;
	/** Counted rounds of the activate case (each runs every concurrency once). */
	activateRuns: number;
	/** Items of the activate warm-up, per concurrency. */
	activateWarmupItems: number;
	/** Latency the simulator adds to every POST in the activate case. */
	latencyMs: number;
}

export const FULL: Settings = {
	warmup: 1,
	runs: 9,
	requestRuns: 40,
	requestsPerSample: 50,
	signingRuns: 60,
	signaturesPerSample: 2_000,
	actions: 10_000,
	activateItems: 1_000,
	activateRuns: 5,
	activateWarmupItems: 50,
	latencyMs: 20,
};

export const QUICK: Settings = {
	warmup: 1,
	runs: 3,
	requestRuns: 8,
	requestsPerSample: 25,
	signingRuns: 10,
	signaturesPerSample: 1_000,
	actions: 2_000,
	activateItems: 100,
	activateRuns: 2,
	activateWarmupItems: 10,
	latencyMs: 20,
};

export interface BenchContext {
	sim: BenchSimulator;
	settings: Settings;
	log(line: string): void;
}

export type BenchCase = (ctx: BenchContext) => Promise<CaseResult[]>;
