# Integration tests: the real daemon and simulator with real clients.
# One fragment per owner.
include $(srcdir)/tests/integration/daemon.mk
include $(srcdir)/tests/integration/sim.mk
include $(srcdir)/tests/integration/poll.mk
include $(srcdir)/tests/integration/modbus.mk
include $(srcdir)/tests/integration/bacnet.mk
include $(srcdir)/tests/integration/web.mk
include $(srcdir)/tests/integration/auth.mk
include $(srcdir)/tests/integration/snmp-traps.mk
include $(srcdir)/tests/integration/ctl.mk
include $(srcdir)/tests/integration/snmp-mibs.mk
include $(srcdir)/tests/integration/snmp-agent.mk
include $(srcdir)/tests/integration/webserver.mk
include $(srcdir)/tests/integration/browser.mk
include $(srcdir)/tests/integration/webui.mk
