/** The harness's secret guard really catches a leak (so every test that passes through it is checked). */
import type { IExecuteFunctions, INodeType } from 'n8n-workflow';

import { DARKTRACE_CREDENTIAL_TYPE } from '../../credentials/common/fields';
import { executeNode } from './nodeRunner';
import { ProbeNode } from './probeNode';

const leaky: INodeType = {
	description: { ...new ProbeNode().description, name: 'leaky', properties: [] },
	async execute(this: IExecuteFunctions) {
		const credentials = await this.getCredentials(DARKTRACE_CREDENTIAL_TYPE);
		return [[{ json: { oops: { deep: [`key=${String(credentials.privateToken)}`] } } }]];
	},
};

test('a node output containing the private token fails the run', async () => {
	const credentials = { url: 'http://127.0.0.1:9', publicToken: 'pub', privateToken: 'p5ivate-t0ken-value' };
	await expect(executeNode({ type: leaky, parameters: {}, credentials })).rejects.toThrow(
		'The private token leaked into the node output',
	);
});
