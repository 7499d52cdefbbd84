/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/cap.c — decode and print VER/CAP/ECAP (spec 10.4.1-10.4.3).
 */
#include "lib/printf.h"
#include "vtd/cap.h"
#include "vtd/regmap.h"
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

static void print_flags(bool ecap, uint64_t v)
{
    unsigned n;
    const struct vtd_cap_field *f = vtd_cap_fields(&n);

    for (unsigned i = 0; i < n; i++)
        if (f[i].ecap == ecap)
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
    print_flags(false, c->cap);
    vt_printf("# ECAP 0x%016lx\n", (unsigned long)c->ecap);
    vt_printf("#   IRO      0x%x (IVA 0x%x, IOTLB 0x%x)\n", c->iro, c->iro,
              c->iro + 8);
    vt_printf("#   MHMV     %u\n", (unsigned)FIELD_GET(VTD_ECAP_MHMV, c->ecap));
    vt_printf("#   PSS      %u (PASID width %u)\n",
              (unsigned)FIELD_GET(VTD_ECAP_PSS, c->ecap),
              (unsigned)FIELD_GET(VTD_ECAP_PSS, c->ecap) + 1);
    print_flags(true, c->ecap);
}
