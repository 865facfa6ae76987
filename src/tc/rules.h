/* Field rules of the test-definition format (docs/testcase-format.md): which keys each
 * object may have, which step keys each operation takes, and the names the format accepts
 * (features, value types, link modes, content formats). Pure data and lookups: the loader's
 * modules apply them; the schema test (tests/unit/test_loader.c) keeps them in step with
 * docs/testcase.schema.json. */
#ifndef LC_TC_RULES_H
#define LC_TC_RULES_H

#include <stdbool.h>

#include "tc/model.h"

/* NULL-terminated name lists. */
extern const char *const tc_rules_features[];    /* "requires" */
extern const char *const tc_rules_value_types[]; /* a write value's "type" */
extern const char *const tc_rules_links_modes[]; /* a links check's "mode" */

/* The keys each object of a definition may have (NULL-terminated). */
extern const char *const tc_keys_top[];
extern const char *const tc_keys_step[];
extern const char *const tc_keys_write_value[];
extern const char *const tc_keys_criterion[];
extern const char *const tc_keys_expect[];
extern const char *const tc_keys_registration[];
extern const char *const tc_keys_links[];
extern const char *const tc_keys_value_expect[];
extern const char *const tc_keys_notifications[];
extern const char *const tc_keys_firmware[];

/* The content-format names, for messages. */
#define TC_CF_NAMES "text, link, opaque, cbor, senml-json, senml-cbor, tlv, json, or a number"

/* The content-format names definitions accept ("text", "link", "opaque", "tlv", "json",
 * "senml-json", "senml-cbor", "cbor") or a decimal number -> CoAP Content-Format number;
 * -1 when unknown. */
int tc_content_format_from_name(const char *name);

/* s is in the NULL-terminated list. */
bool tc_rules_has(const char *const *list, const char *s);
/* "object:N" in "requires": the case needs an instance of object N (0-65535) in the
 * configuration. True (with *obj) when f is one. */
bool tc_rules_object_feature(const char *f, int *obj);
/* "value:/O/I/R" in "requires": the case compares with the configuration's value at that
 * resource path, so a configuration without one cannot run it. True (with *path pointing
 * into f) when f is one with a valid path. */
bool tc_rules_value_feature(const char *f, const char **path);

/* Which step keys an operation takes. */
enum { TC_FIELD_FORBIDDEN, TC_FIELD_OPTIONAL, TC_FIELD_REQUIRED };
typedef struct tc_op_rules {
    unsigned char path, attributes, values, content_format, accept, payload, duration;
    unsigned char after_step, or_expiry, arguments;
} tc_op_rules;

tc_op_rules tc_rules_for_op(tc_op op);

#endif
