/* The STS MIB (SOCOMECUPSSTS-MIB, .1.3.6.1.4.1.4555.1.1.10), served only
 * when the device is a static transfer switch. */
#include "snmp/mib_values.h"

void mib_build_sts(struct mib_builder *b, const struct mib_source *src)
{
	if (mib_device_is_sts(src))
		mib_objects_build(b, src, &mib_sts);
}
