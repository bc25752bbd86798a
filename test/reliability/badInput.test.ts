/**
 * Bad input never reaches the appliance: every case below must fail with a NodeOperationError that
 * names the field, shows the value and says how to fix it, and the simulator must receive nothing.
 */
import { NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';
import { inspect } from 'util';

import { startSimulator, type Simulator } from '../../simulator';
import { credentialsFor, runRespond } from '../node/respond';
import { DarktraceRespondTrigger } from '../../nodes/Darktrace/DarktraceRespondTrigger.node';
import { pollHarness, type TestCredentials } from '../harness';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ seed: 'realistic' });
});
afterAll(async () => await sim.stop());

interface Case {
	name: string;
	parameters: INodeParameters;
	/** The message must match: it names the field and shows the value. */
	message: RegExp;
	items?: IDataObject[];
	credentials?: Partial<TestCredentials>;
}

const activate = (codeId: unknown, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'action',
	operation: 'activate',
	codeId: codeId as never,
	...extra,
});
const manual = (extra: INodeParameters): INodeParameters => ({
	resource: 'action',
	operation: 'createManual',
	did: 5,
	inhibitor: 'quarantine',
	duration: 60,
	...extra,
});
const pairs = (...connection: Array<Record<string, unknown>>) => ({ connection }) as never;
const getMany = (filters: INodeParameters, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'action',
	operation: 'getMany',
	filters: filters as never,
	...extra,
});

const cases: Case[] = [
	// IDs
	{ name: 'negative code ID', parameters: activate(-5), message: /^Code ID -5 is below 1/ },
	{ name: 'zero code ID', parameters: activate(0), message: /^Code ID 0 is below 1/ },
	{ name: 'fractional code ID', parameters: activate(12.5), message: /^Code ID 12\.5 is not a whole number/ },
	{ name: 'huge code ID', parameters: activate(1e12), message: /^Code ID 1000000000000 is above 2147483647/ },
	{
		name: 'code ID expression resolving to text',
		parameters: activate('={{ $json.id }}'),
		items: [{ id: 'abc' }],
		message: /^Code ID "abc" is not a whole number/,
	},
	{
		name: 'code ID expression resolving to an object',
		parameters: activate('={{ $json.id }}'),
		items: [{ id: { codeid: 1 } }],
		message: /^Code ID \{"codeid":1\} is not a whole number/,
	},
	{
		name: 'code ID expression resolving to nothing',
		parameters: activate('={{ $json.missing }}'),
		message: /^Code ID/,
	},
	{
		name: 'code ID on Get',
		parameters: { resource: 'action', operation: 'get', codeId: -1 },
		message: /^Code ID -1 is below 1/,
	},
	{
		name: 'code ID on Clear',
		parameters: { resource: 'action', operation: 'clear', codeId: '={{ "12x" }}' },
		message: /^Code ID "12x" is not a whole number/,
	},
	{
		name: 'code ID on Extend',
		parameters: { resource: 'action', operation: 'extend', codeId: 3.3, duration: 10 },
		message: /^Code ID 3\.3 is not a whole number/,
	},
	{
		name: 'code ID on Reactivate',
		parameters: { resource: 'action', operation: 'reactivate', codeId: -9, duration: 10 },
		message: /^Code ID -9 is below 1/,
	},
	{ name: 'negative device ID', parameters: manual({ did: -3 }), message: /^Device ID -3 is below 1/ },
	{
		name: 'device ID as text',
		parameters: manual({ did: '={{ "laptop-7" }}' }),
		message: /^Device ID "laptop-7" is not a whole number/,
	},
	// durations
	{
		name: 'negative duration on Extend',
		parameters: { resource: 'action', operation: 'extend', codeId: 5, duration: -60 },
		message: /^Duration \(Seconds\) -60 is below 1/,
	},
	{
		name: 'zero duration on Reactivate',
		parameters: { resource: 'action', operation: 'reactivate', codeId: 5, duration: 0 },
		message: /^Duration \(Seconds\) 0 is below 1/,
	},
	{
		name: 'fractional duration on Create',
		parameters: manual({ duration: 1.5 }),
		message: /^Duration \(Seconds\) 1\.5 is not a whole number/,
	},
	{
		name: 'huge duration on Create',
		parameters: manual({ duration: 99999999 }),
		message: /^Duration \(Seconds\) 99999999 is above 2592000/,
	},
	{
		name: 'duration expression resolving to text on Activate',
		parameters: activate(5, { options: { duration: '={{ "1h" }}' } as never }),
		message: /^Duration \(Seconds\) "1h" is not a whole number/,
	},
	{
		name: 'missing duration on Reactivate',
		parameters: { resource: 'action', operation: 'reactivate', codeId: 5, duration: '={{ $json.nothing }}' },
		message: /^Duration \(Seconds\)/,
	},
	// inhibitor and connections
	{
		name: 'unknown inhibitor',
		parameters: manual({ inhibitor: '={{ "nuke" }}' }),
		message: /^Inhibitor "nuke" is not a RESPOND inhibitor/,
	},
	// With a fixed inhibitor n8n hides (drops) Connections; an expression inhibitor keeps them.
	{
		name: 'connections on a quarantine',
		parameters: manual({
			inhibitor: '={{ $json.inhibitor }}',
			connections: pairs({ src: '10.0.0.1', dst: '8.8.8.8' }),
		}),
		items: [{ inhibitor: 'quarantine' }],
		message: /^Connections .* only apply to "Block matching connections", not to "Quarantine device"/,
	},
	{
		name: 'no connection pairs for a connection block',
		parameters: manual({ inhibitor: 'connection' }),
		message: /^Connections \[\] are required for "Block matching connections"/,
	},
	{
		name: 'pair without destination',
		parameters: manual({ inhibitor: 'connection', connections: pairs({ src: '10.0.0.1', dst: '' }) }),
		message: /^Connection 1 Destination \(empty\) is missing/,
	},
	{
		name: 'pair without source',
		parameters: manual({ inhibitor: 'connection', connections: pairs({ dst: '8.8.8.8' }) }),
		message: /^Connection 1 Source \(empty\) is missing/,
	},
	{
		name: 'invalid IPv4 destination',
		parameters: manual({ inhibitor: 'connection', connections: pairs({ src: '10.0.0.1', dst: '300.1.1.1' }) }),
		message: /^Connection 1 Destination "300\.1\.1\.1" is not an IP address or host name/,
	},
	{
		name: 'URL instead of host name',
		parameters: manual({
			inhibitor: 'connection',
			connections: pairs({ src: '10.0.0.1', dst: 'https://example.com/x' }),
		}),
		message: /^Connection 1 Destination "https:\/\/example\.com\/x" is not an IP address or host name/,
	},
	{
		name: 'host name with spaces',
		parameters: manual({ inhibitor: 'connection', connections: pairs({ src: 'my host', dst: 'example.com' }) }),
		message: /^Connection 1 Source "my host" is not an IP address or host name/,
	},
	{
		name: 'invalid IPv6 source',
		parameters: manual({ inhibitor: 'connection', connections: pairs({ src: '2001:db8:::1', dst: 'example.com' }) }),
		message: /^Connection 1 Source "2001:db8:::1" is not an IP address or host name/,
	},
	{
		name: 'port above 65535',
		parameters: manual({
			inhibitor: 'connection',
			connections: pairs({ src: '10.0.0.1', dst: 'example.com', port: 70000 }),
		}),
		message: /^Connection 1 Port 70000 is above 65535/,
	},
	{
		name: 'negative port',
		parameters: manual({
			inhibitor: 'connection',
			connections: pairs({ src: '10.0.0.1', dst: 'example.com', port: -1 }),
		}),
		message: /^Connection 1 Port -1 is below 1/,
	},
	{
		name: 'second pair bad',
		parameters: manual({
			inhibitor: 'connection',
			connections: pairs({ src: '10.0.0.1', dst: '8.8.8.8' }, { src: '10.0.0.1', dst: 'bad_host!' }),
		}),
		message: /^Connection 2 Destination "bad_host!" is not an IP address or host name/,
	},
	// time windows and filters
	{
		name: 'start time without end time',
		parameters: getMany({ startTime: '2024-01-01T00:00:00Z' }),
		message: /^Time Window To \(empty\) is missing while Time Window From is set/,
	},
	{
		name: 'end time without start time',
		parameters: getMany({ endTime: '2024-01-01T00:00:00Z' }),
		message: /^Time Window From \(empty\) is missing while Time Window To is set/,
	},
	{
		name: 'end before start',
		parameters: getMany({ startTime: '2024-02-01T00:00:00Z', endTime: '2024-01-01T00:00:00Z' }),
		message: /^Time Window To "2024-01-01T00:00:00Z" is not after Time Window From/,
	},
	{
		name: 'start time that is not a date',
		parameters: getMany({ startTime: '={{ "yesterday-ish" }}', endTime: '2024-01-01T00:00:00Z' }),
		message: /^Time Window From "yesterday-ish" is not a date/,
	},
	{
		name: 'half a summary window',
		parameters: { resource: 'summary', operation: 'get', options: { startTime: '2024-01-01T00:00:00Z' } as never },
		message: /^Time Window To \(empty\) is missing while Time Window From is set/,
	},
	{
		name: 'minimum score as percent',
		parameters: getMany({ minScore: 80 }),
		message: /^Minimum Score 80 is not between 0 and 1/,
	},
	{
		name: 'IP filter that is not an IP pattern',
		parameters: getMany({ ip: '10.0.0.0/8' }),
		message: /^IP "10\.0\.0\.0\/8" is not an IP pattern/,
	},
	{ name: 'negative device filter', parameters: getMany({ did: -1 }), message: /^Device ID -1 is below 1/ },
	{
		name: 'fractional model breach filter',
		parameters: getMany({ pbid: 2.5 }),
		message: /^Model Breach ID 2\.5 is not a whole number/,
	},
	{
		name: 'response data with characters needing encoding',
		parameters: getMany({}, { options: { responseData: 'a b&c' } as never }),
		message: /^Response Data "a b&c" is not a field name/,
	},
	{ name: 'limit below 1', parameters: getMany({}, { limit: 0 }), message: /^Limit 0 is below 1/ },
	{
		name: 'reason that is not text',
		parameters: activate(5, { reason: '={{ { why: 1 } }}' }),
		message: /^Reason \{"why":1\} is not text/,
	},
	{
		name: 'reason too long',
		parameters: activate(5, { reason: 'x'.repeat(2000) }),
		message: /^Reason "x+…" is too long/,
	},
	// options every operation shares
	...(
		[
			[0, /Timeout \(Seconds\) 0 is below 1/],
			[0.0001, /Timeout \(Seconds\) 0\.0001 is not a whole number/],
			['abc', /Timeout \(Seconds\) "abc" is not a whole number/],
			[Number.NaN, /Timeout \(Seconds\) NaN is not a whole number/],
			[-5, /Timeout \(Seconds\) -5 is below 1/],
			[601, /Timeout \(Seconds\) 601 is above 600/],
		] as Array<[unknown, RegExp]>
	).map(([timeout, message]) => ({
		name: `Timeout ${String(timeout)}`,
		parameters: activate(5, { options: { timeout: timeout as never } }),
		message,
	})),
	{
		name: 'Timeout on a read',
		parameters: { resource: 'summary', operation: 'get', options: { timeout: 'abc' } },
		message: /Timeout \(Seconds\) "abc" is not a whole number/,
	},
	{
		name: 'Max Requests in Flight "abc"',
		parameters: activate('={{ $json.codeid }}', { options: { concurrency: 'abc' as never } }),
		items: [{ codeid: 5 }, { codeid: 6 }],
		message: /Max Requests in Flight "abc" is not a whole number/,
	},
	{
		name: 'Max Requests in Flight 11',
		parameters: activate('={{ $json.codeid }}', { options: { concurrency: 11 } }),
		items: [{ codeid: 5 }, { codeid: 6 }],
		message: /Max Requests in Flight 11 is above 10/,
	},
	{
		name: 'instance URL with user info',
		parameters: activate(5),
		credentials: { url: 'https://soc:Sup3rSecretPw@dt.example.com' },
		message: /instance URL for https:\/\/dt\.example\.com contains a user name or password/,
	},
	// credential
	{
		name: 'instance URL without scheme',
		parameters: activate(5),
		credentials: { url: 'darktrace.example.com' },
		message: /instance URL "darktrace\.example\.com" has no http\(s\):\/\/ scheme/,
	},
	{
		name: 'instance URL with a path',
		parameters: activate(5),
		credentials: { url: 'https://dt.example.com/antigena' },
		message: /instance URL "https:\/\/dt\.example\.com\/antigena" has a path/,
	},
	{
		name: 'instance URL with a query',
		parameters: activate(5),
		credentials: { url: 'https://dt.example.com?x=1' },
		message: /instance URL "https:\/\/dt\.example\.com\?x=1" has a query/,
	},
	{
		name: 'empty public token',
		parameters: activate(5),
		credentials: { publicToken: '' },
		message: /public token is empty/,
	},
	{
		name: 'empty private token',
		parameters: activate(5),
		credentials: { privateToken: '' },
		message: /private token is empty/,
	},
	{
		name: 'whitespace around the private token',
		parameters: activate(5),
		credentials: { privateToken: ' secret-with-space ' },
		message: /private token \(hidden, 19 characters\) starts or ends with whitespace/,
	},
	{
		name: 'whitespace around the public token',
		parameters: { resource: 'summary', operation: 'get' },
		credentials: { publicToken: 'abc\n' },
		message: /public token "abc\n" starts or ends with whitespace/,
	},
];

/** The same rule for the trigger: a bad parameter fails the poll before any request. */
const triggerCases: Array<{
	name: string;
	parameters: INodeParameters;
	message: RegExp;
	credentials?: Partial<TestCredentials>;
}> = [
	{
		name: 'trigger: device IDs that are not numbers',
		parameters: { filters: { deviceIds: '12, abc' } as never },
		message: /^Device IDs "abc" is not a whole number/,
	},
	{
		name: 'trigger: negative device ID',
		parameters: { filters: { deviceIds: '-4' } as never },
		message: /^Device IDs "-4" is not a whole number/,
	},
	{
		name: 'trigger: minimum score as percent',
		parameters: { filters: { minScore: 75 } as never },
		message: /^Minimum Score 75 is not between 0 and 1/,
	},
	{
		name: 'trigger: unknown event',
		parameters: { events: '={{ ["pendingAction", "quarantined"] }}' },
		message: /^Events "quarantined" is not an event of this trigger/,
	},
	{ name: 'trigger: no event selected', parameters: { events: [] as never }, message: /^Events \[\] selects nothing/ },
	{
		name: 'trigger: instance URL with a path',
		parameters: {},
		credentials: { url: 'https://dt.example.com/antigena' },
		message: /has a path/,
	},
];

test('the matrix has at least 40 cases', () => {
	expect(cases.length + triggerCases.length).toBeGreaterThanOrEqual(40);
});

describe.each(triggerCases)('$name', ({ parameters, message, credentials }) => {
	test('fails the poll with a NodeOperationError and sends nothing', async () => {
		sim.clearRequests();
		const harness = pollHarness({
			type: new DarktraceRespondTrigger(),
			parameters,
			credentials: { ...credentialsFor(sim), ...credentials } as TestCredentials,
		});
		const error = await harness.poll().then(
			() => undefined,
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(message);
		expect(((error as NodeOperationError).description ?? '').length).toBeGreaterThan(15);
		expect(sim.requests()).toHaveLength(0);
		expect(harness.staticData).toEqual({});
	});
});

describe.each(cases)('$name', ({ parameters, message, items, credentials }) => {
	test('fails with a NodeOperationError naming field, value and fix, and sends nothing', async () => {
		sim.clearRequests();
		const creds = { ...credentialsFor(sim), ...credentials } as TestCredentials;
		let caught: unknown;
		try {
			await runRespond(sim, parameters, { items: (items ?? [{}]).map((json) => ({ json })), credentials: creds });
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(NodeOperationError);
		const error = caught as NodeOperationError;
		expect(error.message).toMatch(message);
		expect(typeof error.description).toBe('string');
		expect((error.description as string).length).toBeGreaterThan(15);
		expect(sim.requests()).toHaveLength(0);
		const everything = inspect(error, { depth: 6 }) + String(error.description);
		expect(everything).not.toContain(creds.privateToken || '\u0000never');
	});
});
