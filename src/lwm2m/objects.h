/* The object model: every LwM2M object the tool knows — id, name, version, multiplicity,
 * and each resource's id, name, type, multiplicity and operations — read from OMA DDF XML
 * files (lwm2m/ddf). Content-format decoders use it to type TLV and text values, the
 * bootstrap server and the simulator to encode, validate and answer; `lwm2m-conform
 * objects` lists it.
 *
 * The model is loaded once per process: the shipped definitions (fixtures/objects/, found
 * by objects_default_dir's search rule), then any directories the user adds with
 * --objects, whose definitions replace shipped ones of the same object id. A lookup before
 * objects_load loads the shipped definitions by itself, so a library user (a unit test)
 * needs no set-up. The model is process state on purpose: it is read-only after loading,
 * like a compiled-in table, and every decoder signature stays as it was. */
#ifndef LC_OBJECTS_H
#define LC_OBJECTS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"
#include "lwm2m/content/value.h"

enum { LWM2M_OP_R = 1, LWM2M_OP_W = 2, LWM2M_OP_E = 4 };

typedef struct lwm2m_resource_def {
    int id;
    const char *name; /* as in the OMA object definition: "Manufacturer" */
    lwm2m_type type;  /* LV_NONE for executable resources */
    const char *type_name; /* the DDF's word: "Unsigned Integer", "Corelnk", "" */
    bool multiple;
    bool mandatory;
    int operations;   /* LWM2M_OP_* */
    const char *range; /* RangeEnumeration, "" when none */
    const char *units; /* "" when none */
} lwm2m_resource_def;

typedef struct lwm2m_object_def {
    int id;
    const char *name;
    const char *version; /* ObjectVersion, "1.0" when the file has none */
    bool multiple;
    bool mandatory;
    const lwm2m_resource_def *resources; /* sorted by id */
    int resource_count;
    const char *source; /* the file it was read from, "file:line" */
} lwm2m_object_def;

/* Loads the shipped definitions, then every *.xml file of each directory in dirs (in
 * order; a later definition of an object id replaces an earlier one). Replaces any model
 * loaded before. On error the model is left empty and err says which file and line.
 * Returns 0, LC_ENOTFOUND (no shipped definitions, or a directory that does not exist),
 * LC_EINVAL, LC_EIO or LC_ENOMEM. */
int objects_load(const char *const *dirs, size_t ndirs, lc_error *err);

/* Frees the model (the next lookup loads the shipped definitions again). */
void objects_unload(void);

/* Where the shipped definitions are, by this rule: $LWM2M_CONFORM_OBJECTS if set; else
 * fixtures/objects in the directory of the running executable or one of its three parents
 * (build/lwm2m-conform, build/san/tests/test_x in a checkout); else the source tree the
 * binary was built from. NULL when none exists. The string is static. */
const char *objects_default_dir(void);

/* The loaded objects, sorted by id. */
size_t objects_count(void);
const lwm2m_object_def *objects_at(size_t i);

const lwm2m_object_def *objects_find(int object_id);
const lwm2m_resource_def *objects_resource(int object_id, int resource_id);
/* Type of the resource named by path (depth >= 3), LV_NONE when unknown. Matches the
 * lwm2m_type_hint signature so it can be passed to decoders. */
lwm2m_type objects_type_of(const lwm2m_path *path, void *unused);

#endif
