/*
 * test_name.c: known-answer tests of personal-name normalization and the
 * pinyin key (xj_name_normalize).
 *
 * The expected values are written from the Chinese language and the
 * registry's conventions (现代汉语词典 surname readings, 通用规范汉字表
 * Simplified forms), not from running the code.  Every case is also checked
 * for idempotence: normalizing the normalized form gives it back, with the
 * same key.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "xj/normalize.h"

typedef struct name_case {
    const char *in;
    const char *normalized;
    const char *pinyin;
    unsigned flags_set;   /* flags that must be set */
    unsigned flags_clear; /* flags that must not be set */
} name_case;

static xj_name normalize_str(const char *s, size_t len)
{
    xj_name n;
    memset(&n, 0x5A, sizeof n);
    cr_assert_eq(xj_name_normalize(s, len, &n), XJ_OK);
    cr_assert_eq(strlen(n.normalized), n.normalized_len);
    cr_assert_eq(strlen(n.pinyin), n.pinyin_len);
    return n;
}

static void check_idempotent(const xj_name *n)
{
    xj_name again = normalize_str(n->normalized, n->normalized_len);
    cr_expect_str_eq(again.normalized, n->normalized, "normalize(\"%s\") is not stable",
                     n->normalized);
    cr_expect_str_eq(again.pinyin, n->pinyin, "key of \"%s\" is not stable", n->normalized);
}

static void check_cases(const name_case *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const name_case *c = &cases[i];
        xj_name n = normalize_str(c->in, strlen(c->in));
        cr_expect_str_eq(n.normalized, c->normalized, "normalized form of \"%s\"", c->in);
        if (c->pinyin)
            cr_expect_str_eq(n.pinyin, c->pinyin, "key of \"%s\"", c->in);
        cr_expect_eq(n.flags & c->flags_set, c->flags_set, "flags of \"%s\": %#x lack %#x", c->in,
                     n.flags, c->flags_set);
        cr_expect_eq(n.flags & c->flags_clear, 0u, "flags of \"%s\": %#x hold %#x", c->in, n.flags,
                     n.flags & c->flags_clear);
        check_idempotent(&n);
    }
}

#define CHECK(cases) check_cases(cases, sizeof(cases) / sizeof((cases)[0]))

static void expect_same_key(const char *a, const char *b)
{
    xj_name x = normalize_str(a, strlen(a)), y = normalize_str(b, strlen(b));
    cr_expect_str_eq(x.pinyin, y.pinyin, "keys of \"%s\" and \"%s\" differ", a, b);
}

static void expect_other_key(const char *a, const char *b)
{
    xj_name x = normalize_str(a, strlen(a)), y = normalize_str(b, strlen(b));
    cr_expect_str_neq(x.pinyin, y.pinyin, "keys of \"%s\" and \"%s\" are equal", a, b);
}

Test(name, plain_names_unchanged)
{
    static const name_case cases[] = {
        {"张伟", "张伟", "zhang wei", 0, ~0u},
        {"王芳", "王芳", "wang fang", 0, ~0u},
        {"李娜", "李娜", "li na", 0, ~0u},
        {"刘洋", "刘洋", "liu yang", 0, ~0u},
        {"陈静", "陈静", "chen jing", 0, ~0u},
        {"黄晓明", "黄晓明", "huang xiao ming", 0, ~0u},
        {"周子涵", "周子涵", "zhou zi han", 0, ~0u},
    };
    CHECK(cases);
}

Test(name, traditional_to_simplified)
{
    static const name_case cases[] = {
        {"張偉", "张伟", "zhang wei", XJ_NAME_TRADITIONAL, 0},
        {"劉", "刘", "liu", XJ_NAME_TRADITIONAL, 0},
        {"陳", "陈", "chen", XJ_NAME_TRADITIONAL, 0},
        {"趙", "赵", "zhao", XJ_NAME_TRADITIONAL, 0},
        {"鄭", "郑", "zheng", XJ_NAME_TRADITIONAL, 0},
        {"劉德華", "刘德华", "liu de hua", XJ_NAME_TRADITIONAL, 0},
        {"黃曉東", "黄晓东", "huang xiao dong", XJ_NAME_TRADITIONAL, 0},
        {"錢鍾書", "钱钟书", "qian zhong shu", XJ_NAME_TRADITIONAL, 0},
        {"歐陽修", "欧阳修", "ou yang xiu", XJ_NAME_TRADITIONAL | XJ_NAME_COMPOUND_SURNAME, 0},
        {"單雄信", "单雄信", "shan xiong xin", XJ_NAME_TRADITIONAL, 0},
        /* Characters that the 2013 table keeps as Simplified ones in their
         * own right stay: 乾 is qián in names, not 干. */
        {"李乾", "李乾", "li qian", 0, XJ_NAME_TRADITIONAL},
        {"王著", "王著", "wang zhu", 0, XJ_NAME_TRADITIONAL},
    };
    CHECK(cases);
}

Test(name, width_and_compatibility_forms)
{
    static const name_case cases[] = {
        {"ＡＢＣ", "ABC", "abc", XJ_NAME_WIDTH | XJ_NAME_LATIN, 0},
        {"１２３", "123", "123", XJ_NAME_WIDTH | XJ_NAME_SYMBOL, 0},
        {"王ＡＢ", "王AB", "wang ab", XJ_NAME_WIDTH, XJ_NAME_LATIN},
        {"李１", "李1", "li 1", XJ_NAME_WIDTH | XJ_NAME_SYMBOL, 0},
        /* A CJK compatibility ideograph and a Kangxi radical fold to the
         * unified (and then Simplified) characters. */
        {"\xEF\xA4\x80", "岂", "qi", XJ_NAME_WIDTH, 0},          /* U+F900 */
        {"王\xE2\xBC\x80", "王一", "wang yi", XJ_NAME_WIDTH, 0}, /* U+2F00 */
        /* Decomposed accents are composed (the run-time NFKC pass). */
        {"Jose\xCC\x81", "JOSÉ", "jose", XJ_NAME_LATIN, 0},
        {"José", "JOSÉ", "jose", XJ_NAME_LATIN, XJ_NAME_WIDTH},
    };
    CHECK(cases);
}

Test(name, middle_dot_lookalikes)
{
    /* Every look-alike that schools type between the parts of a
     * transliterated name becomes U+00B7. */
    static const char *const dots[] = {
        "\xE2\x80\xA2", /* U+2022 • */
        "\xE3\x83\xBB", /* U+30FB ・ */
        "\xEF\xBD\xA5", /* U+FF65 ･ */
        "\xE2\x80\xA7", /* U+2027 ‧ */
        "\xE2\x8B\x85", /* U+22C5 ⋅ */
        "\xE2\x88\x99", /* U+2219 ∙ */
        "\xEF\xBC\x8E", /* U+FF0E ． */
        ".",
        "\xCB\x99",     /* U+02D9 ˙ */
        "\xE1\x90\xA7", /* U+1427 ᐧ */
        "\xE4\xB8\xB6", /* U+4E36 丶 */
        "\xCE\x87",     /* U+0387 */
        "\xE1\x9B\xAB", /* U+16EB */
        "\xE2\xB8\xB1", /* U+2E31 */
        "\xE3\x86\x8D", /* U+318D */
        "\xEA\x9E\x8F", /* U+A78F */
        "\xE3\x80\x82", /* U+3002 。, the '.' key of a Chinese input method */
        "\xE2\x80\xA4", /* U+2024 */
    };
    for (size_t i = 0; i < sizeof dots / sizeof dots[0]; i++) {
        char in[64];
        snprintf(in, sizeof in, "阿依古丽%s买买提", dots[i]);
        xj_name n = normalize_str(in, strlen(in));
        cr_expect_str_eq(n.normalized, "阿依古丽·买买提", "dot %zu", i);
        cr_expect_str_eq(n.pinyin, "a yi gu li mai mai ti", "dot %zu", i);
        cr_expect(n.flags & XJ_NAME_DOT, "dot %zu not flagged", i);
        cr_expect(n.flags & XJ_NAME_MINORITY, "dot %zu: not a minority name", i);
        cr_expect_eq(n.surname_chars, 0);
        check_idempotent(&n);
    }
    static const name_case cases[] = {
        {"阿依古丽·买买提", "阿依古丽·买买提", "a yi gu li mai mai ti", XJ_NAME_MINORITY,
         XJ_NAME_DOT | XJ_NAME_SPACE},
        {"阿依古丽•买买提", "阿依古丽·买买提", "a yi gu li mai mai ti",
         XJ_NAME_DOT | XJ_NAME_MINORITY, 0},
        /* Runs collapse to one dot; none are left at the ends. */
        {"阿依古丽··买买提", "阿依古丽·买买提", NULL, XJ_NAME_DOT, 0},
        {"·阿依古丽 · 买买提·", "阿依古丽·买买提", NULL, XJ_NAME_DOT | XJ_NAME_SPACE, 0},
        {"迪丽热巴·迪力木拉提", "迪丽热巴·迪力木拉提", "di li re ba di li mu la ti",
         XJ_NAME_MINORITY, 0},
        {"·", "", "", XJ_NAME_EMPTY | XJ_NAME_DOT, 0},
        /* A hyphen between Han characters is the dot, typed where the
         * school's system takes none; elsewhere it stays what it is. */
        {"阿依古丽-买买提", "阿依古丽·买买提", "a yi gu li mai mai ti",
         XJ_NAME_DOT | XJ_NAME_MINORITY, XJ_NAME_SYMBOL},
        {"阿依古丽－买买提", "阿依古丽·买买提", NULL,
         XJ_NAME_DOT | XJ_NAME_MINORITY | XJ_NAME_WIDTH, XJ_NAME_SYMBOL},
        {"阿依古丽 - 买买提", "阿依古丽·买买提", NULL, XJ_NAME_DOT | XJ_NAME_MINORITY,
         XJ_NAME_SYMBOL},
        /* So is a dash an input method or a word processor puts for it. */
        {"阿依古丽—买买提", "阿依古丽·买买提", NULL, XJ_NAME_DOT | XJ_NAME_MINORITY,
         XJ_NAME_SYMBOL},
        {"阿依古丽–买买提", "阿依古丽·买买提", NULL, XJ_NAME_DOT | XJ_NAME_MINORITY,
         XJ_NAME_SYMBOL},
        {"阿依古丽 − 买买提", "阿依古丽·买买提", NULL, XJ_NAME_DOT | XJ_NAME_MINORITY,
         XJ_NAME_SYMBOL},
        {"阿依古丽‐买买提", "阿依古丽·买买提", NULL, XJ_NAME_DOT | XJ_NAME_MINORITY,
         XJ_NAME_SYMBOL},
        {"王-", "王-", NULL, XJ_NAME_SYMBOL, XJ_NAME_DOT | XJ_NAME_MINORITY},
        {"王—", "王—", NULL, XJ_NAME_SYMBOL, XJ_NAME_DOT | XJ_NAME_MINORITY},
        {"王——明", "王——明", NULL, XJ_NAME_SYMBOL, XJ_NAME_DOT | XJ_NAME_MINORITY},
        {"王--明", "王--明", NULL, XJ_NAME_SYMBOL, XJ_NAME_DOT | XJ_NAME_MINORITY},
        {"JEAN-PIERRE", "JEAN-PIERRE", "jean pierre", XJ_NAME_LATIN, XJ_NAME_DOT | XJ_NAME_SYMBOL},
    };
    CHECK(cases);
}

Test(name, white_space_and_invisible_characters)
{
    static const name_case cases[] = {
        {"张 伟", "张伟", "zhang wei", XJ_NAME_SPACE, 0},
        {"张\xE3\x80\x80伟", "张伟", "zhang wei", XJ_NAME_SPACE, 0}, /* U+3000 */
        {"张\xE2\x80\x8B伟", "张伟", "zhang wei", XJ_NAME_SPACE, 0}, /* U+200B */
        {"张\xE2\x80\x8C伟", "张伟", "zhang wei", XJ_NAME_SPACE, 0}, /* U+200C */
        {"张\xE2\x80\x8D伟", "张伟", "zhang wei", XJ_NAME_SPACE, 0}, /* U+200D */
        {"张\xE2\x80\x8E伟", "张伟", "zhang wei", XJ_NAME_SPACE, 0}, /* U+200E */
        {"张\xE2\x80\x8F伟", "张伟", "zhang wei", XJ_NAME_SPACE, 0}, /* U+200F */
        {"张\xE2\x81\xA0伟", "张伟", "zhang wei", XJ_NAME_SPACE, 0}, /* U+2060 */
        {"\xEF\xBB\xBF张伟", "张伟", "zhang wei", XJ_NAME_SPACE, 0}, /* U+FEFF */
        {"张\xC2\xAD伟", "张伟", "zhang wei", XJ_NAME_SPACE, 0},     /* U+00AD */
        {"张\xC2\xA0伟", "张伟", "zhang wei", XJ_NAME_SPACE, 0},     /* NBSP */
        {"\t张伟\t", "张伟", "zhang wei", XJ_NAME_SPACE, 0},
        {"  张  伟  ", "张伟", "zhang wei", XJ_NAME_SPACE, 0},
        {"张\r\n伟", "张伟", "zhang wei", XJ_NAME_SPACE, 0},
    };
    CHECK(cases);
}

Test(name, surname_readings)
{
    static const name_case cases[] = {
        {"单雄信", "单雄信", "shan xiong xin", XJ_NAME_SURNAME_READING, 0},
        {"曾国藩", "曾国藩", "zeng guo fan", XJ_NAME_SURNAME_READING, 0},
        {"解缙", "解缙", "xie jin", XJ_NAME_SURNAME_READING, 0},
        {"仇英", "仇英", "qiu ying", XJ_NAME_SURNAME_READING, 0},
        {"区志坚", "区志坚", "ou zhi jian", XJ_NAME_SURNAME_READING, 0},
        {"查良镛", "查良镛", "zha liang yong", XJ_NAME_SURNAME_READING, 0},
        {"朴树", "朴树", "piao shu", XJ_NAME_SURNAME_READING, 0},
        {"盖聂", "盖聂", "ge nie", XJ_NAME_SURNAME_READING, 0},
        {"乐毅", "乐毅", "yue yi", XJ_NAME_SURNAME_READING, 0},
        {"翟志刚", "翟志刚", "zhai zhi gang", XJ_NAME_SURNAME_READING, 0},
        {"秘书", "秘书", "bi shu", 0, 0},
        {"种师道", "种师道", "chong shi dao", 0, 0},
        {"缪斯", "缪斯", "miao si", 0, 0},
        {"召忽", "召忽", "shao hu", 0, 0},
        {"黑明", "黑明", "he ming", 0, 0},
        {"尉缭", "尉缭", "wei liao", 0, 0},
        {"褚遂良", "褚遂良", "chu sui liang", 0, 0},
        {"洗星海", "洗星海", "xian xing hai", 0, 0},
        {"冼星海", "冼星海", "xian xing hai", 0, 0},
        {"牟其中", "牟其中", "mou qi zhong", 0, 0},
        {"陆毅", "陆毅", "lu yi", 0, 0},
        {"朝晖", "朝晖", "chao hui", 0, 0},
        /* 长 is read cháng in given names as in the surname. */
        {"王长江", "王长江", "wang chang jiang", 0, 0},
        {"長江", "长江", "chang jiang", XJ_NAME_TRADITIONAL, 0},
        {"李晟", "李晟", "li sheng", 0, 0},
        /* Only the first character is read as a surname. */
        {"王单", "王单", "wang dan", 0, XJ_NAME_SURNAME_READING},
        {"李曾", "李曾", "li ceng", 0, XJ_NAME_SURNAME_READING},
    };
    CHECK(cases);
    xj_name n = normalize_str("单雄信", strlen("单雄信"));
    cr_expect_eq(n.surname_chars, 1);
}

Test(name, compound_surnames)
{
    static const name_case cases[] = {
        {"欧阳修", "欧阳修", "ou yang xiu", XJ_NAME_COMPOUND_SURNAME, 0},
        {"尉迟恭", "尉迟恭", "yu chi gong", XJ_NAME_COMPOUND_SURNAME | XJ_NAME_SURNAME_READING, 0},
        {"万俟卨", "万俟卨", "mo qi xie", XJ_NAME_COMPOUND_SURNAME | XJ_NAME_SURNAME_READING, 0},
        {"长孙无忌", "长孙无忌", "zhang sun wu ji", XJ_NAME_COMPOUND_SURNAME, 0},
        {"司马光", "司马光", "si ma guang", XJ_NAME_COMPOUND_SURNAME, 0},
        {"诸葛亮", "诸葛亮", "zhu ge liang", XJ_NAME_COMPOUND_SURNAME, 0},
        {"上官婉儿", "上官婉儿", "shang guan wan er", XJ_NAME_COMPOUND_SURNAME, 0},
        {"澹台灭明", "澹台灭明", "tan tai mie ming", XJ_NAME_COMPOUND_SURNAME, 0},
        {"单于夜", "单于夜", "chan yu ye", XJ_NAME_COMPOUND_SURNAME, 0},
        {"令狐冲", "令狐冲", "ling hu chong", XJ_NAME_COMPOUND_SURNAME, 0},
        {"夏侯惇", "夏侯惇", "xia hou dun", XJ_NAME_COMPOUND_SURNAME, 0},
        {"皇甫嵩", "皇甫嵩", "huang fu song", XJ_NAME_COMPOUND_SURNAME, 0},
        {"慕容复", "慕容复", "mu rong fu", XJ_NAME_COMPOUND_SURNAME, 0},
        /* Two characters are a surname and a given name. */
        {"欧阳", "欧阳", "ou yang", 0, XJ_NAME_COMPOUND_SURNAME},
    };
    CHECK(cases);
    xj_name n = normalize_str("欧阳修", strlen("欧阳修"));
    cr_expect_eq(n.surname_chars, 2);
    n = normalize_str("欧阳", strlen("欧阳"));
    cr_expect_eq(n.surname_chars, 1);
}

Test(name, homophones_share_a_key)
{
    expect_same_key("张伟", "章伟");
    expect_same_key("王芳", "汪芳");
    expect_same_key("张伟", "張偉");
    expect_same_key("张伟", "张 伟");
    expect_same_key("李娜", "李纳");
    expect_same_key("刘洋", "柳杨");
    expect_same_key("阿依古丽·买买提", "阿依古丽买买提");
    /* A name typed in pinyin meets its characters. */
    expect_same_key("张伟", "Zhang Wei");
    /* ü is written v: 吕 and 卢, 女 and 努 stay apart. */
    expect_other_key("吕明", "卢明");
    expect_other_key("张伟", "张华");
    /* Tones are not in the key: 伟 wěi and 薇 wēi meet. */
    expect_same_key("张伟", "张薇");
    expect_other_key("陈静", "程静");
    xj_name n = normalize_str("吕布", strlen("吕布"));
    cr_expect_str_eq(n.pinyin, "lv bu");
    n = normalize_str("绿", strlen("绿"));
    cr_expect_str_eq(n.pinyin, "lv");
    n = normalize_str("女", strlen("女"));
    cr_expect_str_eq(n.pinyin, "nv");
    n = normalize_str("许", strlen("许"));
    cr_expect_str_eq(n.pinyin, "xu");
}

Test(name, latin_names)
{
    static const name_case cases[] = {
        {"  john   smith ", "JOHN SMITH", "john smith", XJ_NAME_LATIN | XJ_NAME_SPACE, 0},
        {"JOHN SMITH", "JOHN SMITH", "john smith", XJ_NAME_LATIN, XJ_NAME_SPACE},
        {"Zhang Wei", "ZHANG WEI", "zhang wei", XJ_NAME_LATIN, 0},
        {"john\tsmith", "JOHN SMITH", "john smith", XJ_NAME_LATIN | XJ_NAME_SPACE, 0},
        {"ｊｏｈｎ　ｓｍｉｔｈ", "JOHN SMITH", "john smith",
         XJ_NAME_LATIN | XJ_NAME_WIDTH | XJ_NAME_SPACE, 0},
        {"O'Neil", "O'NEIL", "oneil", XJ_NAME_LATIN, XJ_NAME_SYMBOL},
        {"O\xE2\x80\x99Neil", "O'NEIL", "oneil", XJ_NAME_LATIN, 0},
        {"Mary-Jane Lee", "MARY-JANE LEE", "mary jane lee", XJ_NAME_LATIN, XJ_NAME_SYMBOL},
        {"Anna Müller", "ANNA MÜLLER", "anna muller", XJ_NAME_LATIN, 0},
        {"straße", "STRASSE", NULL, XJ_NAME_LATIN, 0},
    };
    /* ß has no single-character upper case in ICU's simple mapping, so it
     * stays ß; only its key is spelled "ss". */
    static const name_case sharp_s[] = {
        {"straße", "STRAßE", "strasse", XJ_NAME_LATIN, 0},
    };
    check_cases(cases, sizeof cases / sizeof cases[0] - 1);
    CHECK(sharp_s);
    xj_name n = normalize_str("JOHN SMITH", strlen("JOHN SMITH"));
    cr_expect_eq(n.surname_chars, 0);
}

Test(name, rare_characters_kept)
{
    static const name_case cases[] = {
        /* U+20000, CJK Extension B: kept, flagged, kept in the key. */
        {"王\xF0\xA0\x80\x80", "王\xF0\xA0\x80\x80", "wang \xF0\xA0\x80\x80",
         XJ_NAME_NON_BMP | XJ_NAME_NO_PINYIN, 0},
        /* U+E000, Private Use Area: kept, flagged. */
        {"李\xEE\x80\x80明", "李\xEE\x80\x80明", "li \xEE\x80\x80 ming",
         XJ_NAME_PUA | XJ_NAME_NO_PINYIN, 0},
        /* U+F0000, supplementary private use. */
        {"\xF3\xB0\x80\x80", "\xF3\xB0\x80\x80", "\xF3\xB0\x80\x80", XJ_NAME_PUA | XJ_NAME_NON_BMP,
         0},
        /* 䶮 (U+4DAE, Extension A) has a reading: yan, as in 刘䶮. */
        {"刘䶮", "刘䶮", "liu yan", 0, XJ_NAME_NO_PINYIN},
    };
    CHECK(cases);
    xj_name n = normalize_str("王\xF0\xA0\x80\x80", strlen("王\xF0\xA0\x80\x80"));
    cr_expect_eq(n.nchars, 2);
}

Test(name, invalid_utf8_and_empty)
{
    static const name_case cases[] = {
        {"\xFF张伟", "张伟", "zhang wei", XJ_NAME_BAD_UTF8, 0},
        {"张\xC0\xAF伟", "张伟", "zhang wei", XJ_NAME_BAD_UTF8, 0},
        {"张\xED\xA0\x80伟", "张伟", "zhang wei", XJ_NAME_BAD_UTF8, 0}, /* a surrogate */
        {"张\xE4\xBC", "张", "zhang", XJ_NAME_BAD_UTF8, 0},             /* cut short */
        {"", "", "", XJ_NAME_EMPTY, ~0u & ~(unsigned)XJ_NAME_EMPTY},
        {"   ", "", "", XJ_NAME_EMPTY | XJ_NAME_SPACE, 0},
        {"\xE2\x80\x8B", "", "", XJ_NAME_EMPTY, 0},
        {"\xFF\xFE", "", "", XJ_NAME_EMPTY | XJ_NAME_BAD_UTF8, 0},
    };
    CHECK(cases);
    xj_name n;
    cr_expect_eq(xj_name_normalize(NULL, 0, &n), XJ_OK);
    cr_expect(n.flags & XJ_NAME_EMPTY);
    cr_expect_eq(xj_name_normalize("x", 1, NULL), XJ_ERR_ARG);
    cr_expect_eq(xj_name_normalize(NULL, 3, &n), XJ_ERR_ARG);
    /* The length is honoured; no NUL is needed. */
    n = normalize_str("张伟张伟", 6);
    cr_expect_str_eq(n.normalized, "张伟");
}

Test(name, long_names_are_cut_between_characters)
{
    char in[1024] = "";
    for (int i = 0; i < 100; i++)
        strcat(in, "张");
    xj_name n = normalize_str(in, strlen(in));
    cr_expect(n.flags & XJ_NAME_TRUNCATED);
    cr_expect_eq(n.normalized_len, 63 * 3);
    cr_expect_lt(n.pinyin_len, XJ_PINYIN_MAX);
    cr_expect_eq(n.pinyin_len % 6, 5, "the key is cut between syllables");
    check_idempotent(&n);

    char latin[1024];
    memset(latin, 'a', 600);
    latin[600] = '\0';
    n = normalize_str(latin, strlen(latin));
    cr_expect(n.flags & XJ_NAME_TRUNCATED);
    cr_expect_eq(n.normalized_len, XJ_NAME_MAX - 1);
    check_idempotent(&n);
}

/* Notes typed after a name in the name column: a former name or a
 * gender in brackets, a number that tells namesakes in one class apart.
 * The name before the note is the name; a note is only dropped after two
 * Han characters, and only at the end. */
Test(name, notes_after_han_names)
{
    static const name_case cases[] = {
        {"李小明（曾用名李明）", "李小明", "li xiao ming", XJ_NAME_NOTE | XJ_NAME_WIDTH,
         XJ_NAME_SYMBOL},
        {"李小明(曾用名:李明)", "李小明", "li xiao ming", XJ_NAME_NOTE, XJ_NAME_SYMBOL},
        {"张三 (男)", "张三", "zhang san", XJ_NAME_NOTE, XJ_NAME_SYMBOL},
        {"王伟【转入】", "王伟", "wang wei", XJ_NAME_NOTE, XJ_NAME_SYMBOL},
        {"王伟［大］", "王伟", "wang wei", XJ_NAME_NOTE, XJ_NAME_SYMBOL},
        {"王伟《小》", "王伟", "wang wei", XJ_NAME_NOTE, XJ_NAME_SYMBOL},
        {"王伟2", "王伟", "wang wei", XJ_NAME_NOTE, XJ_NAME_SYMBOL},
        {"王伟 12", "王伟", "wang wei", XJ_NAME_NOTE, XJ_NAME_SYMBOL},
        {"王伟２", "王伟", "wang wei", XJ_NAME_NOTE | XJ_NAME_WIDTH, XJ_NAME_SYMBOL},
        {"王伟2(转)", "王伟", "wang wei", XJ_NAME_NOTE, XJ_NAME_SYMBOL},
        /* A field cut inside its note leaves the bracket open. */
        {"李小明（曾用名", "李小明", "li xiao ming", XJ_NAME_NOTE, XJ_NAME_SYMBOL},
        {"阿依古丽·买买提(维)", "阿依古丽·买买提", "a yi gu li mai mai ti",
         XJ_NAME_NOTE | XJ_NAME_MINORITY, XJ_NAME_SYMBOL},
        /* Left alone: too short a name before it, not at the end, not
         * closed by the last character, or not a Han name. */
        {"李1", "李1", "li 1", XJ_NAME_SYMBOL, XJ_NAME_NOTE},
        {"(无)", "(无)", "wu", XJ_NAME_SYMBOL, XJ_NAME_NOTE},
        {"王(大)伟", "王(大)伟", "wang da wei", XJ_NAME_SYMBOL, XJ_NAME_NOTE},
        {"王伟(大)明", "王伟(大)明", "wang wei da ming", XJ_NAME_SYMBOL, XJ_NAME_NOTE},
        {"王伟(大))", "王伟(大))", "wang wei da", XJ_NAME_SYMBOL, XJ_NAME_NOTE},
        {"李2明", "李2明", "li 2 ming", XJ_NAME_SYMBOL, XJ_NAME_NOTE},
        {"JOHN SMITH (2)", "JOHN SMITH (2)", NULL, XJ_NAME_LATIN, XJ_NAME_NOTE},
    };
    CHECK(cases);
    cr_expect_str_eq(xj_name_flag_code(XJ_NAME_NOTE), "NOTE");
}

Test(name, flag_codes)
{
    cr_expect_str_eq(xj_name_flag_code(XJ_NAME_TRADITIONAL), "TRADITIONAL");
    cr_expect_str_eq(xj_name_flag_code(XJ_NAME_EMPTY), "EMPTY");
    cr_expect_str_eq(xj_name_flag_code(XJ_NAME_SYMBOL), "SYMBOL");
    cr_expect_str_eq(xj_name_flag_code(XJ_NAME_NON_BMP), "NON_BMP");
    cr_expect_not_null(xj_name_flag_message(XJ_NAME_DOT));
    cr_expect_null(xj_name_flag_code(0));
    cr_expect_null(xj_name_flag_code(XJ_NAME_DOT | XJ_NAME_PUA));
    cr_expect_null(xj_name_flag_code(1u << 31));
    cr_expect_null(xj_name_flag_message(3));
}

/* The fuzzy pinyin key (模糊音): known answers written from the input-method
 * fuzzy-sound pairs, not from the code. */
Test(name, fuzzy_pinyin_known_answers)
{
    static const struct {
        const char *key, *want;
    } cases[] = {
        {"chen", "cen"},
        {"cheng", "cen"},
        {"zhang wei", "zan wei"},
        {"zan", "zan"},
        {"shi", "si"},
        {"liu", "liu"},
        {"niu", "liu"},
        {"nv", "lv"},
        {"hu", "fu"},
        {"hua", "fua"},
        {"he", "he"},
        {"xiang", "xian"},
        {"guang", "guan"},
        {"ying", "yin"},
        {"yong", "yong"},
        {"zhong", "zong"},
        {"n", "n"},
        {"ng", "ng"},
        {"ang", "an"},
        {"jiao xuan cheng", "jiao xuan cen"},
        {"muller", "muller"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[XJ_PINYIN_MAX];
        size_t n = xj_pinyin_fuzzy(cases[i].key, out, sizeof out);
        cr_expect_str_eq(out, cases[i].want, "%s", cases[i].key);
        cr_expect_eq(n, strlen(cases[i].want), "%s", cases[i].key);
    }
    /* A token without a reading (kept as UTF-8 in the key) is copied. */
    char out[XJ_PINYIN_MAX];
    xj_pinyin_fuzzy("wang \xe4\xb8\x80", out, sizeof out);
    cr_expect_str_eq(out, "wan \xe4\xb8\x80");
    /* Near-homophone names meet; distinct-sounding ones do not. */
    char a[XJ_PINYIN_MAX], b[XJ_PINYIN_MAX];
    xj_name na = normalize_str("焦轩诚", strlen("焦轩诚")),
            nb = normalize_str("焦轩陈", strlen("焦轩陈"));
    xj_pinyin_fuzzy(na.pinyin, a, sizeof a);
    xj_pinyin_fuzzy(nb.pinyin, b, sizeof b);
    cr_expect_str_eq(a, b);
    nb = normalize_str("焦轩明", strlen("焦轩明"));
    xj_pinyin_fuzzy(nb.pinyin, b, sizeof b);
    cr_expect_str_neq(a, b);
    /* Cut at cap - 1, still terminated. */
    char small[5];
    cr_expect_eq(xj_pinyin_fuzzy("zhang wei", small, sizeof small), 4);
    cr_expect_str_eq(small, "zan ");
}

Test(name, same_name_ignores_only_the_separator_dot)
{
    static const struct {
        const char *a, *b;
        int same;
    } cases[] = {
        {"阿卜杜·热合曼", "阿卜杜热合曼", 1},
        {"阿卜杜·热合曼", "阿卜杜·热合曼", 1},
        {"阿卜杜热·合曼", "阿卜杜·热合曼", 1}, /* the dot misplaced */
        {"买买提·艾力·", "买买提艾力", 1},
        {"张伟", "张伟", 1},
        {"张伟", "张玮", 0},
        {"张伟", "张伟伟", 0},
        {"", "", 1},
        {"·", "", 1},
        {"阿卜杜·热合曼", "阿卜杜·热合", 0},
        {"ZHANG WEI", "ZHANGWEI", 0}, /* spaces are not dots */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_eq(xj_name_same(cases[i].a, cases[i].b), cases[i].same, "%s / %s", cases[i].a,
                     cases[i].b);
        cr_assert_eq(xj_name_same(cases[i].b, cases[i].a), cases[i].same, "%s / %s (swapped)",
                     cases[i].b, cases[i].a);
    }
}

Test(name, a_name_typed_without_its_dot_is_the_same_name_after_normalizing)
{
    const char *forms[] = {"阿卜杜·热合曼", "阿卜杜•热合曼", "阿卜杜．热合曼", "阿卜杜 热合曼",
                           "阿卜杜热合曼"};
    xj_name ref;
    xj_name_normalize(forms[0], strlen(forms[0]), &ref);
    for (size_t i = 1; i < sizeof forms / sizeof forms[0]; i++) {
        xj_name n;
        xj_name_normalize(forms[i], strlen(forms[i]), &n);
        cr_assert(xj_name_same(ref.normalized, n.normalized), "%s -> %s", forms[i], n.normalized);
    }
}
