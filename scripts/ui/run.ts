/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * `npm run test:ui`: the node, the trigger and the credential as a user sees them, in n8n's editor in a real
 * browser (Debian's chromium, driven by playwright-core, which never downloads a browser of its own).
 *
 * Starts what `npm run demo` starts (the packed package in a real n8n, the simulator, the example
 * credential), plus one workflow holding a node per operation, in the Asia/Tokyo time zone. Then: adds the
 * node from the nodes panel, opens every operation's panel, the trigger's and the credential's, executes a
 * workflow and reads its output table. Asserts on what is shown (labels, order, the entry's description,
 * no label cut off at the default width) and saves a screenshot of each step in ui-artifacts/.
 *
 * CHROMIUM=/path/to/chromium overrides /usr/bin/chromium; UI_N8N_VERSION picks the n8n (default 2.40.7).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, selectors, type Page } from 'playwright-core';

import { description as actionDescription } from '../../nodes/Darktrace/actions/action/Action.resource';
import { startSimulator, type Simulator } from '../../simulator';
import { CREDENTIALS } from '../lib/examples';
import type { WorkflowJson } from '../lib/n8n';
import { buildAndPack, DEFAULT_N8N_VERSION, ensureRuntime, ROOT } from '../lib/runtime';
import { createSession, type Session } from '../lib/session';

const ARTIFACTS = join(ROOT, 'ui-artifacts');
const OWNER = { email: 'ui@example.com', password: 'Darktrace-Ui-1', firstName: 'Ui', lastName: 'Test' };
/** n8n's editor at a common laptop size: the panels' default widths follow from it. */
const VIEWPORT = { width: 1440, height: 900 };
const PACKAGE = 'n8n-nodes-darktrace';
const PANELS_WORKFLOW = 'DtUiPanels000001';
const TRIGGER_WORKFLOW = 'DtUiTrigger00001';
const TIME_ZONE = 'Asia/Tokyo';

interface Check {
	name: string;
	ok: boolean;
	detail?: string;
}
const checks: Check[] = [];

function check(name: string, ok: boolean, detail?: string): void {
	checks.push({ name, ok, detail });
	console.log(`${ok ? '✓' : '✗'} ${name}${ok || !detail ? '' : `\n    ${detail}`}`);
}

function equal(name: string, actual: unknown, expected: unknown): void {
	const a = JSON.stringify(actual);
	const e = JSON.stringify(expected);
	check(name, a === e, `expected ${e}\n    got      ${a}`);
}

/**
 * A node's id, UUID-shaped from its name. The editor's URL holds a node by the shortest unique start of its
 * id and resolves an id by its start, so no id may begin another ("ui-get" opened "ui-get-many"): equal
 * lengths see to that.
 */
const nodeId = (name: string) =>
	createHash('sha256')
		.update(name)
		.digest('hex')
		.slice(0, 32)
		.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

const respond = (name: string, position: [number, number], parameters: Record<string, unknown>) => ({
	id: nodeId(name),
	name,
	type: `${PACKAGE}.darktraceRespond`,
	typeVersion: 1,
	position,
	parameters,
	credentials: { darktraceApi: CREDENTIALS.respond },
});

/** One node per operation; only Get Many is connected, so executing the workflow runs Get Many alone. */
function panelsWorkflow(): WorkflowJson {
	return {
		id: PANELS_WORKFLOW,
		name: 'UI: every operation',
		active: false,
		settings: { executionOrder: 'v1', timezone: TIME_ZONE },
		connections: { Run: { main: [[{ node: 'Get Many', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: nodeId('Run'),
				name: 'Run',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			respond('Get Many', [240, 0], {
				resource: 'action',
				operation: 'getMany',
				limit: 5,
				filters: {
					startTime: '2020-01-01T00:00:00',
					endTime: '2030-01-01T00:00:00',
					minScore: 0.5,
					did: 0,
				},
				options: { concurrency: 1 },
			}),
			respond('Get', [240, 200], { resource: 'action', operation: 'get', codeId: 10170 }),
			respond('Activate', [480, 200], {
				resource: 'action',
				operation: 'activate',
				codeId: 10170,
				options: { duration: 3600, returnAction: true, concurrency: 1, timeout: 60 },
			}),
			respond('Extend: set remaining', [720, 200], {
				resource: 'action',
				operation: 'extend',
				codeId: 10170,
				extendMode: 'setRemaining',
			}),
			respond('Extend: add time', [960, 200], {
				resource: 'action',
				operation: 'extend',
				codeId: 10170,
				extendMode: 'addTime',
			}),
			respond('Clear', [240, 400], { resource: 'action', operation: 'clear', codeId: 10170 }),
			respond('Reactivate', [480, 400], { resource: 'action', operation: 'reactivate', codeId: 10170 }),
			respond('Create Manual Action', [720, 400], {
				resource: 'action',
				operation: 'createManual',
				did: 12,
				inhibitor: 'connection',
				connections: { connection: [{ src: '10.0.0.5', dst: 'example.com', port: 0 }] },
			}),
			respond('Summary', [960, 400], {
				resource: 'summary',
				operation: 'get',
				options: { startTime: '2026-01-01T00:00:00', endTime: '2026-01-02T00:00:00' },
			}),
		],
	} as unknown as WorkflowJson;
}

function triggerWorkflow(): WorkflowJson {
	return {
		id: TRIGGER_WORKFLOW,
		name: 'UI: trigger',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: [
			{
				id: nodeId('Darktrace RESPOND Trigger'),
				name: 'Darktrace RESPOND Trigger',
				type: `${PACKAGE}.darktraceRespondTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					events: ['pendingAction', 'actionCleared'],
					filters: { minScore: 0.5, deviceIds: '12, 345' },
					options: { emitExisting: true, fullDeviceDetails: true, includeHistory: true, timeout: 60 },
				},
				credentials: { darktraceApi: CREDENTIALS.respond },
			},
		],
	} as unknown as WorkflowJson;
}

/** What a panel shows: each label's text in order, which of them are cut off, and the notices. */
interface PanelText {
	labels: string[];
	truncated: string[];
	notices: string[];
	hints: string[];
	/** Labels and notices in page order, notices as "notice: …". */
	sequence: string[];
}

async function readPanel(page: Page, root: string): Promise<PanelText> {
	return await page.evaluate((rootSelector) => {
		const container = document.querySelector(rootSelector);
		if (!container) return { labels: [], truncated: [], notices: [], hints: [], sequence: [] };
		const visible = (e: Element) => (e as HTMLElement).offsetParent !== null;
		const text = (e: Element) => ((e as HTMLElement).innerText ?? '').replace(/\s+/g, ' ').trim();
		const labelOf = (e: Element) => {
			const title = e.querySelector('[class*="title"]') ?? e;
			return text(title)
				.replace(/\s*(Fixed|Expression)\s*/g, '')
				.replace(/\s*\*$/, '')
				.trim();
		};
		const labels: string[] = [];
		const truncated: string[] = [];
		const notices: string[] = [];
		const sequence: string[] = [];
		for (const e of container.querySelectorAll('.n8n-input-label, .n8n-notice, [class*="_notice_"], [role="alert"]')) {
			if (!visible(e)) continue;
			if (!e.classList.contains('n8n-input-label')) {
				if (e.parentElement?.closest('.n8n-notice, [class*="_notice_"], [role="alert"]')) continue;
				notices.push(text(e));
				sequence.push(`notice: ${text(e)}`);
				continue;
			}
			const label = labelOf(e);
			if (label === '') continue;
			labels.push(label);
			sequence.push(label);
			// Cut off: some element of the label clips its text (an ellipsis or hidden overflow).
			for (const part of [e, ...e.querySelectorAll('*')]) {
				const style = getComputedStyle(part);
				const clips = style.textOverflow === 'ellipsis' || style.overflow === 'hidden';
				if (clips && part.scrollWidth > part.clientWidth + 1) {
					truncated.push(label);
					break;
				}
			}
		}
		// Hints sit under their field; the panel's whole text holds them.
		const hints = [text(container)];
		return { labels, truncated, notices, hints, sequence };
	}, root);
}

async function shot(page: Page, name: string): Promise<void> {
	await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/**
 * Opens a node's panel the way a shared link does: through the editor's route /workflow/<id>/<nodeId>,
 * pushed on the editor's own router, so the canvas (and the last run's data) stays loaded. A double-click
 * on the canvas sometimes opened nothing on a loaded machine, right after another panel closed.
 */
async function openNode(page: Page, workflowId: string, node: string): Promise<void> {
	const id = nodeId(node);
	await page.getByTestId('ndv').waitFor({ state: 'hidden' });
	const pushed = await page.evaluate(async (path) => {
		type Router = { push(to: string): Promise<unknown> };
		const app = (document.querySelector('#app') as (Element & { __vue_app__?: unknown }) | null)?.__vue_app__ as
			| { config: { globalProperties: { $router?: Router } } }
			| undefined;
		const router = app?.config.globalProperties.$router;
		if (!router) return false;
		await router.push(path);
		return true;
	}, `/workflow/${workflowId}/${id}`);
	if (!pushed) throw new Error("openNode: n8n's router not found on #app (did the editor's markup change?)");
	await page
		.getByTestId('ndv')
		.waitFor({ state: 'visible', timeout: 60_000 })
		.catch(() => {
			throw new Error(`openNode: the panel of "${node}" (id ${id}) did not open within 60 s`);
		});
	await page.getByTestId('node-parameters').waitFor();
	// The panel shows this node once the title reads its name.
	const title = () =>
		page.evaluate(() => {
			const container = document.querySelector('[data-test-id="node-title-container"]') as HTMLElement | null;
			const input = container?.querySelector('input') as HTMLInputElement | null;
			return input?.value ?? container?.innerText.trim() ?? '';
		});
	const deadline = Date.now() + 30_000;
	while ((await title()) !== node) {
		if (Date.now() > deadline)
			throw new Error(`openNode: asked for "${node}" (id ${id}), the panel shows "${await title()}" after 30 s`);
		await page.waitForTimeout(250);
	}
}

/** Reads the panel until `ready` holds for it (its fields render after the panel opens), or 30 s pass. */
async function readPanelWhen(page: Page, root: string, ready: (panel: PanelText) => boolean): Promise<PanelText> {
	const deadline = Date.now() + 30_000;
	let panel = await readPanel(page, root);
	while (!ready(panel) && Date.now() < deadline) {
		await page.waitForTimeout(250);
		panel = await readPanel(page, root);
	}
	return panel;
}

async function closeNode(page: Page): Promise<void> {
	await page.getByTestId('ndv-close-button').click();
	await page.getByTestId('ndv').waitFor({ state: 'hidden' });
}

const PARAMETERS = '[data-test-id="node-parameters"]';

async function nodesPanel(page: Page, base: string): Promise<void> {
	await page.goto(`${base}/workflow/new`);
	await page.getByTestId('canvas-plus-button').click();
	await page.getByTestId('node-creator-search-bar').fill('Darktrace');
	const entry = page.getByTestId('node-creator-item-name').filter({ hasText: /^Darktrace RESPOND$/ });
	await entry.first().waitFor();
	await shot(page, '01-nodes-panel-search');
	await entry.first().click();
	await page.getByTestId('node-creator-category-item').first().waitFor();
	const header = await page.getByTestId('node-creator').innerText();
	check(
		"nodes panel: the Darktrace entry's description covers the node and the trigger",
		header.includes(
			'Review, approve, extend and clear Darktrace RESPOND actions; start workflows when one awaits confirmation',
		),
		header.slice(0, 400),
	);
	await page.getByTestId('node-creator-category-item').filter({ hasText: 'Actions' }).click();
	// The entry that adds Get Many: its label is the operation's "action" text in the node's description.
	const getManyAction = GET_MANY_ACTION;
	const getManyEntry = page.getByTestId('node-creator').getByText(getManyAction, { exact: true }).first();
	await getManyEntry.waitFor();
	await shot(page, '02-nodes-panel-actions');
	const panel = await page.getByTestId('node-creator').innerText();
	const groups = panel.split('\n').filter((line) => / ACTIONS$/.test(line.trim()));
	equal('nodes panel: the operation groups are titled by resource', groups, ['RESPOND ACTIONS', 'SUMMARY ACTIONS']);
	check('nodes panel: no "ACTION ACTIONS" group', !panel.includes('ACTION ACTIONS'));
	for (const trigger of [
		'On new pending action',
		'On action became active',
		'On action cleared',
		'On action expired',
	]) {
		check(`nodes panel: trigger "${trigger}" listed`, panel.includes(trigger));
	}
	await getManyEntry.click();
	await page.getByTestId('node-parameters').waitFor();
	const added = await readPanelWhen(page, PARAMETERS, (p) => p.labels.includes('Limit'));
	await shot(page, '03-added-from-nodes-panel');
	// The first label is the credential's ("Credential", or "Credential to connect with" before one is chosen).
	equal('added node: opens on Get Many with its parameters', added.labels.slice(1, 5), [
		'Resource',
		'Operation',
		'Return All',
		'Limit',
	]);
	const operation = await page.getByTestId('parameter-input-operation').locator('input').inputValue();
	equal('added node: the operation chosen in the panel is set', operation, 'Get Many');
}

interface PanelExpectation {
	node: string;
	/** Labels that must be shown, in this order (others may sit between them). */
	labels: string[];
	absent?: string[];
	hints?: string[];
}

const OPERATION_PANELS: PanelExpectation[] = [
	{
		node: 'Get Many',
		labels: [
			'Resource',
			'Operation',
			'Return All',
			'Limit',
			'Filters',
			'Device ID',
			'Minimum Score',
			'Time Window From',
			'Time Window To',
			'Simplify',
			'Options',
		],
		hints: [
			"Without an offset (Z, +01:00) it is read in the workflow's time zone (Workflow Settings). A number is epoch milliseconds.",
			'Off: the whole action, every field the appliance sent',
			'each action gets "deviceUrl" and "breachUrl", links into the Threat Visualizer',
		],
	},
	{
		node: 'Get',
		labels: ['Resource', 'Operation', 'Code ID', 'Simplify'],
		hints: ['"breachUrl" is null for manual actions (no model breach)'],
	},
	{
		node: 'Activate',
		labels: [
			'Code ID',
			'Reason',
			'Options',
			'Duration (Seconds)',
			'Return Action After Write',
			'Max Requests in Flight',
			'Timeout (Seconds)',
		],
	},
	{
		node: 'Extend: set remaining',
		labels: ['Code ID', 'Extend By', 'New Remaining Time (Seconds)', 'Reason'],
		absent: ['Time to Add (Seconds)', 'Duration (Seconds)'],
	},
	{
		node: 'Extend: add time',
		labels: ['Code ID', 'Extend By', 'Time to Add (Seconds)', 'Reason'],
		absent: ['New Remaining Time (Seconds)', 'Duration (Seconds)'],
	},
	{ node: 'Clear', labels: ['Code ID', 'Reason'] },
	{ node: 'Reactivate', labels: ['Code ID', 'Duration (Seconds)', 'Reason'] },
	{
		node: 'Create Manual Action',
		labels: ['Device ID', 'Inhibitor', 'Duration (Seconds)', 'Connections', 'Source', 'Destination', 'Port', 'Reason'],
		hints: ['0 = any port'],
	},
	{ node: 'Summary', labels: ['Resource', 'Operation', 'Options', 'Time Window From', 'Time Window To'] },
];

function inOrder(shown: string[], wanted: string[]): boolean {
	let at = 0;
	for (const label of shown) if (label === wanted[at]) at++;
	return at === wanted.length;
}

async function operationPanels(page: Page, base: string): Promise<void> {
	await page.goto(`${base}/workflow/${PANELS_WORKFLOW}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor();
	for (const [index, expected] of OPERATION_PANELS.entries()) {
		await openNode(page, PANELS_WORKFLOW, expected.node);
		const panel = await readPanelWhen(page, PARAMETERS, (p) => inOrder(p.labels, expected.labels));
		await shot(page, `1${index}-panel-${expected.node.replace(/\W+/g, '-').toLowerCase()}`);
		check(
			`${expected.node}: shows ${expected.labels.join(', ')} in this order`,
			inOrder(panel.labels, expected.labels),
			`shown: ${panel.labels.join(' | ')}`,
		);
		for (const label of expected.absent ?? []) check(`${expected.node}: no "${label}"`, !panel.labels.includes(label));
		for (const hint of expected.hints ?? [])
			check(
				`${expected.node}: hint "${hint}"`,
				panel.hints.some((h) => h.includes(hint)),
				`text: ${panel.hints.join(' | ').slice(0, 300)}`,
			);
		equal(`${expected.node}: no label cut off`, panel.truncated, []);
		await closeNode(page);
	}
}

async function triggerPanel(page: Page, base: string): Promise<void> {
	await page.goto(`${base}/workflow/${TRIGGER_WORKFLOW}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor();
	await openNode(page, TRIGGER_WORKFLOW, 'Darktrace RESPOND Trigger');
	const panel = await readPanelWhen(
		page,
		PARAMETERS,
		(p) => p.labels.includes('Emit Already Pending') && p.notices.length > 0,
	);
	await shot(page, '20-panel-trigger');
	const events = panel.sequence.indexOf('Events');
	const notice = panel.sequence.findIndex((entry) => entry.startsWith('notice: '));
	check(
		'trigger: the notice comes after the events are chosen',
		events >= 0 && notice > events,
		panel.sequence.join(' | '),
	);
	equal('trigger: one short notice', panel.notices, [
		'Each event fires once per action, from activation on. Use "eventId" to drop the rare duplicate n8n may deliver.',
	]);
	check(
		'trigger: shows its filters and options',
		inOrder(panel.labels, [
			'Poll Times',
			'Events',
			'Filters',
			'Device IDs',
			'Minimum Score',
			'Simplify',
			'Options',
			'Emit Already Pending',
		]),
		panel.labels.join(' | '),
	);
	equal('trigger: no label cut off', panel.truncated, []);
	await closeNode(page);
}

async function credentialPanel(page: Page, base: string): Promise<void> {
	await page.goto(`${base}/home/credentials/${CREDENTIALS.respond.id}`);
	const modal = page.locator('[data-test-id="editCredential-modal"], .el-dialog').first();
	await modal.waitFor();
	const panel = await readPanelWhen(page, '[data-test-id="editCredential-modal"], .el-dialog', (p) =>
		p.labels.includes('Date Format'),
	);
	await shot(page, '30-panel-credential');
	check(
		'credential: shows its fields in order',
		inOrder(panel.labels, [
			'Instance URL',
			'Public Token',
			'Private Token',
			'Ignore SSL Issues (Insecure)',
			'Date Format',
		]),
		panel.labels.join(' | '),
	);
	equal('credential: no label cut off', panel.truncated, []);
	const html = await modal.innerText();
	check('credential: the private token is not shown', !html.includes(PRIVATE_TOKEN_PLACEHOLDER));
	await page.keyboard.press('Escape');
}

let PRIVATE_TOKEN_PLACEHOLDER = '';

const GET_MANY_ACTION = (() => {
	const operation = actionDescription.find((p) => p.name === 'operation');
	const option = operation?.options?.find((o) => 'value' in o && o.value === 'getMany') as
		| { action?: string }
		| undefined;
	if (!option?.action) throw new Error("Action.resource: no Get Many option with an 'action' text");
	return option.action;
})();

async function execute(page: Page, base: string, sim: Simulator): Promise<void> {
	await page.goto(`${base}/workflow/${PANELS_WORKFLOW}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor();
	sim.clearRequests();
	await page.getByTestId('execute-workflow-button').click();
	const deadline = Date.now() + 60_000;
	while (sim.requests().length === 0 && Date.now() < deadline) await page.waitForTimeout(250);
	// The workflow runs in Asia/Tokyo: its window, written without an offset, is read there.
	equal(
		'execute: Get Many sends the window read in the workflow time zone (Asia/Tokyo)',
		sim.requests().map((r) => r.target),
		[`/antigena?starttime=${Date.parse('2019-12-31T15:00:00Z')}&endtime=${Date.parse('2029-12-31T15:00:00Z')}`],
	);
	// The run has ended once Get Many shows its success mark on the canvas.
	await page
		.locator(`[data-test-id="canvas-node"][data-node-name="Get Many"] [data-test-id="canvas-node-status-success"]`)
		.waitFor();
	await shot(page, '40-executed');
	await openNode(page, PANELS_WORKFLOW, 'Get Many');
	const output = page.getByTestId('output-panel');
	await output.getByTestId('radio-button-table').click();
	await output.locator('table tbody tr').first().waitFor();
	await shot(page, '41-output-table');
	const table = await output
		.locator('table')
		.first()
		.evaluate((t) => ({
			headers: [...t.querySelectorAll('thead th')]
				.map((th) => (th as HTMLElement).innerText.trim())
				.filter((h) => h !== ''),
			rows: t.querySelectorAll('tbody tr').length,
		}));
	check('output table: one row per action (Limit 5)', table.rows === 5, `rows: ${table.rows}`);
	for (const column of ['codeid', 'state', 'did', 'score', 'expires']) {
		check(`output table: column "${column}"`, table.headers.includes(column), `headers: ${table.headers.join(', ')}`);
	}
	await closeNode(page);
}

async function main(): Promise<number> {
	const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
	if (!existsSync(executablePath)) {
		console.error(`No browser at ${executablePath}: apt-get install -y chromium (or set CHROMIUM).`);
		return 1;
	}
	rmSync(ARTIFACTS, { recursive: true, force: true });
	mkdirSync(ARTIFACTS, { recursive: true });
	console.log('▸ Building and packing the package');
	const tarball = await buildAndPack();
	const runtime = await ensureRuntime(process.env.UI_N8N_VERSION ?? DEFAULT_N8N_VERSION, (t) =>
		process.stderr.write(t),
	);
	const sim = await startSimulator({ seed: 'realistic' });
	PRIVATE_TOKEN_PLACEHOLDER = sim.token('respond').private;
	let session: Session | undefined;
	const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
	try {
		console.log(`▸ Starting n8n ${runtime.version} with the package`);
		session = await createSession({ runtime, tarball, sim });
		await session.n8n.importWorkflows([panelsWorkflow(), triggerWorkflow()]);
		await session.n8n.start(300_000); // a loaded machine can take minutes
		await session.n8n.setupOwner(OWNER);
		const base = session.n8n.baseUrl;
		selectors.setTestIdAttribute('data-test-id');
		const context = await browser.newContext({ viewport: VIEWPORT });
		const page = await context.newPage();
		page.setDefaultTimeout(90_000);
		const login = await page.request.post(`${base}/rest/login`, {
			data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
		});
		if (!login.ok()) throw new Error(`login failed: HTTP ${login.status()}`);
		for (const [name, step] of [
			['nodes panel', () => nodesPanel(page, base)],
			['operation panels', () => operationPanels(page, base)],
			['trigger panel', () => triggerPanel(page, base)],
			['credential panel', () => credentialPanel(page, base)],
			['execute', () => execute(page, base, sim)],
		] as const) {
			console.log(`▸ ${name}`);
			try {
				await step();
			} catch (error) {
				await shot(page, `failed-${name.replace(/\W+/g, '-')}`).catch(() => {});
				check(`${name}: ran to the end`, false, (error as Error).message.split('\n')[0]);
			}
		}
	} finally {
		await browser.close();
		if (session) {
			await session.n8n.stop();
			await session.n8n.dispose();
		}
		await sim.stop();
	}
	const failed = checks.filter((c) => !c.ok).length;
	console.log(`\nui: ${checks.length - failed} passed, ${failed} failed (screenshots in ui-artifacts/)`);
	return failed === 0 ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
