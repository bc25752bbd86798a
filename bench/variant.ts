/**
 * `BENCH_VARIANT=<dir>[,<dir>…]`: copies of the package's `nodes/` and `credentials/` (e.g. with one performance
 * trick taken out), measured in the same run as the package, turn by turn, as extra sides of the
 * one-request and signing cases. How a trick's gain in bench/README.md was measured.
 *
 * Each `<dir>` holds `nodes/`, `credentials/` and a `node_modules` link to ours, so that both copies share
 * one n8n-core and n8n-workflow. Its modules are its own: caches and all.
 */
import { realpathSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

import type { parseDarktraceCredentials } from '../credentials/common/fields';
import type { signDarktraceRequest } from '../credentials/common/signing';
import type { TestCredentialsHelper } from '../test/harness';

export interface Variant {
	/** The folder's name, as the rows show it. */
	name: string;
	dir: string;
	respond: INodeType;
	auth: { signDarktraceRequest: typeof signDarktraceRequest; parseDarktraceCredentials: typeof parseDarktraceCredentials };
	/** Makes the harness sign with the variant's credential type. */
	useCredential: (helper: TestCredentialsHelper) => void;
}

let loaded: Variant[] | undefined;

/** The variants named by BENCH_VARIANT, loaded once; none when it is unset. */
export function loadVariants(): Variant[] {
	loaded ??= (process.env.BENCH_VARIANT ?? '').split(',').filter(Boolean).map(loadVariant);
	return loaded;
}

function loadVariant(given: string): Variant {
	const dir = resolve(given);
	const ours = realpathSync(require.resolve('n8n-workflow'));
	let theirs = '';
	try {
		theirs = realpathSync(require.resolve('n8n-workflow', { paths: [join(dir, 'nodes')] }));
	} catch {
		theirs = '';
	}
	if (theirs !== ours) {
		throw new Error(
			`BENCH_VARIANT ${dir} must resolve n8n-workflow to ours: ln -s ${resolve(__dirname, '..', 'node_modules')} ${join(dir, 'node_modules')}`,
		);
	}
	const { DarktraceRespond } = require(join(dir, 'nodes/Darktrace/DarktraceRespond.node')) as {
		DarktraceRespond: new () => INodeType;
	};
	const { DarktraceApi } = require(join(dir, 'credentials/DarktraceApi.credentials')) as {
		DarktraceApi: new () => ICredentialType;
	};
	const credential = new DarktraceApi();
	return {
		name: basename(dir),
		dir,
		respond: new DarktraceRespond(),
		auth: {
			...(require(join(dir, 'credentials/common/signing')) as { signDarktraceRequest: typeof signDarktraceRequest }),
			...(require(join(dir, 'credentials/common/fields')) as {
				parseDarktraceCredentials: typeof parseDarktraceCredentials;
			}),
		},
		useCredential: (helper) => {
			(helper as { credentialType: ICredentialType }).credentialType = credential;
		},
	};
}
