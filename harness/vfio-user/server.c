/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harness/vfio-user/server.c — the dispatcher (server.h): the header's
 * checks, then one handler per command, each checking its payload before
 * it acts.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/vfio-user/json.h"
#include "harness/vfio-user/server.h"

enum { CAP_FDS, CAP_XFER, CAP_PGSIZES, CAP_MAPS, CAP_MULTI };

/* The handler's view of one message. */
struct msg {
    struct vfu_hdr h;
    const uint8_t *p; /* payload */
    size_t plen;
    const int *fds;
    unsigned nfds;
    uint8_t *out; /* reply payload */
    size_t olen;
    bool close; /* hang up after the reply */
};

static const char *const cmd_names[VFU_CMD_MAX] = {
    [VFU_VERSION] = "VERSION",
    [VFU_DMA_MAP] = "DMA_MAP",
    [VFU_DMA_UNMAP] = "DMA_UNMAP",
    [VFU_DEVICE_GET_INFO] = "DEVICE_GET_INFO",
    [VFU_DEVICE_GET_REGION_INFO] = "DEVICE_GET_REGION_INFO",
    [VFU_DEVICE_GET_REGION_IO_FDS] = "DEVICE_GET_REGION_IO_FDS",
    [VFU_DEVICE_GET_IRQ_INFO] = "DEVICE_GET_IRQ_INFO",
    [VFU_DEVICE_SET_IRQS] = "DEVICE_SET_IRQS",
    [VFU_REGION_READ] = "REGION_READ",
    [VFU_REGION_WRITE] = "REGION_WRITE",
    [VFU_DMA_READ] = "DMA_READ",
    [VFU_DMA_WRITE] = "DMA_WRITE",
    [VFU_DEVICE_RESET] = "DEVICE_RESET",
    [VFU_DIRTY_PAGES] = "DIRTY_PAGES",
    [VFU_REGION_WRITE_MULTI] = "REGION_WRITE_MULTI",
    [VFU_DEVICE_FEATURE] = "DEVICE_FEATURE",
    [VFU_MIG_DATA_READ] = "MIG_DATA_READ",
    [VFU_MIG_DATA_WRITE] = "MIG_DATA_WRITE",
};

const char *vfu_cmd_name(unsigned cmd)
{
    return cmd < VFU_CMD_MAX && cmd_names[cmd] ? cmd_names[cmd] : "unknown";
}

static void close_fds(const int *fds, unsigned nfds)
{
    for (unsigned i = 0; i < nfds; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

/* Log why a message is refused; the caller returns the errno. */
__attribute__((format(printf, 4, 5))) static int
refuse(struct vfu_server *s, const struct msg *m, int err, const char *fmt, ...)
{
    char why[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    return vfu_refuse(&s->log, err, "%s (%u): %s", vfu_cmd_name(m->h.cmd),
                      m->h.cmd, why);
}

static void get(void *dst, const struct msg *m, size_t off, size_t n)
{
    memcpy(dst, m->p + off, n);
}

static int exact_size(struct vfu_server *s, const struct msg *m, size_t want)
{
    if (m->plen == want)
        return 0;
    return refuse(s, m, EINVAL, "payload of %zu bytes, the command has %zu",
                  m->plen, want);
}

static int argsz_ok(struct vfu_server *s, const struct msg *m, uint32_t argsz,
                    size_t want)
{
    if (argsz >= want)
        return 0;
    return refuse(s, m, EINVAL, "argsz %u below the structure's %zu", argsz,
                  want);
}

/* A payload that is exactly one structure opening with its argsz, as
 * VFIO's are (proto.h): read it into r, then check both sizes. */
static int take_args(struct vfu_server *s, const struct msg *m, void *r,
                     size_t size)
{
    uint32_t argsz;
    int err;

    if ((err = exact_size(s, m, size)))
        return err;
    get(r, m, 0, size);
    memcpy(&argsz, r, sizeof(argsz));
    return argsz_ok(s, m, argsz, size);
}

/* The reply's payload: n bytes from r. */
static void reply(struct msg *m, const void *r, size_t n)
{
    memcpy(m->out, r, n);
    m->olen = n;
}

/* ----------------------------------------------------------- VERSION */

static int cap_uint(struct vfu_server *s, const struct msg *m,
                    const struct json_node *n, const char *name, uint64_t *out)
{
    if (n->type != JSON_NUMBER || !n->is_uint)
        return refuse(s, m, EINVAL,
                      "capability %s is not an unsigned "
                      "integer",
                      name);
    *out = n->uint;
    return 0;
}

/* The client's capabilities object: known ones taken, others ignored. */
static int read_caps(struct vfu_server *s, const struct msg *m,
                     const struct json_doc *d, const struct json_node *caps)
{
    static const char *const uint_caps[] = {
        [CAP_FDS] = "max_msg_fds",
        [CAP_XFER] = "max_data_xfer_size",
        [CAP_PGSIZES] = "pgsizes",
        [CAP_MAPS] = "max_dma_maps",
    };
    struct vfu_client_caps *c = &s->client;
    uint64_t *vals[] = { &c->max_msg_fds, &c->max_data_xfer_size, &c->pgsizes,
                         &c->max_dma_maps };

    for (int i = caps->first; i >= 0; i = d->node[i].next) {
        const struct json_node *n = &d->node[i];
        bool known = false;

        for (unsigned k = 0; k < 4; k++) {
            if (n->name_len != strlen(uint_caps[k]) ||
                memcmp(n->name, uint_caps[k], n->name_len))
                continue;
            if (cap_uint(s, m, n, uint_caps[k], vals[k]))
                return EINVAL;
            c->proposed[k] = known = true;
        }
        if (n->name_len == 14 && !memcmp(n->name, "write_multiple", 14)) {
            if (n->type != JSON_TRUE && n->type != JSON_FALSE)
                return refuse(s, m, EINVAL,
                              "write_multiple is not a "
                              "boolean");
            c->write_multiple = n->type == JSON_TRUE;
            c->proposed[CAP_MULTI] = known = true;
        }
        if (!known)
            vfu_trace(&s->log, "VERSION: capability \"%.*s\" not taken up",
                      (int)n->name_len, n->name);
    }
    if (c->proposed[CAP_PGSIZES] && !(c->pgsizes & VFU_PGSIZE))
        return refuse(s, m, ENOTSUP,
                      "pgsizes 0x%" PRIx64 " lacks 4 KiB, "
                      "the only page size served",
                      c->pgsizes);
    if (c->proposed[CAP_FDS] && c->max_msg_fds > 1024)
        return refuse(s, m, EINVAL, "max_msg_fds %" PRIu64 " is absurd",
                      c->max_msg_fds);
    if (c->proposed[CAP_MAPS] && !c->max_dma_maps)
        return refuse(s, m, EINVAL, "max_dma_maps 0");
    if (c->proposed[CAP_XFER] && !c->max_data_xfer_size)
        return refuse(s, m, EINVAL, "max_data_xfer_size 0");
    return 0;
}

static int parse_version_data(struct vfu_server *s, const struct msg *m,
                              const char *text, size_t len)
{
    static struct json_doc doc; /* large; one message at a time */
    const struct json_node *caps;
    const char *why;
    size_t at;

    why = json_parse(&doc, text, len, &at);
    if (why)
        return refuse(s, m, EINVAL, "version data: %s at byte %zu", why, at);
    if (doc.node[0].type != JSON_OBJECT)
        return refuse(s, m, EINVAL, "version data is not a JSON object");
    for (int i = doc.node[0].first; i >= 0; i = doc.node[i].next)
        if (doc.node[i].name_len != 12 ||
            memcmp(doc.node[i].name, "capabilities", 12))
            vfu_trace(&s->log, "VERSION: member \"%.*s\" ignored",
                      (int)doc.node[i].name_len, doc.node[i].name);
    caps = json_member(&doc, &doc.node[0], "capabilities");
    if (!caps)
        return 0;
    if (caps->type != JSON_OBJECT)
        return refuse(s, m, EINVAL, "\"capabilities\" is not an object");
    return read_caps(s, m, &doc, caps);
}

/* Our answer: a subset of what the client named, with our values. */
static size_t reply_caps(const struct vfu_server *s, char *out, size_t cap)
{
    const struct vfu_client_caps *c = &s->client;
    uint64_t maps = VFU_MAX_DMA_MAPS;
    size_t n;

    if (c->proposed[CAP_MAPS] && c->max_dma_maps < maps)
        maps = c->max_dma_maps;
    n = (size_t)snprintf(out, cap, "{\"capabilities\":{");
#define ADD(...) n += (size_t)snprintf(out + n, cap - n, __VA_ARGS__)
    if (c->proposed[CAP_FDS])
        ADD("\"max_msg_fds\":%u,", VFU_MAX_FDS);
    if (c->proposed[CAP_XFER])
        ADD("\"max_data_xfer_size\":%u,", VFU_MAX_XFER);
    if (c->proposed[CAP_PGSIZES])
        ADD("\"pgsizes\":%u,", VFU_PGSIZE);
    if (c->proposed[CAP_MAPS])
        ADD("\"max_dma_maps\":%" PRIu64 ",", maps);
    if (c->proposed[CAP_MULTI])
        ADD("\"write_multiple\":%s,", c->write_multiple ? "true" : "false");
#undef ADD
    if (out[n - 1] == ',')
        n--;
    n += (size_t)snprintf(out + n, cap - n, "}}");
    return n + 1; /* the NUL goes too */
}

static int h_version(struct vfu_server *s, struct msg *m)
{
    struct vfu_version v;
    const char *data;
    size_t dlen;
    int err;

    if (s->versioned)
        return refuse(s, m, EINVAL, "the version is already agreed");
    if (m->plen < sizeof(v))
        return refuse(s, m, EINVAL, "payload of %zu bytes, at least %zu",
                      m->plen, sizeof(v));
    get(&v, m, 0, sizeof(v));
    if (v.major != VFU_VERSION_MAJOR) {
        m->close = true;
        return refuse(s, m, ENOTSUP, "major version %u, only %u is spoken",
                      v.major, VFU_VERSION_MAJOR);
    }
    data = (const char *)m->p + sizeof(v);
    dlen = m->plen - sizeof(v);
    if (dlen) {
        const char *nul = memchr(data, 0, dlen);

        if (!nul || (size_t)(nul - data) != dlen - 1)
            return refuse(s, m, EINVAL,
                          "version data not ended by its "
                          "only NUL");
        memset(&s->client, 0, sizeof(s->client));
        err = parse_version_data(s, m, data, dlen - 1);
        if (err) {
            memset(&s->client, 0, sizeof(s->client));
            return err;
        }
    }
    v.minor = VFU_VERSION_MINOR;
    reply(m, &v, sizeof(v));
    if (dlen)
        m->olen += reply_caps(s, (char *)m->out + sizeof(v), 1024);
    s->versioned = true;
    vfu_trace(&s->log, "VERSION %u.%u agreed: %s", v.major, v.minor,
              dlen ? (const char *)m->out + sizeof(v) : "(no capabilities)");
    return 0;
}

/* ------------------------------------------------------ DMA_MAP/UNMAP */

static int h_dma_map(struct vfu_server *s, struct msg *m)
{
    struct vfu_dma_map r;
    unsigned perm = 0;
    int err;

    if ((err = take_args(s, m, &r, sizeof(r))))
        goto refused;
    if (r.flags & ~(VFU_DMA_MAP_READ | VFU_DMA_MAP_WRITE)) {
        err = refuse(s, m, EINVAL, "unknown flags 0x%x", r.flags);
        goto refused;
    }
    if (m->nfds > 1) {
        err = refuse(s, m, EINVAL, "%u descriptors, a mapping has one",
                     m->nfds);
        goto refused;
    }
    if (r.flags & VFU_DMA_MAP_READ)
        perm |= VFU_IOVA_R;
    if (r.flags & VFU_DMA_MAP_WRITE)
        perm |= VFU_IOVA_W;
    /* The table logs and records its own refusals. */
    return vfu_iova_map(s->iova, r.iova, r.size, r.offset, perm,
                        m->nfds ? m->fds[0] : -1);
refused:
    close_fds(m->fds, m->nfds);
    return err;
}

static int h_dma_unmap(struct vfu_server *s, struct msg *m)
{
    struct vfu_dma_unmap r;
    int err;

    if ((err = take_args(s, m, &r, sizeof(r))))
        return err;
    if (r.flags & VFU_DMA_UNMAP_DIRTY)
        return refuse(s, m, ENOTSUP, "no dirty page tracking");
    if (r.flags & ~VFU_DMA_UNMAP_ALL)
        return refuse(s, m, EINVAL, "unknown flags 0x%x", r.flags);
    err = vfu_iova_unmap(s->iova, r.iova, r.size, r.flags & VFU_DMA_UNMAP_ALL);
    if (!err) {
        /* The reply repeats the request's entry. */
        reply(m, &r, sizeof(r));
    }
    return err;
}

/* ------------------------------------------------------- device info */

static int h_get_info(struct vfu_server *s, struct msg *m)
{
    struct vfu_device_info r;
    int err;

    if ((err = take_args(s, m, &r, sizeof(r))))
        return err;
    if (r.flags || r.num_regions || r.num_irqs)
        return refuse(s, m, EINVAL, "fields other than argsz must be 0");
    r = (struct vfu_device_info){
        .argsz = sizeof(r),
        .flags = VFU_DEVICE_FLAGS_RESET | VFU_DEVICE_FLAGS_PCI,
        .num_regions = VFU_PCI_NUM_REGIONS,
        .num_irqs = VFU_PCI_NUM_IRQS,
    };
    reply(m, &r, sizeof(r));
    return 0;
}

static int h_get_region_info(struct vfu_server *s, struct msg *m)
{
    struct vfu_region_info r;
    int err;

    if ((err = take_args(s, m, &r, sizeof(r))))
        return err;
    if (r.flags || r.cap_offset || r.size || r.offset)
        return refuse(s, m, EINVAL,
                      "fields other than argsz and index "
                      "must be 0");
    if ((err = vfu_dev_region_info(s->dev, r.index, &r)))
        return err;
    vfu_trace(&s->log, "region %u: size 0x%" PRIx64 ", flags 0x%x", r.index,
              r.size, r.flags);
    reply(m, &r, sizeof(r));
    return 0;
}

static int h_get_irq_info(struct vfu_server *s, struct msg *m)
{
    struct vfu_irq_info r;
    int err;

    if ((err = take_args(s, m, &r, sizeof(r))))
        return err;
    if (r.flags || r.count)
        return refuse(s, m, EINVAL,
                      "fields other than argsz and index "
                      "must be 0");
    if ((err = vfu_dev_irq_info(s->dev, r.index, &r)))
        return err;
    vfu_trace(&s->log, "interrupt index %u: count %u, flags 0x%x", r.index,
              r.count, r.flags);
    reply(m, &r, sizeof(r));
    return 0;
}

static int h_set_irqs(struct vfu_server *s, struct msg *m)
{
    struct vfu_irq_set r;
    size_t data = 0;
    int err = 0;

    if (m->plen < sizeof(r)) {
        err = refuse(s, m, EINVAL, "payload of %zu bytes, at least %zu",
                     m->plen, sizeof(r));
        goto refused;
    }
    get(&r, m, 0, sizeof(r));
    if (r.flags & VFU_IRQ_DATA_BOOL)
        data = r.count;
    if ((err = exact_size(s, m, sizeof(r) + data)) ||
        (err = argsz_ok(s, m, r.argsz, sizeof(r))))
        goto refused;
    /* The device checks the rest and takes the eventfds. */
    return vfu_dev_set_irqs(s->dev, &r, data ? m->p + sizeof(r) : NULL, m->fds,
                            m->nfds);
refused:
    close_fds(m->fds, m->nfds);
    return err;
}

/* ------------------------------------------------------ region access */

static int region_rw_head(struct vfu_server *s, const struct msg *m,
                          struct vfu_region_rw *r)
{
    get(r, m, 0, sizeof(*r));
    if (r->count > VFU_MAX_XFER)
        return refuse(s, m, E2BIG, "count %u above max_data_xfer_size %u",
                      r->count, VFU_MAX_XFER);
    return 0;
}

static int h_region_read(struct vfu_server *s, struct msg *m)
{
    struct vfu_region_rw r;
    int err;

    if ((err = exact_size(s, m, sizeof(r))) || (err = region_rw_head(s, m, &r)))
        return err;
    err = vfu_dev_region_access(s->dev, r.region, r.offset, m->out + sizeof(r),
                                r.count, false);
    if (err)
        return err;
    if (r.region == VFU_PCI_CONFIG)
        vfu_trace(&s->log, "config read 0x%" PRIx64 "+%u", r.offset, r.count);
    reply(m, &r, sizeof(r));
    m->olen += r.count;
    return 0;
}

static int h_region_write(struct vfu_server *s, struct msg *m)
{
    struct vfu_region_rw r;
    uint8_t *data;
    int err;

    if (m->plen < sizeof(r))
        return refuse(s, m, EINVAL, "payload of %zu bytes, at least %zu",
                      m->plen, sizeof(r));
    if ((err = region_rw_head(s, m, &r)))
        return err;
    if ((err = exact_size(s, m, sizeof(r) + r.count)))
        return err;
    /* The payload is const; the device takes a private copy. */
    data = m->out + sizeof(r);
    memcpy(data, m->p + sizeof(r), r.count);
    if (r.region == VFU_PCI_CONFIG)
        vfu_trace(&s->log, "config write 0x%" PRIx64 "+%u: 0x%02x...", r.offset,
                  r.count, r.count ? data[0] : 0);
    err = vfu_dev_region_access(s->dev, r.region, r.offset, data, r.count,
                                true);
    if (err)
        return err;
    reply(m, &r, sizeof(r));
    return 0;
}

static int h_write_multi(struct vfu_server *s, struct msg *m)
{
    struct vfu_write_one w;
    uint64_t cnt;
    int err;

    if (!s->client.write_multiple)
        return refuse(s, m, EINVAL, "write_multiple was not agreed");
    if (m->plen < sizeof(cnt))
        return refuse(s, m, EINVAL, "payload of %zu bytes, at least %zu",
                      m->plen, sizeof(cnt));
    get(&cnt, m, 0, sizeof(cnt));
    if (!cnt || cnt > VFU_WRITE_MULTI_MAX)
        return refuse(s, m, EINVAL, "wr_cnt %" PRIu64 ", 1 to %u", cnt,
                      VFU_WRITE_MULTI_MAX);
    if ((err = exact_size(s, m, sizeof(cnt) + cnt * sizeof(w))))
        return err;
    for (uint64_t i = 0; i < cnt; i++) {
        get(&w, m, sizeof(cnt) + i * sizeof(w), sizeof(w));
        if (!w.count || w.count > sizeof(w.data))
            return refuse(s, m, EINVAL,
                          "write %" PRIu64 " of %u bytes, 1 "
                          "to 8",
                          i, w.count);
        err = vfu_dev_region_access(s->dev, w.region, w.offset, w.data, w.count,
                                    true);
        if (err)
            return refuse(s, m, err,
                          "write %" PRIu64 " (region %u offset "
                          "0x%" PRIx64 ") failed; %" PRIu64 " done",
                          i, w.region, w.offset, i);
    }
    reply(m, &cnt, sizeof(cnt));
    return 0;
}

static int h_reset(struct vfu_server *s, struct msg *m)
{
    int err = exact_size(s, m, 0);

    if (err)
        return err;
    vfu_dev_reset(s->dev);
    vfu_trace(&s->log, "DEVICE_RESET: edu and configuration space reset");
    return 0;
}

static int h_unsupported(struct vfu_server *s, struct msg *m)
{
    switch (m->h.cmd) {
    case VFU_DMA_READ:
    case VFU_DMA_WRITE:
        return refuse(s, m, EINVAL, "a server-to-client command");
    case VFU_DEVICE_GET_REGION_IO_FDS:
        return refuse(s, m, ENOTSUP, "no ioeventfds or ioregionfds");
    case VFU_DEVICE_FEATURE:
    case VFU_DIRTY_PAGES:
    case VFU_MIG_DATA_READ:
    case VFU_MIG_DATA_WRITE:
        return refuse(s, m, ENOTSUP, "no migration or dirty tracking");
    default:
        return refuse(s, m, ENOSYS, "unknown command");
    }
}

/* ------------------------------------------------------------ dispatch */

struct handler {
    int (*fn)(struct vfu_server *s, struct msg *m);
    unsigned max_fds;
};

static const struct handler handlers[VFU_CMD_MAX] = {
    [VFU_VERSION] = { h_version, 0 },
    [VFU_DMA_MAP] = { h_dma_map, 1 },
    [VFU_DMA_UNMAP] = { h_dma_unmap, 0 },
    [VFU_DEVICE_GET_INFO] = { h_get_info, 0 },
    [VFU_DEVICE_GET_REGION_INFO] = { h_get_region_info, 0 },
    [VFU_DEVICE_GET_IRQ_INFO] = { h_get_irq_info, 0 },
    [VFU_DEVICE_SET_IRQS] = { h_set_irqs, VFU_MAX_FDS },
    [VFU_REGION_READ] = { h_region_read, 0 },
    [VFU_REGION_WRITE] = { h_region_write, 0 },
    [VFU_DEVICE_RESET] = { h_reset, 0 },
    [VFU_REGION_WRITE_MULTI] = { h_write_multi, 0 },
};

/* The header's own checks; 0 or the errno to refuse with. */
static int check_header(struct vfu_server *s, struct msg *m, size_t len)
{
    const struct vfu_hdr *h = &m->h;

    if (h->flags & ~VFU_F_KNOWN)
        return refuse(s, m, EINVAL, "unknown flag bits 0x%x", h->flags);
    if ((h->flags & VFU_F_TYPE_MASK) != VFU_F_TYPE_COMMAND)
        return refuse(s, m, EINVAL, "message type %u is not a command",
                      h->flags & VFU_F_TYPE_MASK);
    if (h->flags & VFU_F_ERROR)
        return refuse(s, m, EINVAL, "Error flag on a command");
    if (h->error)
        return refuse(s, m, EINVAL, "error field %u on a command (reserved)",
                      h->error);
    if (h->size != len)
        return refuse(s, m, EINVAL,
                      "header says %u bytes, the message has "
                      "%zu",
                      h->size, len);
    if (!s->versioned && h->cmd != VFU_VERSION)
        return refuse(s, m, EINVAL, "before VERSION");
    return 0;
}

static void build_reply(struct vfu_server *s, const struct msg *m, int err)
{
    struct vfu_hdr r = {
        .id = m->h.id,
        .cmd = m->h.cmd,
        .size = (uint32_t)(VFU_HDR_SIZE + (err ? 0 : m->olen)),
        .flags = VFU_F_TYPE_REPLY | (err ? VFU_F_ERROR : 0),
        .error = (uint32_t)err,
    };

    memcpy(s->reply, &r, sizeof(r));
    s->reply_len = r.size;
}

static void reply_or_not(struct vfu_server *s, const struct msg *m, int err)
{
    if (err)
        s->refused++;
    if (m->h.flags & VFU_F_NO_REPLY) {
        if (err)
            vfu_log(&s->log, "%s: no reply wanted, the refusal goes unseen",
                    vfu_cmd_name(m->h.cmd));
        return;
    }
    build_reply(s, m, err);
}

enum vfu_verdict vfu_server_handle(struct vfu_server *s, const void *msg,
                                   size_t len, const int *fds, unsigned nfds)
{
    struct msg m = { .fds = fds, .nfds = nfds };
    const struct handler *hd;
    int err;

    s->reply_len = 0;
    s->log.seq = ++s->seq;
    s->log.id = 0;
    if (len < VFU_HDR_SIZE) {
        vfu_log(&s->log, "%zu bytes: shorter than a header; hanging up", len);
        close_fds(fds, nfds);
        return VFU_CLOSE;
    }
    memcpy(&m.h, msg, sizeof(m.h));
    s->log.id = m.h.id;
    s->per_cmd[m.h.cmd < VFU_CMD_MAX ? m.h.cmd : VFU_CMD_MAX]++;
    if ((m.h.flags & ~VFU_F_KNOWN) == 0 &&
        (m.h.flags & VFU_F_TYPE_MASK) == VFU_F_TYPE_REPLY) {
        vfu_log(&s->log, "a reply (%s) to no request of ours: dropped",
                vfu_cmd_name(m.h.cmd));
        close_fds(fds, nfds);
        return VFU_CONTINUE;
    }
    m.p = (const uint8_t *)msg + VFU_HDR_SIZE;
    m.plen = len - VFU_HDR_SIZE;
    m.out = s->reply + VFU_HDR_SIZE;
    vfu_trace(&s->log, "%s: %zu bytes, %u descriptor(s), flags 0x%x",
              vfu_cmd_name(m.h.cmd), len, nfds, m.h.flags);
    hd = m.h.cmd < VFU_CMD_MAX && handlers[m.h.cmd].fn ? &handlers[m.h.cmd]
                                                       : NULL;
    err = check_header(s, &m, len);
    if (!err && hd && nfds > hd->max_fds)
        err = refuse(s, &m, EINVAL, "%u descriptor(s) where %s", nfds,
                     hd->max_fds ? "fewer belong" : "none belong");
    if (!err && !hd && nfds)
        err = refuse(s, &m, EINVAL, "%u descriptor(s) where none belong", nfds);
    if (err) {
        close_fds(fds, nfds);
    } else if (hd) {
        err = hd->fn(s, &m); /* owns the descriptors */
    } else {
        err = h_unsupported(s, &m);
    }
    reply_or_not(s, &m, err);
    return m.close ? VFU_CLOSE : VFU_CONTINUE;
}

enum vfu_verdict vfu_server_refuse_header(struct vfu_server *s,
                                          const struct vfu_hdr *h, int err,
                                          const char *why)
{
    struct msg m = { .h = *h };

    s->reply_len = 0;
    s->log.seq = ++s->seq;
    s->log.id = h->id;
    s->per_cmd[h->cmd < VFU_CMD_MAX ? h->cmd : VFU_CMD_MAX]++;
    refuse(s, &m, err, "%s", why);
    reply_or_not(s, &m, err);
    return h->size < VFU_HDR_SIZE ? VFU_CLOSE : VFU_CONTINUE;
}

/* ----------------------------------------------------------- lifetime */

struct vfu_server *vfu_server_new(const struct vfu_server_cfg *cfg)
{
    struct vfu_server *s = calloc(1, sizeof(*s));

    if (!s)
        return NULL;
    s->log.out = cfg->log;
    s->log.verbose = cfg->verbose;
    s->reply = malloc(VFU_MAX_MSG);
    s->iova = vfu_iova_new(&s->log, cfg->record);
    s->dev = s->iova ? vfu_dev_new(s->iova, &s->log, cfg->dma_mask,
                                   cfg->dma_delay_ns)
                     : NULL;
    if (!s->reply || !s->dev) {
        vfu_server_free(s);
        return NULL;
    }
    return s;
}

void vfu_server_free(struct vfu_server *s)
{
    if (!s)
        return;
    vfu_dev_free(s->dev);
    vfu_iova_free(s->iova);
    free(s->reply);
    free(s);
}

void vfu_server_disconnect(struct vfu_server *s)
{
    s->log.seq = 0;
    s->maps_at_disconnect = vfu_iova_count(s->iova);
    vfu_iova_clear(s->iova);
    vfu_dev_disconnect(s->dev);
}

void vfu_server_summary(const struct vfu_server *s, FILE *out)
{
    const struct vfu_iova_counts *t = &s->iova->n;
    const struct vfu_dev_counts *d = &s->dev->n;

    fprintf(out,
            "vfio-user: %" PRIu64 " messages (%" PRIu64 " refused):", s->seq,
            s->refused);
    for (unsigned c = 0; c <= VFU_CMD_MAX; c++)
        if (s->per_cmd[c])
            fprintf(out, " %s %" PRIu64,
                    c < VFU_CMD_MAX ? vfu_cmd_name(c) : "unknown",
                    s->per_cmd[c]);
    fprintf(out,
            "\nvfio-user: maps %" PRIu64 ", unmaps %" PRIu64 " (%" PRIu64
            " unmap-all), refusals %" PRIu64 " (MAP %" PRIu64 ", UNMAP %" PRIu64
            "); identical MAPs %" PRIu64 ", duplicate "
            "UNMAPs %" PRIu64 ", oversized UNMAPs %" PRIu64 ", UNMAPs of "
            "nothing %" PRIu64 "; %zu mapping(s) when the client left\n",
            t->maps, t->unmaps, t->unmap_alls,
            t->map_refused + t->unmap_refused, t->map_refused, t->unmap_refused,
            t->identical_maps, t->duplicate_unmaps, t->oversized_unmaps,
            t->empty_unmaps, s->maps_at_disconnect);
    fprintf(out,
            "vfio-user: edu DMAs done %" PRIu64 ", blocked %" PRIu64
            " (0x%" PRIx64 " bytes moved, 0x%" PRIx64 " refused), out of "
            "buffer %" PRIu64 "; MSIs %" PRIu64 ", INTx triggers %" PRIu64
            ", interrupts lost %" PRIu64 ", resets %" PRIu64 "\n",
            d->dmas - d->dmas_blocked, d->dmas_blocked, t->dma_bytes,
            t->dma_blocked_bytes, d->bad_ranges, d->msis, d->intx_triggers,
            d->irqs_lost, d->resets);
    fflush(out);
}
