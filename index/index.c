/*
 * index.c: opening, creating and closing the RocksDB database behind the
 * index, and the translation of RocksDB errors into xj_status codes.
 *
 * Table settings follow the workload: point lookups by key (resident ID,
 * blocking key) dominate, so every family gets a bloom filter, and blocks
 * are written uncompressed and read in place from memory-mapped files, with
 * no block cache unless one is asked for (--compress and --block-cache
 * trade speed for disk).
 */
#define _DEFAULT_SOURCE /* madvise */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "index_int.h"

static const char *const cf_names[CF_COUNT] = {
    "default", "records", "resid", "blocking", "population", "namefreq", "counters", "history",
};

void xj_index_options_init(xj_index_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->create_if_missing = 1;
}

int xj__index_fail(xj_index *idx, int status, char *rocks_err, const char *what)
{
    if (rocks_err) {
        snprintf(idx->errmsg, sizeof idx->errmsg, "%s: %s", what, rocks_err);
        rocksdb_free(rocks_err);
    } else {
        snprintf(idx->errmsg, sizeof idx->errmsg, "%s", what);
    }
    return status;
}

/* The options of one family.  Each family that merges gets a merge operator
 * of its own: RocksDB takes ownership of the operator it is given. */
static rocksdb_options_t *family_options(xj_index *idx, int cf)
{
    rocksdb_options_t *o = rocksdb_options_create();
    rocksdb_options_set_block_based_table_factory(o, idx->table_opts);
    /* No compression: the engine's lookups read blocks in place from the
     * memory-mapped files (see xj_index_open), which a compressed block
     * defeats (it must be inflated into the heap, or into a block cache
     * that then holds a second copy).  Measured on a 10M registry + 20M
     * population index and a 400k-row batch, 2 cores: uncompressed and
     * mapped 20.0k rows/s, LZ4/ZSTD with a 6 GB block cache 10.3k, with
     * the former 256 MB cache 3.1k; for 1.7 times the bytes on disk. */
    if (idx->compress) {
        /* Asked for (--compress): the bytes of the design, LZ4 and
         * ZSTD at the bottom level, where bulk loads ingest their files
         * (SstFileWriter takes the bottommost compression). */
        rocksdb_options_set_compression(o, rocksdb_lz4_compression);
        rocksdb_options_set_bottommost_compression(o, rocksdb_zstd_compression);
    } else {
        rocksdb_options_set_compression(o, rocksdb_no_compression);
    }
    if (cf == CF_RESID || cf == CF_BLOCKING)
        rocksdb_options_set_merge_operator(o, xj__merge_posting_create());
    else if (cf == CF_NAMEFREQ || cf == CF_DEFAULT)
        rocksdb_options_set_merge_operator(o, xj__merge_add_create());
    return o;
}

rocksdb_options_t *xj__cf_options(xj_index *idx, int cf)
{
    return idx->cf_opts[cf];
}

/* Checks the format marker, or writes it into a new database. */
static int check_format(xj_index *idx, int fresh)
{
    char *err = NULL;
    size_t len = 0;
    char *val = rocksdb_get_cf(idx->db, idx->ropts, idx->cf[CF_DEFAULT], META_FORMAT_KEY,
                               strlen(META_FORMAT_KEY), &len, &err);
    if (err)
        return xj__index_fail(idx, XJ_ERR_DB, err, "reading the format marker");
    if (!val) {
        if (!fresh)
            return xj__index_fail(idx, XJ_ERR_CORRUPT, NULL,
                                  "not an xueji index (no format marker)");
        unsigned char v[4] = {(unsigned char)(XJ_INDEX_FORMAT_VERSION >> 24),
                              (unsigned char)(XJ_INDEX_FORMAT_VERSION >> 16),
                              (unsigned char)(XJ_INDEX_FORMAT_VERSION >> 8),
                              (unsigned char)XJ_INDEX_FORMAT_VERSION};
        rocksdb_put_cf(idx->db, idx->wopts, idx->cf[CF_DEFAULT], META_FORMAT_KEY,
                       strlen(META_FORMAT_KEY), (const char *)v, sizeof v, &err);
        return err ? xj__index_fail(idx, XJ_ERR_DB, err, "writing the format marker") : XJ_OK;
    }
    int rc = XJ_OK;
    if (len != 4) {
        rc = xj__index_fail(idx, XJ_ERR_CORRUPT, NULL, "format marker of the wrong size");
    } else {
        const unsigned char *u = (const unsigned char *)val;
        uint32_t v = (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
        if (v != XJ_INDEX_FORMAT_VERSION) {
            snprintf(idx->errmsg, sizeof idx->errmsg,
                     "index format version %u, this build reads version %u: rebuild the "
                     "index from its files (load-population, import)",
                     v, XJ_INDEX_FORMAT_VERSION);
            rc = XJ_ERR_CORRUPT;
        }
    }
    rocksdb_free(val);
    return rc;
}

/* Returns 1 when path already holds a RocksDB database. */
static int database_exists(xj_index *idx)
{
    char *err = NULL;
    size_t n = 0;
    char **names = rocksdb_list_column_families(idx->db_opts, idx->path, &n, &err);
    /* RocksDB hands back an (empty) array even when it fails. */
    if (names)
        rocksdb_list_column_families_destroy(names, n);
    if (err) {
        rocksdb_free(err);
        return 0;
    }
    return 1;
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 /* Linux 5.14 */
#endif

/* MemAvailable of /proc/meminfo in bytes, 0 when unknown. */
static uint64_t memory_available(void)
{
    FILE *fp = fopen("/proc/meminfo", "re");
    if (!fp)
        return 0;
    char line[256];
    unsigned long long kb = 0;
    while (fgets(line, sizeof line, fp))
        if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
            break;
    fclose(fp);
    return (uint64_t)kb << 10;
}

typedef struct span {
    unsigned long lo, hi;
    char *path;
} span;

/* Reads the file of a mapping into the page cache unless all of it is
 * there already. */
static void read_through(const span *sp)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t len = sp->hi - sp->lo, pages = (len + (size_t)page - 1) / (size_t)page;
    unsigned char *vec = malloc(pages);
    if (!vec)
        return;
    size_t resident = 0;
    if (mincore((void *)sp->lo, len, vec) == 0)
        for (size_t i = 0; i < pages; i++)
            resident += vec[i] & 1;
    free(vec);
    if (resident == pages)
        return;
    int fd = open(sp->path, O_RDONLY | O_CLOEXEC);
    char *buf = malloc((size_t)1 << 20);
    if (fd >= 0 && buf) {
        (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
        off_t off = 0;
        ssize_t got;
        while ((got = pread(fd, buf, (size_t)1 << 20, off)) > 0)
            off += got;
    }
    free(buf);
    if (fd >= 0)
        close(fd);
}

/* Fills the page tables of every mapped table file of the index.  A lookup
 * touches a few pages of several files, and its first touch of a page
 * costs a page fault: on the 2-core virtual machine of the benchmarks about
 * a fifth of a 100k-row check went to faults, and single-record checks ran
 * at p50/p99 130/840 us without this, 110/630 us with it (10M registry).
 * Filling 4.4 GB of page tables takes about 0.3 s when the files are in the
 * page cache.  A file not wholly in the page cache (mincore) is first read
 * through, sequentially, by a descriptor of our own: RocksDB advises its
 * files and mappings random, so a fault reads 4 KB at a time (56 MB/s on
 * that machine: 4.4 GB cold took 76 s that way, and 45-50 s after
 * MADV_WILLNEED or POSIX_FADV_WILLNEED, whose read-ahead the kernel may
 * drop).  An index larger
 * than three quarters of the available memory is left alone: its pages
 * could not all stay, and reading it whole would only evict the rest.
 * RocksDB maps each table file whole (allow_mmap_reads); the mappings are
 * found in /proc/self/maps by the index directory.  Best effort: an older
 * kernel without MADV_POPULATE_READ just faults later. */
static void prefault_tables(xj_index *idx)
{
    char dir[PATH_MAX];
    if (!realpath(idx->path, dir))
        return;
    size_t dn = strlen(dir);
    FILE *maps = fopen("/proc/self/maps", "re");
    if (!maps)
        return;
    span *spans = NULL;
    size_t n = 0, cap = 0;
    uint64_t total = 0;
    char line[PATH_MAX + 128];
    while (fgets(line, sizeof line, maps)) {
        unsigned long lo, hi;
        const char *path = strchr(line, '/');
        size_t len = strlen(line);
        if (len && line[len - 1] == '\n')
            line[--len] = '\0';
        if (!path || strncmp(path, dir, dn) != 0 || path[dn] != '/' || len < 4 ||
            strcmp(line + len - 4, ".sst") != 0 || sscanf(line, "%lx-%lx", &lo, &hi) != 2 ||
            hi <= lo)
            continue;
        if (n == cap) {
            span *p = xj_grow(spans, &cap, sizeof *p, 256);
            if (!p)
                break;
            spans = p;
        }
        char *copy = strdup(path);
        if (!copy)
            break;
        spans[n++] = (span){lo, hi, copy};
        total += hi - lo;
    }
    fclose(maps);
    uint64_t avail = memory_available();
    if (avail && total <= avail / 4 * 3) {
        for (size_t i = 0; i < n; i++)
            read_through(&spans[i]);
        for (size_t i = 0; i < n; i++)
            (void)madvise((void *)spans[i].lo, spans[i].hi - spans[i].lo, MADV_POPULATE_READ);
    }
    for (size_t i = 0; i < n; i++)
        free(spans[i].path);
    free(spans);
}

int xj_index_open(const char *path, const xj_index_options *opts, xj_index **out)
{
    if (!path || !out)
        return XJ_ERR_ARG;
    xj_index_options defaults;
    if (!opts) {
        xj_index_options_init(&defaults);
        opts = &defaults;
    }
    xj_index *idx = calloc(1, sizeof *idx);
    if (!idx || !(idx->path = strdup(path))) {
        free(idx);
        *out = NULL;
        return XJ_ERR_NOMEM;
    }
    *out = idx;

    idx->compress = opts->compress;
    idx->table_opts = rocksdb_block_based_options_create();
    /* Blocks are read in place from the mapped files, so a block cache
     * only adds a copy and an LRU lookup to every read; it is there for
     * callers that ask for one (an index on storage too slow to map). */
    if (opts->block_cache_bytes) {
        idx->cache = rocksdb_cache_create_lru(opts->block_cache_bytes);
        rocksdb_block_based_options_set_block_cache(idx->table_opts, idx->cache);
    } else {
        rocksdb_block_based_options_set_no_block_cache(idx->table_opts, 1);
    }
    /* 16 KiB data blocks: a quarter of the index entries of 4 KiB blocks
     * (each lookup binary-searches the index block of its file), measured
     * 10 % faster on the batch above. */
    rocksdb_block_based_options_set_block_size(idx->table_opts, (size_t)16 << 10);
    rocksdb_block_based_options_set_filter_policy(idx->table_opts,
                                                  rocksdb_filterpolicy_create_bloom_full(10));
    /* Index and filter blocks stay with their table readers instead of
     * competing in the LRU cache: every lookup needs them, and a cache
     * lookup each time costs more than the memory they take (about 1.3
     * bytes a key for the filters). */
    rocksdb_block_based_options_set_cache_index_and_filter_blocks(idx->table_opts, 0);

    idx->db_opts = family_options(idx, -1);
    /* Prefault needs every table open (and mapped) now; otherwise tables
     * open on first use. */
    rocksdb_options_set_max_open_files(idx->db_opts, opts->prefault ? -1 : 1024);
    /* Table files are mapped and read in place: no pread, no copy, no heap
     * block per read (the SST files are immutable; the page cache is the
     * cache).  Not for a bulk load: the files it ingests were just dropped
     * from the page cache by their writer, and the first touch of a mapped
     * page reads the pages around it (read-around, the device's whole
     * read-ahead window), so the footer, index and filter reads of opening
     * 256 new files read 1.8 GB from disk at 10 M records (1.1-1.4 s);
     * pread reads what is asked. */
    rocksdb_options_set_allow_mmap_reads(idx->db_opts, !opts->bulk_load);
    idx->ropts = rocksdb_readoptions_create();
    idx->wopts = rocksdb_writeoptions_create();

    int fresh = !database_exists(idx);
    if (fresh && (!opts->create_if_missing || opts->read_only))
        return xj__index_fail(idx, XJ_ERR_DB, NULL, "no index at this path");
    rocksdb_options_set_create_if_missing(idx->db_opts, 1);
    rocksdb_options_set_create_missing_column_families(idx->db_opts, 1);

    for (int i = 0; i < CF_COUNT; i++)
        idx->cf_opts[i] = family_options(idx, i);
    idx->read_only = opts->read_only;
    char *err = NULL;
    if (opts->read_only)
        idx->db = rocksdb_open_for_read_only_column_families(
            idx->db_opts, path, CF_COUNT, cf_names, (const rocksdb_options_t *const *)idx->cf_opts,
            idx->cf, 0, &err);
    else
        idx->db = rocksdb_open_column_families(idx->db_opts, path, CF_COUNT, cf_names,
                                               (const rocksdb_options_t *const *)idx->cf_opts,
                                               idx->cf, &err);
    if (err) {
        idx->db = NULL;
        return xj__index_fail(idx, XJ_ERR_DB, err, "opening the index");
    }
    int rc = check_format(idx, fresh);
    if (rc == XJ_OK && opts->prefault)
        prefault_tables(idx);
    return rc;
}

void xj_index_close(xj_index *idx)
{
    if (!idx)
        return;
    if (idx->db && !idx->read_only) {
        /* Flush what commits left in the memtables, so that the next open
         * (often read-only, for lookup or serve) need not replay the log. */
        rocksdb_flushoptions_t *fo = rocksdb_flushoptions_create();
        rocksdb_flushoptions_set_wait(fo, 1);
        for (int i = 0; i < CF_COUNT; i++) {
            char *err = NULL;
            if (idx->cf[i])
                rocksdb_flush_cf(idx->db, fo, idx->cf[i], &err);
            rocksdb_free(err);
        }
        rocksdb_flushoptions_destroy(fo);
    }
    if (idx->db) {
        for (int i = 0; i < CF_COUNT; i++)
            if (idx->cf[i])
                rocksdb_column_family_handle_destroy(idx->cf[i]);
        rocksdb_close(idx->db);
    }
    for (int i = 0; i < CF_COUNT; i++)
        if (idx->cf_opts[i])
            rocksdb_options_destroy(idx->cf_opts[i]);
    if (idx->db_opts)
        rocksdb_options_destroy(idx->db_opts);
    if (idx->table_opts)
        rocksdb_block_based_options_destroy(idx->table_opts);
    if (idx->cache)
        rocksdb_cache_destroy(idx->cache);
    if (idx->ropts)
        rocksdb_readoptions_destroy(idx->ropts);
    if (idx->wopts)
        rocksdb_writeoptions_destroy(idx->wopts);
    free(idx->path);
    free(idx);
}

const char *xj_index_errmsg(const xj_index *idx)
{
    return idx ? idx->errmsg : "";
}

const char *xj_index_path(const xj_index *idx)
{
    return idx ? idx->path : "";
}
