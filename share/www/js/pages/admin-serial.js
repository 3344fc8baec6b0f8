// #/admin/serial: the serial communication debug page (manual, appendix
// "Troubleshooting"): the link counters, live, and the frame trace (admin).
// The trace is read when the user asks (Refresh), never on a timer.
import { h, clear, table, field } from '../dom.js';
import { t, fmtNum, fmtDate } from '../i18n.js';
import { api, apiUrl } from '../api.js';
import { live } from '../live.js';
import { card, notice, errorText, statusLine, setStatus } from '../form.js';

const SHOWN_FRAMES = 500;
const COUNTERS = [
	['transactions', 'admin.serial.transactions'],
	['bytes_tx', 'admin.serial.bytes_tx'],
	['bytes_rx', 'admin.serial.bytes_rx'],
	['crc_errors', 'admin.serial.crc_errors'],
	['timeouts', 'admin.serial.timeouts'],
	['exceptions', 'admin.serial.exceptions'],
	['other_errors', 'admin.serial.other_errors'],
	['reopens', 'admin.serial.reopens'],
];
const BAD = new Set(['crc_errors', 'timeouts', 'other_errors', 'reopens']);

function counter(label, value, bad, wide) {
	return h('div', { class: ['stat', bad ? 'stat-bad' : null, wide ? 'stat-wide' : null] }, h('dt', label), h('dd', value));
}

function drawCounters(box, status) {
	const link = (status && status.link) || {};
	const comm = status ? status.comm : null;
	const items = [
		counter(t('admin.serial.comm'), comm === 'ok' ? t('admin.serial.comm_ok') : t('admin.serial.comm_lost', { state: comm || '—' }), comm !== 'ok'),
		counter(t('admin.serial.device'), status && status.device ? status.device : '—', false, true),
		counter(t('admin.serial.baud'), status && status.baud ? fmtNum(status.baud, 0) : '—'),
		...COUNTERS.map(([key, label]) => counter(t(label), fmtNum(link[key], 0), BAD.has(key) && link[key] > 0)),
		counter(t('admin.serial.cycle'), link.cycle_ms === undefined ? '—' : t('admin.time.ms', { ms: fmtNum(link.cycle_ms, 0) })),
	];
	clear(box).append(h('dl', { class: ['stats', comm !== 'ok' ? 'stats-stale' : null] }, items));
}

function directionText(direction) {
	if (direction === 'tx')
		return t('admin.serial.tx');
	if (direction === 'rx')
		return t('admin.serial.rx');
	return direction;
}

function traceTable(reply) {
	const frames = reply.frames.slice(-SHOWN_FRAMES).reverse();
	return [
		reply.count > frames.length ? notice(t('admin.serial.shown', { n: frames.length, count: reply.count })) : null,
		table({
			caption: t('admin.serial.trace_caption', { n: reply.count }),
			empty: t('admin.serial.trace_empty'),
			rows: frames,
			columns: [
				{ key: 'time', label: t('admin.serial.time'), render: f => fmtDate(f.time, { ms: true }) },
				{ key: 'direction', label: t('admin.serial.direction'), render: f => h('span', { class: `dir dir-${f.direction}` }, directionText(f.direction)) },
				{ key: 'length', label: t('admin.serial.length'), align: 'right' },
				{ key: 'bytes', label: t('admin.serial.bytes'), render: f => h('code', { class: 'frame-bytes' }, f.bytes) },
				{ key: 'note', label: t('admin.serial.note') },
			],
		}),
	];
}

// The recording's state in words (GET /trace): whether it runs, and what it holds.
function drawTraceState(box, reply) {
	const running = reply.enabled;
	clear(box).append(
		h('span', { class: ['state', running ? 'state-ok' : 'state-off'], id: 'trace-state', dataset: { state: running ? 'on' : 'off' } },
			running ? t('admin.serial.recording_on') : t('admin.serial.recording_off')),
		h('span', { class: 'muted' }, running
			? t('admin.serial.recording_size', { n: fmtNum(reply.count, 0), size: fmtNum(reply.size, 0) })
			: t('admin.serial.recording_kept', { n: fmtNum(reply.count, 0) })));
}

// Start (with the number of frames to keep) and Stop; onChange re-reads the trace.
function traceControls(onChange) {
	const frames = h('input', { type: 'number', name: 'trace-frames', min: 1, max: 10000, step: 1, value: '1000', inputmode: 'numeric' });
	const frameField = field({ label: t('admin.serial.frames'), input: frames, help: t('admin.serial.frames_help') });
	const statusEl = statusLine();
	const post = async enabled => {
		const n = Number(frames.value);
		if (enabled && !(Number.isInteger(n) && n >= 1 && n <= 10000)) {
			setStatus(statusEl, 'error', t('form.err.range', { min: 1, max: 10000 }));
			frames.focus();
			return;
		}
		try {
			const reply = await api.post('/trace', enabled ? { enabled, frames: n } : { enabled });
			setStatus(statusEl, reply.enabled ? 'ok' : 'info',
				reply.enabled ? t('admin.serial.trace_on', { n: fmtNum(reply.frames, 0) }) : t('admin.serial.trace_off'));
			await onChange();
		} catch (err) {
			setStatus(statusEl, 'error', errorText(err));
		}
	};
	const controls = h('div', { class: 'trace-controls' }, frameField,
		h('div', { class: 'form-actions' },
			h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'trace-start' }, on: { click: () => post(true) } }, t('common.start')),
			h('button', { type: 'button', class: 'btn', dataset: { action: 'trace-stop' }, on: { click: () => post(false) } }, t('common.stop')),
			statusEl));
	// A running recording shows the number of frames it keeps.
	const showSize = reply => { if (reply.enabled) frames.value = String(reply.size); };
	return { el: controls, showSize };
}

export default {
	title: 'admin.serial.title',
	async mount(root, ctx) {
		root.dataset.page = 'admin-serial';
		if (!ctx.isAdmin) {
			root.append(notice(t('admin.serial.admin_only')));
			root.dataset.ready = 'true';
			return;
		}
		const countersBox = h('div');
		const stateBox = h('p', { class: 'trace-state cluster', role: 'status' });
		const traceBox = h('div');
		const controls = traceControls(() => loadTrace());
		const loadTrace = async () => {
			try {
				const reply = await api.get('/trace');
				drawTraceState(stateBox, reply);
				controls.showSize(reply);
				clear(traceBox).append(...traceTable(reply).filter(Boolean));
			} catch (err) {
				clear(traceBox).append(notice(errorText(err), 'error'));
			}
		};
		drawCounters(countersBox, live.status);
		ctx.on('status', status => drawCounters(countersBox, status));
		root.append(
			card(t('admin.serial.link_title'), countersBox),
			card(t('admin.serial.trace_title'),
				h('ol', { class: 'admin-steps' }, ['admin.serial.step_start', 'admin.serial.step_wait', 'admin.serial.step_stop', 'admin.serial.step_export']
					.map(key => h('li', t(key)))),
				stateBox,
				controls.el),
			card(t('admin.serial.frames_title'),
				h('div', { class: 'form-actions' },
					h('button', { type: 'button', class: 'btn', dataset: { action: 'refresh' }, on: { click: loadTrace } }, t('common.refresh')),
					h('a', { class: 'btn', href: apiUrl('/trace.csv'), download: 'upsgate-trace.csv', dataset: { action: 'csv' } }, t('common.download_csv'))),
				traceBox));
		await loadTrace();
		root.dataset.ready = 'true';
	},
};
