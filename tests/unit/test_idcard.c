/*
 * test_idcard.c: known-answer tests of the resident-ID half of normalize/.
 *
 * Every expected check character, upgrade and candidate list below was
 * computed apart from this code base, by a few lines of Python following
 * GB 11643-1999 (weights 2^(17-i) mod 11, remainder 0..10 -> 1 0 X 9 8 7 6 5
 * 4 3 2) over data/gb2260.tsv; 11010519491231002X and 440524188001010014 are
 * the examples printed in the standard itself.  A fixed "today" keeps the
 * future-date rule reproducible.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "xj/normalize.h"

#define TODAY    20240101u
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static xj_idcard parse(const char *s)
{
    xj_idcard id;
    int rc = xj_idcard_parse(s, strlen(s), TODAY, &id);
    cr_assert_eq(rc, XJ_OK);
    return id;
}

/* Asserts that s parses with exactly the error bits want. */
static void expect_errors(const char *s, unsigned want)
{
    xj_idcard id = parse(s);
    cr_expect_eq(id.errors, want, "%s: errors 0x%x, expected 0x%x", s, id.errors, want);
}

/* ---- check characters ---------------------------------------------------- */

Test(idcard_check, known_answers_cover_all_eleven_values)
{
    static const char *const ids[] = {
        "11010519491231002X", "440524188001010014", "110105200801011236", "310115199902280042",
        "500103200002290179", "65010220121231888X", "810000198505170011", "441900201003054569",
        "330106201109099990", "210202197201013217", "510107201608155563", "130102195506302461",
        "620102200303030304", "530102198811111248", "360102199312122009", "110105201010100165",
    };
    for (size_t i = 0; i < COUNT(ids); i++)
        cr_expect_eq(xj_idcard_check_char(ids[i]), ids[i][17], "%s", ids[i]);
}

Test(idcard_check, valid_ids_parse_clean)
{
    static const struct {
        const char *id;
        int y, m, d;
        char gender;
    } cases[] = {
        {"11010519491231002X", 1949, 12, 31, 'F'}, {"440524188001010014", 1880, 1, 1, 'M'},
        {"110105200801011236", 2008, 1, 1, 'M'},   {"500103200002290179", 2000, 2, 29, 'M'},
        {"810000198505170011", 1985, 5, 17, 'M'},  {"441900201003054569", 2010, 3, 5, 'F'},
        {"360102199312122009", 1993, 12, 12, 'F'},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        xj_idcard id = parse(cases[i].id);
        cr_expect_eq(id.errors, 0u, "%s: 0x%x", cases[i].id, id.errors);
        cr_expect_str_eq(id.normalized, cases[i].id);
        cr_expect_eq(id.birth_year, cases[i].y);
        cr_expect_eq(id.birth_month, cases[i].m);
        cr_expect_eq(id.birth_day, cases[i].d);
        cr_expect_eq(id.gender, cases[i].gender, "%s", cases[i].id);
        cr_expect_eq(strncmp(id.region, cases[i].id, 6), 0);
        cr_expect_eq(id.from_legacy15, 0);
    }
}

Test(idcard_check, legacy_15_digit_upgrade)
{
    static const char *const cases[][2] = {
        {"110105491231002", "11010519491231002X"},
        {"440524800101001", "440524198001010013"},
        {"310115750228003", "310115197502280036"},
        {"510107990101998", "510107199901019982"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        xj_idcard id = parse(cases[i][0]);
        cr_expect_eq(id.errors, 0u, "%s", cases[i][0]);
        cr_expect_str_eq(id.normalized, cases[i][1]);
        cr_expect_eq(id.from_legacy15, 1);
    }
}

/* ---- one input per error code ---------------------------------------------- */

Test(idcard_errors, each_code_alone)
{
    expect_errors("", XJ_ID_EMPTY);
    expect_errors("   ", XJ_ID_EMPTY);
    expect_errors(" - \xE3\x80\x80", XJ_ID_EMPTY);
    expect_errors("11010519491231002", XJ_ID_LENGTH);
    expect_errors("1101051949123100211", XJ_ID_LENGTH);
    expect_errors("1101051949123100X", XJ_ID_LENGTH); /* a final X is no charset error */
    expect_errors("11010519491231002A", XJ_ID_CHARSET);
    expect_errors("1101051949123100X2", XJ_ID_CHARSET);
    expect_errors("11010549123100X", XJ_ID_CHARSET); /* 15 digits have no check character */
    expect_errors("110105194912310021", XJ_ID_CHECKSUM);
    expect_errors("110105200002300015", XJ_ID_DATE);
    expect_errors("110100200801011234", XJ_ID_REGION);
    expect_errors("1.10105E+17", XJ_ID_EXCEL_DAMAGE);
    expect_errors("110105200801011000", XJ_ID_EXCEL_DAMAGE);
}

Test(idcard_errors, several_at_once)
{
    expect_errors("abc", XJ_ID_LENGTH | XJ_ID_CHARSET);
    expect_errors("110100200813010010", XJ_ID_CHECKSUM | XJ_ID_DATE | XJ_ID_REGION);
}

Test(idcard_errors, fields_of_invalid_ids)
{
    xj_idcard id = parse("110105194912310021");
    cr_expect_str_eq(id.normalized, "110105194912310021");
    cr_expect_eq(id.birth_year, 1949);
    cr_expect_eq(id.gender, 'F');
    id = parse("110105200002300015");
    cr_expect_eq(id.birth_year, 0, "a date that does not exist is not read");
    cr_expect_str_eq(id.region, "110105");
    id = parse("11010519491231002A");
    cr_expect_str_eq(id.normalized, "");
    cr_expect_str_eq(id.region, "");
    cr_expect_eq(id.gender, 0);
}

Test(idcard_errors, null_arguments)
{
    xj_idcard id;
    cr_expect_eq(xj_idcard_parse("1", 1, TODAY, NULL), XJ_ERR_ARG);
    cr_expect_eq(xj_idcard_parse(NULL, 0, TODAY, &id), XJ_OK);
    cr_expect_eq(id.errors, (unsigned)XJ_ID_EMPTY);
}

Test(idcard_errors, code_and_message_lookup)
{
    cr_expect_str_eq(xj_id_error_code(XJ_ID_CHECKSUM), "ID_CHECKSUM");
    cr_expect_str_eq(xj_id_error_code(XJ_ID_EXCEL_DAMAGE), "ID_EXCEL_DAMAGE");
    cr_expect_str_eq(xj_id_error_code(XJ_ID_EMPTY), "ID_EMPTY");
    cr_expect_not_null(xj_id_error_message(XJ_ID_REGION));
    cr_expect_null(xj_id_error_code(0));
    cr_expect_null(xj_id_error_code(XJ_ID_DATE | XJ_ID_REGION));
    cr_expect_null(xj_id_error_message(1u << 20));
}

/* ---- spreadsheet damage ------------------------------------------------------ */

Test(idcard_excel, scientific_notation_forms)
{
    static const char *const forms[] = {"1.10105E+17",       "1,10105E+17",   "1.1E17",
                                        "1.10105200801E+17", " 1.10105e+17 ", "'1.10105E+17"};
    for (size_t i = 0; i < COUNT(forms); i++) {
        xj_idcard id = parse(forms[i]);
        cr_expect_eq(id.errors, (unsigned)XJ_ID_EXCEL_DAMAGE, "%s", forms[i]);
        cr_expect_str_eq(id.normalized, "");
    }
}

Test(idcard_excel, zero_tail_rules)
{
    /* 000 tail failing the checksum: damage, not a typo. */
    expect_errors("110105200801011000", XJ_ID_EXCEL_DAMAGE);
    /* 0000 tail: sequence 000 is never issued, so damage even though this
     * one happens to pass the checksum. */
    cr_expect_eq(xj_idcard_check_char("11010520080119000"), '0');
    expect_errors("110105200801190000", XJ_ID_EXCEL_DAMAGE);
    /* A real ID may end in 000: sequence 900, check character 0. */
    expect_errors("110105200801019000", 0);
    /* A 15-digit number is never damaged: Excel keeps 15 digits, and the
     * upgrade's computed tail may be 0000 (sequence 000, check 0). */
    xj_idcard id = parse("110105800107000");
    cr_expect_eq(id.errors, 0u);
    cr_expect_str_eq(id.normalized, "110105198001070000");
    /* The date is still judged: damage and a bad date together. */
    expect_errors("110105200813011000", XJ_ID_EXCEL_DAMAGE | XJ_ID_DATE);
}

/* ---- look-alikes and separators ------------------------------------------------ */

Test(idcard_normalize, x_look_alikes)
{
    static const char *const xs[] = {
        "x",
        "X",
        "\xEF\xBC\xB8", /* full-width X */
        "\xEF\xBD\x98", /* full-width x */
        "\xE2\x85\xA9", /* Roman numeral ten */
        "\xE2\x85\xB9", /* small Roman numeral ten */
        "\xC3\x97",     /* multiplication sign */
        "\xD0\xA5",     /* Cyrillic Ha */
        "\xD1\x85",     /* Cyrillic ha */
        "\xCE\xA7",     /* Greek Chi */
        "\xCF\x87",     /* Greek chi */
    };
    for (size_t i = 0; i < COUNT(xs); i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "11010519491231002%s", xs[i]);
        xj_idcard id = parse(buf);
        cr_expect_eq(id.errors, 0u, "look-alike #%zu", i);
        cr_expect_str_eq(id.normalized, "11010519491231002X");
    }
}

Test(idcard_normalize, widths_and_separators)
{
    static const char *const forms[] = {
        "\xEF\xBC\x91\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x95"
        "19491231002X",          /* full-width digits */
        "110105 19491231 002X",  /* spaces */
        "110105-1949-1231-002x", /* hyphens */
        " 11010519491231002X\t", /* around */
        "110105\xE3\x80\x80"
        "19491231002X", /* ideographic space */
        "110105\xC2\xA0"
        "19491231002X", /* no-break space */
        "110105\xE2\x80\x94"
        "19491231002X", /* em dash */
        "110105\xEF\xBC\x8D"
        "19491231002X", /* full-width hyphen */
        "\xE2\x80\x8B"
        "11010519491231002X", /* zero-width space */
        "\xEF\xBB\xBF"
        "11010519491231002X",  /* byte-order mark */
        "'11010519491231002X", /* Excel's text marker */
        "\xE2\x80\x98"
        "11010519491231002X",      /* curly apostrophe */
        "=\"11010519491231002X\"", /* Excel's formula wrapper, as a CSV field unquotes */
        "`11010519491231002X",     /* a backtick */
        "\xE2\x80\x9C"
        "11010519491231002X\xE2\x80\x9D", /* curly quotes */
    };
    for (size_t i = 0; i < COUNT(forms); i++) {
        xj_idcard id = parse(forms[i]);
        cr_expect_eq(id.errors, 0u, "form #%zu: 0x%x", i, id.errors);
        cr_expect_str_eq(id.normalized, "11010519491231002X", "form #%zu", i);
    }
}

Test(idcard_normalize, bad_characters)
{
    expect_errors("11010519491231002\xEF\xBC\xA1", XJ_ID_CHARSET); /* full-width A */
    expect_errors("1101051949123100'2X", XJ_ID_LENGTH | XJ_ID_CHARSET);
    expect_errors("11010519491231002\xFF", XJ_ID_CHARSET); /* not UTF-8 */
    expect_errors("110105.19491231002", XJ_ID_CHARSET);
    /* The marks count only around the number, not inside it. */
    expect_errors("110105\"19491231002X", XJ_ID_LENGTH | XJ_ID_CHARSET);
    expect_errors("11010519491231=002X", XJ_ID_LENGTH | XJ_ID_CHARSET);
    expect_errors("11010519491231002X\"x", XJ_ID_LENGTH | XJ_ID_CHARSET);
}

/* Letters typed for the digits they look like are read as them only when
 * the whole number then holds (11010519491231002X, the standard's own
 * example, is the number behind every positive case). */
Test(idcard_normalize, letters_for_digits_only_when_valid)
{
    static const char *const typed[] = {
        "11O10519491231002X",
        "11010519491231OO2X",
        "l1010519491231002X",
        "I1010519491231002X",
        "11o10519491231002x",
        "11\357\274\25710519491231002X", /* full-width O, in octal: no hex run-on */
    };
    for (size_t i = 0; i < COUNT(typed); i++) {
        xj_idcard id = parse(typed[i]);
        cr_expect_eq(id.errors, 0u, "%s: errors 0x%x", typed[i], id.errors);
        cr_expect_str_eq(id.normalized, "11010519491231002X", "%s", typed[i]);
        cr_expect_eq(id.letters_read, 1, "%s", typed[i]);
    }
    /* The full-width Ｏ stands for the first 1 here, which it is not. */
    expect_errors("\357\274\2571010519491231002X", XJ_ID_CHARSET);
    /* Read as digits the number fails: the letters stay what they are. */
    expect_errors("11O10519491231003X", XJ_ID_CHARSET);
    expect_errors("11O1051949123100X", XJ_ID_LENGTH | XJ_ID_CHARSET);
    expect_errors("11A10519491231002X", XJ_ID_CHARSET);
    xj_idcard id = parse("11O10519491231003X");
    cr_expect_eq(id.letters_read, 0);
    cr_expect_str_eq(id.normalized, "");
    /* A number typed right says nothing about letters. */
    id = parse("11010519491231002X");
    cr_expect_eq(id.letters_read, 0);
}

/* ---- dates ---------------------------------------------------------------------- */

Test(idcard_date, leap_years_and_limits)
{
    expect_errors("110105200002290013", 0);          /* 2000 is a leap year */
    expect_errors("110105200402290039", 0);          /* so is 2004 */
    expect_errors("110105190002290017", XJ_ID_DATE); /* 1900 is not */
    expect_errors("110105202302290022", XJ_ID_DATE); /* nor 2023 */
    expect_errors("110105200813010011", XJ_ID_DATE); /* month 13 */
    expect_errors("110105200801000019", XJ_ID_DATE); /* day 0 */
    expect_errors("110105200801320012", XJ_ID_DATE); /* day 32 */
    expect_errors("110105184912310012", XJ_ID_DATE); /* before 1850 */
    expect_errors("110105185001010013", 0);
}

Test(idcard_date, future_against_today)
{
    expect_errors("110105202401010014", 0);          /* born today */
    expect_errors("11010520240102001X", XJ_ID_DATE); /* tomorrow */
    xj_idcard id;
    xj_idcard_parse("11010520240102001X", 18, 20240102u, &id);
    cr_expect_eq(id.errors, 0u);
    xj_idcard_parse("11010520240102001X", 18, TODAY, &id);
    cr_expect_eq(id.birth_year, 2024, "a real future date is still read");
}

Test(idcard_date, today_is_plausible)
{
    uint32_t t = xj_idcard_today();
    cr_expect_geq(t, 20240101u);
    cr_expect_lt(t, 21000101u);
}

/* ---- division codes --------------------------------------------------------------- */

Test(idcard_region, known_codes)
{
    cr_expect(xj_region_known("110105"));
    cr_expect(xj_region_known("110103"), "abolished 崇文区 stays valid");
    cr_expect(xj_region_known("440524"), "abolished 潮阳县 stays valid");
    cr_expect(xj_region_known("810000"));
    cr_expect(xj_region_known("820000"));
    cr_expect(xj_region_known("830000"));
    cr_expect(xj_region_known("441900"), "东莞 has no counties");
    cr_expect_not(xj_region_known("110000"));
    cr_expect_not(xj_region_known("110100"));
    cr_expect_not(xj_region_known("710000"));
    cr_expect_not(xj_region_known("999999"));
    cr_expect_not(xj_region_known("11010A"));
    cr_expect_not(xj_region_known(NULL));
    cr_expect_str_eq(xj_region_name("110105"), "北京市朝阳区");
    cr_expect_null(xj_region_name("110100"));
    expect_errors("810000201001010027", 0);
    expect_errors("820000201001010029", 0);
    expect_errors("830000201001010020", 0);
    expect_errors("110103199001010026", 0);
}

Test(idcard_region, enumeration_is_sorted_and_consistent)
{
    size_t n = xj_region_count();
    cr_assert_gt(n, 6000u);
    const char *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *code, *name;
        int current = -1;
        cr_assert_eq(xj_region_at(i, &code, &name, &current), XJ_OK);
        cr_assert_eq(strlen(code), 6u);
        cr_assert(xj_region_known(code), "%s", code);
        cr_assert(current == 0 || current == 1);
        cr_assert_not_null(name);
        if (prev)
            cr_assert_lt(strcmp(prev, code), 0, "%s then %s", prev, code);
        prev = code;
    }
    cr_expect_eq(xj_region_at(n, NULL, NULL, NULL), XJ_ERR_ARG);
    cr_expect_eq(xj_region_at(0, NULL, NULL, NULL), XJ_OK);
}

/* ---- pack, unpack, mask ---------------------------------------------------------- */

Test(idcard_pack, round_trip_and_order)
{
    /* Ascending as strings, 'X' after '9'. */
    static const char *const ids[] = {
        "110105194912310021", "110105194912310029", "11010519491231002X",
        "110105194912310030", "440524188001010014", "65010220121231888X",
        "830000201001010020", "999999999999999999", "99999999999999999X",
    };
    uint8_t prev[8];
    for (size_t i = 0; i < COUNT(ids); i++) {
        uint8_t b[8];
        char back[18];
        cr_assert_eq(xj_idcard_pack(ids[i], b), 0, "%s", ids[i]);
        xj_idcard_unpack(b, back);
        cr_expect_eq(memcmp(back, ids[i], 18), 0, "%s", ids[i]);
        if (i > 0)
            cr_expect_lt(memcmp(prev, b, 8), 0, "%s", ids[i]);
        memcpy(prev, b, 8);
    }
}

Test(idcard_pack, rejects_non_ids)
{
    uint8_t b[8];
    cr_expect_eq(xj_idcard_pack("11010519491231002x", b), -1);
    cr_expect_eq(xj_idcard_pack("1101051949123100X2", b), -1);
    cr_expect_eq(xj_idcard_pack("11010519491231 02X", b), -1);
}

Test(idcard_mask, forms)
{
    char out[64];
    cr_expect_str_eq(xj_idcard_mask("11010519491231002X", 18, out), "110105********002X");
    cr_expect_str_eq(xj_idcard_mask("110105491231002", 15, out), "110105*****1002");
    cr_expect_str_eq(xj_idcard_mask("12345", 5, out), "*****");
    cr_expect_str_eq(xj_idcard_mask("", 0, out), "");
}

/* ---- suggestions ------------------------------------------------------------------- */

/* Returns the rank of want among the suggestions for id, or -1. */
static int rank_of(const char *id, uint32_t birth, char gender, const char *want, size_t *count)
{
    xj_id_suggestion s[64];
    size_t n = xj_idcard_suggest(id, birth, gender, TODAY, s, 64);
    if (count)
        *count = n;
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(strlen(s[i].id), 18u);
        if (i > 0)
            cr_assert_geq(s[i - 1].score, s[i].score);
        if (strcmp(s[i].id, want) == 0)
            return (int)i;
    }
    return -1;
}

Test(idcard_suggest, candidate_set_matches_independent_computation)
{
    /* The whole list, as computed in Python from the same rules. */
    static const char *const want[] = {
        "110105190912310021", "110105194112310021", "110105194912310011", "11010519491231002X",
        "110105194912310521", "110105194912318021", "120105194912310021",
    };
    xj_id_suggestion s[64];
    size_t n = xj_idcard_suggest("110105194912310021", 0, 0, TODAY, s, 64);
    cr_assert_eq(n, COUNT(want));
    for (size_t i = 0; i < COUNT(want); i++) {
        int found = 0;
        for (size_t j = 0; j < n; j++)
            found |= strcmp(s[j].id, want[i]) == 0;
        cr_expect(found, "%s missing", want[i]);
    }
}

Test(idcard_suggest, date_typo_ranks_first_with_birth_and_gender)
{
    /* 110105200801011236 with its day typed 07: ten candidates, and the one
     * agreeing with the record's birth date and gender comes first. */
    size_t n = 0;
    cr_expect_eq(rank_of("110105200801071236", 20080101u, 'M', "110105200801011236", &n), 0);
    cr_expect_eq(n, 10u);
    cr_expect_geq(rank_of("110105200801071236", 0, 0, "110105200801011236", NULL), 0);
}

Test(idcard_suggest, adjacent_swap_is_found)
{
    size_t n = 0;
    cr_expect_eq(rank_of("110105200801012136", 20080101u, 'M', "110105200801011236", &n), 0);
    cr_expect_eq(n, 12u);
}

Test(idcard_suggest, check_character_typo)
{
    /* The X replaced by a digit.  110108... (a 5 typed for its keypad
     * neighbour 8) scores a little higher, so second place is right. */
    int r = rank_of("110105194912310029", 19491231u, 'F', "11010519491231002X", NULL);
    cr_expect(r == 0 || r == 1, "rank %d", r);
}

Test(idcard_suggest, none_for_valid_or_malformed)
{
    xj_id_suggestion s[8];
    cr_expect_eq(xj_idcard_suggest("11010519491231002X", 0, 0, TODAY, s, 8), 0u);
    cr_expect_eq(xj_idcard_suggest("1101051949123100X1", 0, 0, TODAY, s, 8), 0u);
    cr_expect_eq(xj_idcard_suggest("11010519491231002?", 0, 0, TODAY, s, 8), 0u);
    cr_expect_eq(xj_idcard_suggest("110105194912310021", 0, 0, TODAY, s, 2), 2u, "cap");
    cr_expect_eq(xj_idcard_suggest("110105194912310021", 0, 0, TODAY, NULL, 0), 0u);
}

Test(idcard_suggest, only_valid_candidates)
{
    xj_id_suggestion s[64];
    size_t n = xj_idcard_suggest("110105200802300011", 0, 0, TODAY, s, 64);
    cr_expect_eq(n, 2u);
    for (size_t i = 0; i < n; i++) {
        xj_idcard id = parse(s[i].id);
        cr_expect_eq(id.errors, 0u, "%s", s[i].id);
    }
}
