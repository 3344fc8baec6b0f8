// #/admin/services: the network services on and off, their ports (manual
// §15.3 "NET VISION Control"). Listener changes take effect at a restart.
import { t } from '../i18n.js';
import { formPage } from '../form.js';

// Turning both web servers off leaves nothing to undo it from the browser.
function confirmWeb(values) {
	return values['http.enabled'] || values['https.enabled'] || window.confirm(t('admin.services.no_web_confirm'));
}

export default formPage({
	page: 'admin-services',
	title: 'admin.services.title',
	intro: 'admin.services.intro',
	form: () => {
		let values = {};
		return {
			sections: [
				{ title: t('admin.services.web'), keys: ['http.enabled', 'http.port', 'https.enabled', 'https.port', 'http.redirect_https'] },
				{
					title: t('admin.services.snmp'), more: { href: '#/admin/snmp', label: t('admin.services.snmp_more') },
					keys: ['snmp.enabled', 'snmp.port', 'snmp.alarm_trap_filter'],
				},
				{ title: t('admin.services.modbus'), more: { href: '#/admin/modbus', label: t('admin.services.modbus_more') }, keys: ['modbus_tcp.enabled', 'modbus_tcp.port'] },
				{ title: t('admin.services.bacnet'), more: { href: '#/admin/bacnet', label: t('admin.services.bacnet_more') }, keys: ['bacnet.enabled', 'bacnet.port'] },
				{ title: t('admin.services.nut'), keys: ['nut.enabled', 'nut.port'] },
				{ title: t('admin.services.auth'), more: { href: '#/admin/auth', label: t('admin.services.auth_more') }, keys: ['auth.radius.enabled'] },
				{ title: t('admin.services.data'), keys: ['system.data_unit'] },
			],
			columns: true,
			onChange: current => { values = current; },
			beforeSave: () => confirmWeb(values),
		};
	},
});
