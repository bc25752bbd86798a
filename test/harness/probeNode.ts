/**
 * A test-only node that sends one request described by its `request` parameter through the helper
 * n8n would use for a given caller: `httpRequestWithAuthentication` (our nodes, with url + qs) or the
 * legacy `requestWithAuthentication` (what n8n's HTTP Request node calls for a predefined credential,
 * with an absolute `uri`). It lets the credential be tested alone, before and apart from our nodes.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { DARKTRACE_CREDENTIAL_TYPE } from '../../credentials/common/fields';

export class ProbeNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Probe',
		name: 'probe',
		group: ['transform'],
		version: 1,
		description: 'test only',
		defaults: { name: 'Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: DARKTRACE_CREDENTIAL_TYPE, required: true }],
		properties: [
			{ displayName: 'Helper', name: 'helper', type: 'string', default: 'httpRequestWithAuthentication' },
			{ displayName: 'Request', name: 'request', type: 'json', default: '{}' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const helper = this.getNodeParameter('helper', 0) as string;
		const raw = this.getNodeParameter('request', 0) as string | IDataObject;
		const request = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject;
		const response =
			helper === 'requestWithAuthentication'
				? await this.helpers.requestWithAuthentication.call(this, DARKTRACE_CREDENTIAL_TYPE, request as never)
				: await this.helpers.httpRequestWithAuthentication.call(this, DARKTRACE_CREDENTIAL_TYPE, request as never);
		return [[{ json: { response: typeof response === 'string' ? JSON.parse(response) : response } }]];
	}
}
