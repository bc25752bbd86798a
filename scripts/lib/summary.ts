/** A readable summary of a workflow run: each node that ran, its item count and one line per item. */
import type { WorkflowJson, WorkflowRun } from './n8n';

const MAX_ITEMS = 6;

function text(value: unknown): string {
	return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One line for one output item, whatever node produced it. */
export function describeItem(json: Record<string, unknown>): string {
	if (json.error !== undefined) return `error: ${text(json.error)}`;
	if (json.pendingCount !== undefined) {
		return `${text(json.pendingCount)} pending, ${text(json.activeCount)} active (active on devices ${text(json.activeActionDevices)})`;
	}
	if (json.operation !== undefined) {
		const outcome = json.success === false ? 'not confirmed' : 'done';
		const duration = json.duration !== undefined ? `, ${text(json.duration)} s` : '';
		const state = (json.action as Record<string, unknown> | undefined)?.state;
		return `${text(json.operation)} #${text(json.codeid)}${duration}: ${outcome}${state ? ` (now ${text(state)})` : ''}`;
	}
	if (typeof json.summary === 'string') return json.summary;
	if (json.codeid !== undefined && (json.label !== undefined || json.action !== undefined)) {
		const device = (json.device as Record<string, unknown> | undefined)?.hostname ?? json.ip;
		const event = json.event !== undefined ? `${text(json.event)} ` : '';
		const state = json.state !== undefined ? `${text(json.state)} ` : '';
		return `${event}#${text(json.codeid)} ${state}${text(json.label ?? json.action)} on ${text(device)} (score ${text(json.score)})`;
	}
	const line = JSON.stringify(json);
	return line.length > 110 ? `${line.slice(0, 107)}...` : line;
}

/** The lines describing a run, nodes in the order the workflow lists them. */
export function describeRun(workflow: WorkflowJson, run: WorkflowRun): string[] {
	const lines = [`${run.ok ? '✓' : '✗'} ${workflow.name} (${(run.ms / 1000).toFixed(1)} s)`];
	if (!run.ok) {
		lines.push(`    failed: ${run.error ?? 'unknown error'}`);
		return lines;
	}
	for (const node of workflow.nodes) {
		const runs = run.nodes[node.name];
		if (!runs || node.type === 'n8n-nodes-base.manualTrigger') continue;
		const items = runs.flat();
		lines.push(`    ${node.name}: ${items.length} item${items.length === 1 ? '' : 's'}`);
		for (const item of items.slice(0, MAX_ITEMS)) lines.push(`      - ${describeItem(item.json)}`);
		if (items.length > MAX_ITEMS) lines.push(`      … ${items.length - MAX_ITEMS} more`);
	}
	return lines;
}
