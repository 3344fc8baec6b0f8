# Unit tests: one program per module, may #include the module's .c.
include $(srcdir)/tests/unit/maps.mk
include $(srcdir)/tests/unit/poll.mk
include $(srcdir)/tests/unit/sim.mk
include $(srcdir)/tests/unit/core.mk
include $(srcdir)/tests/unit/events.mk
include $(srcdir)/tests/unit/store.mk
include $(srcdir)/tests/unit/auth.mk
include $(srcdir)/tests/unit/modbustcp.mk
include $(srcdir)/tests/unit/bacnet-objects.mk
include $(srcdir)/tests/unit/bacnet.mk
include $(srcdir)/tests/unit/control.mk
include $(srcdir)/tests/unit/snmp-mib.mk
include $(srcdir)/tests/unit/snmp-trap.mk
include $(srcdir)/tests/unit/snmp-agent.mk
include $(srcdir)/tests/unit/api.mk
include $(srcdir)/tests/unit/config.mk
include $(srcdir)/tests/unit/web.mk
