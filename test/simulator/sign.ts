/**
 * A small, independent Darktrace signer for the simulator tests. It deliberately shares no code
 * with simulator/auth.ts or the node: the two sides must agree by construction, not by import.
 */
import { createHmac } from 'node:crypto';

export function sign(target: string, publicToken: string, privateToken: string, date: string): string {
	return createHmac('sha1', privateToken).update(`${target}\n${publicToken}\n${date}`, 'utf8').digest('hex');
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The date in every format the API guide lists, all for the same UTC instant (whole seconds). */
export function dateFormats(ms: number): Record<string, string> {
	const d = new Date(ms);
	const [y, mo, day, h, mi, s] = [
		d.getUTCFullYear(),
		d.getUTCMonth() + 1,
		d.getUTCDate(),
		d.getUTCHours(),
		d.getUTCMinutes(),
		d.getUTCSeconds(),
	];
	const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
	const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
	const hms = `${pad(h)}:${pad(mi)}:${pad(s)}`;
	return {
		compact: `${y}${pad(mo)}${pad(day)}T${pad(h)}${pad(mi)}${pad(s)}`,
		iso: `${y}-${pad(mo)}-${pad(day)}T${hms}`,
		spaced: `${y}-${pad(mo)}-${pad(day)} ${hms}`,
		rfc: `${weekday}, ${pad(day)} ${month} ${y} ${hms}`,
		rfcGmt: `${weekday}, ${pad(day)} ${month} ${y} ${hms} GMT`,
		rfcUtc: `${weekday}, ${pad(day)} ${month} ${y} ${hms} UTC`,
		asctime: `${weekday} ${month} ${String(day).padStart(2, ' ')} ${hms} ${y}`,
	};
}

export function spacedDate(ms: number): string {
	return dateFormats(ms).spaced;
}
