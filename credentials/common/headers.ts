/** HTTP headers as n8n hands them over: names in any case, a value maybe repeated (an array). */
type Headers = Record<string, unknown>;

/** The name under which `headers` holds `name` (any case), if it does. */
export function headerKey(headers: Headers, name: string): string | undefined {
	const lower = name.toLowerCase();
	return Object.keys(headers).find((h) => h.toLowerCase() === lower);
}

/** The value of header `name` (any case) as text, the first one if repeated. */
export function headerValue(headers: Headers, name: string): string | undefined {
	const key = headerKey(headers, name);
	const value = key === undefined ? undefined : headers[key];
	if (value === undefined) return undefined;
	return Array.isArray(value) ? String(value[0]) : String(value);
}
