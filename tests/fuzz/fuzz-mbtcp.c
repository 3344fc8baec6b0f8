/* The Modbus TCP request handler under arbitrary bytes, framed as the
 * server frames a connection's input: every ADU answered in order until
 * the input ends or a frame is malformed. A synthetic VU-MAP parallel UPS
 * (system + 2 units) answers; the first byte picks comm ok or lost.
 * fuzz-sources: src/modbustcp/mbtcp_pdu.c src/device/snapshot.c src/device/decode.c src/device/maptab.c src/device/meas.c src/device/model.c src/device/tab_jbusp.c src/device/tab_vumap.c src/device/tab_sts.c src/device/tab_types.c src/common/log.c
 * fuzz-pkgs: libsystemd
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device/maptab.h"
#include "device/snapshot.h"
#include "modbustcp/mbtcp_pdu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct snapshot *synthetic_ups(void)
{
	struct snapshot *s = snapshot_new();

	if (!s)
		abort();
	s->comm = COMM_OK;
	s->id.map = MAP_VUMAP;
	s->n_levels = 3;
	for (uint8_t l = 0; l < 3; l++) {
		s->levels[l].kind = l ? LEVEL_UNIT : LEVEL_SYSTEM;
		s->levels[l].unit = l;
		s->levels[l].present = true;
		for (size_t b = 0; b < map_vumap.n_blocks; b++) {
			struct raw_block *rb = &s->raw[s->n_raw++];

			rb->slave = 1;
			rb->address = (uint16_t)(map_vumap.blocks[b].address + l * 0x1000);
			rb->count = map_vumap.blocks[b].words;
			for (uint16_t i = 0; i < rb->count; i++)
				rb->regs[i] = (uint16_t)(rb->address + i);
		}
	}
	return s;
}

static void fail(const char *what, size_t at)
{
	fprintf(stderr, "fuzz-mbtcp: %s at byte %zu\n", what, at);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct snapshot *ups;
	struct mbtcp_source src;
	uint8_t resp[MBTCP_ADU_MAX];
	size_t pos = 1;

	if (!ups)
		ups = synthetic_ups();
	if (size < 1)
		return 0;
	ups->comm = data[0] & 1 ? COMM_LOST : COMM_OK;
	src = (struct mbtcp_source){ .snap = data[0] & 2 ? NULL : ups, .addr = { 0x1000, 0x0100 }, .slave = 1 };
	while (pos < size) {
		size_t left = size - pos;
		size_t window = left > MBTCP_ADU_MAX ? MBTCP_ADU_MAX : left;   /* the server's input cap */
		int n = mbtcp_frame_len(data + pos, window);
		int r;

		if (n == 0 && window == MBTCP_ADU_MAX)
			fail("a full input buffer still asks for more", pos);
		if (n <= 0)
			break;
		if ((size_t)n > window)
			fail("frame longer than the input", pos);
		r = mbtcp_reply(&src, data + pos, (size_t)n, resp, sizeof(resp));
		if (r < 9 || r > MBTCP_ADU_MAX)
			fail("a framed request got no valid response", pos);
		if (memcmp(resp, data + pos, 2) != 0 || resp[6] != data[pos + 6] ||
		    (size_t)((resp[4] << 8 | resp[5]) + 6) != (size_t)r)
			fail("response header does not match", pos);
		if ((resp[7] & 0x7f) != (data[pos + 7] & 0x7f))
			fail("response function differs", pos);
		if (!(resp[7] & 0x80) && (ups->comm != COMM_OK || !src.snap))
			fail("data served while comm is not ok", pos);
		pos += (size_t)n;
	}
	return 0;
}
