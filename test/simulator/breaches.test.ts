import { INPUT_ERROR, get, useSimulator } from './client';

const sim = useSimulator();

/** A seeded breach served in the given shape and form (the seed has every combination). */
function seeded(shape: 'then-now' | 'flat', asList: boolean) {
	const found = sim.breaches().find((b) => b.modelShape === shape && b.asList === asList);
	if (!found) throw new Error(`no seeded ${shape} breach with asList=${asList}`);
	return found;
}

describe('GET /modelbreaches?pbid=', () => {
	it('the seed has one breach per pbid of its automatic actions, and none for manual actions', () => {
		const pbids = [...new Set(sim.actions().map((a) => a.pbid))].filter((p) => p > 0).sort((a, b) => a - b);
		expect(sim.breaches().map((b) => b.pbid)).toEqual(pbids);
		expect(pbids).toHaveLength(sim.actions().filter((a) => !a.manual).length);
	});

	it('an object with the model then and now, the device and the breach fields', async () => {
		const breach = seeded('then-now', false);
		const action = sim.actions().find((a) => a.pbid === breach.pbid)!;
		const device = sim.devices().find((d) => d.did === action.did)!;
		const res = await get(sim, `/modelbreaches?pbid=${breach.pbid}`);
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({
			pbid: breach.pbid,
			time: breach.time,
			creationTime: breach.creationTime,
			score: action.score,
			commentCount: breach.commentCount,
			device: {
				did: device.did,
				ip: device.ip,
				hostname: device.hostname,
				macaddress: device.macaddress,
				vendor: device.vendor,
				typename: device.typename,
				devicelabel: device.hostname.split('.')[0],
			},
			model: {
				then: { name: action.model, uuid: action.modeluuid, pid: breach.then.pid, category: breach.then.category },
				now: { name: action.model, uuid: action.modeluuid, pid: breach.then.pid },
			},
		});
		expect(res.json.time).toBeLessThan(action.start);
		expect(res.json.triggeredComponents).toHaveLength(1);
		expect(Object.keys(res.json.model.then).sort()).toEqual(
			['category', 'description', 'name', 'phid', 'pid', 'priority', 'tags', 'uuid', 'version'].sort(),
		);
		expect(res.json.model.then.description).toContain('\\n');
		expect(['Informational', 'Suspicious', 'Critical', 'Compliance']).toContain(res.json.model.then.category);
	});

	it('the older flat model shape: name, uuid and pid directly under model', async () => {
		const breach = seeded('flat', false);
		const res = await get(sim, `/modelbreaches?pbid=${breach.pbid}`);
		expect(res.json.model).toMatchObject({ name: breach.then.name, uuid: breach.then.uuid, pid: breach.then.pid });
		expect(res.json.model.then).toBeUndefined();
		expect(res.json.model.now).toBeUndefined();
	});

	it('some breaches come as a one-element list', async () => {
		const breach = seeded('then-now', true);
		const res = await get(sim, `/modelbreaches?pbid=${breach.pbid}`);
		expect(Array.isArray(res.json)).toBe(true);
		expect(res.json).toHaveLength(1);
		expect(res.json[0]).toMatchObject({ pbid: breach.pbid, model: { then: { name: breach.then.name } } });
	});

	it('setBreachStyle forces one form and one shape for every breach', async () => {
		const asObject = seeded('then-now', false);
		const asList = seeded('flat', true);
		sim.setBreachStyle({ form: 'list', modelShape: 'flat' });
		const one = await get(sim, `/modelbreaches?pbid=${asObject.pbid}`);
		expect([one.json.length, one.json[0].model.name, one.json[0].model.then]).toEqual([1, asObject.then.name, undefined]);
		sim.setBreachStyle({ form: 'object', modelShape: 'then-now' });
		const two = await get(sim, `/modelbreaches?pbid=${asList.pbid}`);
		expect([Array.isArray(two.json), two.json.model.then.name]).toEqual([false, asList.then.name]);
		sim.setBreachStyle({ form: 'mixed', modelShape: 'mixed' });
		expect(() => sim.setBreachStyle({ form: 'tuple' as never })).toThrow(/Invalid breach style/);
	});

	it('an unknown pbid is an empty list, or a 400 INPUT ERROR when set so', async () => {
		const res = await get(sim, '/modelbreaches?pbid=999999');
		expect([res.status, res.json]).toEqual([200, []]);
		sim.setBreachStyle({ unknownPbid: 'error' });
		const strictly = await get(sim, '/modelbreaches?pbid=999999');
		expect([strictly.status, strictly.json]).toEqual([400, INPUT_ERROR]);
		sim.setBreachStyle({ unknownPbid: 'empty-list' });
	});

	it('minimal=true trims the breach to ids, times, score, device did and model names', async () => {
		const breach = seeded('then-now', false);
		const res = await get(sim, `/modelbreaches?pbid=${breach.pbid}&minimal=true`);
		expect(res.json).toEqual({
			pbid: breach.pbid,
			time: breach.time,
			creationTime: breach.creationTime,
			commentCount: breach.commentCount,
			score: breach.score,
			device: { did: breach.did },
			model: {
				then: { name: breach.then.name, pid: breach.then.pid, uuid: breach.then.uuid },
				now: { name: breach.now.name, pid: breach.now.pid, uuid: breach.now.uuid },
			},
		});
	});

	it('includebreachurl=true adds the breach link', async () => {
		const breach = seeded('then-now', false);
		const res = await get(sim, `/modelbreaches?pbid=${breach.pbid}&includebreachurl=true`);
		expect(res.json.breachUrl).toBe(`${sim.url}/#modelbreach/${breach.pbid}`);
	});

	it('needs a signed request and the Visualizer permission, as /antigena does', async () => {
		const { pbid } = seeded('then-now', false);
		expect((await get(sim, `/modelbreaches?pbid=${pbid}`, { role: 'readonly' })).status).toBe(200);
		const denied = await get(sim, `/modelbreaches?pbid=${pbid}`, { role: 'none' });
		expect([denied.status, denied.json.response]).toEqual([403, 'PERMISSION ERROR']);
		const unsigned = await get(sim, `/modelbreaches?pbid=${pbid}`, { signature: '0'.repeat(40) });
		expect([unsigned.status, unsigned.json]).toEqual([400, { response: 'API SIGNATURE ERROR' }]);
	});

	it('createPendingAction with a pbid creates the matching breach on the action device', async () => {
		sim.addDevice({ did: 900, hostname: 'lab-900.corp.example' });
		const action = sim.createPendingAction({ did: 900, pbid: 777_001 });
		expect(sim.breach(777_001)).toMatchObject({ pbid: 777_001, did: 900, then: { name: action.model } });
		sim.setBreachStyle({ form: 'object' });
		const res = await get(sim, '/modelbreaches?pbid=777001');
		expect(res.json).toMatchObject({ pbid: 777_001, device: { did: 900, hostname: 'lab-900.corp.example' } });
		sim.setBreachStyle({ form: 'mixed' });
		const auto = sim.createPendingAction({ did: 900 });
		expect(sim.breach(auto.pbid)?.did).toBe(900);
		const count = sim.breaches().length;
		sim.createAction({ did: 900, manual: true });
		expect(sim.breaches()).toHaveLength(count);
	});

	it('without pbid: every breach as objects, filtered by did', async () => {
		const all = await get(sim, '/modelbreaches');
		expect(all.json).toHaveLength(sim.breaches().length);
		const did = sim.breaches()[0].did;
		const mine = await get(sim, `/modelbreaches?did=${did}`);
		expect(mine.json.map((b: { pbid: number }) => b.pbid).sort()).toEqual(
			sim
				.breaches()
				.filter((b) => b.did === did)
				.map((b) => b.pbid)
				.sort(),
		);
	});
});
