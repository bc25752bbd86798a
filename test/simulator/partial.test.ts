/** The 'partial' fault: GET /antigena lists only some of the actions, as an appliance glitch would. */
import type { FaultSpec } from '../../simulator';
import { get, post, useSimulator } from './client';

const sim = useSimulator({ seed: 'empty' });

const codeids = (json: Array<{ codeid: number }>) => json.map((a) => a.codeid);

describe('partial fault', () => {
	it('keepCodeids lists only those actions, once, then the full list again', async () => {
		const [a, b, c] = [sim.createPendingAction(), sim.createPendingAction(), sim.createPendingAction()];
		sim.injectFault({ kind: 'partial', keepCodeids: [c.codeid, a.codeid, 999], times: 1 });
		expect(codeids((await get(sim, '/antigena')).json)).toEqual([a.codeid, c.codeid]);
		expect(codeids((await get(sim, '/antigena')).json)).toEqual([a.codeid, b.codeid, c.codeid]);
	});

	it('keepNewest keeps the highest codeids of what the query lists, whatever the shape', async () => {
		const [a, b, c] = [sim.createPendingAction(), sim.createPendingAction(), sim.createPendingAction()];
		sim.injectFault({ kind: 'partial', keepNewest: 2, times: 2 });
		expect(codeids((await get(sim, '/antigena?needconfirming=true')).json)).toEqual([b.codeid, c.codeid]);
		const res = await get(sim, '/antigena?fulldevicedetails=true');
		expect(codeids(res.json.actions)).toEqual([b.codeid, c.codeid]);
		expect(codeids((await get(sim, '/antigena')).json)).toEqual([a.codeid, b.codeid, c.codeid]);
	});

	it('applies to GET /antigena only, after authentication like a real answer', async () => {
		const a = sim.createPendingAction();
		sim.injectFault({ kind: 'partial', keepNewest: 0 });
		expect((await get(sim, '/antigena/summary')).status).toBe(200);
		expect((await post(sim, '/antigena', { codeid: a.codeid, activate: true })).status).toBe(200);
		expect((await get(sim, '/antigena')).json).toEqual([]);
		expect((await get(sim, '/antigena')).json).toEqual([]); // no `times`: every list answer
	});

	it.each<[string, unknown]>([
		['neither keepCodeids nor keepNewest', { kind: 'partial' }],
		['both', { kind: 'partial', keepCodeids: [1], keepNewest: 1 }],
		['a bad codeid', { kind: 'partial', keepCodeids: [1.5] }],
		['a negative keepNewest', { kind: 'partial', keepNewest: -1 }],
		['another path', { kind: 'partial', keepNewest: 1, path: '/antigena/summary' }],
		['POST', { kind: 'partial', keepNewest: 1, method: 'POST' }],
	])('rejects %s', (_name, spec) => {
		expect(() => sim.injectFault(spec as FaultSpec)).toThrow(/Invalid fault: /);
	});
});
