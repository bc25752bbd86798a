/** The write-once rules' pure parts: the ledger's bounds, and what counts as "already applied". */
import { normalizeAction } from '../../nodes/Darktrace/domain/action';
import {
	changeApplied,
	findCreatedManualAction,
	RECENT_WRITE_MS,
	WriteLedger,
} from '../../nodes/Darktrace/domain/writeOnce';

const NOW = 1_800_000_000_000;
const applied = (codeid: number) => ({ outcome: 'applied' as const, output: [{ codeid }] });

describe('WriteLedger', () => {
	test('replays per run and item; released runs are gone', () => {
		const ledger = new WriteLedger();
		ledger.record('exec-1|node|0', 0, applied(1), NOW);
		expect(ledger.get('exec-1|node|0', 0, NOW)).toEqual(applied(1));
		expect(ledger.get('exec-1|node|0', 1, NOW)).toBeUndefined();
		expect(ledger.get('exec-2|node|0', 0, NOW)).toBeUndefined();
		ledger.release('exec-1|node|0');
		expect(ledger.get('exec-1|node|0', 0, NOW)).toBeUndefined();
		expect(ledger.size).toBe(0);
	});

	test('holds at most maxRuns runs, dropping the least recently used', () => {
		const ledger = new WriteLedger(3, 60_000);
		for (let i = 0; i < 5; i++) ledger.record(`run-${i}`, 0, applied(i), NOW + i);
		expect(ledger.size).toBe(3);
		expect(ledger.get('run-0', 0, NOW + 5)).toBeUndefined();
		expect(ledger.get('run-1', 0, NOW + 5)).toBeUndefined();
		expect(ledger.get('run-4', 0, NOW + 5)).toEqual(applied(4));
	});

	test('drops a run ttl after its last use', () => {
		const ledger = new WriteLedger(10, 1000);
		ledger.record('a', 0, applied(1), NOW);
		ledger.record('b', 0, applied(2), NOW + 900);
		expect(ledger.get('a', 0, NOW + 1500)).toBeUndefined();
		expect(ledger.get('b', 0, NOW + 1500)).toEqual(applied(2));
		expect(ledger.size).toBe(1);
	});
});

describe('already applied?', () => {
	const action = (fields: Record<string, unknown>) =>
		normalizeAction(
			{ codeid: 7, did: 3, active: true, cleared: false, start: NOW - 1000, expires: NOW + 3600_000, ...fields },
			NOW,
		);

	test.each([
		['activate', { active: true }, true],
		['activate', { active: false }, false],
		['activate', { active: true, expires: NOW - 1 }, false],
		['reactivate', { active: true }, true],
		['reactivate', { cleared: true, active: false }, false],
		['clear', { cleared: true, active: false }, true],
		['clear', { active: true }, false],
	] as const)('%s on %j: %s', (operation, fields, expected) => {
		expect(changeApplied(operation, action(fields), 'r', NOW)).toBe(expected);
	});

	test('extend: an extension with this reason in the window, on an active action', () => {
		const history = (time: number, reason = 'r') => ({ history: [{ action: 'extended', reason, time: String(time) }] });
		expect(changeApplied('extend', action(history(NOW - 1000)), 'r', NOW)).toBe(true);
		expect(changeApplied('extend', action(history(NOW - RECENT_WRITE_MS - 1)), 'r', NOW)).toBe(false);
		expect(changeApplied('extend', action(history(NOW - 1000, 'other')), 'r', NOW)).toBe(false);
		expect(changeApplied('extend', action({ ...history(NOW - 1000), cleared: true }), 'r', NOW)).toBe(false);
	});

	test('Create Manual: same device, inhibitor and reason, pending or active, started in the window; the newest', () => {
		const manual = (codeid: number, fields: Record<string, unknown> = {}) =>
			action({ codeid, manual: true, action: 'quarantine', triggerer: { username: 'u', reason: 'r' }, ...fields });
		const request = { did: 3, inhibitor: 'quarantine', reason: 'r' };
		expect(findCreatedManualAction([manual(1, { start: NOW - 5000 }), manual(2)], request, NOW)?.codeid).toBe(2);
		for (const other of [
			{ did: 4 },
			{ action: 'pol' },
			{ triggerer: { username: 'u', reason: 'other' } },
			{ manual: false },
			{ cleared: true, active: false },
			{ start: NOW - RECENT_WRITE_MS - 1 },
		]) {
			expect(findCreatedManualAction([manual(1, other)], request, NOW)).toBeUndefined();
		}
		const connections = {
			...request,
			inhibitor: 'connection',
			connections: [{ src: '10.0.0.1', dst: 'evil.example.com' }],
		};
		expect(
			findCreatedManualAction(
				[manual(5, { action: 'connection', detail: '10.0.0.1 -> evil.example.com' })],
				connections,
				NOW,
			)?.codeid,
		).toBe(5);
		expect(
			findCreatedManualAction(
				[manual(5, { action: 'connection', detail: '10.0.0.1 -> other.example.com' })],
				connections,
				NOW,
			),
		).toBeUndefined();
	});
});
