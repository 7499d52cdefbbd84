/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/cap.c — decode and print VER/CAP/ECAP (spec 10.4.1-10.4.3).
 */
#include "lib/printf.h"
#include "vtd/cap.h"
#include "vtd/regs.h"

void vtd_caps_decode(uint32_t ver, uint64_t cap, uint64_t ecap,
                     struct vtd_caps *out)
{
    unsigned nd = (unsigned)FIELD_GET(VTD_CAP_ND, cap);

    out->ver = ver;
    out->cap = cap;
    out->ecap = ecap;
    out->domains = nd <= 6 ? 1u << (4 + 2 * nd) : 0;
    out->mgaw = (unsigned)FIELD_GET(VTD_CAP_MGAW, cap) + 1;
    out->sagaw = (unsigned)FIELD_GET(VTD_CAP_SAGAW, cap);
    out->nfr = (unsigned)FIELD_GET(VTD_CAP_NFR, cap) + 1;
    out->fro = (unsigned)FIELD_GET(VTD_CAP_FRO, cap) * 16;
    out->iro = (unsigned)FIELD_GET(VTD_ECAP_IRO, ecap) * 16;
    out->mamv = (unsigned)FIELD_GET(VTD_CAP_MAMV, cap);
}

struct flag {
    uint64_t mask;
    const char *name;
    const char *what;
};

static const struct flag cap_flags[] = {
    { VTD_CAP_AFL, "AFL", "advanced fault logging" },
    { VTD_CAP_RWBF, "RWBF", "write-buffer flush required" },
    { VTD_CAP_PLMR, "PLMR", "protected low-memory region" },
    { VTD_CAP_PHMR, "PHMR", "protected high-memory region" },
    { VTD_CAP_CM, "CM", "caching mode" },
    { VTD_CAP_ZLR, "ZLR", "zero-length reads" },
    { VTD_CAP_PSI, "PSI", "page-selective invalidation" },
    { VTD_CAP_DWD, "DWD", "write draining" },
    { VTD_CAP_DRD, "DRD", "read draining" },
    { VTD_CAP_FL1GP, "FL1GP", "first-level 1 GiB pages" },
    { VTD_CAP_PI, "PI", "posted interrupts" },
    { VTD_CAP_FL5LP, "FL5LP", "first-level 5-level paging" },
    { VTD_CAP_ECMDS, "ECMDS", "enhanced command interface" },
    { VTD_CAP_ESIRTPS, "ESIRTPS", "SIRTP invalidates IR caches" },
    { VTD_CAP_ESRTPS, "ESRTPS", "SRTP invalidates DMA caches" },
};

static const struct flag ecap_flags[] = {
    { VTD_ECAP_C, "C", "page-walk coherency" },
    { VTD_ECAP_QI, "QI", "queued invalidation" },
    { VTD_ECAP_DT, "DT", "device-TLB" },
    { VTD_ECAP_IR, "IR", "interrupt remapping" },
    { VTD_ECAP_EIM, "EIM", "x2APIC interrupt mode" },
    { VTD_ECAP_PT, "PT", "pass-through" },
    { VTD_ECAP_SC, "SC", "snoop control" },
    { VTD_ECAP_MTS, "MTS", "memory type support" },
    { VTD_ECAP_NEST, "NEST", "nested translation" },
    { VTD_ECAP_PRS, "PRS", "page requests" },
    { VTD_ECAP_ERS, "ERS", "execute requests" },
    { VTD_ECAP_SRS, "SRS", "supervisor requests" },
    { VTD_ECAP_NWFS, "NWFS", "no-write flag" },
    { VTD_ECAP_EAFS, "EAFS", "extended accessed flag" },
    { VTD_ECAP_PASID, "PASID", "PASID support" },
    { VTD_ECAP_DIT, "DIT", "device-TLB invalidation throttling" },
    { VTD_ECAP_PDS, "PDS", "page-request drain" },
    { VTD_ECAP_SMTS, "SMTS", "scalable-mode translation" },
    { VTD_ECAP_VCS, "VCS", "virtual command" },
    { VTD_ECAP_SLADS, "SLADS", "second-level A/D" },
    { VTD_ECAP_SLTS, "SLTS", "second-level translation (scalable)" },
    { VTD_ECAP_FLTS, "FLTS", "first-level translation" },
    { VTD_ECAP_SMPWCS, "SMPWCS", "scalable-mode page-walk coherency" },
    { VTD_ECAP_RPS, "RPS", "RID_PASID" },
    { VTD_ECAP_PMS, "PMS", "performance monitoring" },
    { VTD_ECAP_ADMS, "ADMS", "abort-DMA mode" },
    { VTD_ECAP_RPRIVS, "RPRIVS", "RID_PRIV" },
};

static void print_flags(const struct flag *f, unsigned n, uint64_t v)
{
    for (unsigned i = 0; i < n; i++)
        vt_printf("#   %-8s %-3s %s\n", f[i].name,
                  (v & f[i].mask) ? "yes" : "no", f[i].what);
}

void vtd_caps_print(const struct vtd_caps *c)
{
    static const char *const agaw_names[5] = {
        "30-bit/2-level", "39-bit/3-level", "48-bit/4-level",
        "57-bit/5-level", "64-bit/6-level",
    };
    unsigned sllps = (unsigned)FIELD_GET(VTD_CAP_SLLPS, c->cap);

    vt_printf("# VER  0x%08x (version %u.%u)\n", c->ver,
              (unsigned)FIELD_GET(VTD_VER_MAX, c->ver),
              (unsigned)FIELD_GET(VTD_VER_MIN, c->ver));
    vt_printf("# CAP  0x%016lx\n", (unsigned long)c->cap);
    vt_printf("#   ND       %u domains\n", c->domains);
    vt_printf("#   MGAW     %u bits\n", c->mgaw);
    vt_printf("#   SAGAW    0x%x:", c->sagaw);
    for (unsigned i = 0; i < 5; i++)
        if (c->sagaw & (1u << i))
            vt_printf(" %s", agaw_names[i]);
    vt_printf("%s\n", c->sagaw ? "" : " none (no second-level translation)");
    vt_printf("#   SLLPS    0x%x:%s%s\n", sllps, (sllps & 1) ? " 2MiB" : "",
              (sllps & 2) ? " 1GiB" : "");
    vt_printf("#   FRO      0x%x (%u fault recording register%s)\n", c->fro,
              c->nfr, c->nfr == 1 ? "" : "s");
    vt_printf("#   MAMV     %u\n", c->mamv);
    print_flags(cap_flags, sizeof(cap_flags) / sizeof(cap_flags[0]), c->cap);
    vt_printf("# ECAP 0x%016lx\n", (unsigned long)c->ecap);
    vt_printf("#   IRO      0x%x (IVA 0x%x, IOTLB 0x%x)\n", c->iro, c->iro,
              c->iro + 8);
    vt_printf("#   MHMV     %u\n", (unsigned)FIELD_GET(VTD_ECAP_MHMV, c->ecap));
    vt_printf("#   PSS      %u (PASID width %u)\n",
              (unsigned)FIELD_GET(VTD_ECAP_PSS, c->ecap),
              (unsigned)FIELD_GET(VTD_ECAP_PSS, c->ecap) + 1);
    print_flags(ecap_flags, sizeof(ecap_flags) / sizeof(ecap_flags[0]),
                c->ecap);
}
