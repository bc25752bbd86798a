import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { provenanceProblems } from '../../scripts/lint-workflows';
import { githubRepository, releaseProblems } from '../../scripts/release';

const root = join(__dirname, '..', '..');
const real = {
	name: 'n8n-nodes-darktrace',
	version: '1.2.0',
	author: { name: 'Jane Doe', email: 'jane@soc.acme.io' },
	repository: { type: 'git', url: 'git+https://github.com/acme/n8n-nodes-darktrace.git' },
};
const changelog = '# Changelog\n\n## 1.2.0 - 2027-01-10\n\n- Added things.\n';
const actions = {
	GITHUB_ACTIONS: 'true',
	GITHUB_REPOSITORY: 'acme/n8n-nodes-darktrace',
	GITHUB_REF_TYPE: 'tag',
	GITHUB_REF_NAME: 'v1.2.0',
};

describe('npm run release', () => {
	it('publishes a real package from its own repository, on its own tag, with a changelog entry', () => {
		expect(releaseProblems(real, changelog, actions)).toEqual([]);
	});

	it("refuses this repository's placeholder repository and author, saying what to set", () => {
		const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
		const problems = releaseProblems(pkg, `## ${pkg.version}\n`, { ...actions, GITHUB_REF_NAME: `v${pkg.version}` });
		expect(problems).toHaveLength(2);
		expect(problems[0]).toMatch(
			/^package.json "repository.url" is ".*", a placeholder\. Set it to this package's GitHub repository/,
		);
		expect(problems[1]).toMatch(
			/^package.json "author" is ".*", a placeholder\. Set "author.name" to the maintainer .* "author.email"/,
		);
	});

	it.each([
		['an example.com email', { name: 'Jane', email: 'jane@example.com' }],
		['a template leftover', '<your name>'],
		['an empty author', ''],
	])('refuses %s', (_, author) => {
		const problems = releaseProblems({ ...real, author }, changelog, actions);
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatch(/^package.json "author" is /);
	});

	it('refuses a repository other than the one the workflow runs in (npm would reject the provenance)', () => {
		const problems = releaseProblems(real, changelog, { ...actions, GITHUB_REPOSITORY: 'fork/n8n-nodes-darktrace' });
		expect(problems).toEqual([
			'package.json "repository.url" names acme/n8n-nodes-darktrace, but this workflow runs in fork/n8n-nodes-darktrace: npm rejects the provenance. Set "repository.url" to the repository that publishes.',
		]);
	});

	it('refuses a version without a changelog entry, a tag that does not match, and a run outside GitHub Actions', () => {
		expect(releaseProblems(real, '## 1.1.0\n', actions)).toEqual([
			'CHANGELOG.md has no "## 1.2.0" entry. Add one saying what changed and what a user must change.',
		]);
		expect(releaseProblems(real, changelog, { ...actions, GITHUB_REF_NAME: 'v1.2.1' })).toEqual([
			'The tag v1.2.1 does not match package.json "version" 1.2.0. Tag v1.2.0, or set the version.',
		]);
		const local = releaseProblems(real, changelog, {});
		expect(local).toHaveLength(1);
		expect(local[0]).toMatch(/^Not running in GitHub Actions: .*Push the tag v1\.2\.0/);
	});

	it('reads GitHub repository URLs in the forms npm accepts', () => {
		expect(githubRepository('git+https://github.com/acme/x.git')).toBe('acme/x');
		expect(githubRepository('https://github.com/acme/x')).toBe('acme/x');
		expect(githubRepository('git@github.com:acme/x.git')).toBe('acme/x');
		expect(githubRepository('github:acme/x')).toBe('acme/x');
		expect(githubRepository('https://gitlab.com/acme/x')).toBeUndefined();
	});

	it('has a CHANGELOG entry for the current version', () => {
		const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
		const problems = releaseProblems(pkg, readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), {});
		expect(problems.some((p) => p.startsWith('CHANGELOG.md'))).toBe(false);
	});
});

describe('the publish workflow', () => {
	const workflow = readFileSync(join(root, '.github', 'workflows', 'publish.yml'), 'utf8');

	it('can sign a provenance attestation', () => {
		expect(provenanceProblems(workflow)).toEqual([]);
		expect(workflow).toMatch(/^\s+id-token: write$/m);
	});

	it('is caught without id-token: write or --provenance', () => {
		expect(provenanceProblems('jobs:\n  p:\n    steps:\n      - run: npm publish\n')).toEqual([
			'no "permissions: id-token: write": npm cannot sign the provenance',
			'no "npm publish --provenance" (or "npm run release", which runs it)',
		]);
	});
});

describe('the published package', () => {
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));

	it('names no entry point it does not ship, and no source maps to unshipped .ts files', () => {
		expect(pkg.main).toBeUndefined();
		expect(tsconfig.compilerOptions.sourceMap).toBe(false);
	});
});
