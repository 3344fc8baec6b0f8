// §15.18 Language: choose the interface language (kept in this browser),
// list the installed ones, and say how to add one (a JSON file in lang/).
import { api } from '../api.js';
import { h, table } from '../dom.js';
import { t, lang, languages, setLang } from '../i18n.js';

const DEFAULT_ROOT = '/usr/share/upsgate/www';

function chooser() {
	const name = 'language-choice';
	const options = languages().map(l => {
		const input = h('input', { type: 'radio', name, value: l.code, id: `lang-${l.code}`, checked: l.code === lang() });
		input.addEventListener('change', () => { if (input.checked) setLang(l.code); });
		return h('div', { class: 'field field-check' }, input,
			h('label', { for: input.id, class: 'field-label' }, l.name, ' ', h('span', { class: 'muted mono' }, `(${l.code})`)));
	});
	return h('section', { class: 'card', 'aria-labelledby': 'lang-choose-title' },
		h('div', { class: 'card-head' }, h('h2', { id: 'lang-choose-title' }, t('lang.choose_title'))),
		h('div', { class: 'card-body stack' },
			h('fieldset', { class: 'fieldset' }, h('legend', t('lang.choose_legend')), h('div', { class: 'stack' }, options)),
			h('p', { class: 'muted small' }, t('lang.kept_in_browser'))));
}

function installed() {
	const rows = languages().map(l => ({ ...l, file: `lang/${l.code}.json` }));
	return h('section', { class: 'card', 'aria-labelledby': 'lang-installed-title' },
		h('div', { class: 'card-head' }, h('h2', { id: 'lang-installed-title' }, t('lang.installed_title'))),
		h('div', { class: 'card-body flush' }, table({
			caption: t('lang.installed_caption'),
			columns: [
				{ key: 'name', label: t('lang.col_name') },
				{ key: 'code', label: t('lang.col_code'), render: row => h('span', { class: 'mono' }, row.code) },
				{ key: 'file', label: t('lang.col_file'), render: row => h('span', { class: 'mono' }, row.file) },
				{ key: 'current', label: t('lang.col_state'),
					render: row => (row.code === lang() ? h('span', { class: 'state state-ok' }, t('lang.in_use')) : '') },
			],
			rows,
		})));
}

function howTo(root) {
	const dir = `${root.replace(/\/+$/, '')}/lang/`;
	const code = text => h('code', text);
	return h('section', { class: 'card', 'aria-labelledby': 'lang-add-title' },
		h('div', { class: 'card-head' }, h('h2', { id: 'lang-add-title' }, t('lang.add_title'))),
		h('div', { class: 'card-body prose' },
			h('p', t('lang.add_intro')),
			h('ol',
				h('li', t('lang.add_step_copy', { dir }), ' ', code(`cp ${dir}en.json ${dir}de.json`)),
				h('li', t('lang.add_step_meta'), ' ', code('"meta": {"code": "de", "name": "Deutsch"}')),
				h('li', t('lang.add_step_strings')),
				h('li', t('lang.add_step_texts')),
				h('li', t('lang.add_step_reload'))),
			h('p', { class: 'muted' }, t('lang.add_note'))));
}

export default {
	title: 'menu.language',
	async mount(root) {
		root.dataset.page = 'language';
		let webRoot = DEFAULT_ROOT;
		try {
			const settings = await api.get('/settings');
			webRoot = settings['web.root'] || DEFAULT_ROOT;
		} catch {
			webRoot = DEFAULT_ROOT;   // the steps still hold with the packaged path
		}
		root.append(h('div', { class: 'grid-2' }, chooser(), installed()), howTo(webRoot));
		root.dataset.ready = 'true';
	},
};
