import { DarktraceCredentialError, parseDarktraceCredentials } from '../../credentials/common/fields';
import {
	dtapiSignature,
	encodeQueryComponent,
	formatDtapiDate,
	serializeQuery,
	signDarktraceRequest,
	type SignableRequestOptions,
} from '../../credentials/common/signing';

const PUBLIC = '118v8jecrbrtkucou5a34hsbzounohx6jce61dwy';
const PRIVATE = '7chbwad4hl4n5ok69e2edrs2ogpiqy8ldd5oozdb';

describe('signer', () => {
	test('reproduces the official test vector of the API guide', () => {
		expect(
			dtapiSignature(
				'/modelbreaches?starttime=1701388800000&endtime=1704070800000',
				PUBLIC,
				PRIVATE,
				'20230101T120000',
			),
		).toBe('f19ae16721cc0e020ad12ec372cb15fa93bf3626');
	});

	test('formats DTAPI-Date in every offered format, in UTC', () => {
		const d = new Date(Date.UTC(2023, 0, 1, 12, 0, 5));
		expect(formatDtapiDate(d, 'spaced')).toBe('2023-01-01 12:00:05');
		expect(formatDtapiDate(d, 'compact')).toBe('20230101T120005');
		expect(formatDtapiDate(d, 'iso')).toBe('2023-01-01T12:00:05');
		expect(formatDtapiDate(d, 'http')).toBe('Sun, 01 Jan 2023 12:00:05 GMT');
	});

	test('query values: unreserved and ":" stay, everything else is percent-encoded; booleans lowercase', () => {
		expect(encodeQueryComponent('2020-01-10 12:00:00')).toBe('2020-01-10%2012:00:00');
		expect(encodeQueryComponent("a'b(c)*!")).toBe('a%27b%28c%29%2A%21');
		expect(serializeQuery({ b: true, a: false, n: 5, s: 'x y', skip: undefined, list: [1, 2] })).toBe(
			'b=true&a=false&n=5&s=x%20y&list=1&list=2',
		);
		expect(() => serializeQuery({ o: { nested: 1 } })).toThrow(/"o" must be a string/);
	});

	test('signs exactly the target that is sent, and is idempotent when applied to its own output', () => {
		const creds = parseDarktraceCredentials({
			url: 'https://dt.example.com/',
			publicToken: PUBLIC,
			privateToken: PRIVATE,
		});
		const options: SignableRequestOptions = {
			url: '/antigena',
			qs: { from: '2020-01-10 12:00:00', includehistory: true },
		};
		const once = signDarktraceRequest(options, creds, new Date(Date.UTC(2023, 0, 1, 12)));
		expect(once.url).toBe('https://dt.example.com/antigena?from=2020-01-10%2012:00:00&includehistory=true');
		expect(once.qs).toBeUndefined();
		const headers = once.headers as Record<string, string>;
		expect(headers['DTAPI-Signature']).toBe(
			dtapiSignature(
				'/antigena?from=2020-01-10%2012:00:00&includehistory=true',
				PUBLIC,
				PRIVATE,
				'2023-01-01 12:00:00',
			),
		);
		const twice = signDarktraceRequest(once, creds, new Date(Date.UTC(2023, 0, 1, 12, 1)));
		expect(twice.url).toBe(once.url);
		const h2 = twice.headers as Record<string, string>;
		expect(Object.keys(h2).filter((k) => /^dtapi-/i.test(k))).toHaveLength(3);
		expect(h2['DTAPI-Date']).toBe('2023-01-01 12:01:00');
		expect(h2['DTAPI-Signature']).toBe(
			dtapiSignature(
				'/antigena?from=2020-01-10%2012:00:00&includehistory=true',
				PUBLIC,
				PRIVATE,
				'2023-01-01 12:01:00',
			),
		);
	});

	test('a JSON POST is signed as path?<exact body>, and the body is handed over as that string', () => {
		const creds = parseDarktraceCredentials({
			url: 'https://dt.example.com',
			publicToken: PUBLIC,
			privateToken: PRIVATE,
		});
		const body = { codeid: 123, activate: true, reason: 'Quarantäne ✓', list: [[1, 2], { a: 'b' }] };
		const signed = signDarktraceRequest<SignableRequestOptions>({ url: '/antigena', method: 'POST', body }, creds, new Date(0));
		expect(signed.body).toBe(JSON.stringify(body));
		const headers = signed.headers as Record<string, string>;
		expect(headers['Content-Type']).toBe('application/json');
		expect(headers['DTAPI-Signature']).toBe(
			dtapiSignature(`/antigena?${JSON.stringify(body)}`, PUBLIC, PRIVATE, '1970-01-01 00:00:00'),
		);
		const again = signDarktraceRequest(signed, creds, new Date(0));
		expect(again.body).toBe(JSON.stringify(body));
		expect((again.headers as Record<string, string>)['DTAPI-Signature']).toBe(headers['DTAPI-Signature']);
	});

	test('a form POST (legacy `form` or form content type) is signed as path?<form body>', () => {
		const creds = parseDarktraceCredentials({
			url: 'https://dt.example.com',
			publicToken: PUBLIC,
			privateToken: PRIVATE,
		});
		const legacy = signDarktraceRequest<SignableRequestOptions>(
			{ uri: 'https://dt.example.com/devices', method: 'POST', form: { did: 101, label: 'Test' } },
			creds,
			new Date(0),
		);
		expect(legacy.body).toBe('did=101&label=Test');
		expect(legacy.uri).toBe('https://dt.example.com/devices');
		expect((legacy.headers as Record<string, string>)['DTAPI-Signature']).toBe(
			dtapiSignature('/devices?did=101&label=Test', PUBLIC, PRIVATE, '1970-01-01 00:00:00'),
		);
		const typed = signDarktraceRequest(
			{
				url: '/devices',
				method: 'POST',
				body: { did: 101, label: 'Test' },
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
			},
			creds,
			new Date(0),
		);
		expect(typed.body).toBe('did=101&label=Test');
	});

	test("refuses to sign a request for another host than the credential's", () => {
		const creds = parseDarktraceCredentials({
			url: 'https://dt.example.com',
			publicToken: PUBLIC,
			privateToken: PRIVATE,
		});
		expect(() => signDarktraceRequest({ uri: 'https://evil.example.net/antigena' }, creds, new Date())).toThrow(
			/goes to https:\/\/evil\.example\.net, but the Darktrace credential is for https:\/\/dt\.example\.com/,
		);
	});
});

describe('credential validation', () => {
	const ok = { url: 'https://dt.example.com', publicToken: PUBLIC, privateToken: PRIVATE };
	const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
		['no scheme', { url: 'dt.example.com' }, 'url', /Write it as https:\/\/dt\.example\.com/],
		['another scheme', { url: 'ftp://dt.example.com' }, 'url', /no http\(s\):\/\/ scheme/],
		['a path', { url: 'https://dt.example.com/antigena' }, 'url', /has a path/],
		['a query', { url: 'https://dt.example.com/?a=1' }, 'url', /query or fragment/],
		['empty URL', { url: '' }, 'url', /no instance URL/],
		[
			'user info',
			{ url: 'https://admin:Hunter2pw@dt.example.com' },
			'url',
			/for https:\/\/dt\.example\.com contains a user name or password/,
		],
		[
			'user info and a path',
			{ url: 'https://admin:Hunter2pw@dt.example.com/x' },
			'url',
			/contains a user name or password/,
		],
		[
			'user info without a scheme',
			{ url: 'admin:Hunter2pw@dt.example.com' },
			'url',
			/Write it as https:\/\/dt\.example\.com/,
		],
		[
			'user info and a query',
			{ url: 'https://admin:Hunter2pw@dt.example.com/?a=1' },
			'url',
			/"https:\/\/dt\.example\.com\/\?a=1" has a query/,
		],
		['whitespace around the URL', { url: ' https://dt.example.com' }, 'url', /whitespace/],
		['empty public token', { publicToken: '' }, 'publicToken', /public token is empty/],
		['empty private token', { privateToken: '' }, 'privateToken', /private token is empty/],
		[
			'whitespace around the public token',
			{ publicToken: ` ${PUBLIC}\n` },
			'publicToken',
			/starts or ends with whitespace/,
		],
		[
			'whitespace around the private token',
			{ privateToken: `${PRIVATE} ` },
			'privateToken',
			/starts or ends with whitespace/,
		],
		['unknown date format', { dateFormat: 'rfc9999' }, 'dateFormat', /date format "rfc9999" is unknown/],
	];
	test.each(cases)('rejects %s, naming the field and the fix', (_name, override, field, message) => {
		let caught: unknown;
		try {
			parseDarktraceCredentials({ ...ok, ...override });
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(DarktraceCredentialError);
		const error = caught as DarktraceCredentialError;
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
		expect(error.fix.length).toBeGreaterThan(10);
		expect(error.message).not.toContain(PRIVATE);
		// Errors show the instance as its origin only, never a password typed into the URL.
		expect(`${error.message} ${error.fix}`).not.toContain('Hunter2pw');
	});

	test('tolerates a trailing slash and keeps only the origin', () => {
		expect(parseDarktraceCredentials({ ...ok, url: 'https://dt.example.com:8443/' }).baseUrl).toBe(
			'https://dt.example.com:8443',
		);
	});

	test('TLS verification stays on unless explicitly turned off', () => {
		expect(parseDarktraceCredentials(ok).ignoreSslIssues).toBe(false);
		expect(parseDarktraceCredentials({ ...ok, ignoreSslIssues: 'true' }).ignoreSslIssues).toBe(false);
		expect(parseDarktraceCredentials({ ...ok, ignoreSslIssues: true }).ignoreSslIssues).toBe(true);
		const creds = parseDarktraceCredentials(ok);
		const signed = signDarktraceRequest<SignableRequestOptions>({ url: '/antigena' }, creds, new Date());
		expect(signed.skipSslCertificateValidation).toBe(false);
		expect(signed.rejectUnauthorized).toBe(true);
	});

	test('reads the fields afresh when the same credential object changed', () => {
		const data: Record<string, unknown> = { ...ok };
		expect(parseDarktraceCredentials(data).privateToken).toBe(ok.privateToken);
		data.privateToken = 'a'.repeat(40);
		expect(parseDarktraceCredentials(data).privateToken).toBe('a'.repeat(40));
		data.ignoreSslIssues = true;
		expect(parseDarktraceCredentials(data).ignoreSslIssues).toBe(true);
		data.url = 'https://dt.example.com/antigena';
		expect(() => parseDarktraceCredentials(data)).toThrow(/has a path/);
	});
});
