/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/vfio-user/json.h — just enough JSON (RFC 8259) for the
 * capabilities of a VFIO_USER_VERSION message: the whole grammar is
 * checked, nesting and size are bounded, and the document becomes a tree
 * of nodes in a fixed pool pointing into the text (strings keep their
 * escapes; names are compared as written).
 */
#ifndef HARNESS_VFIO_USER_JSON_H
#define HARNESS_VFIO_USER_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_NODES 128
#define JSON_MAX_DEPTH 8

enum json_type {
    JSON_NULL,
    JSON_FALSE,
    JSON_TRUE,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT,
};

struct json_node {
    enum json_type type;
    const char *name; /* member name inside an object, else NULL */
    size_t name_len;
    const char *text; /* the number or the string's contents */
    size_t len;
    bool is_uint; /* a number that is an integer in uint64_t */
    uint64_t uint;
    int first, next; /* children of arrays and objects; -1: none */
};

struct json_doc {
    struct json_node node[JSON_MAX_NODES];
    unsigned count; /* node[0] is the root */
};

/* Parse exactly [s, s+len): NULL, or what is wrong and where (*at). */
const char *json_parse(struct json_doc *d, const char *s, size_t len,
                       size_t *at);

/* The first member of object o named name, or NULL. */
const struct json_node *json_member(const struct json_doc *d,
                                    const struct json_node *o,
                                    const char *name);

#endif
