/**
 * Time windows and the other loosely typed filter values: every form a user or an expression can give,
 * read the same way in Get Many and Summary. Dates without an offset are read in the workflow's time zone.
 */
import { DateTime } from 'luxon';

import {
	InputError,
	isIpOrHostname,
	keyPart,
	parseDateTime,
	parseScore,
	parseTimeWindow,
} from '../../nodes/Darktrace/domain/validation';
import { startSimulator, type Simulator } from '../../simulator';
import { runError, runJson } from './respond';

const T = (iso: string) => Date.parse(iso);

function refused(run: () => unknown): InputError {
	try {
		run();
	} catch (error) {
		if (error instanceof InputError) return error;
		throw error;
	}
	throw new Error('expected an InputError');
}

/** The message without the key part of the fix that every input error ends with (checked here). */
function problemOf(error: { message: string; fix?: string; description?: string | null }): string {
	const suffix = `: ${keyPart(error.fix ?? error.description ?? '')}`;
	expect(error.message.endsWith(suffix)).toBe(true);
	return error.message.slice(0, -suffix.length);
}

describe('parseDateTime: ISO 8601 strings', () => {
	test.each([
		['with Z', '2026-01-01T00:00:00Z', 'Asia/Tokyo', '2026-01-01T00:00:00.000Z'],
		['with a lower-case z and t', '2026-01-01t00:00:00z', 'Asia/Tokyo', '2026-01-01T00:00:00.000Z'],
		['with +hh:mm', '2026-01-01T00:00:00+05:30', 'UTC', '2025-12-31T18:30:00.000Z'],
		['with -hhmm', '2026-01-01T00:00:00-0800', 'UTC', '2026-01-01T08:00:00.000Z'],
		['with +hh', '2026-01-01T09:00:00+09', 'UTC', '2026-01-01T00:00:00.000Z'],
		['with milliseconds and an offset', '2026-01-01T10:00:00.123+09:00', 'UTC', '2026-01-01T01:00:00.123Z'],
		["an expression's luxon ISO output", '2026-05-04T13:14:15.678+02:00', 'Asia/Tokyo', '2026-05-04T11:14:15.678Z'],
	])('%s: the offset decides, not the time zone', (_, value, zone, iso) => {
		expect(parseDateTime('Time Window From', value, zone)).toBe(T(iso));
	});

	test.each([
		[
			'Tokyo (+09:00): midnight is 15:00 UTC the day before',
			'2026-01-01T00:00:00',
			'Asia/Tokyo',
			'2025-12-31T15:00:00.000Z',
		],
		['UTC', '2026-01-01T00:00:00', 'UTC', '2026-01-01T00:00:00.000Z'],
		['New York in winter (-05:00)', '2026-01-15T12:00:00', 'America/New_York', '2026-01-15T17:00:00.000Z'],
		['New York in summer (-04:00)', '2026-07-15T12:00:00', 'America/New_York', '2026-07-15T16:00:00.000Z'],
		['Kolkata (+05:30)', '2026-01-01T00:00:00', 'Asia/Kolkata', '2025-12-31T18:30:00.000Z'],
		['a date alone: midnight', '2026-01-01', 'Asia/Tokyo', '2025-12-31T15:00:00.000Z'],
		['hours and minutes only', '2026-06-01T12:00', 'Europe/Berlin', '2026-06-01T10:00:00.000Z'],
		['a space instead of T', '2026-06-01 12:00:00', 'Europe/Berlin', '2026-06-01T10:00:00.000Z'],
		['milliseconds', '2026-06-01T12:00:00.250', 'Europe/Berlin', '2026-06-01T10:00:00.250Z'],
		['just before the hour repeated when DST ends', '2026-10-25T01:59:59', 'Europe/Berlin', '2026-10-24T23:59:59.000Z'],
		['just after it', '2026-10-25T03:00:00', 'Europe/Berlin', '2026-10-25T02:00:00.000Z'],
	])("without an offset, in the workflow's time zone: %s", (_, value, zone, iso) => {
		expect(parseDateTime('Time Window From', value, zone)).toBe(T(iso));
	});

	test('a time the clocks skip (DST starts) names no instant: refused, with the fix', () => {
		const error = refused(() => parseDateTime('Time Window From', '2026-03-29T02:30:00', 'Europe/Berlin'));
		expect(problemOf(error)).toBe(
			`Time Window From "2026-03-29T02:30:00" does not exist in the workflow's time zone Europe/Berlin (the clocks skip it)`,
		);
		expect(error.fix).toBe('Give another time, or the offset, e.g. 2026-03-29T02:30:00+01:00.');
	});

	test('a time the clocks pass twice (DST ends) is ambiguous: refused, naming both offsets', () => {
		const error = refused(() => parseDateTime('Time Window To', '2026-10-25T02:30:00', 'Europe/Berlin'));
		expect(problemOf(error)).toBe(
			`Time Window To "2026-10-25T02:30:00" is ambiguous in the workflow's time zone Europe/Berlin (the clocks pass it twice)`,
		);
		expect(error.fix).toBe(
			'Add the offset to say which: 2026-10-25T02:30:00+02:00 (the first) or 2026-10-25T02:30:00+01:00 (the second).',
		);
		// Either offset, written out, is taken.
		expect(parseDateTime('Time Window To', '2026-10-25T02:30:00+02:00', 'Europe/Berlin')).toBe(
			T('2026-10-25T00:30:00Z'),
		);
		expect(parseDateTime('Time Window To', '2026-10-25T02:30:00+01:00', 'Europe/Berlin')).toBe(
			T('2026-10-25T01:30:00Z'),
		);
	});

	test('an unknown time zone is refused for values without an offset, and irrelevant with one', () => {
		const error = refused(() => parseDateTime('Time Window From', '2026-01-01T00:00:00', 'Mars/Base'));
		expect(problemOf(error)).toBe(
			`Time Window From "2026-01-01T00:00:00" cannot be read in the workflow's time zone "Mars/Base"`,
		);
		expect(parseDateTime('Time Window From', '2026-01-01T00:00:00Z', 'Mars/Base')).toBe(T('2026-01-01T00:00:00Z'));
	});

	test.each([
		['February 30th', '2026-02-30', 'is not a calendar date and time'],
		['hour 25', '2026-01-01T25:00:00', 'is not a calendar date and time'],
		['minute 60', '2026-01-01T10:60:00', 'is not a calendar date and time'],
		['an offset of 25 hours', '2026-01-01T10:00:00+25:00', 'has no valid offset'],
		['day/month order unknown', '01/02/2026', 'is not a date'],
		['month names', 'Jan 1 2026', 'is not a date'],
		['unpadded fields', '2026-1-1', 'is not a date'],
		['words', 'yesterday', 'is not a date'],
		['a negative number', '-1700000000000', 'is not a date'],
	])('refuses %s', (_, value, problem) => {
		const error = refused(() => parseDateTime('Time Window From', value, 'UTC'));
		expect(problemOf(error)).toBe(`Time Window From "${value}" ${problem}`);
	});
});

describe('parseDateTime: numbers and digit strings are both epoch milliseconds', () => {
	test.each([
		['a number', 1700000000000],
		['a digit string', '1700000000000'],
		['a digit string with spaces', ' 1700000000000 '],
	])('%s', (_, value) => {
		expect(parseDateTime('Time Window From', value, 'Asia/Tokyo')).toBe(1700000000000);
	});

	test.each([1700000000, '1700000000'])('%p reads as epoch seconds: refused, with the value in ms', (value) => {
		const error = refused(() => parseDateTime('Time Window From', value));
		expect(problemOf(error)).toBe(
			`Time Window From ${typeof value === 'string' ? `"${value}"` : value} looks like epoch seconds, but numbers here are epoch milliseconds`,
		);
		expect(error.fix).toBe(
			'Multiply by 1000 (1700000000000 is 2023-11-14T22:13:20.000Z), or give an ISO date and time.',
		);
	});

	test.each([
		[12, 'is not a date in epoch milliseconds'],
		['0', 'is not a date in epoch milliseconds'],
		[999999999, 'is not a date in epoch milliseconds'],
		[99999999999, 'looks like epoch seconds, but numbers here are epoch milliseconds'],
		[253402300800000, 'is not a date in epoch milliseconds'],
		[1700000000000.5, 'is not a whole number of milliseconds'],
		[-1700000000000, 'is not a date in epoch milliseconds'],
		[Number.NaN, 'is not a date'],
	])('refuses %p', (value, problem) => {
		const error = refused(() => parseDateTime('Time Window From', value));
		expect(problemOf(error)).toBe(
			`Time Window From ${typeof value === 'string' ? `"${value}"` : String(value)} ${problem}`,
		);
	});
});

describe('parseDateTime: objects from expressions', () => {
	test('a luxon DateTime (e.g. {{ $now }}) and a Date are instants already', () => {
		const dt = DateTime.fromISO('2026-01-01T00:00:00', { zone: 'Asia/Tokyo' });
		expect(parseDateTime('Time Window From', dt, 'UTC')).toBe(T('2025-12-31T15:00:00Z'));
		expect(parseDateTime('Time Window From', new Date(T('2026-01-01T00:00:00Z')), 'Asia/Tokyo')).toBe(
			T('2026-01-01T00:00:00Z'),
		);
	});

	test.each([
		[true, 'true'],
		[[1700000000000], '[1700000000000]'],
		[{ ts: 1 }, '{"ts":1}'],
		[new Date(Number.NaN), 'null'],
	])('refuses %p', (value, shown) => {
		const error = refused(() => parseDateTime('Time Window From', value));
		expect(problemOf(error)).toBe(`Time Window From ${shown} is not a date`);
	});

	test('empty means not set', () => {
		expect(parseDateTime('Time Window From', '')).toBeUndefined();
		expect(parseDateTime('Time Window From', undefined)).toBeUndefined();
		expect(parseDateTime('Time Window From', null)).toBeUndefined();
	});
});

describe('parseTimeWindow', () => {
	test("reads both ends in the workflow's time zone", () => {
		expect(parseTimeWindow('2026-01-01T00:00:00', '2026-01-02T00:00:00', 'Asia/Tokyo')).toEqual({
			starttime: T('2025-12-31T15:00:00Z'),
			endtime: T('2026-01-01T15:00:00Z'),
		});
	});

	test('mixes forms: an ISO start and an epoch-ms end', () => {
		expect(parseTimeWindow('2026-01-01', 1767312000000, 'UTC')).toEqual({
			starttime: T('2026-01-01T00:00:00Z'),
			endtime: 1767312000000,
		});
	});

	test('an end that is only after the start in another zone is refused', () => {
		// 10:00 in Tokyo is 01:00 UTC: before a 05:00Z start.
		const error = refused(() => parseTimeWindow('2026-01-01T05:00:00Z', '2026-01-01T10:00:00', 'Asia/Tokyo'));
		expect(problemOf(error)).toBe('Time Window To "2026-01-01T10:00:00" is not after Time Window From');
	});
});

describe('parseScore (Minimum Score)', () => {
	test.each([
		[0.5, 0.5],
		['0.5', 0.5],
		[' 0.75 ', 0.75],
		['.5', 0.5],
		['1', 1],
		[0, 0],
	])('takes %p', (value, expected) => {
		expect(parseScore('Minimum Score', value)).toBe(expected);
	});

	test.each([
		[true, 'true', 'is not a number'],
		[false, 'false', 'is not a number'],
		[[0.5], '[0.5]', 'is not a number'],
		['0x1', '"0x1"', 'is not a number'],
		['1e-1', '"1e-1"', 'is not a number'],
		['0.5abc', '"0.5abc"', 'is not a number'],
		['-0.1', '"-0.1"', 'is not a number'],
		[{}, '{}', 'is not a number'],
		[80, '80', 'is not between 0 and 1'],
		[-0.1, '-0.1', 'is not between 0 and 1'],
		[Number.POSITIVE_INFINITY, 'Infinity', 'is not between 0 and 1'],
		[Number.NaN, 'NaN', 'is not between 0 and 1'],
	])('refuses %p', (value, shown, problem) => {
		const error = refused(() => parseScore('Minimum Score', value));
		expect(problemOf(error)).toBe(`Minimum Score ${shown} ${problem}`);
		expect(error.fix).toBe('Give a score between 0 and 1, e.g. 0.8 (RESPOND scores are 0..1, not percent).');
	});
});

describe('isIpOrHostname (connection destinations)', () => {
	test.each([
		'10.0.0.5',
		'::1',
		'2001:db8::1',
		'example.com',
		'host-1.corp.local',
		'a.b.c1',
		'1e100.net',
		'123.example',
		'localhost',
		'example.com.',
	])('takes %s', (value) => {
		expect(isIpOrHostname(value)).toBe(true);
	});

	test.each([
		['0x7f.1', 'hex IPv4 shorthand for 127.0.0.1'],
		['0x7f000001', 'hex IPv4'],
		['127.1', 'IPv4 shorthand for 127.0.0.1'],
		['2130706433', 'a decimal IPv4'],
		['10.0.0.256', 'an octet over 255'],
		['010.0.0.1', 'an octal-looking octet'],
		['example.0x1', 'a name ending in a hex number'],
		['foo.123', 'a name ending in a number'],
		['bad_host!', 'not a host name'],
	])('refuses %s (%s)', (value) => {
		expect(isIpOrHostname(value)).toBe(false);
	});
});

describe("Get Many and Summary read the time window in the workflow's time zone", () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ seed: 'realistic' });
	});
	afterAll(async () => await sim.stop());
	beforeEach(() => sim.clearRequests());

	const window = { startTime: '2026-01-01T00:00:00', endTime: '2026-01-02T00:00:00' };
	const sent = `starttime=${T('2025-12-31T15:00:00Z')}&endtime=${T('2026-01-01T15:00:00Z')}`;

	test('Get Many in Asia/Tokyo', async () => {
		await runJson(
			sim,
			{ resource: 'action', operation: 'getMany', returnAll: true, filters: window },
			{ timezone: 'Asia/Tokyo' },
		);
		expect(sim.requests().map((r) => r.target)).toEqual([`/antigena?${sent}`]);
	});

	test('Summary in Asia/Tokyo', async () => {
		await runJson(sim, { resource: 'summary', operation: 'get', options: window }, { timezone: 'Asia/Tokyo' });
		expect(sim.requests().map((r) => r.target)).toEqual([`/antigena/summary?${sent}`]);
	});

	test('an ambiguous value fails the item with the field, value and fix, and nothing is sent', async () => {
		const error = await runError(
			sim,
			{ resource: 'summary', operation: 'get', options: { startTime: '1700000000', endTime: '1700003600000' } },
			{ timezone: 'Asia/Tokyo' },
		);
		expect(problemOf(error)).toBe(
			'Time Window From "1700000000" looks like epoch seconds, but numbers here are epoch milliseconds',
		);
		expect(error.description).toBe(
			'Multiply by 1000 (1700000000000 is 2023-11-14T22:13:20.000Z), or give an ISO date and time.',
		);
		expect(sim.requests()).toEqual([]);
	});
});
