/**
 * The Darktrace API credential's fields: checked and normalised once per credential object, before any
 * request is sent (by the nodes' transport) or signed (by the credential's `authenticate`).
 */

/** The credential type's name, as nodes and n8n refer to it. */
export const DARKTRACE_CREDENTIAL_TYPE = 'darktraceApi';

export type DtapiDateFormat = 'spaced' | 'compact' | 'iso' | 'http';

export interface DarktraceCredentialData {
	url?: unknown;
	publicToken?: unknown;
	privateToken?: unknown;
	ignoreSslIssues?: unknown;
	dateFormat?: unknown;
}

export interface DarktraceCredentials {
	/** Instance origin without trailing slash, e.g. `https://darktrace.example.com` */
	baseUrl: string;
	publicToken: string;
	privateToken: string;
	ignoreSslIssues: boolean;
	dateFormat: DtapiDateFormat;
}

/** A problem with the credential itself; names the field and the fix, never the private token's value. */
export class DarktraceCredentialError extends Error {
	constructor(
		readonly field: string,
		readonly problem: string,
		readonly fix: string,
	) {
		super(`${problem}. ${fix}`);
		this.name = 'DarktraceCredentialError';
	}
}

const DATE_FORMATS: readonly DtapiDateFormat[] = ['spaced', 'compact', 'iso', 'http'];

function describeSecret(value: string): string {
	return `(hidden, ${value.length} characters)`;
}

function checkToken(field: string, label: string, value: unknown, secret: boolean): string {
	if (typeof value !== 'string' || value.length === 0) {
		throw new DarktraceCredentialError(
			field,
			`The Darktrace credential's ${label} is empty`,
			`Paste the ${label} from the appliance's System Config > Settings > API Token page into the credential.`,
		);
	}
	const shown = secret ? describeSecret(value) : `"${value}"`;
	if (value.trim() !== value) {
		throw new DarktraceCredentialError(
			field,
			`The Darktrace credential's ${label} ${shown} starts or ends with whitespace`,
			`Remove the spaces or line breaks around the ${label} in the credential; the appliance compares it byte for byte.`,
		);
	}
	if (/\s/.test(value)) {
		throw new DarktraceCredentialError(
			field,
			`The Darktrace credential's ${label} ${shown} contains whitespace`,
			`Copy the ${label} again from the appliance: tokens contain only letters and digits.`,
		);
	}
	return value;
}

/** The instance URL as errors may show it: without any `user:password@`. */
function withoutUserinfo(url: string): string {
	return url.replace(/^(\s*(?:[a-z][a-z0-9+.-]*:\/\/)?)[^/?#]*@/i, '$1');
}

/** Validates the credential fields and returns them normalised; throws DarktraceCredentialError. */
export function parseDarktraceCredentials(data: DarktraceCredentialData): DarktraceCredentials {
	const rawUrl = typeof data.url === 'string' ? data.url : '';
	const shownUrl = withoutUserinfo(rawUrl);
	if (rawUrl.trim() === '') {
		throw new DarktraceCredentialError(
			'url',
			'The Darktrace credential has no instance URL',
			'Enter the appliance address, e.g. https://darktrace.example.com',
		);
	}
	if (rawUrl.trim() !== rawUrl) {
		throw new DarktraceCredentialError(
			'url',
			`The Darktrace credential's instance URL "${shownUrl}" starts or ends with whitespace`,
			'Remove the spaces around the address.',
		);
	}
	if (!/^https?:\/\//i.test(rawUrl)) {
		throw new DarktraceCredentialError(
			'url',
			`The Darktrace credential's instance URL "${shownUrl}" has no http(s):// scheme`,
			/^[a-z][a-z0-9+.-]*:\/\//i.test(rawUrl)
				? 'Use an https:// address (http:// only for a local test appliance).'
				: `Write it as https://${shownUrl.replace(/\/+$/, '')}`,
		);
	}
	let parsed: URL | undefined;
	try {
		parsed = new URL(rawUrl);
	} catch {
		parsed = undefined;
	}
	if (parsed === undefined) {
		throw new DarktraceCredentialError(
			'url',
			`The Darktrace credential's instance URL "${shownUrl}" is not a valid URL`,
			'Enter the appliance address, e.g. https://darktrace.example.com',
		);
	}
	if (parsed.search || parsed.hash || rawUrl.includes('?') || rawUrl.includes('#')) {
		throw new DarktraceCredentialError(
			'url',
			`The Darktrace credential's instance URL "${shownUrl}" has a query or fragment`,
			`Use only the appliance address: ${parsed.origin}`,
		);
	}
	if (parsed.username || parsed.password) {
		throw new DarktraceCredentialError(
			'url',
			`The Darktrace credential's instance URL for ${parsed.origin} contains a user name or password`,
			`Remove the "user:password@" part: the appliance authenticates with the token pair. Use ${parsed.origin}`,
		);
	}
	if (parsed.pathname !== '/') {
		throw new DarktraceCredentialError(
			'url',
			`The Darktrace credential's instance URL "${shownUrl}" has a path`,
			`Use only the appliance address, without a path such as /antigena: ${parsed.origin}`,
		);
	}
	const dateFormat = (data.dateFormat ?? 'spaced') as DtapiDateFormat;
	if (!DATE_FORMATS.includes(dateFormat)) {
		throw new DarktraceCredentialError(
			'dateFormat',
			`The Darktrace credential's date format "${String(data.dateFormat)}" is unknown`,
			`Choose one of: ${DATE_FORMATS.join(', ')}.`,
		);
	}
	return {
		baseUrl: parsed.origin,
		publicToken: checkToken('publicToken', 'public token', data.publicToken, false),
		privateToken: checkToken('privateToken', 'private token', data.privateToken, true),
		ignoreSslIssues: data.ignoreSslIssues === true,
		dateFormat,
	};
}

