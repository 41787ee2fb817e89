/*
 * fields.c: the small input fields of the CSV contract: gender, dates,
 * document type, registry and population status, division codes.  Loaders
 * and the batch check parse them here so that a value is read the same way
 * wherever it comes in.
 */
#include <string.h>
#include <strings.h>
#include <time.h>

#include "xj/normalize.h"

static void trim(const char **s, size_t *len)
{
    xj_slice t = xj_trim((xj_slice){*s, *len});
    *s = t.ptr;
    *len = t.len;
}

/* Copies s into buf with full-width ASCII forms (U+FF01..U+FF5E, typed
 * with a Chinese input method left in full-width mode: ２０１２－０３－０５,
 * Ｍ) folded to ASCII and U+3000 to a space; 0 if it does not fit.  Any
 * other byte is copied as it is. */
static size_t fold_width(const char *s, size_t len, char *buf, size_t cap)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t adv = 1;
        int32_t cp = u[i] < 0x80 ? (int32_t)u[i] : xj_utf8_decode(u + i, len - i, &adv);
        char ascii = cp >= 0xFF01 && cp <= 0xFF5E ? (char)(cp - 0xFF01 + 0x21)
                     : cp == 0x3000               ? ' '
                                                  : 0;
        size_t out = ascii ? 1 : adv;
        if (n + out >= cap)
            return 0;
        if (ascii)
            buf[n] = ascii;
        else
            memcpy(buf + n, s + i, adv);
        n += out;
        i += adv;
    }
    buf[n] = '\0';
    return n;
}

static int is(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(s, word, len) == 0;
}

static int is_nocase(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

int xj_gender_parse(const char *s, size_t len, char *out)
{
    if (!s || !out)
        return XJ_ERR_ARG;
    char buf[32];
    if (!(len = fold_width(s, len, buf, sizeof buf)))
        return XJ_ERR_ARG;
    s = buf;
    trim(&s, &len);
    if (is(s, len, "男") || is(s, len, "1") || is_nocase(s, len, "M") || is(s, len, "男性") ||
        is(s, len, "男生") || is(s, len, "男孩") || is_nocase(s, len, "male")) {
        *out = 'M';
        return XJ_OK;
    }
    if (is(s, len, "女") || is(s, len, "2") || is_nocase(s, len, "F") || is(s, len, "女性") ||
        is(s, len, "女生") || is(s, len, "女孩") || is_nocase(s, len, "female")) {
        *out = 'F';
        return XJ_OK;
    }
    return XJ_ERR_ARG;
}

/* Days in month m (1..12) of year y, Gregorian. */
static unsigned month_days(unsigned y, unsigned m)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return days[m - 1] + (unsigned)(m == 2 && leap);
}

int xj_date_valid(unsigned y, unsigned m, unsigned d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

void xj_date_digits(uint32_t yyyymmdd, char out[9])
{
    uint32_t v = yyyymmdd % 100000000u;
    for (int i = 7; i >= 0; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
    out[8] = '\0';
}

/* Reads 1..max digits at *p; returns the value or -1. */
static long digits(const char **p, const char *e, int min, int max)
{
    long v = 0;
    int n = 0;
    while (*p < e && n < max && **p >= '0' && **p <= '9') {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n >= min ? v : -1;
}

/* Consumes one date separator written with a multi-byte character: 年 or 月,
 * or one of the dashes that word processors and Chinese input methods put
 * for the hyphen (‐ – — ― − ﹣; the full-width － is folded before).  One
 * character: a doubled dash (2012——03——05) is not a separator. */
__attribute__((noinline)) static int wide_separator(const char **p, const char *e)
{
    static const char *const wide[] = {"年",           "月",           "\xE2\x80\x90",
                                       "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95",
                                       "\xE2\x88\x92", "\xEF\xB9\xA3"}; /* ‐ – — ― − ﹣ */
    if (e - *p >= 3)
        for (size_t i = 0; i < sizeof wide / sizeof *wide; i++)
            if (memcmp(*p, wide[i], 3) == 0) {
                *p += 3;
                return 1;
            }
    return 0;
}

/* Consumes one date separator: - / . or a wide_separator.  The ASCII test
 * comes first, and wide_separator is kept out of line, so that this stays
 * small enough for gcc and clang to inline into ymd_plain. */
static int separator(const char **p, const char *e)
{
    if (*p < e && (**p == '-' || **p == '/' || **p == '.')) {
        (*p)++;
        return 1;
    }
    return wide_separator(p, e);
}

/* A time of day after a date, as spreadsheet and database exports write
 * it: a space or T, then hh:mm or hh:mm:ss, seconds perhaps with a
 * fraction.  Returns the length it takes at p, or 0. */
static size_t time_of_day(const char *p, const char *e)
{
    const char *q = p;
    if (q >= e || (*q != ' ' && *q != 'T'))
        return 0;
    q++;
    long h = digits(&q, e, 1, 2);
    if (h < 0 || h > 23 || q >= e || *q++ != ':')
        return 0;
    long m = digits(&q, e, 2, 2);
    if (m < 0 || m > 59)
        return 0;
    if (q < e && *q == ':') {
        q++;
        long sec = digits(&q, e, 2, 2);
        if (sec < 0 || sec > 59)
            return 0;
        if (q < e && *q == '.') {
            q++;
            if (digits(&q, e, 1, 9) < 0)
                return 0;
        }
    }
    return q == e ? (size_t)(q - p) : 0;
}

/* The forms nearly every file uses: YYYYMMDD, or YYYY, M or MM and D or DD
 * joined by single separators, 日 or 号 allowed after the day.  Returns 1
 * when [s, e) is one of them, with its parts (not yet range-checked). */
static int ymd_plain(const char *s, const char *e, long *y, long *m, long *d)
{
    const char *p = s;
    int compact = e - s == 8;
    for (const char *q = s; compact && q < e; q++)
        compact = *q >= '0' && *q <= '9';
    if (compact) {
        *y = digits(&p, e, 4, 4);
        *m = digits(&p, e, 2, 2);
        *d = digits(&p, e, 2, 2);
    } else {
        *y = digits(&p, e, 4, 4);
        if (*y < 0 || !separator(&p, e))
            return 0;
        *m = digits(&p, e, 1, 2);
        if (*m < 0 || !separator(&p, e))
            return 0;
        *d = digits(&p, e, 1, 2);
        if (e - p >= 3 && (memcmp(p, "日", 3) == 0 || memcmp(p, "号", 3) == 0))
            p += 3;
    }
    return *y >= 0 && *m >= 0 && *d >= 0 && p == e;
}

/* ---- Hand-typed and exported forms ---------------------------------------
 * Tried only when ymd_plain fails, so that the common case pays nothing
 * for them. */

static void skip_spaces(const char **p, const char *e)
{
    while (*p < e && **p == ' ')
        (*p)++;
}

/* Consumes word (UTF-8) with any spaces around it; 0 if it is not there. */
static int take_word(const char **p, const char *e, const char *word)
{
    const char *q = *p;
    size_t n = strlen(word);
    skip_spaces(&q, e);
    if ((size_t)(e - q) < n || memcmp(q, word, n) != 0)
        return 0;
    q += n;
    skip_spaces(&q, e);
    *p = q;
    return 1;
}

/* Consumes the gap between two parts of a hand-typed date: a separator
 * with spaces around it (2012 - 03 - 05, 2012年 3月) or spaces alone
 * (2012 3 5). */
static int gap(const char **p, const char *e)
{
    const char *start = *p;
    skip_spaces(p, e);
    if (separator(p, e))
        skip_spaces(p, e);
    return *p > start;
}

/* Reads one Chinese numeral digit at *p (〇 ○ 零 一 .. 九); returns its value,
 * or -1 without moving *p. */
static int cn_digit(const char **p, const char *e)
{
    static const char *const digit[] = {"〇", "一", "二", "三", "四", "五",
                                        "六", "七", "八", "九", "○",  "零"};
    if (e - *p < 3)
        return -1;
    for (int i = 0; i < (int)(sizeof digit / sizeof *digit); i++)
        if (memcmp(*p, digit[i], 3) == 0) {
            *p += 3;
            return i < 10 ? i : 0;
        }
    return -1;
}

/* Reads a month or day in Chinese numerals at *p: 一 .. 九, 十, 十一 .. 十九,
 * 二十, 二十一 and so on (the caller checks the range).  There is no zero in
 * these and no 一十; returns the value or -1. */
static long cn_number(const char **p, const char *e)
{
    const char *q = *p;
    long v = cn_digit(&q, e);
    if (v == 0)
        return -1;
    if (e - q >= 3 && memcmp(q, "十", 3) == 0) {
        q += 3;
        if (v == 1)
            return -1;
        long tens = v < 0 ? 1 : v;
        long ones = cn_digit(&q, e);
        if (ones == 0)
            return -1;
        v = tens * 10 + (ones > 0 ? ones : 0);
    } else if (v < 0) {
        return -1;
    }
    *p = q;
    return v;
}

/* A date in Chinese numerals, as certificates and hand-typed sheets write
 * it: 二〇一二年三月五日, 二零一二年十二月三十一号, 元月 for 一月.  The year is
 * four digits read one by one; 年, 月 and 日 (or 号) are all required. */
static int ymd_hanzi(const char *p, const char *e, long *y, long *m, long *d)
{
    *y = 0;
    for (int i = 0; i < 4; i++) {
        int v = cn_digit(&p, e);
        if (v < 0)
            return 0;
        *y = *y * 10 + v;
    }
    if (!take_word(&p, e, "年"))
        return 0;
    if (e - p >= 3 && memcmp(p, "元", 3) == 0) {
        p += 3;
        *m = 1;
    } else {
        *m = cn_number(&p, e);
    }
    if (*m < 0 || !take_word(&p, e, "月"))
        return 0;
    *d = cn_number(&p, e);
    if (*d < 0 || !(take_word(&p, e, "日") || take_word(&p, e, "号")))
        return 0;
    return p == e;
}

/* YYYY M D with spaces as or around the separators: 2012 03 05,
 * 2012 - 03 - 05, 2012 年 3 月 5 日; also what ymd_plain reads, for a date
 * that had a full stop or a weekday after it. */
static int ymd_spaced(const char *p, const char *e, long *y, long *m, long *d)
{
    *y = digits(&p, e, 4, 4);
    if (*y < 0)
        return 0;
    if (!gap(&p, e)) {
        *m = digits(&p, e, 2, 2);
        *d = digits(&p, e, 2, 2);
        return *m >= 0 && *d >= 0 && p == e;
    }
    *m = digits(&p, e, 1, 2);
    if (*m < 0 || !gap(&p, e))
        return 0;
    *d = digits(&p, e, 1, 2);
    if (*d < 0)
        return 0;
    if (!take_word(&p, e, "日"))
        take_word(&p, e, "号");
    return p == e;
}

/* An Excel serial date, as a date column exported without its date format
 * writes it: five digits, perhaps with a decimal point and zeros (40973,
 * 40973.0).  Returns the serial number or -1.  Fewer or more digits are
 * not read this way: they are IDs, years or codes far more often than
 * dates. */
static long excel_serial(const char *p, const char *e)
{
    if (p == e || *p == '0')
        return -1;
    long n = digits(&p, e, 5, 5);
    if (n < 0)
        return -1;
    if (p < e && *p == '.') {
        if (++p == e)
            return -1;
        while (p < e && *p == '0')
            p++;
    }
    return p == e ? n : -1;
}

/* The date of Excel serial n (1900 date system).  Excel counts a 29
 * February 1900 that did not exist, so from serial 61 (1900-03-01) on,
 * serial n is 1900-01-01 plus n - 2 days; every five-digit serial is past
 * it.  Counted a year and then a month at a time (a few hundred steps at
 * most, on a path only such dates take): no time.h, whose conversions
 * depend on the time zone. */
static void excel_date(long n, long *y, long *m, long *d)
{
    long left = n - 2, year = 1900, month = 1;
    for (;;) {
        long days = 337 + (long)month_days((unsigned)year, 2); /* 365 or 366 */
        if (left < days)
            break;
        left -= days;
        year++;
    }
    for (;;) {
        long days = (long)month_days((unsigned)year, (unsigned)month);
        if (left < days)
            break;
        left -= days;
        month++;
    }
    *y = year;
    *m = month;
    *d = left + 1;
}

/* A full stop typed right after a date: 2012-03-05., 2012年3月5日。.  Returns
 * the length without it. */
static size_t drop_full_stop(const char *s, size_t len)
{
    if (len >= 2 && s[len - 1] == '.' && s[len - 2] != ' ')
        return len - 1;
    if (len >= 4 && memcmp(s + len - 3, "。", 3) == 0 && s[len - 4] != ' ')
        return len - 3;
    return len;
}

/* The weekday that Chinese spreadsheet date formats append (aaaa):
 * 2012/3/5 星期一, 2012年3月5日 周一, 2012-03-05(星期一) (the full-width
 * parentheses are folded before).  It is not checked against the date.
 * Returns the length without it and the spaces before it. */
static size_t drop_weekday(const char *s, size_t len)
{
    static const char *const day[] = {"一", "二", "三", "四", "五", "六", "日", "天"};
    static const char *const week[] = {"星期", "周"};
    size_t n = len;
    int paren = n > 0 && s[n - 1] == ')';
    n -= (size_t)paren;
    int found = 0;
    for (size_t i = 0; !found && i < sizeof day / sizeof *day; i++)
        found = n >= 3 && memcmp(s + n - 3, day[i], 3) == 0;
    if (!found)
        return len;
    n -= 3;
    found = 0;
    for (size_t i = 0; !found && i < sizeof week / sizeof *week; i++) {
        size_t w = strlen(week[i]);
        if (n >= w && memcmp(s + n - w, week[i], w) == 0) {
            n -= w;
            found = 1;
        }
    }
    if (!found || (paren && (n == 0 || s[--n] != '(')))
        return len;
    while (n > 0 && s[n - 1] == ' ')
        n--;
    return n;
}

/* The forms other than ymd_plain's: an Excel serial date, a date in
 * Chinese numerals, spaces and dash look-alikes as separators, a full stop
 * or a weekday after the date.  Kept out of line (and out of the hot text)
 * so that xj_date_parse's common case stays as fast as without them:
 * inlined, they slowed 2012-03-05 by about 1 ns in 30. */
__attribute__((cold, noinline)) static int ymd_lenient(const char *s, size_t len, long *y, long *m,
                                                       long *d)
{
    long serial = excel_serial(s, s + len);
    if (serial >= 0) {
        excel_date(serial, y, m, d);
        return 1;
    }
    len = drop_weekday(s, drop_full_stop(s, len));
    const char *e = s + len, *p = s;
    if (cn_digit(&p, e) >= 0)
        return ymd_hanzi(s, e, y, m, d);
    return ymd_spaced(s, e, y, m, d);
}

int xj_date_parse(const char *s, size_t len, uint32_t *out)
{
    if (!s || !out)
        return XJ_ERR_ARG;
    /* Room for a date in Chinese numerals with spaces and a weekday. */
    char buf[96];
    if (!(len = fold_width(s, len, buf, sizeof buf)))
        return XJ_ERR_ARG;
    s = buf;
    trim(&s, &len);
    /* A date and time ("2012-03-05 00:00:00") is read as its date. */
    for (size_t i = 8; i < len; i++)
        if ((s[i] == ' ' || s[i] == 'T') && time_of_day(s + i, s + len)) {
            len = i;
            break;
        }
    long y, m, d;
    if (!ymd_plain(s, s + len, &y, &m, &d)) {
        /* Its own variables, so that y, m and d can stay in registers. */
        long ly, lm, ld;
        if (!ymd_lenient(s, len, &ly, &lm, &ld))
            return XJ_ERR_ARG;
        y = ly;
        m = lm;
        d = ld;
    }
    if (y < 1900 || y > 2100 || !xj_date_valid((unsigned)y, (unsigned)m, (unsigned)d))
        return XJ_ERR_ARG;
    *out = (uint32_t)(y * 10000 + m * 100 + d);
    return XJ_OK;
}

uint32_t xj_date_today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return (uint32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

int xj_id_type_parse(const char *s, size_t len, xj_id_type *out)
{
    /* The contract's four values, and the labels of the national student
     * registry system's own 身份证件类型 list and of school systems for the
     * same things.  The household register (户口簿) carries the child's
     * resident ID number, so it reads as 居民身份证; the other documents
     * are kept as documents (no G number, the number still matches). */
    static const struct {
        const char *label;
        xj_id_type type;
    } labels[] = {
        {"居民身份证", XJ_IDTYPE_RESIDENT},
        {"身份证", XJ_IDTYPE_RESIDENT},
        {"二代身份证", XJ_IDTYPE_RESIDENT},
        {"户口簿", XJ_IDTYPE_RESIDENT},
        {"居民户口簿", XJ_IDTYPE_RESIDENT},
        {"户口本", XJ_IDTYPE_RESIDENT},
        {"港澳台居民居住证", XJ_IDTYPE_PERMIT},
        {"港澳居民居住证", XJ_IDTYPE_PERMIT},
        {"台湾居民居住证", XJ_IDTYPE_PERMIT},
        {"护照", XJ_IDTYPE_PASSPORT},
        {"香港特区护照/身份证明", XJ_IDTYPE_PASSPORT},
        {"澳门特区护照/身份证明", XJ_IDTYPE_PASSPORT},
        {"台湾居民来往大陆通行证", XJ_IDTYPE_PASSPORT},
        {"港澳居民来往内地通行证", XJ_IDTYPE_PASSPORT},
        {"境外永久居住证", XJ_IDTYPE_PASSPORT},
        {"外国人永久居留身份证", XJ_IDTYPE_PASSPORT},
        {"其他", XJ_IDTYPE_PASSPORT},
        {"无", XJ_IDTYPE_NONE},
        {"无证件", XJ_IDTYPE_NONE},
    };
    if (!s || !out)
        return XJ_ERR_ARG;
    trim(&s, &len);
    if (len == 0) {
        *out = XJ_IDTYPE_RESIDENT;
        return XJ_OK;
    }
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (is(s, len, labels[i].label)) {
            *out = labels[i].type;
            return XJ_OK;
        }
    return XJ_ERR_ARG;
}

/* The 56 民族 of GB/T 3304-1991 (中国各民族名称的罗马字母拼写法和代码) in the
 * order of their numeric codes 01..56; 97 其他 and 98 外国血统中国籍人士
 * follow.  The names and codes are the standard's (a public national
 * standard); the informal short forms below are the ones registers and
 * school forms use. */
static const char *const ethnic_names[56] = {
    "汉",     "蒙古",   "回",     "藏",     "维吾尔", "苗",     "彝",     "壮",
    "布依",   "朝鲜",   "满",     "侗",     "瑶",     "白",     "土家",   "哈尼",
    "哈萨克", "傣",     "黎",     "傈僳",   "佤",     "畲",     "高山",   "拉祜",
    "水",     "东乡",   "纳西",   "景颇",   "柯尔克孜", "土",   "达斡尔", "仫佬",
    "羌",     "布朗",   "撒拉",   "毛南",   "仡佬",   "锡伯",   "阿昌",   "普米",
    "塔吉克", "怒",     "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安",   "裕固",
    "京",     "塔塔尔", "独龙",   "鄂伦春", "赫哲",   "门巴",   "珞巴",   "基诺",
};

int xj_ethnicity_parse(const char *s, size_t len, unsigned *out)
{
    if (!s || !out)
        return XJ_ERR_ARG;
    /* Full-width digits folded; spaces anywhere dropped (汉 族). */
    char wide[64], buf[64];
    if (!(len = fold_width(s, len, wide, sizeof wide)))
        return XJ_ERR_ARG;
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (wide[i] != ' ' && wide[i] != '\t')
            buf[n++] = wide[i];
    buf[n] = '\0';
    s = buf;
    trim(&s, &n);
    if (n == 0)
        return XJ_ERR_ARG;
    /* The numeric code, with or without its leading zero. */
    if (n <= 2 && s[0] >= '0' && s[0] <= '9' && (n == 1 || (s[1] >= '0' && s[1] <= '9'))) {
        unsigned v = n == 1 ? (unsigned)(s[0] - '0') : (unsigned)((s[0] - '0') * 10 + s[1] - '0');
        if ((v >= 1 && v <= 56) || v == 97 || v == 98) {
            *out = v;
            return XJ_OK;
        }
        return XJ_ERR_ARG;
    }
    if (is(s, n, "其他") || is(s, n, "其它") || is(s, n, "其他民族") || is(s, n, "未识别民族")) {
        *out = XJ_ETHNICITY_OTHER;
        return XJ_OK;
    }
    if (is(s, n, "外国血统中国籍人士") || is(s, n, "外国血统") || is(s, n, "入籍")) {
        *out = XJ_ETHNICITY_FOREIGN_ORIGIN;
        return XJ_OK;
    }
    /* 蒙族 and 维族 are the everyday short forms of 蒙古族 and 维吾尔族. */
    if (is(s, n, "蒙族")) {
        *out = 2;
        return XJ_OK;
    }
    if (is(s, n, "维族")) {
        *out = 5;
        return XJ_OK;
    }
    /* The name with or without its 族 (汉族, 汉). */
    static const char zu[] = "族";
    size_t zl = sizeof zu - 1;
    if (n > zl && memcmp(s + n - zl, zu, zl) == 0)
        n -= zl;
    for (unsigned i = 0; i < 56; i++)
        if (is(s, n, ethnic_names[i])) {
            *out = i + 1;
            return XJ_OK;
        }
    return XJ_ERR_ARG;
}

static const char *const student_status_names[XJ_STUDENT_STATUS_COUNT] = {
#define XJ__SST_NAME(name, text) text,
    XJ_STUDENT_STATUS_LIST(XJ__SST_NAME)
#undef XJ__SST_NAME
};

int xj_student_status_parse(const char *s, size_t len, xj_student_status *out)
{
    if (!s || !out)
        return XJ_ERR_ARG;
    trim(&s, &len);
    if (len == 0) {
        *out = XJ_STATUS_ENROLLED;
        return XJ_OK;
    }
    for (unsigned i = 0; i < XJ_STUDENT_STATUS_COUNT; i++) {
        if (is(s, len, student_status_names[i])) {
            *out = (xj_student_status)i;
            return XJ_OK;
        }
    }
    /* What school systems write for 在校; a registry row refused over it
     * would be a registered child missing from the index. */
    if (is(s, len, "在读") || is(s, len, "在籍")) {
        *out = XJ_STATUS_ENROLLED;
        return XJ_OK;
    }
    return XJ_ERR_ARG;
}

const char *xj_student_status_name(xj_student_status st)
{
    return (unsigned)st < XJ_STUDENT_STATUS_COUNT ? student_status_names[st] : "?";
}

int xj_person_status_parse(const char *s, size_t len, xj_person_status *out)
{
    if (!s || !out)
        return XJ_ERR_ARG;
    trim(&s, &len);
    if (len == 0 || is(s, len, "正常")) {
        *out = XJ_PERSON_NORMAL;
        return XJ_OK;
    }
    if (is(s, len, "死亡")) {
        *out = XJ_PERSON_DECEASED;
        return XJ_OK;
    }
    if (is(s, len, "注销")) {
        *out = XJ_PERSON_CANCELLED;
        return XJ_OK;
    }
    return XJ_ERR_ARG;
}

int xj_is_division_code(const char *s, size_t len)
{
    if (!s || len != 6)
        return 0;
    for (size_t i = 0; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

int xj_code_parse(const char *s, size_t len, size_t ndigits, char *out)
{
    char buf[64];
    if (!s || !out || ndigits == 0 || ndigits >= sizeof buf)
        return XJ_ERR_ARG;
    if (!(len = fold_width(s, len, buf, sizeof buf)))
        return XJ_ERR_ARG;
    s = buf;
    xj_slice t = xj_text_marks_strip((xj_slice){s, len});
    s = t.ptr;
    len = t.len;
    /* A code stored as a number and exported with its decimals. */
    if (len > ndigits && s[ndigits] == '.') {
        for (size_t i = ndigits + 1; i < len; i++)
            if (s[i] != '0')
                return XJ_ERR_ARG;
        len = ndigits;
    }
    if (len != ndigits)
        return XJ_ERR_ARG;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return XJ_ERR_ARG;
    memcpy(out, s, len);
    out[len] = '\0';
    return XJ_OK;
}

xj_slice xj_text_marks_strip(xj_slice s)
{
    static const char *const open[] = {"'",           "`", "\"", "\xE2\x80\x98", "\xE2\x80\x99",
                                       "\xE2\x80\x9C"};        /* ' ` " ‘ ’ “ */
    static const char *const close[] = {"\"", "\xE2\x80\x9D"}; /* " ” */
    s = xj_trim(s);
    /* Nearly every value starts with a digit and ends with a digit or X:
     * no mark to look for. */
    if (s.len && s.ptr[0] >= '0' && s.ptr[0] <= '9' &&
        ((s.ptr[s.len - 1] >= '0' && s.ptr[s.len - 1] <= '9') || s.ptr[s.len - 1] == 'X' ||
         s.ptr[s.len - 1] == 'x'))
        return s;
    if (s.len >= 3 && s.ptr[0] == '=' && s.ptr[1] == '"' && s.ptr[s.len - 1] == '"')
        return xj_trim((xj_slice){s.ptr + 2, s.len - 3});
    for (size_t i = 0; i < sizeof open / sizeof *open; i++) {
        size_t n = strlen(open[i]);
        if (s.len >= n && memcmp(s.ptr, open[i], n) == 0) {
            s = (xj_slice){s.ptr + n, s.len - n};
            break;
        }
    }
    for (size_t i = 0; i < sizeof close / sizeof *close; i++) {
        size_t n = strlen(close[i]);
        if (s.len >= n && memcmp(s.ptr + s.len - n, close[i], n) == 0) {
            s.len -= n;
            break;
        }
    }
    return xj_trim(s);
}
