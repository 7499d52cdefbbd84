/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/inv.c — register-based invalidation (spec 6.5.1, 10.4.7-10.4.8).
 */
#include "lib/wait.h"
#include "vtd/entries.h"
#include "vtd/inv.h"
#include "vtd/qi.h"

const char *vtd_gran_name(unsigned gran, bool iotlb)
{
    /* clang-format off */
    switch (gran) {
    case VTD_GRAN_NONE:   return "none";
    case VTD_GRAN_GLOBAL: return "global";
    case VTD_GRAN_DOMAIN: return "domain";
    case VTD_GRAN_PAGE:   return iotlb ? "page" : "device";
    }
    /* clang-format on */
    return "?";
}

uint64_t vtd_ccmd_value(unsigned gran, uint16_t did, uint16_t sid, unsigned fm)
{
    return VTD_CCMD_ICC | FIELD_PREP(VTD_CCMD_CIRG, gran) |
           FIELD_PREP(VTD_CCMD_FM, fm) | FIELD_PREP(VTD_CCMD_SID, sid) |
           FIELD_PREP(VTD_CCMD_DID, did);
}

uint64_t vtd_iotlb_value(const struct vtd_iotlb_req *r)
{
    return VTD_IOTLB_IVT | FIELD_PREP(VTD_IOTLB_IIRG, r->gran) |
           (r->dr ? VTD_IOTLB_DR : 0) | (r->dw ? VTD_IOTLB_DW : 0) |
           FIELD_PREP(VTD_IOTLB_DID, r->did);
}

uint64_t vtd_iva_value(const struct vtd_iotlb_req *r)
{
    return (r->addr & VTD_IVA_ADDR) | (r->ih ? VTD_IVA_IH : 0) |
           FIELD_PREP(VTD_IVA_AM, r->am);
}

static int iotlb_req_ok(struct vtd_unit *u, const struct vtd_iotlb_req *r);

static bool qi_on(const struct vtd_unit *u)
{
    return (vtd_gsts(u) & VTD_GCMD_QIE) || (u->gcmd & VTD_GCMD_QIE);
}

/* 6.5.1: register-based invalidation is not supported with scalable-mode
 * translation (RTADDR.TTM=01), which needs the queue. */
/* Register-based invalidation is refused while queued invalidation is on
 * (software uses only the queue then, 6.5.2) and in scalable mode, where
 * only queued invalidation is supported (6.5.1). */
static int reg_inv_refused(struct vtd_unit *u, const char *what)
{
    if (qi_on(u))
        return vtd_fail(u, VTD_EQION,
                        "%s refused: queued invalidation is on (GSTS 0x%08x)",
                        what, vtd_gsts(u));
    if (u->ttm != VTD_TTM_SCALABLE)
        return VTD_OK;
    return vtd_fail(u, VTD_ENOTSUP,
                    "%s refused: the unit translates in scalable mode "
                    "(TTM=01), where only queued invalidation is supported "
                    "(6.5.1)",
                    what);
}

int vtd_cc_inv_raw(struct vtd_unit *u, uint64_t ccmd, uint64_t *after)
{
    uint64_t v;
    int rc;

    vtd_write64(u, VTD_CCMD, ccmd);
    rc = WAIT_FOR(!(vtd_read64(u, VTD_CCMD) & VTD_CCMD_ICC), u->timeout_ns);
    v = vtd_read64(u, VTD_CCMD);
    if (after)
        *after = v;
    if (rc != WAIT_OK)
        return vtd_fail(u, VTD_ETIMEDOUT,
                        "CCMD 0x%016lx: ICC still set "
                        "after %lu ms (wrote 0x%016lx, GSTS 0x%08x)",
                        (unsigned long)v,
                        (unsigned long)(u->timeout_ns / 1000000),
                        (unsigned long)ccmd, vtd_gsts(u));
    return VTD_OK;
}

int vtd_cc_inv(struct vtd_unit *u, unsigned gran, uint16_t did, uint16_t sid,
               unsigned fm, unsigned *actual)
{
    uint64_t after;
    int rc;

    if (actual)
        *actual = VTD_GRAN_NONE;
    rc = reg_inv_refused(u, "CCMD");
    if (rc)
        return rc;
    if (gran < VTD_GRAN_GLOBAL || gran > VTD_GRAN_DEVICE || fm > 3)
        return vtd_fail(u, VTD_EINVAL, "CCMD granularity %u, FM %u", gran, fm);
    /* 10.4.7: CCMD must not be written while ICC is still set. */
    after = vtd_read64(u, VTD_CCMD);
    if (after & VTD_CCMD_ICC)
        return vtd_fail(u, VTD_EBUSY,
                        "CCMD 0x%016lx: ICC still set from an "
                        "earlier request",
                        (unsigned long)after);
    rc = vtd_cc_inv_raw(u, vtd_ccmd_value(gran, did, sid, fm), &after);
    if (actual)
        *actual = (unsigned)FIELD_GET(VTD_CCMD_CAIG, after);
    return rc;
}

int vtd_iotlb_inv_raw(struct vtd_unit *u, uint64_t iva, uint64_t iotlb,
                      uint64_t *after)
{
    uint64_t v;
    int rc;

    /* 10.4.8.2: IVA first; the IOTLB write (IVT=1) starts the request. */
    if (FIELD_GET(VTD_IOTLB_IIRG, iotlb) == VTD_GRAN_PAGE)
        vtd_write64(u, u->iva, iva);
    vtd_write64(u, u->iotlb, iotlb);
    rc = WAIT_FOR(!(vtd_read64(u, u->iotlb) & VTD_IOTLB_IVT), u->timeout_ns);
    v = vtd_read64(u, u->iotlb);
    if (after)
        *after = v;
    if (rc != WAIT_OK)
        return vtd_fail(u, VTD_ETIMEDOUT,
                        "IOTLB 0x%016lx: IVT still set "
                        "after %lu ms (wrote IVA 0x%016lx IOTLB 0x%016lx, "
                        "GSTS 0x%08x)",
                        (unsigned long)v,
                        (unsigned long)(u->timeout_ns / 1000000),
                        (unsigned long)iva, (unsigned long)iotlb, vtd_gsts(u));
    return VTD_OK;
}

int vtd_iotlb_inv(struct vtd_unit *u, const struct vtd_iotlb_req *r,
                  unsigned *actual)
{
    uint64_t after;
    int rc;

    if (actual)
        *actual = VTD_GRAN_NONE;
    rc = reg_inv_refused(u, "IOTLB invalidation");
    if (rc)
        return rc;
    after = vtd_read64(u, u->iotlb);
    if (after & VTD_IOTLB_IVT)
        return vtd_fail(u, VTD_EBUSY,
                        "IOTLB 0x%016lx: IVT still set from "
                        "an earlier request",
                        (unsigned long)after);
    rc = iotlb_req_ok(u, r);
    if (rc)
        return rc;
    rc = vtd_iotlb_inv_raw(u, vtd_iva_value(r), vtd_iotlb_value(r), &after);
    if (actual)
        *actual = (unsigned)FIELD_GET(VTD_IOTLB_IAIG, after);
    return rc;
}

static int iotlb_req_ok(struct vtd_unit *u, const struct vtd_iotlb_req *r)
{
    if (r->gran < VTD_GRAN_GLOBAL || r->gran > VTD_GRAN_PAGE)
        return vtd_fail(u, VTD_EINVAL, "IOTLB granularity %u", r->gran);
    if (r->gran == VTD_GRAN_PAGE) {
        if (!vtd_has_cap(u, VTD_CAP_PSI))
            return vtd_fail(u, VTD_ENOTSUP,
                            "page-selective IOTLB "
                            "invalidation needs CAP.PSI");
        if (r->am > u->caps.mamv)
            return vtd_fail(u, VTD_EINVAL, "AM %u above CAP.MAMV %u", r->am,
                            u->caps.mamv);
        /* 10.4.8.3: ADDR must be aligned to the 2^AM pages it covers. */
        if (r->addr & ((VTD_PAGE_SIZE << r->am) - 1))
            return vtd_fail(u, VTD_EINVAL,
                            "IVA address 0x%lx not aligned "
                            "to 2^%u pages",
                            (unsigned long)r->addr, r->am);
    }
    return VTD_OK;
}

int vtd_inv_all(struct vtd_unit *u)
{
    struct vtd_iotlb_req all = { .gran = VTD_GRAN_GLOBAL };
    int rc;

    if (qi_on(u)) {
        struct vtd_desc d[2];

        if (!u->qi)
            return vtd_fail(u, VTD_EQIOFF,
                            "QI is on but no queue is known "
                            "to the driver");
        d[0] = vtd_desc_cc(VTD_GRAN_GLOBAL, 0, 0, 0);
        d[1] = vtd_desc_iotlb(&all);
        return vtd_qi_sync(u->qi, d, 2);
    }
    rc = vtd_cc_inv(u, VTD_GRAN_GLOBAL, 0, 0, 0, NULL);
    return rc ? rc : vtd_iotlb_inv(u, &all, NULL);
}

/* The interface a request goes through: VTD_IFACE_REG or _QI, or an
 * error when the one asked for cannot be used. */
static int pick(struct vtd_unit *u, enum vtd_iface via)
{
    bool on = qi_on(u);

    if (via == VTD_IFACE_AUTO)
        via = on ? VTD_IFACE_QI : VTD_IFACE_REG;
    if (via == VTD_IFACE_QI && (!on || !u->qi))
        return vtd_fail(u, VTD_EQIOFF,
                        "queued invalidation asked for, but "
                        "QI is off (GSTS 0x%08x)",
                        vtd_gsts(u));
    return (int)via;
}

int vtd_inv_context(struct vtd_unit *u, enum vtd_iface via, unsigned gran,
                    uint16_t did, uint16_t sid, unsigned fm, unsigned *actual)
{
    struct vtd_desc d;
    int rc, how = pick(u, via);

    if (how < 0)
        return how;
    if (how == VTD_IFACE_REG)
        return vtd_cc_inv(u, gran, did, sid, fm, actual);
    if (actual)
        *actual = VTD_GRAN_NONE;
    if (gran < VTD_GRAN_GLOBAL || gran > VTD_GRAN_DEVICE || fm > 3)
        return vtd_fail(u, VTD_EINVAL, "context-cache granularity %u, FM %u",
                        gran, fm);
    d = vtd_desc_cc(gran, did, sid, fm);
    rc = vtd_qi_sync(u->qi, &d, 1);
    if (!rc && actual)
        *actual = gran;
    return rc;
}

int vtd_inv_iotlb(struct vtd_unit *u, enum vtd_iface via,
                  const struct vtd_iotlb_req *r, unsigned *actual)
{
    struct vtd_desc d;
    int rc, how = pick(u, via);

    if (how < 0)
        return how;
    if (how == VTD_IFACE_REG)
        return vtd_iotlb_inv(u, r, actual);
    if (actual)
        *actual = VTD_GRAN_NONE;
    rc = iotlb_req_ok(u, r);
    if (rc)
        return rc;
    d = vtd_desc_iotlb(r);
    rc = vtd_qi_sync(u->qi, &d, 1);
    if (!rc && actual)
        *actual = r->gran;
    return rc;
}

int vtd_inv_range(struct vtd_unit *u, enum vtd_iface via, uint16_t did,
                  uint64_t iova, uint64_t size, bool ih, unsigned *actual)
{
    struct vtd_iotlb_req r = { .gran = VTD_GRAN_PAGE, .did = did, .ih = ih };
    uint64_t first = iova >> 12, last = (iova + (size ? size : 1) - 1) >> 12;

    /* 6.5.1.2 / 6.5.2.3: 2^AM pages at an address aligned to them. */
    while (r.am < 52 && (first >> r.am) != (last >> r.am))
        r.am++;
    r.addr = (first >> r.am) << (r.am + 12);
    if (!vtd_has_cap(u, VTD_CAP_PSI) || r.am > u->caps.mamv)
        r = (struct vtd_iotlb_req){ .gran = VTD_GRAN_DOMAIN, .did = did };
    return vtd_inv_iotlb(u, via, &r, actual);
}
