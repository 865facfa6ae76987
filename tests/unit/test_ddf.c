/* The DDF XML loader and the model built from it: every shipped file loads, malformed XML
 * and schema violations are reported with file:line, a vendor directory adds (and
 * replaces) objects, and a vendor object's values are typed in a Read's payload. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lwm2m/content/content.h"
#include "lwm2m/ddf.h"
#include "lwm2m/objects.h"

#define DATA LC_SOURCE_DIR "/tests/data/objects"

static void free_all(lwm2m_object_def **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ddf_object_free(v[i]);
    free(v);
}

static void test_every_shipped_file_loads(void **state)
{
    (void)state;
    const char *dir = objects_default_dir();
    assert_non_null(dir);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int files = 0;
    bool seen[21] = {false};
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".xml") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        lwm2m_object_def **v = NULL;
        size_t n = 0;
        lc_error err = {0};
        if (ddf_load_file(path, &v, &n, &err) != 0)
            fail_msg("%s", err.msg);
        assert_int_equal(n, 1);
        /* One object per file, named after its id. */
        assert_int_equal(v[0]->id, atoi(e->d_name));
        assert_true(v[0]->resource_count > 0);
        for (int k = 1; k < v[0]->resource_count; k++)
            assert_true(v[0]->resources[k].id > v[0]->resources[k - 1].id);
        if (v[0]->id <= 20)
            seen[v[0]->id] = true;
        free_all(v, n);
        files++;
    }
    closedir(d);
    assert_int_equal(files, 12);
    static const int want[] = {0, 1, 2, 3, 4, 5, 6, 7, 10, 16, 19, 20};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!seen[want[i]])
            fail_msg("object %d not shipped", want[i]);
}

static void test_shipped_model(void **state)
{
    (void)state;
    const lwm2m_object_def *o = objects_find(4);
    assert_non_null(o);
    assert_string_equal(o->name, "Connectivity Monitoring");
    assert_false(o->multiple);
    const lwm2m_resource_def *r = objects_resource(4, 2);
    assert_string_equal(r->name, "Radio Signal Strength");
    assert_string_equal(r->units, "dBm");
    assert_int_equal(r->operations, LWM2M_OP_R);
    r = objects_resource(7, 8);
    assert_int_equal(r->operations, LWM2M_OP_R | LWM2M_OP_W);
    r = objects_resource(16, 0);
    assert_true(r->multiple);
    assert_true(objects_find(16)->multiple);
    assert_string_equal(objects_find(10)->version, "1.1");
    assert_int_equal(objects_resource(10, 11)->type, LV_OBJLNK);
    assert_int_equal(objects_resource(6, 5)->type, LV_TIME);
    assert_int_equal(objects_resource(6, 0)->type, LV_FLOAT);
    assert_int_equal(objects_resource(6, 0)->type, LV_FLOAT);
    assert_int_equal(objects_count(), 12);
    for (size_t i = 1; i < objects_count(); i++)
        assert_true(objects_at(i)->id > objects_at(i - 1)->id);
    assert_null(objects_at(objects_count()));
}

/* Loads xml as file "t.xml" and expects an error containing want. */
static void expect_error(const char *xml, int code, const char *want)
{
    lwm2m_object_def **v = NULL;
    size_t n = 0;
    lc_error err = {0};
    int rc = ddf_load_buffer("t.xml", xml, strlen(xml), &v, &n, &err);
    if (rc == 0)
        fail_msg("loaded, expected \"%s\"", want);
    assert_int_equal(rc, code);
    if (!strstr(err.msg, want))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
    assert_null(v);
}

#define HEAD "<LWM2M>\n<Object>\n<Name>X</Name>\n<ObjectID>9000</ObjectID>\n"                   \
             "<MultipleInstances>Single</MultipleInstances>\n<Mandatory>Optional</Mandatory>\n"
#define ITEM(id, ops, type)                                                                    \
    "<Item ID=\"" id "\"><Name>R</Name><Operations>" ops "</Operations>"                       \
    "<MultipleInstances>Single</MultipleInstances><Mandatory>Optional</Mandatory>"             \
    "<Type>" type "</Type></Item>\n"

static void test_errors(void **state)
{
    (void)state;
    expect_error("<LWM2M>\n<Object>\n<Name>X</Name\n</Object></LWM2M>", LC_EINVAL,
                 "t.xml:4: malformed XML:");
    expect_error("", LC_EINVAL, "t.xml:");
    expect_error("<?xml version=\"1.0\"?>\n<Objects/>", LC_EINVAL,
                 "t.xml:2: root element is <Objects>, expected <LWM2M>");
    expect_error("<LWM2M>\n</LWM2M>", LC_EINVAL, "t.xml:1: <LWM2M> holds no <Object>");
    expect_error("<LWM2M>\n<Object>\n<Name>X</Name>\n</Object></LWM2M>", LC_EINVAL,
                 "t.xml:2: <Object> has no <ObjectID>");
    expect_error("<LWM2M>\n<Object>\n<ObjectID>x1</ObjectID>\n</Object></LWM2M>", LC_EINVAL,
                 "t.xml:3: <ObjectID> \"x1\" is not an id");
    expect_error("<LWM2M>\n<Object>\n<ObjectID>70000</ObjectID>\n</Object></LWM2M>", LC_EINVAL,
                 "is not an id (0-65535)");
    expect_error(HEAD "</Object></LWM2M>", LC_EINVAL, "t.xml:2: object 9000 has no <Resources>");
    expect_error("<LWM2M>\n<Object>\n<Name>X</Name>\n<ObjectID>9</ObjectID>\n"
                 "<MultipleInstances>Many</MultipleInstances>\n</Object></LWM2M>",
                 LC_EINVAL, "t.xml:5: object 9: <MultipleInstances> is \"Many\", expected Single or Multiple");
    expect_error(HEAD "<Resources>\n<Item><Name>R</Name></Item>\n</Resources></Object></LWM2M>",
                 LC_EINVAL, "t.xml:8: object 9000: resource <Item> has no ID attribute");
    expect_error(HEAD "<Resources>\n" ITEM("1", "R", "String") ITEM("2", "R", "Decimal")
                 "</Resources></Object></LWM2M>",
                 LC_EINVAL, "t.xml:9: resource /9000/x/2: unknown <Type> \"Decimal\"");
    expect_error(HEAD "<Resources>\n" ITEM("1", "RWX", "String") "</Resources></Object></LWM2M>",
                 LC_EINVAL, "t.xml:8: resource /9000/x/1: unknown <Operations> \"RWX\"");
    expect_error(HEAD "<Resources>\n" ITEM("1", "R", "") "</Resources></Object></LWM2M>", LC_EINVAL,
                 "t.xml:8: resource /9000/x/1: has no <Type> but is not executable");
    expect_error(HEAD "<Resources>\n" ITEM("5", "R", "String") ITEM("1", "R", "String")
                 ITEM("5", "RW", "Integer") "</Resources></Object></LWM2M>",
                 LC_EINVAL, "t.xml:10: object 9000: resource 5 defined twice (first at line 8)");
    expect_error(HEAD "<Resources>\n<Resource ID=\"1\"/>\n</Resources></Object></LWM2M>",
                 LC_EINVAL, "t.xml:8: object 9000: unexpected <Resource> in <Resources>");
    /* No external entities: a DTD that would read a file is refused, never followed. */
    expect_error("<!DOCTYPE LWM2M [<!ENTITY x SYSTEM \"/etc/passwd\">]>\n<LWM2M>&x;</LWM2M>",
                 LC_EINVAL, "t.xml:");

    lwm2m_object_def **v = NULL;
    size_t n = 0;
    lc_error err = {0};
    assert_int_equal(ddf_load_file(DATA "/none.xml", &v, &n, &err), LC_EIO);
    assert_non_null(strstr(err.msg, "none.xml"));
}

static void test_executable_and_optional_elements(void **state)
{
    (void)state;
    const char *xml = HEAD "<Resources>\n" ITEM("3", "E", "") ITEM("1", "RW", "Corelnk")
                      ITEM("2", "W", "Opaque") "</Resources></Object></LWM2M>";
    lwm2m_object_def **v = NULL;
    size_t n = 0;
    lc_error err = {0};
    assert_int_equal(ddf_load_buffer("t.xml", xml, strlen(xml), &v, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0]->version, "1.0"); /* none given */
    assert_int_equal(v[0]->resource_count, 3);
    assert_int_equal(v[0]->resources[0].id, 1);
    assert_int_equal(v[0]->resources[0].type, LV_STRING);
    assert_string_equal(v[0]->resources[0].type_name, "Corelnk");
    assert_string_equal(v[0]->resources[0].units, "");
    assert_int_equal(v[0]->resources[1].operations, LWM2M_OP_W);
    assert_int_equal(v[0]->resources[2].type, LV_NONE);
    assert_int_equal(v[0]->resources[2].operations, LWM2M_OP_E);
    assert_string_equal(v[0]->source, "t.xml:2");
    free_all(v, n);
}

static void test_vendor_directory(void **state)
{
    (void)state;
    const char *dirs[] = {DATA "/vendor"};
    lc_error err = {0};
    if (objects_load(dirs, 1, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(objects_count(), 13);
    const lwm2m_object_def *o = objects_find(33333);
    assert_non_null(o);
    assert_string_equal(o->version, "2.1");
    assert_int_equal(objects_resource(33333, 5700)->type, LV_FLOAT);
    /* The vendor's Device replaces the shipped one. */
    assert_string_equal(objects_find(3)->version, "1.2");
    assert_non_null(objects_resource(3, 23));
    assert_null(objects_resource(3, 11));

    /* A Read of /33333/0 answered in TLV: the model types each value. */
    static const uint8_t tlv[] = {
        0xe4, 0x16, 0x44, 0x41, 0xbc, 0x00, 0x00, /* 5700: float 23.5 */
        0xc1, 0x01, 0x01,                         /* 1: true */
        0x88, 0x02, 0x03, 0x41, 0x00, 0x07,       /* 2: [0] = 7 */
        0xc2, 0x03, 'h', 'i',                     /* 3: "hi" */
    };
    lwm2m_path base;
    assert_int_equal(lwm2m_path_parse("/33333/0", &base), 0);
    lwm2m_records recs;
    records_init(&recs);
    if (content_decode(CF_TLV, &base, tlv, sizeof tlv, objects_type_of, NULL, &recs, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(recs.count, 4);
    lwm2m_path p;
    assert_int_equal(lwm2m_path_parse("/33333/0/5700", &p), 0);
    const lwm2m_record *r = records_find(&recs, &p);
    assert_non_null(r);
    assert_int_equal(r->type, LV_FLOAT);
    assert_true(r->f == 23.5);
    assert_int_equal(lwm2m_path_parse("/33333/0/1", &p), 0);
    assert_int_equal(records_find(&recs, &p)->type, LV_BOOLEAN);
    assert_int_equal(lwm2m_path_parse("/33333/0/2/0", &p), 0);
    assert_int_equal(records_find(&recs, &p)->type, LV_UNSIGNED);
    assert_int_equal(records_find(&recs, &p)->i, 7);
    assert_int_equal(lwm2m_path_parse("/33333/0/3", &p), 0);
    assert_string_equal((const char *)records_find(&recs, &p)->bytes, "hi");
    records_free(&recs);

    /* Unloading returns to the shipped model on the next lookup. */
    objects_unload();
    assert_null(objects_find(33333));
    assert_string_equal(objects_find(3)->version, "1.0");
}

static void test_directory_errors(void **state)
{
    (void)state;
    const char *dup[] = {DATA "/dup"};
    lc_error err = {0};
    assert_int_equal(objects_load(dup, 1, &err), LC_EINVAL);
    assert_non_null(strstr(err.msg, "b.xml:4: object 44444 is also defined at "));
    assert_non_null(strstr(err.msg, "a.xml:4"));
    assert_int_equal(objects_count(), 0); /* a failed load leaves nothing half-read */

    const char *missing[] = {DATA "/no-such-dir"};
    assert_int_equal(objects_load(missing, 1, &err), LC_ENOTFOUND);
    assert_non_null(strstr(err.msg, "no-such-dir"));
    objects_unload();
    assert_non_null(objects_find(3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_shipped_file_loads),
        cmocka_unit_test(test_shipped_model),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_executable_and_optional_elements),
        cmocka_unit_test(test_vendor_directory),
        cmocka_unit_test(test_directory_errors),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    objects_unload();
    return rc;
}
