/**
 * "Include Model Breach": reads the breach behind each action (`GET /modelbreaches?pbid=`) through the
 * transport, so reads get the usual retries and timeout. One request per distinct pbid per run, at most
 * `concurrency` in flight. Never fails: an action whose breach cannot be read is kept, with a note.
 */
import type { IDataObject } from 'n8n-workflow';

import { breachIdOf, breachNotes, summarizeBreach, type BreachFields } from '../domain/modelBreach';
import { darktraceApiRequest, type DarktraceContext } from '../transport';

export interface BreachReaderOptions {
	/** Breach reads in flight at once. */
	concurrency: number;
	/** Each read's Timeout; undefined: the transport's default. */
	timeoutSeconds?: number;
	/** All reads of this reader end within this many ms from its creation (the trigger: a poll never waits long on them). */
	budgetMs?: number;
}

/** Less time than this left in the budget: a read is not started. */
const MIN_READ_MS = 1000;

function httpCodeOf(error: unknown): string | undefined {
	const code = (error as { httpCode?: unknown })?.httpCode;
	return typeof code === 'string' ? code : undefined;
}

export class ModelBreachReader {
	private readonly results = new Map<number, Promise<BreachFields>>();
	private readonly waiting: Array<() => void> = [];
	private inFlight = 0;
	private readonly deadline?: number;

	constructor(
		private readonly ctx: DarktraceContext,
		private readonly options: BreachReaderOptions,
	) {
		if (options.budgetMs !== undefined) this.deadline = Date.now() + options.budgetMs;
	}

	/** The breach fields for one pbid: read once, shared by every action of this run that names it. */
	read(pbid: number, itemIndex = 0): Promise<BreachFields> {
		let result = this.results.get(pbid);
		if (!result) {
			result = this.limited(async () => await this.fetch(pbid, itemIndex));
			this.results.set(pbid, result);
		}
		return result;
	}

	/** Adds `modelBreach` and `modelBreachNote` to each action item, in place. */
	async enrich(items: IDataObject[], itemIndex = 0): Promise<void> {
		await Promise.all(
			items.map(async (item) => {
				const pbid = breachIdOf(item);
				const fields: BreachFields =
					pbid === null
						? { modelBreach: null, modelBreachNote: breachNotes.noBreach }
						: await this.read(pbid, itemIndex);
				// A copy per item: items sharing a breach must not share one object downstream.
				const breach = fields.modelBreach;
				item.modelBreach = breach === null ? null : { ...breach, tags: [...((breach.tags as string[]) ?? [])] };
				item.modelBreachNote = fields.modelBreachNote;
			}),
		);
	}

	private async limited<T>(run: () => Promise<T>): Promise<T> {
		while (this.inFlight >= this.options.concurrency) {
			await new Promise<void>((resolve) => this.waiting.push(resolve));
		}
		this.inFlight++;
		try {
			return await run();
		} finally {
			this.inFlight--;
			this.waiting.shift()?.();
		}
	}

	private async fetch(pbid: number, itemIndex: number): Promise<BreachFields> {
		let timeoutSeconds = this.options.timeoutSeconds;
		if (this.deadline !== undefined) {
			const left = this.deadline - Date.now();
			if (left < MIN_READ_MS) return { modelBreach: null, modelBreachNote: breachNotes.outOfTime(pbid) };
			timeoutSeconds = Math.min(timeoutSeconds ?? Infinity, left / 1000);
		}
		try {
			const { body } = await darktraceApiRequest.call(this.ctx, {
				method: 'GET',
				endpoint: '/modelbreaches',
				qs: { pbid },
				itemIndex,
				timeoutSeconds,
			});
			const breach = summarizeBreach(body, pbid);
			if (breach === null) return { modelBreach: null, modelBreachNote: breachNotes.notFound(pbid, 'empty answer') };
			return { modelBreach: breach, modelBreachNote: null };
		} catch (error) {
			// Appliances answer an unknown pbid with an empty list or 400; 404 means the same.
			const code = httpCodeOf(error);
			if (code === '400' || code === '404') {
				return { modelBreach: null, modelBreachNote: breachNotes.notFound(pbid, `HTTP ${code}`) };
			}
			return { modelBreach: null, modelBreachNote: breachNotes.failed(pbid, (error as Error).message) };
		}
	}
}

const runReaders = new WeakMap<object, ModelBreachReader>();

/** The reader shared by every item of one run of the node (`ctx` is that run's context). */
export function breachReaderFor(ctx: DarktraceContext, options: BreachReaderOptions): ModelBreachReader {
	let reader = runReaders.get(ctx);
	if (!reader) {
		reader = new ModelBreachReader(ctx, options);
		runReaders.set(ctx, reader);
	}
	return reader;
}
