# tests/integration/browser.mk: the web interface in Debian's Chromium,
# driven by Playwright (npm playwright-core, tests/browser/) against the real
# daemon and upsgate-sim. ./dev test runs npm ci --prefix tests/browser;
# without node_modules there the tests skip. Screenshots and downloads go
# to $(builddir)/tests/browser-output/NAME/.
dist_noinst_DATA += tests/integration/browsertest.py \
	tests/browser/package.json \
	tests/browser/package-lock.json \
	tests/browser/lib.mjs \
	tests/browser/login.mjs \
	tests/browser/pages.mjs \
	tests/browser/acfail.mjs \
	tests/browser/settings.mjs
TESTS += tests/integration/browser-login.py
TESTS += tests/integration/browser-pages.py
TESTS += tests/integration/browser-parallel.py
TESTS += tests/integration/browser-sts.py
TESTS += tests/integration/browser-acfail.py
TESTS += tests/integration/browser-settings.py
clean-local: clean-browser-output
clean-browser-output:
	rm -rf tests/browser-output
.PHONY: clean-browser-output
