import type { INodeProperties } from 'n8n-workflow';

import * as activate from './activate.operation';
import * as clear from './clear.operation';
import * as createManual from './createManual.operation';
import * as extend from './extend.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as reactivate from './reactivate.operation';

export { activate, clear, createManual, extend, get, getMany, reactivate };

export const description: INodeProperties[] = [
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
				description:
					'Approve a pending action by its "codeid" (from Get Many or the trigger): RESPOND enforces it on the network at once',
				action: 'Activate a pending action to enforce it',
			},
			{
				name: 'Clear',
				value: 'clear',
				description:
					'Stop an action by its "codeid": active, pending or expired. Clearing a pending action declines it.',
				action: 'Clear an action to end its enforcement',
			},
			{
				name: 'Create Manual Action',
				value: 'createManual',
				description:
					'Start a new RESPOND action on a device ("did"), enforced at once: quarantine, block connections…',
				action: 'Create a manual action enforced at once',
			},
			{
				name: 'Extend',
				value: 'extend',
				description: 'Change how long an active action ("codeid") stays in force on the network',
				action: 'Extend the enforcement of an active action',
			},
			{
				name: 'Get',
				value: 'get',
				description:
					'Get one action by its "codeid": state, score, device, history (who did what, and why) and links into the Threat Visualizer; optionally the model breach behind it',
				action: 'Get an action by codeid with its history',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description:
					'List RESPOND actions (network enforcements Darktrace proposes or applies), e.g. those awaiting confirmation. Each has the "codeid" the other operations take, its state, score, device and links into the Threat Visualizer; optionally the model breach behind it.',
				action: 'List actions with their codeid and score',
			},
			{
				name: 'Reactivate',
				value: 'reactivate',
				description: 'Put a cleared or expired action ("codeid") back in force on the network',
				action: 'Reactivate an action to enforce it again',
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
];
