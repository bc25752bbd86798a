import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** Sends an item's request(s) and returns its output objects. */
export type Send = () => Promise<IDataObject[]>;

/**
 * One operation: its parameters, and `prepare`, which reads and validates an item's parameters and
 * returns the request to send. The router prepares every item before sending anything, so invalid
 * input never reaches the appliance.
 */
export interface Operation {
	description: INodeProperties[];
	prepare(this: IExecuteFunctions, itemIndex: number): Send;
}

export type DarktraceResource = 'action' | 'summary';
