/* The BACnet objects' values from a snapshot. Which part of the model
 * feeds which object is data (tab_objects.c, from objects.tsv); this file
 * only picks the level (002 §5.1), evaluates the rules and scales the
 * analog values the way 002 §5.2.2 tells supervisors to read them
 * (docs/bacnet-objects.md). */
#include "bacnet/objects.h"
#include "bacnet/objects_tab.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* BACnetDeviceStatus (ASHRAE 135 §12.11.9). */
enum {
	BAC_STATUS_OPERATIONAL = 0,
	BAC_STATUS_NON_OPERATIONAL = 4,
};

/* The manual's "Value = -1": what an unavailable measurement reads. */
#define BAC_NOT_AVAILABLE (-1.0f)

struct rule_ctx {
	const struct snapshot *s;
	const struct level_data *l;     /* NULL for the common objects */
	unsigned unit;
};

const struct bac_object *bac_object_find(enum bac_object_type type, uint32_t instance)
{
	size_t lo = 0, hi = bac_objects_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct bac_object *o = &bac_objects[mid];

		if (o->type == type && o->instance == instance)
			return o;
		if (o->type < type || (o->type == type && o->instance < instance))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct level_data *unit_level(const struct snapshot *s, unsigned unit)
{
	for (unsigned i = 1; i < s->n_levels && i < MODEL_MAX_LEVELS; i++) {
		const struct level_data *l = &s->levels[i];

		if (l->kind == LEVEL_UNIT && l->unit == unit && l->present)
			return l;
	}
	return NULL;
}

/* 002 §5.1: "UPS level" objects always read the system; "Unit" objects
 * read the system for unit 0 (a single UPS, or a parallel system in
 * concentrator mode) and unit N's level in multi-unit mode. */
static const struct level_data *object_level(const struct snapshot *s, enum bac_level level,
					     unsigned unit)
{
	if (s->n_levels == 0)
		return NULL;
	if (level == BAC_LEVEL_UNIT && unit != 0)
		return unit_level(s, unit);
	return &s->levels[0];
}

/* Only a known topology can lack the unit: before detection, nothing is missing. */
static bool unit_missing(const struct snapshot *s, unsigned unit)
{
	return unit != 0 && s->comm == COMM_OK && !unit_level(s, unit);
}

static bool word_bit(const uint16_t *words, unsigned n_words, unsigned bit)
{
	return bit / 16 < n_words && ((words[bit / 16] >> (bit % 16)) & 1);
}

static bool level_cond(const struct bac_rule *r, const struct rule_ctx *c)
{
	const struct level_data *l = c->l;

	switch (r->cond) {
	case BAC_COND_ALARMS_ACTIVE:
		return l->d.n_alarms > 0;
	case BAC_COND_FLAG:
		return r->arg < _FLAG_COUNT && model_flag(l, r->arg);
	case BAC_COND_UPS_STATUS:
		return l->d.ups_status == r->arg;
	case BAC_COND_OUTPUT_SOURCE:
		return l->d.output_source == r->arg;
	case BAC_COND_BATTERY_STATUS:
		return l->d.battery_status == r->arg;
	case BAC_COND_LOAD_STATUS:
		return l->d.load_status == r->arg;
	case BAC_COND_RECTIFIER:
		return l->d.rectifier == r->arg;
	case BAC_COND_INVERTER:
		return l->d.inverter == r->arg;
	case BAC_COND_BYPASS:
		return l->d.bypass == r->arg;
	case BAC_COND_WORST_ALARM:
		return l->d.worst_alarm == r->arg;
	case BAC_COND_STATUS_BIT:
		return c->s->id.map == r->map && word_bit(l->status, MODEL_STATUS_WORDS, r->arg);
	case BAC_COND_ALARM_BIT:
		return c->s->id.map == r->map && word_bit(l->alarms, MODEL_ALARM_WORDS, r->arg);
	default:
		return false;
	}
}

static bool rule_holds(const struct bac_rule *r, const struct rule_ctx *c)
{
	bool v;

	switch (r->cond) {
	case BAC_COND_COMM:
		v = c->s->comm == r->arg;
		break;
	case BAC_COND_UNIT_MISSING:
		v = unit_missing(c->s, c->unit);
		break;
	case BAC_COND_BATTERY_ABSENT:
		v = !c->s->id.battery_present;
		break;
	default:
		/* The generator allows level conditions on levelled objects only. */
		if (!c->l)
			return false;
		v = level_cond(r, c);
		break;
	}
	return v != r->negate;
}

/* 002 §5.2.2: the interface publishes raw values and the supervisor
 * applies the format's decimals, then divides factor_10 objects by 10
 * when Profile_Name says "factor_10". So Present_Value is the real value
 * times 10^decimals, times 10 again for a factor_10 object on a UPS whose
 * measurement factor is set (VU-MAP T014 = 1). */
static bool factor_10_applies(const struct snapshot *s)
{
	return s->id.map == MAP_VUMAP && s->id.meas_factor == 1;
}

static int av_value(const struct bac_object *o, const struct bac_binding *b,
		    const struct rule_ctx *c, bool ok, struct bac_value *out)
{
	double v, scale = 1;

	if (b->meas < 0 || b->meas >= _MEAS_COUNT)
		return -EINVAL;
	v = ok ? c->l->meas[b->meas] : NAN;
	if (!meas_available(v)) {
		out->v.real = BAC_NOT_AVAILABLE;
		return 0;
	}
	for (unsigned i = 0; i < b->decimals; i++)
		scale *= 10;
	if (o->factor_10 && factor_10_applies(c->s))
		scale *= 10;
	out->v.real = (float)(v * scale);
	out->reliable = true;
	return 0;
}

static void mv_value(const struct bac_binding *b, const struct rule_ctx *c, bool ok,
		     struct bac_value *out)
{
	out->v.state = b->fallback;
	if (!ok)
		return;
	out->reliable = true;
	for (unsigned i = 0; i < b->n_rules; i++) {
		if (rule_holds(&b->rules[i], c)) {
			out->v.state = b->rules[i].result;
			return;
		}
	}
}

static void bsv_value(const struct bac_binding *b, const struct rule_ctx *c, bool ok,
		      struct bac_value *out)
{
	if (!ok)
		return;
	out->reliable = true;
	for (unsigned i = 0; i < b->n_rules; i++)
		if (b->rules[i].result < 32 && rule_holds(&b->rules[i], c))
			out->v.bits |= UINT32_C(1) << b->rules[i].result;
}

int bac_object_value(const struct bac_object *o, const struct snapshot *s, unsigned unit,
		     struct bac_value *out)
{
	const struct bac_binding *b;
	struct rule_ctx c = { .s = s, .unit = unit };
	bool ok = true;

	if (!o || !s || !out)
		return -EINVAL;
	/* Only objects of the table have a binding, at the same index. */
	if (bac_object_find(o->type, o->instance) != o)
		return -ENOENT;
	b = &bac_bindings[o - bac_objects];
	memset(out, 0, sizeof(*out));
	if (b->level != BAC_LEVEL_COMMON) {
		c.l = object_level(s, b->level, unit);
		ok = s->comm == COMM_OK && c.l && c.l->valid;
	}
	switch (o->type) {
	case BAC_OBJ_ANALOG_VALUE:
		return av_value(o, b, &c, ok, out);
	case BAC_OBJ_MULTI_STATE_VALUE:
		mv_value(b, &c, ok, out);
		return 0;
	case BAC_OBJ_BITSTRING_VALUE:
		bsv_value(b, &c, ok, out);
		return 0;
	default:
		return -EINVAL;
	}
}

static const char *profile_name(const struct snapshot *s)
{
	if (s->id.map != MAP_VUMAP)
		return "N/A";
	return factor_10_applies(s) ? "factor_10" : "no_factor";
}

static void format_kva(char *buf, size_t size, double kva)
{
	if (!meas_available(kva) || kva <= 0)
		snprintf(buf, size, "N/A");
	else if (kva == floor(kva))
		snprintf(buf, size, "%.0f kVA", kva);
	else
		snprintf(buf, size, "%.1f kVA", kva);
}

void bac_device_info(const struct snapshot *s, unsigned unit, struct bac_device_info *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->location, sizeof(out->location), "%u", unit);
	if (!s) {
		snprintf(out->object_name, sizeof(out->object_name), "UPS");
		snprintf(out->model_name, sizeof(out->model_name), "N/A");
		snprintf(out->profile_name, sizeof(out->profile_name), "N/A");
		out->system_status = BAC_STATUS_OPERATIONAL;
		return;
	}
	snprintf(out->object_name, sizeof(out->object_name), "%s",
		 s->id.range[0] ? s->id.range : "UPS");
	format_kva(out->model_name, sizeof(out->model_name), s->id.nominal_kva);
	snprintf(out->description, sizeof(out->description), "%s", s->id.serial);
	snprintf(out->profile_name, sizeof(out->profile_name), "%s", profile_name(s));
	/* The model has no UPS clock: Local_Date/Local_Time are left out. */
	out->have_time = false;
	/* The gateway's one job is the UPS's data: without it, or with a
	 * unit the UPS does not have, it is not operational. */
	if (s->comm == COMM_LOST || unit_missing(s, unit))
		out->system_status = BAC_STATUS_NON_OPERATIONAL;
	else
		out->system_status = BAC_STATUS_OPERATIONAL;
}
