/*
 * idcard.c: normalizing and validating resident ID numbers (GB 11643-1999).
 *
 * The number has 18 characters (§5.1): a six-digit GB/T 2260 division code
 * (§5.2), the birth date YYYYMMDD (§5.3), a three-digit sequence whose last
 * digit is odd for men and even for women (§5.4), and an ISO 7064 MOD 11-2
 * check character, '0'..'9' or 'X' (§5.5).  Numbers issued before the
 * standard took effect in 1999 have 15 digits: no century and no check
 * character.
 *
 * Workload: every record of every batch, and every row of the population
 * and registry loads, is parsed here, so parsing must run at millions of IDs
 * a second.  Nearly all inputs are 18 plain ASCII characters; they take a
 * fast path that never decodes UTF-8.  Everything else (full-width forms,
 * look-alikes of X, separators, spreadsheet damage) goes through a careful
 * code-point scan.  No allocation, no global state: reentrant throughout.
 */
#include <string.h>
#include <time.h>

#include "idcard_int.h"
#include "xj/normalize.h"

/* GB 11643-1999 §5.5 (ISO 7064 MOD 11-2): the weight of position i, 1-based
 * from the left, is 2^(18-i) mod 11; the remainder of the weighted sum picks
 * the check character that makes the whole sum, the check counted as its
 * value (X = 10) times weight 1, congruent to 1 modulo 11. */
static const unsigned check_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char check_chars[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

char xj_idcard_check_char(const char digits17[17])
{
    unsigned sum = 0;
    for (int i = 0; i < 17; i++)
        sum += ((unsigned)(unsigned char)digits17[i] - '0') * check_weights[i];
    return check_chars[sum % 11];
}

/* ---- dates ----------------------------------------------------------------- */

static int leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int xj__id_date_real(int y, int m, int d)
{
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < XJ__ID_MIN_YEAR || y > 9999 || m < 1 || m > 12 || d < 1)
        return 0;
    int last = month_days[m - 1] + (m == 2 && leap_year(y));
    return d <= last;
}

uint32_t xj_idcard_today(void)
{
    time_t now = time(NULL) + 8 * 3600;
    struct tm tm;
    if (!gmtime_r(&now, &tm))
        return 99991231u;
    return (uint32_t)(tm.tm_year + 1900) * 10000u + (uint32_t)(tm.tm_mon + 1) * 100u +
           (uint32_t)tm.tm_mday;
}

/* ---- the character scan ------------------------------------------------------ */

/* What one code point of the input is to an ID. */
enum { CH_SKIP, CH_DIGIT, CH_X, CH_BAD };

/* Classifies a code point; *digit receives '0'..'9' for CH_DIGIT.  The X
 * look-alikes are the ones Chinese input methods and copy-paste produce:
 * Roman numeral ten, the multiplication sign, Cyrillic and Greek letters. */
static int classify(int32_t cp, char *digit)
{
    if (cp >= '0' && cp <= '9') {
        *digit = (char)cp;
        return CH_DIGIT;
    }
    if (cp >= 0xFF10 && cp <= 0xFF19) { /* full-width digits */
        *digit = (char)('0' + (cp - 0xFF10));
        return CH_DIGIT;
    }
    switch (cp) {
    case 'X':
    case 'x':
    case 0xFF38: /* full-width X */
    case 0xFF58: /* full-width x */
    case 0x2169: /* Roman numeral ten */
    case 0x2179: /* small Roman numeral ten */
    case 0x00D7: /* multiplication sign */
    case 0x0425: /* Cyrillic capital ha */
    case 0x0445: /* Cyrillic small ha */
    case 0x03A7: /* Greek capital chi */
    case 0x03C7: /* Greek small chi */
        return CH_X;
    /* Separators that people and spreadsheets put inside or around the
     * number: spaces of every width, hyphens and dashes, and the invisible
     * format characters that survive copying from web pages. */
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case '-':
    case 0x00A0:
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0xFF0D:
    case 0x3000:
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
    case 0x202F:
        return CH_SKIP;
    default:
        if (cp >= 0x2000 && cp <= 0x200A) /* en quad .. hair space */
            return CH_SKIP;
        return CH_BAD;
    }
}

/* The characters of an ID as read: up to 18 kept, all counted. */
typedef struct id_chars {
    char c[18];    /* '0'..'9' or 'X'; only the first min(count, 18) are set */
    size_t count;  /* digits, Xs and unusable characters, separators excluded */
    int bad;       /* a character that is neither a digit, an X nor a separator */
    size_t xs;     /* how many Xs */
    size_t x_last; /* the position of the last X */
    int lookalike; /* letters read as digits (O for 0, l or I for 1) */
} id_chars;

static void keep(id_chars *ic, char c)
{
    if (ic->count < 18)
        ic->c[ic->count] = c;
    if (c == 'X')
        ic->xs++, ic->x_last = ic->count;
    ic->count++;
}

/* The letters typed for a digit they look like: O or o for 0, l or I for
 * 1 (also full-width).  0 for any other code point. */
static char lookalike_digit(int32_t cp)
{
    switch (cp) {
    case 'O':
    case 'o':
    case 0xFF2F: /* full-width O */
    case 0xFF4F: /* full-width o */
        return '0';
    case 'l':
    case 'I':
    case 0xFF4C: /* full-width l */
    case 0xFF29: /* full-width I */
        return '1';
    default:
        return 0;
    }
}

/* Scans arbitrary UTF-8.  A leading apostrophe (Excel's "store as text"
 * marker, ASCII or curly) before the first digit is dropped too.  With
 * letters set, the letters that look like digits are read as them. */
static void scan_slow(const unsigned char *s, size_t len, id_chars *ic, int letters)
{
    size_t i = 0;
    while (i < len) {
        size_t adv = 1;
        int32_t cp = s[i] < 0x80 ? (int32_t)s[i] : xj_utf8_decode(s + i, len - i, &adv);
        i += adv;
        char digit = 0;
        int kind = classify(cp, &digit);
        if (kind == CH_BAD && ic->count == 0 && (cp == '\'' || cp == 0x2018 || cp == 0x2019))
            kind = CH_SKIP;
        if (kind == CH_BAD && letters && (digit = lookalike_digit(cp)) != 0) {
            kind = CH_DIGIT;
            ic->lookalike++;
        }
        switch (kind) {
        case CH_DIGIT:
            keep(ic, digit);
            break;
        case CH_X:
            keep(ic, 'X');
            break;
        case CH_BAD:
            keep(ic, '?');
            ic->bad = 1;
            break;
        default:
            break;
        }
    }
}

/* The common case: exactly 17 ASCII digits and a digit, X or x.  Returns 1
 * when it applies and ic is filled. */
static int scan_fast(const char *s, size_t len, id_chars *ic)
{
    if (len != 18)
        return 0;
    for (int i = 0; i < 17; i++) {
        if ((unsigned)(unsigned char)s[i] - '0' > 9)
            return 0;
        ic->c[i] = s[i];
    }
    char last = s[17];
    if (last == 'x' || last == 'X')
        last = 'X';
    else if ((unsigned)(unsigned char)last - '0' > 9)
        return 0;
    ic->c[17] = last;
    ic->count = 18;
    ic->xs = last == 'X';
    ic->x_last = 17;
    return 1;
}

/* Recognizes what Excel shows for a long number stored as a number:
 * "1.10105E+17", "1,10105E+17" (a comma-decimal locale), "1.1E17".  Such an
 * input has lost its digits for good, so it gets its own error. */
static int excel_scientific(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\''))
        i++;
    size_t mantissa = 0, exponent = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, mantissa++;
    if (i < len && (s[i] == '.' || s[i] == ',')) {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, mantissa++;
    }
    if (mantissa == 0 || i >= len || (s[i] != 'E' && s[i] != 'e'))
        return 0;
    i++;
    if (i < len && s[i] == '+')
        i++;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, exponent++;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return exponent > 0 && i == len;
}

/* ---- validation -------------------------------------------------------------- */

static int two(const char *p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

/* Checks the 18 characters in out->normalized: checksum, spreadsheet
 * damage, date and division code, and fills the fields read from them. */
static void validate18(xj_idcard *out, uint32_t today)
{
    const char *id = out->normalized;
    int checksum_ok = xj_idcard_check_char(id) == id[17];

    /* Excel keeps 15 significant digits of a number, so an 18-digit ID typed
     * into a numeric cell comes back with its last three characters "000".
     * A real ID may end in 000 too (sequence x00, check character 0; one in
     * 11 of those), and then its checksum holds.  So: a 000 tail that fails
     * the checksum is damage, not a typo, and so is a tail of four zeros
     * even when the checksum holds by chance: GB 11643-1999 §5.4 makes the
     * sequence a serial number of the people born on one day in one county,
     * and serial numbers are issued from 001, never 000.  A 15-digit number
     * fits in Excel's precision, so its computed tail proves nothing. */
    int tail000 = !out->from_legacy15 && id[15] == '0' && id[16] == '0' && id[17] == '0';
    if (tail000 && (!checksum_ok || id[14] == '0'))
        out->errors |= XJ_ID_EXCEL_DAMAGE;
    else if (!checksum_ok)
        out->errors |= XJ_ID_CHECKSUM;

    int y = two(id + 6) * 100 + two(id + 8), m = two(id + 10), d = two(id + 12);
    if (xj__id_date_real(y, m, d)) {
        out->birth_year = y;
        out->birth_month = m;
        out->birth_day = d;
        uint32_t ymd = (uint32_t)y * 10000u + (uint32_t)m * 100u + (uint32_t)d;
        if (ymd > (today ? today : xj_idcard_today()))
            out->errors |= XJ_ID_DATE;
    } else {
        out->errors |= XJ_ID_DATE;
    }

    memcpy(out->region, id, 6);
    out->region[6] = '\0';
    uint32_t code = (uint32_t)(two(id) * 10000 + two(id + 2) * 100 + two(id + 4));
    if (xj__region_find(code) < 0)
        out->errors |= XJ_ID_REGION;

    out->gender = ((id[16] - '0') & 1) ? 'M' : 'F';
}

static int parse(const char *in, size_t len, uint32_t today, int letters, xj_idcard *out);

int xj_idcard_parse(const char *in, size_t len, uint32_t today, xj_idcard *out)
{
    if (!out)
        return XJ_ERR_ARG;
    parse(in, len, today, 0, out);
    /* A letter typed for the digit it looks like (O for 0, l for 1) is read
     * as that digit only when the whole number then holds: checksum, date
     * and region.  Otherwise the first reading, with its CHARSET error,
     * stands. */
    if (out->errors & XJ_ID_CHARSET) {
        xj_idcard again;
        parse(in, len, today, 1, &again);
        if (again.errors == 0 && again.letters_read)
            *out = again;
    }
    return XJ_OK;
}

static int parse(const char *in, size_t len, uint32_t today, int letters, xj_idcard *out)
{
    memset(out, 0, sizeof *out);
    if (!in)
        len = 0;

    /* ="1101..." and the like: the 18 characters inside then take the
     * fast path. */
    xj_slice t = xj_text_marks_strip((xj_slice){in, len});
    in = t.ptr;
    len = t.len;
    id_chars ic;
    memset(&ic, 0, sizeof ic);
    if (!scan_fast(in, len, &ic)) {
        if (excel_scientific((const unsigned char *)in, len)) {
            out->errors = XJ_ID_EXCEL_DAMAGE;
            return XJ_OK;
        }
        scan_slow((const unsigned char *)in, len, &ic, letters);
    }
    out->letters_read = ic.lookalike > 0;

    if (ic.count == 0) {
        out->errors = XJ_ID_EMPTY;
        return XJ_OK;
    }
    if (ic.count != 15 && ic.count != 18)
        out->errors |= XJ_ID_LENGTH;
    /* X is only ever a check character, so it may stand last and nowhere
     * else, and never in the 15-digit form, which has no check character. */
    int x_misplaced = ic.xs > 1 || (ic.xs == 1 && ic.x_last != ic.count - 1);
    if (ic.bad || x_misplaced || (ic.count == 15 && ic.xs > 0))
        out->errors |= XJ_ID_CHARSET;
    if (out->errors)
        return XJ_OK;

    if (ic.count == 15) {
        /* The legacy number: division code, YYMMDD of a 20th-century birth,
         * sequence.  Insert the century and compute the check character. */
        memcpy(out->normalized, ic.c, 6);
        memcpy(out->normalized + 6, "19", 2);
        memcpy(out->normalized + 8, ic.c + 6, 9);
        out->normalized[17] = xj_idcard_check_char(out->normalized);
        out->from_legacy15 = 1;
    } else {
        memcpy(out->normalized, ic.c, 18);
    }
    out->normalized[18] = '\0';
    validate18(out, today);
    return XJ_OK;
}

/* ---- error codes ----------------------------------------------------------- */

const char *xj_id_error_code(unsigned bit)
{
    switch (bit) {
#define XJ__ID_CODE(name, bitno, code, msg)                                                        \
    case 1u << bitno:                                                                              \
        return code;
        XJ_ID_ERROR_LIST(XJ__ID_CODE)
#undef XJ__ID_CODE
    }
    return NULL;
}

const char *xj_id_error_message(unsigned bit)
{
    switch (bit) {
#define XJ__ID_MSG(name, bitno, code, msg)                                                         \
    case 1u << bitno:                                                                              \
        return msg;
        XJ_ID_ERROR_LIST(XJ__ID_MSG)
#undef XJ__ID_MSG
    }
    return NULL;
}
