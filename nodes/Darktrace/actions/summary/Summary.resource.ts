import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';

export { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['summary'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Count pending and active actions and list the devices ("did") carrying them',
				action: 'Count pending and active actions',
			},
		],
		default: 'get',
	},
	...get.description,
];
