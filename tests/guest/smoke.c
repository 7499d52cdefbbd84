/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/guest/smoke.c — the remapping unit answers and decodes.
 *
 * Reads VER/CAP/ECAP at the register base of the DMAR table's first DRHD
 * and prints them decoded.
 */
#include "lib/platform.h"
#include "lib/printf.h"
#include "lib/report.h"
#include "lib/test.h"
#include "engine/env.h"
#include "vtd/cap.h"
#include "vtd/regs.h"

TEST(smoke, "smoke", "VT-d VER/CAP/ECAP readable and decoded", 0)
{
    const struct env *env = env_get();
    uint64_t base = env->vtd_base;
    struct vtd_caps c;
    uint32_t ver;
    uint64_t cap, ecap;

    if (!env->vtd_found) {
        report_skip(env->vtd_missing, "remapping unit present");
        return;
    }
    vt_printf("# unit at 0x%lx (DMAR DRHD 0, segment %u)\n",
              (unsigned long)base, env->vtd_segment);
    ver = plat_mmio_read32(base + VTD_VER);
    cap = plat_mmio_read64(base + VTD_CAP);
    ecap = plat_mmio_read64(base + VTD_ECAP);
    /* All ones (or nothing at all) is "no device here", not a FAILURE. */
    if (ver == 0xFFFFFFFF || (ver == 0 && cap == 0 && ecap == 0)) {
        report_error("no remapping unit at 0x%lx: VER 0x%x CAP 0x%lx "
                     "ECAP 0x%lx",
                     (unsigned long)base, ver, (unsigned long)cap,
                     (unsigned long)ecap);
        return;
    }
    vtd_caps_decode(ver, cap, ecap, &c);
    vtd_caps_print(&c);

    report(FIELD_GET(VTD_VER_MAX, ver) >= 1,
           "VER 0x%x: major version at least 1", ver);
    report(!(ver & VTD_VER_RSVD), "VER 0x%x: reserved bits 31:8 zero", ver);
    report(!(cap & VTD_CAP_RSVD), "CAP 0x%lx: reserved bits zero (mask 0x%lx)",
           (unsigned long)cap, (unsigned long)(cap & VTD_CAP_RSVD));
    report(!(ecap & VTD_ECAP_RSVD),
           "ECAP 0x%lx: reserved bits zero (mask 0x%lx)", (unsigned long)ecap,
           (unsigned long)(ecap & VTD_ECAP_RSVD));
    report(c.domains != 0, "CAP.ND %u is a defined encoding",
           (unsigned)FIELD_GET(VTD_CAP_ND, cap));
    report(!(cap & VTD_CAP_PSI) || c.mamv <= 63,
           "CAP.MAMV %u within the IVA.AM field", c.mamv);
    report(!(ecap & VTD_ECAP_DT) || (ecap & VTD_ECAP_QI),
           "ECAP.DT implies ECAP.QI");
    report(!(ecap & VTD_ECAP_IR) || (ecap & VTD_ECAP_QI),
           "ECAP.IR implies ECAP.QI");
    report(!(ecap & VTD_ECAP_EIM) || (ecap & VTD_ECAP_IR),
           "ECAP.EIM implies ECAP.IR");
    report(!(cap & VTD_CAP_PI) || (ecap & VTD_ECAP_IR),
           "CAP.PI implies ECAP.IR");
    report(c.iro >= 0x100 || c.iro >= VTD_IRTA + 8,
           "IOTLB registers at 0x%x lie past the architectural registers",
           c.iro);
}
