/** Small helpers shared by the simulator modules. */

/** Darktrace's human-readable time: `YYYY-MM-DD HH:MM:SS` (UTC). */
export function formatTime(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Deterministic PRNG (mulberry32) so that seeds and large datasets are identical on every run. */
export function createRng(seed: number): Rng {
	let state = seed >>> 0;
	const next = (): number => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		pick: (items) => items[Math.floor(next() * items.length)],
	};
}

export interface Rng {
	next(): number;
	/** Integer in [min, max]. */
	int(min: number, max: number): number;
	pick<T>(items: readonly T[]): T;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** 400 INPUT ERROR raised by validation or by an action in the wrong state. */
export class InputError extends Error {}

/**
 * 400 INPUT ERROR raised only in strict mode: a request an appliance would (or might) accept but
 * that this project's own client must not send. Recorded as `lint` in the request log.
 */
export class LintError extends InputError {}

/** `Object.hasOwn` (the project's lib is es2021). */
export function hasOwn(object: object, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(object, key);
}
