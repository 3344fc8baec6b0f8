// #/admin/links: the external links of the menu (manual §17), setting web.links.
import { t } from '../i18n.js';
import { appendForm, loadSchema, notice, errorText } from '../form.js';

export default {
	title: 'admin.links.title',
	async mount(root) {
		root.dataset.page = 'admin-links';
		root.append(notice(t('admin.links.intro')));
		try {
			const schema = await loadSchema();
			if (schema.has('web.links'))
				await appendForm(root, { keys: ['web.links'] });
			else
				root.append(notice(t('admin.links.unsupported'), 'warning'));
		} catch (err) {
			root.append(notice(errorText(err), 'error'));
		}
		root.dataset.ready = 'true';
	},
};
