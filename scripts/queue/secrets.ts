/**
 * No private token anywhere the queue-mode deployment keeps or prints data: every Redis key and value,
 * every PostgreSQL row (plain text), every file in the user folder (main's and the workers' logs), and
 * this run's own output. Each source is checked for holding what it should (so an empty source cannot
 * pass for a clean one).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { E2eContext } from '../e2e/context';
import { CREDENTIALS } from '../lib/examples';
import { filesUnder } from '../lib/files';
import type { QueueDeployment } from '../lib/queue';

export async function secretsTest(ctx: E2eContext, queue: QueueDeployment, printed: string[], secrets: string[]): Promise<void> {
	await ctx.suite.test('no private token in Redis (keys and values), PostgreSQL (every row), n8n\'s logs or this run\'s output', async () => {
		await queue.n8n.stop();
		await Promise.all(queue.n8n.workers.map((w) => queue.n8n.stopWorker(w)));
		const sources: Array<[string, string]> = [['this run\'s output', printed.join('\n')]];

		const entries = await queue.redis.entries();
		assert.ok(entries.some((e) => e.key.startsWith('bull:jobs:')), `Redis holds n8n's queue (keys: ${entries.map((e) => e.key).join(', ')})`);
		sources.push(['Redis', entries.map((e) => `${e.key} ${e.type} ${JSON.stringify(e.value)}`).join('\n')]);

		const dump = await queue.postgres.dumpRows();
		assert.ok(dump.text.includes(CREDENTIALS.respond.name), 'the PostgreSQL dump holds the credentials (encrypted)');
		assert.ok(dump.text.includes(ctx.sim.url), 'the PostgreSQL dump holds execution data');
		sources.push(['PostgreSQL', dump.text]);

		const files = filesUnder(queue.n8n.userFolder);
		const logs = files.filter((f) => f.endsWith('.log'));
		assert.ok(logs.some((f) => f.endsWith('worker-1.log')) && logs.some((f) => f.endsWith('worker-2.log')), `workers' logs: ${logs.join(', ')}`);
		for (const file of files) sources.push([file, readFileSync(file, 'latin1')]);

		const leaks: string[] = [];
		for (const [where, text] of sources) {
			secrets.forEach((secret, i) => text.includes(secret) && leaks.push(`private token #${i + 1} found in ${where}`));
		}
		assert.deepEqual(leaks, []);
		ctx.print(`      checked ${entries.length} Redis keys, ${dump.rows} rows in ${dump.tables} PostgreSQL tables, ${files.length} files (${logs.length} logs)`);
	});
}
