// A BACnet/IP client for tests/integration/bacnet.py, built on the
// independent npm implementation node-bacnet. It reads one JSON command
// per line on stdin and answers one JSON line on stdout:
//   {"op":"whois","target":"127.0.0.1:P","low":N,"high":N,"wait":MS}
//   {"op":"read","target":T,"type":N,"instance":N,"property":N,"index":N?}
//   {"op":"rpm","target":T,"objects":[{"type":N,"instance":N,"props":[[ID,INDEX?],...]}]}
//   {"op":"write","target":T,"type":N,"instance":N,"property":N,"real":F}
//   {"op":"subscribe","target":T,"type":N,"instance":N,"pid":N,"confirmed":B,"lifetime":N,"cancel":B?}
//   {"op":"notifications"}  -> every COV notification received since the last call
// Usage: node bacnet-client.js NODE_MODULES_DIR LOCAL_PORT
'use strict';

const path = require('path');
const readline = require('readline');

const Bacnet = require(path.join(process.argv[2], 'node-bacnet'));
const client = new Bacnet({ port: Number(process.argv[3]), apduTimeout: 3000 });
const notifications = [];
let iAms = [];

function reply(obj) {
	process.stdout.write(JSON.stringify(obj) + '\n');
}

function errorText(err) {
	return { error: err.message, cls: err.bacnetErrorClass, code: err.bacnetErrorCode,
		 abort: err.bacnetAbortReason };
}

function plainValues(values) {
	return (values || []).map((v) => ({ type: v.type, value: v.value }));
}

client.on('iAm', (msg) => {
	const p = msg.payload || {};
	iAms.push({ deviceId: p.deviceId, maxApdu: p.maxApdu, segmentation: p.segmentation,
		    vendorId: p.vendorId, sender: msg.header.sender.address });
});

function onCov(msg, confirmed) {
	const p = msg.payload || {};
	notifications.push({
		confirmed,
		pid: p.subscriberProcessId,
		device: p.initiatingDeviceId,
		object: p.monitoredObjectId,
		timeRemaining: p.timeRemaining,
		values: (p.values || []).map((v) => ({ property: v.property.id, value: plainValues(v.value) })),
	});
	if (confirmed)
		client.simpleAckResponse(msg.header.sender, msg.service, msg.invokeId);
}
client.on('covNotifyUnconfirmed', (msg) => onCov(msg, false));
client.on('covNotify', (msg) => onCov(msg, true));
client.on('error', (err) => reply({ fatal: err.message }));

const ops = {
	whois(c) {
		iAms = [];
		const opts = c.low !== undefined ? { lowLimit: c.low, highLimit: c.high } : undefined;
		client.whoIs(c.target, opts);
		setTimeout(() => reply({ iams: iAms }), c.wait || 1000);
	},
	read(c) {
		const opts = c.index !== undefined ? { arrayIndex: c.index } : {};
		client.readProperty(c.target, { type: c.type, instance: c.instance }, c.property, opts,
			(err, v) => reply(err ? errorText(err) : { values: plainValues(v.values) }));
	},
	rpm(c) {
		const req = c.objects.map((o) => ({
			objectId: { type: o.type, instance: o.instance },
			properties: o.props.map(([id, index]) => ({ id, index: index === undefined ? 0xffffffff : index })),
		}));
		client.readPropertyMultiple(c.target, req, {}, (err, v) => {
			if (err)
				return reply(errorText(err));
			reply({ objects: v.values.map((o) => ({
				objectId: o.objectId,
				props: o.values.map((p) => ({ id: p.id, index: p.index, values: plainValues(p.value) })),
			})) });
		});
	},
	write(c) {
		client.writeProperty(c.target, { type: c.type, instance: c.instance }, c.property,
			[{ type: 4, value: c.real }], {}, (err) => reply(err ? errorText(err) : { ok: true }));
	},
	subscribe(c) {
		client.subscribeCov(c.target, { type: c.type, instance: c.instance }, c.pid, !!c.cancel,
			!!c.confirmed, c.lifetime || 0, {}, (err) => reply(err ? errorText(err) : { ok: true }));
	},
	notifications() {
		reply({ notifications: notifications.splice(0) });
	},
};

readline.createInterface({ input: process.stdin }).on('line', (line) => {
	let c;
	try {
		c = JSON.parse(line);
	} catch (e) {
		return reply({ fatal: 'bad command: ' + e.message });
	}
	if (!ops[c.op])
		return reply({ fatal: 'unknown op ' + c.op });
	ops[c.op](c);
}).on('close', () => {
	client.close();
	process.exit(0);
});
client.on('listening', () => reply({ ready: true }));
