// #/admin/time: the gateway's date and time (manual §15.1). The gateway is
// a Linux host: its clock is the system's, kept by NTP (systemd-timesyncd
// or chrony), and it is set on the host, not here. The page reads GET /time
// once (and on Refresh) and lets the reading tick locally.
import { h, clear } from '../dom.js';
import { t, locale, fmtNum } from '../i18n.js';
import { api } from '../api.js';
import { card, notice, errorText } from '../form.js';

const DRIFT_WARN_MS = 2000;
let timer = 0;

function offsetText(offset) {
	if (typeof offset !== 'number')
		return offset ? `UTC${offset}` : '';
	const sign = offset < 0 ? '−' : '+';
	const minutes = Math.round(Math.abs(offset) / 60);
	return `UTC${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

// A date and time in a given IANA zone (the gateway's), or the browser's.
function clockText(ms, zone) {
	const opts = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' };
	try {
		return new Intl.DateTimeFormat(locale(), zone ? { ...opts, timeZone: zone } : opts).format(new Date(ms));
	} catch {
		return new Intl.DateTimeFormat(locale(), opts).format(new Date(ms));
	}
}

function row(label, value, id) {
	return h('div', { class: 'kv-row' }, h('dt', label), h('dd', { id }, value));
}

function yesNo(value) {
	return value ? t('common.yes') : t('common.no');
}

function differenceText(ms) {
	const seconds = Math.abs(ms) / 1000;
	const amount = fmtNum(seconds, seconds < 10 ? 1 : 0);
	if (Math.abs(ms) < 500)
		return t('admin.time.diff_none');
	return t(ms > 0 ? 'admin.time.diff_ahead' : 'admin.time.diff_behind', { s: amount });
}

function hostHelp() {
	const commands = [
		['admin.time.cmd_status', 'timedatectl'],
		['admin.time.cmd_zone', 'timedatectl set-timezone Europe/Paris'],
		['admin.time.cmd_ntp', 'timedatectl set-ntp true'],
		['admin.time.cmd_manual', "timedatectl set-ntp false && timedatectl set-time '2026-11-22 10:00:00'"],
		['admin.time.cmd_servers', 'NTP=ntp.example.org   (/etc/systemd/timesyncd.conf)'],
	];
	return card(t('admin.time.host_title'),
		h('p', { class: 'form-intro' }, t('admin.time.host_intro')),
		h('dl', { class: 'kv commands' }, commands.map(([key, cmd]) => row(t(key), h('code', cmd)))),
		h('p', { class: 'field-help' }, t('admin.time.host_note')));
}

export default {
	title: 'admin.time.title',
	async mount(root) {
		root.dataset.page = 'admin-time';
		const gatewayBox = h('div');
		const browserBox = h('div');
		let reading = null;   // {time_ms, at: performance.now(), timezone}

		const tick = () => {
			const now = Date.now();
			clear(browserBox).append(h('dl', { class: 'kv' },
				row(t('admin.time.browser_time'), clockText(now), 'browser-time'),
				row(t('admin.time.zone'), Intl.DateTimeFormat().resolvedOptions().timeZone || '—')));
			const clock = document.getElementById('gateway-time');
			if (reading && clock)
				clock.textContent = clockText(reading.time_ms + performance.now() - reading.at, reading.timezone);
		};

		const load = async () => {
			try {
				const sent = performance.now();
				const reply = await api.get('/time');
				const at = (sent + performance.now()) / 2;   // the reply was written about half-way
				reading = { time_ms: reply.time_ms, at, timezone: reply.timezone };
				const drift = reply.time_ms - (Date.now() - (performance.now() - at));
				drawGateway(reply, drift);
			} catch (err) {
				reading = null;
				clear(gatewayBox).append(notice(errorText(err), 'error'));
			}
			tick();
		};

		const drawGateway = (reply, drift) => {
			const zone = [reply.timezone, offsetText(reply.utc_offset)].filter(Boolean).join(' — ');
			const sync = reply.synchronized ? t('common.yes') : t('admin.time.not_synced');
			clear(gatewayBox).append(...[
				h('dl', { class: 'kv' },
					row(t('admin.time.gateway_time'), '', 'gateway-time'),
					row(t('admin.time.zone'), zone || '—'),
					row(t('admin.time.dst'), yesNo(reply.dst)),
					row(t('admin.time.ntp'), sync, 'ntp-state'),
					typeof reply.max_error_us === 'number'
						? row(t('admin.time.max_error'), t('admin.time.ms', { ms: fmtNum(reply.max_error_us / 1000, reply.max_error_us < 10000 ? 1 : 0) }))
						: null,
					row(t('admin.time.difference'), differenceText(drift))),
				Math.abs(drift) > DRIFT_WARN_MS ? notice(t('admin.time.drift_warning'), 'warning') : null,
				reply.synchronized ? null : notice(t('admin.time.not_synced_help'), 'warning'),
			].filter(Boolean));
		};

		const refresh = h('button', { type: 'button', class: 'btn', dataset: { action: 'refresh' }, on: { click: load } }, t('common.refresh'));
		root.append(
			h('div', { class: 'admin-grid' },
				card(t('admin.time.gateway_title'), gatewayBox, h('div', { class: 'form-actions' }, refresh)),
				card(t('admin.time.browser_title'), browserBox)),
			hostHelp());
		await load();
		// The clocks tick locally from one reading: no request per second.
		clearInterval(timer);
		timer = setInterval(tick, 1000);
		root.dataset.ready = 'true';
	},

	unmount() {
		clearInterval(timer);
	},
};
