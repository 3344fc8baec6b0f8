/* The Modbus TCP request handler: MBAP framing, every exception, whole
 * blocks and single words of each map, reads across blocks, unread words,
 * unit and module levels, comm lost, response sizes. */
#include <errno.h>

#include "device/maptab.h"
#include "device/snapshot.h"
#include "maps-test.h"
#include "modbustcp/mbtcp_pdu.h"

#define SLAVE 1

static struct tap t;

/* The value the synthetic UPS holds at a device address. */
static uint16_t pattern(uint32_t address)
{
	return (uint16_t)(address * 7 + 0x1234);
}

static void add_block(struct snapshot *s, uint32_t address, uint16_t words)
{
	struct raw_block *b = &s->raw[s->n_raw++];

	b->slave = SLAVE;
	b->address = (uint16_t)address;
	b->count = words;
	for (uint16_t i = 0; i < words; i++)
		b->regs[i] = pattern(address + i);
}

/* Every block of [map] at the system level (offset 0) and at [offsets]
 * of the extra levels, all read. */
static struct snapshot *ups(enum ups_map map, size_t n_units, const uint32_t *offsets)
{
	const struct map_def *def = map_get(map);
	struct snapshot *s = snapshot_new();

	s->comm = COMM_OK;
	s->id.map = map;
	s->n_levels = (uint8_t)(1 + n_units);
	s->levels[0] = (struct level_data){ .kind = LEVEL_SYSTEM, .present = true, .valid = true };
	for (size_t u = 0; u < n_units; u++)
		s->levels[1 + u] = (struct level_data){ .kind = LEVEL_UNIT, .unit = (uint8_t)(u + 1),
						       .present = true, .valid = true };
	for (size_t b = 0; b < def->n_blocks; b++) {
		add_block(s, def->blocks[b].address, def->blocks[b].words);
		for (size_t u = 0; u < n_units; u++)
			add_block(s, def->blocks[b].address + offsets[u], def->blocks[b].words);
	}
	return s;
}

static struct mbtcp_source source(const struct snapshot *s)
{
	return (struct mbtcp_source){ .snap = s, .addr = { 0x1000, 0x0100 }, .slave = SLAVE };
}

static size_t request(uint8_t *adu, uint16_t tid, uint8_t unit, uint8_t fc, uint16_t address, uint16_t count)
{
	uint8_t r[] = { tid >> 8, tid & 0xff, 0, 0, 0, 6, unit, fc,
			address >> 8, address & 0xff, count >> 8, count & 0xff };

	memcpy(adu, r, sizeof(r));
	return sizeof(r);
}

/* Sends one read; returns the exception code, 0 for data (checked
 * against the pattern), or -1 if the response itself is wrong. */
static int read_regs(const struct mbtcp_source *src, uint8_t unit, uint8_t fc, uint16_t address, uint16_t count)
{
	uint8_t adu[MBTCP_ADU_MAX], resp[MBTCP_ADU_MAX];
	size_t len = request(adu, 0xBEEF, unit, fc, address, count);
	int n = mbtcp_reply(src, adu, len, resp, sizeof(resp));

	if (n < 9 || resp[0] != 0xBE || resp[1] != 0xEF || resp[2] || resp[3] || resp[6] != unit ||
	    (resp[4] << 8 | resp[5]) != n - 6)
		return -1;
	if (resp[7] == (fc | 0x80))
		return n == 9 ? resp[8] : -1;
	if (resp[7] != fc || resp[8] != 2 * count || n != 9 + 2 * count)
		return -1;
	for (uint16_t i = 0; i < count; i++)
		if ((resp[9 + 2 * i] << 8 | resp[10 + 2 * i]) != pattern((uint32_t)address + i))
			return -1;
	return 0;
}

static void test_framing(void)
{
	uint8_t adu[MBTCP_ADU_MAX] = { 0 };
	size_t len = request(adu, 1, 1, 3, 0x40, 1);

	tap_int(&t, mbtcp_frame_len(adu, 0), 0, "empty: need more");
	tap_int(&t, mbtcp_frame_len(adu, 5), 0, "5 bytes: need more");
	tap_int(&t, mbtcp_frame_len(adu, len - 1), 0, "partial PDU: need more");
	tap_int(&t, mbtcp_frame_len(adu, len), (long)len, "whole ADU");
	tap_int(&t, mbtcp_frame_len(adu, sizeof(adu)), (long)len, "ADU followed by more bytes");
	adu[2] = 1;
	tap_int(&t, mbtcp_frame_len(adu, len), -EBADMSG, "protocol id 0x0100 malformed");
	adu[2] = 0;
	adu[3] = 1;
	tap_int(&t, mbtcp_frame_len(adu, len), -EBADMSG, "protocol id 1 malformed");
	adu[3] = 0;
	for (unsigned l = 0; l < 2; l++) {
		adu[5] = (uint8_t)l;
		tap_int(&t, mbtcp_frame_len(adu, len), -EBADMSG, "length field %u malformed", l);
	}
	adu[4] = 0;
	adu[5] = 254;
	tap_int(&t, mbtcp_frame_len(adu, 6), 0, "length 254 accepted, waits for 260 bytes");
	tap_int(&t, mbtcp_frame_len(adu, MBTCP_ADU_MAX), MBTCP_ADU_MAX, "length 254: 260-byte ADU");
	adu[5] = 255;
	tap_int(&t, mbtcp_frame_len(adu, 6), -EBADMSG, "length 255 malformed");
	adu[4] = 0xff;
	adu[5] = 0xff;
	tap_int(&t, mbtcp_frame_len(adu, 6), -EBADMSG, "length 65535 malformed");
}

static void test_reply_guards(const struct mbtcp_source *src)
{
	uint8_t adu[MBTCP_ADU_MAX], resp[MBTCP_ADU_MAX];
	size_t len = request(adu, 1, 1, 3, 0x40, 1);

	tap_int(&t, mbtcp_reply(src, adu, len, resp, MBTCP_ADU_MAX - 1), -ENOBUFS, "small output refused");
	tap_int(&t, mbtcp_reply(src, adu, len - 1, resp, sizeof(resp)), -EBADMSG, "short ADU refused");
	tap_int(&t, mbtcp_reply(src, adu, len + 1, resp, sizeof(resp)), -EBADMSG, "ADU longer than its length");
	adu[2] = 9;
	tap_int(&t, mbtcp_reply(src, adu, len, resp, sizeof(resp)), -EBADMSG, "bad protocol id refused");
}

static void test_functions(const struct mbtcp_source *src)
{
	static const uint8_t refused[] = { 0x01, 0x02, 0x05, 0x06, 0x0F, 0x10, 0x16, 0x17, 0x2B, 0x83, 0x00, 0xFF };
	uint8_t adu[MBTCP_ADU_MAX], resp[MBTCP_ADU_MAX];
	/* Write Single Register 0x0040 = 5, and a 2-byte PDU. */
	uint8_t write[] = { 0, 7, 0, 0, 0, 6, 1, 0x06, 0x00, 0x40, 0x00, 0x05 };
	uint8_t bare[] = { 0, 8, 0, 0, 0, 2, 1, 0x10 };
	int n;

	for (size_t i = 0; i < sizeof(refused); i++)
		tap_int(&t, read_regs(src, 1, refused[i], 0x40, 1), MBTCP_EX_ILLEGAL_FUNCTION,
			"function 0x%02x: illegal function", refused[i]);
	n = mbtcp_reply(src, write, sizeof(write), resp, sizeof(resp));
	CHECK(&t, n == 9 && resp[7] == 0x86 && resp[8] == 1 && resp[1] == 7, "write single register: 0x86 01");
	n = mbtcp_reply(src, bare, sizeof(bare), resp, sizeof(resp));
	CHECK(&t, n == 9 && resp[7] == 0x90 && resp[8] == 1, "bare function 0x10: 0x90 01");
	/* function 3 with a PDU of the wrong size */
	request(adu, 1, 1, 3, 0x40, 1);
	adu[5] = 5;
	n = mbtcp_reply(src, adu, 11, resp, sizeof(resp));
	CHECK(&t, n == 9 && resp[7] == 0x83 && resp[8] == 3, "4-byte read PDU: illegal data value");
	adu[5] = 7;
	n = mbtcp_reply(src, adu, 13, resp, sizeof(resp));
	CHECK(&t, n == 9 && resp[7] == 0x83 && resp[8] == 3, "6-byte read PDU: illegal data value");
}

static void test_counts_and_units(const struct mbtcp_source *src)
{
	tap_int(&t, read_regs(src, 1, 3, 0x40, 0), MBTCP_EX_ILLEGAL_VALUE, "count 0");
	tap_int(&t, read_regs(src, 1, 3, 0x40, 126), MBTCP_EX_ILLEGAL_VALUE, "count 126");
	tap_int(&t, read_regs(src, 1, 3, 0x40, 0xFFFF), MBTCP_EX_ILLEGAL_VALUE, "count 65535");
	tap_int(&t, read_regs(src, 1, 3, 0x40, 125), MBTCP_EX_ILLEGAL_ADDRESS, "count 125 beyond the block");
	tap_int(&t, read_regs(src, 0, 3, 0x40, 1), 0, "unit 0 is the UPS");
	tap_int(&t, read_regs(src, 255, 3, 0x40, 1), 0, "unit 255 is the UPS");
	tap_int(&t, read_regs(src, 2, 3, 0x40, 1), MBTCP_EX_GATEWAY_PATH, "unit 2: gateway path unavailable");
	tap_int(&t, read_regs(src, 247, 6, 0x40, 1), MBTCP_EX_GATEWAY_PATH, "unit 247 write: path first");
}

/* Whole blocks, single words (first and last), and the words just
 * outside each block, with functions 3 and 4. */
static void test_blocks(enum ups_map map)
{
	const struct map_def *def = map_get(map);
	struct snapshot *s = ups(map, 0, NULL);
	struct mbtcp_source src = source(s);

	for (size_t b = 0; b < def->n_blocks; b++) {
		const struct block_def *bl = &def->blocks[b];
		uint16_t last = (uint16_t)(bl->address + bl->words - 1);

		tap_int(&t, read_regs(&src, 1, 3, bl->address, bl->words), 0, "%s %s 0x%04x x%u (fc 3)",
			def->name, bl->name, bl->address, bl->words);
		tap_int(&t, read_regs(&src, 1, 4, bl->address, bl->words), 0, "%s %s (fc 4)", def->name, bl->name);
		tap_int(&t, read_regs(&src, 1, 3, bl->address, 1), 0, "%s %s first word", def->name, bl->name);
		tap_int(&t, read_regs(&src, 1, 4, last, 1), 0, "%s %s last word", def->name, bl->name);
		tap_int(&t, read_regs(&src, 1, 3, (uint16_t)(bl->address + 1), (uint16_t)(bl->words - 1)), 0,
			"%s %s part of the table", def->name, bl->name);
		tap_int(&t, read_regs(&src, 1, 3, bl->address, (uint16_t)(bl->words + 1)),
			MBTCP_EX_ILLEGAL_ADDRESS, "%s %s one word too many", def->name, bl->name);
		tap_int(&t, read_regs(&src, 1, 3, (uint16_t)(bl->address - 1), 2), MBTCP_EX_ILLEGAL_ADDRESS,
			"%s %s across its start", def->name, bl->name);
	}
	tap_int(&t, read_regs(&src, 1, 3, 0x0000, 1), MBTCP_EX_ILLEGAL_ADDRESS, "%s address 0", def->name);
	tap_int(&t, read_regs(&src, 1, 3, 0xFFFF, 2), MBTCP_EX_ILLEGAL_ADDRESS, "%s read past 0xFFFF", def->name);
	snapshot_unref(s);
}

/* Adjacent blocks: a read that spans both is refused. */
static void test_across_blocks(void)
{
	struct snapshot *s = ups(MAP_VUMAP, 0, NULL);
	struct mbtcp_source src = source(s);

	tap_int(&t, read_regs(&src, 1, 3, 0x0030, 16), MBTCP_EX_ILLEGAL_ADDRESS, "VU-MAP status+alarms in one read");
	tap_int(&t, read_regs(&src, 1, 3, 0x0037, 2), MBTCP_EX_ILLEGAL_ADDRESS, "VU-MAP last status + first alarm");
	tap_int(&t, read_regs(&src, 1, 3, 0x003F, 2), MBTCP_EX_ILLEGAL_ADDRESS, "VU-MAP last alarm + first measurement");
	tap_int(&t, read_regs(&src, 1, 3, 0x0024, 1), MBTCP_EX_ILLEGAL_ADDRESS, "VU-MAP gap after the identity");
	tap_int(&t, read_regs(&src, 1, 3, 0x0001, 35), 0, "VU-MAP T001-T015, serial and reference in one read");
	tap_int(&t, read_regs(&src, 1, 3, 0x0010, 10), 0, "VU-MAP serial number R000");
	tap_int(&t, read_regs(&src, 1, 3, 0x001A, 10), 0, "VU-MAP reference R001");
	/* a word between blocks that a coalesced read brought in stays hidden */
	add_block(s, 0x0024, 12);
	tap_int(&t, read_regs(&src, 1, 3, 0x0024, 1), MBTCP_EX_ILLEGAL_ADDRESS, "VU-MAP gap word read through");
	snapshot_unref(s);
}

static void test_unread(void)
{
	struct snapshot *s = ups(MAP_JBUSP, 0, NULL);
	struct mbtcp_source src = source(s);

	/* drop the config block 0x10E0 */
	for (size_t i = 0; i < s->n_raw; i++)
		if (s->raw[i].address == 0x10E0)
			s->raw[i].count = 4;
	tap_int(&t, read_regs(&src, 1, 3, 0x10E0, 4), 0, "JBUSP config words read");
	tap_int(&t, read_regs(&src, 1, 3, 0x10E0, 5), MBTCP_EX_ILLEGAL_ADDRESS, "JBUSP config word never read");
	tap_int(&t, read_regs(&src, 1, 3, 0x10E8, 1), MBTCP_EX_ILLEGAL_ADDRESS, "JBUSP config word never read, single");
	src.slave = 2;
	tap_int(&t, read_regs(&src, 1, 3, 0x1020, 1), MBTCP_EX_ILLEGAL_ADDRESS, "blocks of another slave unused");
	snapshot_unref(s);
}

static void test_levels(void)
{
	static const uint32_t offsets[] = { 0x1000, 0x2000 };
	struct snapshot *s = ups(MAP_VUMAP, 2, offsets);
	struct mbtcp_source src = source(s);

	tap_int(&t, read_regs(&src, 1, 3, 0x1030, 8), 0, "unit 1 status at 0x1030");
	tap_int(&t, read_regs(&src, 1, 4, 0x2040, 80), 0, "unit 2 measurements at 0x2040");
	tap_int(&t, read_regs(&src, 1, 3, 0x208F, 1), 0, "unit 2 last measurement word");
	tap_int(&t, read_regs(&src, 1, 3, 0x2030, 16), MBTCP_EX_ILLEGAL_ADDRESS, "unit 2 across blocks");
	tap_int(&t, read_regs(&src, 1, 3, 0x3030, 1), MBTCP_EX_ILLEGAL_ADDRESS, "unit 3 absent");
	s->levels[2].present = false;
	tap_int(&t, read_regs(&src, 1, 3, 0x2030, 1), MBTCP_EX_ILLEGAL_ADDRESS, "unit 2 no longer present");
	src.addr.unit_stride = 0;
	tap_int(&t, read_regs(&src, 1, 3, 0x1030, 1), MBTCP_EX_ILLEGAL_ADDRESS, "unit stride 0: units not served");
	tap_int(&t, read_regs(&src, 1, 3, 0x0030, 1), 0, "unit stride 0: system still served");
	snapshot_unref(s);

	/* a module of a modular unit: module 2 at 0x0200 */
	s = ups(MAP_VUMAP, 1, (const uint32_t[]){ 0x0200 });
	s->levels[1] = (struct level_data){ .kind = LEVEL_MODULE, .module = 2, .present = true };
	src = source(s);
	tap_int(&t, read_regs(&src, 1, 3, 0x0240, 10), 0, "module 2 measurements at 0x0240");
	snapshot_unref(s);
}

static void test_comm(void)
{
	struct snapshot *s = ups(MAP_STS, 0, NULL);
	struct mbtcp_source src = source(s);

	tap_int(&t, read_regs(&src, 1, 3, 0x0140, 4), 0, "STS status while comm ok");
	s->comm = COMM_LOST;
	tap_int(&t, read_regs(&src, 1, 3, 0x0140, 4), MBTCP_EX_GATEWAY_TARGET, "comm lost: 0x0B");
	tap_int(&t, read_regs(&src, 1, 3, 0x0000, 4), MBTCP_EX_GATEWAY_TARGET, "comm lost, any address: 0x0B");
	tap_int(&t, read_regs(&src, 1, 6, 0x0140, 4), MBTCP_EX_ILLEGAL_FUNCTION, "comm lost, write: still 0x01");
	s->comm = COMM_STARTING;
	tap_int(&t, read_regs(&src, 1, 3, 0x0140, 4), MBTCP_EX_GATEWAY_TARGET, "not yet detected: 0x0B");
	src.snap = NULL;
	tap_int(&t, read_regs(&src, 1, 4, 0x0140, 4), MBTCP_EX_GATEWAY_TARGET, "no snapshot: 0x0B");
	snapshot_unref(s);
}

static void test_sizes(void)
{
	struct snapshot *s = ups(MAP_VUMAP, 0, NULL);
	struct mbtcp_source src = source(s);
	uint8_t adu[MBTCP_ADU_MAX], resp[MBTCP_ADU_MAX];
	size_t len = request(adu, 0x0102, 1, 4, 0x0040, 80);

	tap_int(&t, mbtcp_reply(&src, adu, len, resp, sizeof(resp)), 9 + 160, "80 words: 169-byte response");
	tap_int(&t, resp[4] << 8 | resp[5], 163, "80 words: MBAP length 163");
	tap_int(&t, resp[0] << 8 | resp[1], 0x0102, "transaction id echoed");
	/* the largest legal request frame: 254 in the length field */
	memset(adu, 0, sizeof(adu));
	adu[5] = 254;
	adu[6] = 1;
	adu[7] = 3;
	tap_int(&t, mbtcp_reply(&src, adu, MBTCP_ADU_MAX, resp, sizeof(resp)), 9,
		"260-byte read request: one exception");
	tap_int(&t, resp[8], MBTCP_EX_ILLEGAL_VALUE, "260-byte read request: illegal data value");
	snapshot_unref(s);
}

int main(void)
{
	struct snapshot *s = ups(MAP_VUMAP, 0, NULL);
	struct mbtcp_source src = source(s);

	test_framing();
	test_reply_guards(&src);
	test_functions(&src);
	test_counts_and_units(&src);
	snapshot_unref(s);
	test_blocks(MAP_JBUSP);
	test_blocks(MAP_VUMAP);
	test_blocks(MAP_STS);
	test_across_blocks();
	test_unread();
	test_levels();
	test_comm();
	test_sizes();
	printf("1..%d\n", t.n);
	return t.failed ? 1 : 0;
}
