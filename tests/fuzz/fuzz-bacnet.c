/* Fuzz the BACnet/IP receive path: arbitrary datagrams through the BVLC,
 * NPDU and APDU decoders into the service dispatcher (ReadProperty,
 * ReadPropertyMultiple, WriteProperty, SubscribeCOV, Who-Is, Who-Has...),
 * then the COV check and tick; also the tag decoder alone. Nothing may
 * crash, read out of bounds, or send an APDU longer than the client takes.
 * fuzz-sources: src/bacnet/codec.c src/bacnet/bvlc.c src/bacnet/npdu.c src/bacnet/apdu.c src/bacnet/props.c src/bacnet/device.c src/bacnet/services.c src/bacnet/cov.c src/bacnet/objects.c src/bacnet/tab_objects.c src/device/snapshot.c src/device/model.c src/device/meas.c src/device/derive.c src/device/maptab.c src/device/tab_jbusp.c src/device/tab_vumap.c src/device/tab_sts.c src/device/tab_types.c src/common/log.c
 * fuzz-pkgs: libsystemd
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bacnet/apdu.h"
#include "bacnet/bvlc.h"
#include "bacnet/cov.h"
#include "bacnet/npdu.h"
#include "bacnet/services.h"
#include "device/snapshot.h"

static void check_send(void *userdata, const struct bac_addr *to, bool expecting_reply,
		       const uint8_t *apdu, size_t len)
{
	if (len == 0 || len > BAC_APDU_MAX)
		__builtin_trap();
}

static void decode_tags(const uint8_t *p, size_t n)
{
	struct bac_reader r;
	struct bac_datum d;

	bac_reader_init(&r, p, n);
	while (!bac_at_end(&r)) {
		size_t before = r.pos;

		if (bac_dec_app(&r, &d) < 0 && bac_skip(&r) < 0)
			break;
		if (r.pos <= before || r.pos > n)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bac_services *sv = malloc(sizeof(*sv));
	struct snapshot *s = snapshot_new();
	struct bac_addr from = { .ip = { .sin_family = AF_INET, .sin_port = htons(47809) } };
	struct bvlc_msg m;
	struct npdu n;

	s->comm = size & 1 ? COMM_OK : COMM_LOST;
	s->n_levels = 1;
	s->levels[0].present = s->levels[0].valid = true;
	bac_services_init(sv, 1338, 0, htons(47808), 600, check_send, NULL);
	sv->snap = s;
	decode_tags(data, size);
	/* The datagram as it comes, and the same bytes as a bare APDU. */
	if (bvlc_decode(data, size, &m) == 0 && m.npdu && npdu_decode(m.npdu, m.npdu_len, &n) == 0 &&
	    npdu_for_us(&n) && !n.network_msg) {
		from.route = n.src;
		bac_handle_apdu(sv, &from, m.broadcast, n.body, n.body_len);
	}
	bac_handle_apdu(sv, &from, false, data, size);
	sv->now_ms += 5000;
	s->comm = COMM_OK;
	bac_cov_check(sv);
	bac_cov_tick(sv);
	snapshot_unref(s);
	free(sv);
	return 0;
}
