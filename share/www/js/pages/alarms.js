// #/alarms: the alarm table (§12.3): how many alarms are active, the last
// one, and each active alarm with its start time, text and level. A system
// of several units lists the system's alarms first, then each unit's and
// module's, with a column saying whose they are. Users who may write can
// acknowledge the alarms (POST /alarms/ack).
import { h, table } from '../dom.js';
import { t, tx, fmtDate } from '../i18n.js';
import { api } from '../api.js';
import { live } from '../live.js';
import { severityBadge, noticeBox, levelWords } from '../params-table.js';

const LEVEL_ORDER = { system: 0, unit: 1, module: 2 };
const ALARM_KEYS = ['active_alarms', 'alarm_counts', 'last_alarm'];

function isMultiLevel(status) {
	return (status.levels || []).length > 1;
}

function whose(alarm) {
	return levelWords(alarm.level, alarm.unit, alarm.module);
}

function sorted(alarms) {
	return [...alarms].sort((a, b) => (LEVEL_ORDER[a.level] ?? 9) - (LEVEL_ORDER[b.level] ?? 9)
		|| a.unit - b.unit || a.module - b.module || String(a.code).localeCompare(String(b.code)));
}

function ackCell(alarm) {
	return h('span', { class: alarm.acknowledged ? 'ack ack-yes' : 'ack ack-no' },
		h('span', { class: 'ack-mark', 'aria-hidden': 'true' }, alarm.acknowledged ? '✓' : '•'),
		alarm.acknowledged ? t('alarms.acked') : t('alarms.not_acked'));
}

function sinceCell(alarm) {
	if (!alarm.since)
		return h('span', { title: t('alarms.since_unknown') }, '—');
	return h('time', { datetime: alarm.since }, fmtDate(alarm.since_ms ?? alarm.since, { seconds: true }));
}

function alarmTable(status) {
	const columns = [{ key: 'code', label: t('alarms.col_index'), render: a => h('span', { class: 'mon-code' }, a.code) }];
	if (isMultiLevel(status))
		columns.push({ key: 'unit', label: t('alarms.col_unit'), render: whose });
	columns.push(
		{ key: 'since', label: t('alarms.col_time'), render: sinceCell },
		{ key: 'text', label: t('alarms.col_text'), render: a => tx(a.text) },
		{ key: 'severity', label: t('alarms.col_level'), render: a => severityBadge(a.severity) });
	if ((status.active_alarms || []).some(a => a.acknowledged !== undefined))
		columns.push({ key: 'acknowledged', label: t('alarms.col_ack'), render: ackCell });
	return table({
		columns, rows: sorted(status.active_alarms || []),
		caption: t('alarms.table_caption'), empty: t('alarms.none'),
	});
}

// The event log names its codes by map ("vumap.A050"); the manual's index is "A050".
function shortCode(code) {
	return String(code || '').replace(/^.*\./, '');
}

function lastAlarmText(last) {
	if (!last)
		return t('common.none');
	const who = last.unit ? ` (${t('params.level_unit', { n: last.unit })})` : '';
	return `${shortCode(last.code)} ${tx(last.text)}${who} · ${fmtDate(last.time_ms ?? last.time, { seconds: true })}`;
}

// Something left to acknowledge (a daemon without acknowledgement: any alarm).
function pendingAck(status) {
	const unacked = status.alarm_counts?.unacknowledged;
	return unacked === undefined ? (status.active_alarms || []).length > 0 : unacked > 0;
}

function summaryItem(label, value, cls) {
	return h('div', { class: ['mon-stat', cls] }, h('dt', null, label), h('dd', null, value));
}

function summary(status) {
	const counts = status.alarm_counts || {};
	return h('dl', { class: 'mon-stats' },
		summaryItem(t('alarms.count'), String(counts.total ?? (status.active_alarms || []).length), 'mon-stat-main'),
		summaryItem(t('alarms.critical'), String(counts.critical ?? 0)),
		summaryItem(t('alarms.warning'), String(counts.warning ?? 0)),
		counts.unacknowledged === undefined ? null : summaryItem(t('alarms.unacknowledged'), String(counts.unacknowledged)),
		summaryItem(t('alarms.last'), lastAlarmText(status.last_alarm), 'mon-stat-wide'));
}

export default {
	title: 'alarms.title',

	async mount(root, ctx) {
		root.classList.add('mon');
		const summaryBox = h('div');
		const noComm = noticeBox('warning', t('alarms.no_comm'));
		const result = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
		const tableBox = h('div');
		const scope = h('p', { class: 'mon-help', hidden: true }, t('alarms.scope_note'));
		let ackButton = null;

		async function acknowledge() {
			ackButton.disabled = true;
			result.className = 'form-status';
			result.textContent = t('common.loading');
			try {
				const reply = await api.post('/alarms/ack');
				await live.refreshAlarms();   // redraws this page and the top bar
				result.textContent = t('alarms.ack_done', { n: reply.acknowledged });
				result.classList.add('ok');
			} catch (err) {
				result.textContent = err.message;
				result.classList.add('error');
			} finally {
				ackButton.disabled = !pendingAck(live.status);
			}
		}

		const toolbar = h('div', { class: 'mon-toolbar' });
		if (ctx.canWrite) {
			ackButton = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'ack' }, on: { click: acknowledge } },
				t('alarms.ack'));
			toolbar.append(ackButton, result);
		}
		root.append(noComm, summaryBox, toolbar, scope, tableBox);

		function draw(status) {
			if (!status)
				return;
			noComm.hidden = status.comm === 'ok';
			summaryBox.classList.toggle('no-comm', status.comm !== 'ok');
			tableBox.classList.toggle('no-comm', status.comm !== 'ok');
			summaryBox.replaceChildren(summary(status));
			scope.hidden = !isMultiLevel(status);
			tableBox.replaceChildren(alarmTable(status));
			if (ackButton)
				ackButton.disabled = !pendingAck(status);
			root.dataset.ready = 'true';
		}

		// Alarms change with events; snapshots only matter for the communication state.
		let lastKey = null;
		ctx.on('status', status => {
			const key = JSON.stringify([status.comm, ALARM_KEYS.map(k => status[k])]);
			if (key !== lastKey) {
				lastKey = key;
				draw(status);
			}
		});
		draw(live.status);
	},
};
