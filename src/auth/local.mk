# Access control shared by the services: the firewall rules.
noinst_LIBRARIES += src/auth/libauth.a
src_auth_libauth_a_SOURCES = \
	src/auth/firewall.c src/auth/firewall.h
src_auth_libauth_a_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
