/**
 * A deterministic OpenAI-compatible chat model on loopback, for the AI Agent example: n8n's OpenAI Chat
 * Model (credential Base URL pointed here, "Use Responses API" off) calls `POST /v1/chat/completions`
 * with the tools the agent offers; a script decides each answer from what the model was sent. Every
 * request is recorded so tests can assert what n8n told the model (tool names, descriptions, schemas,
 * tool results). Streaming requests get the same answer as server-sent events.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatTool {
	type: 'function';
	function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export interface ChatMessage {
	role: string;
	content?: unknown;
	tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
}

export interface ChatRequest {
	model?: string;
	messages: ChatMessage[];
	tools?: ChatTool[];
	stream?: boolean;
	[key: string]: unknown;
}

/** What the scripted model answers: tool calls, or a final text. */
export type Reply = { toolCalls: Array<{ name: string; args: Record<string, unknown> }> } | { content: string };

export type Script = (request: ChatRequest) => Reply;

export interface MockModel {
	/** Base URL for the OpenAI credential, ending in /v1. */
	url: string;
	/** Every chat completion request, in order. */
	requests(): ChatRequest[];
	stop(): Promise<void>;
}

/** The text of a message's content (string, or OpenAI content parts). */
export function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => (part as { text?: string }).text ?? '').join('');
	return content === undefined || content === null ? '' : JSON.stringify(content);
}

/** The tool whose name, reduced to letters, contains `words` (e.g. "List_pending_actions" ~ "listpending"). */
export function findTool(request: ChatRequest, words: string): ChatTool {
	const wanted = words.toLowerCase().replace(/[^a-z]/g, '');
	const tool = (request.tools ?? []).find((t) => t.function.name.toLowerCase().replace(/[^a-z]/g, '').includes(wanted));
	if (!tool) {
		const offered = (request.tools ?? []).map((t) => t.function.name).join(', ') || 'none';
		throw new Error(`The model was offered no tool named like "${words}" (offered: ${offered})`);
	}
	return tool;
}

/** The answers to the tool calls so far, in order: `{ name, content }`. */
export function toolResults(request: ChatRequest): Array<{ name: string; content: string }> {
	const names = new Map<string, string>();
	const results: Array<{ name: string; content: string }> = [];
	for (const message of request.messages) {
		for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name);
		if (message.role === 'tool') results.push({ name: names.get(message.tool_call_id ?? '') ?? '?', content: textOf(message.content) });
	}
	return results;
}

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

let callCounter = 0;

function completion(request: ChatRequest, reply: Reply) {
	const message =
		'content' in reply
			? { role: 'assistant', content: reply.content }
			: {
					role: 'assistant',
					content: null,
					tool_calls: reply.toolCalls.map((call) => ({
						id: `call_${++callCounter}`,
						type: 'function',
						function: { name: call.name, arguments: JSON.stringify(call.args) },
					})),
				};
	return {
		id: `chatcmpl-mock-${callCounter}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: request.model ?? 'mock',
		choices: [{ index: 0, message, logprobs: null, finish_reason: 'content' in reply ? 'stop' : 'tool_calls' }],
		usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
	};
}

/** The same answer as OpenAI's stream: one chunk with the whole message, one with the finish reason. */
function streamed(body: ReturnType<typeof completion>): string {
	const { message, finish_reason } = body.choices[0];
	const delta: Record<string, unknown> = { role: 'assistant', content: message.content };
	if ('tool_calls' in message && message.tool_calls) {
		delta.tool_calls = message.tool_calls.map((call, index) => ({ index, ...call }));
	}
	const chunk = (choice: Record<string, unknown>) =>
		`data: ${JSON.stringify({ id: body.id, object: 'chat.completion.chunk', created: body.created, model: body.model, choices: [choice] })}\n\n`;
	return chunk({ index: 0, delta, finish_reason: null }) + chunk({ index: 0, delta: {}, finish_reason }) + 'data: [DONE]\n\n';
}

/** Starts the scripted model on 127.0.0.1 (a free port). A script that throws answers HTTP 500 with its message. */
export async function startMockModel(script: Script): Promise<MockModel> {
	const recorded: ChatRequest[] = [];
	const server: Server = createServer((req, res) => {
		void (async () => {
			const path = (req.url ?? '').split('?')[0];
			if (req.method === 'GET' && path.endsWith('/models')) {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', owned_by: 'mock' }] }));
				return;
			}
			if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
				res.writeHead(404, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { message: `The mock model serves only /v1/chat/completions, not ${req.method} ${path}` } }));
				return;
			}
			let request: ChatRequest;
			try {
				request = JSON.parse(await readBody(req)) as ChatRequest;
			} catch {
				res.writeHead(400, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { message: 'The body is not JSON' } }));
				return;
			}
			recorded.push(request);
			let body: ReturnType<typeof completion>;
			try {
				body = completion(request, script(request));
			} catch (error) {
				res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { message: `mock model script: ${(error as Error).message}`, type: 'server_error' } }));
				return;
			}
			if (request.stream) {
				res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
				res.end(streamed(body));
			} else {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			}
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests: () => recorded.slice(),
		stop: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** Every object with a numeric `codeid` and `score` anywhere in a tool's answer (JSON text). */
export function actionsIn(text: string): Array<{ codeid: number; score: number; hostname?: string; label?: string }> {
	const found: Array<{ codeid: number; score: number; hostname?: string; label?: string }> = [];
	const walk = (value: unknown): void => {
		if (Array.isArray(value)) value.forEach(walk);
		else if (value && typeof value === 'object') {
			const o = value as Record<string, unknown>;
			if (typeof o.codeid === 'number' && typeof o.score === 'number') {
				const device = o.device as Record<string, unknown> | undefined;
				found.push({ codeid: o.codeid, score: o.score, hostname: device?.hostname as string | undefined, label: o.label as string | undefined });
			} else Object.values(o).forEach(walk);
		} else if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
			try {
				walk(JSON.parse(value));
			} catch {
				// not JSON
			}
		}
	};
	walk(text);
	return found;
}

/**
 * A tool call's arguments as the tool's schema wants them: behind n8n's human review a tool takes
 * `{toolParameters: <its own arguments>, hitlParameters: {...}}`.
 */
export function argsFor(tool: ChatTool, args: Record<string, unknown>): Record<string, unknown> {
	return isReviewed(tool) ? { toolParameters: args, hitlParameters: {} } : args;
}

/** The code ID the scripted model first sends by mistake (the node must refuse it before any request). */
export const INVALID_CODE_ID = -1;

/** The reason the scripted model gives for an action. */
export function agentReason(action: { score: number; hostname?: string; label?: string }): string {
	return `Highest-scoring pending action (score ${action.score}): ${action.label ?? 'action'} on ${action.hostname ?? 'the device'}`;
}

/** Whether a tool is behind n8n's human review (its schema nests the tool's own arguments). */
export function isReviewed(tool: ChatTool): boolean {
	const properties = (tool.function.parameters as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
	return 'toolParameters' in properties;
}

/**
 * The scripted agent of the AI agent examples: list the pending actions (tool named like "list pending"),
 * try to activate the riskiest with an invalid code ID (when `withMistake`, and the activate tool is not
 * behind a human review: no reviewer should be asked about it), read the error, activate it with the
 * right `codeid` and a reason (tool named like "activate"), then answer; or say the reviewer declined.
 */
export function approveRiskiestScript(mistake = true): Script {
	return (request) => {
		const results = toolResults(request);
		const list = findTool(request, 'list pending');
		const activate = findTool(request, 'activate');
		const withMistake = mistake && !isReviewed(activate);
		if (results.length === 0) return { toolCalls: [{ name: list.function.name, args: argsFor(list, { minScore: 0 }) }] };
		const pending = actionsIn(results[0].content);
		if (pending.length === 0) return { content: 'No action is awaiting approval.' };
		const riskiest = pending.reduce((best, a) => (a.score > best.score ? a : best));
		const last = results[results.length - 1].content;
		if (results.length > 1 && /rejected/i.test(last)) return { content: `The reviewer declined activating action ${riskiest.codeid}.` };
		const attempts = results.length - 1;
		if (attempts === 0 && withMistake) {
			return { toolCalls: [{ name: activate.function.name, args: argsFor(activate, { codeid: INVALID_CODE_ID, reason: agentReason(riskiest) }) }] };
		}
		if (attempts < (withMistake ? 2 : 1)) {
			return { toolCalls: [{ name: activate.function.name, args: argsFor(activate, { codeid: riskiest.codeid, reason: agentReason(riskiest) }) }] };
		}
		return { content: `Activated action ${riskiest.codeid}.` };
	};
}
