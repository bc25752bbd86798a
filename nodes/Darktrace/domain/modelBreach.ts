/**
 * The model breach behind a RESPOND action (`GET /modelbreaches?pbid=`), reduced to what a person deciding
 * on the action reads. Appliances answer one object or a one-element list, and describe the model as
 * `model.then` / `model.now` (newer) or with `name`, `uuid`, `pid` directly under `model` (older).
 */
import type { IDataObject } from 'n8n-workflow';

import { toEpochMs, toNumber } from './action';

/** What "Include Model Breach" adds to an action item. */
export interface BreachFields {
	/** The breach, or null when it was not read (see the note). */
	modelBreach: IDataObject | null;
	/** Why `modelBreach` is null; null when it is there. */
	modelBreachNote: string | null;
}

/** The action's model breach ID, or null for an action no breach triggered (manual, pbid absent or 0). */
export function breachIdOf(action: IDataObject): number | null {
	const pbid = toNumber(action.pbid);
	return pbid !== null && Number.isSafeInteger(pbid) && pbid > 0 ? pbid : null;
}

const isObject = (value: unknown): value is IDataObject =>
	value !== null && typeof value === 'object' && !Array.isArray(value);

/** The model as it was when it breached: `model.then`, else `model.now`, else the older flat `model`. */
function modelOf(breach: IDataObject): IDataObject {
	const model = breach.model;
	if (!isObject(model)) return {};
	if (isObject(model.then)) return model.then;
	if (isObject(model.now)) return model.now;
	return model;
}

const text = (value: unknown): string | null =>
	value === undefined || value === null || value === '' ? null : String(value);

/**
 * The breach's summary from the answer to `GET /modelbreaches?pbid=`, or null when the answer holds no
 * breach (an empty list: an unknown pbid). Times are ISO, like the action's own.
 */
export function summarizeBreach(answer: unknown, pbid: number): IDataObject | null {
	const breach = Array.isArray(answer) ? answer[0] : answer;
	if (!isObject(breach)) return null;
	const model = modelOf(breach);
	const time = toEpochMs(breach.time) ?? toEpochMs(breach.creationTime);
	const description = text(model.description);
	return {
		pbid: toNumber(breach.pbid) ?? pbid,
		modelName: text(model.name),
		category: text(model.category),
		// The API escapes line breaks in model descriptions as a literal backslash-n.
		description: description === null ? null : description.replace(/\\r\\n|\\n/g, '\n'),
		time: time === null ? null : new Date(time).toISOString(),
		score: toNumber(breach.score),
		priority: toNumber(model.priority),
		tags: Array.isArray(model.tags) ? model.tags : [],
		modelUuid: text(model.uuid),
		commentCount: toNumber(breach.commentCount),
	};
}

/** Notes that say why an action carries no breach; the action itself is always kept as it is. */
export const breachNotes = {
	noBreach: 'No model breach: this action was not triggered by one (a manual action, or no "pbid")',
	notFound: (pbid: number, how: string) =>
		`Model breach ${pbid} was not found on the appliance (${how}); the action is unchanged`,
	failed: (pbid: number, message: string) =>
		`Model breach ${pbid} could not be read: ${message}; the action is unchanged`,
	outOfTime: (pbid: number) =>
		`Model breach ${pbid} was not read: the time for this poll's breach reads (its Timeout) was used up; the action is unchanged`,
};
