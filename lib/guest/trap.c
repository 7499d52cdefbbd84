/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/guest/trap.c — IDT, TSS and the C side of every vector.
 *
 * An exception nobody expects ends the run with ERROR after printing the
 * vector, error code, RIP, CR2 and the general registers: never a silent
 * triple fault. #DF, NMI and #MC run on their own stack (IST1), so even a
 * blown stack is reported.
 */
#include <string.h>

#include "lib/guest/guest.h"
#include "lib/guest/trap.h"
#include "lib/guest/x86.h"
#include "lib/printf.h"
#include "lib/report.h"

#define VEC_DYN_FIRST 0x30
#define VEC_DYN_LAST  0xEF
#define VEC_SPURIOUS  0xFF

struct idt_entry {
    uint16_t off_lo;
    uint16_t sel;
    uint8_t ist;
    uint8_t type;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t rsvd;
};
_Static_assert(sizeof(struct idt_entry) == 16, "IDT entry");

struct tss {
    uint32_t rsvd0;
    uint64_t rsp[3];
    uint64_t rsvd1;
    uint64_t ist[7];
    uint64_t rsvd2;
    uint16_t rsvd3;
    uint16_t iomap;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS");

extern const uint64_t trap_stub_table[256];
extern uint64_t boot_gdt[5];

static struct idt_entry idt[256] __attribute__((aligned(16)));
static struct tss tss __attribute__((aligned(16)));
static uint8_t ist_stack[16384] __attribute__((aligned(16)));

static struct {
    trap_vector_fn fn;
    void *arg;
} handlers[256];

volatile uint64_t trap_irq_count;
static int in_fatal;

static const char *const exc_names[32] = {
    "#DE divide error",
    "#DB debug",
    "NMI",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound range",
    "#UD invalid opcode",
    "#NM device not available",
    "#DF double fault",
    "coprocessor overrun",
    "#TS invalid TSS",
    "#NP segment not present",
    "#SS stack fault",
    "#GP general protection",
    "#PF page fault",
    "reserved 15",
    "#MF x87 error",
    "#AC alignment check",
    "#MC machine check",
    "#XM SIMD error",
    "#VE virtualization",
    "#CP control protection",
    "reserved 22",
    "reserved 23",
    "reserved 24",
    "reserved 25",
    "reserved 26",
    "reserved 27",
    "#HV hypervisor injection",
    "#VC VMM communication",
    "#SX security",
    "reserved 31",
};

static void set_gate(unsigned vec, uint64_t handler, uint8_t ist)
{
    idt[vec] = (struct idt_entry){
        .off_lo = (uint16_t)handler,
        .sel = 0x08,
        .ist = ist,
        .type = 0x8E, /* present, DPL 0, interrupt gate */
        .off_mid = (uint16_t)(handler >> 16),
        .off_hi = (uint32_t)(handler >> 32),
    };
}

static void pic_disable(void)
{
    /* Move the 8259s off the exception vectors, then mask every line:
     * only the local APIC delivers interrupts here. */
    outb(0x20, 0x11);
    outb(0xA0, 0x11);
    outb(0x21, 0x20);
    outb(0xA1, 0x28);
    outb(0x21, 0x04);
    outb(0xA1, 0x02);
    outb(0x21, 0x01);
    outb(0xA1, 0x01);
    outb(0x21, 0xFF);
    outb(0xA1, 0xFF);
}

void trap_init(void)
{
    uint64_t base = (uint64_t)&tss;
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)idt },
                              gdtr = { 5 * 8 - 1, (uint64_t)boot_gdt };

    pic_disable();

    tss.ist[0] = (uint64_t)(ist_stack + sizeof(ist_stack));
    tss.iomap = sizeof(tss);
    /* 64-bit available TSS descriptor at selector 0x18. */
    boot_gdt[3] = (sizeof(tss) - 1) | (base & 0xFFFFFF) << 16 | 0x89ull << 40 |
                  ((base >> 24) & 0xFF) << 56;
    boot_gdt[4] = base >> 32;
    __asm__ volatile("lgdt %0" : : "m"(gdtr));
    __asm__ volatile("ltr %w0" : : "r"(0x18));

    for (unsigned v = 0; v < 256; v++)
        set_gate(v, trap_stub_table[v], (v == 2 || v == 8 || v == 18) ? 1 : 0);
    __asm__ volatile("lidt %0" : : "m"(idtr));
}

int trap_vector_alloc(trap_vector_fn fn, void *arg)
{
    for (int v = VEC_DYN_FIRST; v <= VEC_DYN_LAST; v++) {
        if (!handlers[v].fn) {
            handlers[v].fn = fn;
            handlers[v].arg = arg;
            return v;
        }
    }
    return -1;
}

int trap_vector_claim(unsigned vector, trap_vector_fn fn, void *arg)
{
    if (vector < 32 || vector > VEC_DYN_LAST || handlers[vector].fn)
        return -1;
    handlers[vector].fn = fn;
    handlers[vector].arg = arg;
    return 0;
}

/* Used by the LAPIC timer, which has a fixed vector. */
void trap_vector_set(int vector, trap_vector_fn fn, void *arg);
void trap_vector_set(int vector, trap_vector_fn fn, void *arg)
{
    if (vector >= 0 && vector < 256) {
        handlers[vector].fn = fn;
        handlers[vector].arg = arg;
    }
}

static __attribute__((noreturn)) void fatal_exception(struct trap_frame *f)
{
    const char *name = f->vector < 32 ? exc_names[f->vector] : "interrupt";

    if (in_fatal++) {
        /* An exception while reporting one: exit without more words. */
        outb(DEBUG_EXIT_PORT, DEBUG_EXIT_BASE + PLAT_ERROR);
        for (;;)
            sti_hlt_cli();
    }
    vt_printf("# unexpected exception: vector %lu (%s), error code 0x%lx\n",
              f->vector, name, f->error);
    vt_printf("#   RIP 0x%016lx CS 0x%lx RFLAGS 0x%lx RSP 0x%016lx SS 0x%lx\n",
              f->rip, f->cs, f->rflags, f->rsp, f->ss);
    vt_printf("#   CR2 0x%016lx CR3 0x%016lx\n", read_cr2(), read_cr3());
    vt_printf("#   RAX 0x%016lx RBX 0x%016lx RCX 0x%016lx RDX 0x%016lx\n",
              f->rax, f->rbx, f->rcx, f->rdx);
    vt_printf("#   RSI 0x%016lx RDI 0x%016lx RBP 0x%016lx R8  0x%016lx\n",
              f->rsi, f->rdi, f->rbp, f->r8);
    vt_printf("#   R9  0x%016lx R10 0x%016lx R11 0x%016lx R12 0x%016lx\n",
              f->r9, f->r10, f->r11, f->r12);
    vt_printf("#   R13 0x%016lx R14 0x%016lx R15 0x%016lx\n", f->r13, f->r14,
              f->r15);
    report_error("unexpected exception %s at RIP 0x%lx", name, f->rip);
    report_finish();
}

void trap_dispatch(struct trap_frame *f)
{
    unsigned v = (unsigned)f->vector;

    if (v < 32) {
        fatal_exception(f);
    }
    if (v == VEC_SPURIOUS)
        return; /* no EOI for spurious */
    if (handlers[v].fn) {
        handlers[v].fn(handlers[v].arg);
    } else {
        vt_printf("# interrupt on unallocated vector 0x%x ignored\n", v);
    }
    trap_irq_count++;
    lapic_eoi();
}
