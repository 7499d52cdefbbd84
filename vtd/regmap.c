/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/regmap.c — the register file of 11.4 (rev 5.10) as a table.
 */
#include <string.h>

#include "vtd/regmap.h"
#include "vtd/regs.h"

#define R(n, o, s, w)       { n, o, s, w, VTD_REG_FIXED, 0, 0 }
#define RC(n, o, s, w, c)   { n, o, s, w, VTD_REG_FIXED, c, 0 }
#define RE(n, o, s, w, e)   { n, o, s, w, VTD_REG_FIXED, 0, e }

/* The table of 11.4 in its order. Reserved rows (004h, 030h, 048h-063h,
 * 098h, 0D8h, ...) are simply absent. */
static const struct vtd_reg_info regs[] = {
    R("ver", VTD_VER, 4, 4),
    R("cap", VTD_CAP, 8, 8),
    R("ecap", VTD_ECAP, 8, 8),
    R("gcmd", VTD_GCMD, 4, 4),
    R("gsts", VTD_GSTS, 4, 4),
    R("rtaddr", VTD_RTADDR, 8, 8),
    R("ccmd", VTD_CCMD, 8, 8),
    R("fsts", VTD_FSTS, 4, 4),
    R("fectl", VTD_FECTL, 4, 4),
    R("fedata", VTD_FEDATA, 4, 4),
    R("feaddr", VTD_FEADDR, 4, 4),
    /* 11.4.7.5: "may" be RsvdZ without EIM: counted as a register. */
    R("feuaddr", VTD_FEUADDR, 4, 4),
    /* Earlier revisions' advanced fault log, with CAP.AFL. */
    RC("aflog", VTD_AFLOG, 8, 8, VTD_CAP_AFL),
    /* 11.4.8: read-only without PLMR/PHMR, not reserved. */
    R("pmen", VTD_PMEN, 4, 4),
    R("plmbase", VTD_PLMBASE, 4, 4),
    R("plmlimit", VTD_PLMLIMIT, 4, 4),
    R("phmbase", VTD_PHMBASE, 8, 8),
    R("phmlimit", VTD_PHMLIMIT, 8, 8),
    /* 11.4.9: RsvdZ without QI. */
    RE("iqh", VTD_IQH, 8, 8, VTD_ECAP_QI),
    RE("iqt", VTD_IQT, 8, 8, VTD_ECAP_QI),
    RE("iqa", VTD_IQA, 8, 8, VTD_ECAP_QI),
    RE("ics", VTD_ICS, 4, 4, VTD_ECAP_QI),
    RE("iectl", VTD_IECTL, 4, 4, VTD_ECAP_QI),
    RE("iedata", VTD_IEDATA, 4, 4, VTD_ECAP_QI),
    RE("ieaddr", VTD_IEADDR, 4, 4, VTD_ECAP_QI),
    RE("ieuaddr", VTD_IEUADDR, 4, 4, VTD_ECAP_QI),
    RE("iqercd", VTD_IQERCD, 8, 8, VTD_ECAP_QI),
    RE("irta", VTD_IRTA, 8, 8, VTD_ECAP_IR),
    RE("pqh", VTD_PQH, 8, 8, VTD_ECAP_PRS),
    RE("pqt", VTD_PQT, 8, 8, VTD_ECAP_PRS),
    RE("pqa", VTD_PQA, 8, 8, VTD_ECAP_PRS),
    RE("prs", VTD_PRS, 4, 4, VTD_ECAP_PRS),
    RE("pectl", VTD_PECTL, 4, 4, VTD_ECAP_PRS),
    RE("pedata", VTD_PEDATA, 4, 4, VTD_ECAP_PRS),
    RE("peaddr", VTD_PEADDR, 4, 4, VTD_ECAP_PRS),
    RE("peuaddr", VTD_PEUADDR, 4, 4, VTD_ECAP_PRS),
    RE("mtrrcap", VTD_MTRRCAP, 8, 8, VTD_ECAP_MTS),
    RE("mtrrdef", VTD_MTRRDEF, 8, 8, VTD_ECAP_MTS),
    RE("mtrr-fix", VTD_MTRR_FIX, 11 * 8, 8, VTD_ECAP_MTS),
    RE("mtrr-var", VTD_MTRR_VAR, 20 * 8, 8, VTD_ECAP_MTS),
    /* The counters sit at offsets the capability registers give, in
     * this page or further ones: with PMS everything from 300h on is
     * counted as registers. */
    RE("perf", VTD_PERFCAP, 0x1000 - VTD_PERFCAP, 8, VTD_ECAP_PMS),
    RC("ecmd", VTD_ECMD, 0x60, 8, VTD_CAP_ECMDS),
    /* 11.4.15: no capability bit of CAP/ECAP announces it here. */
    R("rdt", VTD_RDT, 0x40, 8),
    RE("vcmd", VTD_VCMD, 0x50, 8, VTD_ECAP_VCS),
    { "iva", 0, 8, 8, VTD_REG_AT_IRO, 0, 0 },
    { "iotlb", 8, 8, 8, VTD_REG_AT_IRO, 0, 0 },
    { "frcd", 0, 0, 8, VTD_REG_AT_FRO, 0, 0 },
};

#define NREGS (sizeof(regs) / sizeof(regs[0]))

const struct vtd_reg_info *vtd_reg_by_name(const char *s, size_t n)
{
    for (unsigned i = 0; i < NREGS; i++)
        if (strlen(regs[i].name) == n && !memcmp(regs[i].name, s, n))
            return &regs[i];
    return NULL;
}

bool vtd_reg_present(const struct vtd_unit *u, const struct vtd_reg_info *r)
{
    if (!r->cap && !r->ecap)
        return true;
    return (u->caps.cap & r->cap) || (u->caps.ecap & r->ecap);
}

uint64_t vtd_reg_start(const struct vtd_unit *u, const struct vtd_reg_info *r)
{
    switch (r->place) {
    case VTD_REG_AT_IRO:
        return (uint64_t)u->caps.iro + r->off;
    case VTD_REG_AT_FRO:
        return (uint64_t)u->caps.fro + r->off;
    }
    return r->off;
}

uint64_t vtd_reg_span(const struct vtd_unit *u, const struct vtd_reg_info *r)
{
    return r->size ? r->size : 16ull * u->caps.nfr;
}

const struct vtd_reg_info *vtd_reg_at(const struct vtd_unit *u,
                                      uint64_t off)
{
    for (unsigned i = 0; i < NREGS; i++) {
        uint64_t start = vtd_reg_start(u, &regs[i]);

        if (off >= start && off - start < vtd_reg_span(u, &regs[i]) &&
            vtd_reg_present(u, &regs[i]))
            return &regs[i];
    }
    return NULL;
}

bool vtd_reg_reserved(const struct vtd_unit *u, uint64_t off, uint64_t len)
{
    for (uint64_t i = 0; i < len; i++)
        if (vtd_reg_at(u, off + i))
            return false;
    return true;
}
