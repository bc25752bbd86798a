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

	/** The run's closing lines (its time, then "N passed, M failed", which ends CI's log) and its exit code. */
	finish(label: string, started: number): number {
		this.out(`\n${label}: ${seconds(Date.now() - started)}`);
		this.out(`${this.passed} passed, ${this.failed} failed`);
		return this.failed === 0 ? 0 : 1;
	}
}

/**
 * Runs an e2e entry point and exits with its code. Ctrl-C / SIGTERM exit, which kills every child's
 * process group (scripts/lib/proc.ts); if `main` itself throws, the last line still says it failed.
 */
export function runMain(main: () => Promise<number>): void {
	for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
	main().then(
		(code) => process.exit(code),
		(error) => {
			console.error(error);
			console.log('0 passed, 1 failed');
			process.exit(1);
		},
	);
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
