import { actionMatcher } from '../../nodes/Darktrace/domain/action';
import { buildGetManyQuery } from '../../nodes/Darktrace/actions/action/getMany.operation';
import { parseEvents } from '../../nodes/Darktrace/trigger/events';
import { triggerQuery } from '../../nodes/Darktrace/trigger/query';
import { parseTriggerSettings } from '../../nodes/Darktrace/trigger/settings';

const action = { codeid: 1, did: 11, action: 'quarantine', score: 0.8, ip: '10.0.1.5', manual: false };

describe('actionMatcher (one matcher for Get Many and the trigger)', () => {
	it('applies score, inhibitor and device filters on loose raw values', () => {
		const match = actionMatcher({ minScore: 0.5, inhibitors: ['quarantine', 'pol'], deviceIds: [11, 12] });
		expect(match(action)).toBe(true);
		expect(match({ ...action, score: '0.5', did: '12' })).toBe(true);
		expect(match({ ...action, score: 0.49 })).toBe(false);
		expect(match({ ...action, action: 'gpol' })).toBe(false);
		expect(match({ ...action, did: 13 })).toBe(false);
		expect(actionMatcher({})({ score: 0, action: 'x', did: 999 })).toBe(true);
	});

	it('one "not set" rule for Minimum Score: absent, empty, 0 and "0" filter nothing, in both nodes', () => {
		const unscored = { ...action, score: undefined };
		for (const minScore of [undefined, '', 0, '0']) {
			expect(parseTriggerSettings({ events: 'pendingAction', filters: { minScore }, options: {}, simple: true }).matches(unscored)).toBe(true);
			expect(buildGetManyQuery({ minScore: minScore as number }, {}).keep(unscored)).toBe(true);
		}
		expect(parseTriggerSettings({ events: 'pendingAction', filters: { minScore: 0.9 }, options: {}, simple: true }).matches(action)).toBe(false);
		expect(buildGetManyQuery({ minScore: 0.9 }, {}).keep(action)).toBe(false);
	});
});

describe('trigger settings', () => {
	it('parses events, filters and options; a bad value names the field', () => {
		const settings = parseTriggerSettings({
			events: 'actionActive, pendingAction',
			filters: { deviceIds: '12', inhibitors: ['quarantine'] },
			options: { timeout: 30, includeHistory: true, emitExisting: true },
			simple: false,
		});
		expect(settings).toMatchObject({
			events: ['pendingAction', 'actionActive'],
			qs: { did: 12, includehistory: true },
			simple: false,
			emitExisting: true,
			timeoutSeconds: 30,
		});
		expect(() => parseEvents(['pendingAction', 'nope'])).toThrow('Events "nope" is not an event of this trigger');
		expect(() => parseTriggerSettings({ events: [], filters: {}, options: {}, simple: true })).toThrow(/selects nothing/);
		expect(() =>
			parseTriggerSettings({ events: 'pendingAction', filters: {}, options: { timeout: 0 }, simple: true }),
		).toThrow(/Timeout/);
	});

	it('asks the appliance narrowly for what the events need', () => {
		expect(triggerQuery(['pendingAction'], {})).toEqual({ needconfirming: true });
		expect(triggerQuery(['pendingAction', 'actionActive'], {})).toEqual({});
		expect(triggerQuery(['actionCleared'], {})).toEqual({ includecleared: true });
		expect(triggerQuery(['pendingAction'], { deviceIds: [12, 13] })).toEqual({ needconfirming: true });
	});
});
