import { X509Certificate } from 'node:crypto';
import { startSimulator, type SimulatorToken } from '../../simulator';
import { get, post, raw, signedHeaders, useSimulator } from './client';

describe('programmatic API', () => {
	const sim = useSimulator();

	it('listens on 127.0.0.1 over http', () => {
		expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
	});

	it('has fixed default tokens, one per role, 40 chars of [a-z0-9]', async () => {
		expect(sim.tokens.map((t) => [t.role, t.username])).toEqual([
			['respond', 'soc-respond'],
			['readonly', 'soc-readonly'],
			['none', 'no-perms'],
		]);
		for (const t of sim.tokens) {
			expect(t.public).toMatch(/^[a-z0-9]{40}$/);
			expect(t.private).toMatch(/^[a-z0-9]{40}$/);
		}
		const other = await startSimulator({ seed: 'empty' });
		expect(other.tokens).toEqual(sim.tokens);
		await other.stop();
		expect(sim.token('readonly').username).toBe('soc-readonly');
	});

	it('custom tokens replace the defaults', async () => {
		const tokens: SimulatorToken[] = [
			{ role: 'respond', public: 'p'.repeat(40), private: 's'.repeat(40), username: 'alice' },
		];
		const custom = await startSimulator({ seed: 'empty', tokens });
		try {
			custom.addDevice({ did: 3 });
			const res = await post(custom, '/antigena/manual', { did: 3, action: 'pol', duration: 60, reason: 'r' });
			expect(custom.action(res.json.codeid)?.triggerer).toEqual({ username: 'alice', reason: 'r' });
			expect(() => custom.token('readonly')).toThrow();
		} finally {
			await custom.stop();
		}
	});

	it('realistic seed: a few dozen devices (one client sensor) and ~40 actions in every state, deterministic', async () => {
		const devices = sim.devices();
		const actions = sim.actions();
		expect(devices.length).toBeGreaterThanOrEqual(20);
		expect(devices.filter((d) => d.sensorType === 'client')).toHaveLength(1);
		expect(actions.length).toBeGreaterThanOrEqual(35);
		const now = sim.now();
		expect(actions.some((a) => a.needconfirming && !a.active && !a.cleared && a.expires > now)).toBe(true);
		expect(actions.some((a) => a.active && a.expires > now)).toBe(true);
		expect(actions.some((a) => a.active && a.expires < now)).toBe(true);
		expect(actions.some((a) => a.cleared)).toBe(true);
		expect(actions.some((a) => a.manual)).toBe(true);
		expect(actions.some((a) => a.blocked && a.blockedConnections.length > 0)).toBe(true);
		const again = await startSimulator({ now: sim.now() });
		const strip = (list: typeof actions) =>
			list.map(({ codeid, did, action, score, model, manual, cleared }) => ({
				codeid,
				did,
				action,
				score,
				model,
				manual,
				cleared,
			}));
		expect(strip(again.actions())).toEqual(strip(actions));
		await again.stop();
	});

	it('actions() and devices() are deep copies', () => {
		const [first] = sim.actions();
		first.cleared = true;
		first.history.push({ family: 'x', username: 'x', action: 'cleared', reason: 'x', time: 0 });
		expect(sim.action(first.codeid)?.cleared).toBe(false);
		expect(sim.action(first.codeid)?.history).not.toHaveLength(first.history.length);
		sim.devices()[0].hostname = 'changed';
		expect(sim.devices()[0].hostname).not.toBe('changed');
	});

	it('addDevice assigns a did; createPendingAction / createAction store any state', () => {
		const highest = Math.max(...sim.devices().map((d) => d.did));
		const device = sim.addDevice({ hostname: 'new.example' });
		expect([device.did, device.hostname]).toEqual([highest + 1, 'new.example']);
		const pending = sim.createPendingAction({ did: device.did });
		expect(pending).toMatchObject({
			did: device.did,
			needconfirming: true,
			active: false,
			cleared: false,
			manual: false,
			triggerer: null,
		});
		expect(pending.history.map((h) => h.action)).toEqual(['created (requires confirmation)']);
		const cleared = sim.createAction({ did: device.did, cleared: true, active: false });
		expect(sim.action(cleared.codeid)).toMatchObject({ cleared: true, active: false });
		expect(() => sim.createAction({ did: 987654 })).toThrow();
	});

	it('reset() restores the seed', () => {
		const count = sim.actions().length;
		sim.createAction({ did: 101 });
		sim.reset();
		expect(sim.actions()).toHaveLength(count);
		sim.reset('empty');
		expect([sim.actions(), sim.devices()]).toEqual([[], []]);
	});

	it('records every API request without private tokens or signatures', async () => {
		await get(sim, '/antigena?needconfirming=true&did=101');
		await post(sim, '/antigena', { codeid: 10001, activate: true, reason: 'go' });
		await post(sim, '/antigena', { codeid: 10001, activate: true, reason: 'again' });
		await raw(sim.url, '/antigena/summary');
		const log = sim.requests();
		expect(log.map((r) => [r.method, r.path, r.status, r.authOk, r.isWrite])).toEqual([
			['GET', '/antigena', 200, true, false],
			['POST', '/antigena', 200, true, true],
			['POST', '/antigena', 400, true, false],
			['GET', '/antigena/summary', 400, false, false],
		]);
		expect(log[0]).toMatchObject({
			target: '/antigena?needconfirming=true&did=101',
			query: { needconfirming: 'true', did: '101' },
			token: sim.token('respond').public,
			body: '',
		});
		expect(log[1].body).toBe('{"codeid":10001,"activate":true,"reason":"go"}');
		expect(log[3].token).toBeUndefined();
		expect(Math.abs(log[0].time - Date.now())).toBeLessThan(5000);
		const text = JSON.stringify(log);
		for (const token of sim.tokens) expect(text).not.toContain(token.private);
		expect(text.toLowerCase()).not.toContain('signature');
		sim.clearRequests();
		expect(sim.requests()).toEqual([]);
	});

	it('generateLargeDataset(10000) is fast, deterministic and served in full', async () => {
		// CPU time, not wall time: the machine is shared, and other load must not fail this test
		const started = process.cpuUsage();
		sim.generateLargeDataset(10000, { pendingRatio: 0.2, withConnections: true });
		const used = process.cpuUsage(started);
		expect((used.user + used.system) / 1000).toBeLessThan(2000);
		const actions = sim.actions();
		expect(actions).toHaveLength(10000);
		expect(new Set(actions.map((a) => a.did)).size).toBeGreaterThan(100);
		const pending = actions.filter((a) => a.needconfirming && !a.active).length;
		expect(pending / 10000).toBeGreaterThan(0.15);
		expect(pending / 10000).toBeLessThan(0.25);
		const all = await get(sim, '/antigena?includecleared=true&includeconnections=true');
		expect(all.json.actions).toHaveLength(10000);
		expect(all.json.connections.length).toBeGreaterThan(1000);
		const other = await startSimulator({ seed: 'empty', now: sim.now() });
		other.generateLargeDataset(10000, { pendingRatio: 0.2, withConnections: true });
		expect(other.actions().map((a) => [a.did, a.action, a.score])).toEqual(
			actions.map((a) => [a.did, a.action, a.score]),
		);
		await other.stop();
	});

	it('stop() closes the port', async () => {
		const short = await startSimulator({ seed: 'empty' });
		await short.stop();
		await expect(raw(short.url, '/antigena')).rejects.toThrow();
	});
});

describe('the README example (simulator/README.md, Programmatic use)', () => {
	it('runs as written', async () => {
		const sim = await startSimulator({ seed: 'realistic', controlPort: 0 });
		try {
			const { public: pub, private: priv } = sim.token('respond');
			expect([pub, priv]).toEqual([expect.stringMatching(/^[a-z0-9]{40}$/), expect.stringMatching(/^[a-z0-9]{40}$/)]);
			const { codeid } = sim.createPendingAction({ did: 101, expires: sim.now() + 10 * 60_000 });
			expect(sim.action(codeid)!.expires > sim.now()).toBe(true);
			sim.advance(11 * 60_000);
			expect(sim.action(codeid)!.expires < sim.now()).toBe(true);
			sim.injectFault({ kind: 'status-after-write', status: 502, method: 'POST', path: '/antigena/manual', times: 1 });
			sim.injectFault({ kind: 'latency', delayMs: 5_000, afterWrite: true, method: 'POST', times: 1 });
			sim.injectFault({ kind: 'slow-body', intervalMs: 150, path: '/antigena' });
			expect(sim.requests()).toEqual([]);
		} finally {
			await sim.stop();
		}
	});
});

describe('https', () => {
	const sim = useSimulator({ https: true });

	it('serves TLS on https://localhost with the committed certificate', async () => {
		expect(sim.url).toMatch(/^https:\/\/localhost:\d+$/);
		const res = await get(sim, '/antigena/summary');
		expect(res.status).toBe(200);
	});

	it('the certificate covers localhost and 127.0.0.1 for ~100 years', () => {
		const cert = new X509Certificate(sim.caCert);
		expect(cert.subjectAltName).toContain('DNS:localhost');
		expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
		expect(new Date(cert.validTo).getUTCFullYear()).toBeGreaterThanOrEqual(2120);
		expect(new Date(cert.validFrom).getTime()).toBeLessThan(Date.now());
	});

	it('a client that does not trust the certificate fails', async () => {
		const target = '/antigena/summary';
		const headers = signedHeaders(sim, 'GET', target, '');
		await expect(raw(sim.url, target, { headers })).rejects.toThrow(/self[- ]signed|certificate/i);
	});
});
