# tests/integration/snmp-traps.mk: traps to net-snmp snmptrapd (owner: traps).
TESTS += tests/integration/snmp-traps.py
dist_check_SCRIPTS += tests/integration/snmp-traps.py
