import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { DARKTRACE_CREDENTIAL_TYPE } from '../../credentials/common/fields';
import * as action from './actions/action/Action.resource';
import { router } from './actions/router';
import * as summary from './actions/summary/Summary.resource';

export class DarktraceRespond implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Darktrace RESPOND',
		name: 'darktraceRespond',
		icon: { light: 'file:darktrace.svg', dark: 'file:darktrace.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Review, approve, extend, clear and create Darktrace RESPOND (Antigena) actions',
		defaults: { name: 'Darktrace RESPOND' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: DARKTRACE_CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					// The nodes panel titles each resource's group "<name> actions": "RESPOND actions", not "Action actions".
					{
						name: 'RESPOND',
						value: 'action',
						description: 'RESPOND actions: list, approve, extend, clear, reactivate, create',
					},
					{ name: 'Summary', value: 'summary', description: 'Counts of pending and active actions' },
				],
				default: 'action',
			},
			...action.description,
			...summary.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
