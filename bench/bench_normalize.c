/*
 * bench_normalize.c: `xueji bench normalize`, the throughput of name
 * normalization plus the pinyin key (xj_name_normalize), single-threaded.
 *
 * Workload: the mix a provincial batch holds, drawn deterministically from a
 * seed: mostly plain two- and three-character Han names of the common
 * surnames, then Traditional forms typed on Hong Kong or Taiwan systems,
 * full-width and white-space noise from spreadsheets, transliterated
 * minority names with every kind of middle dot, compound surnames,
 * Latin-script names, and a few rare characters outside the BMP or in the
 * Private Use Area.  The names are generated into a pool first (not timed);
 * the timed loop then normalizes pool entries in turn, so the figure is the
 * normalizer's alone.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xj/bench.h"
#include "xj/common.h"
#include "xj/normalize.h"

#define POOL_NAMES 65536u /* a power of two; small enough to stay in cache like a batch row */
#define POOL_BYTES (POOL_NAMES * 48u)

/* The surnames (by frequency, roughly), given-name characters and other
 * parts the generator draws from; each string is one UTF-8 character or
 * one part. */
static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
    "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹",
    "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵",
    "万", "钱", "严", "覃", "武", "戴", "莫", "孔", "向", "汤", "单", "解", "仇", "查", "翟",
};
static const char *const given[] = {
    "伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
    "娟", "涛", "明", "超", "兰", "霞", "平", "刚", "桂", "华", "建", "文", "辉", "玲", "萍",
    "红", "鑫", "宇", "浩", "然", "子", "涵", "梓", "轩", "一", "诺", "欣", "怡", "雨", "泽",
    "博", "思", "远", "佳", "琪", "晨", "曦", "嘉", "俊", "妍", "墨", "诗", "梦", "紫", "萱",
    "睿", "航", "昊", "宸", "瑶", "婷", "雪", "晓", "志", "国", "海", "春", "燕", "鹏", "飞",
};
static const char *const traditional[] = {
    "張偉", "劉芳", "陳靜", "趙麗", "鄭強", "黃磊", "楊軍",   "吳艷",   "孫傑",   "馬娟",
    "周濤", "羅超", "謝輝", "韓玲", "馮鑫", "鄧宇", "蕭博文", "許嘉慧", "蘇詩涵", "錢鍾書",
};
static const char *const compounds[] = {
    "欧阳", "司马", "诸葛", "上官", "尉迟", "万俟", "东方", "皇甫", "夏侯", "慕容", "令狐", "长孙",
};
static const char *const minority[] = {
    "阿依古丽", "买买提",   "热依拉", "艾力", "古丽娜尔", "吐尔逊", "迪丽热巴", "帕尔哈提",
    "努尔",     "阿卜杜拉", "扎西",   "次仁", "卓玛",     "巴特尔", "其其格",   "阿不都",
};
static const char *const dots[] = {
    "·", "·", "·", "•", "・", "．", ".", "‧", "。", "∙", "⋅", "･",
};
static const char *const latin[] = {
    "JOHN SMITH",  "mary-jane o'neil", "Zhang Wei",     "LI NA",         "  wang   fang ",
    "José García", "Anna Müller",      "NGUYEN VAN AN", "ｔｏｍ ｌｅｅ", "Kim Min-jun",
};
static const char *const noise[] = {
    " ", "　", "\xE2\x80\x8B", "\xC2\xA0", "\t", "\xEF\xBB\xBF",
};
static const char *const rare[] = {
    "\xF0\xA0\x80\x80", "\xEE\x80\x80", "\xF0\xAA\x9A\xA5", "䶮", "\xEE\x80\x81",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* splitmix64: a small, well-mixed generator, so that the same seed gives
 * the same pool on every machine. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static const char *pick(uint64_t *rng, const char *const *list, size_t n)
{
    return list[next_random(rng) % n];
}

typedef struct pool {
    char *bytes;
    size_t used;
    uint32_t off[POOL_NAMES + 1];
} pool;

static void put(pool *p, const char *s)
{
    size_t l = strlen(s);
    if (p->used + l < POOL_BYTES) {
        memcpy(p->bytes + p->used, s, l);
        p->used += l;
    }
}

static void put_given(pool *p, uint64_t *rng)
{
    put(p, pick(rng, given, COUNT(given)));
    if (next_random(rng) % 3 != 0)
        put(p, pick(rng, given, COUNT(given)));
}

/* Writes one name of the mix into the pool. */
static void make_name(pool *p, uint64_t *rng)
{
    unsigned kind = (unsigned)(next_random(rng) % 100);
    if (kind < 66) {
        put(p, pick(rng, surnames, COUNT(surnames)));
        put_given(p, rng);
    } else if (kind < 74) {
        put(p, pick(rng, traditional, COUNT(traditional)));
    } else if (kind < 82) {
        /* Spreadsheet noise: a space, an ideographic space or an invisible
         * character somewhere, sometimes full-width Latin. */
        put(p, pick(rng, noise, COUNT(noise)));
        put(p, pick(rng, surnames, COUNT(surnames)));
        put(p, pick(rng, noise, COUNT(noise)));
        put_given(p, rng);
        if (next_random(rng) % 4 == 0)
            put(p, "\xEF\xBC\xA1"); /* Ａ */
    } else if (kind < 88) {
        put(p, pick(rng, minority, COUNT(minority)));
        put(p, pick(rng, dots, COUNT(dots)));
        put(p, pick(rng, minority, COUNT(minority)));
    } else if (kind < 92) {
        put(p, pick(rng, compounds, COUNT(compounds)));
        put_given(p, rng);
    } else if (kind < 98) {
        put(p, pick(rng, latin, COUNT(latin)));
    } else {
        put(p, pick(rng, surnames, COUNT(surnames)));
        put(p, pick(rng, rare, COUNT(rare)));
    }
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: xueji bench normalize [--count N] [--seed S]\n\n"
            "Normalizes N names (default 5000000) of a deterministic mix, single-threaded,\n"
            "and prints {\"bench\":\"normalize\",\"names\",\"seconds\",\"names_per_sec\",...}.\n");
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!s || *s == '\0' || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0')
        return -1;
    *out = v;
    return 0;
}

int xj_bench_normalize(int argc, char **argv)
{
    uint64_t count = 5000000, seed = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return XJ_EXIT_OK;
        } else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
            if (parse_u64(argv[++i], &count) != 0 || count == 0) {
                fprintf(stderr, "xueji bench normalize: bad --count '%s'\n", argv[i]);
                return XJ_EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            if (parse_u64(argv[++i], &seed) != 0) {
                fprintf(stderr, "xueji bench normalize: bad --seed '%s'\n", argv[i]);
                return XJ_EXIT_USAGE;
            }
        } else {
            fprintf(stderr, "xueji bench normalize: unknown argument '%s'\n", argv[i]);
            usage(stderr);
            return XJ_EXIT_USAGE;
        }
    }

    pool *p = calloc(1, sizeof *p);
    char *bytes = malloc(POOL_BYTES);
    if (!p || !bytes) {
        free(p);
        free(bytes);
        fprintf(stderr, "xueji bench normalize: out of memory\n");
        return XJ_EXIT_USAGE;
    }
    p->bytes = bytes;
    uint64_t rng = seed;
    for (uint32_t i = 0; i < POOL_NAMES; i++) {
        p->off[i] = (uint32_t)p->used;
        make_name(p, &rng);
    }
    p->off[POOL_NAMES] = (uint32_t)p->used;

    /* The checksum folds every result in, so that the work cannot be
     * optimized away, and lets two runs be compared. */
    uint64_t checksum = 0, changed = 0;
    xj_name out;
    double t0 = now_seconds();
    for (uint64_t n = 0; n < count; n++) {
        uint32_t i = (uint32_t)(n & (POOL_NAMES - 1));
        xj_name_normalize(p->bytes + p->off[i], p->off[i + 1] - p->off[i], &out);
        checksum = checksum * 31 + out.pinyin_len + out.normalized_len + out.flags;
        changed += out.flags != 0;
    }
    double secs = now_seconds() - t0;
    if (secs <= 0)
        secs = 1e-9;

    printf("{\"bench\":\"normalize\",\"names\":%llu,\"seconds\":%.3f,\"names_per_sec\":%.0f,"
           "\"ns_per_name\":%.1f,\"threads\":1,\"pool\":%u,\"pool_bytes\":%zu,\"seed\":%llu,"
           "\"flagged_share\":%.3f,\"checksum\":\"%016llx\"}\n",
           (unsigned long long)count, secs, (double)count / secs, secs * 1e9 / (double)count,
           POOL_NAMES, p->used, (unsigned long long)seed, (double)changed / (double)count,
           (unsigned long long)checksum);
    free(bytes);
    free(p);
    return XJ_EXIT_OK;
}
