/**
 * A throw-away Redis for queue mode: Debian's `redis-server` on a free loopback port, nothing saved
 * to disk, stopped with the scripts (and killed, group and all, when they exit). A tiny RESP client
 * reads it back: readiness, and every key with its value for the secrets check.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { killGroup, sleep, startProcess, waitForExit } from './proc';

export type RespValue = string | number | null | RespValue[];

/** One command on a fresh connection (RESP2); an error reply rejects. */
export async function redisCommand(port: number, args: string[], timeoutMs = 5000): Promise<RespValue> {
	return await new Promise<RespValue>((resolve, reject) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		let buffer = Buffer.alloc(0);
		const timer = setTimeout(() => {
			socket.destroy();
			reject(new Error(`redis ${args[0]}: no answer within ${timeoutMs} ms`));
		}, timeoutMs);
		const done = (error: Error | undefined, value?: RespValue) => {
			clearTimeout(timer);
			socket.destroy();
			if (error) reject(error);
			else resolve(value ?? null);
		};
		socket.on('error', (error) => done(error));
		socket.on('connect', () => {
			const parts = args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
			socket.write(`*${args.length}\r\n${parts.join('')}`);
		});
		socket.on('data', (chunk) => {
			buffer = Buffer.concat([buffer, chunk]);
			try {
				const parsed = parseResp(buffer, 0);
				if (parsed) done(undefined, parsed.value);
			} catch (error) {
				done(error as Error);
			}
		});
	});
}

/** Parses one RESP2 value at `at`; undefined while incomplete. */
function parseResp(buffer: Buffer, at: number): { value: RespValue; end: number } | undefined {
	const lineEnd = buffer.indexOf('\r\n', at);
	if (lineEnd < 0) return undefined;
	const type = String.fromCharCode(buffer[at]);
	const line = buffer.toString('utf8', at + 1, lineEnd);
	switch (type) {
		case '+':
			return { value: line, end: lineEnd + 2 };
		case '-':
			throw new Error(`redis: ${line}`);
		case ':':
			return { value: Number(line), end: lineEnd + 2 };
		case '$': {
			const length = Number(line);
			if (length < 0) return { value: null, end: lineEnd + 2 };
			const end = lineEnd + 2 + length;
			if (buffer.length < end + 2) return undefined;
			return { value: buffer.toString('utf8', lineEnd + 2, end), end: end + 2 };
		}
		case '*': {
			const count = Number(line);
			if (count < 0) return { value: null, end: lineEnd + 2 };
			const values: RespValue[] = [];
			let end = lineEnd + 2;
			for (let i = 0; i < count; i++) {
				const next = parseResp(buffer, end);
				if (!next) return undefined;
				values.push(next.value);
				end = next.end;
			}
			return { value: values, end };
		}
		default:
			throw new Error(`redis: unexpected reply ${JSON.stringify(buffer.toString('utf8', at, Math.min(buffer.length, at + 40)))}`);
	}
}

const VALUE_COMMAND: Record<string, string[]> = {
	string: ['GET'],
	hash: ['HGETALL'],
	list: ['LRANGE', '0', '-1'],
	set: ['SMEMBERS'],
	zset: ['ZRANGE', '0', '-1', 'WITHSCORES'],
	stream: ['XRANGE', '-', '+'],
};

export interface RedisEntry {
	key: string;
	type: string;
	value: RespValue;
}

export class Redis {
	private constructor(
		readonly port: number,
		private readonly child: ChildProcess,
		private readonly dir: string,
	) {}

	/** `redis-server` (from PATH, or REDIS_SERVER) on a free loopback port, ready to answer PING. */
	static async start(log: (text: string) => void = () => {}): Promise<Redis> {
		const port = await freePort();
		const dir = mkdtempSync(join(tmpdir(), 'n8n-darktrace-redis-'));
		process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
		const binary = process.env.REDIS_SERVER ?? 'redis-server';
		// prettier-ignore
		const args = ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'];
		let output = '';
		const child = startProcess(binary, args, {
			cwd: dir,
			onOutput: (text) => {
				output += text;
				log(text);
			},
		});
		let spawnError: Error | undefined;
		child.on('error', (error) => (spawnError = error));
		const redis = new Redis(port, child, dir);
		const deadline = Date.now() + 20_000;
		while (Date.now() < deadline) {
			if (spawnError) {
				throw new Error(`Cannot start ${binary} (${spawnError.message}): install it, e.g. "apt-get install -y redis-server"`);
			}
			if (child.exitCode !== null) throw new Error(`redis-server exited ${child.exitCode}:\n${output.slice(-2000)}`);
			try {
				if ((await redisCommand(port, ['PING'], 1000)) === 'PONG') return redis;
			} catch {
				// not listening yet
			}
			await sleep(100);
		}
		await redis.stop();
		throw new Error(`redis-server did not answer PING within 20 s:\n${output.slice(-2000)}`);
	}

	get host(): string {
		return '127.0.0.1';
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	async command(args: string[]): Promise<RespValue> {
		return await redisCommand(this.port, args);
	}

	/** Every key with its type and whole value (SCAN, then the read command for its type). */
	async entries(): Promise<RedisEntry[]> {
		const keys: string[] = [];
		let cursor = '0';
		do {
			const [next, batch] = (await this.command(['SCAN', cursor, 'COUNT', '1000'])) as [string, string[]];
			keys.push(...batch);
			cursor = next;
		} while (cursor !== '0');
		const entries: RedisEntry[] = [];
		for (const key of [...new Set(keys)].sort()) {
			const type = String(await this.command(['TYPE', key]));
			const read = VALUE_COMMAND[type];
			entries.push({ key, type, value: read ? await this.command([read[0], key, ...read.slice(1)]) : null });
		}
		return entries;
	}

	/** SIGTERM (nothing to save), SIGKILL if it lingers; removes its folder. */
	async stop(): Promise<void> {
		killGroup(this.child, 'SIGTERM');
		if (!(await waitForExit(this.child, 5000))) killGroup(this.child, 'SIGKILL');
		await waitForExit(this.child, 5000);
		rmSync(this.dir, { recursive: true, force: true });
	}
}
