/**
 * The one way our nodes talk to the appliance. Every request is signed by the Darktrace API credential's
 * `authenticate` (via n8n's `httpRequestWithAuthentication`); this module adds what n8n does not:
 * credential validation before anything is sent, bounded retries for reads only, and errors translated
 * into what to fix. Writes are never retried: a write without a clear answer is reported as unknown.
 */
import {
	NodeApiError,
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

import {
	DARKTRACE_CREDENTIAL_TYPE,
	parseDarktraceCredentials,
	type DarktraceCredentialData,
	type DarktraceCredentials,
} from '../../../credentials/common/fields';
import { headerValue } from '../../../credentials/common/headers';
import {
	describeNoAnswer,
	looksLikeHtml,
	translateAnswer,
	translateNetworkError,
	type Translated,
} from '../domain/errors';
import { toNodeError } from '../nodeError';

export type DarktraceContext = IExecuteFunctions | IPollFunctions;

export const DEFAULT_TIMEOUT_SECONDS = 60;
/** Attempts for a read: the first plus two retries. */
const READ_ATTEMPTS = 3;
const BACKOFF_MS = [500, 1500];
/** Longest Retry-After we honour before giving up on a read. */
const MAX_RETRY_AFTER_MS = 10_000;
const RETRYABLE_STATUS = [429, 500, 502, 503, 504];
const RETRYABLE_CODES = [
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'ERR_BAD_RESPONSE',
];

export interface DarktraceRequest {
	method: 'GET' | 'POST';
	endpoint: '/antigena' | '/antigena/manual' | '/antigena/summary' | '/modelbreaches';
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	timeoutSeconds?: number;
	/** For writes: what the write was, e.g. "activate action 123"; used in "outcome unknown" errors. */
	write?: { description: string; howToCheck: string };
}

/** The credential as validated before anything is sent: a bad field is a NodeOperationError. */
function validCredentials(
	ctx: DarktraceContext,
	data: ICredentialDataDecryptedObject,
	itemIndex: number,
): DarktraceCredentials {
	try {
		return parseDarktraceCredentials(data as DarktraceCredentialData);
	} catch (error) {
		throw toNodeError(ctx, error, itemIndex);
	}
}

interface FullResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

function retryAfterMs(headers: Record<string, unknown>, now: number): number | undefined {
	const value = headerValue(headers, 'retry-after')?.trim();
	if (value === undefined) return undefined;
	if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
	const at = Date.parse(value);
	return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function networkCode(error: unknown): { code?: string; message: string } {
	let current = error as { code?: unknown; cause?: unknown; message?: unknown; errorResponse?: unknown } | undefined;
	const message = String((error as Error)?.message ?? error);
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && /^[A-Z_]+$/.test(current.code)) {
			return { code: current.code, message: String(current.message ?? message) };
		}
		current = (current.cause ?? current.errorResponse) as typeof current;
	}
	return { message };
}

function apiError(
	ctx: DarktraceContext,
	translated: Translated,
	itemIndex: number,
	httpCode?: number,
	response?: unknown,
): NodeApiError {
	const payload: JsonObject = { message: translated.message };
	if (response && typeof response === 'object' && !Array.isArray(response)) {
		payload.response = response as JsonObject;
	}
	return new NodeApiError(ctx.getNode(), payload, {
		message: translated.message,
		description: translated.description,
		httpCode: httpCode === undefined ? undefined : String(httpCode),
		itemIndex,
	});
}

function unknownOutcome(
	ctx: DarktraceContext,
	request: DarktraceRequest,
	cause: string,
	itemIndex: number,
	httpCode?: number,
): NodeApiError {
	const write = request.write as NonNullable<DarktraceRequest['write']>;
	return apiError(
		ctx,
		{
			message: `Outcome unknown: the appliance did not confirm the request to ${write.description} (${cause})`,
			description: `The request was sent and may have been applied. It was NOT retried, to avoid acting twice. ${write.howToCheck}`,
		},
		itemIndex,
		httpCode,
	);
}

function isJsonAnswer(body: unknown): boolean {
	return body !== null && typeof body === 'object' && !Buffer.isBuffer(body);
}

export interface DarktraceResponse {
	body: unknown;
	/** The appliance's clock (its `Date` header), epoch ms; this host's clock if absent. States such as
	 * "expired" are judged by it, since the appliance decides them. */
	serverTime: number;
	/** The credential's instance URL as requests use it (origin: no userinfo, no trailing slash). */
	instance: string;
}

function serverTime(headers: Record<string, unknown>): number {
	const date = headerValue(headers, 'date');
	const parsed = date === undefined ? NaN : Date.parse(date);
	return Number.isNaN(parsed) ? Date.now() : parsed;
}

/**
 * How a write that failed ended, for the write-once rules (`domain/writeOnce.ts`, used by the router): `notSent` when it
 * provably never reached the appliance (connection refused, DNS, TLS handshake), `rejected` when the
 * appliance answered that it did not apply it (4xx), `unknown` when it may have been applied.
 */
export type WriteOutcome = 'notSent' | 'rejected' | 'unknown';

const writeOutcomes = new WeakMap<object, WriteOutcome>();

/** How a write request failed, as classified here; undefined for an error raised before any write was
 * sent (invalid input or credential, a failed read before the write). */
export function writeOutcomeOf(error: unknown): WriteOutcome | undefined {
	return error !== null && typeof error === 'object' ? writeOutcomes.get(error) : undefined;
}

function classified<T extends object>(error: T, outcome: WriteOutcome): T {
	writeOutcomes.set(error, outcome);
	return error;
}

/**
 * Sends one request and returns the parsed JSON body and the appliance's time. Reads are retried on
 * network errors, 429 and 5xx (honouring Retry-After up to 10 s); writes are sent exactly once. The
 * timeout is one deadline for the whole exchange: connecting, the answer's headers and its whole body,
 * and a read's retries.
 */
export async function darktraceApiRequest(
	this: DarktraceContext,
	request: DarktraceRequest,
): Promise<DarktraceResponse> {
	const itemIndex = request.itemIndex ?? 0;
	const data = await this.getCredentials(DARKTRACE_CREDENTIAL_TYPE);
	const credentials = validCredentials(this, data, itemIndex);
	// Handed to n8n so that it signs with these instead of fetching and decrypting the credential again.
	// bench: Same request, per request of a 10-item execution, vs the bare floor (bench/README.md)
	const credentialsDecrypted = { id: '', name: DARKTRACE_CREDENTIAL_TYPE, type: DARKTRACE_CREDENTIAL_TYPE, data };
	const isWrite = request.method !== 'GET';
	const what = `${request.method} ${request.endpoint}`;
	const host = credentials.baseUrl;
	const attempts = isWrite ? 1 : READ_ATTEMPTS;
	const timeoutMs = Math.round((request.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000);
	// One deadline for the exchange: each attempt gets what is left of it as `timeout`, which the
	// credential's `authenticate` turns into an abort signal that also bounds the answer's body.
	const deadlineAt = Date.now() + timeoutMs;
	const pastDeadline = () => Date.now() >= deadlineAt - 20;
	/** Whether a read may wait `ms` and try again before the deadline. */
	const mayRetryRead = (attempt: number, ms: number) => !isWrite && attempt < attempts && Date.now() + ms < deadlineAt;

	for (let attempt = 1; ; attempt++) {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.endpoint,
			baseURL: credentials.baseUrl,
			qs: request.qs,
			body: request.body,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: Math.max(1, deadlineAt - Date.now()),
		};
		let response: FullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, DARKTRACE_CREDENTIAL_TYPE, options, {
				credentialsDecrypted,
			})) as FullResponse;
		} catch (error) {
			let { code, message } = networkCode(error);
			if (pastDeadline()) {
				code = 'ECONNABORTED';
				message = `timeout of ${timeoutMs} ms exceeded`;
			}
			if (isWrite) {
				// A connection refused or a TLS failure happens before anything is sent: that is not unknown.
				const notSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || /certificate|ssl|tls/i.test(message);
				if (!notSent) {
					throw classified(unknownOutcome(this, request, describeNoAnswer(code, message), itemIndex), 'unknown');
				}
				throw classified(apiError(this, translateNetworkError(code, message, host, what), itemIndex), 'notSent');
			}
			if (code && RETRYABLE_CODES.includes(code) && mayRetryRead(attempt, BACKOFF_MS[attempt - 1])) {
				await sleep(BACKOFF_MS[attempt - 1]);
				continue;
			}
			throw apiError(this, translateNetworkError(code, message, host, what), itemIndex);
		}

		const { statusCode, body, headers } = response;
		if (statusCode >= 200 && statusCode < 300 && isJsonAnswer(body)) {
			return {
				body,
				instance: host,
				serverTime: serverTime(headers),
			};
		}

		if (isWrite && (statusCode >= 500 || (statusCode >= 200 && statusCode < 300))) {
			// 5xx from a gateway, or a 2xx we cannot read: the appliance may have applied the write.
			throw classified(
				unknownOutcome(
					this,
					request,
					statusCode >= 500 ? `HTTP ${statusCode}` : 'unreadable answer',
					itemIndex,
					statusCode,
				),
				'unknown',
			);
		}
		if (RETRYABLE_STATUS.includes(statusCode)) {
			const wait = retryAfterMs(headers, Date.now());
			if (
				(wait === undefined || wait <= MAX_RETRY_AFTER_MS) &&
				mayRetryRead(attempt, wait ?? BACKOFF_MS[attempt - 1])
			) {
				await sleep(wait ?? BACKOFF_MS[attempt - 1]);
				continue;
			}
		}
		if (
			statusCode >= 200 &&
			statusCode < 300 &&
			!looksLikeHtml(body) &&
			mayRetryRead(attempt, BACKOFF_MS[attempt - 1])
		) {
			// A truncated or empty JSON answer to a read: read again.
			await sleep(BACKOFF_MS[attempt - 1]);
			continue;
		}
		const error = apiError(this, translateAnswer({ statusCode, body, headers }, what), itemIndex, statusCode, body);
		// A 3xx or 4xx answer: the appliance (or what stands in front of it) did not apply the write.
		throw isWrite ? classified(error, 'rejected') : error;
	}
}
