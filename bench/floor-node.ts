/**
 * The n8n floor for one request: a bench-only node whose execute() is one call of n8n-core's
 * `this.helpers.httpRequest` per input item, with headers signed in advance. Run through the same
 * harness (test/harness executeNode) as our node, so both sides pay the same n8n context cost and
 * the difference is what our node adds: parameters, credential checks, signing, error handling.
 * Given `properties` (our node's), it shows what n8n's handling of that parameter list costs alone.
 */
import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

export function httpRequestFloorNode(
	url: string,
	headers: Record<string, string>,
	properties: INodeProperties[] = [],
): INodeType {
	return {
		description: {
			displayName: 'Bench Floor',
			name: 'benchFloor',
			group: ['transform'],
			version: 1,
			description: 'One n8n httpRequest per item, with precomputed headers',
			defaults: { name: 'Bench Floor' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties,
		},
		async execute(this: IExecuteFunctions) {
			const output: INodeExecutionData[] = [];
			for (let i = 0; i < this.getInputData().length; i++) {
				const body = (await this.helpers.httpRequest({ url, headers, json: true })) as IDataObject;
				output.push({ json: body, pairedItem: { item: i } });
			}
			return [output];
		},
	};
}

/**
 * A node with `description` that reads one parameter and sends one request signed by the Darktrace
 * credential (httpRequestWithAuthentication, our transport's request options): what our node costs
 * before any of its own code runs. For a breakdown; no target.
 */
export function credentialedFloorNode(description: INodeTypeDescription, baseURL: string, url: string): INodeType {
	return {
		description,
		async execute(this: IExecuteFunctions) {
			this.getNodeParameter('resource', 0);
			const options: IHttpRequestOptions = {
				method: 'GET',
				url,
				baseURL,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				timeout: 60_000,
			};
			const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'darktraceApi', options)) as {
				body: IDataObject;
			};
			return [[{ json: response.body }]];
		},
	};
}
