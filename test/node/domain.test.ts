/** The pure domain alone: the action model, description merging and the appliance-answer translations. */
import {
	normalizeAction,
	stateOf,
	simplifyAction,
	splitActionsResponse,
} from '../../nodes/Darktrace/domain/action';
import type { INodeProperties } from 'n8n-workflow';

import {
	activate,
	clear,
	createManual,
	description as actionDescription,
	extend,
	get,
	getMany,
	reactivate,
} from '../../nodes/Darktrace/actions/action/Action.resource';
import { describeSkew, translateAnswer, translateNetworkError } from '../../nodes/Darktrace/domain/errors';

const NOW = Date.UTC(2024, 0, 1, 12);

describe('normalizeAction', () => {
	test('normalises the loose types real appliances send', () => {
		const a = normalizeAction(
			{
				codeid: '42',
				did: 7,
				expires: 1704114000000.0,
				updated: '1704100000000',
				start: 1704103200000,
				triggerer: 'null',
				active: true,
				cleared: false,
				score: '0.8',
				manual: false,
			},
			NOW,
		);
		expect(a).toMatchObject({
			codeid: 42,
			did: 7,
			expires: 1704114000000,
			updated: 1704100000000,
			triggerer: null,
			score: 0.8,
			state: 'active',
		});
		expect(a.expiresIso).toBe('2024-01-01T13:00:00.000Z');
		expect(a.remainingSeconds).toBe(3600);
		expect(
			normalizeAction({ codeid: 1, triggerer: { username: 'ana', reason: 'r' }, manual: true }, NOW).triggerer,
		).toEqual({ username: 'ana', reason: 'r' });
	});

	test('state: cleared beats expired beats active; never activated and not expired is pending', () => {
		expect(stateOf({ active: false, cleared: true, expires: NOW - 1 }, NOW)).toBe('cleared');
		expect(stateOf({ active: true, cleared: false, expires: NOW - 1 }, NOW)).toBe('expired');
		expect(stateOf({ active: false, cleared: false, expires: NOW - 1 }, NOW)).toBe('expired');
		expect(stateOf({ active: true, cleared: false, expires: NOW + 1 }, NOW)).toBe('active');
		expect(stateOf({ active: false, cleared: false, expires: NOW + 1 }, NOW)).toBe('pending');
	});

	test('simplifying the raw action or its normalised copy gives the same item', () => {
		const raw = {
			codeid: 9,
			did: 3,
			ip: '10.0.0.3',
			action: 'quarantine',
			expires: '1704114000000',
			active: 'true',
			triggerer: null,
			score: 0.4,
		};
		expect(simplifyAction(raw, NOW)).toEqual(simplifyAction(normalizeAction(raw, NOW), NOW));
		expect(simplifyAction(raw, NOW)).toMatchObject({
			codeid: 9,
			state: 'active',
			triggeredBy: null,
			remainingSeconds: 3600,
		});
	});

	test('both response shapes', () => {
		expect(splitActionsResponse([{ codeid: 1 }]).actions).toHaveLength(1);
		const obj = splitActionsResponse({ actions: [{ codeid: 1 }], devices: [{ did: 1 }] });
		expect([obj.actions.length, obj.devices.length, obj.connections.length]).toEqual([1, 1, 0]);
		expect(() => splitActionsResponse('<html>')).toThrow(/neither a list of actions/);
	});
});

describe('error translation', () => {
	test('signature and date errors are told apart; the skew is stated', () => {
		expect(
			translateAnswer({ statusCode: 400, body: { response: 'API SIGNATURE ERROR' }, headers: {} }, 'GET /antigena')
				.message,
		).toMatch(/signature/);
		const date = translateAnswer(
			{
				statusCode: 400,
				body: { response: 'API DATE ERROR' },
				headers: { Date: new Date(NOW - 45 * 60_000).toUTCString() },
			},
			'GET /antigena',
			NOW,
		);
		expect(date.description).toMatch(/clock is 45 minutes ahead of the appliance's/);
		expect(describeSkew(undefined, NOW)).toBe('');
	});

	test('a TLS failure names the certificate and the two ways out', () => {
		const t = translateNetworkError(
			'DEPTH_ZERO_SELF_SIGNED_CERT',
			'self-signed certificate',
			'https://dt',
			'GET /antigena',
		);
		expect(t.message).toBe('The TLS certificate of https://dt could not be verified');
		expect(t.description).toMatch(/NODE_EXTRA_CA_CERTS.*Ignore SSL Issues/);
	});
});

describe('Action resource description', () => {
	const operationFiles = { activate, clear, createManual, extend, get, getMany, reactivate };
	const withoutOperations = (p: INodeProperties) => {
		const { operation: _operation, ...show } = p.displayOptions?.show ?? {};
		return { ...p, displayOptions: { ...p.displayOptions, show } };
	};

	test('every Action operation shows exactly the parameters its file declares, in order', () => {
		for (const [operation, file] of Object.entries(operationFiles)) {
			const shown = actionDescription.filter((p) => {
				const operations = p.displayOptions?.show?.operation as string[] | undefined;
				return operations?.includes(operation);
			});
			expect(shown.map(withoutOperations)).toEqual(file.description.map(withoutOperations));
		}
	});
});
