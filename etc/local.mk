# etc/: the example configuration, installed as the configuration.
upsgateconfdir = $(sysconfdir)/upsgate
dist_upsgateconf_DATA = etc/upsgate.conf
