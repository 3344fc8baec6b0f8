// #/logs/clear: save and clear the logs (§18.6). Each log shows its record
// count and a CSV download; users who may write can also clear it, after a
// confirmation that offers the download first. Read-only users get the
// downloads only.
import { h } from '../dom.js';
import { t, fmtNum } from '../i18n.js';
import { api } from '../api.js';
import { live } from '../live.js';
import { csvLink, errorLine, isSts } from '../logs-ui.js';

// [api name, label key]; the extended history is the UPS's only (§11.2.4).
function logsOf(status) {
	const sts = isSts(status);
	return [
		['history', sts ? 'logs.clear_sts_history' : 'logs.clear_history'],
		sts ? null : ['extended', 'logs.clear_extended'],
		['ups', sts ? 'logs.title_sts' : 'logs.title_ups'],
		['gateway', 'logs.title_gateway'],
	].filter(Boolean);
}

// A modal confirmation: resolves true when the user chose to clear.
function confirmClear(label, count, name, onError) {
	return new Promise(resolve => {
		const host = document.getElementById('dialogs') || document.body;
		const titleId = `clear-title-${name}`;
		const cancel = h('button', { type: 'button', class: 'btn', on: { click: () => dialog.close('cancel') } }, t('common.cancel'));
		const confirm = h('button', { type: 'button', class: 'btn btn-danger', dataset: { action: 'confirm-clear' }, on: { click: () => dialog.close('clear') } }, t('logs.clear'));
		const dialog = h('dialog', { class: 'dialog hist-dialog', 'aria-labelledby': titleId },
			h('div', { class: 'dialog-body' },
				h('div', { class: 'dialog-head' },
					h('span', { class: 'dialog-icon hist-dialog-icon', 'aria-hidden': 'true' }, '!'),
					h('h2', { id: titleId }, t('logs.clear_confirm_title', { log: label }))),
				h('p', null, t('logs.clear_confirm_text', { n: fmtNum(count) })),
				h('p', { class: 'hist-save-first' }, t('logs.clear_save_first'), ' ', csvLink(name, {}, onError)),
				h('div', { class: 'dialog-actions' }, cancel, confirm)));
		dialog.addEventListener('close', () => {
			resolve(dialog.returnValue === 'clear');
			dialog.remove();
		});
		host.append(dialog);
		dialog.showModal();
		cancel.focus();
	});
}

class ClearPage {
	constructor(root, canWrite) {
		this.root = root;
		this.canWrite = canWrite;
		this.logs = logsOf(live.status).map(([name, label]) => ({ name, label, count: h('span', { class: 'num' }, '…'), total: 0 }));
	}

	async mount() {
		this.error = errorLine();
		this.status = h('p', { class: 'form-status', role: 'status' });
		const intro = h('p', { class: 'muted' }, t(this.canWrite ? 'logs.clear_intro' : 'logs.clear_intro_read_only'));
		const rows = this.logs.map(log => this.row(log));
		const head = h('tr', h('th', { scope: 'col' }, t('logs.col_log')), h('th', { scope: 'col', class: 'num' }, t('logs.col_records')),
			h('th', { scope: 'col' }, t('logs.col_save')), this.canWrite ? h('th', { scope: 'col' }, t('logs.col_clear')) : null);
		const tbl = h('table', { class: 'data hist-table hist-clear-table' },
			h('caption', { class: 'hist-caption' }, t('logs.clear_caption')), h('thead', head), h('tbody', rows));
		this.root.append(intro, this.error.el,
			h('div', { class: 'table-wrap hist-wrap hist-clear-wrap', tabindex: 0, role: 'region', 'aria-label': t('logs.clear_caption') }, tbl), this.status);
		await Promise.all(this.logs.map(log => this.count(log)));
		this.root.dataset.ready = 'true';
	}

	row(log) {
		const label = t(log.label);
		const clearButton = this.canWrite ? h('button', {
			type: 'button', class: 'btn btn-danger btn-small', dataset: { action: 'clear', log: log.name },
			'aria-label': t('logs.clear_named', { log: label }), on: { click: () => this.clearLog(log, label) },
		}, t('logs.clear')) : null;
		const save = csvLink(log.name, {}, err => this.error.show(err));
		save.classList.add('btn-small');
		save.setAttribute('aria-label', t('logs.save_named', { log: label }));
		return h('tr', { dataset: { log: log.name } }, h('th', { scope: 'row' }, label), h('td', { class: 'num' }, log.count),
			h('td', null, save), this.canWrite ? h('td', null, clearButton) : null);
	}

	async count(log) {
		try {
			const reply = await api.get(`/logs/${log.name}`, { size: 1 });
			log.total = reply.total || 0;
			log.count.textContent = fmtNum(log.total);
		} catch (err) {
			log.count.textContent = '—';
			this.error.show(err);
		}
	}

	async clearLog(log, label) {
		this.status.textContent = '';
		this.status.className = 'form-status';
		if (!await confirmClear(label, log.total, log.name, err => this.error.show(err)))
			return;
		try {
			await api.del(`/logs/${log.name}`);
			this.error.show(null);
			this.status.textContent = t('logs.cleared', { log: label });
			this.status.classList.add('ok');
		} catch (err) {
			this.error.show(err);
		}
		await Promise.all(this.logs.map(l => this.count(l)));
	}
}

export default {
	title: 'logs.title_clear',
	async mount(root, ctx) {
		await new ClearPage(root, ctx.canWrite).mount();
	},
};
