import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import {
	type DarktraceCredentialData,
	type SignableRequestOptions,
	parseDarktraceCredentials,
	signDarktraceRequest,
} from './common/darktraceAuth';

export class DarktraceApi implements ICredentialType {
	name = 'darktraceApi';

	displayName = 'Darktrace API';

	icon: Icon = { light: 'file:darktrace.svg', dark: 'file:darktrace.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-darktrace#darktrace-api-credential';

	httpRequestNode = {
		name: 'Darktrace',
		docsUrl: 'https://www.npmjs.com/package/n8n-nodes-darktrace#http-request-node',
		apiBaseUrlPlaceholder: 'https://darktrace.example.com/antigena',
	};

	properties: INodeProperties[] = [
		{
			displayName: 'Instance URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://darktrace.example.com',
			description:
				'Address of the Darktrace Threat Visualizer (master appliance or cloud instance), without a path',
		},
		{
			displayName: 'Public Token',
			name: 'publicToken',
			type: 'string',
			default: '',
			required: true,
			description:
				'From System Config > Settings > API Token. The token\'s user needs "Darktrace RESPOND", "Unrestricted Devices" and "Visualizer" permissions.',
		},
		{
			displayName: 'Private Token',
			name: 'privateToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Shown once when the token is created; used only to sign requests, never sent',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the appliance\'s TLS certificate cannot be verified. Insecure: prefer adding the appliance\'s CA to n8n (NODE_EXTRA_CA_CERTS).',
		},
		{
			displayName: 'Date Format',
			name: 'dateFormat',
			type: 'options',
			default: 'spaced',
			description:
				'Format of the DTAPI-Date header. Every format is accepted by current appliances; change it only if yours rejects the default.',
			options: [
				{ name: '2023-01-01 12:00:00 (Default)', value: 'spaced' },
				{ name: '20230101T120000', value: 'compact' },
				{ name: '2023-01-01T12:00:00', value: 'iso' },
				{ name: 'Mon, 01 Jan 2023 12:00:00 GMT', value: 'http' },
			],
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const parsed = parseDarktraceCredentials(credentials as DarktraceCredentialData);
		return signDarktraceRequest(requestOptions as unknown as SignableRequestOptions, parsed, new Date()) as unknown as IHttpRequestOptions;
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.url }}',
			url: '/antigena/summary',
			method: 'GET',
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message:
						'Darktrace rejected the request signature or date (HTTP 400: API SIGNATURE ERROR or API DATE ERROR). Check that the public and private tokens belong to the same token pair, have no extra spaces, and that this n8n host\'s clock is within 30 minutes of the appliance\'s.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Darktrace rejected the tokens (HTTP 401). Create a new API token pair and paste both tokens again.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The token\'s user lacks a permission (HTTP 403). Give it "Darktrace RESPOND", "Unrestricted Devices" and "Visualizer" in the appliance\'s permission settings.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 302,
					message:
						'The appliance redirected to its login page (HTTP 302): the instance URL is probably not the Threat Visualizer\'s address, or the token has no API access.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The instance URL answered 404 for /antigena/summary: check the address (no path), and that the appliance runs Threat Visualizer 6 or later.',
				},
			},
		],
	};
}
