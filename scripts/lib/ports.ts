/** Loopback ports for n8n and the simulator. */
import { createServer } from 'node:net';

async function listenOnce(port: number): Promise<number | undefined> {
	return await new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(undefined));
		server.listen(port, '127.0.0.1', () => {
			const address = server.address();
			const bound = typeof address === 'object' && address ? address.port : undefined;
			server.close(() => resolve(bound));
		});
	});
}

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
	const port = await listenOnce(0);
	if (port === undefined) throw new Error('No free loopback port');
	return port;
}

/** `preferred` when it is free on 127.0.0.1, else any free port. */
export async function preferredPort(preferred: number): Promise<number> {
	return (await listenOnce(preferred)) ?? (await freePort());
}
