# share/www: the web interface's static files, served from web.root
# ($(pkgdatadir)/www once installed). List every file here, in the
# variable of its folder (automake installs each list into its own dir).
wwwdir = $(pkgdatadir)/www
dist_www_DATA = \
	share/www/index.html

wwwcssdir = $(wwwdir)/css
dist_wwwcss_DATA = \
	share/www/css/admin.css \
	share/www/css/app.css \
	share/www/css/history.css \
	share/www/css/monitor.css \
	share/www/css/synoptic.css

wwwimgdir = $(wwwdir)/img
dist_wwwimg_DATA = \
	share/www/img/favicon.svg

wwwjsdir = $(wwwdir)/js
dist_wwwjs_DATA = \
	share/www/js/api.js \
	share/www/js/app.js \
	share/www/js/chart.js \
	share/www/js/dom.js \
	share/www/js/form.js \
	share/www/js/i18n.js \
	share/www/js/icons.js \
	share/www/js/live.js \
	share/www/js/logs-ui.js \
	share/www/js/measures.js \
	share/www/js/menu.js \
	share/www/js/params-table.js \
	share/www/js/router.js \
	share/www/js/session.js \
	share/www/js/topbar.js \
	share/www/js/tree.js

wwwpagesdir = $(wwwdir)/js/pages
dist_wwwpages_DATA = \
	share/www/js/pages/admin-auth.js \
	share/www/js/pages/admin-bacnet.js \
	share/www/js/pages/admin-firewall.js \
	share/www/js/pages/admin-gateway.js \
	share/www/js/pages/admin-links.js \
	share/www/js/pages/admin-modbus.js \
	share/www/js/pages/admin-serial.js \
	share/www/js/pages/admin-services.js \
	share/www/js/pages/admin-snmp.js \
	share/www/js/pages/admin-time.js \
	share/www/js/pages/admin-users.js \
	share/www/js/pages/alarms.js \
	share/www/js/pages/dashboard.js \
	share/www/js/pages/history-graph.js \
	share/www/js/pages/history-table.js \
	share/www/js/pages/language.js \
	share/www/js/pages/logs-clear.js \
	share/www/js/pages/logs.js \
	share/www/js/pages/params.js \
	share/www/js/pages/realtime.js \
	share/www/js/pages/synoptic-sts.js \
	share/www/js/pages/synoptic-system.js \
	share/www/js/pages/synoptic-unit.js

wwwsynopticdir = $(wwwdir)/js/synoptic
dist_wwwsynoptic_DATA = \
	share/www/js/synoptic/common.js \
	share/www/js/synoptic/sts.js \
	share/www/js/synoptic/system.js \
	share/www/js/synoptic/unit.js

wwwlangdir = $(wwwdir)/lang
dist_wwwlang_DATA = \
	share/www/lang/en.json \
	share/www/lang/fr.json

# make install writes FILE.gz beside every text file of the web root
# (gzip -9, no name or time stamp in it: the same bytes at every build);
# the server sends it to browsers that accept gzip (docs/web-server.md,
# "Static files"); uninstall removes them. The hooks are rules without a
# recipe, so that another fragment may hang its own work on them.
WWW_GZ_NAMES = -name '*.html' -o -name '*.js' -o -name '*.css' -o -name '*.json' -o -name '*.svg'
WWW_GZ_MADE = -name '*.html.gz' -o -name '*.js.gz' -o -name '*.css.gz' -o -name '*.json.gz' \
	-o -name '*.svg.gz'
install-data-hook: install-www-gz
uninstall-hook: uninstall-www-gz
.PHONY: install-www-gz uninstall-www-gz
install-www-gz:
	test ! -d "$(DESTDIR)$(wwwdir)" || \
	find "$(DESTDIR)$(wwwdir)" -type f \( $(WWW_GZ_NAMES) \) -exec gzip -9 -n -k -f {} +
uninstall-www-gz:
	test ! -d "$(DESTDIR)$(wwwdir)" || \
	find "$(DESTDIR)$(wwwdir)" -type f \( $(WWW_GZ_MADE) \) -exec rm -f {} +
