import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { DARKTRACE_CREDENTIAL_TYPE, type DarktraceCredentialData, parseDarktraceCredentials } from './common/fields';
import { type SignableRequestOptions, signDarktraceRequest } from './common/signing';

export class DarktraceApi implements ICredentialType {
	name = DARKTRACE_CREDENTIAL_TYPE;

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
			description: 'Address of the Darktrace Threat Visualizer (master appliance or cloud instance), without a path',
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
				"Whether to connect even if the appliance's TLS certificate cannot be verified. Insecure: prefer adding the appliance's CA to n8n (NODE_EXTRA_CA_CERTS).",
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
		return signDarktraceRequest(
			requestOptions as unknown as SignableRequestOptions,
			parsed,
			new Date(),
		) as unknown as IHttpRequestOptions;
	}

	/**
	 * HTTP errors are let through (ignoreHttpStatusErrors) so the rules can read the appliance's own
	 * reason: a 400 body says whether the signature or the date was rejected. Anything that is not a
	 * summary (403, 404, a login page, a redirect) fails the last rule.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.url }}',
			url: '/antigena/summary',
			method: 'GET',
			disableFollowRedirect: true,
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'response',
					value: 'API SIGNATURE ERROR',
					message:
						'Darktrace rejected the signature (API SIGNATURE ERROR): the public and private tokens do not match a token pair on this appliance. Copy both tokens again, without spaces around them.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'response',
					value: 'API DATE ERROR',
					message:
						"Darktrace rejected the request date (API DATE ERROR): this n8n host's clock differs from the appliance's by more than 30 minutes. Fix the clock (enable NTP) on the n8n host or the appliance.",
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'pendingCount',
					value: undefined,
					message:
						'The appliance did not return the RESPOND summary. HTTP 403: give the token\'s user the "Darktrace RESPOND", "Unrestricted Devices" and "Visualizer" permissions. HTTP 404, a redirect or a login page: the instance URL is not the Threat Visualizer\'s address (use it without a path).',
				},
			},
		],
	};
}
