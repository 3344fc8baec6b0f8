# tests/integration/snmp-agent.mk: the SNMP agent with net-snmp tools and
# NUT's snmp-ups, and the daemon with the SNMP port taken (owner: snmp).
TESTS += tests/integration/snmp-agent.py tests/integration/snmp-nut-ietf.py \
	tests/integration/snmp-port-taken.py
dist_check_SCRIPTS += tests/integration/snmp-agent.py tests/integration/snmp-nut-ietf.py \
	tests/integration/snmp-port-taken.py
