/** JSON output with the loose types of real appliances (float-looking `expires`, string `updated`). */
import { randomBytes } from 'node:crypto';
import type { SimAction, SimBreach, SimBreachModel, SimDevice } from './types';

/** Marks a float in JSON.stringify's output; the random part keeps it out of reach of any data. */
const FLOAT_MARK = `\u0000float:${randomBytes(8).toString('hex')}:`;
/** How the mark's opening looks in JSON text: quote, escaped NUL, the rest. */
const FLOAT_OPENING = `"\\u0000${FLOAT_MARK.slice(1)}`;

/** A number written with a decimal point even when it is whole: `1586190000000.0`. */
export class FloatLiteral {
	constructor(readonly value: number) {}

	toJSON(): string {
		return `${FLOAT_MARK}${Number.isInteger(this.value) ? `${this.value}.0` : String(this.value)}`;
	}
}

/** JSON.stringify, except that FloatLiteral values come out as raw numbers with a decimal point. */
export function toJson(value: unknown): string {
	const [head, ...floats] = (JSON.stringify(value) ?? 'null').split(FLOAT_OPENING);
	// each piece after a mark starts with the number, then the marked string's closing quote
	return head + floats.map((piece) => piece.replace('"', '')).join('');
}

/**
 * `responsedata=<field>`: an object keeps only that top-level field; an array keeps only that key
 * in each element (elements without it become `{}`).
 */
export function restrictTo(value: unknown, field: string | undefined): unknown {
	if (field === undefined) return value;
	const pick = (item: unknown) =>
		item !== null && typeof item === 'object' && field in item
			? { [field]: (item as Record<string, unknown>)[field] }
			: {};
	return Array.isArray(value) ? value.map(pick) : pick(value);
}

/**
 * An action as the appliance serialises it. Loose types, deterministic per codeid: `expires` is
 * written as a float (`...000.0`) when codeid % 3 === 0, `updated` as a string when codeid is odd.
 */
export function actionView(a: SimAction, withHistory: boolean): Record<string, unknown> {
	return {
		codeid: a.codeid,
		did: a.did,
		ip: a.ip,
		action: a.action,
		label: a.label,
		detail: a.detail,
		manual: a.manual,
		triggerer: a.triggerer,
		score: a.score,
		pbid: a.pbid,
		model: a.model,
		modeluuid: a.modeluuid,
		start: a.start,
		expires: a.codeid % 3 === 0 ? new FloatLiteral(a.expires) : a.expires,
		updated: a.codeid % 2 === 1 ? String(a.updated) : a.updated,
		blocked: a.blocked,
		agemail: a.agemail,
		aghost: a.aghost,
		active: a.active,
		cleared: a.cleared,
		history: withHistory ? a.history : undefined,
	};
}

/** A device object of `fulldevicedetails=true` (without the internal `sensorType`). */
export function deviceView(d: SimDevice, quarantine: boolean): Record<string, unknown> {
	return {
		did: d.did,
		ip: d.ip,
		ips: d.ips,
		sid: d.sid,
		hostname: d.hostname,
		firstSeen: d.firstSeen,
		lastSeen: d.lastSeen,
		os: d.os,
		typename: d.typename,
		typelabel: d.typelabel,
		macaddress: d.macaddress,
		vendor: d.vendor,
		tags: d.tags,
		quarantine,
	};
}

export interface BreachViewOptions {
	minimal: boolean;
	/** `includebreachurl=true`: the appliance's base URL, for `breachUrl`. */
	baseUrl?: string;
	modelShape: SimBreach['modelShape'];
}

function modelView(m: SimBreachModel, minimal: boolean): Record<string, unknown> {
	return minimal ? { name: m.name, pid: m.pid, uuid: m.uuid } : { ...m, tags: [...m.tags] };
}

/**
 * A model breach as `GET /modelbreaches` serves it. `minimal=true` (a guess: the guide only says it
 * trims) keeps the ids, times, score and comment count, `device.did` and the model's name/pid/uuid.
 */
export function breachView(b: SimBreach, device: SimDevice | undefined, opts: BreachViewOptions): Record<string, unknown> {
	const model =
		opts.modelShape === 'flat'
			? modelView(b.then, opts.minimal)
			: { then: modelView(b.then, opts.minimal), now: modelView(b.now, opts.minimal) };
	const deviceFields = device
		? {
				did: device.did,
				ip: device.ip,
				hostname: device.hostname,
				macaddress: device.macaddress,
				vendor: device.vendor,
				typename: device.typename,
				devicelabel: device.hostname.split('.')[0],
			}
		: { did: b.did };
	return {
		pbid: b.pbid,
		time: b.time,
		creationTime: b.creationTime,
		commentCount: b.commentCount,
		score: b.score,
		triggeredComponents: opts.minimal
			? undefined
			: [
					{
						time: b.time,
						cbid: b.pbid * 10,
						cid: b.then.pid * 10 + 1,
						chid: b.then.phid * 10 + 1,
						size: 1 + (b.pbid % 20),
						threshold: 1,
						interval: 3600,
						logic: { data: { left: 'A', operator: 'AND', right: 'B' }, version: 'v0.1' },
						metric: { mlid: 1, name: 'connections', label: 'Connections' },
						triggeredFilters: [
							{
								cfid: b.pbid * 10 + 1,
								id: 'A',
								filterType: 'Direction',
								arguments: { value: 'out' },
								comparatorType: 'is',
								trigger: { value: 'out' },
							},
						],
					},
				],
		device: opts.minimal ? { did: b.did } : deviceFields,
		model,
		breachUrl: opts.baseUrl !== undefined ? `${opts.baseUrl}/#modelbreach/${b.pbid}` : undefined,
	};
}
