/* Backup and restore of the whole configuration: the settings (secrets
 * included) and the accounts (hashes), in one JSON document
 *   {"format": "upsgate-backup", "version": 1, "created": "...",
 *    "host": "...", "config": "<libconfig text>", "accounts": [...],
 *    "sha256": "<hex of the canonical document without this member>"}
 * A restore is checked completely (format, version, checksum, every
 * setting, every account) before anything is applied; the report names
 * every rejected part. */
#pragma once

#include <jansson.h>

#include "auth/auth.h"
#include "core/manager.h"

/* The document as text (malloc'd). */
char *backup_make(const struct settings *s, const struct auth *a);

/* Checks [data]; on success *settings and *accounts hold what a restore
 * applies (the caller owns them). On failure returns -EINVAL, appends
 * {"key", "reason"} objects to [errors] and sets nothing. */
int backup_check(const char *data, size_t len, json_t *errors, struct settings **settings,
		 json_t **accounts);

/* Applies a checked backup: manager_apply_settings, then auth_import.
 * Takes [settings]; logs gw.config_uploaded with [via]/[who]. */
int backup_restore(struct manager *m, struct auth *a, struct settings *settings,
		   const json_t *accounts, const char *via, const char *who);

/* Factory reset: default settings (keeping state_dir and control.socket,
 * which locate the daemon itself) and auth_reset; logs gw.params_reset. */
int backup_factory_reset(struct manager *m, struct auth *a, const char *via, const char *who);

/* Offers "factory_reset" (manager_action, arg "VIA\tWHO") to services
 * that do not hold the accounts, such as SNMP's upsAgentResetToDefault. */
int backup_offer_actions(struct manager *m, struct auth *a);
