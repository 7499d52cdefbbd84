/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * engine/engine_ext.h — what a statement executor in another file of
 * engine/ takes from engine.c: the unit, the scenario's queue and
 * devices, and the reporting rules of every statement (checks with their
 * xfail, observation, ERRORs that end the scenario).
 */
#ifndef ENGINE_ENGINE_EXT_H
#define ENGINE_ENGINE_EXT_H

#include <stdbool.h>
#include <stdint.h>

struct edu;
struct scn_machine;
struct scn_stmt;
struct vtd_desc;
struct vtd_fault_log;
struct vtd_qi;
struct vtd_unit;

struct vtd_unit *scn_eng_unit(void);
const struct scn_machine *scn_eng_machine(void);
/* The statement's device (st->dev), or NULL after an ERROR. */
struct edu *scn_eng_device(const struct scn_stmt *st);
/* The scenario's queue, switched on; NULL after an ERROR. */
struct vtd_qi *scn_eng_queue(const struct scn_stmt *st);
/* One descriptor through the queue, judged by st->expect as `qi raw`
 * is; false when the scenario cannot go on. */
bool scn_eng_queue_desc(const struct scn_stmt *st, const struct vtd_desc *d);

/* One check (TAP line) of the statement, its xfail applied. */
bool scn_eng_check(const struct scn_stmt *st, bool pass);
bool scn_eng_observing(void);
void scn_eng_observe(const struct scn_stmt *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* ERROR: the statement could not be carried out (rc: a driver error or
 * 0); false. */
bool scn_eng_fail(const struct scn_stmt *st, const char *what, int rc);
/* Fault records in observation form, and as "# " lines. */
const char *scn_eng_faults_text(const struct vtd_fault_log *log);
void scn_eng_print_faults(const struct vtd_fault_log *log);

#endif
