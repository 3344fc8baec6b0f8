# tests/integration/web.mk: the JSON API with curl against the running daemon.
dist_noinst_DATA += tests/integration/webtest.py
TESTS += tests/integration/web-login.py
TESTS += tests/integration/web-roles.py
TESTS += tests/integration/web-timeout.py
TESTS += tests/integration/web-settings.py
TESTS += tests/integration/web-backup.py
TESTS += tests/integration/web-cert.py
TESTS += tests/integration/web-live.py
TESTS += tests/integration/web-radius.py
