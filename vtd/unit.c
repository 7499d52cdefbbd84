/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/unit.c — register access, global command protocol (10.4.4-10.4.6).
 */
#include "lib/platform.h"
#include "lib/printf.h"
#include "lib/wait.h"
#include "vtd/fault.h"
#include "vtd/qi.h"
#include "vtd/unit.h"

const char *vtd_strerror(int err)
{
    /* clang-format off */
    switch (err) {
    case VTD_OK:        return "ok";
    case VTD_EINVAL:    return "invalid argument";
    case VTD_ENOTSUP:   return "not supported by the unit";
    case VTD_ENOMEM:    return "out of pages";
    case VTD_ETIMEDOUT: return "status not acknowledged in time";
    case VTD_ENODEV:    return "no remapping unit";
    case VTD_EBUSY:     return "previous command pending";
    case VTD_EQION:     return "register-based invalidation while QI is on";
    case VTD_EQIOFF:    return "queued invalidation is off";
    case VTD_EEXIST:    return "already mapped";
    case VTD_ENOENT:    return "not mapped";
    case VTD_ERANGE:    return "out of range or misaligned";
    case VTD_EIQE:      return "invalidation queue error (IQE)";
    case VTD_EICE:      return "invalidation completion error (ICE)";
    case VTD_EITE:      return "invalidation time-out error (ITE)";
    case VTD_EFULL:     return "invalidation queue full";
    }
    /* clang-format on */
    return "unknown error";
}

int vtd_fail(struct vtd_unit *u, int err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vt_vsnprintf(u->err, sizeof(u->err), fmt, ap);
    va_end(ap);
    return err;
}

const char *vtd_errmsg(const struct vtd_unit *u)
{
    return u->err;
}

uint32_t vtd_read32(const struct vtd_unit *u, uint32_t off)
{
    return plat_mmio_read32(u->base + off);
}

uint64_t vtd_read64(const struct vtd_unit *u, uint32_t off)
{
    return plat_mmio_read64(u->base + off);
}

void vtd_write32(const struct vtd_unit *u, uint32_t off, uint32_t val)
{
    plat_mmio_write32(u->base + off, val);
}

void vtd_write64(const struct vtd_unit *u, uint32_t off, uint64_t val)
{
    plat_mmio_write64(u->base + off, val);
}

uint64_t vtd_reg_read(const struct vtd_unit *u, uint64_t off, unsigned width)
{
    switch (width) {
    case 1:
        return plat_mmio_read8(u->base + off);
    case 2:
        return plat_mmio_read16(u->base + off);
    case 4:
        return plat_mmio_read32(u->base + off);
    case 8:
        return plat_mmio_read64(u->base + off);
    }
    return 0;
}

void vtd_reg_write(const struct vtd_unit *u, uint64_t off, unsigned width,
                   uint64_t val)
{
    switch (width) {
    case 1:
        plat_mmio_write8(u->base + off, (uint8_t)val);
        break;
    case 2:
        plat_mmio_write16(u->base + off, (uint16_t)val);
        break;
    case 4:
        plat_mmio_write32(u->base + off, (uint32_t)val);
        break;
    case 8:
        plat_mmio_write64(u->base + off, val);
        break;
    }
}

int vtd_reg_window(struct vtd_unit *u, uint64_t size)
{
    if (size <= u->window)
        return VTD_OK;
    if (plat_mmio_map(u->base, size))
        return vtd_fail(u, VTD_ENODEV, "cannot map 0x%lx bytes at 0x%lx",
                        (unsigned long)size, (unsigned long)u->base);
    u->window = size;
    return VTD_OK;
}

int vtd_unit_init(struct vtd_unit *u, uint64_t base)
{
    uint32_t ver;
    uint64_t cap, ecap, end;

    *u = (struct vtd_unit){ .base = base, .timeout_ns = VTD_TIMEOUT_NS };
    if (plat_mmio_map(base, 0x1000))
        return vtd_fail(u, VTD_ENODEV, "cannot map registers at 0x%lx",
                        (unsigned long)base);
    ver = vtd_read32(u, VTD_VER);
    cap = vtd_read64(u, VTD_CAP);
    ecap = vtd_read64(u, VTD_ECAP);
    if (ver == 0xFFFFFFFF || cap == ~0ull || (ver == 0 && cap == 0))
        return vtd_fail(u, VTD_ENODEV,
                        "no unit at 0x%lx: VER 0x%x CAP 0x%lx ECAP 0x%lx",
                        (unsigned long)base, ver, (unsigned long)cap,
                        (unsigned long)ecap);
    vtd_caps_decode(ver, cap, ecap, &u->caps);
    u->haw = u->caps.mgaw;
    u->did_bits = 4 + 2 * (unsigned)FIELD_GET(VTD_CAP_ND, cap);
    if (u->did_bits > 16)
        u->did_bits = 16;
    u->iva = VTD_IVA(u->caps.iro / 16);
    u->iotlb = VTD_IOTLB(u->caps.iro / 16);
    u->frcd = u->caps.fro;
    u->coherent = ecap & VTD_ECAP_C;
    /* Window: the architectural registers, the IOTLB pair and every FRCD
     * (10.4: their offsets come from CAP/ECAP). */
    end = u->iotlb + 8;
    if (u->frcd + 16ull * u->caps.nfr > end)
        end = u->frcd + 16ull * u->caps.nfr;
    u->window = (end + 0xFFF) & ~0xFFFull;
    if (u->window > 0x1000 && plat_mmio_map(base, u->window))
        return vtd_fail(u, VTD_ENODEV, "cannot map 0x%lx bytes at 0x%lx",
                        (unsigned long)u->window, (unsigned long)base);
    /* Whatever firmware left enabled is the starting shadow. */
    u->gcmd = vtd_gsts(u) & VTD_GCMD_PERSIST;
    return VTD_OK;
}

uint32_t vtd_gsts(const struct vtd_unit *u)
{
    return vtd_read32(u, VTD_GSTS);
}

void vtd_unit_resync(struct vtd_unit *u)
{
    u->gcmd = vtd_gsts(u) & VTD_GCMD_PERSIST;
}

static const char *gcmd_name(uint32_t bit)
{
    /* clang-format off */
    switch (bit) {
    case VTD_GCMD_TE:    return "TE";
    case VTD_GCMD_SRTP:  return "SRTP";
    case VTD_GCMD_SFL:   return "SFL";
    case VTD_GCMD_EAFL:  return "EAFL";
    case VTD_GCMD_WBF:   return "WBF";
    case VTD_GCMD_QIE:   return "QIE";
    case VTD_GCMD_IRE:   return "IRE";
    case VTD_GCMD_SIRTP: return "SIRTP";
    case VTD_GCMD_CFI:   return "CFI";
    }
    /* clang-format on */
    return "?";
}

static bool one_bit(uint32_t v)
{
    return v && !(v & (v - 1));
}

int vtd_gcmd_enable(struct vtd_unit *u, uint32_t bit, bool on)
{
    uint32_t cmd, before, gsts;
    int rc;

    if (!one_bit(bit) || !(bit & VTD_GCMD_PERSIST))
        return vtd_fail(u, VTD_EINVAL,
                        "GCMD 0x%x is not one persistent "
                        "enable",
                        bit);
    cmd = on ? (u->gcmd | bit) : (u->gcmd & ~bit);
    before = vtd_gsts(u);
    vtd_write32(u, VTD_GCMD, cmd);
    rc = WAIT_FOR(!!(vtd_gsts(u) & bit) == on, u->timeout_ns);
    gsts = vtd_gsts(u);
    if (rc != WAIT_OK)
        return vtd_fail(u, VTD_ETIMEDOUT,
                        "GCMD %s=%d: GSTS 0x%08x after "
                        "%lu ms (wrote GCMD 0x%08x, GSTS before 0x%08x)",
                        gcmd_name(bit), on, gsts,
                        (unsigned long)(u->timeout_ns / 1000000), cmd, before);
    u->gcmd = cmd;
    return VTD_OK;
}

int vtd_gcmd_oneshot(struct vtd_unit *u, uint32_t bit)
{
    uint32_t cmd, before, gsts;
    int rc;

    if (!one_bit(bit) || !(bit & VTD_GSTS_ONESHOT))
        return vtd_fail(u, VTD_EINVAL,
                        "GCMD 0x%x is not one one-shot "
                        "command",
                        bit);
    cmd = u->gcmd | bit;
    before = vtd_gsts(u);
    vtd_write32(u, VTD_GCMD, cmd);
    /* WBFS is set while the flush runs and clears when done; the pointer
     * and log status bits read 1 once the command completed (10.4.5). */
    if (bit == VTD_GCMD_WBF)
        rc = WAIT_FOR(!(vtd_gsts(u) & bit), u->timeout_ns);
    else
        rc = WAIT_FOR(vtd_gsts(u) & bit, u->timeout_ns);
    gsts = vtd_gsts(u);
    if (rc != WAIT_OK)
        return vtd_fail(u, VTD_ETIMEDOUT,
                        "GCMD %s: GSTS 0x%08x after %lu "
                        "ms (wrote GCMD 0x%08x, GSTS before 0x%08x)",
                        gcmd_name(bit), gsts,
                        (unsigned long)(u->timeout_ns / 1000000), cmd, before);
    return VTD_OK;
}

void vtd_gcmd_write_raw(struct vtd_unit *u, uint32_t val)
{
    vtd_write32(u, VTD_GCMD, val);
}

int vtd_set_root(struct vtd_unit *u, uint64_t rta_pa, unsigned ttm)
{
    uint64_t rtaddr = (rta_pa & VTD_RTADDR_RTA) |
                      FIELD_PREP(VTD_RTADDR_TTM, ttm);
    int rc;

    if (rta_pa & ~VTD_RTADDR_RTA)
        return vtd_fail(u, VTD_EINVAL, "root table 0x%lx not 4 KiB aligned",
                        (unsigned long)rta_pa);
    if (ttm == VTD_TTM_SCALABLE && !vtd_has_ecap(u, VTD_ECAP_SMTS))
        return vtd_fail(u, VTD_ENOTSUP, "TTM=01 needs ECAP.SMTS");
    if (ttm == VTD_TTM_ABORT && !vtd_has_ecap(u, VTD_ECAP_ADMS))
        return vtd_fail(u, VTD_ENOTSUP, "TTM=11 needs ECAP.ADMS");
    if (ttm > 3)
        return vtd_fail(u, VTD_EINVAL, "TTM %u", ttm);
    vtd_write64(u, VTD_RTADDR, rtaddr);
    rc = vtd_gcmd_oneshot(u, VTD_GCMD_SRTP);
    if (rc == VTD_OK)
        u->ttm = ttm;
    return rc;
}

int vtd_translation_enable(struct vtd_unit *u)
{
    return vtd_gcmd_enable(u, VTD_GCMD_TE, true);
}

int vtd_translation_disable(struct vtd_unit *u)
{
    return vtd_gcmd_enable(u, VTD_GCMD_TE, false);
}

int vtd_flush_write_buffer(struct vtd_unit *u)
{
    if (!vtd_has_cap(u, VTD_CAP_RWBF))
        return VTD_OK;
    return vtd_gcmd_oneshot(u, VTD_GCMD_WBF);
}

void vtd_sync(const struct vtd_unit *u, const void *va, size_t len)
{
    if (!u->coherent)
        plat_flush_cache(va, len);
    plat_wmb();
}

int vtd_unit_quiesce(struct vtd_unit *u)
{
    int rc = VTD_OK, r;

    if (vtd_gsts(u) & VTD_GCMD_TE || u->gcmd & VTD_GCMD_TE) {
        r = vtd_translation_disable(u);
        rc = rc ? rc : r;
    }
    if (u->qi) {
        int rr = VTD_OK;

        /* A queue stopped on an error cannot reach the idle state the
         * disable needs (10.4.4): recover it first; one that refuses
         * even the recovery's wait is given up. */
        if (vtd_read32(u, VTD_FSTS) &
            (VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE))
            rr = vtd_qi_recover(u->qi);
        r = vtd_qi_disable(u->qi);
        if (r && u->qi) {
            r = vtd_qi_abandon(u->qi);
            u->queues_abandoned++;
        } else if (rr) {
            r = rr;
        }
        rc = rc ? rc : r;
    } else if (vtd_gsts(u) & VTD_GCMD_QIE) {
        r = vtd_gcmd_enable(u, VTD_GCMD_QIE, false);
        rc = rc ? rc : r;
    }
    /* One enable at a time (11.4.4.1), each only where it is on. */
    for (unsigned i = 0; i < 3; i++) {
        static const uint32_t off[3] = { VTD_GCMD_IRE, VTD_GCMD_CFI,
                                         VTD_GCMD_EAFL };

        if ((vtd_gsts(u) | u->gcmd) & off[i]) {
            r = vtd_gcmd_enable(u, off[i], false);
            rc = rc ? rc : r;
        }
    }
    vtd_fault_clear_all(u);
    /* the completion status too, so what comes next starts alike */
    if (vtd_read32(u, VTD_ICS) & VTD_ICS_IWC)
        vtd_write32(u, VTD_ICS, VTD_ICS_IWC);
    return rc;
}
