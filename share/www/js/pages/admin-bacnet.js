// #/admin/bacnet: the BACnet/IP server (manual §15.13).
import { formPage } from '../form.js';

export default formPage({
	page: 'admin-bacnet',
	title: 'admin.bacnet.title',
	intro: 'admin.bacnet.intro',
	form: () => ({ keys: ['bacnet.enabled', 'bacnet.port', 'bacnet.device_id', 'bacnet.unit', 'bacnet.cov_lifetime_max'] }),
});
