# tests/integration/modbus.mk: the Modbus TCP server with mbpoll and pymodbus.
TESTS += tests/integration/modbus-tcp.py
