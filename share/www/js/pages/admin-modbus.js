// #/admin/modbus: the Modbus TCP server (manual §15.12).
import { formPage } from '../form.js';

export default formPage({
	page: 'admin-modbus',
	title: 'admin.modbus.title',
	intro: 'admin.modbus.intro',
	form: () => ({ keys: ['modbus_tcp.enabled', 'modbus_tcp.port', 'modbus_tcp.idle_timeout'] }),
});
