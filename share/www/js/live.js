// The live model: GET /status once, then the event stream keeps it
// current. Snapshots replace the measured parts; events refetch the alarm
// members (debounced) and, when the topology changed, the whole status.
// Pages subscribe with live.on(); nobody polls.
import { api, ApiError } from './api.js';
import { session } from './session.js';

const STREAM_URL = '/api/v1/events';
const RETRY_MS = 5000;
const ALARM_DEBOUNCE_MS = 300;
// The members of a snapshot; the API's own members (tree, name, alarms...) stay.
const SNAPSHOT_KEYS = ['seq', 'time', 'comm', 'device', 'baud', 'identity', 'topology', 'levels', 'link'];

const listeners = { status: new Set(), event: new Set(), link: new Set() };
let source = null;
let linkState = 'connecting';
let everOpen = false;
let alarmTimer = 0;
let reconnectTimer = 0;
let stopped = true;

function emit(name, value) {
	for (const fn of listeners[name]) {
		try {
			fn(value);
		} catch (err) {
			console.error(err);   // one broken subscriber must not starve the others
		}
	}
}

function setLink(state) {
	if (state === linkState)
		return;
	linkState = state;
	emit('link', state);
}

function topologyKey(status) {
	const topo = status && status.topology;
	return topo ? `${topo.kind}/${topo.units}/${topo.modules}/${status.levels ? status.levels.length : 0}` : '';
}

async function refetchStatus() {
	try {
		live.status = await api.get('/status');
		emit('status', live.status);
	} catch (err) {
		if (!(err instanceof ApiError) || err.status !== 401)
			console.error(err);
	}
}

async function refetchAlarms() {
	try {
		const reply = await api.get('/alarms');
		if (!live.status)
			return;
		for (const key of ['active_alarms', 'alarm_counts', 'last_alarm'])
			live.status[key] = reply[key];
		emit('status', live.status);
	} catch (err) {
		if (!(err instanceof ApiError) || err.status !== 401)
			console.error(err);
	}
}

function onSnapshot(message) {
	const snapshot = JSON.parse(message.data);
	if (!live.status || topologyKey(snapshot) !== topologyKey(live.status)) {
		refetchStatus();   // a new tree comes only with GET /status
		return;
	}
	for (const key of SNAPSHOT_KEYS) {
		if (key in snapshot)
			live.status[key] = snapshot[key];
	}
	emit('status', live.status);
}

// Any other event may change the alarms: a UPS alarm, or another browser's
// acknowledgement (gw.alarms_acknowledged), which must stop the top bar's
// flashing everywhere.
function onEvent(message) {
	const event = JSON.parse(message.data);
	emit('event', event);
	if (event.code === 'gw.topology_changed' || event.code === 'gw.identity_changed') {
		refetchStatus();
		return;
	}
	clearTimeout(alarmTimer);
	alarmTimer = setTimeout(refetchAlarms, ALARM_DEBOUNCE_MS);
}

function onOpen() {
	const reconnect = everOpen;
	everOpen = true;
	setLink('open');
	if (reconnect)
		refetchStatus();   // what happened while we were away
}

// The stream failed: the gateway is down, the network is, or the session
// ended (then the browser's reconnect gets 401 and gives up for good).
async function onError() {
	if (stopped || !session.current)
		return;
	let sessionAlive = true;
	try {
		const res = await fetch('/api/v1/session', { credentials: 'same-origin' });
		sessionAlive = res.status !== 401;
	} catch {
		sessionAlive = true;   // unreachable: keep trying, the session may well be alive
	}
	if (stopped)
		return;
	if (!sessionAlive) {
		// Not a communication failure: app.js starts the stream again after the login.
		live.stop();
		session.ended();
		return;
	}
	setLink('lost');
	if (source && source.readyState === EventSource.CLOSED)
		scheduleReopen();
}

function scheduleReopen() {
	clearTimeout(reconnectTimer);
	reconnectTimer = setTimeout(() => {
		close();
		open();
	}, RETRY_MS);
}

function open() {
	stopped = false;
	source = new EventSource(STREAM_URL);
	source.addEventListener('snapshot', onSnapshot);
	source.addEventListener('event', onEvent);
	source.addEventListener('open', onOpen);
	source.addEventListener('error', onError);
}

function close() {
	clearTimeout(reconnectTimer);
	if (source) {
		source.close();
		source = null;
	}
}

export const live = {
	status: null,

	on(name, fn) {
		if (!listeners[name])
			throw new Error(`live.on: unknown event ${name}`);
		listeners[name].add(fn);
		return () => listeners[name].delete(fn);
	},

	link() {
		return linkState;
	},

	// The alarm members, now (after this browser acknowledged them, say);
	// 'status' subscribers hear of it. Resolves when they have.
	refreshAlarms() {
		clearTimeout(alarmTimer);
		return refetchAlarms();
	},

	commOk() {
		return linkState === 'open' && Boolean(live.status) && live.status.comm === 'ok';
	},

	// app.js: after login. Resolves once the first status is in.
	async start() {
		await refetchStatus();
		close();
		open();
	},

	// app.js: a new login (another user, or after the session ended).
	restart() {
		close();
		everOpen = false;
		setLink('connecting');
		return live.start();
	},

	stop() {
		stopped = true;
		close();
		setLink('connecting');
	},

	running() {
		return !stopped;
	},
};

export default live;
