# Access control shared by the services: the firewall rules.
noinst_LIBRARIES += src/auth/libauth.a
src_auth_libauth_a_SOURCES = \
	src/auth/firewall.c src/auth/firewall.h
src_auth_libauth_a_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
# Backup, restore and factory reset (JSON document, SHA-256 via GnuTLS).
src_auth_libauth_a_SOURCES += src/auth/backup.c src/auth/backup.h
src_auth_libauth_a_CFLAGS += $(JANSSON_CFLAGS) $(GNUTLS_CFLAGS)
# Accounts, logins, sessions and RADIUS (docs/accounts.md).
src_auth_libauth_a_SOURCES += \
	src/auth/auth.h src/auth/auth_priv.h \
	src/auth/accounts.c src/auth/acctfile.c src/auth/lockout.c \
	src/auth/password.c src/auth/passwd.c src/auth/session.c \
	src/auth/login.c src/auth/radius.c src/auth/radpkt.c
src_auth_libauth_a_CFLAGS += $(CRYPT_CFLAGS)
# What a program linking libauth.a needs for the accounts.
AUTH_LIBS = $(JANSSON_LIBS) $(GNUTLS_LIBS) $(CRYPT_LIBS)
