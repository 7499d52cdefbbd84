/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/parse_ext.h — what a statement parser in another file of
 * engine/ takes from parse.c: the words of the line being parsed, its
 * keys, numbers, devices, requirements and errors, with parse.c's own
 * rules (a key taken is used; a key nobody took is an error).
 */
#ifndef ENGINE_PARSE_EXT_H
#define ENGINE_PARSE_EXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pctx;
struct scn_stmt;

/* An error on this line (the first one is kept); false. */
bool scn_p_error(struct pctx *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "`WORD` needs KEY=WHAT"; false. */
bool scn_p_missing(struct pctx *p, const char *key, const char *what);

/* The i-th positional word after the statement word (marked used), or
 * NULL; *n its length. */
const char *scn_p_pos(struct pctx *p, unsigned i, size_t *n);
/* The value of key= (marked used), or NULL; *n its length. */
const char *scn_p_key(struct pctx *p, const char *key, size_t *n);
bool scn_p_is(const char *s, size_t n, const char *word);

/* key=NUMBER within min..max; absent: *out unchanged (an error when
 * required). */
bool scn_p_num(struct pctx *p, const char *key, uint64_t *out, bool required,
               uint64_t min, uint64_t max);
/* key=EXPR: numbers joined by '|' (bitN, 0x..), absent: unchanged. */
bool scn_p_mask(struct pctx *p, const char *key, uint64_t *out);
/* key=0|1 */
bool scn_p_bool(struct pctx *p, const char *key, bool *out);
/* A device word (edu0 ..), with the implied device requirement. */
bool scn_p_dev(struct pctx *p, const char *s, size_t n, int8_t *dev);
/* expect=ok|iqe|ok,iqe|any of a queued statement into st->expect. */
bool scn_p_inv_expect(struct pctx *p, struct scn_stmt *st);
/* A fault reason word or number. */
bool scn_p_reason(struct pctx *p, const char *s, size_t n, uint8_t *reason);
/* An implied requirement: CAP (ecap false) or ECAP bits mask, named. */
bool scn_p_require(struct pctx *p, bool ecap, uint64_t mask, const char *name);
/* Every word must have been taken; keys: what the statement takes. */
bool scn_p_finish(struct pctx *p, const char *keys);

#endif
