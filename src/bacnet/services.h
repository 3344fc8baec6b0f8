/* The BACnet application services of this device (ASHRAE 135 clauses
 * 13, 15, 16): Who-Is/I-Am, Who-Has/I-Have, ReadProperty,
 * ReadPropertyMultiple, WriteProperty (always denied: the gateway is
 * read-only) and SubscribeCOV with its notifications (cov.c). Pure
 * protocol: APDUs in, APDUs out through [send]; the server (server.c)
 * owns the socket and wraps them in NPDU and BVLC. */
#pragma once

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bacnet/npdu.h"
#include "bacnet/props.h"
#include "device/snapshot.h"

enum bac_service {
	/* confirmed */
	BAC_SVC_CONFIRMED_COV_NOTIFICATION = 1,
	BAC_SVC_SUBSCRIBE_COV = 5,
	BAC_SVC_READ_PROPERTY = 12,
	BAC_SVC_READ_PROPERTY_MULTIPLE = 14,
	BAC_SVC_WRITE_PROPERTY = 15,
	BAC_SVC_WRITE_PROPERTY_MULTIPLE = 16,
	/* unconfirmed */
	BAC_SVC_I_AM = 0,
	BAC_SVC_I_HAVE = 1,
	BAC_SVC_UNCONFIRMED_COV_NOTIFICATION = 2,
	BAC_SVC_WHO_HAS = 7,
	BAC_SVC_WHO_IS = 8,
};

/* Where a request came from, and so where its answer goes. */
struct bac_addr {
	struct sockaddr_in ip;          /* the B/IP address (the original source if forwarded) */
	struct npdu_route route;        /* SNET/SADR when a router relayed it */
};

/* Sends one APDU to [to], or to every device when [to] is NULL. */
typedef void (*bac_send_fn)(void *userdata, const struct bac_addr *to, bool expecting_reply,
			    const uint8_t *apdu, size_t len);

#define BAC_COV_MAX 64                  /* subscriptions held at once */
#define BAC_APDU_TIMEOUT_MS 3000        /* Device APDU_Timeout */
#define BAC_APDU_RETRIES 3              /* Device Number_Of_APDU_Retries */

struct bac_cov_sub {
	struct bac_addr subscriber;
	uint32_t process_id;
	const struct bac_object *o;
	bool confirmed;
	uint64_t expires_ms;            /* CLOCK_MONOTONIC */
	struct bac_obj_state sent;      /* as last notified */
	bool initial_pending;           /* new: the first notification is owed */
	bool awaiting_ack;              /* a confirmed notification is unanswered */
	uint8_t invoke_id;
	uint8_t retries;
	uint64_t sent_ms;
	uint8_t apdu[128];              /* the unanswered notification, for a retry */
	uint8_t apdu_len;
};

struct bac_services {
	uint32_t device_id;
	unsigned unit;                  /* bacnet.unit: 0 system, N unit N */
	in_port_t port;                 /* this device's UDP port, network order */
	uint32_t cov_lifetime_max_s;
	const struct snapshot *snap;    /* the latest, set before each call; may be NULL */
	uint64_t now_ms;                /* CLOCK_MONOTONIC, set before each call */
	bac_send_fn send;
	void *userdata;
	uint8_t next_invoke_id;
	size_t n_cov;
	struct bac_cov_sub cov[BAC_COV_MAX];
};

void bac_services_init(struct bac_services *sv, uint32_t device_id, unsigned unit, in_port_t port,
		       uint32_t cov_lifetime_max_s, bac_send_fn send, void *userdata);
/* One APDU from [from]; [broadcast]: it was addressed to every device. */
void bac_handle_apdu(struct bac_services *sv, const struct bac_addr *from, bool broadcast,
		     const uint8_t *apdu, size_t len);
/* I-Am to [to], or to every device when NULL. */
void bac_send_i_am(struct bac_services *sv, const struct bac_addr *to);
