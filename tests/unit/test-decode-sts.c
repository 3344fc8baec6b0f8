/* STS decoding against hand-computed register dumps. */
#include <errno.h>

#include "maps-test.h"

/* Identity 0x0100 x32 (reference 0x0100, serial 0x0116), config 0x0120
 * x16, status 0x0140 x4, alarms 0x0148 x2, measurements 0x0220 x64. */
static void sts_blocks(struct dump *d)
{
	dump_block(d, 0x0100, 32);
	dump_block(d, 0x0120, 16);
	dump_block(d, 0x0140, 4);
	dump_block(d, 0x0148, 2);
	dump_block(d, 0x0220, 64);
}

/* Reference "STATYS 200", serial "ST1234", first character in the MSB. */
static void sts_identity_words(struct dump *d)
{
	dump_set(d, 0x0100, 0x5354);    /* "ST": 'S' = 0x53 in the MSB, 'T' = 0x54 */
	dump_set(d, 0x0101, 0x4154);    /* "AT" */
	dump_set(d, 0x0102, 0x5953);    /* "YS" */
	dump_set(d, 0x0103, 0x2032);    /* " 2" */
	dump_set(d, 0x0104, 0x3030);    /* "00" */
	dump_set(d, 0x0116, 0x5354);    /* "ST" */
	dump_set(d, 0x0117, 0x3132);    /* "12" */
	dump_set(d, 0x0118, 0x3334);    /* "34" */
}

static void case_identity(struct tap *t)
{
	struct dump d = { 0 };
	struct identity id;
	struct topology_info topo;
	struct level_data levels[4];
	struct regview v;

	sts_blocks(&d);
	sts_identity_words(&d);
	v = dump_view(&d, 0);
	CHECK_INT(t, decode_identity(&map_sts, &v, &id, &topo), 0, "sts: identity accepted");
	CHECK_STR(t, id.reference, "STATYS 200", "sts: reference MSB first");
	CHECK_STR(t, id.serial, "ST1234", "sts: serial MSB first");
	CHECK_INT(t, id.map, MAP_STS, "sts: map");
	CHECK_INT(t, topo.kind, TOPO_STS, "sts: topology");
	CHECK_INT(t, topology_levels(&topo, levels, 4), 1, "sts: one level");
}

static void case_not_a_map(struct tap *t)
{
	struct dump d = { 0 };
	struct identity id;
	struct topology_info topo;
	struct regview v;

	sts_blocks(&d);
	v = dump_view(&d, 0);
	CHECK_INT(t, decode_identity(&map_sts, &v, &id, &topo), -EINVAL,
		  "sts: empty reference -> -EINVAL");
	for (uint16_t a = 0x0100; a < 0x010A; a++)
		dump_set(&d, a, 0xFFFF);
	CHECK_INT(t, decode_identity(&map_sts, &v, &id, &topo), -EINVAL,
		  "sts: reference 0xFFFF -> -EINVAL");
	sts_identity_words(&d);
	dump_set(&d, 0x0105, 0x0000);   /* words 0x0105-0x0109 were 0xFFFF: clear them */
	dump_set(&d, 0x0106, 0x0000);
	dump_set(&d, 0x0107, 0x0000);
	dump_set(&d, 0x0108, 0x0000);
	dump_set(&d, 0x0109, 0x0000);
	CHECK_INT(t, decode_identity(&map_sts, &v, &id, &topo), 0, "sts: plausible again");
	dump_set(&d, 0x0140, 0xFFFF);   /* status word "not available" */
	CHECK_INT(t, decode_identity(&map_sts, &v, &id, &topo), -EINVAL,
		  "sts: status 0x0140 = 0xFFFF -> -EINVAL");
	dump_set(&d, 0x0140, 0x0000);
	dump_set(&d, 0x0117, 0x3101);   /* serial with a control character */
	CHECK_INT(t, decode_identity(&map_sts, &v, &id, &topo), -EINVAL,
		  "sts: non-printable serial -> -EINVAL");
	d.n = 0;
	dump_block(&d, 0x0100, 10);     /* reference only, serial not read */
	v = dump_view(&d, 0);
	CHECK_INT(t, decode_identity(&map_sts, &v, &id, &topo), -ENOENT,
		  "sts: serial block missing -> -ENOENT");
}

static void case_level(struct tap *t)
{
	struct dump d = { 0 };
	struct identity id;
	struct topology_info topo;
	struct level_data l;
	struct regview v;

	sts_blocks(&d);
	sts_identity_words(&d);
	/* 0x0140: S1 OK b0, S2 OK b6, synchronised b12 = 0x0001 | 0x0040 | 0x1000 */
	dump_set(&d, 0x0140, 0x1041);
	/* 0x0141: S1 preferred b0, on preferred b1, load on S1 b7 = 0x0083 */
	dump_set(&d, 0x0141, 0x0083);
	/* 0x0148: overload b3 = 0x0008; 0x0149: general alarm b15 = 0x8000 */
	dump_set(&d, 0x0148, 0x0008);
	dump_set(&d, 0x0149, 0x8000);
	dump_set(&d, 0x0220, 231);      /* S1 L1N 231 V (decided div 1) */
	dump_set(&d, 0x0226, 500);      /* S1 frequency, decided Hz*10: 50.0 Hz */
	dump_set(&d, 0x0227, 0xFFFF);   /* SS1 temperature not available */
	dump_set(&d, 0x022E, 499);      /* S2 frequency 49.9 Hz */
	dump_set(&d, 0x0230, 229);      /* output L1 229 V */
	dump_set(&d, 0x0238, 42);       /* output current I1 42 A */
	dump_set(&d, 0x023D, 35);       /* output load 35 % */
	dump_set(&d, 0x023F, 0xFFFD);   /* phase shift, signed: -3 degrees */
	dump_set(&d, 0x0240, 125);      /* apparent power L1, decided kVA*10: 12.5 kVA */
	dump_set(&d, 0x0243, 98);       /* power factor L1, decided x100: 0.98 */
	dump_set(&d, 0x0248, 14);       /* crest factor L1, decided x10: 1.4 */
	dump_set(&d, 0x024F, 27);       /* ambient 27 degC */
	dump_set(&d, 0x0253, 0);        /* global active power: a real 0 */
	v = dump_view(&d, 0);
	decode_identity(&map_sts, &v, &id, &topo);
	level_init(&l);
	decode_level(&map_sts, &id, &v, &l);
	CHECK(t, l.valid, "sts level: valid");
	CHECK_NEAR(t, l.meas[MEAS_STS_S1_V_L1], 231.0, "sts 0x0220 S1 L1N");
	CHECK_NEAR(t, l.meas[MEAS_STS_S1_FREQ], 50.0, "sts 0x0226 500 -> 50.0 Hz");
	CHECK_NEAR(t, l.meas[MEAS_STS_SS1_TEMP], NAN, "sts 0x0227 0xFFFF -> NAN");
	CHECK_NEAR(t, l.meas[MEAS_STS_S2_FREQ], 49.9, "sts 0x022E 499 -> 49.9 Hz");
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_V_L1], 229.0, "sts output voltage reuses OUTPUT_V_L1");
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_I_L1], 42.0, "sts 0x0238 42 A");
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_LOAD], 35.0, "sts 0x023D load");
	CHECK_NEAR(t, l.meas[MEAS_STS_PHASE_SHIFT], -3.0, "sts 0x023F 0xFFFD -> -3 deg");
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_S_L1], 12.5, "sts 0x0240 125 -> 12.5 kVA");
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_PF_L1], 0.98, "sts 0x0243 98 -> 0.98");
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_CF_L1], 1.4, "sts 0x0248 14 -> 1.4");
	CHECK_NEAR(t, l.meas[MEAS_AMBIENT_TEMP], 27.0, "sts 0x024F ambient");
	CHECK_NEAR(t, l.meas[MEAS_OUTPUT_P], 0.0, "sts 0x0253 0 stays 0");
	CHECK(t, model_flag(&l, FLAG_STS_S1_OK) && model_flag(&l, FLAG_STS_S2_OK),
	      "sts flags: S1 and S2 OK");
	CHECK(t, model_flag(&l, FLAG_STS_SYNCHRONISED), "sts 0x0140 b12 -> synchronised");
	CHECK(t, model_flag(&l, FLAG_STS_S1_PREFERRED), "sts 0x0141 b0 -> S1 preferred");
	CHECK(t, model_flag(&l, FLAG_STS_ON_S1), "sts 0x0141 b7 -> on S1");
	CHECK(t, model_flag(&l, FLAG_OVERLOAD), "sts 0x0148 b3 -> overload");
	CHECK(t, model_flag(&l, FLAG_GENERAL_ALARM), "sts 0x0149 b15 -> general alarm");
	CHECK(t, !model_flag(&l, FLAG_IMMINENT_STOP), "sts 0x0148 b0 clear");
	derive_level(&map_sts, &l);
	CHECK_INT(t, l.d.ups_status, UPS_STATUS_STS_ON_PREFERRED, "sts derive: on preferred source");
	CHECK_INT(t, l.d.output_source, OUTPUT_STS_S1, "sts derive: output on S1");
	CHECK_INT(t, l.d.sts_source1, SOURCE_OK, "sts derive: source 1 OK");
	CHECK_INT(t, l.d.sts_preferred, 1, "sts derive: S1 preferred");
	CHECK_INT(t, l.d.load_status, LOAD_OVERLOAD, "sts derive: overload alarm");
	CHECK_INT(t, l.d.n_alarms, 2, "sts derive: overload + general alarm");
	CHECK_INT(t, l.d.worst_alarm, LEVEL_WARNING, "sts derive: both warnings");
	CHECK_INT(t, l.d.battery_status, BATTERY_UNKNOWN, "sts derive: no battery");

	/* Manual bypass 1 (0x0141 b4) and imminent stop (0x0148 b0). */
	dump_set(&d, 0x0141, 0x0010);
	dump_set(&d, 0x0148, 0x0001);
	/* Source 2 absent (0x0140 b9) and critical (b7): absent wins */
	dump_set(&d, 0x0140, 0x0281);
	decode_level(&map_sts, &id, &v, &l);
	derive_level(&map_sts, &l);
	CHECK_INT(t, l.d.ups_status, UPS_STATUS_STS_MAINT_BYPASS1, "sts derive: maint bypass 1 beats imminent stop");
	CHECK_INT(t, l.d.output_source, OUTPUT_MAINT_BYPASS, "sts derive: output on maint bypass");
	CHECK_INT(t, l.d.load_status, LOAD_NOT_PROTECTED, "sts derive: maint bypass not protected");
	CHECK_INT(t, l.d.sts_source2, SOURCE_ABSENT, "sts derive: absent beats critical");
	CHECK_INT(t, l.d.sts_preferred, 2, "sts derive: S1 preferred bit clear -> 2");
	CHECK_INT(t, l.d.worst_alarm, LEVEL_CRITICAL, "sts derive: imminent stop is critical");
}

int main(void)
{
	struct tap t = { 0 };

	case_identity(&t);
	case_not_a_map(&t);
	case_level(&t);
	return tap_done(&t);
}
