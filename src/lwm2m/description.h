/* The device description: what the device under test is and has, apart from the test
 * configuration (lwm2m/config: the accounts, PSKs, lifetimes and periods the test sets).
 * A JSON file (docs/device-description.md), written by `lwm2m-conform describe` from the
 * device itself or by hand:
 *
 *   {"comment": "…", "endpoint": "dev-1", "lwm2m": "1.2", "binding": "UQ",
 *    "persistent": false, "content_formats": ["text", "tlv", "link"],
 *    "objects": {"3": {"0": [0, 1, 2, 3, 4, 11, 13, 16]}, "4": {"0": []}, "5": {}},
 *    "values": {"/3/0/0": "ACME", "/3/0/11/0": 0, "/4/0/4/0": "192.0.2.10"},
 *    "volatile": ["/3/0/13", "/4/0/4"]}
 *
 * Every key is optional; what is left out is not known, and a criterion that compares a
 * device-owned value the description does not give (or marks volatile: it changes by
 * itself) checks presence and type only. "objects" maps object ids to their instances,
 * each with the resource ids it has ([] = not listed); "values" maps resource (instance)
 * paths to strings, numbers or booleans (opaque as Base64, Objlnk as "obj:inst"). */
#ifndef LC_DESCRIPTION_H
#define LC_DESCRIPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/err.h"
#include "lwm2m/config.h"

#define DESC_MAX_OBJECTS 128
#define DESC_MAX_INSTANCES 256
#define DESC_MAX_RESOURCES 96
#define DESC_MAX_VALUES 512
#define DESC_MAX_VOLATILE 128
#define DESC_MAX_FORMATS 16

typedef struct description_instance {
    uint16_t object, instance;
    uint16_t resources[DESC_MAX_RESOURCES]; /* sorted; none = not listed */
    size_t resource_count;
} description_instance;

typedef struct description {
    char source[512];   /* file name, for messages */
    char comment[512];
    char endpoint[128]; /* the endpoint name it registered with when described ("" none) */
    char lwm2m[8];      /* "1.0", "1.1", "1.2"; "" = not given */
    char binding[8];    /* Register b= (or /3/0/16); "" = not given */
    int persistent;     /* keeps its state across a reboot: 1 yes, 0 no, -1 not given */
    bool has_formats;
    int formats[DESC_MAX_FORMATS]; /* CoAP Content-Format numbers */
    size_t format_count;
    bool has_objects;
    uint16_t objects[DESC_MAX_OBJECTS]; /* sorted */
    size_t object_count;
    description_instance instances[DESC_MAX_INSTANCES]; /* sorted by object, instance */
    size_t instance_count;
    config_value values[DESC_MAX_VALUES]; /* canonical paths, file order */
    size_t value_count;
    char volatiles[DESC_MAX_VOLATILE][32]; /* canonical paths */
    size_t volatile_count;
} description;

/* An empty description: nothing known (persistent -1). */
void description_init(description *d, const char *source);

/* Loads and checks a description. Errors name the file and the key or path
 * ("FILE: values: /3/0/x: not a resource path"), and JSON syntax errors
 * "FILE:LINE:COLUMN: …". Returns 0, LC_EIO (cannot read) or LC_EINVAL; *out is untouched
 * on error. The struct is large: allocate it. */
int description_load_file(const char *path, description *out, lc_error *err);
int description_load_string(const char *json, const char *name, description *out,
                            lc_error *err);

/* Writes d as JSON (stable order, one object per line). Returns 0 or LC_EIO. */
int description_write(const description *d, FILE *f, lc_error *err);
int description_write_file(const description *d, const char *path, lc_error *err);

/* Building one (describe): each returns 0, LC_EINVAL (bad path) or LC_ENOMEM (full). */
int description_add_instance(description *d, int obj, int inst);
int description_add_object(description *d, int obj);
int description_add_resource(description *d, int obj, int inst, int res);
/* Sets (replaces) the value at path. */
int description_set_value(description *d, const config_value *v);
int description_add_volatile(description *d, const char *path);

/* When the description lists objects: whether obj is one. Without "objects" the answer
 * is unknown: *known is false and the result true. known may be NULL. */
bool description_has_object(const description *d, int obj, bool *known);
/* Whether the device has instance inst of object obj; *known (may be NULL) is set when the
 * description lists the object with its instances ("objects"), else the answer is true. */
bool description_has_instance(const description *d, int obj, int inst, bool *known);
/* The value at path (a resource or resource instance path), or NULL when the description
 * gives none or marks it (or its resource) volatile. */
const config_value *description_value(const description *d, const char *path);
/* True when the description knows the resource (instance) at path exists: it gives a
 * value there (volatile or not) or lists the resource under its instance in "objects"; a
 * resource instance it gives no value for is unknown when it gives values of other
 * instances of that resource (they are all the device has), or, for a readable multiple
 * resource, when it gives values of the instance's other resources (an empty resource). */
bool description_knows(const description *d, const char *path);
/* True when the description gives a value at exactly path (a resource instance path is
 * not known from its resource alone), volatile or not. */
bool description_has_value_at(const description *d, const char *path);
/* True when the description lists the resources of the instance of path (/o/i/…): then a
 * resource it does not list is one the device does not have. */
bool description_lists_resources(const description *d, const char *path);
/* True when path, its resource or its instance is listed as volatile. */
bool description_is_volatile(const description *d, const char *path);
/* The description as a device profile's content formats: true when cf is listed or no
 * list is given. */
bool description_has_format(const description *d, int cf);

/* Content-Format names as test definitions spell them ("text", "tlv", "senml-json", …),
 * and numbers. -1 for an unknown name. */
int description_format_from_name(const char *name);

#endif
