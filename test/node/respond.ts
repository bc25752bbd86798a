/** Shared set-up for tests of the Darktrace RESPOND node against the simulator. */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { DarktraceRespond } from '../../nodes/Darktrace/DarktraceRespond.node';
import type { Simulator, SimulatorToken } from '../../simulator';
import { executeNode, type ExecuteResult, type TestCredentials } from '../harness';

export function credentialsFor(sim: Simulator, role: SimulatorToken['role'] = 'respond'): TestCredentials {
	const t = sim.token(role);
	return { url: sim.url, publicToken: t.public, privateToken: t.private };
}

export interface RunOptions {
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	credentials?: TestCredentials;
	/** The workflow's time zone setting. */
	timezone?: string;
}

export async function runRespond(
	sim: Simulator,
	parameters: INodeParameters,
	opts: RunOptions = {},
): Promise<ExecuteResult> {
	return await executeNode(
		{
			type: new DarktraceRespond(),
			parameters,
			credentials: opts.credentials ?? credentialsFor(sim),
			continueOnFail: opts.continueOnFail,
			timezone: opts.timezone,
		},
		opts.items,
	);
}

/** Output JSON of the first (only) output. */
export async function runJson(
	sim: Simulator,
	parameters: INodeParameters,
	opts: RunOptions = {},
): Promise<IDataObject[]> {
	const { output } = await runRespond(sim, parameters, opts);
	return (output?.[0] ?? []).map((i) => i.json);
}

/** The error a run throws (fails the test if it does not throw). */
export async function runError(sim: Simulator, parameters: INodeParameters, opts: RunOptions = {}) {
	try {
		await runRespond(sim, parameters, opts);
	} catch (error) {
		return error as Error & { description?: string; context?: IDataObject; httpCode?: string | null };
	}
	throw new Error('expected the node to throw');
}
