// #/logs/device and #/logs/gateway: the UPS (or STS) event log and the
// gateway event log (§18.3-18.5). A paged table, sortable by time or level,
// filtered by level, group and date window, kept in the hash query so a
// reload keeps the view. New events from the live stream appear at the top
// of the first page when it is sorted newest first.
import { h, clear } from '../dom.js';
import { t, tx, fmtDate } from '../i18n.js';
import { api } from '../api.js';
import { live } from '../live.js';
import { severityBadge } from '../params-table.js';
import {
	PAGE_SIZES, intParam, replaceQuery, dateWindow, selectField, errorLine, pager, csvLink, updateCsvLink, unitName, isSts,
} from '../logs-ui.js';

const LEVELS = ['information', 'warning', 'critical'];
const LEVEL_RANK = { information: 0, warning: 1, critical: 2 };
const GATEWAY_GROUPS = ['gateway', 'service', 'EMD'];
const NEW_ROW_MS = 4000;    // how long a row that arrived live stays highlighted
const REFETCH_DELAY_MS = 400;

// ---- the event log page ----

function readState(query) {
	return {
		page: intParam(query.page, 1),
		size: PAGE_SIZES.includes(Number(query.size)) ? Number(query.size) : 25,
		sort: query.sort === 'level' ? 'level' : 'time',
		order: query.order === 'asc' ? 'asc' : 'desc',
		level: LEVELS.includes(query.level) ? query.level : 'information',
		group: query.group || '',
		from: intParam(query.from, null),
		to: intParam(query.to, null),
	};
}

function apiName(route) {
	return route === 'gateway' ? 'gateway' : 'ups';
}

function eventCell(row) {
	return h('span', { class: 'hist-event' }, tx(row.text),
		row.active === false ? h('span', { class: 'hist-tag' }, t('logs.ended')) : null);
}

class EventLogPage {
	constructor(root, ctx) {
		this.root = root;
		this.ctx = ctx;
		this.route = ctx.params.name === 'gateway' ? 'gateway' : 'device';
		this.log = apiName(this.route);
		this.state = readState(ctx.query);
		this.rows = [];
		this.total = 0;
		this.newSince = Infinity;   // rows newer than this arrived live: highlighted
		this.multiUnit = ((live.status && live.status.levels) || []).length > 1 && this.route === 'device';
	}

	async mount() {
		this.error = errorLine();
		this.pager = pager({ onPage: p => this.go({ page: p }), onSize: s => this.go({ size: s, page: 1 }) });
		this.csv = csvLink(this.log, this.windowQuery(), err => this.error.show(err));
		this.tableHost = h('div', { class: 'hist-table-host' });
		this.root.append(
			h('div', { class: 'toolbar hist-toolbar' }, this.filters(), h('div', { class: 'hist-actions' }, this.csv)),
			this.error.el, this.tableHost, this.pager.el);
		this.ctx.on('event', ev => this.onEvent(ev));
		await this.load();
		this.root.dataset.ready = 'true';
	}

	filters() {
		const s = this.state;
		const levels = [['information', t('logs.level_all')], ['warning', t('logs.level_warning')], ['critical', t('logs.level_critical')]];
		const groups = this.route === 'gateway'
			? [['', t('logs.group_all')], ...GATEWAY_GROUPS.map(g => [g, t(`logs.group.${g}`)])] : null;
		return h('div', { class: 'hist-filters' },
			selectField(t('logs.level'), levels, s.level, v => this.go({ level: v, page: 1 })),
			groups ? selectField(t('logs.group'), groups, s.group, v => this.go({ group: v, page: 1 })) : null,
			dateWindow({ from: s.from, to: s.to, onApply: w => this.go({ ...w, page: 1 }) }));
	}

	windowQuery() {
		return { from: this.state.from, to: this.state.to };
	}

	query() {
		const s = this.state;
		return {
			page: s.page, size: s.size, sort: s.sort, order: s.order,
			level: s.level === 'information' ? null : s.level, group: s.group || null, from: s.from, to: s.to,
		};
	}

	async go(change) {
		this.state = { ...this.state, ...change };
		const s = this.state;
		replaceQuery(`logs/${this.route}`, {
			page: s.page > 1 ? s.page : null, size: s.size !== 25 ? s.size : null,
			sort: s.sort !== 'time' ? s.sort : null, order: s.order !== 'desc' ? s.order : null,
			level: s.level !== 'information' ? s.level : null, group: s.group, from: s.from, to: s.to,
		});
		updateCsvLink(this.csv, this.log, this.windowQuery());
		await this.load();
	}

	async load() {
		const serial = (this.serial = (this.serial || 0) + 1);
		this.root.setAttribute('aria-busy', 'true');
		try {
			const reply = await api.get(`/logs/${this.log}`, this.query());
			if (serial !== this.serial)
				return;
			this.rows = reply.rows || [];
			this.total = reply.total || 0;
			this.error.show(null);
			this.render();
		} catch (err) {
			if (serial === this.serial) {
				this.error.show(err);
				if (!this.tableHost.firstChild)
					this.render();
			}
		} finally {
			if (serial === this.serial)
				this.root.removeAttribute('aria-busy');
		}
	}

	isLiveView() {
		const s = this.state;
		return s.page === 1 && s.sort === 'time' && s.order === 'desc' && !s.to;
	}

	// A live event of this log: put it on top, or fetch the page again when
	// the group filter needs the group the stream does not carry.
	onEvent(ev) {
		const gatewayEvent = String(ev.code || '').startsWith('gw.');
		if (gatewayEvent !== (this.log === 'gateway') || !this.isLiveView())
			return;
		if ((LEVEL_RANK[ev.level] ?? 0) < LEVEL_RANK[this.state.level])
			return;
		const tMs = Date.parse(ev.time);
		if (this.state.from && tMs < this.state.from * 1000)
			return;
		if (this.state.group) {
			clearTimeout(this.refetchTimer);
			this.refetchTimer = setTimeout(() => this.load(), REFETCH_DELAY_MS);
			return;
		}
		this.newSince = Math.min(this.newSince, tMs);
		this.rows = [{ ...ev, t: tMs }, ...this.rows].slice(0, this.state.size);
		this.total += 1;
		this.render();
		clearTimeout(this.fadeTimer);
		this.fadeTimer = setTimeout(() => { this.newSince = Infinity; this.render(); }, NEW_ROW_MS);
	}

	sortHeader(column, label) {
		const s = this.state;
		const active = s.sort === column;
		const arrow = active ? (s.order === 'desc' ? '▼' : '▲') : '↕';
		const toggle = () => this.go({ sort: column, order: active && s.order === 'desc' ? 'asc' : 'desc', page: 1 });
		return h('button', { type: 'button', class: 'hist-sort', on: { click: toggle } },
			label, h('span', { class: 'hist-sort-arrow', 'aria-hidden': 'true' }, arrow));
	}

	columns() {
		const cols = [
			{ key: 'time', label: this.sortHeader('time', t('logs.col_time')), render: r => h('time', { datetime: r.time }, fmtDate(r.t ?? r.time, { seconds: true })) },
			{ key: 'level', label: this.sortHeader('level', t('logs.col_level')), render: r => severityBadge(r.level) },
			{ key: 'text', label: t('logs.col_event'), render: eventCell },
			{ key: 'detail', label: t('logs.col_detail'), render: r => r.detail || '' },
		];
		if (this.multiUnit)
			cols.push({ key: 'unit', label: t('logs.col_unit'), render: r => unitName(r.unit, r.module) });
		return cols;
	}

	render() {
		const columns = this.columns();
		const caption = this.route === 'gateway' ? t('logs.title_gateway') : t(isSts(live.status) ? 'logs.title_sts' : 'logs.title_ups');
		const tableEl = eventTable(columns, this.rows, caption, this.newSince);
		const ths = tableEl.querySelectorAll('thead th');
		columns.forEach((c, i) => {
			if (c.key === 'time' || c.key === 'level')
				ths[i].setAttribute('aria-sort', this.state.sort === c.key ? (this.state.order === 'desc' ? 'descending' : 'ascending') : 'none');
		});
		clear(this.tableHost).append(tableEl);
		this.pager.update({ page: this.state.page, size: this.state.size, total: this.total });
	}
}

// The event table, with classes on the rows by level and on the rows that came in live.
function eventTable(columns, rows, caption, newSince) {
	const head = h('thead', h('tr', columns.map(c => h('th', { scope: 'col' }, c.label))));
	const body = h('tbody', rows.map(r => h('tr', { class: ['hist-row', `hist-row-${r.level}`, r.t >= newSince ? 'hist-row-new' : null] },
		columns.map(c => h('td', { class: `hist-col-${c.key}` }, c.render(r))))));
	if (!rows.length)
		body.append(h('tr', { class: 'empty' }, h('td', { colspan: columns.length }, t('logs.no_records'))));
	const tbl = h('table', { class: 'data hist-table' }, h('caption', { class: 'hist-caption' }, caption), head, body);
	return h('div', { class: 'table-wrap hist-wrap', tabindex: 0, role: 'region', 'aria-label': caption }, tbl);
}

let page = null;

export default {
	title: ctx => (ctx.params.name === 'gateway' ? t('logs.title_gateway') : t(isSts(live.status) ? 'logs.title_sts' : 'logs.title_ups')),
	async mount(root, ctx) {
		page = new EventLogPage(root, ctx);
		await page.mount();
	},
	unmount() {
		if (page) {
			clearTimeout(page.refetchTimer);
			clearTimeout(page.fadeTimer);
		}
		page = null;
	},
};
