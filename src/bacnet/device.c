/* The Device object (002 §5.2.1): identity from the UPS, protocol
 * capabilities of this implementation, the object list. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bacnet/apdu.h"
#include "bacnet/cov.h"
#include "bacnet/props.h"
#include "bacnet/services.h"

#define PROTOCOL_VERSION 1
#define PROTOCOL_REVISION 14            /* Property_List on every object */
#define SEGMENTATION_NONE 3
#define DATABASE_REVISION 1             /* the object set never changes */
#define SERVICES_BITS 44                /* BACnetServicesSupported, revision 14 */
#define OBJECT_TYPES_BITS 60            /* BACnetObjectTypesSupported, revision 14 */

/* What this device executes (Protocol_Services_Supported bit numbers). */
static const uint8_t services_executed[] = {
	BAC_SVC_SUBSCRIBE_COV, BAC_SVC_READ_PROPERTY, BAC_SVC_READ_PROPERTY_MULTIPLE,
	BAC_SVC_WRITE_PROPERTY, 33 /* who-Has */, 34 /* who-Is */,
};

static const uint8_t object_types[] = {
	BAC_OBJ_ANALOG_VALUE, BAC_OBJ_DEVICE, BAC_OBJ_MULTI_STATE_VALUE, BAC_OBJ_BITSTRING_VALUE,
};

static void enc_bit_set(struct bac_buf *b, const uint8_t *set, size_t n, unsigned nbits)
{
	uint8_t bits[8] = { 0 };

	for (size_t i = 0; i < n; i++)
		bits[set[i] / 8] |= (uint8_t)(0x80 >> (set[i] % 8));
	bac_enc_bits(b, bits, nbits);
}

static void device_info(const struct bac_services *sv, struct bac_device_info *info)
{
	memset(info, 0, sizeof(*info));
	if (sv->snap)
		bac_device_info(sv->snap, sv->unit, info);
}

void bac_device_name(const struct bac_services *sv, char *out, size_t len)
{
	struct bac_device_info info;

	device_info(sv, &info);
	/* Object_Name must never be empty: before the UPS is known, a name
	 * unique on the network from the device instance. */
	if (info.object_name[0])
		snprintf(out, len, "%s", info.object_name);
	else
		snprintf(out, len, "upsgate-%u", (unsigned)sv->device_id);
}

/* The UPS clock (002: Local_Date/Local_Time = UPS time), or this host's
 * when the UPS has none. */
static void local_date_time(const struct bac_device_info *info, struct bac_date *d, struct bac_time *t)
{
	struct tm tm;
	time_t now;

	if (info->have_time) {
		*d = (struct bac_date) { info->ups_time.year, info->ups_time.month, info->ups_time.day,
					 info->ups_time.wday >= 1 && info->ups_time.wday <= 7
					 ? info->ups_time.wday : BAC_UNSPECIFIED };
		*t = (struct bac_time) { info->ups_time.hour, info->ups_time.min, info->ups_time.sec, 0 };
		return;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	*d = (struct bac_date) { (uint16_t)(tm.tm_year + 1900), (uint8_t)(tm.tm_mon + 1), (uint8_t)tm.tm_mday,
				 (uint8_t)(tm.tm_wday == 0 ? 7 : tm.tm_wday) };
	*t = (struct bac_time) { (uint8_t)tm.tm_hour, (uint8_t)tm.tm_min, (uint8_t)tm.tm_sec, 0 };
}

/* BACnet counts minutes west of UTC, standard time. */
static int32_t utc_offset_min(bool *dst)
{
	struct tm tm;
	time_t now = time(NULL);

	localtime_r(&now, &tm);
	*dst = tm.tm_isdst > 0;
	return (int32_t)(-(tm.tm_gmtoff / 60) + (tm.tm_isdst > 0 ? 60 : 0));
}

static int enc_object_list(uint32_t index, struct bac_buf *b, struct bac_err *err, uint32_t device_id)
{
	size_t n = 1 + bac_objects_count;

	if (index == 0) {
		bac_enc_unsigned(b, (uint32_t)n);
		return 0;
	}
	if (index != BAC_ARRAY_ALL && index > n) {
		err->cls = BAC_ERRCLASS_PROPERTY;
		err->code = BAC_ERR_INVALID_ARRAY_INDEX;
		return -EINVAL;
	}
	for (size_t i = 1; i <= n; i++) {
		if (index != BAC_ARRAY_ALL && index != i)
			continue;
		if (i == 1)
			bac_enc_objid(b, BAC_OBJ_DEVICE, device_id);
		else
			bac_enc_objid(b, bac_objects[i - 2].type, bac_objects[i - 2].instance);
	}
	return 0;
}

static int enc_time_prop(uint32_t prop, const struct bac_device_info *info, struct bac_buf *b)
{
	struct bac_date d;
	struct bac_time t;
	bool dst;

	local_date_time(info, &d, &t);
	if (prop == BAC_PROP_LOCAL_DATE)
		bac_enc_date(b, &d);
	else if (prop == BAC_PROP_LOCAL_TIME)
		bac_enc_time(b, &t);
	else if (prop == BAC_PROP_UTC_OFFSET)
		bac_enc_signed(b, utc_offset_min(&dst));
	else {
		utc_offset_min(&dst);
		bac_enc_bool(b, dst);
	}
	return 0;
}

int bac_device_encode(const struct bac_services *sv, uint32_t prop, uint32_t index,
		      struct bac_buf *b, struct bac_err *err)
{
	struct bac_device_info info;
	char name[64];

	device_info(sv, &info);
	switch (prop) {
	case BAC_PROP_OBJECT_NAME:
		bac_device_name(sv, name, sizeof(name));
		bac_enc_string(b, name);
		return 0;
	case BAC_PROP_SYSTEM_STATUS: bac_enc_enum(b, info.system_status); return 0;
	case BAC_PROP_VENDOR_NAME: bac_enc_string(b, BAC_VENDOR_NAME); return 0;
	case BAC_PROP_VENDOR_IDENTIFIER: bac_enc_unsigned(b, BAC_VENDOR_ID); return 0;
	case BAC_PROP_MODEL_NAME: bac_enc_string(b, info.model_name); return 0;
	case BAC_PROP_FIRMWARE_REVISION: bac_enc_string(b, PACKAGE_VERSION); return 0;
	case BAC_PROP_APPLICATION_SOFTWARE_VERSION: bac_enc_string(b, "upsgated " PACKAGE_VERSION); return 0;
	case BAC_PROP_LOCATION: bac_enc_string(b, info.location); return 0;
	case BAC_PROP_DESCRIPTION: bac_enc_string(b, info.description); return 0;
	case BAC_PROP_PROFILE_NAME: bac_enc_string(b, info.profile_name); return 0;
	case BAC_PROP_PROTOCOL_VERSION: bac_enc_unsigned(b, PROTOCOL_VERSION); return 0;
	case BAC_PROP_PROTOCOL_REVISION: bac_enc_unsigned(b, PROTOCOL_REVISION); return 0;
	case BAC_PROP_PROTOCOL_SERVICES_SUPPORTED:
		enc_bit_set(b, services_executed, sizeof(services_executed), SERVICES_BITS);
		return 0;
	case BAC_PROP_PROTOCOL_OBJECT_TYPES_SUPPORTED:
		enc_bit_set(b, object_types, sizeof(object_types), OBJECT_TYPES_BITS);
		return 0;
	case BAC_PROP_OBJECT_LIST: return enc_object_list(index, b, err, sv->device_id);
	case BAC_PROP_MAX_APDU_LENGTH_ACCEPTED: bac_enc_unsigned(b, BAC_APDU_MAX); return 0;
	case BAC_PROP_SEGMENTATION_SUPPORTED: bac_enc_enum(b, SEGMENTATION_NONE); return 0;
	case BAC_PROP_LOCAL_DATE:
	case BAC_PROP_LOCAL_TIME:
	case BAC_PROP_UTC_OFFSET:
	case BAC_PROP_DAYLIGHT_SAVINGS_STATUS:
		return enc_time_prop(prop, &info, b);
	case BAC_PROP_APDU_TIMEOUT: bac_enc_unsigned(b, BAC_APDU_TIMEOUT_MS); return 0;
	case BAC_PROP_NUMBER_OF_APDU_RETRIES: bac_enc_unsigned(b, BAC_APDU_RETRIES); return 0;
	case BAC_PROP_DEVICE_ADDRESS_BINDING: return 0;        /* this device binds to none */
	case BAC_PROP_DATABASE_REVISION: bac_enc_unsigned(b, DATABASE_REVISION); return 0;
	case BAC_PROP_ACTIVE_COV_SUBSCRIPTIONS:
		bac_cov_encode_active(sv, b);
		return 0;
	}
	err->cls = BAC_ERRCLASS_PROPERTY;
	err->code = BAC_ERR_UNKNOWN_PROPERTY;
	return -EINVAL;
}
