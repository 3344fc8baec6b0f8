/* Properties of the objects this device serves: which ones each object
 * type has (ALL / REQUIRED / OPTIONAL), and their values encoded as
 * application-tagged data. Values come from the object model
 * (objects.h) and the services' state; nothing here reads the network. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bacnet/codec.h"
#include "bacnet/objects.h"

struct bac_services;

enum bac_prop {
	BAC_PROP_APDU_TIMEOUT = 11,
	BAC_PROP_APPLICATION_SOFTWARE_VERSION = 12,
	BAC_PROP_COV_INCREMENT = 22,
	BAC_PROP_DAYLIGHT_SAVINGS_STATUS = 24,
	BAC_PROP_DESCRIPTION = 28,
	BAC_PROP_DEVICE_ADDRESS_BINDING = 30,
	BAC_PROP_EVENT_STATE = 36,
	BAC_PROP_FIRMWARE_REVISION = 44,
	BAC_PROP_LOCAL_DATE = 56,
	BAC_PROP_LOCAL_TIME = 57,
	BAC_PROP_LOCATION = 58,
	BAC_PROP_MAX_APDU_LENGTH_ACCEPTED = 62,
	BAC_PROP_MODEL_NAME = 70,
	BAC_PROP_NUMBER_OF_APDU_RETRIES = 73,
	BAC_PROP_NUMBER_OF_STATES = 74,
	BAC_PROP_OBJECT_IDENTIFIER = 75,
	BAC_PROP_OBJECT_LIST = 76,
	BAC_PROP_OBJECT_NAME = 77,
	BAC_PROP_OBJECT_TYPE = 79,
	BAC_PROP_OPTIONAL = 80,
	BAC_PROP_OUT_OF_SERVICE = 81,
	BAC_PROP_PRESENT_VALUE = 85,
	BAC_PROP_PROTOCOL_OBJECT_TYPES_SUPPORTED = 96,
	BAC_PROP_PROTOCOL_SERVICES_SUPPORTED = 97,
	BAC_PROP_PROTOCOL_VERSION = 98,
	BAC_PROP_REQUIRED = 105,
	BAC_PROP_SEGMENTATION_SUPPORTED = 107,
	BAC_PROP_STATE_TEXT = 110,
	BAC_PROP_STATUS_FLAGS = 111,
	BAC_PROP_SYSTEM_STATUS = 112,
	BAC_PROP_UNITS = 117,
	BAC_PROP_UTC_OFFSET = 119,
	BAC_PROP_VENDOR_IDENTIFIER = 120,
	BAC_PROP_VENDOR_NAME = 121,
	BAC_PROP_PROTOCOL_REVISION = 139,
	BAC_PROP_ACTIVE_COV_SUBSCRIPTIONS = 152,
	BAC_PROP_DATABASE_REVISION = 155,
	BAC_PROP_PROFILE_NAME = 168,
	BAC_PROP_BIT_TEXT = 343,
	BAC_PROP_PROPERTY_LIST = 371,
	BAC_PROP_ALL = 8,
};

enum bac_error_class {
	BAC_ERRCLASS_DEVICE = 0,
	BAC_ERRCLASS_OBJECT = 1,
	BAC_ERRCLASS_PROPERTY = 2,
	BAC_ERRCLASS_RESOURCES = 3,
	BAC_ERRCLASS_SERVICES = 5,
};

enum bac_error_code {
	BAC_ERR_OTHER = 0,
	BAC_ERR_NO_SPACE_TO_ADD_LIST_ELEMENT = 19,
	BAC_ERR_SERVICE_REQUEST_DENIED = 29,
	BAC_ERR_UNKNOWN_OBJECT = 31,
	BAC_ERR_UNKNOWN_PROPERTY = 32,
	BAC_ERR_WRITE_ACCESS_DENIED = 40,
	BAC_ERR_INVALID_ARRAY_INDEX = 42,
	BAC_ERR_PROPERTY_IS_NOT_AN_ARRAY = 50,
};

#define BAC_ARRAY_ALL UINT32_MAX        /* no array index in the request */
#define BAC_DEVICE_WILDCARD BAC_INSTANCE_MAX  /* "this device" in a request */

struct bac_err {
	uint32_t cls, code;
};

/* An object of this device: the Device (o == NULL) or one of bac_objects. */
struct bac_obj {
	unsigned type;
	uint32_t instance;
	const struct bac_object *o;
};

/* The object named by [objid]; -ENOENT if this device has none. */
int bac_obj_resolve(const struct bac_services *sv, uint32_t objid, struct bac_obj *out);
/* The properties [which] (ALL, REQUIRED or OPTIONAL) of [ob], at most [max]. */
size_t bac_prop_list(const struct bac_obj *ob, uint32_t which, uint32_t *out, size_t max);
bool bac_prop_exists(const struct bac_obj *ob, uint32_t prop);
/* The value of [prop][index] as application-tagged data; -EINVAL with
 * *err set when it cannot be read. */
int bac_prop_encode(const struct bac_services *sv, const struct bac_obj *ob, uint32_t prop,
		    uint32_t index, struct bac_buf *b, struct bac_err *err);

/* Present_Value and Status_Flags as COV reports them. */
struct bac_obj_state {
	struct bac_value value;
	uint8_t status_flags;           /* bit 0 in-alarm .. bit 3 out-of-service */
};
void bac_obj_state(const struct bac_services *sv, const struct bac_object *o, struct bac_obj_state *st);
void bac_enc_present_value(struct bac_buf *b, const struct bac_object *o, const struct bac_value *v);
void bac_enc_status_flags(struct bac_buf *b, uint8_t flags);

/* The Device object (device.c). */
int bac_device_encode(const struct bac_services *sv, uint32_t prop, uint32_t index,
		      struct bac_buf *b, struct bac_err *err);
void bac_device_name(const struct bac_services *sv, char *out, size_t len);
