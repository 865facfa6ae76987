/* LwM2M paths: /object/instance/resource/resource-instance. */
#ifndef LC_PATH_H
#define LC_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LWM2M_ID_NONE (-1)

typedef struct lwm2m_path {
    int32_t ids[4]; /* object, instance, resource, resource instance; LWM2M_ID_NONE past the depth */
    int depth;      /* 0 for "/", 1..4 */
} lwm2m_path;

/* Parses "/3", "/3/0/16", "3/0" (leading slash optional), "/" (depth 0).
 * Ids are 0..65535. Returns 0 or LC_EINVAL. */
int lwm2m_path_parse(const char *s, lwm2m_path *out);
/* "/3/0/16"; "/" for depth 0. Returns the length written (snprintf semantics). */
int lwm2m_path_format(const lwm2m_path *p, char *buf, size_t cap);
bool lwm2m_path_equal(const lwm2m_path *a, const lwm2m_path *b);
/* True when child is prefix itself or below it. */
bool lwm2m_path_is_under(const lwm2m_path *child, const lwm2m_path *prefix);

#endif
