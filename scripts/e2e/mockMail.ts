/**
 * A minimal SMTP server on loopback (no TLS, no auth) that keeps every message it receives: enough for
 * n8n's Send Email node to deliver a human-review e-mail the test then reads like the reviewer would.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Mail {
	from: string;
	to: string[];
	/** The raw message (headers and body) as sent. */
	data: string;
}

export interface MockMail {
	host: string;
	port: number;
	messages(): Mail[];
	stop(): Promise<void>;
}

function unQuote(text: string): string {
	return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The message's text parts decoded (base64 or quoted-printable), as a mail client shows them. */
export function decodedBody(mail: Mail): string {
	const parts = mail.data.split(/\r?\n--[^\r\n]+/);
	return parts
		.map((part) => {
			const split = part.search(/\r?\n\r?\n/);
			if (split < 0) return '';
			const headers = part.slice(0, split);
			const body = part.slice(split).trim();
			if (/content-transfer-encoding:\s*base64/i.test(headers)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
			if (/content-transfer-encoding:\s*quoted-printable/i.test(headers)) return unQuote(body);
			return body;
		})
		.join('\n')
		.replace(/&amp;/g, '&')
		.replace(/&quot;/g, '"');
}

/** Starts the server on 127.0.0.1 (a free port); `onMail` sees each message as it arrives. */
export async function startMockMail(onMail?: (mail: Mail) => void): Promise<MockMail> {
	const received: Mail[] = [];
	const sockets = new Set<Socket>();
	const server: Server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		let buffer = '';
		let inData = false;
		let current: Mail = { from: '', to: [], data: '' };
		const reply = (line: string) => socket.write(`${line}\r\n`);
		reply('220 localhost mock SMTP');
		socket.on('data', (chunk: Buffer) => {
			buffer += chunk.toString('latin1');
			for (;;) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end < 0) return;
					current.data = buffer.slice(0, end).replace(/^\.\./gm, '.');
					buffer = buffer.slice(end + 5);
					received.push(current);
					onMail?.(current);
					current = { from: '', to: [], data: '' };
					inData = false;
					reply('250 OK: queued');
					continue;
				}
				const eol = buffer.indexOf('\r\n');
				if (eol < 0) return;
				const line = buffer.slice(0, eol);
				buffer = buffer.slice(eol + 2);
				const verb = line.slice(0, 4).toUpperCase();
				if (verb === 'EHLO' || verb === 'HELO') reply('250 localhost');
				else if (verb === 'MAIL') {
					current.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
					reply('250 OK');
				} else if (verb === 'RCPT') {
					current.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
					reply('250 OK');
				} else if (verb === 'DATA') {
					inData = true;
					reply('354 End data with <CR><LF>.<CR><LF>');
				} else if (verb === 'QUIT') {
					reply('221 Bye');
					socket.end();
				} else if (verb === 'RSET' || verb === 'NOOP') reply('250 OK');
				else reply('502 Command not implemented');
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		host: '127.0.0.1',
		port,
		messages: () => received.slice(),
		stop: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}
