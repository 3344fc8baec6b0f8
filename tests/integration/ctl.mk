# tests/integration/ctl.mk: upsgatectl config/users/backup/restart against
# the real daemon (owner: config).
dist_noinst_DATA += tests/integration/ctltest.py
TESTS += tests/integration/ctl-config.py
TESTS += tests/integration/ctl-backup.py
TESTS += tests/integration/ctl-accounts.py
TESTS += tests/integration/ctl-restart.py
