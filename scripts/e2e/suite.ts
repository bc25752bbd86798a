/** A minimal sequential test runner for the e2e suites: named tests, timings, a pass/fail count. */

export interface TestResult {
	name: string;
	ok: boolean;
	ms: number;
	error?: string;
}

export class Suite {
	readonly results: TestResult[] = [];

	constructor(private readonly out: (line: string) => void = (line) => console.log(line)) {}

	/** Runs `fn` as one test; a thrown error (assertion or other) fails it. Never throws. */
	async test(name: string, fn: () => Promise<void>): Promise<boolean> {
		const started = Date.now();
		try {
			await fn();
			const ms = Date.now() - started;
			this.results.push({ name, ok: true, ms });
			this.out(`  ✓ ${name} (${seconds(ms)})`);
			return true;
		} catch (error) {
			const ms = Date.now() - started;
			const message = error instanceof Error ? error.message : String(error);
			this.results.push({ name, ok: false, ms, error: message });
			this.out(`  ✗ ${name} (${seconds(ms)})\n${indent(message)}`);
			return false;
		}
	}

	/** Records a test that could not run (its setup failed) as failed. */
	fail(name: string, reason: string): void {
		this.results.push({ name, ok: false, ms: 0, error: reason });
		this.out(`  ✗ ${name}\n${indent(reason)}`);
	}

	get passed(): number {
		return this.results.filter((r) => r.ok).length;
	}

	get failed(): number {
		return this.results.filter((r) => !r.ok).length;
	}
}

export function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

function indent(text: string): string {
	return text
		.split('\n')
		.slice(0, 40)
		.map((line) => `      ${line}`)
		.join('\n');
}
