import type { INodeProperties } from 'n8n-workflow';

/** The operations a property is shown for; undefined when it is shown whatever the operation. */
function operationsOf(property: INodeProperties): string[] | undefined {
	const operations = property.displayOptions?.show?.operation;
	return Array.isArray(operations) ? (operations as string[]) : undefined;
}

/** Everything about a property but the operations it is shown for. */
function definitionKey(property: INodeProperties, index: number): string {
	if (operationsOf(property) === undefined) return `#${index}`;
	const { displayOptions, ...rest } = property;
	const show = { ...displayOptions?.show };
	delete show.operation;
	return JSON.stringify([rest, { ...displayOptions, show }]);
}

/**
 * Each operation file declares all of its parameters, so one resource's list holds the same parameter
 * several times (Code ID for five operations, Reason for five, the write options for four). n8n
 * resolves every listed parameter of a node on every execution, so identical ones are merged into one
 * shown for all their operations. Every operation still shows exactly the parameters its file declares,
 * in the same order (a merge that would reorder them is not made); stored workflows are unaffected,
 * as parameter values are stored by name.
 */
export function mergeSharedParameters(properties: INodeProperties[]): INodeProperties[] {
	const keys = properties.map(definitionKey);
	const groups = [...new Set(keys)];
	const groupOf = new Map(groups.map((key, i) => [key, i]));
	const operations = [...new Set(properties.flatMap((p) => operationsOf(p) ?? []))];

	// What each operation shows, in order, as groups: the order every merge has to keep.
	const after = groups.map(() => new Set<number>());
	const before = groups.map(() => 0);
	for (const operation of operations) {
		let previous: number | undefined;
		properties.forEach((property, i) => {
			const shown = operationsOf(property);
			if (shown !== undefined && !shown.includes(operation)) return;
			const group = groupOf.get(keys[i]) as number;
			if (previous !== undefined && previous !== group && !after[previous].has(group)) {
				after[previous].add(group);
				before[group]++;
			}
			previous = group;
		});
	}

	// Topological order, first-declared first among the groups that are free.
	const order: number[] = [];
	const free = groups.map((_, g) => g).filter((g) => before[g] === 0);
	while (free.length > 0) {
		free.sort((a, b) => a - b);
		const group = free.shift() as number;
		order.push(group);
		for (const next of after[group]) if (--before[next] === 0) free.push(next);
	}
	if (order.length !== groups.length) return properties;

	return order.map((group) => {
		const members = properties.filter((_, i) => groupOf.get(keys[i]) === group);
		const shownFor = members.map(operationsOf);
		if (members.length === 1 || shownFor[0] === undefined) return members[0];
		const merged = [...new Set(shownFor.flatMap((list) => list ?? []))];
		const displayOptions = members[0].displayOptions ?? {};
		return {
			...members[0],
			displayOptions: { ...displayOptions, show: { ...displayOptions.show, operation: merged } },
		};
	});
}
