/* Fuzz the decoder: arbitrary register contents for every map, as a
 * broken or hostile serial peer could send them.
 * fuzz-sources: src/device/decode.c src/device/derive.c src/device/maptab.c src/device/meas.c src/device/model.c src/device/tab_jbusp.c src/device/tab_vumap.c src/device/tab_sts.c src/device/tab_types.c
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "device/decode.h"

/* The first byte picks the map; the rest fills each of the map's blocks
 * in turn (wrapping), so every block exists with fuzzed contents. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ups_map maps[] = { MAP_JBUSP, MAP_VUMAP, MAP_STS };
	static struct raw_block blocks[16];
	const struct map_def *map;
	struct identity id;
	struct topology_info topo;
	struct level_data level;
	struct regview view = { blocks, 0, 0 };
	size_t pos = 1;

	if (size < 2)
		return 0;
	map = map_get(maps[data[0] % 3]);
	for (size_t b = 0; b < map->n_blocks && b < 16; b++) {
		struct raw_block *rb = &blocks[b];

		rb->slave = 1;
		rb->address = map->blocks[b].address;
		rb->count = map->blocks[b].words > 125 ? 125 : map->blocks[b].words;
		for (size_t w = 0; w < rb->count; w++, pos += 2)
			rb->regs[w] = (uint16_t)(data[pos % size] << 8 | data[(pos + 1) % size]);
		view.n_blocks = b + 1;
	}
	memset(&id, 0, sizeof(id));
	memset(&topo, 0, sizeof(topo));
	if (decode_identity(map, &view, &id, &topo) < 0)
		return 0;
	memset(&level, 0, sizeof(level));
	decode_level(map, &id, &view, &level);
	derive_level(map, &level);
	decode_topology_status(map, &level, &topo);
	/* Names of whatever was decoded must exist. */
	if (!ups_status_text(level.d.ups_status) || !topology_name(topo.kind))
		__builtin_trap();
	return 0;
}
