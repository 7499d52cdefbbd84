/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/parse_int.h — the parser's line context and the helpers that
 * statement parsers share, for the parsers kept in files of their own
 * (engine/parse_sm.c, engine/ir_parse.c). Not for the rest of the engine:
 * parse.h is the language's interface.
 *
 * The helpers keep their short names inside the parser; the macros give
 * them engine-wide names at link time.
 */
#ifndef ENGINE_PARSE_INT_H
#define ENGINE_PARSE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/parse.h"

struct tok {
    const char *s; /* the whole token (quotes excluded) */
    size_t n;
    const char *val; /* after '=', or NULL */
    size_t vn;
    size_t kn; /* length of the key when val != NULL */
    bool quoted;
    bool used;
};

struct pctx {
    struct scn_script *s;
    struct scn_scenario *cur; /* NULL before the first scenario */
    bool sink;                /* drop statements until `scenario` */
    bool failed;              /* this line already has its error */
    unsigned line;
    struct tok tok[SCN_MAX_TOKENS];
    unsigned ntok;
    const char *text; /* statement text (xfail clause excluded) */
    size_t text_len;
    struct scn_xfail xfail;      /* a pending standalone xfail */
    unsigned xfail_line;         /* its line; 0: none pending */
    struct scn_xfail stmt_xfail; /* the xfail of this statement */
};

struct word_val {
    const char *word;
    unsigned val;
};

#define perr           scn_p_perr
#define pos            scn_p_pos
#define key            scn_p_key
#define tok_is         scn_p_tok_is
#define str_eq         scn_p_str_eq
#define get_num        scn_p_get_num
#define get_u          scn_p_get_u
#define get_bool       scn_p_get_bool
#define get_word       scn_p_get_word
#define get_dev        scn_p_get_dev
#define get_did        scn_p_get_did
#define get_addr       scn_p_get_addr
#define get_mask       scn_p_get_mask
#define add_req        scn_p_add_req
#define finish         scn_p_finish
#define get_inv_expect scn_p_get_inv_expect
#define get_am         scn_p_get_am
#define get_count      scn_p_get_count
#define missing        scn_p_missing
#define pos_word       scn_p_pos_word
#define key_val        scn_p_key_val
#define get_flag       scn_p_get_flag
#define dev_word       scn_p_dev_word
#define get_reason     scn_p_get_reason

bool perr(struct pctx *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
struct tok *pos(struct pctx *p, unsigned i);
struct tok *key(struct pctx *p, const char *name);
bool tok_is(const struct tok *t, const char *word);
bool str_eq(const char *s, size_t n, const char *word);
bool get_num(struct pctx *p, const char *name, uint64_t *out, bool required,
             uint64_t min, uint64_t max);
bool get_u(struct pctx *p, const char *name, unsigned *out, bool required,
           unsigned min, unsigned max);
bool get_bool(struct pctx *p, const char *name, uint32_t *flagsp,
              uint32_t flag);
bool get_word(struct pctx *p, const char *name, const struct word_val *tbl,
              unsigned *out, bool required, const char *expected);
bool get_dev(struct pctx *p, const struct tok *t, int8_t *dev);
bool get_did(struct pctx *p, struct scn_stmt *st, bool required);
bool get_addr(struct pctx *p, const char *name, struct scn_addr *out,
              bool required);
bool get_mask(struct pctx *p, const char *name, uint64_t *out);
bool add_req(struct pctx *p, unsigned kind, uint64_t value, bool negate,
             const char *name, bool implied);
bool finish(struct pctx *p, const char *keys);
bool get_inv_expect(struct pctx *p, struct scn_stmt *st, bool refused);
bool get_am(struct pctx *p, struct scn_stmt *st);
bool get_count(struct pctx *p, struct scn_stmt *st);
/* "`WORD` needs KEY=WHAT"; false. */
bool missing(struct pctx *p, const char *name, const char *what);
/* The i-th positional word (marked used) or NULL, *n its length. */
const char *pos_word(struct pctx *p, unsigned i, size_t *n);
/* The value of name= (marked used) or NULL, *n its length. */
const char *key_val(struct pctx *p, const char *name, size_t *n);
/* name=0|1 into *out; absent: unchanged. */
bool get_flag(struct pctx *p, const char *name, bool *out);
/* A device word (edu0, ...) given as text, with its requirement. */
bool dev_word(struct pctx *p, const char *s, size_t n, int8_t *dev);
/* A fault reason word or number. */
bool get_reason(struct pctx *p, const char *s, size_t n, uint8_t *reason);

/* The statements of engine/parse_sm.c (scalable mode); those of
 * engine/ir_parse.c (interrupt remapping) are declared in engine/ir.h. */
bool scn_p_set_mode(struct pctx *p, struct scn_stmt *st);
bool scn_p_domain_stage(struct pctx *p, unsigned *aw, bool *first);
bool scn_p_attach_sm(struct pctx *p, struct scn_stmt *st);
bool scn_p_pasid(struct pctx *p, struct scn_stmt *st);
bool scn_p_inv_sm(struct pctx *p, struct scn_stmt *st);

#endif
