// #/admin/snmp: the SNMP agent, the SNMPv3 USM table (manual §15.7) and
// the trap receivers (§15.8), with a test trap per saved receiver.
import { h, clear, table } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { appendForm, card, notice, errorText, choiceLabel, statusLine, setStatus } from '../form.js';

async function sendTest(index, statusEl, button) {
	button.disabled = true;
	setStatus(statusEl, 'busy', t('admin.snmp.test_sending', { n: index }));
	try {
		const reply = await api.post('/snmp/test-trap', { receiver: index });
		setStatus(statusEl, 'ok', t('admin.snmp.test_sent', { n: index }), reply.message ? ` ${reply.message}` : '');
	} catch (err) {
		setStatus(statusEl, 'error', t('admin.snmp.test_failed', { n: index }), ' ', errorText(err));
	} finally {
		button.disabled = false;
	}
}

// The receivers as saved (the test uses the daemon's list, not the form's).
async function drawReceivers(box, canWrite) {
	const statusEl = statusLine();
	try {
		const receivers = (await api.get('/settings'))['snmp.receivers'] || [];
		const rows = receivers.map((r, i) => ({ ...r, index: i + 1 }));
		const columns = [
			{ key: 'index', label: t('admin.snmp.index'), align: 'right' },
			{ key: 'address', label: t('set.snmp.receivers.address') },
			{ key: 'port', label: t('set.snmp.receivers.port'), align: 'right' },
			{ key: 'version', label: t('set.snmp.receivers.version') },
			{ key: 'type', label: t('set.snmp.receivers.type'), render: r => choiceLabel(r.type) },
		];
		if (canWrite) {
			columns.push({
				key: 'test', label: t('admin.snmp.test'),
				render: r => {
					const button = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'test-trap', receiver: r.index } },
						t('admin.snmp.send_test'));
					button.addEventListener('click', () => sendTest(r.index, statusEl, button));
					return button;
				},
			});
		}
		clear(box).append(
			table({ columns, rows, caption: t('admin.snmp.receivers_saved'), empty: t('admin.snmp.no_receivers') }),
			statusEl);
	} catch (err) {
		clear(box).append(notice(errorText(err), 'error'));
	}
}

export default {
	title: 'admin.snmp.title',
	async mount(root, ctx) {
		root.dataset.page = 'admin-snmp';
		const receiversBox = h('div');
		root.append(notice(t('admin.snmp.intro')));
		await appendForm(root, {
			sections: [
				{
					title: t('admin.snmp.agent'),
					keys: ['snmp.enabled', 'snmp.port', 'snmp.read_community', 'snmp.write_community', 'snmp.write_enabled',
						'snmp.sys_object_id', 'snmp.alarm_trap_filter'],
				},
				{ title: t('admin.snmp.usm'), intro: t('admin.snmp.usm_intro'), keys: ['snmp.users'] },
				{ title: t('admin.snmp.receivers'), intro: t('admin.snmp.receivers_intro'), keys: ['snmp.receivers'] },
			],
			onSaved: () => drawReceivers(receiversBox, ctx.canWrite),
		});
		root.append(card(t('admin.snmp.test_title'), h('p', { class: 'form-intro' }, t('admin.snmp.test_intro')), receiversBox));
		await drawReceivers(receiversBox, ctx.canWrite);
		root.dataset.ready = 'true';
	},
};
