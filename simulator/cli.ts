/**
 * Command line: `npm run simulator -- [options]` (ts-node --transpile-only simulator/cli.ts).
 * Prints the URL and the token pairs to configure in n8n, then serves until SIGINT/SIGTERM.
 */
import { relative } from 'node:path';
import { startSimulator, type RecordedRequest, type Simulator, type SimulatorOptions } from './index';
import { formatTime } from './util';

export const DEFAULT_PORT = 4747;

const USAGE = `Darktrace appliance simulator (RESPOND API), loopback only.

Usage: npm run simulator -- [options]
  --port <n>          API port (default ${DEFAULT_PORT}; 0 = any free port)
  --control-port <n>  also start the control server on this port (0 = any free port)
  --https             serve TLS with simulator/certs/cert.pem (URL https://localhost:PORT)
  --audit             audit mode: every POST needs a non-empty reason
  --strict            request linting: refuse (400, logged as lint) what an appliance would accept
                      but a clean client must not send (unknown/repeated parameters, unknown fields,
                      contradictory windows, True instead of true, ...)
  --empty             start with no devices and no actions
  --large <n>         start with n generated actions instead of the realistic seed
  --json              print one JSON line {"url","controlUrl","tokens"} and nothing else on stdout
  --help              this text`;

interface CliOptions {
	sim: SimulatorOptions;
	large?: number;
	json: boolean;
}

function wholeNumber(flag: string, value: string | undefined, max: number): number {
	if (value === undefined || !/^\d+$/.test(value) || Number(value) > max) {
		throw new Error(`${flag} needs a whole number between 0 and ${max}`);
	}
	return Number(value);
}

export function parseArgs(argv: string[]): CliOptions | 'help' {
	const options: CliOptions = { sim: { port: DEFAULT_PORT, controlPort: false, strict: false }, json: false };
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		switch (flag) {
			case '--port':
				options.sim.port = wholeNumber(flag, argv[++i], 65535);
				break;
			case '--control-port':
				options.sim.controlPort = wholeNumber(flag, argv[++i], 65535);
				break;
			case '--https':
				options.sim.https = true;
				break;
			case '--audit':
				options.sim.auditMode = true;
				break;
			case '--strict':
				options.sim.strict = true;
				break;
			case '--empty':
				options.sim.seed = 'empty';
				break;
			case '--large':
				options.large = wholeNumber(flag, argv[++i], 10_000_000);
				break;
			case '--json':
				options.json = true;
				break;
			case '--help':
			case '-h':
				return 'help';
			default:
				throw new Error(`Unknown option ${flag}`);
		}
	}
	return options;
}

function describe(sim: Simulator, https: boolean): string {
	const width = Math.max(...sim.tokens.map((t) => t.role.length + t.username.length + 3));
	const lines = [
		`Darktrace simulator listening on ${sim.url} (${sim.actions().length} actions, ${sim.devices().length} devices)`,
		...(sim.controlUrl ? [`Control server: ${sim.controlUrl}`] : []),
		...(https ? [`Self-signed certificate to trust: ${relative(process.cwd(), `${__dirname}/certs/cert.pem`)}`] : []),
		'Tokens (public token / private token):',
		...sim.tokens.map((t) => `  ${`${t.role} (${t.username})`.padEnd(width)}  ${t.public} / ${t.private}`),
		'Press Ctrl+C to stop.',
	];
	return lines.join('\n');
}

function requestLine(sim: Simulator, r: RecordedRequest): string {
	const user = sim.tokens.find((t) => t.public === r.token)?.username ?? (r.token ? 'unknown token' : 'no token');
	const status = r.status === 0 ? 'RESET' : String(r.status);
	const lint = r.lint !== undefined ? ` [lint: ${r.lint}]` : '';
	return `${formatTime(Date.now())} ${r.method} ${r.target} -> ${status} (${user})${r.isWrite ? ' [write]' : ''}${lint}`;
}

async function main(): Promise<void> {
	let options: CliOptions | 'help';
	try {
		options = parseArgs(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
		process.exit(2);
	}
	if (options === 'help') {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	const { json, large } = options;
	let sim: Simulator | undefined;
	const onRequest = json ? undefined : (r: RecordedRequest) => sim && process.stdout.write(`${requestLine(sim, r)}\n`);
	sim = await startSimulator({ ...options.sim, onRequest });
	if (large !== undefined) sim.generateLargeDataset(large);
	const running = sim;
	const stop = () => {
		running.stop().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	if (json) {
		const tokens = running.tokens.map((t) => ({ role: t.role, public: t.public, private: t.private }));
		process.stdout.write(`${JSON.stringify({ url: running.url, controlUrl: running.controlUrl ?? null, tokens })}\n`);
	} else {
		process.stdout.write(`${describe(running, options.sim.https === true)}\n`);
	}
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(`Simulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	});
}
