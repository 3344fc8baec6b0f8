#include "modbustcp/mbtcp_pdu.h"

#include <errno.h>
#include <stdbool.h>

#include "device/maptab.h"
#include "device/snapshot.h"

#define MBAP_LENGTH_MIN 2       /* unit id + function code */
#define MBAP_LENGTH_MAX (MBTCP_ADU_MAX - 6)
#define READ_PDU_LEN 5          /* function, address, quantity */
#define FC_READ_HOLDING 0x03
#define FC_READ_INPUT 0x04
#define FC_EXCEPTION 0x80

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

int mbtcp_frame_len(const uint8_t *buf, size_t len)
{
	uint16_t length;

	if (len < 6)
		return 0;
	length = get16(buf + 4);
	if (get16(buf + 2) != 0 || length < MBAP_LENGTH_MIN || length > MBAP_LENGTH_MAX)
		return -EBADMSG;
	return len < 6u + length ? 0 : 6 + length;
}

/* The UPS answers as unit 1 (the usual default of a BMS), 0 and 255 (the
 * Modbus TCP "this device" ids): the serial slave number stays a detail
 * of the RS-232 side. */
static bool unit_is_ups(uint8_t unit)
{
	return unit == 0 || unit == 1 || unit == 255;
}

/* Copies count words from the snapshot's raw blocks, big-endian. */
static bool copy_words(const struct mbtcp_source *src, uint32_t address, uint16_t count, uint8_t *out)
{
	for (uint16_t i = 0; i < count; i++) {
		uint16_t v;

		if (snapshot_reg(src->snap, src->slave, address + i, &v) < 0)
			return false;
		put16(out + 2 * i, v);
	}
	return true;
}

/* A served range lies inside one block of the map (map_def: the blocks
 * the manual documents) at the offset of one level of the snapshot, and
 * every word of it was read from the UPS. 0 or an exception code. */
static int read_range(const struct mbtcp_source *src, uint16_t address, uint16_t count, uint8_t *out)
{
	const struct snapshot *s = src->snap;
	const struct map_def *map = map_get(s->id.map);
	uint32_t first = address, end = (uint32_t)address + count;

	for (size_t i = 0; map && i < s->n_levels && i < MODEL_MAX_LEVELS; i++) {
		const struct level_data *l = &s->levels[i];
		uint32_t off = i == 0 ? 0 : level_offset(&src->addr, l->unit, l->module);

		if ((i > 0 && !l->present) || off > 0xFFFF)
			continue;
		for (size_t b = 0; b < map->n_blocks; b++) {
			uint32_t lo = map->blocks[b].address + off, hi = lo + map->blocks[b].words;

			if (first >= lo && end <= hi)
				return copy_words(src, first, count, out) ? 0 : MBTCP_EX_ILLEGAL_ADDRESS;
		}
	}
	return MBTCP_EX_ILLEGAL_ADDRESS;
}

/* Function 3 or 4 with the PDU after the function code: the data bytes
 * (byte count first) into out, their length; or -(exception code). */
static int read_registers(const struct mbtcp_source *src, const uint8_t *pdu, size_t pdu_len, uint8_t *out)
{
	uint16_t address, count;
	int r;

	if (pdu_len != READ_PDU_LEN)
		return -MBTCP_EX_ILLEGAL_VALUE;
	address = get16(pdu + 1);
	count = get16(pdu + 3);
	if (count < 1 || count > MBTCP_MAX_REGS)
		return -MBTCP_EX_ILLEGAL_VALUE;
	/* Stale values are worse than none: a BMS must see the loss. */
	if (!src->snap || src->snap->comm != COMM_OK)
		return -MBTCP_EX_GATEWAY_TARGET;
	r = read_range(src, address, count, out + 1);
	if (r)
		return -r;
	out[0] = (uint8_t)(2 * count);
	return 1 + 2 * count;
}

static int answer(const uint8_t *adu, uint8_t *resp, uint8_t function, size_t pdu_len)
{
	put16(resp, get16(adu));        /* transaction id */
	put16(resp + 2, 0);
	put16(resp + 4, (uint16_t)(2 + pdu_len));
	resp[6] = adu[6];
	resp[7] = function;
	return (int)(MBTCP_MBAP_HEADER + 1 + pdu_len);
}

static int exception(const uint8_t *adu, uint8_t *resp, int code)
{
	resp[8] = (uint8_t)code;
	return answer(adu, resp, adu[7] | FC_EXCEPTION, 1);
}

int mbtcp_reply(const struct mbtcp_source *src, const uint8_t *adu, size_t len,
		uint8_t *resp, size_t cap)
{
	const uint8_t *pdu = adu + MBTCP_MBAP_HEADER;
	size_t pdu_len;
	int r;

	if (cap < MBTCP_ADU_MAX)
		return -ENOBUFS;
	if (len > MBTCP_ADU_MAX || mbtcp_frame_len(adu, len) != (int)len)
		return -EBADMSG;
	pdu_len = len - MBTCP_MBAP_HEADER;
	if (!unit_is_ups(adu[6]))
		return exception(adu, resp, MBTCP_EX_GATEWAY_PATH);
	if (pdu[0] != FC_READ_HOLDING && pdu[0] != FC_READ_INPUT)
		return exception(adu, resp, MBTCP_EX_ILLEGAL_FUNCTION);
	r = read_registers(src, pdu, pdu_len, resp + MBTCP_MBAP_HEADER + 1);
	if (r < 0)
		return exception(adu, resp, -r);
	return answer(adu, resp, pdu[0], (size_t)r);
}
