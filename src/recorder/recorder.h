/* The recorder: keeps the gateway's memory. It writes every event to the
 * UPS or gateway event log, feeds the history and extended history from
 * the snapshots, and keeps the detector's active set on disk so that a
 * restart does not replay old alarms. */
#pragma once

#include "core/manager.h"
#include "store/store.h"

struct recorder;

/* Settings -> the store's configuration (intervals, retention). */
void recorder_store_config(const struct settings *s, struct store_config *c);

/* Opens the store in state_dir, restores the active set into the
 * manager's detector and subscribes to the loop. */
int recorder_start(struct recorder **out, struct manager *m);
struct store *recorder_store(struct recorder *r);
void recorder_stop(struct recorder *r);         /* accepts NULL */
