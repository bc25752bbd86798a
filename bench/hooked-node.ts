/**
 * A node type whose execute()/poll() notes the moment it returns. The harness (test/harness) runs
 * test-only checks on the output after that (it scans the output for the private token), which are
 * neither n8n's work nor the node's: a measurement of "the node in n8n's context" ends here.
 */
import { performance } from 'node:perf_hooks';
import type { IExecuteFunctions, INodeType, IPollFunctions } from 'n8n-workflow';

import type { EndMark } from './measure';

/** `returnedAt`: when execute() or poll() last returned; `onReturn`: called then, before the harness sees the output. */
export interface HookedNode extends EndMark {
	type: INodeType;
}

export function hooked(inner: INodeType): HookedNode {
	const type: INodeType = { description: inner.description };
	const node: HookedNode = { type, returnedAt: NaN };
	const returned = () => {
		node.returnedAt = performance.now();
		node.onReturn?.();
	};
	const { execute, poll } = inner;
	if (execute) {
		type.execute = async function (this: IExecuteFunctions) {
			const output = await execute.call(this);
			returned();
			return output;
		};
	}
	if (poll) {
		type.poll = async function (this: IPollFunctions) {
			const output = await poll.call(this);
			returned();
			return output;
		};
	}
	return node;
}
