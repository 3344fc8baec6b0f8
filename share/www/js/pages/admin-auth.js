// #/admin/auth: RADIUS authentication (manual §15.10) and the lockout of
// accounts after failed logins (§11.6).
import { t } from '../i18n.js';
import { formPage } from '../form.js';

export default formPage({
	page: 'admin-auth',
	title: 'admin.auth.title',
	intro: 'admin.auth.intro',
	form: () => ({
		sections: [
			{ title: t('admin.auth.radius'), keys: ['auth.radius.enabled', 'auth.radius.port', 'auth.radius.timeout', 'auth.radius.retries'] },
			{
				title: t('admin.auth.servers'),
				keys: ['auth.radius.primary', 'auth.radius.primary_secret', 'auth.radius.secondary', 'auth.radius.secondary_secret'],
			},
			{ title: t('admin.auth.radius_users'), intro: t('admin.auth.radius_users_intro'), keys: ['auth.radius.users'] },
			{ title: t('admin.auth.lockout'), intro: t('admin.auth.lockout_intro'), keys: ['auth.lockout_attempts', 'auth.lockout_minutes'] },
		],
	}),
});
