// #/history/table?log=history|extended: the history log (§18.1) or the
// extended history log (§18.2, min/max/avg per interval) as a paged table
// with the manual's columns (spec/history_columns.tsv), a date window, the
// unit of a parallel system, and the CSV of the same window.
import { h, clear } from '../dom.js';
import { t, fmtDate, fmtNum } from '../i18n.js';
import { api } from '../api.js';
import { live } from '../live.js';
import { measurePhase } from '../measures.js';
import {
	PAGE_SIZES, intParam, replaceQuery, dateWindow, selectField, errorLine, pager, csvLink, updateCsvLink, unitName,
	columnLabel, columnUnit, columnDigits, toDisplay, columnGroups, logName, unitOptions, viewTabs, historyTitle,
} from '../logs-ui.js';

const STATS = ['min', 'max', 'avg'];   // the manual's order in the extended table

// ---- the table ----

function formatValue(key, value, extraDigit) {
	const digits = columnDigits(key);
	return fmtNum(toDisplay(key, value), value === null || value === undefined ? undefined : Math.min(2, digits + (extraDigit ? 1 : 0)));
}

function groupHead(group) {
	const unit = columnUnit(group.keys[0]);
	return `${columnLabel(group.base)}${unit ? ` (${unit})` : ''}`;
}

// Two header rows: the measurements, then their phases (history) or min/max/avg (extended).
function headRows(groups, extended, showUnit) {
	const top = [h('th', { scope: 'col', rowspan: 2 }, extended ? t('hist.col_start') : t('hist.col_time'))];
	const sub = [];
	if (extended)
		top.push(h('th', { scope: 'col', rowspan: 2 }, t('hist.col_end')));
	if (showUnit)
		top.push(h('th', { scope: 'col', rowspan: 2 }, t('hist.col_unit')));
	for (const g of groups) {
		if (extended) {
			for (const key of g.keys) {
				const phase = g.keys.length > 1 ? ` ${measurePhase(key)}` : '';
				top.push(h('th', { scope: 'colgroup', colspan: 3, class: 'hist-group-head' }, groupHead(g) + phase));
				sub.push(...STATS.map(st => h('th', { scope: 'col', class: 'num' }, t(`hist.stat_${st}`))));
			}
		} else if (g.keys.length > 1) {
			top.push(h('th', { scope: 'colgroup', colspan: g.keys.length, class: 'hist-group-head' }, groupHead(g)));
			sub.push(...g.keys.map(key => h('th', { scope: 'col', class: 'num' }, measurePhase(key))));
		} else {
			top.push(h('th', { scope: 'col', rowspan: 2, class: 'num' }, groupHead(g)));
		}
	}
	return [h('tr', top), h('tr', sub)];
}

function rowCells(row, groups, extended, showUnit) {
	const cells = [h('td', { class: 'hist-time' }, fmtDate(row.t, { seconds: true }))];
	if (extended)
		cells.push(h('td', { class: 'hist-time' }, fmtDate(row.t_end, { seconds: true })));
	if (showUnit)
		cells.push(h('td', null, unitName(row.unit)));
	for (const g of groups) {
		for (const key of g.keys) {
			if (extended) {
				const v = row[key] || {};
				cells.push(...STATS.map(st => h('td', { class: ['num', st === 'avg' ? 'hist-avg' : null] }, formatValue(key, v[st], st === 'avg'))));
			} else {
				cells.push(h('td', { class: 'num' }, formatValue(key, row[key])));
			}
		}
	}
	return cells;
}

function historyTable(rows, groups, { extended, showUnit, caption }) {
	const [top, sub] = headRows(groups, extended, showUnit);
	const width = top.childElementCount + sub.childElementCount;
	const body = h('tbody', rows.map(r => h('tr', rowCells(r, groups, extended, showUnit))));
	if (!rows.length)
		body.append(h('tr', { class: 'empty' }, h('td', { colspan: width }, t('hist.no_records'))));
	const tbl = h('table', { class: ['data', 'hist-table', 'hist-log-table', extended ? 'hist-extended' : null] },
		h('caption', { class: 'hist-caption' }, caption), h('thead', top, sub), body);
	return h('div', { class: 'table-wrap hist-wrap', tabindex: 0, role: 'region', 'aria-label': caption }, tbl);
}

function hasEmd(rows) {
	return rows.some(r => ['emd.temperature', 'emd.humidity'].some(k => {
		const v = r[k];
		return v !== null && v !== undefined && (typeof v !== 'object' || v.avg !== null);
	}));
}

class HistoryTablePage {
	constructor(root, ctx) {
		this.root = root;
		this.ctx = ctx;
		this.status = live.status;
		this.log = logName(ctx.query, this.status);
		this.units = unitOptions(this.status, true);
		const q = ctx.query;
		this.state = {
			page: intParam(q.page, 1),
			size: PAGE_SIZES.includes(Number(q.size)) ? Number(q.size) : 25,
			unit: this.units ? (q.unit === 'all' ? 'all' : intParam(q.unit, 0, this.units.length - 2)) : 0,
			from: intParam(q.from, null),
			to: intParam(q.to, null),
		};
	}

	async mount() {
		const s = this.state;
		this.error = errorLine();
		this.pager = pager({ onPage: p => this.go({ page: p }), onSize: n => this.go({ size: n, page: 1 }) });
		this.csv = csvLink(this.log, this.windowQuery(), err => this.error.show(err));
		this.tableHost = h('div', { class: 'hist-table-host' });
		const unitSelect = this.units ? selectField(t('hist.unit'), this.units, s.unit, v => this.go({ unit: v === 'all' ? 'all' : Number(v), page: 1 })) : null;
		this.root.append(viewTabs('table', this.log, this.status),
			h('div', { class: 'toolbar hist-toolbar' },
				h('div', { class: 'hist-filters' }, unitSelect, dateWindow({ from: s.from, to: s.to, onApply: w => this.go({ ...w, page: 1 }) })),
				h('div', { class: 'hist-actions' }, this.csv)),
			this.error.el, this.tableHost, this.pager.el);
		await this.load();
		this.root.dataset.ready = 'true';
	}

	windowQuery() {
		const s = this.state;
		return { from: s.from, to: s.to, unit: s.unit === 'all' ? null : s.unit };
	}

	async go(change) {
		this.state = { ...this.state, ...change };
		const s = this.state;
		replaceQuery('history/table', {
			log: this.log, page: s.page > 1 ? s.page : null, size: s.size !== 25 ? s.size : null,
			unit: this.units && s.unit !== 0 ? s.unit : null, from: s.from, to: s.to,
		});
		updateCsvLink(this.csv, this.log, this.windowQuery());
		await this.load();
	}

	async load() {
		const serial = (this.serial = (this.serial || 0) + 1);
		const s = this.state;
		this.root.setAttribute('aria-busy', 'true');
		try {
			const reply = await api.get(`/logs/${this.log}`, { ...this.windowQuery(), page: s.page, size: s.size });
			if (serial !== this.serial)
				return;
			this.error.show(null);
			this.render(reply.rows || [], reply.total || 0);
		} catch (err) {
			if (serial === this.serial) {
				this.error.show(err);
				if (!this.tableHost.firstChild)
					this.render([], 0);
			}
		} finally {
			if (serial === this.serial)
				this.root.removeAttribute('aria-busy');
		}
	}

	render(rows, total) {
		const groups = columnGroups(this.status, this.log, hasEmd(rows));
		const caption = historyTitle('table', { log: this.log }, this.status);
		clear(this.tableHost).append(historyTable(rows, groups, {
			extended: this.log === 'extended', showUnit: this.state.unit === 'all', caption,
		}));
		this.pager.update({ page: this.state.page, size: this.state.size, total });
	}
}

export default {
	title: ctx => historyTitle('table', ctx.query, live.status),
	async mount(root, ctx) {
		await new HistoryTablePage(root, ctx).mount();
	},
};
