import type { IExecuteFunctions, INodeParameters } from 'n8n-workflow';

/** n8n's own test: a stored string that starts with "=" is an expression. */
function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.charAt(0) === '=';
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

const storedParameters = new WeakMap<IExecuteFunctions, INodeParameters>();

/**
 * An item's parameter, as `getNodeParameter(name, itemIndex, fallback)` returns it (`name` may be a
 * dotted path). A value stored without an expression is the value n8n would return: its expression
 * pass, data cleanup and schema check change nothing for it (none of our parameters has a
 * `validateType`), yet cost more than the request's signing. So such a value is read from one copy
 * of the node per execution; a value holding an expression (including `$fromAI` when the node runs
 * as a tool) goes through n8n.
 */
export function getParameter(this: IExecuteFunctions, name: string, itemIndex: number, fallback?: unknown): unknown {
	let parameters = storedParameters.get(this);
	if (parameters === undefined) {
		parameters = this.getNode().parameters;
		storedParameters.set(this, parameters);
	}
	let value: unknown = parameters;
	for (const key of name.split('.')) {
		value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
	}
	if (value === undefined) value = fallback;
	if (value === undefined || hasExpression(value)) return this.getNodeParameter(name, itemIndex, fallback);
	return value;
}
