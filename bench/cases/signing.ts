/** Signing alone: the package's signer against node:crypto's HMAC-SHA1 over the same message. */
import { createHmac } from 'node:crypto';

import { parseDarktraceCredentials } from '../../credentials/common/fields';
import {
	dtapiSignature,
	formatDtapiDate,
	signDarktraceRequest,
	type SignableRequestOptions,
} from '../../credentials/common/signing';
import { callsPerSecond, pairedRatios, rounds } from '../measure';
import { measure, result } from '../report';
import type { BenchCase } from '../settings';
import { loadVariants } from '../variant';

/** The options our transport hands to `authenticate` for a trigger poll with device details. */
function typicalGet(baseURL: string): SignableRequestOptions {
	return {
		method: 'GET',
		url: '/antigena',
		baseURL,
		qs: { needconfirming: true, fulldevicedetails: true },
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: 60_000,
	};
}

export const signing: BenchCase = async ({ sim, settings, log }) => {
	const credentials = parseDarktraceCredentials(sim.credentials);
	const { publicToken, privateToken } = credentials;
	const now = new Date();
	const date = formatDtapiDate(now, credentials.dateFormat);
	const target = '/antigena?needconfirming=true&fulldevicedetails=true';
	const message = `${target}\n${publicToken}\n${date}`;
	const hmac = () => createHmac('sha1', privateToken).update(message).digest('hex');

	// The signer changes its options in place: every call gets a fresh object, made before timing starts.
	const n = settings.signaturesPerSample;
	const signWith = (sign: typeof signDarktraceRequest) => () => {
		const batch = Array.from({ length: n }, () => typicalGet(credentials.baseUrl));
		return callsPerSecond(n, (i) => sign(batch[i], credentials, now).headers?.['DTAPI-Signature'] as string);
	};
	const signRequest = signWith(signDarktraceRequest);
	const parseWith = (parse: typeof parseDarktraceCredentials) => () => {
		const batch = Array.from({ length: n }, () => ({ ...sim.credentials }));
		return callsPerSecond(n, (i) => parse(batch[i]).baseUrl);
	};
	// BENCH_VARIANT: copies of the package measured in the same rounds (bench/variant.ts).
	const variants = loadVariants();
	const variantSides: Record<string, () => Promise<number>> = {};
	for (const { name, auth } of variants) {
		variantSides[`sign:${name}`] = async () => signWith(auth.signDarktraceRequest)();
		variantSides[`parse:${name}`] = async () => parseWith(auth.parseDarktraceCredentials)();
	}
	const signed = signDarktraceRequest(typicalGet(credentials.baseUrl), credentials, now);
	if (signed.url !== credentials.baseUrl + target || signed.headers?.['DTAPI-Signature'] !== hmac()) {
		throw new Error(`signDarktraceRequest did not sign ${target} as the floor does`);
	}

	const runs = settings.signingRuns;
	log(`signing: ${settings.warmup + runs} rounds of ${n} signatures per side`);
	const samples: Record<string, number[]> = await rounds(
		{
			...variantSides,
			signRequest: async () => signRequest(),
			dtapiSignature: async () => callsPerSecond(n, () => dtapiSignature(target, publicToken, privateToken, date)),
			hmac: async () => callsPerSecond(n, hmac),
			// A fresh object per call, as n8n decrypts the credential afresh for every request.
			parse: async () => parseWith(parseDarktraceCredentials)(),
		},
		{ warmup: settings.warmup, runs },
	);
	const floor = measure('node:crypto HMAC-SHA1, same message', 'signatures/s', samples.hmac);
	const signer = measure('signDarktraceRequest, typical GET options', 'signatures/s', samples.signRequest);
	const alone = measure('dtapiSignature alone', 'signatures/s', samples.dtapiSignature);
	const parse = measure('parseDarktraceCredentials', 'parses/s', samples.parse);
	return [
		result({
			id: 'signing.signRequest',
			label: 'Signing alone: signDarktraceRequest',
			ours: signer,
			floor,
			ratios: pairedRatios(samples.hmac, samples.signRequest),
			ratioMeaning: 'cost ours/floor',
			target: null,
		}),
		result({
			id: 'signing.dtapiSignature',
			label: 'Signing alone: dtapiSignature',
			ours: alone,
			floor,
			ratios: pairedRatios(samples.hmac, samples.dtapiSignature),
			ratioMeaning: 'cost ours/floor',
			target: null,
		}),
		result({
			id: 'signing.parseCredentials',
			label: 'Credential check (parseDarktraceCredentials, once per request)',
			ours: parse,
			floor: null,
			ratio: null,
			ratioMeaning: '',
			target: null,
		}),
		...variants.flatMap(({ name }) => [
			result({
				id: `variant.${name}.signRequest`,
				label: `Variant ${name}: signDarktraceRequest vs ours`,
				ours: measure(`variant ${name}`, 'signatures/s', samples[`sign:${name}`]),
				floor: signer,
				ratios: pairedRatios(samples.signRequest, samples[`sign:${name}`]),
				ratioMeaning: 'cost variant/ours',
				target: null,
			}),
			result({
				id: `variant.${name}.parse`,
				label: `Variant ${name}: parseDarktraceCredentials vs ours`,
				ours: measure(`variant ${name}`, 'parses/s', samples[`parse:${name}`]),
				floor: parse,
				ratios: pairedRatios(samples.parse, samples[`parse:${name}`]),
				ratioMeaning: 'cost variant/ours',
				target: null,
			}),
		]),
	];
};
