# tests/integration/bacnet.mk: BACnet/IP with node-bacnet (npm) and tshark.
dist_check_SCRIPTS += tests/integration/bacnet-client.js
TESTS += tests/integration/bacnet.py
