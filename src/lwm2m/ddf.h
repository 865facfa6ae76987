/* OMA DDF XML: reads the LwM2M registry's object definition files (the format of
 * openmobilealliance.org/tech/profiles/LWM2M.xsd) into object definitions.
 *
 *   <LWM2M><Object ObjectType="MODefinition">
 *     <Name>Device</Name> <ObjectID>3</ObjectID> <ObjectVersion>1.0</ObjectVersion>
 *     <MultipleInstances>Single</MultipleInstances> <Mandatory>Mandatory</Mandatory>
 *     <Resources><Item ID="0"><Name>Manufacturer</Name><Operations>R</Operations>
 *       <MultipleInstances>Single</MultipleInstances><Mandatory>Optional</Mandatory>
 *       <Type>String</Type><RangeEnumeration/><Units/></Item>…</Resources>
 *   </Object></LWM2M>
 *
 * Parsing uses libxml2 without network access and without entity expansion. Every error
 * names the file and line and what is wrong: malformed XML, a missing or invalid id, an
 * unknown type, operations or multiplicity, a duplicate resource. Elements this reader
 * does not use (descriptions, URN) are ignored, so newer registry files still load. */
#ifndef LC_DDF_H
#define LC_DDF_H

#include <stddef.h>

#include "common/err.h"
#include "lwm2m/objects.h"

/* Reads every <Object> of the file at path into *out (a new array of *count definitions,
 * resources sorted by id; the caller frees each with ddf_object_free, then the array).
 * Returns 0, LC_EIO (unreadable), LC_EINVAL ("path:line: message") or LC_ENOMEM. */
int ddf_load_file(const char *path, lwm2m_object_def ***out, size_t *count, lc_error *err);

/* The same from a buffer; name stands for the file in messages. */
int ddf_load_buffer(const char *name, const char *xml, size_t len, lwm2m_object_def ***out,
                    size_t *count, lc_error *err);

void ddf_object_free(lwm2m_object_def *o);

/* "String", "Integer", "Unsigned Integer", "Float", "Boolean", "Opaque", "Time",
 * "Objlnk", "Corelnk" (a string in CoRE Link Format) -> type; "" -> LV_NONE (executable).
 * Returns -1 for anything else. */
int ddf_type_from_name(const char *name, lwm2m_type *out);

#endif
