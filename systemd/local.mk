# systemd/: the service unit, with the install paths filled in at build time.
systemdsystemunit_DATA = systemd/upsgated.service
EXTRA_DIST += systemd/upsgated.service.in
CLEANFILES += systemd/upsgated.service

systemd/upsgated.service: $(srcdir)/systemd/upsgated.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) systemd && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(srcdir)/systemd/upsgated.service.in >$@.tmp && mv $@.tmp $@
