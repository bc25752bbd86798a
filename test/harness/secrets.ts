import { inspect } from 'util';

/**
 * Secrets stay secret: every run through the harness checks that the private token appears nowhere in
 * the node's output or in the error it throws (message, description, context, cause), at any depth.
 */
export function assertNoSecret(value: unknown, privateToken: string | undefined, where: string): void {
	if (!privateToken || privateToken.length < 4) return;
	const text =
		typeof value === 'string' ? value : inspect(value, { depth: 12, maxArrayLength: null, maxStringLength: null });
	if (text.includes(privateToken)) throw new Error(`The private token leaked into ${where}`);
}

export async function guarded<T>(run: () => Promise<T>, privateToken: string | undefined): Promise<T> {
	let result: T;
	try {
		result = await run();
	} catch (error) {
		assertNoSecret(error, privateToken, 'an error');
		assertNoSecret(
			String((error as { description?: unknown }).description ?? ''),
			privateToken,
			'an error description',
		);
		throw error;
	}
	assertNoSecret(result, privateToken, 'the node output');
	return result;
}
