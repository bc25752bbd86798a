/** Results of the benchmarks: the row model, the printed table and the JSON files. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

import { bootstrapInterval, median } from './measure';

export type Unit = 'ms' | 'ms/request' | 'signatures/s' | 'parses/s' | 'bytes' | 'bytes/action' | 'items/s';

export interface Measure {
	/** What was measured, e.g. "n8n httpRequest, precomputed headers". */
	what: string;
	unit: Unit;
	median: number;
	samples: number[];
}

/** Against a target: PASS when the ratio's 95 % interval lies at or below it, MISS when it lies wholly
 * above it, WITHIN NOISE when it straddles it (or, without an interval, by the figure itself). */
export type Status = 'PASS' | 'WITHIN NOISE' | 'MISS' | 'REPORT';

export interface CaseResult {
	id: string;
	label: string;
	ours: Measure;
	floor: Measure | null;
	/** The compared figure: ours relative to the floor (see `ratioMeaning`), or null. */
	ratio: number | null;
	/** The per-round ratios the ratio is the median of (both sides measured in the same round), if any. */
	ratios: number[] | null;
	/** 95 % bootstrap interval of the ratio, over `ratios`; null without per-round ratios. */
	interval: [number, number] | null;
	ratioMeaning: string;
	/** The target on `ratio` (of: 'ratio') or on ours' median (of: 'value'); null = report only. */
	target: { max: number; of: 'ratio' | 'value'; text: string } | null;
	status: Status;
	note: string;
}

export function measure(what: string, unit: Unit, samples: number[]): Measure {
	return { what, unit, median: median(samples), samples };
}

type RowInput = Omit<CaseResult, 'status' | 'note' | 'ratios' | 'interval' | 'ratio'> & {
	note?: string;
	/** Per-round ratios: the row's ratio is their median, with a bootstrap interval. */
	ratios?: number[];
	/** A ratio not made of per-round ratios (no interval). */
	ratio?: number | null;
};

/** Builds a row and decides PASS / WITHIN NOISE / MISS against its target. */
export function result(row: RowInput): CaseResult {
	const { target, ratios } = row;
	const ratio = ratios ? median(ratios) : (row.ratio ?? null);
	const interval = ratios && ratios.length > 1 ? bootstrapInterval(ratios) : null;
	let status: Status = 'REPORT';
	if (target) {
		const figure = target.of === 'ratio' ? ratio : row.ours.median;
		if (figure === null || !Number.isFinite(figure)) status = 'MISS';
		else if (target.of === 'ratio' && interval) {
			if (interval[1] <= target.max) status = 'PASS';
			else if (interval[0] > target.max) status = 'MISS';
			else status = 'WITHIN NOISE';
		} else status = figure <= target.max ? 'PASS' : 'MISS';
	}
	return { ...row, ratio, ratios: ratios ?? null, interval, status, note: row.note ?? '' };
}

const MB = 1024 * 1024;

function format(m: Measure): string {
	const v = m.median;
	switch (m.unit) {
		case 'ms':
			return `${v.toFixed(v < 100 ? 1 : 0)} ms`;
		case 'ms/request':
			return `${v.toFixed(3)} ms/request`;
		case 'bytes':
			return `${(v / MB).toFixed(1)} MiB`;
		case 'bytes/action':
			return `${v.toFixed(1)} B/action`;
		default:
			return `${Math.round(v).toLocaleString('en-US')} ${m.unit}`;
	}
}

export interface Machine {
	cpus: number;
	cpuModel: string;
	memoryBytes: number;
	node: string;
	platform: string;
	/** 1-minute load average when the run started and when it ended: other work on the machine adds noise. */
	loadAverage: { start: number; end: number };
}

export function machine(loadAtStart: number): Machine {
	const list = cpus();
	return {
		cpus: list.length,
		cpuModel: list[0]?.model ?? 'unknown',
		memoryBytes: totalmem(),
		node: process.version,
		platform: `${process.platform} ${process.arch}`,
		loadAverage: { start: loadAtStart, end: loadavg()[0] },
	};
}

export interface Report {
	schema: 2;
	generatedAt: string;
	mode: 'full' | 'quick';
	cases: string[];
	machine: Machine;
	versions: Record<string, string>;
	settings: Record<string, number>;
	durationSeconds: number;
	results: CaseResult[];
	methods: string[];
}

function cell(text: string): string {
	return text.replace(/\|/g, '\\|');
}

export function renderTable(results: CaseResult[]): string {
	const lines = ['| case | ours | floor | ratio | target | result |', '| --- | --- | --- | --- | --- | --- |'];
	for (const r of results) {
		const floor = r.floor ? `${format(r.floor)} (${r.floor.what})` : '—';
		// Two decimals, or three where two would print the target's own bound.
		const digits =
			r.ratio !== null && r.target?.of === 'ratio' && r.ratio.toFixed(2) === r.target.max.toFixed(2) ? 3 : 2;
		const interval = r.interval ? ` [${r.interval.map((v) => v.toFixed(digits)).join('–')}]` : '';
		const ratio = r.ratio === null ? '—' : `${r.ratio.toFixed(digits)}${interval} (${r.ratioMeaning})`;
		const ours = format(r.ours);
		lines.push(`| ${[r.label, ours, floor, ratio, r.target?.text ?? 'report', r.status].map(cell).join(' | ')} |`);
	}
	return lines.join('\n');
}

export function renderReport(report: Report): string {
	const m = report.machine;
	const versions = Object.entries(report.versions)
		.map(([name, version]) => `${name} ${version}`)
		.join(', ');
	const notes = report.results.filter((r) => r.note).map((r) => `- ${r.label}: ${r.note}`);
	return [
		`Machine: ${m.cpus} × ${m.cpuModel}, ${(m.memoryBytes / 1024 ** 3).toFixed(1)} GiB, Node ${m.node} (${m.platform}); load average ${m.loadAverage.start.toFixed(1)} at start, ${m.loadAverage.end.toFixed(1)} at end`,
		`Versions: ${versions}`,
		`Mode: ${report.mode}; counted rounds after ${report.settings.warmup} warm-up: one request ${report.settings.requestRuns}, signing ${report.settings.signingRuns}, lists ${report.settings.runs}, activate ${report.settings.activateRuns}; total ${report.durationSeconds.toFixed(0)} s`,
		'',
		renderTable(report.results),
		'',
		...(notes.length ? ['Notes:', ...notes, ''] : []),
		'Methods:',
		...report.methods.map((line) => `- ${line}`),
	].join('\n');
}

const RESULTS_DIR = join(__dirname, 'results');

/** Writes `<timestamp>.json`, and `latest.json` for a full run of every case; returns the paths. */
export function writeReport(report: Report, complete: boolean): string[] {
	mkdirSync(RESULTS_DIR, { recursive: true });
	const text = `${JSON.stringify(report, null, '\t')}\n`;
	const stamp = report.generatedAt.replace(/[:.]/g, '-');
	const files = [join(RESULTS_DIR, `${stamp}.json`)];
	if (report.mode === 'full' && complete) files.push(join(RESULTS_DIR, 'latest.json'));
	for (const file of files) writeFileSync(file, text);
	return files;
}
