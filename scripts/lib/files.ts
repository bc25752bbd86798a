import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Files under `dir` (node_modules skipped): logs, execution snapshots, the database. */
export function filesUnder(dir: string): string[] {
	const out: string[] = [];
	for (const name of readdirSync(dir)) {
		if (name === 'node_modules') continue;
		const path = join(dir, name);
		if (statSync(path).isDirectory()) out.push(...filesUnder(path));
		else out.push(path);
	}
	return out;
}
