/** The node as an AI agent's tool: what the model is told, and a write must say why. */
import type { INodeParameters, INodePropertyOptions } from 'n8n-workflow';

import { DarktraceRespond } from '../../nodes/Darktrace/DarktraceRespond.node';
import { InputError, keyPart, parseCodeId } from '../../nodes/Darktrace/domain/validation';
import { startSimulator, type Simulator } from '../../simulator';
import { executeNode } from '../harness';
import { credentialsFor } from './respond';

/** The type n8n gives the node's tool variant (`<name>Tool`). */
const TOOL_TYPE = 'n8n-nodes-darktrace.darktraceRespondTool';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ seed: 'realistic' });
});
afterAll(async () => await sim.stop());
beforeEach(() => sim.clearRequests());

async function runTool(parameters: INodeParameters) {
	return await executeNode({ type: new DarktraceRespond(), name: TOOL_TYPE, parameters, credentials: credentialsFor(sim) });
}

function operations(): INodePropertyOptions[] {
	return new DarktraceRespond().description.properties
		.filter((p) => p.name === 'operation')
		.flatMap((p) => (p.options ?? []) as INodePropertyOptions[]);
}

describe('as a tool', () => {
	test('a write without a Reason is refused before any request, saying how to fix it', async () => {
		const pending = sim.createPendingAction();
		const error = (await runTool({ resource: 'action', operation: 'activate', codeId: pending.codeid, reason: '' }).catch(
			(e: unknown) => e,
		)) as Error & { description?: string };
		expect(error.message).toBe(
			"Reason (empty) is empty, and a write used as an AI tool needs one: set Reason to {{ $fromAI('reason', 'Why this change is needed', 'string') }} so the model states why, or type one",
		);
		expect(error.description).toMatch(/changes network enforcement/);
		expect(sim.requests()).toHaveLength(0);
		expect(sim.action(pending.codeid)!.active).toBe(false);
	});

	test.each(['clear', 'extend', 'reactivate'])('%s without a Reason is refused too', async (operation) => {
		const error = (await runTool({ resource: 'action', operation, codeId: 1, duration: 60, reason: '  ' }).catch((e: unknown) => e)) as Error;
		expect(error.message).toMatch(/^Reason "  " is empty, and a write used as an AI tool needs one/);
		expect(sim.requests()).toHaveLength(0);
	});

	test('a write with a Reason goes through; reads need none', async () => {
		const pending = sim.createPendingAction();
		const { output } = await runTool({ resource: 'action', operation: 'activate', codeId: pending.codeid, reason: 'agent: highest score' });
		expect(output![0][0].json).toMatchObject({ codeid: pending.codeid, success: true });
		expect(sim.action(pending.codeid)!.history.at(-1)).toMatchObject({ reason: 'agent: highest score' });
		const read = await runTool({ resource: 'action', operation: 'get', codeId: pending.codeid });
		expect(read.output![0][0].json).toMatchObject({ codeid: pending.codeid, state: 'active' });
	});
});

describe('what the model reads', () => {
	test('every tool name n8n derives ("<action> in Darktrace RESPOND") fits OpenAI\'s 64-character limit', () => {
		for (const option of operations()) {
			expect(`${option.action} in Darktrace RESPOND`.replace(/ /g, '_').length).toBeLessThanOrEqual(64);
		}
	});

	test('write labels say they change enforcement; the list label names codeid', () => {
		const label = (value: string) => operations().find((o) => o.value === value)?.action ?? '';
		for (const write of ['activate', 'clear', 'createManual', 'extend', 'reactivate']) expect(label(write)).toMatch(/enforce/);
		expect(label('getMany')).toMatch(/codeid/);
	});

	test('an input error carries the key part of its fix in the message', () => {
		expect(() => parseCodeId(-1)).toThrow(
			'Code ID -1 is below 1: use the "codeid" of the action (a positive whole number) as listed by Get Many or the trigger',
		);
		expect(new InputError('Duration', 0, 'Give the duration in whole seconds, from 1 to 60; e.g. 30.', 'is below 1').message).toBe(
			'Duration 0 is below 1: give the duration in whole seconds, from 1 to 60',
		);
		expect(keyPart('Give an IPv4/IPv6 address (e.g. 10.0.0.5) or a host name. More.')).toBe(
			'give an IPv4/IPv6 address (e.g. 10.0.0.5) or a host name',
		);
		expect(keyPart('IP patterns use *, e.g. 10.0.*')).toBe('IP patterns use *');
	});
});
