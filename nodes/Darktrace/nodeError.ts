import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import { DarktraceCredentialError } from '../../credentials/common/fields';
import { InputError } from './domain/validation';

/**
 * Any error as the n8n error the node throws or reports for an item: the one place where our errors
 * (InputError, DarktraceCredentialError: a message and a fix) become n8n's. n8n errors already made (by
 * the transport, from the appliance's answer) keep their text and get the item index.
 */
export function toNodeError(
	ctx: { getNode(): INode },
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof InputError) {
		return new NodeOperationError(ctx.getNode(), error.message, { itemIndex, description: error.fix });
	}
	if (error instanceof DarktraceCredentialError) {
		return new NodeOperationError(ctx.getNode(), error.problem, { itemIndex, description: error.fix });
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined && error.context) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}
