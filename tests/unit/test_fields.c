/*
 * test_fields.c: the small input fields of the CSV contract, each value the
 * contract allows and the near misses a school system produces.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "xj/normalize.h"

#define S(x) x, strlen(x)

Test(fields, gender_values)
{
    static const struct {
        const char *in;
        char want;
    } ok[] = {{"男", 'M'},   {"女", 'F'},   {"1", 'M'},    {"2", 'F'},
              {"M", 'M'},    {"f", 'F'},    {" 男 ", 'M'}, {"\xE3\x80\x80女", 'F'},
              {"male", 'M'}, {"女性", 'F'}, {"男生", 'M'}, {"女生", 'F'},
              {"Ｍ", 'M'},   {"ｆ", 'F'},   {"１", 'M'},   {"２", 'F'},
              {"男孩", 'M'}, {"女孩", 'F'}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char g = 0;
        cr_assert_eq(xj_gender_parse(S(ok[i].in), &g), XJ_OK, "%s", ok[i].in);
        cr_assert_eq(g, ok[i].want, "%s", ok[i].in);
    }
    static const char *bad[] = {"", "0", "3", "男女", "X", "未知", "３", "学生"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char g = 0;
        cr_assert_eq(xj_gender_parse(S(bad[i]), &g), XJ_ERR_ARG, "%s", bad[i]);
    }
}

Test(fields, ethnicity_values)
{
    static const struct {
        const char *in;
        unsigned code;
    } ok[] = {
        {"汉族", 1},          {"汉", 1},        {"01", 1},           {"1", 1},
        {"０１", 1},          {" 汉 族 ", 1},   {"蒙古族", 2},       {"蒙族", 2},
        {"蒙古", 2},          {"回族", 3},      {"维吾尔族", 5},     {"维族", 5},
        {"壮族", 8},          {"朝鲜族", 10},   {"满族", 11},        {"土家族", 15},
        {"柯尔克孜族", 29},   {"土族", 30},     {"乌孜别克族", 43},  {"俄罗斯族", 44},
        {"基诺族", 56},       {"56", 56},       {"其他", 97},        {"97", 97},
        {"外国血统中国籍人士", 98},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        unsigned c = 0;
        cr_assert_eq(xj_ethnicity_parse(S(ok[i].in), &c), XJ_OK, "%s", ok[i].in);
        cr_assert_eq(c, ok[i].code, "%s: %u", ok[i].in, c);
    }
    /* 土家 is not 土 with 家; 族 alone, codes beyond the list, and other
     * words are not read. */
    static const char *bad[] = {"", " ", "族", "0", "57", "96", "99", "100", "汉人",
                                "han", "土家家", "汉族族", "哈族"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        unsigned c = 0;
        cr_assert_eq(xj_ethnicity_parse(S(bad[i]), &c), XJ_ERR_ARG, "%s", bad[i]);
    }
}

Test(fields, date_formats)
{
    static const struct {
        const char *in;
        uint32_t want;
    } ok[] = {{"2012-03-05", 20120305},
              {"20120305", 20120305},
              {"2012/3/5", 20120305},
              {"2012-3-5", 20120305},
              {"2012.03.05", 20120305},
              {"2012年3月5日", 20120305},
              {"2012/12/31", 20121231},
              {"2000-02-29", 20000229},
              {" 2016-02-29 ", 20160229},
              /* full-width digits and separators, as a Chinese input method
               * types them */
              {"２０１２-03-05", 20120305},
              {"２０１２－０３－０５", 20120305},
              {"２０１２年３月５日", 20120305},
              {"2012年3月5号", 20120305},
              {"２０１２０３０５", 20120305},
              /* with a time of day, as spreadsheet exports write dates */
              {"2012-03-05 00:00:00", 20120305},
              {"2012/3/5 0:00", 20120305},
              {"2012-03-05T08:30:00.000", 20120305},
              {"20120305 00:00:00", 20120305},
              /* Excel serial dates, from a date column exported without
               * its format: day N of the 1900 system is 1899-12-30 + N */
              {"40973", 20120305},
              {"40973.0", 20120305},
              {"40973.00", 20120305},
              {"36526", 20000101},
              {"43524", 20190228},
              {"10000", 19270518},
              {"73415", 21001231},
              {"４０９７３", 20120305},
              /* dashes that word processors and input methods type (they
               * look alike: U+2013, U+2014, U+2212, U+2010, U+FE63, U+2015) */
              {"2012–03–05", 20120305},
              {"2012—3—5", 20120305},
              {"2012−03−05", 20120305},
              {"2012‐03‐05", 20120305},
              {"2012﹣03﹣05", 20120305},
              {"2012―03―05", 20120305},
              {"２０１２—０３—０５", 20120305},
              /* spaces as or around the separators */
              {"2012 03 05", 20120305},
              {"2012 3 5", 20120305},
              {"2012   3  5", 20120305},
              {"2012 - 03 - 05", 20120305},
              {"2012 / 3 / 5", 20120305},
              {"2012年 3月 5日", 20120305},
              {"2012 年 3 月 5 日", 20120305},
              {"２０１２　３　５", 20120305},
              {"2012 03 05 00:00:00", 20120305},
              /* a full stop after the date */
              {"2012-03-05.", 20120305},
              {"2012年3月5日。", 20120305},
              {"20120305.", 20120305},
              /* Chinese numerals */
              {"二〇一二年三月五日", 20120305},
              {"二零一二年十二月三十一日", 20121231},
              {"二〇〇八年十月二十日", 20081020},
              {"二〇一二年三月五号", 20120305},
              {"二○一二年十一月十九日", 20121119},
              {"一九九九年元月二十一日", 19990121},
              {"二〇一二年二月二十九日", 20120229},
              {"二〇一二 年 三 月 五 日", 20120305},
              {"二〇一二年三月五日。", 20120305},
              /* the weekday Chinese date formats append */
              {"2012/3/5 星期一", 20120305},
              {"2012年3月5日 周一", 20120305},
              {"2012年3月5日星期一", 20120305},
              {"2012-03-05（星期一）", 20120305},
              {"2012-03-05 (星期一)", 20120305},
              {"2012-03-04 星期日", 20120304},
              {"2012/3/5 星期一 0:00", 20120305},
              {"二〇一二年三月五日 星期一", 20120305}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        uint32_t d = 0;
        cr_assert_eq(xj_date_parse(S(ok[i].in), &d), XJ_OK, "%s", ok[i].in);
        cr_assert_eq(d, ok[i].want, "%s", ok[i].in);
    }
    static const char *bad[] = {
        "", "2012-02-30", "1900-02-29", "2013-02-29", "2012-13-01", "2012-00-10", "2012-1-32",
        "201203", "12-03-2012", "2012-03-05x", "1899-12-31", "2012/3", "２０１２-02-30",
        "2012-03-05 24:00:00", "2012-03-05 00:00x", "2012-03-05 12", "2012-03-05T", "٢٠١٢-03-05",
        /* not Excel serial dates */
        "4097", "409730", "4097300", "40973.5", "40973.", "40973.0x", "40973.0.0", "04097",
        "-40973", "73416", "99999",
        /* near misses of the lenient forms */
        "２０１２——03—05", "2012——03——05", "2012--03-05", "2012 - - 03 - 05", "2012 0305",
        "2012 03", "2012 03 05 12", "2012-03-05..", "2012-03-05 .", "2012-03-05 星期八",
        "2012-03-05 星期", "2012-03-05 (星期一", "2012-03-05 星期一)", "星期一",
        "2012-02-30 星期四", "3/5/2012", "5/3/2012", "12/3/5", "12-03-05",
        /* Chinese numerals in a wrong form */
        "二〇一二年十三月一日", "二〇一二年二月三十日", "二〇一二年〇三月五日",
        "二〇一二年三月〇五日", "二〇一二年一十月五日", "二〇一二年三月三十二日",
        "二〇一二年三月五", "二〇一二三月五日", "二〇一二-三-五", "一二年三月五日",
        "二〇一二〇年三月五日", "两〇一二年三月五日", "二千零一十二年三月五日", "二〇一二年3月5日",
        "2012年三月五日", "二〇一二年十月二十〇日", "一八九九年十二月三十一日"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t d = 0;
        cr_assert_eq(xj_date_parse(S(bad[i]), &d), XJ_ERR_ARG, "%s", bad[i]);
    }
}

Test(fields, id_types)
{
    xj_id_type t;
    cr_assert_eq(xj_id_type_parse(S(""), &t), XJ_OK);
    cr_assert_eq(t, XJ_IDTYPE_RESIDENT);
    cr_assert_eq(xj_id_type_parse(S("居民身份证"), &t), XJ_OK);
    cr_assert_eq(t, XJ_IDTYPE_RESIDENT);
    cr_assert_eq(xj_id_type_parse(S("港澳台居民居住证"), &t), XJ_OK);
    cr_assert_eq(t, XJ_IDTYPE_PERMIT);
    cr_assert_eq(xj_id_type_parse(S("护照"), &t), XJ_OK);
    cr_assert_eq(t, XJ_IDTYPE_PASSPORT);
    cr_assert_eq(xj_id_type_parse(S("无"), &t), XJ_OK);
    cr_assert_eq(t, XJ_IDTYPE_NONE);
    cr_assert_eq(xj_id_type_parse(S("驾驶证"), &t), XJ_ERR_ARG);
    /* The registry system's own labels: the household register holds the
     * resident ID number; the travel permits are documents. */
    static const struct {
        const char *in;
        xj_id_type want;
    } more[] = {{"户口簿", XJ_IDTYPE_RESIDENT},
                {" 居民户口簿 ", XJ_IDTYPE_RESIDENT},
                {"香港特区护照/身份证明", XJ_IDTYPE_PASSPORT},
                {"台湾居民来往大陆通行证", XJ_IDTYPE_PASSPORT},
                {"境外永久居住证", XJ_IDTYPE_PASSPORT},
                {"其他", XJ_IDTYPE_PASSPORT},
                {"无证件", XJ_IDTYPE_NONE}};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        cr_assert_eq(xj_id_type_parse(S(more[i].in), &t), XJ_OK, "%s", more[i].in);
        cr_assert_eq(t, more[i].want, "%s", more[i].in);
    }
}

Test(fields, statuses)
{
    xj_student_status s;
    cr_assert_eq(xj_student_status_parse(S(""), &s), XJ_OK);
    cr_assert_eq(s, XJ_STATUS_ENROLLED);
    static const char *all[] = {"在校",     "休学", "毕业", "转出", "出国",
                                "其他离校", "退学", "开除", "死亡"};
    for (unsigned i = 0; i < 9; i++) {
        cr_assert_eq(xj_student_status_parse(S(all[i]), &s), XJ_OK);
        cr_assert_eq((unsigned)s, i);
        cr_assert_str_eq(xj_student_status_name(s), all[i]);
    }
    cr_assert_eq(xj_student_status_parse(S("在读"), &s), XJ_OK);
    cr_assert_eq(s, XJ_STATUS_ENROLLED);
    cr_assert_eq(xj_student_status_parse(S("在籍"), &s), XJ_OK);
    cr_assert_eq(s, XJ_STATUS_ENROLLED);
    cr_assert_eq(xj_student_status_parse(S("借读"), &s), XJ_ERR_ARG);

    xj_person_status p;
    cr_assert_eq(xj_person_status_parse(S(""), &p), XJ_OK);
    cr_assert_eq(p, XJ_PERSON_NORMAL);
    cr_assert_eq(xj_person_status_parse(S("死亡"), &p), XJ_OK);
    cr_assert_eq(p, XJ_PERSON_DECEASED);
    cr_assert_eq(xj_person_status_parse(S("注销"), &p), XJ_OK);
    cr_assert_eq(p, XJ_PERSON_CANCELLED);
    cr_assert_eq(xj_person_status_parse(S("迁出"), &p), XJ_ERR_ARG);
}

Test(fields, division_codes)
{
    cr_assert(xj_is_division_code(S("110105")));
    cr_assert_not(xj_is_division_code(S("11010")));
    cr_assert_not(xj_is_division_code(S("11010a")));
}

Test(fields, codes_as_spreadsheets_write_them)
{
    static const struct {
        const char *in;
        size_t n;
        const char *want;
    } ok[] = {{"1110105001", 10, "1110105001"},    {" 1110105001 ", 10, "1110105001"},
              {"'1110105001", 10, "1110105001"},   {"`110105", 6, "110105"},
              {"=\"110105\"", 6, "110105"},        {"110105.0", 6, "110105"},
              {"1110105001.00", 10, "1110105001"}, {"１１０１０５", 6, "110105"}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char out[16];
        cr_assert_eq(xj_code_parse(S(ok[i].in), ok[i].n, out), XJ_OK, "%s", ok[i].in);
        cr_assert_str_eq(out, ok[i].want, "%s", ok[i].in);
    }
    static const struct {
        const char *in;
        size_t n;
    } bad[] = {{"", 6},        {"11010", 6},   {"1101050", 6}, {"110105.5", 6},   {"1.10105E+5", 6},
               {"110105'", 6}, {"=110105", 6}, {"11010a", 6},  {"111010500", 10}, {"110105.0x", 6}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[16];
        cr_assert_eq(xj_code_parse(S(bad[i].in), bad[i].n, out), XJ_ERR_ARG, "%s", bad[i].in);
    }
}

/* Values copied from web pages, chat programs or Word carry blank or
 * invisible characters at their ends: no-break spaces, zero-width spaces,
 * a byte-order mark.  Every field reads through them. */
Test(fields, invisible_characters_around_values)
{
    static const char *const around[][2] = {
        {"\xC2\xA0", ""},                 /* U+00A0 before */
        {"", "\xC2\xA0"},                 /* after */
        {"\xE2\x80\x8B", ""},             /* U+200B */
        {"", "\xE2\x80\x8B"},             /* U+200B */
        {"\xEF\xBB\xBF", ""},             /* U+FEFF */
        {"", "\xE2\x80\xAF"},             /* U+202F */
        {"\xE2\x81\xA0", "\xE2\x80\x8D"}, /* U+2060, U+200D */
        {"\xE3\x80\x80\xC2\xA0", " \xE2\x80\x8C"},
    };
    for (size_t i = 0; i < sizeof around / sizeof around[0]; i++) {
        char buf[64];
        char g = 0;
        snprintf(buf, sizeof buf, "%s男%s", around[i][0], around[i][1]);
        cr_assert_eq(xj_gender_parse(S(buf), &g), XJ_OK, "case %zu", i);
        cr_assert_eq(g, 'M');
        uint32_t d = 0;
        snprintf(buf, sizeof buf, "%s2012-03-05%s", around[i][0], around[i][1]);
        cr_assert_eq(xj_date_parse(S(buf), &d), XJ_OK, "case %zu", i);
        cr_assert_eq(d, 20120305u);
        char code[16];
        snprintf(buf, sizeof buf, "%s110105%s", around[i][0], around[i][1]);
        cr_assert_eq(xj_code_parse(S(buf), 6, code), XJ_OK, "case %zu", i);
        cr_assert_str_eq(code, "110105");
        xj_slice t = xj_trim((xj_slice){buf, strlen(buf)});
        cr_assert_eq(t.len, 6, "case %zu", i);
    }
    /* Only at the ends: one inside a value is not read past, and a lone
     * lead byte of one is not a blank. */
    uint32_t d = 0;
    cr_assert_eq(xj_date_parse(S("2012-03\xC2\xA0-05x"), &d), XJ_ERR_ARG);
    xj_slice t = xj_trim((xj_slice){"\xC2", 1});
    cr_assert_eq(t.len, 1);
    t = xj_trim((xj_slice){"a\xE2\x80", 3});
    cr_assert_eq(t.len, 3);
}

/* xj_trim against a reference that decodes whole code points, over strings
 * built of blanks, their near neighbours (U+200A, U+2061, U+00A1, U+3001,
 * U+FEFE, U+203F) and ordinary characters. */
static int is_blank_cp(int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0xA0 || cp == 0x3000 ||
           cp == 0x202F || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

Test(fields, trim_agrees_with_a_code_point_reference)
{
    static const int32_t pieces[] = {' ',    '\t',   0xA0,   0x3000, 0x202F, 0x200B, 0x200C,
                                     0x200D, 0x2060, 0xFEFF, 0x200A, 0x2061, 0xA1,   0x3001,
                                     0xFEFE, 0x203F, 'a',    0x6C49, 0x2080, 0x20AF};
    const size_t np = sizeof pieces / sizeof pieces[0];
    uint64_t r = 0x9E3779B97F4A7C15ull;
    for (int iter = 0; iter < 20000; iter++) {
        int32_t cps[8];
        size_t n = 0, len = 0;
        char buf[64];
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        size_t count = (size_t)(r >> 61) + 1;
        for (size_t k = 0; k < count; k++) {
            r = r * 6364136223846793005ull + 1442695040888963407ull;
            cps[n] = pieces[(r >> 33) % np];
            len += xj_utf8_encode((uint32_t)cps[n], buf + len);
            n++;
        }
        size_t lo = 0, hi = n;
        while (lo < hi && is_blank_cp(cps[lo]))
            lo++;
        while (hi > lo && is_blank_cp(cps[hi - 1]))
            hi--;
        char want[64];
        size_t wl = 0;
        for (size_t k = lo; k < hi; k++)
            wl += xj_utf8_encode((uint32_t)cps[k], want + wl);
        xj_slice t = xj_trim((xj_slice){buf, len});
        cr_assert_eq(t.len, wl, "iteration %d", iter);
        cr_assert_eq(memcmp(t.ptr, want, wl), 0, "iteration %d", iter);
    }
}
