/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/engine/test_parse.c — the scenario parser, hosted: numbers, every
 * statement in its good forms, every class of parse error (with the line
 * and the words the message must contain), error containment per
 * scenario, the built-in scripts, and random input under the sanitizers.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/parse.h"
#include "tests/host/tap.h"
#include "vtd/regs.h"

static struct scn_script script;

static unsigned parse(const char *text)
{
    return scn_parse(&script, "test.vtd", text, strlen(text));
}

/* ---------------------------------------------------------------- numbers */

static void test_numbers(void)
{
    static const struct {
        const char *s;
        uint64_t v;
    } good[] = {
        { "0", 0 },
        { "4095", 4095 },
        { "0x1000", 0x1000 },
        { "0XfFfF", 0xFFFF },
        { "0b101", 5 },
        { "4K", 4096 },
        { "2M", 2ull << 20 },
        { "1G", 1ull << 30 },
        { "1T", 1ull << 40 },
        { "3k", 3072 },
        { "0x10K", 0x4000 },
        { "1_000", 1000 },
        { "0xffff_ffff", 0xFFFFFFFF },
        { "bit0", 1 },
        { "bit12", 4096 },
        { "bit63", 1ull << 63 },
        { "18446744073709551615", UINT64_MAX },
        { "0xffffffffffffffff", UINT64_MAX },
        { "16777215T", 16777215ull << 40 },
    };
    static const char *const bad[] = {
        "",
        "0x",
        "0b",
        "x10",
        "12Q",
        "1__0",
        "_1",
        "1_",
        "0b102",
        "0x1z",
        "bit64",
        "bit",
        "bitx",
        "bit1000",
        "18446744073709551616",
        "0x1_0000_0000_0000_0000",
        "16777216T",
        "-1",
        "1.5",
        "K",
        "4KK",
    };
    uint64_t v;

    for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        v = 0x5555;
        TAP_OK(scn_parse_number(good[i].s, strlen(good[i].s), &v) &&
                   v == good[i].v,
               "number \"%s\" = 0x%" PRIx64 " (got 0x%" PRIx64 ")", good[i].s,
               good[i].v, v);
    }
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        TAP_OK(!scn_parse_number(bad[i], strlen(bad[i]), &v),
               "number \"%s\" is refused", bad[i]);
}

static void test_reasons_patterns(void)
{
    unsigned r = 0;
    uint8_t a[4096];
    unsigned same = 0;

    TAP_OK(scn_fault_reason("write", 5, &r) && r == 5, "reason write = 5");
    TAP_OK(scn_fault_reason("pte-rsvd", 8, &r) && r == 0xC,
           "reason pte-rsvd = 0xc");
    TAP_OK(scn_fault_reason("0x26", 4, &r) && r == 0x26, "reason by number");
    TAP_OK(!scn_fault_reason("writ", 4, &r), "unknown reason refused");
    TAP_EQ_STR(scn_fault_reason_word(0x2), "ctx-np", "reason word of 2");
    TAP_OK(scn_pattern_byte(SCN_PAT_INC, 5, 300) == (uint8_t)305,
           "inc pattern: seed + offset");
    TAP_OK(scn_pattern_byte(SCN_PAT_CONST, 0x1A7, 99) == 0xA7,
           "const pattern: the seed's low byte");
    for (unsigned i = 0; i < sizeof(a); i++)
        a[i] = scn_pattern_byte(SCN_PAT_MIX, 1, i);
    for (unsigned i = 0; i < sizeof(a); i++)
        same += a[i] == scn_pattern_byte(SCN_PAT_MIX, 1, i + 4096);
    TAP_OK(same < 64,
           "mix pattern: a page differs from the next one "
           "(%u equal bytes of 4096)",
           same);
    same = 0;
    for (unsigned i = 0; i < sizeof(a); i++)
        same += a[i] == scn_pattern_byte(SCN_PAT_MIX, 2, i);
    TAP_OK(same < 64, "mix pattern: seeds differ (%u equal bytes)", same);
}

/* ------------------------------------------------------------ good forms */

static const char full[] =
    "# a comment line\n"
    "\n"
    "scenario full-1 \"every statement once\"   # trailing comment\n"
    "  require PSI !CM aw 39 edu 1 page 2M qi\n"
    "  require aw=48 edu=2\n"
    "  set via=qi\n"
    "  domain d1 did=1 aw=39\n"
    "  domain d2 did=0x2\n"
    "  buffer A size=8K\n"
    "  buffer B size=2M align=2M\n"
    "  fill A seed=7\n"
    "  fill A offset=0x10 len=16 pattern=inc seed=0x20\n"
    "  attach edu0 d1 fpd=1\n"
    "  attach edu1 passthrough did=d2\n"
    "  detach edu1\n"
    "  enable\n"
    "  map d1 iova=0x1000 buffer=A offset=4K size=4K perm=r\n"
    "  map d1 iova=0x200000 buffer=B size=2M page=2M\n"
    "  map d2 iova=1G phys=0 size=1G page=1G perm=rw\n"
    "  unmap d1 iova=0x1000\n"
    "  protect d1 iova=0x200000 size=2M perm=w\n"
    "  split d1 iova=0x200000 level=2\n"
    "  merge d1 iova=0x200000 level=2\n"
    "  pte d1 iova=0x1000 level=1 set=bit51+bit11 clear=3\n"
    "  pte d1 iova=0x1000 level=2 addr=@A+4K\n"
    "  ctx edu0 word=1 set=bit7\n"
    "  root edu0 clear=1\n"
    "  root 3 word=1 set=1\n"
    "  inv cc global gran=global via=reg\n"
    "  inv cc domain did=d1 gran=domain,global\n"
    "  inv cc device dev=edu0 did=1 fm=3\n"
    "  inv iotlb global\n"
    "  inv iotlb domain did=1 dr=1 dw=1\n"
    "  inv iotlb page did=d1 iova=0x200000 am=9 ih=1 gran=page,domain\n"
    "  inv iotlb page did=1 iova=0 am=40 unchecked gran=none\n"
    "  qi raw qw0=0x2f qw1=0 expect=iqe\n"
    "  dma edu0 to-ram iova=0x1000 len=4095 expect=ok\n"
    "  dma edu0 from-ram iova=0x1ff0 len=32 off=100 "
    "expect=fault:read addr=0x2000 sid=0x0008\n"
    "  dma edu0 to-ram iova=@A len=1 expect=nofault\n"
    "  dma edu0 to-ram iova=@A len=1 expect=any\n"
    "  check A offset=0x10 len=16 pattern=inc seed=0x20\n"
    "  check A len=16 same=B src=0x100\n"
    "  check-either A B len=64 seed=3\n"
    "  check-either A len=64 old=1 new=2 src=0x1000\n"
    "  note \"a note\"\n"
    "  xfail qemu<9.2 fix=8e761fb61c spec=6.5.2 \"QEMU does it wrong\"\n"
    "  check A len=1 seed=1\n"
    "  check A len=2 seed=1 xfail qemu>=8.2,<=10.0.4 spec=3.6 "
    "\"trailing reason\"\n"
    "  disable\r\n";

static const struct scn_stmt *stmt_at_line(unsigned line)
{
    for (unsigned i = 0; i < script.nstmt; i++)
        if (script.stmt[i].line == line)
            return &script.stmt[i];
    return NULL;
}

static bool has_req(const struct scn_scenario *c, unsigned kind, uint64_t value,
                    bool negate)
{
    for (unsigned i = 0; i < c->nreq; i++)
        if (c->req[i].kind == kind && c->req[i].value == value &&
            c->req[i].negate == negate)
            return true;
    return false;
}

static void test_good(void)
{
    const struct scn_scenario *c = &script.scn[0];
    const struct scn_stmt *st;
    unsigned nerr = parse(full);

    for (unsigned i = 0; i < script.nerr; i++)
        tap_diag("line %u: %s", script.err[i].line, script.err[i].msg);
    TAP_OK(nerr == 0, "every statement parses (%u errors)", nerr);
    TAP_EQ_U64(script.nscn, 1, "one scenario");
    TAP_EQ_STR(c->name, "full-1", "scenario name");
    TAP_OK(c->title_len == 20 && !memcmp(c->title, "every statement once", 20),
           "scenario title");
    TAP_EQ_U64(c->line, 3, "scenario line");
    TAP_OK(c->error < 0, "scenario not broken");
    TAP_EQ_U64(c->ndom, 2, "two domains");
    TAP_EQ_U64(c->nbuf, 2, "two buffers");
    TAP_EQ_U64(c->count, 43, "statements (require and xfail lines excluded)");
    TAP_OK(has_req(c, SCN_REQ_CAP, VTD_CAP_PSI, false), "require PSI");
    TAP_OK(has_req(c, SCN_REQ_CAP, VTD_CAP_CM, true), "require !CM");
    TAP_OK(has_req(c, SCN_REQ_AW, 39, false) &&
               has_req(c, SCN_REQ_AW, 48, false),
           "require aw 39 and aw=48");
    TAP_OK(has_req(c, SCN_REQ_EDU, 2, false), "require edu=2");
    TAP_OK(has_req(c, SCN_REQ_PAGE, 2ull << 20, false), "require page 2M");
    TAP_OK(has_req(c, SCN_REQ_PAGE, 1ull << 30, false),
           "page=1G implies a 1 GiB requirement");
    TAP_OK(has_req(c, SCN_REQ_ECAP, VTD_ECAP_PT, false),
           "passthrough implies ECAP.PT");
    TAP_OK(has_req(c, SCN_REQ_ECAP, VTD_ECAP_QI, false), "qi implies QI");
    TAP_OK(has_req(c, SCN_REQ_AW, 0, false), "a domain without aw implies "
                                             "some translation");

    st = stmt_at_line(6);
    TAP_OK(st && st->op == SCN_SET && st->via == SCN_VIA_QI, "set via=qi");
    st = stmt_at_line(8);
    TAP_OK(st && st->op == SCN_DOMAIN && st->did == 2 && st->dom == 1 &&
               c->dom[1].aw == 0,
           "domain d2 did=0x2");
    st = stmt_at_line(10);
    TAP_OK(st && st->op == SCN_BUFFER && st->size == 2ull << 20 &&
               st->align == 2ull << 20 && st->buf == 1,
           "buffer B 2M aligned");
    st = stmt_at_line(11);
    TAP_OK(st && st->op == SCN_FILL && st->offset == 0 && st->len == 8192 &&
               st->seed == 7 && st->pattern == SCN_PAT_MIX,
           "fill: whole buffer by default");
    st = stmt_at_line(12);
    TAP_OK(st && st->offset == 0x10 && st->len == 16 &&
               st->pattern == SCN_PAT_INC && st->seed == 0x20,
           "fill range");
    st = stmt_at_line(13);
    TAP_OK(st && st->op == SCN_ATTACH && st->dev == 0 && st->dom == 0 &&
               (st->flags & SCN_F_FPD),
           "attach with fpd");
    st = stmt_at_line(14);
    TAP_OK(st && st->op == SCN_ATTACH_PT && st->dev == 1 && st->did == 2,
           "attach passthrough did=DOMAIN");
    st = stmt_at_line(17);
    TAP_OK(st && st->op == SCN_MAP && st->iova.k == 0x1000 &&
               st->iova.buf < 0 && st->pa.buf == 0 && st->pa.k == 4096 &&
               st->size == 4096 && st->page == 4096 && st->perm == 1,
           "map a buffer page read-only");
    st = stmt_at_line(19);
    TAP_OK(st && st->pa.buf < 0 && st->pa.k == 0 && st->size == 1ull << 30 &&
               st->page == 1ull << 30 && st->perm == 3,
           "map phys 1G");
    st = stmt_at_line(21);
    TAP_OK(st && st->op == SCN_PROTECT && st->perm == 2 &&
               st->size == 2ull << 20,
           "protect");
    st = stmt_at_line(23);
    TAP_OK(st && st->op == SCN_MERGE && st->level == 2, "merge");
    st = stmt_at_line(24);
    TAP_OK(st && st->op == SCN_PTE &&
               st->set == ((1ull << 51) | (1ull << 11)) && st->clear == 3 &&
               !(st->flags & SCN_F_ADDR),
           "pte set/clear");
    st = stmt_at_line(25);
    TAP_OK(st && (st->flags & SCN_F_ADDR) && st->pa.buf == 0 &&
               st->pa.k == 4096,
           "pte addr=@A+4K");
    st = stmt_at_line(26);
    TAP_OK(st && st->op == SCN_CTX && st->word == 1 && st->set == 0x80,
           "ctx word=1");
    st = stmt_at_line(28);
    TAP_OK(st && st->op == SCN_ROOT && (st->flags & SCN_F_ROOT_BUS) &&
               st->sid == 0x300 && st->word == 1,
           "root by bus number");
    st = stmt_at_line(29);
    TAP_OK(st && st->op == SCN_INV_CC && st->gran == VTD_GRAN_GLOBAL &&
               st->gran_ok == 1u << VTD_GRAN_GLOBAL && st->via == SCN_VIA_REG,
           "inv cc global gran via");
    st = stmt_at_line(30);
    TAP_OK(st && st->did == 1 && st->gran_ok == 6, "inv cc domain did=DOMAIN,"
                                                   " gran list");
    st = stmt_at_line(31);
    TAP_OK(st && st->gran == VTD_GRAN_DEVICE && st->dev == 0 && st->fm == 3,
           "inv cc device");
    st = stmt_at_line(33);
    TAP_OK(st && st->op == SCN_INV_IOTLB && st->gran == VTD_GRAN_DOMAIN &&
               (st->flags & SCN_F_DR) && (st->flags & SCN_F_DW),
           "inv iotlb dsi");
    st = stmt_at_line(34);
    TAP_OK(st && st->gran == VTD_GRAN_PAGE && st->am == 9 &&
               (st->flags & SCN_F_IH) && st->iova.k == 0x200000 &&
               st->gran_ok == ((1u << 3) | (1u << 2)),
           "inv iotlb psi");
    st = stmt_at_line(35);
    TAP_OK(st && (st->flags & SCN_F_UNCHECKED) && st->am == 40 &&
               st->gran_ok == 1,
           "inv unchecked");
    st = stmt_at_line(36);
    TAP_OK(st && st->op == SCN_QI_RAW && st->qw[0] == 0x2F &&
               st->expect == SCN_EXPECT_IQE,
           "qi raw");
    st = stmt_at_line(37);
    TAP_OK(st && st->op == SCN_DMA && st->dir == SCN_TO_RAM &&
               st->len == 4095 && st->expect == SCN_EXPECT_OK,
           "dma to-ram");
    st = stmt_at_line(38);
    TAP_OK(st && st->dir == SCN_FROM_RAM && st->offset == 100 &&
               st->expect == SCN_EXPECT_FAULT && st->reason == 6 &&
               (st->flags & SCN_F_ADDR) && st->faddr.k == 0x2000 &&
               (st->flags & SCN_F_SID) && st->sid == 8,
           "dma fault expectation");
    st = stmt_at_line(39);
    TAP_OK(st && st->iova.buf == 0 && st->iova.k == 0 &&
               st->expect == SCN_EXPECT_NOFAULT,
           "dma at @A, nofault");
    st = stmt_at_line(40);
    TAP_OK(st && st->expect == SCN_EXPECT_ANY && !scn_stmt_is_check(st),
           "dma expect=any is not a check");
    st = stmt_at_line(42);
    TAP_OK(st && st->op == SCN_CHECK && st->buf2 == 1 && st->src == 0x100 &&
               st->len == 16,
           "check same=");
    st = stmt_at_line(43);
    TAP_OK(st && st->op == SCN_CHECK_EITHER && st->buf == 0 && st->buf2 == 1 &&
               st->seed == 3,
           "check-either OLD NEW");
    st = stmt_at_line(44);
    TAP_OK(st && st->buf2 < 0 && st->seed == 1 && st->seed2 == 2 &&
               st->src == 0x1000,
           "check-either old= new= src=");
    st = stmt_at_line(43);
    TAP_OK(st && st->src == 0, "check-either: src defaults to offset");
    st = stmt_at_line(45);
    TAP_OK(st && st->op == SCN_NOTE && st->text_len == 6, "note");
    st = stmt_at_line(47);
    TAP_OK(st && st->xf.why && st->xf.why_len == 18 &&
               !memcmp(st->xf.why, "QEMU does it wrong", 18),
           "standalone xfail applies to the next check");
    TAP_OK(st && st->xf.range_len == 8 &&
               !memcmp(st->xf.range, "qemu<9.2", 8) && st->xf.fix_len == 10 &&
               !memcmp(st->xf.fix, "8e761fb61c", 10) && st->xf.spec_len == 5 &&
               !memcmp(st->xf.spec, "6.5.2", 5),
           "xfail: range, fix and spec section");
    TAP_OK(st && st->text_len == 20 &&
               !memcmp(st->text,
                       "check A len=1 "
                       "seed=1",
                       20),
           "statement text");
    st = stmt_at_line(48);
    TAP_OK(st && st->xf.why && st->xf.why_len == 15 &&
               !memcmp(st->xf.why, "trailing reason", 15) && !st->xf.fix &&
               st->xf.range_len == 18 &&
               !memcmp(st->xf.range, "qemu>=8.2,<=10.0.4", 18),
           "trailing xfail, a two-sided range, no fix");
    TAP_OK(st && st->text_len == 20 &&
               !memcmp(st->text, "check A len=2 seed=1", 20),
           "trailing xfail: text ends before it");
    st = stmt_at_line(49);
    TAP_OK(st && st->op == SCN_DISABLE && st->text_len == 7, "CRLF line end");
}

static const char edge[] =
    "scenario edge-1 \"the edge-case forms\"\n"
    "  require mamv 18 arg wait-sw-if assigned edu2 assigned=edu1 "
    "\"QEMU aborts\"\n"
    "  set via=qi qs=0 dw=1\n"
    "  domain d did=1\n"
    "  buffer A size=8K\n"
    "  attach edu0 d tt=devtlb\n"
    "  inv iotlb page did=d iova=0x1000 am=mamv+1 unchecked gran=none,domain "
    "expect=iqe\n"
    "  inv iotlb reserved unchecked gran=none\n"
    "  inv cc reserved unchecked gran=none expect=iqe\n"
    "  inv iotlb page did=1 iova=0x10000 count=300 stride=4K expect=ok\n"
    "  inv cc device dev=edu0 fn=7 fm=3 did=1\n"
    "  inv iotlb global via=reg expect=refused\n"
    "  inv devtlb dev=edu0 iova=0x4000 size=16K pfsid=0x8 mip=3 "
    "expect=iqe\n"
    "  qi wait sw=1 if=0 fn=1 expect=ok\n"
    "  qi wait expect=ok,iqe\n"
    "  qi raw qw0=0x12 qw1=0 expect=any\n"
    "  dma edu0 from-ram iova=0x1000 len=16 start\n"
    "  dma-wait edu0 expect=fault:read addr=0x1000\n"
    "  check-either A len=16 old=1 new=2 stale=if-ignored\n"
    "  inv iotlb page did=1 iova=0 am=mamv\n"
    "  set via=reg\n"
    "  attach edu0 d tt=multi\n";

static void test_edge(void)
{
    const struct scn_scenario *c = &script.scn[0];
    const struct scn_stmt *st;
    unsigned nerr = parse(edge);
    bool why = false, arg = false;

    for (unsigned i = 0; i < script.nerr; i++)
        tap_diag("line %u: %s", script.err[i].line, script.err[i].msg);
    TAP_OK(nerr == 0, "edge-case forms parse (%u errors)", nerr);
    TAP_OK(has_req(c, SCN_REQ_MAMV, 18, false), "require mamv 18");
    for (unsigned i = 0; i < c->nreq; i++) {
        const struct scn_req *q = &c->req[i];

        if (q->kind == SCN_REQ_ARG)
            arg = q->name_len == 10 && !memcmp(q->name, "wait-sw-if", 10);
        if (q->line == 2)
            why |= q->why_len == 11 && !memcmp(q->why, "QEMU aborts", 11);
    }
    TAP_OK(arg, "require arg wait-sw-if");
    TAP_OK(has_req(c, SCN_REQ_ASSIGNED, 2, false) &&
               has_req(c, SCN_REQ_ASSIGNED, 1, false) &&
               has_req(c, SCN_REQ_EDU, 3, false),
           "require assigned edu2, assigned=edu1: and three devices");
    TAP_OK(why, "require ... \"why\" kept with the requirement");
    TAP_OK(has_req(c, SCN_REQ_ECAP, VTD_ECAP_SMTS, false),
           "dw=1 implies ECAP.SMTS");
    TAP_OK(has_req(c, SCN_REQ_ECAP, VTD_ECAP_DT, false),
           "tt=devtlb and inv devtlb imply ECAP.DT");
    TAP_OK(has_req(c, SCN_REQ_MAMV, 0, false), "am=mamv implies PSI");
    st = stmt_at_line(3);
    TAP_OK(st && st->op == SCN_SET && st->qs == 0 && (st->flags & SCN_F_QI_DW),
           "set via=qi qs dw");
    st = stmt_at_line(6);
    TAP_OK(st && st->op == SCN_ATTACH && (st->flags & SCN_F_TT_DEVTLB),
           "attach tt=devtlb");
    st = stmt_at_line(7);
    TAP_OK(st && (st->flags & SCN_F_AM_MAMV) && st->am == 1 &&
               st->expect == SCN_EXPECT_IQE && st->gran_ok == 5 &&
               scn_stmt_is_check(st),
           "am=mamv+1 with gran= and expect=");
    st = stmt_at_line(8);
    TAP_OK(st && st->op == SCN_INV_IOTLB && st->gran == VTD_GRAN_NONE,
           "inv iotlb reserved");
    st = stmt_at_line(9);
    TAP_OK(st && st->op == SCN_INV_CC && st->gran == VTD_GRAN_NONE,
           "inv cc reserved");
    st = stmt_at_line(10);
    TAP_OK(st && st->count == 300 && st->stride == 4096 &&
               st->expect == SCN_EXPECT_OK,
           "count= stride=");
    st = stmt_at_line(11);
    TAP_OK(st && (st->flags & SCN_F_FN) && st->fn == 7 && st->fm == 3 &&
               st->dev == 0,
           "inv cc device fn=");
    st = stmt_at_line(12);
    TAP_OK(st && st->via == SCN_VIA_REG && st->expect == SCN_EXPECT_REFUSED,
           "expect=refused");
    st = stmt_at_line(13);
    TAP_OK(st && st->op == SCN_INV_DEVTLB && st->size == 16384 &&
               st->sid == 8 && st->mip == 3 && st->iova.k == 0x4000 &&
               st->via == SCN_VIA_QI && st->stride == 16384,
           "inv devtlb");
    st = stmt_at_line(14);
    TAP_OK(st && st->op == SCN_QI_WAIT &&
               st->wait == (SCN_WAIT_SW | SCN_WAIT_FN) &&
               st->expect == SCN_EXPECT_OK,
           "qi wait sw fn");
    st = stmt_at_line(15);
    TAP_OK(st && st->op == SCN_QI_WAIT && !st->wait &&
               st->expect == SCN_EXPECT_OK_OR_IQE && scn_stmt_is_check(st),
           "qi wait without flags, expect=ok,iqe is a check");
    st = stmt_at_line(16);
    TAP_OK(st && st->op == SCN_QI_RAW && st->expect == SCN_EXPECT_ANY &&
               !scn_stmt_is_check(st),
           "qi raw expect=any is not a check");
    st = stmt_at_line(17);
    TAP_OK(st && st->op == SCN_DMA && (st->flags & SCN_F_START) &&
               !scn_stmt_is_check(st),
           "dma start is not a check");
    st = stmt_at_line(18);
    TAP_OK(st && st->op == SCN_DMA_WAIT && st->expect == SCN_EXPECT_FAULT &&
               st->reason == 6 && (st->flags & SCN_F_ADDR) &&
               scn_stmt_is_check(st),
           "dma-wait");
    st = stmt_at_line(19);
    TAP_OK(st && (st->flags & SCN_F_STALE_IGNORED), "stale=if-ignored");
    st = stmt_at_line(20);
    TAP_OK(st && (st->flags & SCN_F_AM_MAMV) && st->am == 0 &&
               !scn_stmt_is_check(st),
           "am=mamv, no check");
    st = stmt_at_line(22);
    TAP_OK(st && !(st->flags & SCN_F_TT_DEVTLB), "attach tt=multi");
}

/* ------------------------------------------------------------ registers */

static const char regs[] =
    "scenario regs \"raw register access\"\n"
    "  buffer A size=4K\n"
    "  reg read gsts\n"
    "  reg read 0x1c width=4 expect=0xc0000000 mask=0x80000000\n"
    "  reg read cap save=cap\n"
    "  reg read cap expect=$cap\n"
    "  reg read 0..0xfff width=1\n"
    "  reg read 0..0xfff width=8 step=1 where=reserved expect=0\n"
    "  reg write fectl 0x80000000\n"
    "  reg write 0x3a 0xff width=1\n"
    "  reg write gcmd ones\n"
    "  reg write 0x230..0xfff ones width=8 where=any step=4\n"
    "  reg write rtaddr @A+0x10 set=0x3 clear=0x1\n"
    "  reg write rtaddr $cap+1 width=8\n"
    "  reg read iotlb+4 width=4\n"
    "  reg read frcd+8\n"
    "  reg read iva..frcd+0xf width=8\n"
    "  reg read 0x7ffffff width=1\n"
    "  reg read ver expect=bit4 xfail qemu spec=11.2 \"why\"\n"
    "  reg write ecap bit63\n"
    "  reg read feaddr expect=ones\n";

static void test_regs(void)
{
    const struct scn_scenario *c = &script.scn[0];
    const struct scn_stmt *st;
    unsigned nerr = parse(regs);

    for (unsigned i = 0; i < script.nerr; i++)
        tap_diag("line %u: %s", script.err[i].line, script.err[i].msg);
    TAP_OK(nerr == 0, "reg forms parse (%u errors)", nerr);
    TAP_EQ_U64(c->nsaved, 1, "one saved value");
    TAP_EQ_STR(c->saved[0], "cap", "saved value's name");
    st = stmt_at_line(3);
    TAP_OK(st && st->op == SCN_REG_READ && st->reg.from.base == SCN_RB_ABS &&
               st->reg.from.k == VTD_GSTS && st->reg.width == 4 &&
               !st->reg.sweep && st->reg.save < 0 && !scn_stmt_is_check(st),
           "reg read NAME: its offset and width, no check");
    st = stmt_at_line(4);
    TAP_OK(st && st->reg.val.k == 0xc0000000 && st->reg.mask == 0x80000000 &&
               (st->flags & SCN_F_EXPECT) && scn_stmt_is_check(st),
           "reg read with expect= and mask= is a check");
    st = stmt_at_line(5);
    TAP_OK(st && st->reg.width == 8 && st->reg.save == 0 &&
               !scn_stmt_is_check(st),
           "reg read cap: width 8, save=");
    st = stmt_at_line(6);
    TAP_OK(st && st->reg.val.saved == 0 && st->reg.val.k == 0 &&
               st->reg.mask == ~0ull,
           "expect=$NAME; mask defaults to the width");
    st = stmt_at_line(7);
    TAP_OK(st && st->reg.sweep && st->reg.from.k == 0 &&
               st->reg.to.k == 0xfff && st->reg.width == 1 &&
               st->reg.step == 1 && !st->reg.reserved,
           "a sweep: range, width, step defaults to the width");
    st = stmt_at_line(8);
    TAP_OK(st && st->reg.step == 1 && st->reg.width == 8 && st->reg.reserved &&
               scn_stmt_is_check(st),
           "a sweep with step=, where=reserved and expect= is one check");
    st = stmt_at_line(9);
    TAP_OK(st && st->op == SCN_REG_WRITE && st->reg.from.k == VTD_FECTL &&
               st->reg.width == 4 && st->reg.val.k == 0x80000000 &&
               !scn_stmt_is_check(st),
           "reg write is not a check");
    st = stmt_at_line(10);
    TAP_OK(st && st->reg.from.k == 0x3a && st->reg.width == 1 &&
               st->reg.val.k == 0xff,
           "an unaligned byte write");
    st = stmt_at_line(11);
    TAP_OK(st && st->reg.val.ones, "VALUE ones");
    st = stmt_at_line(12);
    TAP_OK(st && st->reg.sweep && st->reg.step == 4 && !st->reg.reserved &&
               st->reg.val.ones,
           "a write sweep with where=any");
    st = stmt_at_line(13);
    TAP_OK(st && st->reg.val.buf == 0 && st->reg.val.k == 0x10 &&
               st->reg.set == 3 && st->reg.clear == 1,
           "@BUFFER, set= and clear=");
    st = stmt_at_line(14);
    TAP_OK(st && st->reg.val.saved == 0 && st->reg.val.k == 1,
           "$NAME+N as a value");
    st = stmt_at_line(15);
    TAP_OK(st && st->reg.from.base == SCN_RB_IRO && st->reg.from.k == 12 &&
               st->reg.width == 4,
           "iotlb+4: from ECAP.IRO, width= kept");
    st = stmt_at_line(16);
    TAP_OK(st && st->reg.from.base == SCN_RB_FRO && st->reg.from.k == 8 &&
               st->reg.width == 8,
           "frcd+8: from CAP.FRO");
    st = stmt_at_line(17);
    TAP_OK(st && st->reg.sweep && st->reg.from.base == SCN_RB_IRO &&
               st->reg.to.base == SCN_RB_FRO && st->reg.to.k == 0xf,
           "a range between two placed registers");
    st = stmt_at_line(18);
    TAP_OK(st && st->reg.from.k == SCN_MAX_REG_OFF, "the largest offset");
    st = stmt_at_line(19);
    TAP_OK(st && st->xf.why && st->reg.val.k == 16, "reg read with xfail");
    st = stmt_at_line(20);
    TAP_OK(st && st->reg.width == 8 && st->reg.val.k == 1ull << 63,
           "a qword value at a named qword register");
    st = stmt_at_line(21);
    TAP_OK(st && st->reg.val.ones && st->reg.width == 4, "expect=ones");
}

static void test_scenarios(void)
{
    static const char two[] = "scenario a \"first\"\n"
                              "  domain d did=1\n"
                              "  bogus statement\n"
                              "  enable\n"
                              "scenario b \"second\"\n"
                              "  domain d did=1\n"
                              "  enable\n";
    unsigned n = parse(two);

    TAP_EQ_U64(n, 1, "one error");
    TAP_EQ_U64(script.nscn, 2, "both scenarios kept");
    TAP_OK(script.scn[0].error == 0, "the first is broken");
    TAP_OK(script.scn[1].error < 0, "the second is not");
    TAP_EQ_U64(script.scn[0].count, 2, "the bad line is dropped");
    TAP_EQ_U64(script.scn[1].first, 2, "statements of the second follow");
    TAP_OK(script.scn[1].dom[0].did == 1, "same domain name in another "
                                          "scenario is fine");
    n = parse("");
    TAP_OK(n == 0 && script.nscn == 0, "empty script");
    n = parse("# only a comment\n\n   \t\n");
    TAP_OK(n == 0 && script.nscn == 0, "comments and blank lines");
    n = parse("scenario x \"no newline at the end\"\n  enable");
    TAP_OK(n == 0 && script.nstmt == 1, "last line without newline");
}

/* ------------------------------------------------------------ error classes */

struct bad_case {
    const char *what;
    const char *body;  /* statements of scenario s (line 2 on) */
    unsigned line;     /* expected line of the first error */
    const char *words; /* a substring the message must contain */
};

#define HDR  "scenario s \"t\"\n"
#define DECL HDR "  domain d did=1\n  buffer A size=8K\n"

static const struct bad_case bad[] = {
    /* structure */
    { "statement before a scenario", "enable\n" HDR, 1,
      "expected `scenario NAME" },
    { "unknown statement", HDR "  frobnicate\n", 2,
      "unknown statement 'frobnicate'" },
    { "scenario without a name", "scenario\n", 1, "expected a name" },
    { "scenario with a bad name", "scenario 9lives \"t\"\n", 1,
      "expected a name" },
    { "scenario without a title", "scenario s\n", 1, "expected a \"title\"" },
    { "scenario with words after the title", "scenario s \"t\" x\n", 1,
      "unexpected words after the title" },
    { "duplicate scenario", HDR HDR, 2, "declared twice (first at line 1)" },
    { "unterminated string", HDR "  note \"abc\n", 2, "unterminated string" },
    { "quote inside a word", HDR "  note a\"b\"\n", 2, "inside a word" },
    { "no space after a string", HDR "  note \"a\"b\n", 2,
      "space after a closing" },
    { "empty key", HDR "  set =qi\n", 2, "expected key=value" },
    { "empty value", HDR "  set via=\n", 2, "expected key=value" },
    { "duplicate key", HDR "  set via=qi via=reg\n", 2,
      "key 'via' given twice" },
    { "invalid character", HDR "  enable \x01\n", 2, "invalid character 0x01" },
    { "non-ASCII", HDR "  note \"caf\xc3\xa9\"\n", 2,
      "invalid character 0xc3" },
    { "line too long",
      HDR "  note \""
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          "\"\n",
      2, "longer than 400" },
    { "too many words",
      HDR "  enable a b c d e f g h i j k l m n o p q r s "
          "t u v w x y z\n",
      2, "more than 24 words" },
    /* keys and words */
    { "missing key", HDR "  domain d\n", 2, "`domain` needs did=NUMBER" },
    { "unknown key", DECL "  map d iova=0 buffer=A colour=red\n", 4,
      "unknown key 'colour' for `map` (expected DOMAIN iova" },
    { "unexpected word", HDR "  enable now\n", 2,
      "unexpected word 'now' for `enable`" },
    { "unexpected string", HDR "  disable \"x\"\n", 2,
      "unexpected string \"x\"" },
    { "bad enum value", DECL "  map d iova=0 buffer=A perm=x\n", 4,
      "perm=x: expected r|w|rw|none" },
    { "bad via", HDR "  set via=carrier-pigeon\n", 2,
      "via=carrier-pigeon: expected reg|qi" },
    { "bad page size", DECL "  map d iova=0 buffer=A page=8K\n", 4,
      "expected 4K, 2M or 1G" },
    { "bad pattern", DECL "  fill A pattern=zebra seed=1\n", 4,
      "pattern=zebra: expected mix|inc|const" },
    /* numbers */
    { "bad number", HDR "  domain d did=12Q\n", 2,
      "did=12Q: expected a number" },
    { "number overflow", DECL "  map d iova=0x10000000000000000 buffer=A\n", 4,
      "is not a number" },
    { "out of range", HDR "  domain d did=65536\n", 2,
      "out of range 0..65535" },
    { "aw value", HDR "  domain d did=1 aw=40\n", 2,
      "aw=40: expected 39, 48 or 57" },
    { "zero-length dma", DECL "  dma edu0 to-ram iova=0 len=0 expect=ok\n", 4,
      "len=0: out of range 1..4095" },
    { "dma beyond the device buffer",
      DECL "  dma edu0 to-ram iova=0 len=4000 off=100 expect=ok\n", 4,
      "beyond the device's buffer" },
    { "fill beyond the buffer", DECL "  fill A offset=8K seed=1\n", 4,
      "offset=8K: out of range" },
    { "check beyond the buffer", DECL "  check A offset=4K len=5K seed=1\n", 4,
      "beyond buffer 'A'" },
    { "map beyond the buffer", DECL "  map d iova=0 buffer=A offset=8K\n", 4,
      "beyond buffer 'A'" },
    { "align not a power of two", HDR "  buffer A size=4K align=12K\n", 2,
      "expected a power of two" },
    { "buffer too large", HDR "  buffer A size=1G\n", 2, "out of range" },
    { "level out of range", DECL "  pte d iova=0 level=6 set=1\n", 4,
      "level=6: out of range 1..5" },
    { "split level", DECL "  split d iova=0 level=1\n", 4,
      "level=1: out of range 2..3" },
    { "fm out of range", HDR "  inv cc device dev=edu0 fm=4\n", 2,
      "fm=4: out of range 0..3" },
    { "word out of range", HDR "  ctx edu0 word=4 set=1\n", 2,
      "word=4: out of range 0..3" },
    { "root word out of range", HDR "  root edu0 word=2 set=1\n", 2,
      "word=2: out of range 0..1" },
    { "pasid word out of range", HDR "  pasid edu0 word=8 set=1\n", 2,
      "word=8: out of range 0..7" },
    { "set mode", HDR "  set mode=legacy\n", 2, "expected scalable" },
    { "pgtt word", HDR "  domain d did=1\n  attach edu0 d pgtt=sl\n", 3,
      "pgtt=sl: expected fs|ss|nested|pt" },
    { "first stage aw", HDR "  domain d did=1 aw=39 stage=first\n", 2,
      "aw=39, expected 48 or 57" },
    { "inv pc gran", HDR "  inv pc page did=1\n", 2,
      "expected a granularity: global, domain or pasid" },
    { "inv piotlb did", HDR "  inv piotlb pasid\n", 2, "needs did=" },
    { "boolean out of range", DECL "  attach edu0 d fpd=2\n", 4,
      "fpd=2: out of range 0..1" },
    /* addresses */
    { "two buffers in an address",
      DECL "  buffer B size=4K\n"
           "  dma edu0 to-ram iova=@A+@B len=1 expect=ok\n",
      5, "at most one @buffer" },
    { "unknown buffer in an address",
      DECL "  dma edu0 to-ram iova=@Z len=1 expect=ok\n", 4,
      "unknown buffer 'Z'" },
    { "empty term", DECL "  dma edu0 to-ram iova=1++2 len=1 expect=ok\n", 4,
      "empty term" },
    { "buffer in a mask", DECL "  pte d iova=0 level=1 set=@A\n", 4,
      "no @buffer here" },
    /* names */
    { "unknown domain", HDR "  attach edu0 nod\n", 2, "unknown domain 'nod'" },
    { "unknown buffer", HDR "  fill Z seed=1\n", 2, "unknown buffer 'Z'" },
    { "buffer= unknown", DECL "  map d iova=0 buffer=Z\n", 4,
      "buffer=Z: unknown buffer" },
    { "duplicate domain", DECL "  domain d did=2\n", 4,
      "domain 'd' declared twice" },
    { "duplicate buffer", DECL "  buffer A size=4K\n", 4,
      "buffer 'A' declared twice" },
    { "reserved domain name", HDR "  domain passthrough did=1\n", 2,
      "reserved word" },
    { "bad device", DECL "  attach gpu0 d\n", 4,
      "expected a device (edu0, edu1, ...), got gpu0" },
    { "device index too large", DECL "  attach edu8 d\n", 4,
      "at most 8 devices" },
    { "did= unknown domain", HDR "  inv iotlb domain did=zz\n", 2,
      "did=zz: unknown domain" },
    /* statement-specific */
    { "map without target", DECL "  map d iova=0\n", 4,
      "expected buffer=NAME [offset=N] or phys=ADDRESS" },
    { "map with both targets", DECL "  map d iova=0 buffer=A phys=0\n", 4,
      "not both" },
    { "pte without change", DECL "  pte d iova=0 level=1\n", 4,
      "expected set=MASK, clear=MASK or addr=ADDRESS" },
    { "ctx without change", HDR "  ctx edu0 word=1\n", 2,
      "expected set=MASK and/or clear=MASK" },
    { "root bad bus", HDR "  root 256 set=1\n", 2,
      "expected a bus number 0..255" },
    { "inv without kind", HDR "  inv tlb global\n", 2,
      "inv: expected cc, iotlb, devtlb, pc, piotlb or iec" },
    { "inv without granularity", HDR "  inv iotlb\n", 2,
      "expected a granularity" },
    { "inv bad granularity", HDR "  inv cc page\n", 2,
      "expected global, domain or device" },
    { "inv domain without did", HDR "  inv iotlb domain\n", 2,
      "needs did=N|DOMAIN" },
    { "inv page without iova", HDR "  inv iotlb page did=1\n", 2,
      "needs iova=ADDRESS" },
    { "inv device without dev", HDR "  inv cc device did=1\n", 2,
      "needs dev=DEV" },
    { "inv bad gran list", HDR "  inv cc global gran=page\n", 2,
      "gran=page: expected a list of none, global, domain, device" },
    { "inv stray word", HDR "  inv iotlb global now\n", 2,
      "expected `unchecked`" },
    { "qi without raw", HDR "  qi cooked\n", 2, "qi: expected `qi raw" },
    { "qi raw without qw0", HDR "  qi raw qw1=0 expect=iqe\n", 2,
      "needs qw0=N" },
    { "qi raw bad expect", HDR "  qi raw qw0=5 expect=fault\n", 2,
      "expected ok, iqe, ok,iqe, any" },
    { "qi raw bad expect list", HDR "  qi raw qw0=5 expect=ok,any\n", 2,
      "expected ok, iqe, ok,iqe, any" },
    { "qi raw without expect", HDR "  qi raw qw0=5\n", 2,
      "needs expect=ok|iqe|ok,iqe|any" },
    { "qi wait without expect", HDR "  qi wait sw=1\n", 2,
      "needs expect=ok|iqe" },
    { "qi wait expect=any", HDR "  qi wait sw=1 expect=any\n", 2,
      "needs expect=ok|iqe" },
    { "qi wait bad flag", HDR "  qi wait sw=2 expect=ok\n", 2,
      "sw=2: out of range 0..1" },
    { "qi wait stray key", HDR "  qi wait pd=1 expect=ok\n", 2,
      "unknown key 'pd'" },
    { "set qs without qi", HDR "  set via=reg qs=1\n", 2,
      "qs= and dw= go with via=qi" },
    { "set qs out of range", HDR "  set via=qi qs=8\n", 2,
      "qs=8: out of range 0..7" },
    { "inv reserved without unchecked", HDR "  inv iotlb reserved\n", 2,
      "goes with `unchecked`" },
    { "inv am not a number", HDR "  inv iotlb page did=1 iova=0 am=x\n", 2,
      "expected N, mamv or mamv+N" },
    { "inv am mamv-", HDR "  inv iotlb page did=1 iova=0 am=mamv-1\n", 2,
      "expected N, mamv or mamv+N" },
    { "inv am too large", HDR "  inv iotlb page did=1 iova=0 am=64\n", 2,
      "6 bits" },
    { "inv bad expect", HDR "  inv iotlb global expect=maybe\n", 2,
      "expected ok, iqe, ok,iqe, any or refused" },
    { "refused needs via=reg", HDR "  inv iotlb global expect=refused\n", 2,
      "expect=refused is for via=reg" },
    { "refused with gran",
      HDR "  inv iotlb global via=reg "
          "expect=refused gran=global\n",
      2, "goes without gran=" },
    { "inv count zero", HDR "  inv iotlb global count=0\n", 2,
      "count=0: out of range 1..4096" },
    { "inv stride without count",
      HDR "  inv iotlb page did=1 iova=0 "
          "stride=4K\n",
      2, "stride= goes with count=N" },
    { "inv fn without dev", HDR "  inv cc global fn=1\n", 2,
      "fn= goes with dev=DEV" },
    { "inv fn out of range", HDR "  inv cc device dev=edu0 fn=8\n", 2,
      "fn=8: out of range 0..7" },
    { "devtlb without dev", HDR "  inv devtlb iova=0\n", 2, "needs dev=DEV" },
    { "devtlb through registers", HDR "  inv devtlb dev=edu0 via=reg\n", 2,
      "exists only as a queued descriptor" },
    { "devtlb size not a power of two",
      HDR "  inv devtlb dev=edu0 "
          "size=12K\n",
      2, "expected a power of two" },
    { "devtlb size below a page", HDR "  inv devtlb dev=edu0 size=2K\n", 2,
      "size=2K: out of range" },
    { "devtlb stray word", HDR "  inv devtlb global dev=edu0\n", 2,
      "inv devtlb: unexpected word 'global'" },
    { "dma start with expect",
      DECL "  dma edu0 to-ram iova=0 len=1 start "
           "expect=ok\n",
      4, "the expectation goes on the `dma-wait`" },
    { "dma stray word", DECL "  dma edu0 to-ram iova=0 len=1 later\n", 4,
      "expected `start`" },
    { "dma-wait without expect", HDR "  dma-wait edu0\n", 2, "needs expect=" },
    { "dma-wait addr without fault",
      HDR "  dma-wait edu0 expect=ok "
          "addr=0\n",
      2, "dma-wait: addr= only goes with expect=fault" },
    { "check-either bad stale",
      DECL "  check-either A len=4 old=1 new=2 "
           "stale=never\n",
      4, "stale=never: expected any or if-ignored" },
    { "attach bad tt", DECL "  attach edu0 d tt=pt\n", 4,
      "tt=pt: expected multi or devtlb" },
    { "dma without direction", DECL "  dma edu0 iova=0 len=1 expect=ok\n", 4,
      "expected a direction" },
    { "dma without expect", DECL "  dma edu0 to-ram iova=0 len=1\n", 4,
      "needs expect=" },
    { "dma bad expect", DECL "  dma edu0 to-ram iova=0 len=1 expect=maybe\n", 4,
      "expected ok, nofault, any or fault:REASON" },
    { "dma unknown fault reason",
      DECL "  dma edu0 to-ram iova=0 len=1 expect=fault:oops\n", 4,
      "unknown fault reason" },
    { "dma addr without fault",
      DECL "  dma edu0 to-ram iova=0 len=1 expect=ok addr=0\n", 4,
      "addr= only goes with expect=fault" },
    { "check pattern and same", DECL "  check A len=1 same=A seed=1\n", 4,
      "not both" },
    { "check-either without seeds", DECL "  check-either A len=4\n", 4,
      "needs old=NUMBER" },
    { "note without text", HDR "  note\n", 2, "note: expected a \"string\"" },
    /* requirements */
    { "unknown requirement", HDR "  require WARP\n", 2,
      "require: unknown item 'WARP'" },
    { "require without items", HDR "  require\n", 2,
      "expected at least one item" },
    { "require aw without value", HDR "  require aw\n", 2,
      "expected a value after it" },
    { "require bad aw", HDR "  require aw 40\n", 2, "expected 39, 48 or 57" },
    { "require bad page", HDR "  require page 4K\n", 2, "expected 2M or 1G" },
    { "require bad edu", HDR "  require edu 0\n", 2, "expected 1..8" },
    { "require bad mamv", HDR "  require mamv 64\n", 2, "expected 0..63" },
    { "require bad arg", HDR "  require arg 9x\n", 2,
      "expected a command-line word" },
    { "require assigned without a device", HDR "  require assigned 1\n", 2,
      "expected a device (edu0, edu1, ...), got 1" },
    { "require two reasons", HDR "  require PT \"a\" \"b\"\n", 2,
      "one \"why\" at most" },
    { "require only a reason", HDR "  require \"a\"\n", 2,
      "expected at least one item" },
/* xfail */
#define XF "xfail qemu<9.2 spec=1.2 "
    { "xfail on a non-check", HDR "  enable " XF "\"why\"\n", 2,
      "`enable` here makes no check" },
    { "xfail before a non-check", HDR "  " XF "\"why\"\n  enable\n", 3,
      "`enable` here makes no check" },
    { "xfail without anything", HDR "  xfail\n", 2,
      "the QEMU versions with the bug first" },
    { "xfail without versions", HDR "  xfail \"why\"\n", 2,
      "the QEMU versions with the bug first" },
    { "xfail without reason", HDR "  xfail qemu spec=1\n", 2, "no \"why\"" },
    { "xfail without spec", HDR "  xfail qemu \"why\"\n", 2,
      "spec=SECTION is required" },
    { "xfail with a bad range", HDR "  xfail qemu<9.x spec=1 \"w\"\n", 2,
      "a bad version" },
    { "xfail with a bad comparison", HDR "  xfail qemu=<9.2 spec=1 \"w\"\n", 2,
      "a bad comparison" },
    { "xfail with an unknown word", HDR "  xfail qemu spec=1 bug=2 \"w\"\n", 2,
      "unexpected 'bug=2'" },
    { "xfail not last", DECL "  check A len=1 " XF "\"w\" seed=1\n", 4,
      "the \"why\" last" },
    { "xfail twice in a row", HDR "  " XF "\"a\"\n  " XF "\"b\"\n", 3,
      "two in a row" },
    { "xfail twice", DECL "  " XF "\"a\"\n  check A len=1 seed=1 " XF "\"b\"\n",
      5, "xfail given twice" },
    { "dangling xfail at a scenario's end",
      HDR "  " XF "\"a\"\n"
          "scenario t \"u\"\n",
      2, "at the end of a scenario" },
    { "dangling xfail at the script's end", HDR "  " XF "\"a\"\n", 2,
      "at the end of the script" },
    { "xfail on require", HDR "  require PT " XF "\"x\"\n", 2,
      "`require` is not a check" },
    { "xfail on dma expect=any",
      DECL "  dma edu0 to-ram iova=0 len=1 expect=any " XF "\"x\"\n", 4,
      "`dma` here makes no check" },
    { "xfail on inv without gran", HDR "  inv iotlb global " XF "\"x\"\n", 2,
      "`inv` here makes no check" },
    { "xfail on inv expect=any",
      HDR "  inv iotlb global expect=any " XF "\"x\"\n", 2,
      "`inv` here makes no check" },
    { "xfail on dma start",
      DECL "  dma edu0 to-ram iova=0 len=1 start " XF "\"x\"\n", 4,
      "`dma` here makes no check" },
/* reg */
#define S1 "  reg read 0 save=x\n"
    { "reg without read or write", HDR "  reg\n", 2,
      "expected `reg read OFFSET ...`" },
    { "reg with another word", HDR "  reg peek 0\n", 2,
      "expected `reg read OFFSET ...`" },
    { "reg read without offset", HDR "  reg read\n", 2, "expected an OFFSET" },
    { "reg: unknown register", HDR "  reg read nosuch\n", 2,
      "unknown register 'nosuch'" },
    { "reg: bad offset", HDR "  reg read 0xzz\n", 2, "is not an offset" },
    { "reg: NAME+ without a number", HDR "  reg read gsts+\n", 2,
      "expected a number after '+'" },
    { "reg: NAME+ with a bad number", HDR "  reg read gsts+x\n", 2,
      "is not an offset" },
    { "reg: offset too large", HDR "  reg read 0x8000000\n", 2,
      "beyond 0x7ffffff" },
    { "reg: NAME+N too large", HDR "  reg read iotlb+0x7fffff8\n", 2,
      "beyond 0x7ffffff" },
    { "reg: range without start", HDR "  reg read ..5\n", 2,
      "expected OFFSET..END" },
    { "reg: range without end", HDR "  reg read 5..\n", 2,
      "expected OFFSET..END" },
    { "reg: width not a power of two", HDR "  reg read 0 width=3\n", 2,
      "expected 1, 2, 4 or 8" },
    { "reg: width too large", HDR "  reg read 0 width=16\n", 2,
      "out of range 1..8" },
    { "reg: step without a range", HDR "  reg read 0 step=4\n", 2,
      "go with a range" },
    { "reg: where without a range", HDR "  reg write 0 0 where=reserved\n", 2,
      "go with a range" },
    { "reg: an empty range", HDR "  reg read 0..3 width=8\n", 2,
      "holds no access of width 8" },
    { "reg: a backward range", HDR "  reg read 8..0\n", 2, "holds no access" },
    { "reg: bad where", HDR "  reg read 0..0xff where=some\n", 2,
      "expected reserved or any" },
    { "reg: step 0", HDR "  reg read 0..0xff step=0\n", 2,
      "out of range 1..4096" },
    { "reg read with a value", HDR "  reg read 0 0x5\n", 2,
      "a read takes no value" },
    { "reg read: mask without expect", HDR "  reg read 0 mask=1\n", 2,
      "mask= goes with expect=" },
    { "reg read: expect too wide", HDR "  reg read 0 width=1 expect=0x100\n", 2,
      "does not fit width=1" },
    { "reg read: mask too wide",
      HDR "  reg read 0 width=1 expect=1 "
          "mask=0x100\n",
      2, "mask= 0x100 does not fit width=1" },
    { "reg read: unknown saved value", HDR "  reg read 0 expect=$nope\n", 2,
      "unknown value 'nope'" },
    { "reg read: a value saved later", HDR "  reg read 0 expect=$x\n" S1, 2,
      "unknown value 'x'" },
    { "reg read: unknown buffer", HDR "  reg read 0 expect=@B\n", 2,
      "unknown buffer 'B'" },
    { "reg read: save on a sweep", HDR "  reg read 0..8 save=x\n", 2,
      "save= takes one read" },
    { "reg read: bad save name", HDR "  reg read 0 save=1x\n", 2,
      "expected a name" },
    { "reg read: saved twice", HDR S1 S1, 3, "already saved" },
    { "reg read: unknown key", HDR "  reg read 0 expect=1 garbage=2\n", 2,
      "unknown key 'garbage'" },
    { "reg write without a value", HDR "  reg write 0\n", 2,
      "expected a VALUE" },
    { "reg write: value too wide", HDR "  reg write 0 0x1ff width=1\n", 2,
      "VALUE 0x1ff does not fit width=1" },
    { "reg write: expect=", HDR "  reg write 0 1 expect=1\n", 2,
      "unknown key 'expect'" },
    { "reg write: set too wide", HDR "  reg write 0 1 set=0x100 width=1\n", 2,
      "set= 0x100 does not fit width=1" },
    { "reg write: clear too wide",
      HDR "  reg write 0 1 clear=0x100 "
          "width=1\n",
      2, "clear= 0x100 does not fit width=1" },
    { "reg write: empty term", HDR "  reg write 0 1+\n", 2, "empty term" },
    { "reg write: two saved values", HDR S1 "  reg write 0 $x+$x\n", 3,
      "at most one $NAME" },
    { "reg write: not a number", HDR "  reg write 0 zz\n", 2,
      "'zz' is not a number" },
    { "reg write: overflow", HDR "  reg write 0 0xffffffffffffffff+1\n", 2,
      "overflows 64 bits" },
    { "xfail on reg write",
      HDR "  reg write 0 1 xfail qemu spec=11.2 "
          "\"x\"\n",
      2, "`reg` here makes no check" },
    { "xfail on reg read without expect",
      HDR "  reg read 0 xfail qemu "
          "spec=11.2 \"x\"\n",
      2, "`reg` here makes no check" },
#undef S1
#undef XF
};

static void test_errors(void)
{
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const struct bad_case *b = &bad[i];
        unsigned n = parse(b->body);
        bool ok = n >= 1 && script.err[0].line == b->line &&
                  strstr(script.err[0].msg, b->words);

        TAP_OK(ok, "error: %s", b->what);
        if (!ok) {
            tap_diag("want line %u: ...%s...", b->line, b->words);
            for (unsigned k = 0; k < script.nerr; k++)
                tap_diag("got line %u: %s", script.err[k].line,
                         script.err[k].msg);
        }
    }
}

static void test_limits(void)
{
    static char text[200000];
    size_t len = 0;
    unsigned n;

    /* More scenarios than the table holds. */
    for (unsigned i = 0; i <= SCN_MAX_SCENARIOS; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len,
                                "scenario s%u \"t\"\n  enable\n", i);
    n = parse(text);
    TAP_OK(n == 1 && strstr(script.err[0].msg, "more than 48 scenarios"),
           "limit: scenarios per script");
    TAP_EQ_U64(script.nscn, SCN_MAX_SCENARIOS, "the table stays full");

    len = (size_t)snprintf(text, sizeof(text), HDR);
    for (unsigned i = 0; i <= SCN_MAX_STMTS; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "  enable\n");
    n = parse(text);
    TAP_OK(n == 1 && strstr(script.err[0].msg, "more than 1024 statements"),
           "limit: statements per script");

    len = (size_t)snprintf(text, sizeof(text), HDR);
    for (unsigned i = 0; i <= SCN_MAX_DOMAINS; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len,
                                "  domain d%u did=%u\n", i, i);
    n = parse(text);
    TAP_OK(n == 1 && strstr(script.err[0].msg, "more than 8 domains"),
           "limit: domains per scenario");

    len = (size_t)snprintf(text, sizeof(text), HDR);
    for (unsigned i = 0; i <= SCN_MAX_BUFFERS; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len,
                                "  buffer b%u size=4K\n", i);
    n = parse(text);
    TAP_OK(n == 1 && strstr(script.err[0].msg, "more than 16 buffers"),
           "limit: buffers per scenario");

    len = (size_t)snprintf(text, sizeof(text), HDR "  require");
    for (unsigned i = 0; i < 23; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, " %s",
                                (const char *[]){
                                    "AFL",   "RWBF",    "PLMR",   "PHMR",
                                    "CM",    "ZLR",     "PSI",    "DWD",
                                    "DRD",   "FL1GP",   "PI",     "FL5LP",
                                    "ECMDS", "ESIRTPS", "ESRTPS", "C",
                                    "QI",    "DT",      "IR",     "EIM",
                                    "PT",    "SC",      "MTS" }[i]);
    len += (size_t)snprintf(text + len, sizeof(text) - len,
                            "\n  require NEST PRS\n");
    n = parse(text);
    TAP_OK(n == 1 && strstr(script.err[0].msg, "more than 24 requirements") &&
               script.err[0].line == 3,
           "limit: requirements per scenario");

    len = (size_t)snprintf(text, sizeof(text), HDR);
    for (unsigned i = 0; i <= SCN_MAX_SAVED; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len,
                                "  reg read 0 save=v%u\n", i);
    n = parse(text);
    TAP_OK(n == 1 && strstr(script.err[0].msg, "more than 16 saved values"),
           "limit: saved values per scenario");

    len = 0;
    for (unsigned i = 0; i < SCN_MAX_ERRORS + 5; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "bad%u\n", i);
    n = parse(text);
    TAP_OK(n == 1,
           "statements before any scenario: one error, then "
           "skipped until a scenario (%u)",
           n);
    len = (size_t)snprintf(text, sizeof(text), HDR);
    for (unsigned i = 0; i < SCN_MAX_ERRORS + 5; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "  bad%u\n", i);
    n = parse(text);
    TAP_OK(n == SCN_MAX_ERRORS + 5 && script.nerr == SCN_MAX_ERRORS &&
               script.errors_lost == 5,
           "errors beyond the table are counted "
           "(%u)",
           n);
}

/* Every script built into the image parses without an error. */
static void test_builtin(void)
{
    TAP_OK(scn_nr_builtin > 0, "%u built-in scripts", scn_nr_builtin);
    for (unsigned i = 0; i < scn_nr_builtin; i++) {
        const struct scn_source *src = &scn_builtin[i];
        unsigned n = scn_parse(&script, src->name, src->text, src->len);
        unsigned checks = 0;

        for (unsigned k = 0; k < script.nerr; k++)
            tap_diag("%s:%u: %s", src->name, script.err[k].line,
                     script.err[k].msg);
        for (unsigned k = 0; k < script.nstmt; k++)
            checks += scn_stmt_is_check(&script.stmt[k]);
        TAP_OK(n == 0 && script.nscn > 0,
               "built-in %s parses: %u "
               "scenarios, %u statements, %u checks",
               src->name, script.nscn, script.nstmt, checks);
    }
}

/* Random lines made of the language's own words, plus raw bytes: the
 * parser must stay inside its tables (the sanitizers watch). */
static void test_random(void)
{
    /* clang-format off */
    static const char *const words[] = {
        "scenario", "s", "\"t\"", "require", "PSI", "!CM", "aw", "48", "edu",
        "domain", "d", "did=1", "buffer", "A", "size=8K", "fill", "seed=1",
        "map", "iova=0x1000", "buffer=A", "phys=@A+4K", "page=2M", "perm=r",
        "dma", "edu0", "to-ram", "from-ram", "len=4095", "off=1",
        "expect=fault:write", "expect=ok", "check", "check-either", "B",
        "old=1", "new=2", "xfail", "\"why\"", "qemu<9.2", "spec=6.5", "fix=ab",
        "qemu", "qemu>=1.2,<3", "inv", "iotlb", "cc", "page",
        "did=d", "am=9", "gran=page,domain", "qi", "raw", "qw0=0x2",
        "pte", "level=1", "set=bit51", "ctx", "root", "word=1", "#", "\"",
        "=", "x=", "=y", "@", "+", "attach", "passthrough", "note",
        "unchecked", "1G", "0x", "split", "merge", "level=2", "protect",
        "unmap", "enable", "disable", "set", "via=qi", "len=0", "\t",
        "devtlb", "wait", "dma-wait", "start", "count=300", "stride=4K",
        "am=mamv+1", "expect=iqe", "expect=refused", "reserved", "fn=7",
        "stale=if-ignored", "mamv", "arg", "qs=1", "dw=1", "tt=devtlb",
        "sw=1", "if=1", "size=16K", "pfsid=8", "reg", "read", "write",
        "gsts", "frcd+8", "0..0xfff", "width=8", "width=3", "step=1",
        "where=reserved", "expect=$x", "save=x", "ones", "$x", "@A",
        "set=1", "mask=0xff", "iotlb..frcd",
    };
    /* clang-format on */
    static char text[8192];
    unsigned seed = 12345, nscn = 0, nerr = 0, out_of_bounds = 0;

    for (unsigned round = 0; round < 3000; round++) {
        size_t len = 0;
        unsigned lines = 1 + (seed >> 16) % 30;

        for (unsigned l = 0; l < lines && len < sizeof(text) - 200; l++) {
            unsigned n;

            seed = seed * 1103515245u + 12345u;
            n = (seed >> 16) % 12;
            for (unsigned w = 0; w < n; w++) {
                const char *word;

                seed = seed * 1103515245u + 12345u;
                word = words[(seed >> 16) % (sizeof(words) / sizeof(words[0]))];
                len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s",
                                        w ? " " : "", word);
            }
            if ((seed >> 8) % 7 == 0)
                text[len++] = (char)(seed >> 3);
            text[len++] = '\n';
        }
        nerr += scn_parse(&script, "random.vtd", text, len) ? 1 : 0;
        nscn += script.nscn;
        if (script.nscn > SCN_MAX_SCENARIOS || script.nstmt > SCN_MAX_STMTS ||
            script.nerr > SCN_MAX_ERRORS)
            out_of_bounds++;
    }
    TAP_OK(!out_of_bounds,
           "random scripts stay within the tables (%u "
           "did not)",
           out_of_bounds);
    TAP_OK(nscn > 0 && nerr > 0,
           "random scripts: %u with errors, %u "
           "scenarios in all",
           nerr, nscn);
}

static const char sm_text[] =
    "scenario s \"scalable mode\"\n"                            /* 1 */
    "  set mode=scalable\n"                                     /* 2 */
    "  domain f did=2 stage=first aw=57\n"                      /* 3 */
    "  domain s did=3\n"                                        /* 4 */
    "  attach edu0 f pasid=5 sre=1 wpe=1\n"                     /* 5 */
    "  attach edu1 s pgtt=pt\n"                                 /* 6 */
    "  attach edu2 passthrough did=4 pasid=7\n"                 /* 7 */
    "  pasid edu0 pasid=5 word=2 set=bit2\n"                    /* 8 */
    "  pdir edu0 clear=1\n"                                     /* 9 */
    "  ctx edu0 word=3 set=1\n"                                 /* 10 */
    "  inv pc pasid did=f pasid=5 expect=ok\n"                  /* 11 */
    "  inv piotlb page did=2 pasid=5 iova=0x200000 am=9 ih=1\n" /* 12 */
    "  dma edu0 to-ram iova=0 len=4 expect=fault:fs-us\n" /* 13 */;

static void test_sm(void)
{
    const struct scn_scenario *c = &script.scn[0];
    const struct scn_stmt *st;
    unsigned nerr = parse(sm_text);

    for (unsigned i = 0; i < script.nerr; i++)
        tap_diag("line %u: %s", script.err[i].line, script.err[i].msg);
    TAP_OK(nerr == 0, "scalable-mode statements parse (%u errors)", nerr);
    st = stmt_at_line(2);
    TAP_OK(st && st->op == SCN_SET_MODE &&
               has_req(c, SCN_REQ_ECAP, VTD_ECAP_SMTS, false),
           "set mode=scalable implies ECAP.SMTS");
    TAP_OK(c->dom[0].first && c->dom[0].aw == 57 && !c->dom[1].first &&
               has_req(c, SCN_REQ_CAP, VTD_CAP_FL5LP, false) &&
               has_req(c, SCN_REQ_ECAP, VTD_ECAP_FLTS, false),
           "domain stage=first aw=57 implies FSTS and FS5LP");
    st = stmt_at_line(5);
    TAP_OK(st && st->pasid == 5 && (st->flags & SCN_F_SRE) &&
               (st->flags & SCN_F_WPE) && !st->pgtt,
           "attach pasid= sre= wpe=");
    st = stmt_at_line(6);
    TAP_OK(st && st->pgtt == 4 && has_req(c, SCN_REQ_ECAP, VTD_ECAP_PT, false),
           "attach pgtt=pt");
    st = stmt_at_line(7);
    TAP_OK(st && st->op == SCN_ATTACH_PT && st->pasid == 7 && st->did == 4,
           "attach passthrough pasid=");
    st = stmt_at_line(8);
    TAP_OK(st && st->op == SCN_PASID && st->word == 2 && st->set == 4 &&
               st->pasid == 5,
           "pasid word=2");
    st = stmt_at_line(9);
    TAP_OK(st && st->op == SCN_PDIR && st->clear == 1, "pdir clear=");
    st = stmt_at_line(10);
    TAP_OK(st && st->op == SCN_CTX && st->word == 3, "ctx word=3");
    st = stmt_at_line(11);
    TAP_OK(st && st->op == SCN_INV_PC && st->gran == 1 && st->did == 2 &&
               st->pasid == 5 && st->expect == SCN_EXPECT_OK &&
               scn_stmt_is_check(st),
           "inv pc pasid");
    st = stmt_at_line(12);
    TAP_OK(st && st->op == SCN_INV_PIOTLB && st->gran == 3 && st->am == 9 &&
               (st->flags & SCN_F_IH) && st->iova.k == 0x200000 &&
               st->via == SCN_VIA_QI && !scn_stmt_is_check(st),
           "inv piotlb page");
    st = stmt_at_line(13);
    TAP_OK(st && st->reason == 0x81, "fault:fs-us is 0x81");
}

int main(void)
{
    test_numbers();
    test_sm();
    test_reasons_patterns();
    test_good();
    test_edge();
    test_regs();
    test_scenarios();
    test_errors();
    test_limits();
    test_builtin();
    test_random();
    return tap_done();
}
