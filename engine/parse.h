/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/parse.h — the scenario language: a script's text turned
 * into scenarios of statements (tests/scenarios/README.md describes the
 * language).
 *
 * Pure: no hardware, no allocation. Every table has a fixed size and
 * running past it is a parse error that says which limit was hit. Names
 * (domains, buffers, devices) are resolved to indices here, so the engine
 * never looks a name up. Statement and xfail texts point into the script's
 * text, which must outlive the parsed script.
 */
#ifndef TESTS_ENGINE_PARSE_H
#define TESTS_ENGINE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/ir.h"

#define SCN_MAX_SCENARIOS   48   /* per script */
#define SCN_MAX_STMTS       1024 /* per script */
#define SCN_MAX_DOMAINS     8    /* per scenario */
#define SCN_MAX_BUFFERS     16   /* per scenario */
#define SCN_MAX_REQS        24   /* requirements per scenario */
#define SCN_MAX_ERRORS      16   /* kept per script; more are counted */
#define SCN_MAX_LINE        400  /* characters per line */
#define SCN_MAX_TOKENS      24   /* words per statement */
#define SCN_NAME_MAX        32   /* names, terminator included */
#define SCN_MAX_DEVICES     8    /* edu0 .. edu7 */
#define SCN_MAX_BUFFER_SIZE (64ull << 20) /* one buffer */
#define SCN_MAX_DMA         4095u /* edu: one transfer, buffer 0..4094 */
#define SCN_MAX_SAVED       16    /* reg read save=NAME, per scenario */
/* reg: offsets below 2^15 pages, the largest register set a DRHD's Size
 * field can report (8.3) */
#define SCN_MAX_REG_OFF     ((1u << 27) - 1)

/* An address: k plus, when buf >= 0, the physical address of that buffer
 * ("@name" in a script). */
struct scn_addr {
    uint64_t k;
    int buf;
};

enum scn_op {
    SCN_SET = 1,   /* set via=reg|qi */
    SCN_DOMAIN,    /* domain NAME did=N [aw=39|48|57] */
    SCN_BUFFER,    /* buffer NAME size=N [align=N] */
    SCN_FILL,      /* fill BUF [offset] [len] [pattern] seed */
    SCN_ATTACH,    /* attach DEV DOMAIN [fpd=1] */
    SCN_ATTACH_PT, /* attach DEV passthrough did=N [fpd=1] */
    SCN_DETACH,    /* detach DEV */
    SCN_ENABLE,    /* root table pointer, invalidations, TE=1 */
    SCN_DISABLE,   /* TE=0 */
    SCN_MAP,
    SCN_UNMAP,
    SCN_PROTECT,
    SCN_SPLIT,
    SCN_MERGE,
    SCN_PTE,  /* pte DOM iova level set clear [addr] */
    SCN_CTX,  /* ctx DEV [word] set clear */
    SCN_ROOT, /* root DEV|BUS [word] set clear */
    SCN_INV_CC,
    SCN_INV_IOTLB,
    SCN_QI_RAW, /* qi raw qw0.. expect=ok|iqe|ok,iqe|any */
    SCN_DMA,
    SCN_CHECK,
    SCN_CHECK_EITHER,
    SCN_NOTE,       /* note "text" */
    SCN_INV_DEVTLB, /* inv devtlb dev=DEV [iova] [size] [pfsid] [mip] */
    SCN_QI_WAIT,    /* qi wait [sw] [if] [fn] expect=ok|iqe|ok,iqe */
    SCN_DMA_WAIT,   /* dma-wait DEV expect=... */
    SCN_REG_READ,   /* reg read OFFSET[..END] [width] [expect] ... */
    SCN_REG_WRITE,  /* reg write OFFSET[..END] VALUE [width] ... */
    /* scalable mode (engine/parse_sm.c, engine/sm.c) */
    SCN_SET_MODE,   /* set mode=scalable */
    SCN_PASID,      /* pasid DEV [pasid=N] [word] set clear */
    SCN_PDIR,       /* pdir DEV [pasid=N] set clear */
    SCN_INV_PC,     /* inv pc global|domain|pasid ... */
    SCN_INV_PIOTLB, /* inv piotlb pasid|page ... */
    SCN_IR,         /* ir table|sirtp|on|off|cfi= (engine/ir.h) */
    SCN_IRTE,       /* irte N ... */
    SCN_INV_IEC,    /* inv iec [index= im=] */
    SCN_MSI,        /* msi DEV ... expect= */
    SCN_IOAPIC,     /* ioapic pin= ... expect= */
};

/* reg: an offset in the unit's register space, counted from the register
 * base or from a register the unit places itself (ECAP.IRO: iva, iotlb;
 * CAP.FRO: frcd), resolved at run time. */
enum scn_reg_base {
    SCN_RB_ABS = 0,
    SCN_RB_IRO,
    SCN_RB_FRO,
};

struct scn_reg_off {
    uint8_t base; /* enum scn_reg_base */
    uint32_t k;
};

/* A reg value: k, plus the physical address of a buffer (@BUF), plus a
 * value saved by an earlier read ($NAME); or all ones of the width. */
struct scn_reg_val {
    uint64_t k;
    int8_t buf;   /* -1: none */
    int8_t saved; /* -1: none */
    bool ones;
};

/* reg read / reg write */
struct scn_reg {
    struct scn_reg_off from; /* the (first) access */
    struct scn_reg_off to;   /* a sweep: the last byte it may touch */
    uint32_t step;           /* a sweep: between accesses */
    uint8_t width;           /* 1, 2, 4, 8 */
    bool sweep;
    bool reserved;          /* where=reserved: only accesses whose
                             * every byte is reserved in the unit */
    int8_t save;            /* read save=NAME: slot, -1 */
    struct scn_reg_val val; /* write: the value; read: expect= */
    uint64_t set, clear;    /* write: (VALUE & ~clear) | set */
    uint64_t mask;          /* read: bits compared (mask=) */
};

/* How invalidations reach the unit. */
enum scn_via {
    SCN_VIA_DEFAULT = 0, /* the scenario's `set via`, else the run's */
    SCN_VIA_REG,
    SCN_VIA_QI,
};

enum scn_dir {
    SCN_TO_RAM = 1, /* device writes memory */
    SCN_FROM_RAM,   /* device reads memory */
};

enum scn_expect {
    SCN_EXPECT_OK = 1,    /* completes, no fault recorded */
    SCN_EXPECT_FAULT,     /* exactly this fault recorded */
    SCN_EXPECT_NOFAULT,   /* nothing recorded (data not claimed) */
    SCN_EXPECT_ANY,       /* not a check: faults collected and shown */
    SCN_EXPECT_IQE,       /* queued: invalidation queue error */
    SCN_EXPECT_REFUSED,   /* inv via=reg with QI on: the driver refuses */
    SCN_EXPECT_OK_OR_IQE, /* queued: either, where the spec allows both */
};

enum scn_pattern {
    SCN_PAT_MIX = 0, /* a hash of seed and offset (default) */
    SCN_PAT_INC,     /* seed + offset, bytewise */
    SCN_PAT_CONST,   /* every byte = seed */
};

/* Statement flags */
#define SCN_F_FPD           (1u << 0)
#define SCN_F_IH            (1u << 1)
#define SCN_F_DR            (1u << 2)
#define SCN_F_DW            (1u << 3)
#define SCN_F_UNCHECKED     (1u << 4)  /* inv: raw register/descriptor */
#define SCN_F_ADDR          (1u << 5)  /* pte: addr= given; dma: addr= */
#define SCN_F_SID           (1u << 6)  /* dma: sid= given */
#define SCN_F_ROOT_BUS      (1u << 7)  /* root: a bus number, not a DEV */
#define SCN_F_DID           (1u << 8)  /* inv: did= given */
#define SCN_F_AM_MAMV       (1u << 9)  /* inv: am= counts from CAP.MAMV */
#define SCN_F_FN            (1u << 10) /* inv cc/devtlb: fn= given */
#define SCN_F_START         (1u << 11) /* dma: start, do not wait */
/* check-either: old data only when the last invalidation was ignored */
#define SCN_F_STALE_IGNORED (1u << 12)
#define SCN_F_TT_DEVTLB     (1u << 13) /* attach: TT=01 */
#define SCN_F_QI_DW         (1u << 14) /* set via=qi dw=1 */
#define SCN_F_EXPECT        (1u << 15) /* reg read: expect= given */
#define SCN_F_SRE           (1u << 16) /* attach: PASID entry SRE */
#define SCN_F_WPE           (1u << 17) /* attach: PASID entry WPE */
#define SCN_F_RID           (1u << 18) /* attach: RID_PASID = pasid= */
#define SCN_F_QI_DW_GIVEN   (1u << 19) /* set via=qi: dw= given */

/* qi wait: the descriptor's IF, SW and FN bits (qw0 bits 4-6) >> 4 */
#define SCN_WAIT_IF (1u << 0)
#define SCN_WAIT_SW (1u << 1)
#define SCN_WAIT_FN (1u << 2)

/* An expected failure of a check statement, as written (lib/xfail.h):
 * `xfail qemu<9.2 fix=8e761fb61c spec=6.5.2 "why"`. Spans point into the
 * script; not NUL-terminated. */
struct scn_xfail {
    const char *range, *fix, *spec, *why;
    uint16_t range_len, fix_len, spec_len, why_len;
};

struct scn_stmt {
    uint8_t op;                 /* enum scn_op */
    uint8_t via;                /* enum scn_via */
    uint8_t dir;                /* enum scn_dir */
    uint8_t expect;             /* enum scn_expect */
    uint8_t pattern;            /* enum scn_pattern */
    uint8_t gran;               /* requested granularity: VTD_GRAN_* */
    uint8_t gran_ok;            /* bit g: granularity g accepted; 0: no check */
    uint8_t reason;             /* expected fault reason */
    int8_t dom, buf, buf2, dev; /* indices, -1 when absent */
    uint8_t word;               /* ctx/root: 0 low, 1 high */
    uint8_t level;
    uint8_t perm; /* bit 0 R, bit 1 W */
    uint8_t am, fm;
    uint8_t fn;   /* inv cc/devtlb: function number (SCN_F_FN) */
    uint8_t qs;   /* set via=qi: IQA.QS */
    uint8_t wait; /* qi wait: SCN_WAIT_* */
    uint8_t mip;  /* inv devtlb */
    uint16_t did;
    uint16_t sid;    /* dma: expected source-id; inv devtlb: PFSID */
    uint32_t count;  /* inv: requests (1 unless count=) */
    uint64_t stride; /* inv: added to the address per request */
    uint32_t flags;  /* SCN_F_* */
    unsigned line;
    struct scn_addr iova, pa, faddr;
    uint64_t size, align, page, offset, len, src, set, clear;
    uint32_t seed, seed2;
    uint64_t qw[4];
    struct scn_reg reg; /* reg read / reg write */
    /* scalable mode: attach pgtt= (VTD_PGTT_*, 0: from the domain's
     * stage), the PASID of attach/pasid/pdir/inv pc|piotlb */
    uint8_t pgtt;
    uint32_t pasid;
    struct scn_ir ir; /* ir, irte, inv iec, msi */
    /* The statement as written (for check names); not NUL-terminated. */
    const char *text;
    uint16_t text_len;
    /* An expected failure (xfail RANGE [fix=C] spec=S "why"), or xf.why
     * NULL. */
    struct scn_xfail xf;
};

/* A requirement: what the unit or machine must offer for a scenario to
 * run. Explicit (`require`) or implied by a statement. */
enum scn_req_kind {
    SCN_REQ_CAP = 1,  /* CAP & mask (or its absence) */
    SCN_REQ_ECAP,     /* ECAP & mask (or its absence) */
    SCN_REQ_AW,       /* address width value in SAGAW; 0: any */
    SCN_REQ_EDU,      /* at least value edu devices */
    SCN_REQ_PAGE,     /* second-level leaf size value (2M, 1G) */
    SCN_REQ_MAMV,     /* CAP.PSI, and CAP.MAMV at least value */
    SCN_REQ_ARG,      /* the command line has name=1 */
    SCN_REQ_ASSIGNED, /* device value is (or, negated, is not)
                       * behind a host IOMMU */
};

struct scn_req {
    uint8_t kind; /* enum scn_req_kind */
    bool negate;
    bool implied;     /* by a statement, not `require` */
    uint64_t value;   /* mask, width, count or size */
    const char *name; /* flag name (static); arg: the word in the
                       * script (not NUL-terminated, name_len) */
    uint16_t name_len;
    const char *why; /* require ... "why": shown when unmet */
    uint16_t why_len;
    /* arg: required only on the QEMU versions of this range (on=RANGE);
     * NULL: everywhere. */
    const char *range;
    uint16_t range_len;
    unsigned line;
};

struct scn_domain_decl {
    char name[SCN_NAME_MAX];
    uint16_t did;
    unsigned aw; /* 39, 48, 57, or 0: chosen at run time */
    bool first;  /* stage=first: first-stage tables (scalable mode) */
};

struct scn_buffer_decl {
    char name[SCN_NAME_MAX];
    uint64_t size, align;
};

struct scn_scenario {
    char name[SCN_NAME_MAX];
    const char *title;
    uint16_t title_len;
    unsigned line;
    unsigned first, count; /* statements: stmt[first .. first+count) */
    unsigned ndom, nbuf, nreq;
    struct scn_domain_decl dom[SCN_MAX_DOMAINS];
    struct scn_buffer_decl buf[SCN_MAX_BUFFERS];
    struct scn_req req[SCN_MAX_REQS];
    unsigned nsaved; /* reg read save=NAME names, in order */
    char saved[SCN_MAX_SAVED][SCN_NAME_MAX];
    int error; /* index of its first parse error, or -1 */
};

struct scn_error {
    unsigned line; /* 0: the script as a whole */
    char msg[240];
};

struct scn_script {
    const char *file;
    unsigned nscn, nstmt, nerr;
    unsigned errors_lost; /* errors beyond SCN_MAX_ERRORS */
    struct scn_scenario scn[SCN_MAX_SCENARIOS];
    struct scn_stmt stmt[SCN_MAX_STMTS];
    struct scn_error err[SCN_MAX_ERRORS];
};

/*
 * Parse text[0..len) (need not be NUL-terminated). Errors do not stop the
 * parse: the line is dropped, the scenario it belongs to is marked broken
 * (its `error`), and parsing goes on, so one typo costs one scenario.
 * Returns the number of errors (nerr + errors_lost). Not reentrant: the
 * line being parsed lives in one static context.
 */
unsigned scn_parse(struct scn_script *s, const char *file, const char *text,
                   size_t len);

/* Whether a statement makes a check (one TAP line) when it runs. */
bool scn_stmt_is_check(const struct scn_stmt *st);

/* Number parsing as the language has it: decimal, 0x hex or 0b binary,
 * '_' between digits, an optional K/M/G/T suffix (powers of 1024), or
 * bitN (1 << N). false on a syntax error or overflow. */
bool scn_parse_number(const char *s, size_t len, uint64_t *out);

/* Fault reason names (write, read, root-np, ...) and numbers. */
bool scn_fault_reason(const char *s, size_t len, unsigned *reason);
const char *scn_fault_reason_word(unsigned reason);

/* The pattern byte at offset off of a buffer filled with (pattern, seed). */
uint8_t scn_pattern_byte(unsigned pattern, uint32_t seed, uint64_t off);

/* Names of enum values, for messages. */
const char *scn_op_name(unsigned op);

/*
 * A statement as a line of the language (no newline), for tools that
 * build statements and print them as a script (harness/shadow/): domain,
 * set via, attach (passthrough), detach, enable, disable, map, unmap,
 * protect, split, merge, pte, inv cc, inv iotlb, qi raw expect=ok and dma
 * expect=any, without buffers; c gives the domains' names. Anything else
 * is a comment line and false.
 */
bool scn_stmt_format(const struct scn_scenario *c, const struct scn_stmt *st,
                     char *buf, size_t len);

/* A script built into the image. */
struct scn_source {
    const char *name;
    const char *text;
    size_t len;
};

extern const struct scn_source scn_builtin[];
extern const unsigned scn_nr_builtin;

#endif
