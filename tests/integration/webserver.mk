# tests/integration/webserver.mk: the web server itself (TLS, headers,
# static files, limits, firewall, load) with curl, gnutls-cli, openssl,
# testssl.sh and wrk against the running daemon.
dist_noinst_DATA += tests/integration/webserver.py
TESTS += tests/integration/web-server.py
TESTS += tests/integration/web-load.py
