/* Lookups over the generated map tables (tab_*.c). */
#include "device/maptab.h"

const struct map_def *map_get(enum ups_map m)
{
	switch (m) {
	case MAP_JBUSP:
		return &map_jbusp;
	case MAP_VUMAP:
		return &map_vumap;
	case MAP_STS:
		return &map_sts;
	default:
		return NULL;
	}
}

const char *map_type_range(const struct map_def *m, uint16_t code)
{
	if (!m)
		return NULL;
	for (size_t i = 0; i < m->n_types; i++)
		if (m->types[i].code == code)
			return m->types[i].range;
	return NULL;
}

const struct block_def *map_block(const struct map_def *m, enum block_role r)
{
	if (!m)
		return NULL;
	for (size_t i = 0; i < m->n_blocks; i++)
		if (m->blocks[i].role == r)
			return &m->blocks[i];
	return NULL;
}
