/**
 * Links into the Threat Visualizer, in the forms Darktrace's own SOAR apps build:
 * `<instance>/#device/<did>` and `<instance>/#modelbreach/<pbid>`. The one place that builds them.
 */
import type { IDataObject } from 'n8n-workflow';

import { toNumber } from './action';

export interface ActionLinks {
	/** `<instance>/#device/<did>`; null without a device ID. */
	deviceUrl: string | null;
	/** `<instance>/#modelbreach/<pbid>`; null for an action no model breach triggered (manual, pbid absent or 0). */
	breachUrl: string | null;
}

const positiveId = (value: unknown): number | null => {
	const n = toNumber(value);
	return n !== null && Number.isSafeInteger(n) && n > 0 ? n : null;
};

/** `instance`: the credential's URL as the transport uses it (origin only: no userinfo, no trailing slash). */
export function actionLinks(instance: string, did: unknown, pbid: unknown): ActionLinks {
	const device = positiveId(did);
	const breach = positiveId(pbid);
	return {
		deviceUrl: device === null ? null : `${instance}/#device/${device}`,
		breachUrl: breach === null ? null : `${instance}/#modelbreach/${breach}`,
	};
}

/** Adds `deviceUrl` and `breachUrl` to an action item (raw, normalised or simplified), read from its own did/pbid. */
export function addActionLinks<T extends IDataObject>(item: T, instance: string): T {
	const links = actionLinks(instance, item.did, item.pbid);
	(item as IDataObject).deviceUrl = links.deviceUrl;
	(item as IDataObject).breachUrl = links.breachUrl;
	return item;
}
