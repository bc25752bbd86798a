import type { IExecuteFunctions } from 'n8n-workflow';

/** n8n's own test: a stored string that starts with "=" is an expression. */
function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.charAt(0) === '=';
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

/**
 * An item's parameter, as `getNodeParameter(name, itemIndex, fallback)` returns it. A value stored
 * without an expression is that value: n8n's expression pass, data cleanup and schema check change
 * nothing for it (none of our parameters has a `validateType`), yet cost more than signing the
 * request (the first one of an execution also builds `$execution`). So the stored value is read
 * (`rawExpressions`), and only a value holding an expression, `$fromAI` included, is resolved.
 */
export function getParameter(this: IExecuteFunctions, name: string, itemIndex: number, fallback?: unknown): unknown {
	// bench: Same request, per request of a 10-item execution, vs the bare floor (bench/README.md)
	const stored: unknown = this.getNodeParameter(name, itemIndex, fallback as undefined, { rawExpressions: true });
	return hasExpression(stored) ? this.getNodeParameter(name, itemIndex, fallback as undefined) : stored;
}

/** Whether the node runs as an AI agent's tool: n8n gives a node's tool variant the type "<name>Tool". */
export function runsAsTool(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}
