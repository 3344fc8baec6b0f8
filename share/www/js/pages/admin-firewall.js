// #/admin/firewall: the accept/reject rules every listener applies to its
// peers (manual §15.16, docs/configuration.md "Firewall"). The page works
// out what the edited rules would do to the browser's own address, so a
// rule that locks the user out is seen before it is saved.
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { appendForm, card, notice } from '../form.js';

function parseIPv4(text) {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every(p => /^\d{1,3}$/.test(p) && Number(p) <= 255))
		return null;
	return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

function parseIPv6(text) {
	let groups = text.split('%')[0];
	const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(groups);
	if (v4) {
		const value = parseIPv4(v4[1]);
		if (value === null)
			return null;
		groups = `${groups.slice(0, -v4[1].length)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
	}
	const halves = groups.split('::');
	if (halves.length > 2)
		return null;
	const head = halves[0] ? halves[0].split(':') : [];
	const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
	const fill = 8 - head.length - tail.length;
	if ((halves.length === 1 && fill !== 0) || fill < 0)
		return null;
	const all = [...head, ...Array(fill).fill('0'), ...tail];
	if (!all.every(g => /^[0-9a-fA-F]{1,4}$/.test(g)))
		return null;
	return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

const MAPPED = 0xffffn << 32n;

// {family: 4|6, value: BigInt, prefix}; an IPv4-mapped IPv6 address with a
// prefix of 96 or more is the IPv4 address, as the daemon reads it.
function parseNet(text, prefix) {
	const v4 = parseIPv4(String(text).trim());
	if (v4 !== null)
		return { family: 4, value: v4, prefix };
	const v6 = parseIPv6(String(text).trim());
	if (v6 === null)
		return null;
	if (v6 >> 32n === MAPPED >> 32n && prefix >= 96)
		return { family: 4, value: v6 & 0xffffffffn, prefix: prefix - 96 };
	return { family: 6, value: v6, prefix };
}

function inNet(net, peer) {
	const bits = net.family === 4 ? 32 : 128;
	if (net.family !== peer.family || !(net.prefix >= 0 && net.prefix <= bits))
		return false;
	const shift = BigInt(bits - net.prefix);
	return (net.value >> shift) === (peer.value >> shift);
}

// What the rules do to the peer: {action, index} (index -1: no rule matched).
function verdict(rules, peer) {
	for (const [index, rule] of rules.entries()) {
		const net = parseNet(rule.address, Number(rule.prefix));
		if (net && inNet(net, peer))
			return { action: rule.action, index };
	}
	return { action: 'accept', index: -1 };
}

function verdictText(result, address) {
	if (result.index < 0)
		return t('admin.firewall.self_default', { address });
	const key = result.action === 'reject' ? 'admin.firewall.self_rejected' : 'admin.firewall.self_accepted';
	return t(key, { address, n: result.index + 1 });
}

export default {
	title: 'admin.firewall.title',
	async mount(root) {
		root.dataset.page = 'admin-firewall';
		const selfBox = h('div', { class: 'firewall-self', 'aria-live': 'polite' });
		let address = null;
		let peer = null;
		let result = { action: 'accept', index: -1 };
		try {
			address = (await api.get('/session')).peer;
			peer = address ? parseNet(address, 128) : null;
		} catch {
			peer = null;   // without the peer the page still edits the rules
		}
		const showSelf = values => {
			if (!peer)
				return;
			result = verdict(values['firewall.rules'] || [], peer);
			clear(selfBox).append(notice(verdictText(result, address), result.action === 'reject' ? 'error' : 'ok'));
		};
		root.append(
			notice(t('admin.firewall.warning'), 'warning'),
			card(t('admin.firewall.how_title'),
				h('ul', { class: 'admin-list' },
					['admin.firewall.how_first', 'admin.firewall.how_default', 'admin.firewall.how_family', 'admin.firewall.how_recover']
						.map(key => h('li', t(key))))),
			selfBox);
		await appendForm(root, {
			keys: ['firewall.rules'],
			onChange: showSelf,
			beforeSave: () => result.action !== 'reject' || window.confirm(t('admin.firewall.self_confirm', { address })),
		});
		root.dataset.ready = 'true';
	},
};
