# tests/integration/snmp-mibs.mk: the Socomec MIBs with net-snmp tools and NUT (owner: mibnv).
TESTS += tests/integration/snmp-mibs.py
dist_check_SCRIPTS += tests/integration/snmp-mibs.py
