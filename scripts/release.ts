/**
 * `npm run release`: refuses to publish a package whose `repository` or `author` are still placeholders
 * (n8n's scanner downloads the source from `repository`, and npm's provenance check rejects a publish whose
 * `repository` is not the GitHub repository the workflow runs in), whose version has no CHANGELOG entry, or
 * that is not running in the publish workflow (provenance needs GitHub's OIDC token). Then builds, lints
 * and runs `npm publish --provenance`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface PackageJson {
	name?: string;
	version?: string;
	author?: string | { name?: string; email?: string; url?: string };
	repository?: string | { type?: string; url?: string };
}

/** Values this repository was scaffolded with: they name no real maintainer or repository. */
const KNOWN_PLACEHOLDERS = [
	'n8n-nodes-darktrace maintainers',
	'maintainers@users.noreply.r-seed-28d9efcf.example',
	'github.com/n8n-nodes-darktrace/n8n-nodes-darktrace',
];

/** Reserved names (RFC 2606 / 6761) and template leftovers that never belong to a real person or repo. */
const PLACEHOLDER =
	/(\.example\b|\.invalid\b|\.test\b|\.localhost\b|\bexample\.(com|org|net)\b|<[^>]*>|\byour[-_ ]|\bTODO\b|\bchangeme\b)/i;

function isPlaceholder(value: string): boolean {
	return PLACEHOLDER.test(value) || KNOWN_PLACEHOLDERS.some((known) => value.toLowerCase().includes(known));
}

/** "owner/name" of a GitHub repository URL as npm accepts it, or undefined. */
export function githubRepository(url: string): string | undefined {
	const match = /^(?:git\+)?(?:https:\/\/|ssh:\/\/git@|git@)github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/i.exec(
		url.trim(),
	);
	if (match) return `${match[1]}/${match[2]}`;
	const short = /^(?:github:)?([\w.-]+)\/([\w.-]+)$/.exec(url.trim());
	return short ? `${short[1]}/${short[2]}` : undefined;
}

/** Everything that stops a release, each with what to set; empty when the package may be published. */
export function releaseProblems(pkg: PackageJson, changelog: string, env: NodeJS.ProcessEnv): string[] {
	const problems: string[] = [];
	const repoUrl = typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository?.url ?? '');
	const repo = githubRepository(repoUrl);
	if (!repoUrl || !repo || isPlaceholder(repoUrl)) {
		problems.push(
			`package.json "repository.url" is ${repoUrl ? `"${repoUrl}", a placeholder` : 'not set'}. Set it to this ` +
				'package\'s GitHub repository, e.g. "git+https://github.com/<owner>/n8n-nodes-darktrace.git": n8n\'s ' +
				'scanner downloads the source from it, and npm rejects a provenance publish from any other repository.',
		);
	} else if (env.GITHUB_REPOSITORY && env.GITHUB_REPOSITORY.toLowerCase() !== repo.toLowerCase()) {
		problems.push(
			`package.json "repository.url" names ${repo}, but this workflow runs in ${env.GITHUB_REPOSITORY}: npm ` +
				'rejects the provenance. Set "repository.url" to the repository that publishes.',
		);
	}
	const author = pkg.author;
	const authorText =
		typeof author === 'string' ? author : [author?.name, author?.email, author?.url].filter(Boolean).join(' ');
	if (!authorText || isPlaceholder(authorText)) {
		problems.push(
			`package.json "author" is ${authorText ? `"${authorText}", a placeholder` : 'not set'}. Set "author.name" ` +
				'to the maintainer (person or organisation) and "author.email" to an address that reaches them: n8n ' +
				'shows it on the community node and uses it for verification.',
		);
	}
	const version = pkg.version ?? '';
	if (!new RegExp(`^## \\[?${version.replace(/\./g, '\\.')}\\]?(\\s|$)`, 'm').test(changelog)) {
		problems.push(
			`CHANGELOG.md has no "## ${version}" entry. Add one saying what changed and what a user must change.`,
		);
	}
	if (env.GITHUB_REF_TYPE === 'tag' && env.GITHUB_REF_NAME && env.GITHUB_REF_NAME !== `v${version}`) {
		problems.push(
			`The tag ${env.GITHUB_REF_NAME} does not match package.json "version" ${version}. Tag v${version}, or set the version.`,
		);
	}
	if (env.GITHUB_ACTIONS !== 'true') {
		problems.push(
			'Not running in GitHub Actions: n8n requires community nodes to be published with an npm provenance ' +
				`attestation, which only the publish workflow can sign. Push the tag v${version} to run ` +
				'.github/workflows/publish.yml.',
		);
	}
	return problems;
}

function main(): void {
	const root = join(__dirname, '..');
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
	let changelog = '';
	try {
		changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
	} catch {
		// reported as a missing entry
	}
	const problems = releaseProblems(pkg, changelog, process.env);
	if (problems.length > 0) {
		process.stderr.write(`Not publishing ${pkg.name}@${pkg.version}:\n${problems.map((p) => `- ${p}\n`).join('')}`);
		process.exit(1);
	}
	const run = (args: string[]) => execFileSync('npm', args, { cwd: root, stdio: 'inherit' });
	run(['run', 'build']);
	run(['run', 'lint']);
	run(['publish', '--provenance', '--access', 'public']);
}

if (require.main === module) main();
