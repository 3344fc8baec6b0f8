# tests/integration/webui.mk: the API the web interface needs beyond the
# first version (languages, time, alarm acknowledgement, web.links).
TESTS += tests/integration/web-ui-api.py
