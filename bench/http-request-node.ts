/**
 * n8n's own HTTP Request node, what a user builds without our node: loaded from the real n8n runtime
 * that the end-to-end tests use (scripts/install-n8n-runtime.sh; reused when present). Not a
 * devDependency: n8n-nodes-base pulls in most of n8n (AWS, database and AI clients, about 1 GB) for
 * one node, while the runtime is already there for the e2e tests. Its n8n-core and n8n-workflow are the
 * versions pinned in our package.json (checked below), so it runs in our harness exactly as in n8n.
 */
import { join } from 'node:path';

import type { INodeType } from 'n8n-workflow';

import { ensureRuntime } from '../scripts/lib/runtime';

export interface HttpRequestNode {
	type: INodeType;
	/** n8n-nodes-base's version, for the report. */
	version: string;
}

function versionAt(modules: string, name: string): string {
	return (require(join(modules, name, 'package.json')) as { version: string }).version;
}

/** The HTTP Request node's latest version (V3 class, typeVersion 4.x) from the pinned n8n runtime. */
export async function loadHttpRequestNode(log: (line: string) => void): Promise<HttpRequestNode> {
	const runtime = await ensureRuntime(undefined, log);
	const modules = join(runtime.dir, 'node_modules');
	for (const name of ['n8n-core', 'n8n-workflow']) {
		const theirs = versionAt(modules, name);
		const ours = (require(`${name}/package.json`) as { version: string }).version;
		if (theirs !== ours) {
			throw new Error(`n8n ${runtime.version}'s ${name} is ${theirs}, the bench's is ${ours}: pin the same version`);
		}
	}
	const { HttpRequestV3 } = require(join(modules, 'n8n-nodes-base/dist/nodes/HttpRequest/V3/HttpRequestV3.node')) as {
		HttpRequestV3: new (base: object) => INodeType;
	};
	// The base description n8n's versioned HttpRequest node hands each version (nodes/HttpRequest/HttpRequest.node.ts).
	const type = new HttpRequestV3({
		displayName: 'HTTP Request',
		name: 'httpRequest',
		group: ['output'],
		description: 'Makes an HTTP request and returns the response data',
		defaultVersion: 4.5,
	});
	return { type, version: versionAt(modules, 'n8n-nodes-base') };
}
