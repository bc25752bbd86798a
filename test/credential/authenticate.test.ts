/**
 * The credential's `authenticate` in each call shape n8n uses, sent by n8n's real HTTP helpers over
 * loopback to the simulator, which verifies signatures with its own code.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

import { startSimulator, type Simulator } from '../../simulator';
import { executeNode, testCredential, type TestCredentials } from '../harness';
import { ProbeNode } from '../harness/probeNode';

let sim: Simulator;
let tls: Simulator;
let creds: TestCredentials;

beforeAll(async () => {
	sim = await startSimulator({ seed: 'realistic' });
	tls = await startSimulator({ seed: 'realistic', https: true });
	const t = sim.token('respond');
	creds = { url: sim.url, publicToken: t.public, privateToken: t.private };
});
afterAll(async () => {
	await sim.stop();
	await tls.stop();
});
beforeEach(() => sim.clearRequests());

const probe = (request: object, helper = 'httpRequestWithAuthentication', credentials = creds) =>
	executeNode({ type: new ProbeNode(), parameters: { helper, request: JSON.stringify(request) }, credentials });

const lastRequest = (s: Simulator = sim) => s.requests()[s.requests().length - 1];

describe("our nodes' shape: url + qs through httpRequestWithAuthentication", () => {
	test('query values with spaces, colons, booleans and numbers are accepted', async () => {
		const { output } = await probe({
			url: '/antigena',
			qs: {
				from: '2020-01-10 12:00:00',
				to: '2030-01-10T12:00:00',
				includehistory: true,
				includecleared: false,
				did: 1,
			},
			json: true,
		});
		const req = lastRequest();
		expect(req.authOk).toBe(true);
		expect(req.status).toBe(200);
		expect(req.target).toBe(
			'/antigena?from=2020-01-10%2012:00:00&to=2030-01-10T12:00:00&includehistory=true&includecleared=false&did=1',
		);
		expect(Array.isArray(output?.[0][0].json.response)).toBe(true);
	});

	test('a JSON POST with nested arrays and non-ASCII text is accepted', async () => {
		const did = sim.devices()[0].did;
		const body = {
			did,
			action: 'connection',
			duration: 120,
			reason: 'Blocage demandé — 検疫 ✓',
			connections: [
				{ src: '10.10.10.10', dst: '8.8.8.8' },
				{ src: '10.10.10.10', dst: 'example.com', port: 443 },
			],
		};
		const { output } = await probe({ url: '/antigena/manual', method: 'POST', body, json: true });
		const req = lastRequest();
		expect(req.authOk).toBe(true);
		expect(req.status).toBe(200);
		expect(JSON.parse(req.body)).toEqual(body);
		const codeid = Number((output?.[0][0].json.response as { codeid: number }).codeid);
		expect(sim.action(codeid)?.triggerer).toEqual({ username: 'soc-respond', reason: body.reason });
	});

	test("authenticate applied twice (n8n's 401 retry path) still yields a valid request", async () => {
		const twice = (request: object) =>
			executeNode(
				{ type: new ProbeNode(), parameters: { request: JSON.stringify(request) }, credentials: creds },
				undefined,
				undefined,
				(h) => {
					h.authenticateTwice = true;
				},
			);
		await twice({
			url: '/antigena',
			qs: { includehistory: true, from: '2020-01-10 12:00:00', to: '2031-01-01 00:00:00' },
		});
		expect(lastRequest()).toMatchObject({
			authOk: true,
			status: 200,
			target: '/antigena?includehistory=true&from=2020-01-10%2012:00:00&to=2031-01-01%2000:00:00',
		});
		const pending = sim.createPendingAction();
		await twice({ url: '/antigena', method: 'POST', body: { codeid: pending.codeid, clear: true, reason: 'twice' } });
		expect(lastRequest()).toMatchObject({ authOk: true, status: 200 });
		expect(sim.action(pending.codeid)?.cleared).toBe(true);
	});

	test('on an HTTP 401 n8n re-authenticates its own output and retries once: the retry is accepted', async () => {
		sim.injectFault({ kind: 'status', status: 401, times: 1, path: '/antigena/summary' });
		const { output, helper } = await probe({ url: '/antigena/summary' });
		expect(helper.authenticateCalls).toBe(2);
		const reqs = sim.requests();
		expect(reqs).toHaveLength(2);
		expect(reqs[1].authOk).toBe(true);
		expect(output?.[0][0].json.response).toHaveProperty('pendingCount');
	});
});

describe("the HTTP Request node's shape: absolute uri + qs + object body through requestWithAuthentication", () => {
	test('GET with query parameters', async () => {
		await probe(
			{
				uri: `${sim.url}/antigena`,
				qs: { includehistory: true, from: '2020-01-10 12:00:00', to: '2031-01-01 00:00:00' },
				json: true,
			},
			'requestWithAuthentication',
		);
		expect(lastRequest().authOk).toBe(true);
		expect(lastRequest().status).toBe(200);
	});

	test('JSON POST to /antigena with an object body', async () => {
		const pending = sim.createPendingAction();
		const { output } = await probe(
			{
				uri: `${sim.url}/antigena`,
				method: 'POST',
				body: { codeid: pending.codeid, activate: true, reason: 'approved — ✓' },
				json: true,
			},
			'requestWithAuthentication',
		);
		expect(lastRequest().authOk).toBe(true);
		expect(output?.[0][0].json.response).toEqual({ response: 'SUCCESS' });
		expect(sim.action(pending.codeid)?.active).toBe(true);
	});
});

describe("the credential test (n8n's RoutingNode path: baseURL + url, no method)", () => {
	test('a good credential passes', async () => {
		const result = await testCredential(creds);
		expect(result).toMatchObject({ status: 'OK' });
		expect(lastRequest().target).toBe('/antigena/summary');
		expect(lastRequest().authOk).toBe(true);
	});

	test('a trailing slash in the instance URL is tolerated', async () => {
		expect(await testCredential({ ...creds, url: `${sim.url}/` })).toMatchObject({ status: 'OK' });
	});

	test('a wrong private token fails with the signature message, which never shows the token', async () => {
		const wrong = 'x'.repeat(40);
		const result = await testCredential({ ...creds, privateToken: wrong });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/API SIGNATURE ERROR/);
		expect(result.message).not.toContain(wrong);
		expect(result.message).not.toContain(creds.privateToken);
	});

	test('a token without permissions fails with the permission message', async () => {
		const t = sim.token('none');
		const result = await testCredential({ ...creds, publicToken: t.public, privateToken: t.private });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/HTTP 403: give the token's user the "Darktrace RESPOND"/);
	});

	test('a login page or redirect fails with the wrong-URL message', async () => {
		sim.injectFault({ kind: 'redirect-login', times: 1 });
		expect((await testCredential(creds)).message).toMatch(/not the Threat Visualizer's address/);
		sim.injectFault({ kind: 'html-login', times: 1 });
		expect((await testCredential(creds)).message).toMatch(/not the Threat Visualizer's address/);
	});

	test("an invalid instance URL fails with the credential's own message", async () => {
		const result = await testCredential({ ...creds, url: 'darktrace.example.com' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/has no http\(s\):\/\/ scheme.*https:\/\/darktrace\.example\.com/);
	});
});

describe('TLS', () => {
	const tlsCreds = (ignoreSslIssues: boolean): TestCredentials => {
		const t = tls.token('respond');
		return { url: tls.url, publicToken: t.public, privateToken: t.private, ignoreSslIssues };
	};

	test('verification is on by default: node path, HTTP Request node path and credential test all refuse a self-signed certificate', async () => {
		await expect(
			probe({ url: '/antigena/summary' }, 'httpRequestWithAuthentication', tlsCreds(false)),
		).rejects.toThrow();
		await expect(
			probe({ uri: `${tls.url}/antigena/summary`, json: true }, 'requestWithAuthentication', tlsCreds(false)),
		).rejects.toThrow();
		const result = await testCredential(tlsCreds(false));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/SELF_SIGNED|CERT|certificate/i);
		expect(tls.requests().filter((r) => r.authOk)).toHaveLength(0);
	});

	test('"Ignore SSL Issues" turns it off on all three paths', async () => {
		const node = await probe({ url: '/antigena/summary' }, 'httpRequestWithAuthentication', tlsCreds(true));
		expect(node.output?.[0][0].json.response).toHaveProperty('activeCount');
		const legacy = await probe(
			{ uri: `${tls.url}/antigena/summary`, json: true },
			'requestWithAuthentication',
			tlsCreds(true),
		);
		expect(legacy.output?.[0][0].json.response).toHaveProperty('activeCount');
		expect(await testCredential(tlsCreds(true))).toMatchObject({ status: 'OK' });
	});
});

describe("redirects: signed headers never leave the instance's origin", () => {
	const listen = async (server: Server) => {
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
	};
	let elsewhere: Server;
	let instance: Server;
	let received: IncomingHttpHeaders[];
	let instanceUrl: string;
	let elsewhereUrl: string;
	beforeAll(async () => {
		received = [];
		elsewhere = createServer((req, res) => {
			received.push(req.headers);
			res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"pendingCount":0}');
		});
		elsewhereUrl = await listen(elsewhere);
		instance = createServer((req, res) => res.writeHead(302, { Location: `${elsewhereUrl}${req.url}` }).end());
		instanceUrl = await listen(instance);
	});
	afterAll(async () => {
		await new Promise((r) => elsewhere.close(r));
		await new Promise((r) => instance.close(r));
	});

	test.each([
		['the HTTP Request node (requestWithAuthentication, absolute uri)', 'requestWithAuthentication', 'uri'],
		['our nodes (httpRequestWithAuthentication)', 'httpRequestWithAuthentication', 'url'],
	])('a 302 to another origin is not followed: %s', async (_name, helper, field) => {
		const request =
			field === 'uri'
				? { uri: `${instanceUrl}/antigena/summary`, json: true }
				: { url: '/antigena/summary', baseURL: instanceUrl, json: true };
		await expect(probe(request, helper, { ...creds, url: instanceUrl })).rejects.toThrow();
		expect(received).toHaveLength(0);
	});
});
