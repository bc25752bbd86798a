import { createHmac } from 'crypto';

import type { DarktraceCredentials, DtapiDateFormat } from './fields';
import { headerKey, headerValue } from './headers';

/**
 * Darktrace API request signing, done by the credential's `authenticate` for every request: our nodes,
 * n8n's HTTP Request node, the credential test.
 *
 * The appliance verifies HMAC-SHA1(private token, `<api-request>\n<public token>\n<date>`), where
 * `<api-request>` is the request target exactly as sent: path + query for a GET, `path?<body>` for a POST.
 * So we build the final URL and body ourselves, sign those bytes, and hand n8n nothing left to serialize.
 */

/** Lowercase hex HMAC-SHA1 as the appliance computes it. */
export function dtapiSignature(apiRequest: string, publicToken: string, privateToken: string, date: string): string {
	return createHmac('sha1', privateToken).update(`${apiRequest}\n${publicToken}\n${date}`).digest('hex');
}

const pad = (n: number) => String(n).padStart(2, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The `DTAPI-Date` header in one of the formats the appliance accepts (always UTC). */
export function formatDtapiDate(date: Date, format: DtapiDateFormat = 'spaced'): string {
	const y = date.getUTCFullYear();
	const mo = pad(date.getUTCMonth() + 1);
	const d = pad(date.getUTCDate());
	const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
	switch (format) {
		case 'compact':
			return `${y}${mo}${d}T${time.replace(/:/g, '')}`;
		case 'iso':
			return `${y}-${mo}-${d}T${time}`;
		case 'http':
			return `${DAYS[date.getUTCDay()]}, ${d} ${MONTHS[date.getUTCMonth()]} ${y} ${time} GMT`;
		default:
			return `${y}-${mo}-${d} ${time}`;
	}
}

/**
 * Percent-encodes everything but RFC 3986 unreserved characters and `:`. Stricter than WHATWG URL
 * parsing, so the URL we sign is the URL that goes on the wire, unchanged by any later parser.
 */
export function encodeQueryComponent(value: string): string {
	return encodeURIComponent(value)
		.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
		.replace(/%3A/g, ':');
}

function queryValue(key: string, value: unknown): string {
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new Error(`Query parameter "${key}" is not a finite number`);
		return String(value);
	}
	if (typeof value === 'string') return value;
	if (value instanceof Date) return String(value.getTime());
	throw new Error(`Query parameter "${key}" must be a string, number or boolean, not ${typeof value}`);
}

/** Serialises a query object in insertion order; arrays repeat the key; null/undefined are left out. */
export function serializeQuery(qs: Record<string, unknown> | undefined): string {
	if (!qs) return '';
	let query = '';
	for (const key of Object.keys(qs)) {
		const raw = qs[key];
		if (raw === undefined || raw === null) continue;
		const name = encodeQueryComponent(key);
		if (!Array.isArray(raw)) {
			query += `${query ? '&' : ''}${name}=${encodeQueryComponent(queryValue(key, raw))}`;
			continue;
		}
		for (const value of raw) query += `${query ? '&' : ''}${name}=${encodeQueryComponent(queryValue(key, value))}`;
	}
	return query;
}

/** The request options shapes n8n hands to `authenticate` (modern `url`, legacy `uri`). */
export interface SignableRequestOptions {
	url?: string;
	uri?: string | URL;
	baseURL?: string;
	method?: string;
	qs?: Record<string, unknown>;
	body?: unknown;
	form?: unknown;
	headers?: Record<string, unknown>;
	skipSslCertificateValidation?: boolean;
	rejectUnauthorized?: boolean;
	disableFollowRedirect?: boolean;
	timeout?: number;
	abortSignal?: unknown;
	followRedirect?: boolean;
	followAllRedirects?: boolean;
	[key: string]: unknown;
}

const ABSOLUTE = /^https?:\/\//i;
const DTAPI_HEADER = /^dtapi-(token|date|signature)$/i;
const NO_BODY_METHODS = ['GET', 'HEAD', 'OPTIONS'];

function isFormContentType(headers: Record<string, unknown>): boolean {
	return (headerValue(headers, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

function setHeader(headers: Record<string, unknown>, name: string, value: string) {
	const existing = headerKey(headers, name);
	if (existing !== undefined && existing !== name) delete headers[existing];
	headers[name] = value;
}

/** The body as the exact string that will be sent, and its content type; undefined when there is none. */
function bodyToSend(
	options: SignableRequestOptions,
	headers: Record<string, unknown>,
): { text: string; contentType: string } | undefined {
	const { body, form } = options;
	if (body === undefined && form !== undefined && form !== null) {
		const text = typeof form === 'string' ? form : serializeQuery(form as Record<string, unknown>);
		return { text, contentType: 'application/x-www-form-urlencoded' };
	}
	if (body === undefined || body === null || body === '') return undefined;
	if (typeof body === 'string') {
		const text = body.trim();
		if (text === '') return undefined;
		if (isFormContentType(headers)) return { text, contentType: 'application/x-www-form-urlencoded' };
		return { text, contentType: 'application/json' };
	}
	if (Buffer.isBuffer(body)) return bodyToSend({ ...options, body: body.toString('utf8') }, headers);
	if (body instanceof URLSearchParams) {
		return { text: serializeQuery(Object.fromEntries(body)), contentType: 'application/x-www-form-urlencoded' };
	}
	if (typeof body === 'object') {
		if (typeof (body as { getHeaders?: unknown }).getHeaders === 'function') {
			throw new Error(
				'Darktrace requests cannot be signed with a multipart (form-data) body: send JSON or a form-urlencoded body',
			);
		}
		if (!Array.isArray(body) && Object.keys(body).length === 0) return undefined;
		if (isFormContentType(headers)) {
			return {
				text: serializeQuery(body as Record<string, unknown>),
				contentType: 'application/x-www-form-urlencoded',
			};
		}
		return { text: JSON.stringify(body), contentType: 'application/json' };
	}
	return { text: String(body), contentType: 'application/json' };
}

function resolveUrl(options: SignableRequestOptions, credentials: DarktraceCredentials): URL {
	const raw = options.uri !== undefined ? String(options.uri) : (options.url ?? '');
	let url: URL;
	if (ABSOLUTE.test(raw)) {
		url = new URL(raw);
	} else {
		const base = (options.baseURL && ABSOLUTE.test(options.baseURL) ? options.baseURL : credentials.baseUrl).replace(
			/\/+$/,
			'',
		);
		url = new URL(base + (raw === '' || raw.startsWith('/') ? raw : `/${raw}`));
	}
	if (url.origin !== credentials.baseUrl) {
		throw new Error(
			`This request goes to ${url.origin}, but the Darktrace credential is for ${credentials.baseUrl}: ` +
				'the credential only signs requests to its own instance URL. Use a relative path or the instance URL.',
		);
	}
	return url;
}

/**
 * Signs request options in place and returns them. Accepts every shape n8n passes (our nodes' `url` +
 * `qs`, the HTTP Request node's absolute `uri`, the credential test's `baseURL` + `url`) and is
 * idempotent: applied to its own output it signs the same target again with a fresh date.
 */
export function signDarktraceRequest<T extends SignableRequestOptions>(
	options: T,
	credentials: DarktraceCredentials,
	now: Date,
): T {
	const url = resolveUrl(options, credentials);
	const query = serializeQuery(options.qs);
	const target = url.pathname + (query ? (url.search ? `${url.search}&${query}` : `?${query}`) : url.search);
	const finalUrl = url.origin + target;

	const method = (options.method ?? 'GET').toUpperCase();
	const headers: Record<string, unknown> = {};
	if (options.headers) {
		for (const key of Object.keys(options.headers)) {
			if (!DTAPI_HEADER.test(key)) headers[key] = options.headers[key];
		}
	}

	let signed = target;
	if (NO_BODY_METHODS.includes(method)) {
		delete options.body;
	} else {
		const body = bodyToSend(options, headers);
		if (body) {
			// POSTs are signed as path?<body>; a query on a POST is left out, as the appliance does.
			signed = `${url.pathname}?${body.text}`;
			options.body = body.text;
			setHeader(headers, 'Content-Type', body.contentType);
		} else {
			delete options.body;
		}
	}
	delete options.form;
	delete options.qs;
	delete options.baseURL;
	if (options.uri !== undefined) {
		options.uri = finalUrl;
		delete options.url;
	} else {
		options.url = finalUrl;
	}

	const date = formatDtapiDate(now, credentials.dateFormat);
	headers['DTAPI-Token'] = credentials.publicToken;
	headers['DTAPI-Date'] = date;
	headers['DTAPI-Signature'] = dtapiSignature(signed, credentials.publicToken, credentials.privateToken, date);
	options.headers = headers;

	options.skipSslCertificateValidation = credentials.ignoreSslIssues;
	options.rejectUnauthorized = !credentials.ignoreSslIssues;
	// axios's `timeout` stops waiting at the answer's headers: make it a deadline for the whole exchange,
	// body included (n8n sets `abortSignal` to the execution's cancel signal just before this runs).
	if (typeof options.timeout === 'number' && options.timeout > 0) {
		const deadline = AbortSignal.timeout(options.timeout);
		const cancel = options.abortSignal as AbortSignal | undefined;
		options.abortSignal = cancel ? AbortSignal.any([cancel, deadline]) : deadline;
	}
	// Signed headers must not follow a redirect to another origin (n8n strips only Authorization there):
	// no redirect is followed, on the modern path (disableFollowRedirect) or the legacy one.
	options.disableFollowRedirect = true;
	options.followRedirect = false;
	options.followAllRedirects = false;
	return options;
}
