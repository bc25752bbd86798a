import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	createRunExecutionData,
	type ICredentialTestRequest,
	type IDataObject,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
} from 'n8n-workflow';

import { DARKTRACE_CREDENTIAL_TYPE } from '../../credentials/common/fields';
import { TestCredentialsHelper, type TestCredentials } from './credentials';
import { additionalData, buildWorkflow } from './nodeRunner';

/**
 * Runs the credential's `test` the way n8n's CLI does (CredentialsTester.runRequestTest): the test
 * request as the routing of a temporary node, executed by n8n-core's RoutingNode, then the rules.
 */
export async function testCredential(
	credentials: TestCredentials,
): Promise<INodeCredentialTestResult & { helper: TestCredentialsHelper }> {
	const helper = new TestCredentialsHelper(credentials);
	const test = helper.credentialType.test as ICredentialTestRequest;
	const tempType: INodeType = {
		description: {
			displayName: 'Temp',
			name: 'temp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: DARKTRACE_CREDENTIAL_TYPE, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: test.request } },
			],
		},
	};
	const { workflow, node } = buildWorkflow({
		type: tempType,
		name: 'temp',
		parameters: {},
		credentials,
		nodeName: 'Temp-Node',
	});
	const inputData = { main: [[{ json: {} }]] };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData(helper),
		'internal',
		createRunExecutionData({ resultData: { runData: {} } }),
		0,
		[],
		inputData,
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, tempType, {
		id: 'cred-1',
		name: 'Darktrace (test)',
		type: DARKTRACE_CREDENTIAL_TYPE,
		data: credentials,
	});
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = (await routingNode.runNode()) as INodeExecutionData[][] | null | undefined;
	} catch (error) {
		const cause = (error as { cause?: { response?: { status: number; statusText: string }; code?: string } }).cause;
		if (cause?.response) {
			for (const rule of test.rules ?? []) {
				if (rule.type === 'responseCode' && cause.response.status === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message, helper };
				}
			}
			return {
				status: 'Error',
				message: cause.response.statusText || `Received HTTP status code: ${cause.response.status}`,
				helper,
			};
		}
		if (cause?.code) return { status: 'Error', message: cause.code, helper };
		return { status: 'Error', message: String((error as Error).message), helper };
	}
	for (const rule of test.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const json = response?.[0]?.[0]?.json as IDataObject | undefined;
			const value = rule.properties.key
				.split('.')
				.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as IDataObject)[k] : undefined), json);
			if (value === rule.properties.value) return { status: 'Error', message: rule.properties.message, helper };
		}
	}
	return { status: 'OK', message: 'Connection successful!', helper };
}
