import type { INodeProperties } from 'n8n-workflow';

import { mergeSharedParameters } from '../../helpers/description';
import * as activate from './activate.operation';
import * as clear from './clear.operation';
import * as createManual from './createManual.operation';
import * as extend from './extend.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as reactivate from './reactivate.operation';

export { activate, clear, createManual, extend, get, getMany, reactivate };

export const description: INodeProperties[] = mergeSharedParameters([
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['action'] } },
		options: [
			{
				name: 'Activate',
				value: 'activate',
				description: 'Approve a pending action so RESPOND enforces it',
				action: 'Activate a pending action',
			},
			{
				name: 'Clear',
				value: 'clear',
				description: 'Clear an active, pending or expired action',
				action: 'Clear an action',
			},
			{
				name: 'Create Manual Action',
				value: 'createManual',
				description: 'Start a new RESPOND action on a device (quarantine, block connections…)',
				action: 'Create a manual action',
			},
			{
				name: 'Extend',
				value: 'extend',
				description: 'Change how long an active action stays in force',
				action: 'Extend an active action',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one action by code ID, with its history',
				action: 'Get an action',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List actions, e.g. those awaiting confirmation',
				action: 'Get many actions',
			},
			{
				name: 'Reactivate',
				value: 'reactivate',
				description: 'Put a cleared or expired action back in force',
				action: 'Reactivate an action',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...get.description,
	...activate.description,
	...extend.description,
	...clear.description,
	...reactivate.description,
	...createManual.description,
]);
