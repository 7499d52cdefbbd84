/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/regmap.c — the register file of 11.4 (rev 5.10) as a table.
 */
#include <string.h>

#include "vtd/regmap.h"
#include "vtd/regs.h"

#define R(n, o, s, w)                   \
    {                                   \
        n, o, s, w, VTD_REG_FIXED, 0, 0 \
    }
#define RC(n, o, s, w, c)               \
    {                                   \
        n, o, s, w, VTD_REG_FIXED, c, 0 \
    }
#define RE(n, o, s, w, e)               \
    {                                   \
        n, o, s, w, VTD_REG_FIXED, 0, e \
    }

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

const struct vtd_reg_info *vtd_reg_at(const struct vtd_unit *u, uint64_t off)
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

/* The one-bit fields of CAP (10.4.2) and ECAP (10.4.3): their names as
 * the specification writes them (scripts require them by these names)
 * and what each announces. */
static const struct vtd_cap_field cap_fields[] = {
    { "AFL", false, VTD_CAP_AFL, "advanced fault logging" },
    { "RWBF", false, VTD_CAP_RWBF, "write-buffer flush required" },
    { "PLMR", false, VTD_CAP_PLMR, "protected low-memory region" },
    { "PHMR", false, VTD_CAP_PHMR, "protected high-memory region" },
    { "CM", false, VTD_CAP_CM, "caching mode" },
    { "ZLR", false, VTD_CAP_ZLR, "zero-length reads" },
    { "PSI", false, VTD_CAP_PSI, "page-selective invalidation" },
    { "DWD", false, VTD_CAP_DWD, "write draining" },
    { "DRD", false, VTD_CAP_DRD, "read draining" },
    { "FL1GP", false, VTD_CAP_FL1GP, "first-level 1 GiB pages" },
    { "PI", false, VTD_CAP_PI, "posted interrupts" },
    { "FL5LP", false, VTD_CAP_FL5LP, "first-level 5-level paging" },
    { "ECMDS", false, VTD_CAP_ECMDS, "enhanced command interface" },
    { "ESIRTPS", false, VTD_CAP_ESIRTPS, "SIRTP invalidates IR caches" },
    { "ESRTPS", false, VTD_CAP_ESRTPS, "SRTP invalidates DMA caches" },
    { "C", true, VTD_ECAP_C, "page-walk coherency" },
    { "QI", true, VTD_ECAP_QI, "queued invalidation" },
    { "DT", true, VTD_ECAP_DT, "device-TLB" },
    { "IR", true, VTD_ECAP_IR, "interrupt remapping" },
    { "EIM", true, VTD_ECAP_EIM, "x2APIC interrupt mode" },
    { "PT", true, VTD_ECAP_PT, "pass-through" },
    { "SC", true, VTD_ECAP_SC, "snoop control" },
    { "MTS", true, VTD_ECAP_MTS, "memory type support" },
    { "NEST", true, VTD_ECAP_NEST, "nested translation" },
    { "PRS", true, VTD_ECAP_PRS, "page requests" },
    { "ERS", true, VTD_ECAP_ERS, "execute requests" },
    { "SRS", true, VTD_ECAP_SRS, "supervisor requests" },
    { "NWFS", true, VTD_ECAP_NWFS, "no-write flag" },
    { "EAFS", true, VTD_ECAP_EAFS, "extended accessed flag" },
    { "PASID", true, VTD_ECAP_PASID, "PASID support" },
    { "DIT", true, VTD_ECAP_DIT, "device-TLB invalidation throttling" },
    { "PDS", true, VTD_ECAP_PDS, "page-request drain" },
    { "SMTS", true, VTD_ECAP_SMTS, "scalable-mode translation" },
    { "VCS", true, VTD_ECAP_VCS, "virtual command" },
    { "SLADS", true, VTD_ECAP_SLADS, "second-level A/D" },
    { "SLTS", true, VTD_ECAP_SLTS, "second-level translation (scalable)" },
    { "FLTS", true, VTD_ECAP_FLTS, "first-level translation" },
    { "SMPWCS", true, VTD_ECAP_SMPWCS, "scalable-mode page-walk coherency" },
    { "RPS", true, VTD_ECAP_RPS, "RID_PASID" },
    { "PMS", true, VTD_ECAP_PMS, "performance monitoring" },
    { "ADMS", true, VTD_ECAP_ADMS, "abort-DMA mode" },
    { "RPRIVS", true, VTD_ECAP_RPRIVS, "RID_PRIV" },
};

const struct vtd_cap_field *vtd_cap_fields(unsigned *count)
{
    *count = sizeof(cap_fields) / sizeof(cap_fields[0]);
    return cap_fields;
}
