/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/ir.h — the interrupt remapping statements of the scenario
 * language (tests/scenarios/README.md, "Interrupt remapping"):
 *
 *   ir table [size=S] [eime=0|1] [sirtp=0|1]   a new table, IRTA, SIRTP
 *   ir sirtp | ir on | ir off | ir cfi=0|1     GCMD, one field a write
 *   irte N vector=V [dest=] [sid=] ... [set=] [clear=] [set-hi=] ...
 *   inv iec [index=N [im=M]] [expect=...]
 *   msi DEV [handle=N] [subhandle=N] [addr=] [data=]
 *       expect=irq:V[,V...]|no-irq|fault:REASON
 *   ioapic pin=timer|N [handle=N] [compat=V] [vector=V] expect=...
 *
 * Parsed in engine/ir_parse.c, run in engine/ir.c; parse.c and engine.c
 * only route the statement words and ops here.
 */
#ifndef ENGINE_IR_H
#define ENGINE_IR_H

#include <stdbool.h>
#include <stdint.h>

/* ir: what it does */
enum scn_ir_cmd {
    SCN_IR_TABLE = 1,
    SCN_IR_SIRTP,
    SCN_IR_ON,
    SCN_IR_OFF,
    SCN_IR_CFI,
};

/* msi: what must happen */
enum scn_irq_expect {
    SCN_IRQ_ARRIVES = 1, /* one of vec[] arrives, no fault recorded */
    SCN_IRQ_NONE,        /* nothing arrives, no fault recorded */
    SCN_IRQ_FAULT,       /* nothing arrives, exactly this fault */
    SCN_IRQ_ANY,         /* not a check: what happened is shown */
};

#define SCN_IR_MAX_VEC 4

/* irte: fields given */
#define SCN_IRTE_DEST_SELF  (1u << 0) /* dest= absent or self */
#define SCN_IRTE_SID_DEV    (1u << 1) /* sid=DEV: the device's source-id */
#define SCN_IRTE_NP         (1u << 2) /* p=0: all zero */
#define SCN_IRTE_SID_IOAPIC (1u << 4) /* sid=ioapic: its DMAR scope's */
#define SCN_IRTE_POSTED     (1u << 3) /* posted=1 */

/* msi: message form */
#define SCN_MSI_SHV    (1u << 0) /* subhandle= given */
#define SCN_MSI_ADDR   (1u << 1) /* addr= given: raw address */
#define SCN_MSI_DATA   (1u << 2) /* data= given: raw data */
#define SCN_MSI_COMPAT (1u << 3) /* compat=V: compatibility format */
#define SCN_MSI_INDEX  (1u << 4) /* index= given: the fault's index */
#define SCN_MSI_EVENT  (1u << 5) /* event=1: FECTL.IP judged too */

struct scn_ir {
    uint8_t cmd;    /* ir: enum scn_ir_cmd */
    uint8_t expect; /* msi: enum scn_irq_expect */
    uint8_t s;      /* ir table: IRTA.S */
    uint8_t im;     /* inv iec */
    uint8_t nvec;   /* msi expect=irq: allowed vectors */
    uint8_t vec[SCN_IR_MAX_VEC];
    uint8_t reason;               /* msi expect=fault: */
    uint8_t reason2;              /* fault:A,B: B, or the same as A */
    uint8_t vector, dlm, sq, svt; /* irte; msi compat=V */
    bool on;                      /* ir table eime=; ir cfi= */
    bool sirtp;                   /* ir table: latch it (default) */
    bool index_sel;               /* inv iec index= given */
    bool dm, rh, tm, fpd;
    int8_t sid_dev;  /* irte sid=DEV */
    uint16_t index;  /* irte N; inv iec index=; msi handle= */
    uint16_t sub;    /* msi subhandle= */
    uint16_t findex; /* msi index= (fault's interrupt index) */
    uint16_t sid;    /* irte sid=N */
    uint8_t pin;     /* ioapic pin=N */
    bool pin_timer;  /* ioapic pin=timer */
    uint32_t flags;  /* SCN_IRTE_*, SCN_MSI_* */
    uint32_t dest;
    uint32_t data; /* msi data= */
    uint64_t addr; /* msi addr= */
    uint64_t set[2], clear[2];
};

struct pctx;
struct scn_stmt;

/* Statement parsers (engine/ir_parse.c), in parse.c's table. */
bool scn_ir_parse(struct pctx *p, struct scn_stmt *st);
bool scn_irte_parse(struct pctx *p, struct scn_stmt *st);
bool scn_msi_parse(struct pctx *p, struct scn_stmt *st);
bool scn_inv_iec_parse(struct pctx *p, struct scn_stmt *st);
bool scn_ioapic_parse(struct pctx *p, struct scn_stmt *st);

/* Run one of the statements above (engine/ir.c). */
bool scn_ir_exec(const struct scn_stmt *st);
/* The scenario's end, after the unit is quiesced (IRE and CFI off):
 * every device's own MSI back, the tables freed. */
void scn_ir_end(void);

#endif
