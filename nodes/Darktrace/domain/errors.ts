/**
 * Turns what the appliance (or the network) answered into a message a SOC engineer can act on.
 * Pure: no n8n types, so every mapping is tested alone.
 */
import { headerValue } from '../../../credentials/common/headers';

export interface ApplianceAnswer {
	statusCode: number;
	body: unknown;
	headers: Record<string, unknown>;
}

export interface Translated {
	message: string;
	description: string;
}

const PERMISSIONS = '"Darktrace RESPOND", "Unrestricted Devices" and "Visualizer"';

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (body === undefined || body === null) return '';
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return JSON.stringify(body);
}

function field(body: unknown, key: string): string | undefined {
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const value = (body as Record<string, unknown>)[key];
		if (typeof value === 'string') return value;
	}
	return undefined;
}

/** A body that is HTML: a login page, a proxy's error page. */
export function looksLikeHtml(body: unknown): boolean {
	return typeof body === 'string' && /^\s*<(!doctype|html|head|body)/i.test(body);
}

/** Skew between this host's clock and the appliance's `Date` header, as a sentence; '' if unknown. */
export function describeSkew(dateHeader: string | undefined, now: number): string {
	if (!dateHeader) return '';
	const appliance = Date.parse(dateHeader);
	if (Number.isNaN(appliance)) return '';
	const seconds = Math.round((now - appliance) / 1000);
	const minutes = Math.round(Math.abs(seconds) / 60);
	const amount = Math.abs(seconds) < 120 ? `${Math.abs(seconds)} seconds` : `${minutes} minutes`;
	return seconds >= 0
		? `This n8n host's clock is ${amount} ahead of the appliance's (appliance time ${new Date(appliance).toISOString()}).`
		: `This n8n host's clock is ${amount} behind the appliance's (appliance time ${new Date(appliance).toISOString()}).`;
}

/** Message for a non-2xx (or non-JSON 2xx) answer. `what` names the request, e.g. "GET /antigena". */
export function translateAnswer(answer: ApplianceAnswer, what: string, now = Date.now()): Translated {
	const { statusCode, body, headers } = answer;
	const response = field(body, 'response');
	const error = field(body, 'error');
	if (statusCode === 400 && response === 'API SIGNATURE ERROR') {
		return {
			message: 'Darktrace rejected the request signature (API SIGNATURE ERROR)',
			description:
				'The public and private tokens in the Darktrace credential do not match a token pair on this appliance. Copy both tokens again (no spaces around them); if the token was regenerated, update both.',
		};
	}
	if (statusCode === 400 && response === 'API DATE ERROR') {
		const skew = describeSkew(headerValue(headers, 'date'), now);
		return {
			message: 'Darktrace rejected the request date (API DATE ERROR): the clocks differ by more than 30 minutes',
			description: `${skew ? skew + ' ' : ''}Fix the clock of the n8n host (enable NTP) or of the appliance; the appliance accepts requests only within 30 minutes of its own time.`,
		};
	}
	if (statusCode === 400) {
		const reason = error ?? response ?? (bodyText(body).slice(0, 300) || 'no reason given');
		const audit = /reason/i.test(reason)
			? ' The appliance has "Audit Antigena" on: every RESPOND write needs a Reason.'
			: '';
		// The key of the fix is in the message: an AI agent using the node as a tool reads only the message.
		return {
			message: audit
				? `Darktrace rejected ${what}: ${reason} (this appliance requires a Reason on every RESPOND write)`
				: `Darktrace rejected ${what}: ${reason} (check the parameters, and an action's current state with Get)`,
			description: `The appliance answered HTTP 400 (INPUT ERROR).${audit} Check the parameters; for an action, Get it first to see its current state.`,
		};
	}
	if (statusCode === 401 || statusCode === 403) {
		return {
			message: `The Darktrace token is not allowed to ${what} (HTTP ${statusCode}): its user lacks a permission on the appliance`,
			description: `Give the token's user the ${PERMISSIONS} permissions on the appliance${error ? ` (appliance said: ${error})` : ''}. Without "Unrestricted Devices" data comes back anonymised.`,
		};
	}
	if (statusCode >= 300 && statusCode < 400) {
		const location = headerValue(headers, 'location') ?? '';
		return {
			message: `The Darktrace appliance redirected ${what} to ${location || 'another page'} (HTTP ${statusCode})`,
			description: /login|403/i.test(location)
				? 'A redirect to the login page means the request was not accepted as an API call: check the instance URL (the Threat Visualizer address, no path) and that the token pair is valid.'
				: 'Check the instance URL in the Darktrace credential: use the final address (e.g. https:// instead of http://).',
		};
	}
	if (statusCode === 404) {
		return {
			message: `The Darktrace appliance has no ${what} endpoint (HTTP 404): check the instance URL in the credential`,
			description:
				'Check the instance URL in the credential (the Threat Visualizer address, without a path). RESPOND writes need Threat Visualizer 6.0.16 or later.',
		};
	}
	if (statusCode === 429) {
		return {
			message: `The Darktrace appliance is rate limiting requests (HTTP 429) for ${what}: wait, then try again`,
			description: 'Wait and run again, or lower "Max Requests in Flight".',
		};
	}
	if (statusCode >= 500) {
		return {
			message: `The Darktrace appliance failed on ${what} (HTTP ${statusCode})`,
			description:
				'The appliance or a gateway in front of it had an error. Try again later; if it persists, check the appliance status.',
		};
	}
	if (looksLikeHtml(body)) {
		return {
			message: `The Darktrace appliance answered ${what} with an HTML page instead of JSON`,
			description:
				'That is usually the login page: the request was not accepted as an API call. Check the instance URL (no path) and the token pair.',
		};
	}
	const text = bodyText(body);
	return {
		message:
			text.trim() === ''
				? `The Darktrace appliance answered ${what} with an empty body (HTTP ${statusCode})`
				: `The Darktrace appliance answered ${what} with data that is not valid JSON (HTTP ${statusCode})`,
		description:
			'The answer was cut off or not from the Darktrace API. Try again; if it persists, check the instance URL and any proxy in between.',
	};
}

const NETWORK_CODES: Record<string, (host: string) => string> = {
	ECONNREFUSED: (host) =>
		`Nothing accepts connections at ${host}: check the instance URL and port, and that the appliance is up.`,
	ENOTFOUND: (host) => `The host name of ${host} cannot be resolved: check the instance URL.`,
	EAI_AGAIN: (host) =>
		`The host name of ${host} cannot be resolved right now (DNS): check the instance URL and n8n's DNS.`,
	ECONNRESET: (host) =>
		`${host} closed the connection mid-request. Check the instance URL and any proxy or firewall in between.`,
	ERR_BAD_RESPONSE: (host) =>
		`${host} closed the connection mid-answer. Try again; if it persists, check any proxy or firewall in between.`,
	EHOSTUNREACH: (host) => `${host} is unreachable from the n8n host: check routing and firewalls.`,
	ETIMEDOUT: (host) =>
		`${host} did not answer in time: check the instance URL, firewalls, or raise the node's Timeout option.`,
	ECONNABORTED: (host) =>
		`${host} did not answer within the node's Timeout: raise the Timeout option or narrow the query (time window, device).`,
};

const TLS_CODES = [
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'CERT_UNTRUSTED',
	'EPROTO',
];

/** What happened to a request that got no usable HTTP answer, in words (n8n rewrites messages that
 * contain raw codes such as ECONNREFUSED, so codes go in the description only). */
export function describeNoAnswer(code: string | undefined, rawMessage: string): string {
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(rawMessage))
		return 'no answer within the timeout';
	if (
		code === 'ECONNRESET' ||
		code === 'ERR_BAD_RESPONSE' ||
		code === 'EPIPE' ||
		/aborted|socket hang up/i.test(rawMessage)
	) {
		return 'the connection closed before a complete answer';
	}
	return 'the connection failed';
}

/** Message for a request that got no HTTP answer. `code` is the Node.js / axios error code. */
export function translateNetworkError(
	code: string | undefined,
	rawMessage: string,
	host: string,
	what: string,
): Translated {
	const codeNote = code ? ` (error code ${code})` : '';
	if (code && (TLS_CODES.includes(code) || /certificate|ssl|tls/i.test(rawMessage))) {
		return {
			message: `The TLS certificate of ${host} could not be verified`,
			description: `Add the appliance's CA certificate to n8n (NODE_EXTRA_CA_CERTS, or /opt/custom-certificates in n8n's Docker image). Only for a test appliance: turn on "Ignore SSL Issues (Insecure)" in the Darktrace credential${codeNote}.`,
		};
	}
	if (code === 'ECONNABORTED' || /timeout/i.test(rawMessage)) {
		return { message: `${what} timed out`, description: NETWORK_CODES.ECONNABORTED(host) + codeNote };
	}
	const explain = code ? NETWORK_CODES[code] : undefined;
	return {
		message: `Could not reach the Darktrace appliance for ${what}`,
		description:
			(explain ? explain(host) : `${rawMessage}. Check the instance URL and the network between n8n and ${host}.`) +
			codeNote,
	};
}
