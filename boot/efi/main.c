/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * boot/efi/main.c — the UEFI boot path: a gnu-efi application that runs
 * the same firmware as the multiboot image.
 *
 * While boot services run it gathers what lib/guest's hand-over needs:
 * the ACPI RSDP from the configuration table, the command line (the
 * image's load options, then \vtdprobe\cmdline.txt), every
 * \vtdprobe\scenarios\*.vtd from the file system the image was loaded
 * from (in name order, as boot modules), and the memory map. Then it
 * exits boot services and, on its own GDT, stack, page tables and IDT,
 * starts the firmware the way boot/entry.asm does.
 *
 * Everything the firmware read from disk or the firmware tables is
 * bounded: sizes, counts and names are checked before use, and a problem
 * ends the run with ERROR and a message rather than a guess.
 */
#include <efi.h>
#include <efilib.h>

#include <stddef.h>
#include <string.h>

#include "lib/guest/guest.h"
#include "lib/guest/x86.h"
#include "lib/printf.h"
#include "lib/report.h"

#define MAX_SCRIPTS     32
#define MAX_SCRIPT_SIZE (1u << 20)
#define MAX_DIR_ENTRIES 1024
#define MAX_NAME        64
#define CMDLINE_MAX     512
#define EBS_TRIES       8
#define FOUR_GIB        (4ull << 30)
/* EFI_FILE_INFO up to its variable-length name. */
#define INFO_HEAD       offsetof(EFI_FILE_INFO, FileName)
#define CR4_LA57        (1ull << 12)

void efi_enter(void (*fn)(void)) __attribute__((noreturn));
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;

/* The memory map at ExitBootServices: in the image, so that reading it
 * allocates nothing (an allocation would change the map key). */
static uint8_t mmap_buf[32768] __attribute__((aligned(16)));
static UINTN mmap_size, mmap_desc_size;

static uint64_t image_base, image_size;
static uint64_t rsdp;
static const char *rsdp_from;
static char cmdline[CMDLINE_MAX];

static struct script {
    char name[MAX_NAME];
    char *data;
    size_t size;
} scripts[MAX_SCRIPTS];
static unsigned nr_scripts;

/* Before the tests can run: say why on the console, end the run with
 * ERROR (the runner sees the result line and the exit status agree). */
static __attribute__((noreturn, format(printf, 1, 2))) void
fail_early(const char *fmt, ...)
{
    char msg[200];
    va_list ap;

    va_start(ap, fmt);
    vt_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    report_init();
    report_error("uefi: %s", msg);
    report_finish();
}

static const char *efi_strerror(EFI_STATUS st)
{
    /* clang-format off */
    switch (st) {
    case EFI_SUCCESS:           return "success";
    case EFI_LOAD_ERROR:        return "load error";
    case EFI_INVALID_PARAMETER: return "invalid parameter";
    case EFI_UNSUPPORTED:       return "unsupported";
    case EFI_BUFFER_TOO_SMALL:  return "buffer too small";
    case EFI_DEVICE_ERROR:      return "device error";
    case EFI_OUT_OF_RESOURCES:  return "out of resources";
    case EFI_NOT_FOUND:         return "not found";
    case EFI_ACCESS_DENIED:     return "access denied";
    default:                    return "error";
    }
    /* clang-format on */
}

/* ----------------------------------------------------------- strings */

/* UCS-2 to ASCII, at most max-1 characters; anything else becomes '?'. */
static void to_ascii(char *out, size_t max, const CHAR16 *in, size_t n)
{
    size_t i;

    for (i = 0; i < n && i + 1 < max && in[i]; i++)
        out[i] = in[i] >= 0x20 && in[i] < 0x7F ? (char)in[i] : '?';
    out[i] = 0;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool ends_with_nocase(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    if (n < m)
        return false;
    for (size_t i = 0; i < m; i++)
        if (lower(s[n - m + i]) != lower(suffix[i]))
            return false;
    return true;
}

/* Append text to the command line as words: control characters (line
 * ends of cmdline.txt) become spaces. */
static void cmdline_append(const char *text, size_t n)
{
    size_t len = strlen(cmdline);

    while (n &&
           (*text == ' ' || *text == '\t' || *text == '\r' || *text == '\n')) {
        text++;
        n--;
    }
    if (!n || !*text)
        return;
    if (len && len + 1 < sizeof(cmdline))
        cmdline[len++] = ' ';
    for (size_t i = 0; i < n && text[i] && len + 1 < sizeof(cmdline); i++)
        cmdline[len++] = (unsigned char)text[i] < 0x20 ? ' ' : text[i];
    while (len && cmdline[len - 1] == ' ')
        len--;
    cmdline[len] = 0;
}

/* ------------------------------------------------------ load options */

/*
 * The load options are a UCS-2 command line when the image is started
 * from the shell or a boot entry with arguments ("vtdprobe.efi test=..."):
 * the first word names the image and is dropped when it is not a
 * key=value word. A boot manager may also pass binary data here (edk2
 * does for the entries it creates itself): anything that is not
 * printable text is ignored.
 */
static void take_load_options(const EFI_LOADED_IMAGE *li)
{
    const CHAR16 *w = li->LoadOptions;
    size_t n = li->LoadOptionsSize / sizeof(CHAR16);
    char text[CMDLINE_MAX];
    const char *p = text;

    if (!w || !n)
        return;
    if (n >= sizeof(text))
        n = sizeof(text) - 1;
    for (size_t i = 0; i < n && w[i]; i++)
        if (w[i] < 0x20 || w[i] > 0x7E)
            return;
    to_ascii(text, sizeof(text), w, n);
    while (*p == ' ')
        p++;
    {
        const char *end = p;
        bool kv = false;

        while (*end && *end != ' ')
            kv |= *end++ == '=';
        if (!kv)
            p = end;
    }
    cmdline_append(p, strlen(p));
}

/* ----------------------------------------------------------- files */

static EFI_FILE_HANDLE open_child(EFI_FILE_HANDLE dir, CHAR16 *path)
{
    EFI_FILE_HANDLE fh = NULL;

    if (uefi_call_wrapper(dir->Open, 5, dir, &fh, path, EFI_FILE_MODE_READ,
                          0) != EFI_SUCCESS)
        return NULL;
    return fh;
}

/* Read exactly size bytes; false on a short or failed read. */
static bool read_all(EFI_FILE_HANDLE fh, void *buf, size_t size)
{
    size_t got = 0;

    /* Bounded: every pass reads at least one byte or stops. */
    while (got < size) {
        UINTN n = size - got;

        if (uefi_call_wrapper(fh->Read, 3, fh, &n, (char *)buf + got) !=
                EFI_SUCCESS ||
            n == 0 || n > size - got)
            return false;
        got += n;
    }
    return true;
}

static void take_cmdline_file(EFI_FILE_HANDLE root)
{
    EFI_FILE_HANDLE fh = open_child(root, L"\\vtdprobe\\cmdline.txt");
    char text[CMDLINE_MAX];
    UINTN n = sizeof(text) - 1;

    if (!fh)
        return;
    if (uefi_call_wrapper(fh->Read, 3, fh, &n, text) != EFI_SUCCESS ||
        n >= sizeof(text))
        n = 0;
    text[n] = 0;
    uefi_call_wrapper(fh->Close, 1, fh);
    cmdline_append(text, n);
}

static void load_script(EFI_FILE_HANDLE dir, const EFI_FILE_INFO *info,
                        const char *name)
{
    struct script *s;
    EFI_FILE_HANDLE fh;
    EFI_STATUS st;
    void *buf;

    if (nr_scripts == MAX_SCRIPTS)
        fail_early("more than %u scenario files in \\vtdprobe\\scenarios",
                   MAX_SCRIPTS);
    if (info->FileSize > MAX_SCRIPT_SIZE)
        fail_early("scenario file %s: %lu bytes, more than the %u allowed",
                   name, (unsigned long)info->FileSize, MAX_SCRIPT_SIZE);
    s = &scripts[nr_scripts];
    memcpy(s->name, name, strlen(name) + 1);
    s->size = (size_t)info->FileSize;
    /* Loader data: never conventional memory, so never handed out. */
    st = uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData, s->size + 1,
                           &buf);
    if (st != EFI_SUCCESS)
        fail_early("scenario file %s: no memory for %lu bytes (%s)", name,
                   (unsigned long)s->size, efi_strerror(st));
    fh = open_child(dir, (CHAR16 *)info->FileName);
    if (!fh || !read_all(fh, buf, s->size))
        fail_early("scenario file %s cannot be read", name);
    uefi_call_wrapper(fh->Close, 1, fh);
    s->data = buf;
    s->data[s->size] = 0;
    nr_scripts++;
}

/* Every *.vtd of \vtdprobe\scenarios, sorted by name: a FAT directory's
 * order is whatever wrote it, and runs must be repeatable. */
static void take_scripts(EFI_FILE_HANDLE root)
{
    EFI_FILE_HANDLE dir = open_child(root, L"\\vtdprobe\\scenarios");
    static UINT64 ibuf[(INFO_HEAD + 512 * sizeof(CHAR16) + 7) / 8];

    if (!dir)
        return;
    for (unsigned n = 0; n < MAX_DIR_ENTRIES; n++) {
        EFI_FILE_INFO *info = (EFI_FILE_INFO *)ibuf;
        UINTN size = sizeof(ibuf);
        char name[MAX_NAME];
        size_t chars;
        EFI_STATUS st;

        st = uefi_call_wrapper(dir->Read, 3, dir, &size, info);
        if (st != EFI_SUCCESS)
            fail_early("reading \\vtdprobe\\scenarios: %s (a file name "
                       "longer than 500 characters?)",
                       efi_strerror(st));
        if (size == 0)
            break; /* end of the directory */
        if (size < INFO_HEAD || (info->Attribute & EFI_FILE_DIRECTORY))
            continue;
        chars = (size - INFO_HEAD) / sizeof(CHAR16);
        to_ascii(name, sizeof(name), info->FileName, chars);
        if (!ends_with_nocase(name, ".vtd"))
            continue;
        if (strlen(name) + 1 >= sizeof(name))
            fail_early("scenario file name %s... longer than %u characters",
                       name, MAX_NAME - 2);
        load_script(dir, info, name);
    }
    uefi_call_wrapper(dir->Close, 1, dir);

    for (unsigned i = 1; i < nr_scripts; i++)
        for (unsigned j = i;
             j > 0 && strcmp(scripts[j - 1].name, scripts[j].name) > 0; j--) {
            struct script t = scripts[j];

            scripts[j] = scripts[j - 1];
            scripts[j - 1] = t;
        }
}

/* ------------------------------------------------ after boot services */

static void take_memory_map(void)
{
    uint64_t conventional = 0;
    unsigned entries = 0;

    for (UINTN off = 0; off + mmap_desc_size <= mmap_size;
         off += mmap_desc_size) {
        const EFI_MEMORY_DESCRIPTOR *d = (const void *)(mmap_buf + off);
        uint64_t len;

        entries++;
        if (d->Type != EfiConventionalMemory)
            continue;
        if (d->NumberOfPages > (~0ull >> 12))
            continue; /* nonsense: ignore */
        len = d->NumberOfPages << 12;
        handover_ram_add(d->PhysicalStart, len);
        if (d->PhysicalStart < FOUR_GIB)
            conventional += len;
    }
    /* Conventional memory never holds the image; say so anyway. */
    handover_ram_reserve(image_base, image_size);
    vt_printf("# uefi: memory map of %u entries, %lu KiB conventional "
              "memory below 4 GiB, %lu KiB for the page allocator\n",
              entries, (unsigned long)(conventional >> 10),
              (unsigned long)(guest_free_bytes() >> 10));
    if (handover_ram_lost())
        vt_printf("# uefi: %lu KiB of conventional memory left out: too "
                  "many ranges\n",
                  (unsigned long)(handover_ram_lost() >> 10));
}

static void efi_continue(void)
{
    /* Checked before ExitBootServices: 4-level paging, image below 4 GiB. */
    paging_install_early();
    serial_init();
    trap_init();
    take_memory_map();
    handover_rsdp(rsdp);
    handover_cmdline(cmdline);
    for (unsigned i = 0; i < nr_scripts; i++)
        handover_module(scripts[i].name, scripts[i].data, scripts[i].size);
    vt_printf("# uefi: image at 0x%lx (%lu KiB), %u scenario file%s\n",
              (unsigned long)image_base, (unsigned long)(image_size >> 10),
              nr_scripts, nr_scripts == 1 ? "" : "s");
    if (rsdp)
        vt_printf("# uefi: RSDP at 0x%lx (%s table)\n", (unsigned long)rsdp,
                  rsdp_from);
    else
        vt_printf("# uefi: no ACPI table in the configuration table: the "
                  "BIOS areas are searched\n");
    vt_printf("# uefi: command line \"%s\"\n", cmdline);
    guest_start();
}

static void exit_boot_services(EFI_HANDLE image)
{
    EFI_STATUS st = EFI_SUCCESS;

    /* The map key changes with every allocation, including those the
     * firmware makes on its own: retry a few times, then give up. */
    for (unsigned tries = 0; tries < EBS_TRIES; tries++) {
        UINTN key = 0;
        UINT32 version = 0;

        mmap_size = sizeof(mmap_buf);
        st = uefi_call_wrapper(BS->GetMemoryMap, 5, &mmap_size,
                               (EFI_MEMORY_DESCRIPTOR *)mmap_buf, &key,
                               &mmap_desc_size, &version);
        if (st != EFI_SUCCESS)
            fail_early("GetMemoryMap: %s (%lu bytes needed, %lu here)",
                       efi_strerror(st), (unsigned long)mmap_size,
                       (unsigned long)sizeof(mmap_buf));
        if (mmap_desc_size < sizeof(EFI_MEMORY_DESCRIPTOR) ||
            mmap_size > sizeof(mmap_buf))
            fail_early("GetMemoryMap: descriptor size %lu, map size %lu",
                       (unsigned long)mmap_desc_size, (unsigned long)mmap_size);
        st = uefi_call_wrapper(BS->ExitBootServices, 2, image, key);
        if (st == EFI_SUCCESS)
            return;
    }
    fail_early("ExitBootServices: %s after %u tries", efi_strerror(st),
               EBS_TRIES);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
    EFI_LOADED_IMAGE *li = NULL;
    EFI_FILE_HANDLE root;
    void *table = NULL;
    EFI_STATUS st;

    /* libefi's globals. InitializeLib would set them too, but its object
     * file also defines memset and memcpy, which lib/string.c provides. */
    ST = systab;
    BS = systab->BootServices;
    RT = systab->RuntimeServices;

    /* COM1 is the firmware's console too: start on a line of our own. */
    serial_init();
    vt_printf("\n");

    st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
                           (void **)&li);
    if (st != EFI_SUCCESS || !li)
        fail_early("no loaded-image protocol on the image handle (%s)",
                   efi_strerror(st));
    image_base = (uint64_t)li->ImageBase;
    image_size = li->ImageSize;
    /* The early map covers 4 GiB and the firmware's own is about to go. */
    if (image_base + image_size > FOUR_GIB ||
        image_base + image_size < image_base)
        fail_early("image loaded at 0x%lx, not below 4 GiB",
                   (unsigned long)image_base);
    if (read_cr4() & CR4_LA57)
        fail_early("the firmware runs 5-level paging; the image's page "
                   "tables are 4-level");

    if (LibGetSystemConfigurationTable(&acpi20_guid, &table) == EFI_SUCCESS &&
        table) {
        rsdp = (uint64_t)table;
        rsdp_from = "ACPI 2.0";
    } else if (LibGetSystemConfigurationTable(&acpi10_guid, &table) ==
                   EFI_SUCCESS &&
               table) {
        rsdp = (uint64_t)table;
        rsdp_from = "ACPI 1.0";
    }

    take_load_options(li);
    root = LibOpenRoot(li->DeviceHandle);
    if (root) {
        take_cmdline_file(root);
        take_scripts(root);
        uefi_call_wrapper(root->Close, 1, root);
    }

    exit_boot_services(image);
    efi_enter(efi_continue);
}
