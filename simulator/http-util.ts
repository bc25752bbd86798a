/** HTTP plumbing shared by the API server and the control server. Loopback only. */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { toJson } from './json';

export const LOOPBACK = '127.0.0.1';
export const MAX_BODY_BYTES = 1024 * 1024;

export interface Reply {
	status: number;
	body: string;
	contentType?: string;
	headers?: Record<string, string>;
}

export function jsonReply(status: number, value: unknown, headers?: Record<string, string>): Reply {
	return { status, body: toJson(value), contentType: 'application/json', headers };
}

/** The body, or `undefined` when it exceeds `limit` bytes (the rest is drained). */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer | undefined> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= limit) chunks.push(chunk);
		});
		req.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : undefined));
		req.on('error', reject);
		req.on('close', () => {
			if (!req.complete) reject(new Error('The client closed the connection before sending the whole request'));
		});
	});
}

/** Sends the reply and returns its status. */
export function send(res: ServerResponse, reply: Reply): number {
	const headers: Record<string, string | number> = {
		...reply.headers,
		'Content-Length': Buffer.byteLength(reply.body),
	};
	if (reply.contentType) headers['Content-Type'] = reply.contentType;
	res.writeHead(reply.status, headers);
	res.end(reply.body);
	return reply.status;
}

export function listenLoopback(server: Server | HttpsServer, port: number): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, LOOPBACK, () => {
			server.off('error', reject);
			resolve((server.address() as AddressInfo).port);
		});
	});
}

export function closeServer(server: Server | HttpsServer): Promise<void> {
	return new Promise((resolve) => {
		server.close(() => resolve());
		server.closeAllConnections();
	});
}

/** Runs an async request handler; an unexpected error becomes a 500 (or a dropped connection). */
export function guarded(
	handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): (req: IncomingMessage, res: ServerResponse) => void {
	return (req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (res.headersSent) res.destroy();
			else
				send(
					res,
					jsonReply(500, { error: `Simulator error: ${error instanceof Error ? error.message : String(error)}` }),
				);
		});
	};
}
