// #/admin/gateway: the gateway's configuration (manual §15.2): general
// settings, configuration download and upload, factory reset, the HTTPS
// certificate and a restart.
import { h, clear, field, setFieldError } from '../dom.js';
import { t, fmtDate } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { session } from '../session.js';
import { appendForm, card, notice, errorText, statusLine, setStatus, restartButton } from '../form.js';

const CERT_MAX_BYTES = 8192;

function fileInput(name, accept, multiple) {
	return h('input', { type: 'file', name, accept, multiple });
}

async function readFiles(input) {
	const texts = [];
	for (const file of input.files)
		texts.push(await file.text());
	return texts.join('\n');
}

function loginAgainButton() {
	return h('button', { type: 'button', class: 'btn', dataset: { action: 'login' }, on: { click: () => session.ended() } },
		t('admin.gateway.login_again'));
}

function rejectedList(err) {
	const rejected = (err instanceof ApiError && err.body && err.body.rejected) || [];
	return rejected.length
		? h('ul', { class: 'rejected-list' }, rejected.map(r => h('li', h('code', r.key), ' ', r.reason)))
		: null;
}

function backupCard() {
	const file = fileInput('backup-file', '.json,application/json');
	const fileField = field({ label: t('admin.gateway.restore_file'), input: file, help: t('admin.gateway.restore_help') });
	const statusEl = statusLine();
	const upload = h('button', { type: 'button', class: 'btn', dataset: { action: 'restore' } }, t('admin.gateway.restore'));
	upload.addEventListener('click', async () => {
		setFieldError(fileField, null);
		if (!file.files.length) {
			setFieldError(fileField, t('admin.gateway.choose_file'));
			file.focus();
			return;
		}
		upload.disabled = true;
		setStatus(statusEl, 'busy', t('admin.gateway.restoring'));
		try {
			const reply = await api.upload('/restore', await readFiles(file), 'POST');
			const restart = reply.restart_keys && reply.restart_keys.length
				? ` ${t('admin.gateway.restore_restart', { keys: reply.restart_keys.join(', ') })}` : '';
			setStatus(statusEl, 'warning', t('admin.gateway.restored', { n: (reply.applied || []).length }), restart,
				' ', t('admin.gateway.session_ended'), ' ', loginAgainButton());
		} catch (err) {
			setStatus(statusEl, 'error', err instanceof ApiError ? err.message : errorText(err), rejectedList(err));
		} finally {
			upload.disabled = false;
		}
	});
	return card(t('admin.gateway.backup_title'),
		h('p', { class: 'form-intro' }, t('admin.gateway.backup_intro')),
		h('div', { class: 'form-actions' },
			h('button', {
				type: 'button', class: 'btn', dataset: { action: 'backup' },
				on: { click: () => api.download('/backup') },
			}, t('admin.gateway.backup'))),
		h('hr', { class: 'admin-sep' }),
		fileField,
		h('div', { class: 'form-actions' }, upload),
		statusEl);
}

// A factory reset asks for a typed word: one click must never do it.
function resetCard() {
	const word = t('admin.gateway.reset_word');
	const input = h('input', { type: 'text', name: 'reset-confirm', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters' });
	const statusEl = statusLine();
	const go = h('button', { type: 'button', class: 'btn btn-danger', dataset: { action: 'factory-reset' }, disabled: true }, t('admin.gateway.reset'));
	input.addEventListener('input', () => { go.disabled = input.value.trim() !== word; });
	go.addEventListener('click', async () => {
		go.disabled = true;
		try {
			await api.post('/factory-reset');
			input.value = '';
			setStatus(statusEl, 'warning', t('admin.gateway.reset_done'), ' ', loginAgainButton());
		} catch (err) {
			setStatus(statusEl, 'error', errorText(err));
		}
	});
	return card(t('admin.gateway.reset_title'),
		notice(t('admin.gateway.reset_warning'), 'warning'),
		field({ label: t('admin.gateway.reset_type', { word }), input }),
		h('div', { class: 'form-actions' }, go),
		statusEl);
}

function certDetails(cert) {
	const row = (label, value) => h('div', { class: 'kv-row' }, h('dt', label), h('dd', value));
	return h('dl', { class: 'kv' },
		row(t('admin.gateway.cert_source'), cert.uploaded ? t('admin.gateway.cert_uploaded') : t('admin.gateway.cert_generated')),
		row(t('admin.gateway.cert_subject'), cert.subject || '—'),
		row(t('admin.gateway.cert_issuer'), cert.issuer || '—'),
		row(t('admin.gateway.cert_from'), fmtDate(cert.not_before)),
		row(t('admin.gateway.cert_to'), fmtDate(cert.not_after)),
		row(t('admin.gateway.cert_sha256'), h('code', { class: 'fingerprint' }, cert.sha256 || '—')));
}

function certificateCard(admin) {
	const details = h('div');
	const statusEl = statusLine();
	const file = fileInput('certificate-file', '.pem,.crt,.key,.cer', true);
	const fileField = field({ label: t('admin.gateway.cert_file'), input: file, help: t('admin.gateway.cert_file_help') });
	const revert = h('button', { type: 'button', class: 'btn', dataset: { action: 'cert-revert' } }, t('admin.gateway.cert_revert'));
	const upload = h('button', { type: 'button', class: 'btn', dataset: { action: 'cert-upload' } }, t('admin.gateway.cert_upload'));
	const actions = h('div', { class: 'form-actions' },
		h('button', { type: 'button', class: 'btn', dataset: { action: 'cert-download' }, on: { click: () => api.download('/certificate.pem') } },
			t('admin.gateway.cert_download')));

	const show = cert => {
		clear(details).append(certDetails(cert));
		revert.hidden = !cert.uploaded;
	};
	const change = async (button, request, doneKey) => {
		button.disabled = true;
		try {
			show(await request());
			setStatus(statusEl, 'ok', t(doneKey));
		} catch (err) {
			setStatus(statusEl, 'error', errorText(err));
		} finally {
			button.disabled = false;
		}
	};
	upload.addEventListener('click', async () => {
		setFieldError(fileField, null);
		const text = file.files.length ? await readFiles(file) : '';
		if (!text)
			setFieldError(fileField, t('admin.gateway.choose_file'));
		else if (new TextEncoder().encode(text).length > CERT_MAX_BYTES)
			setFieldError(fileField, t('admin.gateway.cert_too_big', { n: CERT_MAX_BYTES }));
		else
			await change(upload, () => api.upload('/certificate', text, 'PUT'), 'admin.gateway.cert_changed');
	});
	revert.addEventListener('click', () => {
		if (window.confirm(t('admin.gateway.cert_revert_confirm')))
			change(revert, () => api.del('/certificate'), 'admin.gateway.cert_reverted');
	});

	const body = [h('p', { class: 'form-intro' }, t('admin.gateway.cert_intro')), details, actions];
	if (admin) {
		actions.append(revert);
		body.push(h('hr', { class: 'admin-sep' }), fileField, h('div', { class: 'form-actions' }, upload));
	}
	body.push(statusEl);
	const load = api.get('/certificate').then(show, err => {
		clear(details).append(notice(err instanceof ApiError && err.code === 'not_available'
			? t('admin.gateway.cert_no_https') : errorText(err), 'warning'));
		actions.hidden = true;
		upload.disabled = true;
	});
	return { el: card(t('admin.gateway.cert_title'), ...body), load };
}

function restartCard() {
	const statusEl = statusLine();
	return card(t('admin.gateway.restart_title'),
		h('p', { class: 'form-intro' }, t('admin.gateway.restart_intro')),
		h('div', { class: 'form-actions' }, restartButton(statusEl), statusEl));
}

export default {
	title: 'admin.gateway.title',
	async mount(root, ctx) {
		root.dataset.page = 'admin-gateway';
		await appendForm(root, {
			sections: [
				{ title: t('admin.gateway.identity'), keys: ['system.name', 'system.contact', 'system.location', 'system.temperature_unit'] },
				{ title: t('admin.gateway.history'), keys: ['history.interval', 'history.extended_interval'] },
				{ title: t('admin.gateway.serial'), keys: ['serial.poll_interval', 'serial.timeout', 'serial.baud'] },
				{ title: t('admin.gateway.sessions'), keys: ['auth.login_timeout', 'auth.password_days'] },
				{ title: t('admin.gateway.snmp'), keys: ['snmp.read_community', 'snmp.write_community'] },
			],
			columns: true,
		});
		const admin = ctx.isAdmin;
		const cert = certificateCard(admin);
		root.append(h('div', { class: 'admin-grid' },
			admin ? backupCard() : card(t('admin.gateway.backup_title'), notice(t('admin.gateway.admin_only'))),
			cert.el,
			admin ? resetCard() : null,
			admin ? restartCard() : null));
		await cert.load;
		root.dataset.ready = 'true';
	},
};
