/* The NET VISION MIBs: SOCOMECUPS7-MIB under .1.3.6.1.4.1.4555.1.1.7 and
 * the legacy tree under .1.3.6.1.4.1.4555.1.1.1 that NUT's snmp-ups
 * "netvision" mapping reads. UPS MIBs: an STS serves the STS MIB instead
 * (manual §15.8: the UPS MIBs are "for UPS only"). */
#include "snmp/mib_values.h"

void mib_build_netvision(struct mib_builder *b, const struct mib_source *src)
{
	if (mib_device_is_sts(src))
		return;
	mib_objects_build(b, src, &mib_nv7);
	mib_objects_build(b, src, &mib_nvlegacy);
}
