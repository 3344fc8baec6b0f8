/* Change-of-value reporting (ASHRAE 135 clause 13.1, 13.14): the
 * subscriptions of SubscribeCOV, with a lifetime capped by
 * bacnet.cov_lifetime_max, and the notifications sent when an object's
 * Present_Value or Status_Flags change (Analog Values: by at least their
 * COV_Increment, chosen per unit in bac_cov_increment). */
#pragma once

#include "bacnet/services.h"

float bac_cov_increment(const struct bac_object *o);

/* A SubscribeCOV request: writes the Simple-ACK or Error into [reply];
 * -errno for a malformed request (a Reject). The initial notification
 * owed to a new subscription follows with bac_cov_send_initial. */
int bac_cov_subscribe(struct bac_services *sv, const struct bac_addr *from, uint8_t invoke_id,
		      const uint8_t *params, size_t len, struct bac_buf *reply);
void bac_cov_send_initial(struct bac_services *sv);
/* Notifies every subscriber whose object changed (after a new snapshot). */
void bac_cov_check(struct bac_services *sv);
/* Drops expired subscriptions, resends unanswered confirmed notifications. */
void bac_cov_tick(struct bac_services *sv);
/* The answer (Simple-ACK, Error, Reject, Abort) to a confirmed notification. */
void bac_cov_answer(struct bac_services *sv, const struct bac_addr *from, uint8_t invoke_id);
/* Device Active_COV_Subscriptions: the list, application-encoded. */
void bac_cov_encode_active(const struct bac_services *sv, struct bac_buf *b);
