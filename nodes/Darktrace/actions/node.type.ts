import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** Sends an item's request(s) and returns its output objects. */
export type Send = () => Promise<IDataObject[]>;

/** A write: the router sends it at most once per item per execution (see domain/writeOnce.ts). */
export interface Write {
	send: Send;
	/** Reads the appliance: the item's output (`alreadyApplied: true`) if this write already took effect. */
	findApplied: () => Promise<IDataObject[] | undefined>;
	/** Look before every send, not only when n8n runs the write again (Create Manual, Extend by Add Time). */
	lookFirst: boolean;
}

/**
 * One operation: its parameters, and `prepare`, which reads and validates an item's parameters and
 * returns the request to send. The router prepares every item before sending anything, so invalid
 * input never reaches the appliance.
 */
export interface Operation {
	description: INodeProperties[];
	prepare(this: IExecuteFunctions, itemIndex: number): Send | Write;
	/** Max Requests in Flight when the option is not set: its default in `description` (1 unless said). */
	inFlightDefault?: number;
}
