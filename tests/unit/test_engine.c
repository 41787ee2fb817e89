/*
 * test_engine.c: the decision on known cases, through the public API: a
 * small index is built with commits of registry records and a population
 * extract, then single records are judged.  Each case is a situation a
 * county registrar meets, with the answer the rules give.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xj/engine.h"

static char dir[256];
static xj_index *idx;
static xj_engine *eng;

#define TODAY 20261122u

static xj_slice S(const char *s)
{
    return (xj_slice){s, strlen(s)};
}

/* A registry record for the commit below, with its ethnicity. */
static void put_e(xj_commit *c, const char *number, const char *name, char gender, uint32_t birth,
                  const char *id, const char *guardian_id, const char *school_region,
                  const char *ethnicity, const char *guardian_name)
{
    xj_record r;
    memset(&r, 0, sizeof r);
    snprintf(r.student_number, sizeof r.student_number, "%s", number);
    cr_assert_eq(xj_reckey_pack(number, strlen(number), &r.key), XJ_OK, "%s", number);
    xj_name n;
    xj_name_normalize(name, strlen(name), &n);
    memcpy(r.name, n.normalized, sizeof r.name);
    memcpy(r.pinyin, n.pinyin, sizeof r.pinyin);
    snprintf(r.name_raw, sizeof r.name_raw, "%s", name);
    r.gender = gender;
    r.birth = birth;
    r.id_type = id[0] ? XJ_IDTYPE_RESIDENT : XJ_IDTYPE_NONE;
    snprintf(r.id, sizeof r.id, "%s", id);
    snprintf(r.guardian_id, sizeof r.guardian_id, "%s", guardian_id);
    snprintf(r.school_code, sizeof r.school_code, "1%s001", school_region);
    snprintf(r.school_region, sizeof r.school_region, "%s", school_region);
    snprintf(r.hukou_region, sizeof r.hukou_region, "%.6s", id[0] ? id : school_region);
    snprintf(r.ethnicity, sizeof r.ethnicity, "%s", ethnicity);
    snprintf(r.guardian_name, sizeof r.guardian_name, "%s", guardian_name);
    r.status = XJ_STATUS_ENROLLED;
    cr_assert_eq(xj_commit_put_record(c, &r), XJ_OK);
}

/* A registry record whose ethnicity was left empty. */
static void put(xj_commit *c, const char *number, const char *name, char gender, uint32_t birth,
                const char *id, const char *guardian_id, const char *school_region)
{
    put_e(c, number, name, gender, birth, id, guardian_id, school_region, "", "");
}

/* The check characters below were computed independently of xueji (the
 * MOD 11-2 weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 by hand): every ID
 * passes its checksum unless a case says otherwise. */
#define ID_ZHANG  "110105201203150011" /* 张子涵, M, 2012-03-15 */
#define ID_TWIN_A "110105201405200013" /* 李一诺, M, 2014-05-20 */
#define ID_TWIN_B "110105201405200021" /* 李一鸣, F twin */
#define ID_GUARD  "110105198001011238"
#define ID_MOTHER "110105198503030025"
#define ID_WANG   "320102201309080023" /* 王芳, F, 2013-09-08 */
#define ID_NEW    "440304201501010077" /* a child nobody registered */
#define ID_UYGHUR "650102201306010034" /* 阿卜杜·热合曼, M, 2013-06-01 */
#define ID_RENAMED "330106201302140027" /* 刘欣怡, F, 2013-02-14, formerly 刘招娣 */
#define ID_GARBLED "110105201608080058" /* 孙悦, M, 2016-08-08; registered garbled */

static void build(void)
{
    snprintf(dir, sizeof dir, "/tmp/xj-test-engine-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    char path[300];
    snprintf(path, sizeof path, "%s/db", dir);
    cr_assert_eq(xj_index_open(path, NULL, &idx), XJ_OK, "%s", xj_index_errmsg(idx));

    /* Population extract: loaded through the bulk loader from a small CSV. */
    char csv[300];
    snprintf(csv, sizeof csv, "%s/pop.csv", dir);
    FILE *fp = fopen(csv, "w");
    fprintf(fp,
            "id_number,name,gender,birth_date,status,former_names\n"
            "%s,张子涵,男,2012-03-15,,\n"
            "%s,李一诺,男,2014-05-20,,\n"
            "%s,李一鸣,女,2014-05-20,,\n"
            "%s,王芳,女,2013-09-08,,王小芳\n"
            "%s,赵新,男,2015-01-01,,赵鑫\n"
            "%s,阿卜杜·热合曼,男,2013-06-01,,\n"
            "%s,刘欣怡,女,2013-02-14,,刘招娣\n"
            "%s,孙悦,男,2016-08-08,,\n",
            ID_ZHANG, ID_TWIN_A, ID_TWIN_B, ID_WANG, ID_NEW, ID_UYGHUR, ID_RENAMED, ID_GARBLED);
    fclose(fp);
    fp = fopen(csv, "rb");
    xj_load_options lo;
    xj_load_options_init(&lo);
    lo.today = TODAY;
    xj_load_stats ls;
    cr_assert_eq(xj_index_load_population(idx, fp, &lo, &ls), XJ_OK, "%s", xj_index_errmsg(idx));
    fclose(fp);
    cr_assert_eq(ls.loaded, 8);

    uint8_t fpr[16] = {1};
    xj_commit *c;
    cr_assert_eq(xj_commit_begin(idx, fpr, &c), XJ_OK);
    put(c, "G" ID_ZHANG, "张子涵", 'M', 20120315, ID_ZHANG, ID_GUARD, "110105");
    put(c, "G" ID_TWIN_A, "李一诺", 'M', 20140520, ID_TWIN_A, ID_GUARD, "110105");
    put(c, "J110105201105050017", "陈晨", 'F', 20110505, "", ID_GUARD, "110105");
    /* Two registered namesakes born the same day, one in Beijing, one in
     * Guangdong. */
    put(c, "G110105201010100018", "欧阳明轩", 'M', 20101010, "110105201010100018", "", "110105");
    put(c, "G440305201010100015", "欧阳明轩", 'M', 20101010, "440305201010100015", "", "440305");
    /* 孙泽浩 in Beijing and 孙泽皓 (the same sound) in Shenzhen, born the
     * same day. */
    put(c, "G110105201209120032", "孙泽浩", 'M', 20120912, "110105201209120032", "", "110105");
    put(c, "G440306201209120052", "孙泽皓", 'M', 20120912, "440306201209120052", "", "440306");
    /* 李一若 in Zhejiang, whose guardian is a 李军. */
    put_e(c, "G330327201509290981", "李一若", 'F', 20150929, "330327201509290981",
          "152626199102204357", "330327", "汉族", "李军");
    /* Twin brothers without IDs, 周子轩 and 周子 (a name one shorter), and
     * ten other 周子轩 born in 2010: a common name weighs less. */
    put(c, "J110105201209090013", "周子轩", 'M', 20120909, "", ID_GUARD, "110105");
    put(c, "J110105201209090021", "周子", 'M', 20120909, "", ID_GUARD, "110105");
    static const char *const others[] = {
        "J110105201001010010", "J110105201001020016", "J110105201001030011",
        "J110105201001040017", "J110105201001050012", "J110105201001060018",
        "J110105201001070013", "J110105201001080019", "J110105201001090014",
        "J110105201001100016"};
    for (unsigned i = 0; i < 10; i++)
        put(c, others[i], "周子轩", 'M', 20100101 + i, "", "", "110105");
    /* 陈思远, whose ID Excel will round to 110105201307071000: a tail whose
     * checksum holds by chance. */
    put(c, "G110105201307071115", "陈思远", 'M', 20130707, "110105201307071115", "", "110105");
    /* A registration of 孙悦's ID whose every other field is wrong. */
    put(c, "G" ID_GARBLED, "钱多多", 'F', 20100606, ID_GARBLED, "", "110105");
    /* Registered under her former name; the hukou holds both. */
    put(c, "G" ID_RENAMED, "刘招娣", 'F', 20130214, ID_RENAMED, "", "330106");
    /* 吴梓豪 in Beijing and 吴梓皓 in Anyang, born the same day: both read
     * wu zi hao.  The Beijing number sorts first. */
    put(c, "G110105201501190054", "吴梓豪", 'M', 20150119, "110105201501190054", "", "110105");
    put(c, "G410205201501190034", "吴梓皓", 'M', 20150119, "410205201501190034", "", "410205");
    /* Two 马俊杰 born the same day: a Han boy in Jinan, a Hui boy in
     * Lanzhou.  The Jinan number sorts first. */
    put_e(c, "G370102201103030011", "马俊杰", 'M', 20110303, "370102201103030011", "", "370102",
          "汉族", "");
    put_e(c, "G62010220110303003X", "马俊杰", 'M', 20110303, "62010220110303003X", "", "620102",
          "回族", "");
    cr_assert_eq(xj_commit_write(c), XJ_OK, "%s", xj_index_errmsg(idx));

    xj_engine_options eo;
    xj_engine_options_init(&eo);
    eo.today = TODAY;
    cr_assert_eq(xj_engine_open(idx, &eo, &eng), XJ_OK);
}

static void teardown(void)
{
    xj_engine_close(eng);
    xj_index_close(idx);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(engine, .init = build, .fini = teardown);

static xj_input row(const char *name, const char *gender, const char *birth, const char *id)
{
    xj_input in;
    memset(&in, 0, sizeof in);
    in.record_id = S("r1");
    in.name = S(name);
    in.gender = S(gender);
    in.birth_date = S(birth);
    in.id_number = S(id);
    in.school_code = S("1440304001");
    in.school_region = S("440304");
    return in;
}

static void judge(const xj_input *in, xj_verdict *v)
{
    cr_assert_eq(xj_engine_judge(eng, in, v), XJ_OK, "%s", xj_engine_errmsg(eng));
}

static int has(const xj_verdict *v, xj_reason r)
{
    return xj_reasons_has(&v->reasons, r);
}

Test(engine, registered_child_from_another_school_is_a_duplicate)
{
    xj_input in = row("张子涵", "男", "2012-03-15", ID_ZHANG);
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_DUPLICATE);
    cr_assert_str_eq(v.matched, "G" ID_ZHANG);
    cr_assert(has(&v, XJ_R_ID_EXACT));
    cr_assert_eq(v.student_number[0], 'L', "a duplicate holds an L number: %s", v.student_number);
}

Test(engine, traditional_and_spaced_name_with_mistyped_id_is_still_a_duplicate)
{
    /* 張子涵 with a space, last-but-one digit mistyped (checksum fails). */
    xj_input in = row("張 子涵", "1", "20120315", "110105201203150021");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_DUPLICATE, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.matched, "G" ID_ZHANG);
    cr_assert(has(&v, XJ_R_ID_CHECKSUM), "the ID error is named");
}

Test(engine, twin_of_registered_child_is_not_merged)
{
    xj_input in = row("李一鸣", "女", "2014-05-20", ID_TWIN_B);
    in.guardian_id = S(ID_GUARD);
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_ASSIGNED_G, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.student_number, "G" ID_TWIN_B);
}

Test(engine, new_child_passing_population_gets_g)
{
    xj_input in = row("赵新", "男", "2015-01-01", ID_NEW);
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_ASSIGNED_G);
    cr_assert_str_eq(v.student_number, "G" ID_NEW);
    cr_assert(has(&v, XJ_R_POP_NAME_EQ));
}

Test(engine, former_name_passes_population)
{
    xj_input in = row("赵鑫", "男", "2015-01-01", ID_NEW);
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_ASSIGNED_G);
    cr_assert(has(&v, XJ_R_POP_FORMER_NAME));
}

Test(engine, a_transliterated_name_without_its_dot_passes_population)
{
    /* The hukou writes 阿卜杜·热合曼; a school system that cannot type the
     * dot sends 阿卜杜热合曼, another a bullet.  The same name: a new G. */
    const char *typed[] = {"阿卜杜热合曼", "阿卜杜•热合曼", "阿卜杜 · 热合曼"};
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
        xj_input in = row(typed[i], "男", "2013-06-01", ID_UYGHUR);
        xj_verdict v;
        judge(&in, &v);
        cr_assert_eq(v.decision, XJ_ASSIGNED_G, "%s: got %s", typed[i],
                     xj_decision_name(v.decision));
        cr_assert(has(&v, XJ_R_POP_NAME_EQ), "%s", typed[i]);
    }
}

Test(engine, homophone_name_fails_population)
{
    xj_input in = row("赵欣", "男", "2015-01-01", ID_NEW);
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_POP_MISMATCH);
    cr_assert(has(&v, XJ_R_POP_NAME_MISMATCH));
}

Test(engine, id_absent_from_population)
{
    xj_input in = row("孙悟", "男", "2015-01-01", "440304201501010034");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_POP_MISMATCH);
    cr_assert(has(&v, XJ_R_POP_NOT_FOUND));
}

Test(engine, gender_disagreeing_with_id_is_a_mismatch)
{
    xj_input in = row("赵新", "女", "2015-01-01", ID_NEW);
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_POP_MISMATCH);
    cr_assert(has(&v, XJ_R_POP_GENDER_MISMATCH));
}

Test(engine, bad_checksum_unregistered_is_invalid_with_a_reason)
{
    xj_input in = row("钱多", "男", "2015-01-01", "440304201501010076");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_INVALID);
    cr_assert(has(&v, XJ_R_ID_CHECKSUM));
    cr_assert_str_eq(v.student_number, "");
    cr_assert(strstr(v.detail, "id_number") != NULL, "detail names the field: %s", v.detail);
}

Test(engine, missing_required_fields_are_invalid_and_named)
{
    xj_input in = row("钱多", "", "2015-02-30", "");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_INVALID);
    cr_assert(has(&v, XJ_R_MISSING_GENDER));
    cr_assert(has(&v, XJ_R_BAD_BIRTH_DATE));
}

Test(engine, child_without_id_gets_j)
{
    xj_input in = row("周小川", "男", "2016-07-01", "");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_ASSIGNED_J);
    cr_assert_eq(strncmp(v.student_number, "J44030420160701", 15), 0, "%s", v.student_number);
    cr_assert_eq(xj_number_check(v.student_number, 19), XJ_NUMBER_J);
}

Test(engine, j_student_resubmitted_with_guardian_is_a_duplicate)
{
    xj_input in = row("陈晨", "女", "2011-05-05", "");
    in.guardian_id = S(ID_GUARD);
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_DUPLICATE, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.matched, "J110105201105050017");
}

Test(engine, j_student_resubmitted_with_the_other_parent_is_reviewed)
{
    /* No ID on either side; the new school lists the mother, the registry
     * the father.  Not merged on the name and birthday, but not a new J
     * number either: a person decides. */
    xj_input in = row("陈晨", "女", "2011-05-05", "");
    in.guardian_id = S(ID_MOTHER);
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_REVIEW, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.matched, "J110105201105050017");
    cr_assert(has(&v, XJ_R_GUARDIAN_ID_DIFF));
    /* A homophone with the other parent is what strangers share. */
    in.name = S("陈辰");
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_ASSIGNED_J, "got %s", xj_decision_name(v.decision));
}

Test(engine, namesake_with_another_valid_id_is_not_merged)
{
    /* Same name and birthday as the registered 张子涵, another child. */
    xj_input in = row("张子涵", "男", "2012-03-15", "440304201203150012");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_neq(v.decision, XJ_DUPLICATE);
    cr_assert_neq(v.decision, XJ_REVIEW);
}

Test(engine, near_homophone_without_id_is_reviewed)
{
    /* 程晨 cheng chen for the registered J student 陈晨 chen chen, same birth
     * date and gender, no ID and no guardian: a clerk who typed the name as
     * heard, or another child.  A person decides. */
    xj_input in = row("程晨", "女", "2011-05-05", "");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_REVIEW, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.matched, "J110105201105050017");
    cr_assert(has(&v, XJ_R_NAME_PINYIN_NEAR));
}

Test(engine, near_homophone_twin_with_the_same_guardian_is_never_merged)
{
    /* 陈程 chen cheng: same guardian, same birth date as 陈晨 chen chen.  A
     * twin or a typo; the names sound alike but never make a DUPLICATE. */
    xj_input in = row("陈程", "女", "2011-05-05", "");
    in.guardian_id = S(ID_GUARD);
    xj_verdict v;
    judge(&in, &v);
    cr_assert_neq(v.decision, XJ_DUPLICATE, "got %s", xj_decision_name(v.decision));
    cr_assert(has(&v, XJ_R_SIBLING));
}

Test(engine, near_homophone_with_another_birth_date_is_new)
{
    xj_input in = row("程晨", "女", "2011-09-15", "");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_ASSIGNED_J, "got %s", xj_decision_name(v.decision));
}

Test(engine, of_two_equal_namesakes_the_one_in_the_schools_province_is_named)
{
    /* No ID, no guardian: both registered 欧阳明轩 fit equally.  A person
     * decides; the one registered in the province of the row's school
     * (Guangdong, 440304) is named and leads the candidates. */
    xj_input in = row("欧阳明轩", "男", "2010-10-10", "");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_REVIEW, "got %s", xj_decision_name(v.decision));
    cr_assert(has(&v, XJ_R_MULTIPLE_CANDIDATES));
    cr_assert_str_eq(v.matched, "G440305201010100015");
    cr_assert_geq(v.ncandidates, 2);
    cr_assert_str_eq(v.candidates[0].rec.student_number, "G440305201010100015");
    cr_assert_str_eq(v.candidates[1].rec.student_number, "G110105201010100018");
}

Test(engine, a_namesake_far_away_is_named_after_a_homophone_in_the_schools_city)
{
    /* A Shenzhen school (440304) types 孙泽浩 with no ID and no guardian.
     * The exact name is registered in Beijing, the same sound in Shenzhen:
     * both stay candidates and a person decides, but the one in the city of
     * the school is named first, as most children who change school stay in
     * their city. */
    xj_input in = row("孙泽浩", "男", "2012-09-12", "");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_REVIEW, "got %s", xj_decision_name(v.decision));
    cr_assert(has(&v, XJ_R_MULTIPLE_CANDIDATES));
    cr_assert_str_eq(v.matched, "G440306201209120052");
    cr_assert_geq(v.ncandidates, 2);
    cr_assert_str_eq(v.candidates[1].rec.student_number, "G110105201209120032");
    cr_assert_gt(v.candidates[1].score, v.candidates[0].score,
                 "the exact name scores higher (%.2f vs %.2f): only the place reorders",
                 v.candidates[1].score, v.candidates[0].score);
}

Test(engine, homophone_twin_of_the_other_gender_is_never_merged)
{
    /* 李依诺, a girl, same birth date and guardian as the registered boy
     * 李一诺 (li yi nuo both): boy-and-girl twins with names that sound
     * alike.  Without an ID she is a new J registration. */
    xj_input in = row("李依诺", "女", "2014-05-20", "");
    in.guardian_id = S(ID_GUARD);
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_ASSIGNED_J, "got %s", xj_decision_name(v.decision));
}

Test(engine, homophone_of_the_same_gender_in_the_family_is_a_duplicate)
{
    /* The same sound, the same gender, birth date and guardian: the
     * registered boy with his name typed by sound. */
    xj_input in = row("李依诺", "男", "2014-05-20", "");
    in.guardian_id = S(ID_GUARD);
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_DUPLICATE, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.matched, "G" ID_TWIN_A);
}

Test(engine, a_character_typed_as_a_placeholder_is_reviewed)
{
    /* 张子涵 sent again by a Beijing school as 张?涵 (or 张子□): a rare
     * character its input method or font lacks.  No ID: a person looks at
     * the character instead of a J number being given. */
    static const char *const typed[] = {"张?涵", "张子□", "张＊涵", "张？涵"};
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
        xj_input in = row(typed[i], "男", "2012-03-15", "");
        in.school_code = S("1110105001");
        in.school_region = S("110105");
        xj_verdict v;
        judge(&in, &v);
        cr_assert_eq(v.decision, XJ_REVIEW, "%s: got %s", typed[i], xj_decision_name(v.decision));
        cr_assert_str_eq(v.matched, "G" ID_ZHANG, "%s", typed[i]);
        cr_assert(has(&v, XJ_R_NAME_PLACEHOLDER), "%s", typed[i]);
    }
}

Test(engine, a_placeholder_is_never_a_duplicate_and_needs_two_known_characters)
{
    /* Only the surname known (张??): nothing to look at. */
    xj_input in = row("张??", "男", "2012-03-15", "");
    in.school_code = S("1110105001");
    in.school_region = S("110105");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_ASSIGNED_J, "got %s", xj_decision_name(v.decision));
    /* With the guardian too, the missing character may be a twin's:
     * reviewed, never merged. */
    in = row("张?涵", "男", "2012-03-15", "");
    in.guardian_id = S(ID_GUARD);
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_REVIEW, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.matched, "G" ID_ZHANG);
    /* With the ID it is the registered child. */
    in = row("张?涵", "男", "2012-03-15", ID_ZHANG);
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_DUPLICATE, "got %s", xj_decision_name(v.decision));
}

Test(engine, two_characters_in_the_other_order_are_reviewed)
{
    /* 张子涵 sent again as 张涵子, no ID: the same characters, the same
     * birth date and gender in the same county.  A person decides. */
    xj_input in = row("张涵子", "男", "2012-03-15", "");
    in.school_code = S("1110105001");
    in.school_region = S("110105");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_REVIEW, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.matched, "G" ID_ZHANG);
    cr_assert(has(&v, XJ_R_NAME_SWAPPED));
    /* The surname is not one of the two: 子张涵 is another name. */
    in = row("子张涵", "男", "2012-03-15", "");
    in.school_code = S("1110105001");
    in.school_region = S("110105");
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_ASSIGNED_J, "got %s", xj_decision_name(v.decision));
}

Test(engine, a_character_left_out_is_reviewed_within_the_family_only)
{
    /* 张子涵 sent again as 张涵.  With nothing but the name and birthday,
     * that is what a stranger may share: a new J number. */
    xj_input in = row("张涵", "男", "2012-03-15", "");
    in.school_code = S("1110105001");
    in.school_region = S("110105");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_ASSIGNED_J, "got %s", xj_decision_name(v.decision));
    /* With the guardian's ID the family agrees: reviewed (it may be a
     * twin), never merged. */
    in.guardian_id = S(ID_GUARD);
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_REVIEW, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.matched, "G" ID_ZHANG);
    cr_assert(has(&v, XJ_R_NAME_DROPPED));
    /* Two characters left out are not one. */
    in = row("张", "男", "2012-03-15", "");
    in.guardian_id = S(ID_GUARD);
    judge(&in, &v);
    cr_assert_neq(v.decision, XJ_DUPLICATE);
    cr_assert(!has(&v, XJ_R_NAME_DROPPED));
}

Test(engine, a_birth_date_one_digit_off_is_reviewed_within_the_family_only)
{
    /* 张子涵 born 2012-03-16 instead of 03-15, no ID. */
    xj_input in = row("张子涵", "男", "2012-03-16", "");
    in.school_code = S("1110105001");
    in.school_region = S("110105");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_ASSIGNED_J, "got %s", xj_decision_name(v.decision));
    /* The guardian's ID says it is the family's child: a person decides;
     * the date is not corrected by a merge. */
    in.guardian_id = S(ID_GUARD);
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_REVIEW, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.matched, "G" ID_ZHANG);
    cr_assert(has(&v, XJ_R_BIRTH_NEAR));
    /* Of the other gender it is not the registered boy. */
    in.gender = S("女");
    judge(&in, &v);
    cr_assert_neq(v.decision, XJ_REVIEW, "got %s", xj_decision_name(v.decision));
    cr_assert_neq(v.decision, XJ_DUPLICATE, "got %s", xj_decision_name(v.decision));
}

Test(engine, a_school_region_of_no_known_prefecture_is_invalid)
{
    /* The J number is built from the school's division code: 999999 would
     * be in it for life. */
    xj_input in = row("刘新", "女", "2014-02-02", "");
    in.school_code = S("1999999001");
    in.school_region = S("999999");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_INVALID, "got %s", xj_decision_name(v.decision));
    cr_assert(has(&v, XJ_R_BAD_SCHOOL_REGION));
    cr_assert(strstr(v.detail, "school_region") != NULL, "%s", v.detail);
    /* A county missing from the table under a known prefecture (a new
     * district) is taken. */
    in.school_code = S("1110199001");
    in.school_region = S("110199");
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_ASSIGNED_J, "got %s", xj_decision_name(v.decision));
    cr_assert_eq(strncmp(v.student_number, "J110199", 7), 0, "%s", v.student_number);
}

Test(engine, of_two_homophones_the_one_typed_wrong_in_one_place_is_named)
{
    /* A Shenzhen school types 吴紫皓 with no ID: 吴梓皓 differs from it in
     * one character, 吴梓豪 in two, and both read wu zi hao with the same
     * birth date, so they score alike.  A person decides; the one a single
     * slip of the input method explains is named. */
    xj_input in = row("吴紫皓", "男", "2015-01-19", "");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_REVIEW, "got %s", xj_decision_name(v.decision));
    cr_assert(has(&v, XJ_R_MULTIPLE_CANDIDATES));
    cr_assert_geq(v.ncandidates, 2);
    cr_assert_float_eq(v.candidates[0].score, v.candidates[1].score, 1e-9,
                       "the score alone does not tell them apart");
    cr_assert_str_eq(v.matched, "G410205201501190034");
    cr_assert_str_eq(v.candidates[0].rec.student_number, "G410205201501190034");
}

Test(engine, of_two_namesakes_the_one_of_the_rows_ethnicity_is_named)
{
    /* 马俊杰, no ID, a Shenzhen school: the Han boy and the Hui boy fit
     * equally, and neither is in the school's province. */
    static const struct {
        const char *ethnicity;
        const char *named;
    } cases[] = {
        {"回族", "G62010220110303003X"}, /* agreeing on a minority */
        {"回", "G62010220110303003X"},   /* the short form */
        {"03", "G62010220110303003X"},   /* the GB/T 3304 code */
        {"汉族", "G370102201103030011"}, /* the other one disagrees */
        {"", "G370102201103030011"},     /* no evidence: the number order */
        {"未知", "G370102201103030011"}, /* unread: no evidence */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xj_input in = row("马俊杰", "男", "2011-03-03", "");
        in.ethnicity = S(cases[i].ethnicity);
        xj_verdict v;
        judge(&in, &v);
        cr_assert_eq(v.decision, XJ_REVIEW, "%s: got %s", cases[i].ethnicity,
                     xj_decision_name(v.decision));
        cr_assert(has(&v, XJ_R_MULTIPLE_CANDIDATES), "%s", cases[i].ethnicity);
        cr_assert_str_eq(v.matched, cases[i].named, "%s", cases[i].ethnicity);
    }
}

Test(engine, a_renamed_child_is_a_duplicate_when_the_hukou_holds_both_names)
{
    /* Registered as 刘招娣; the population database lists 刘欣怡 with the
     * former name 刘招娣 for her ID. */
    xj_input in = row("刘欣怡", "女", "2013-02-14", ID_RENAMED);
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_DUPLICATE, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.matched, "G" ID_RENAMED);
    cr_assert(has(&v, XJ_R_ID_EXACT));
    cr_assert(has(&v, XJ_R_NAME_DIFF));
    cr_assert(has(&v, XJ_R_NAME_FORMER));
    cr_assert(!has(&v, XJ_R_ID_NAME_CONFLICT));
    /* The hukou vouches for the names, not for a row whose birth date and
     * gender both disagree with them as well. */
    in = row("刘欣怡", "男", "2010-07-01", ID_RENAMED);
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_REVIEW, "got %s", xj_decision_name(v.decision));
    cr_assert(has(&v, XJ_R_ID_NAME_CONFLICT));
}

Test(engine, an_id_registered_under_another_name_is_reviewed_not_merged)
{
    static const struct {
        const char *name, *gender, *birth, *id, *matched;
    } cases[] = {
        /* a name the hukou of that ID never held */
        {"刘思远", "女", "2013-02-14", ID_RENAMED, "G" ID_RENAMED},
        {"张伟", "男", "2012-03-15", ID_ZHANG, "G" ID_ZHANG},
        /* the twin sister typed with her brother's ID: one character and
         * the gender apart */
        {"李一鸣", "女", "2014-05-20", ID_TWIN_A, "G" ID_TWIN_A},
        /* a younger brother typed with it: one character and the birth
         * date apart */
        {"李一鸣", "男", "2016-08-01", ID_TWIN_A, "G" ID_TWIN_A},
        /* a twin brother with the same guardian: one character apart */
        {"李一然", "男", "2014-05-20", ID_TWIN_A, "G" ID_TWIN_A},
        /* a brother whose birthday is one digit off the other's */
        {"李一鸣", "男", "2016-05-20", ID_TWIN_A, "G" ID_TWIN_A},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xj_input in = row(cases[i].name, cases[i].gender, cases[i].birth, cases[i].id);
        in.guardian_id = S(ID_GUARD);
        xj_verdict v;
        judge(&in, &v);
        cr_assert_eq(v.decision, XJ_REVIEW, "%s: got %s", cases[i].name,
                     xj_decision_name(v.decision));
        cr_assert_str_eq(v.matched, cases[i].matched, "%s", cases[i].name);
        cr_assert(has(&v, XJ_R_ID_EXACT), "%s", cases[i].name);
        cr_assert(has(&v, XJ_R_ID_NAME_CONFLICT), "%s", cases[i].name);
        cr_assert(!has(&v, XJ_R_NAME_FORMER), "%s", cases[i].name);
    }
    /* A slip in the name alone, the gender agreeing, stays a duplicate: the
     * ID is the child's.  So does a homophone within the family (李一挪 for
     * 李一诺, the input method's slip). */
    xj_input in = row("张子寒", "男", "2012-03-15", ID_ZHANG);
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_DUPLICATE, "got %s", xj_decision_name(v.decision));
    cr_assert(!has(&v, XJ_R_ID_NAME_CONFLICT));
    in = row("李一挪", "男", "2014-05-20", ID_TWIN_A);
    in.guardian_id = S(ID_GUARD);
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_DUPLICATE, "got %s", xj_decision_name(v.decision));
    cr_assert(!has(&v, XJ_R_ID_NAME_CONFLICT));
}

Test(engine, a_namesake_whose_guardian_only_shares_a_name_is_not_reviewed)
{
    /* Another 李一若 born the same day in Jilin, her own valid ID, her
     * guardian also called 李军 but with another ID: two families. */
    xj_input in = row("李一若", "女", "2015-09-29", "220323201509290382");
    in.guardian_name = S("李军");
    in.guardian_id = S("220323198511013814");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_neq(v.decision, XJ_DUPLICATE);
    cr_assert_neq(v.decision, XJ_REVIEW, "reasons: the guardian's name alone");
    /* The same guardian ID as well: the child's ID may have been
     * corrected since (re-registered hukou), so a person decides. */
    in.guardian_id = S("152626199102204357");
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_REVIEW, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.matched, "G330327201509290981");
    cr_assert(has(&v, XJ_R_ID_DIFF));
}

Test(engine, a_registration_holding_the_id_is_never_passed_over)
{
    /* 孙悦 agrees with the population database in every field; the
     * registration of his ID agrees with him in nothing else.  Its number
     * is G + his ID, the number he would get: a person decides. */
    xj_input in = row("孙悦", "男", "2016-08-08", ID_GARBLED);
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_REVIEW, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.matched, "G" ID_GARBLED);
    cr_assert(has(&v, XJ_R_ID_EXACT));
    cr_assert(has(&v, XJ_R_ID_NAME_CONFLICT));
}

Test(engine, an_excel_tail_that_passes_its_checksum_still_finds_the_registration)
{
    /* Excel kept 15 digits of 110105201307071115; the 000 it wrote in
     * their place happens to pass the checksum, so the ID reads as valid.
     * The registration with the same first 14 digits, name, birth date and
     * gender is found, not taken for a namesake with another ID; since a
     * real ID may end in x000 too (another child's, of the same county and
     * birthday), a person decides. */
    xj_input in = row("陈思远", "男", "2013-07-07", "110105201307071000");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_REVIEW, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.matched, "G110105201307071115");
    cr_assert(has(&v, XJ_R_ID_NEAR));
    cr_assert(!has(&v, XJ_R_ID_DIFF));
}

Test(engine, an_id_one_typo_from_a_twins_is_not_enough_with_another_name)
{
    /* 110105201405200033: one digit off 李一诺's ID (and failing its
     * checksum).  Typed for 李一诺 it is his registration; typed for 李一然,
     * born the same day, it may be his twin's ID one slip away. */
    xj_input in = row("李一诺", "男", "2014-05-20", "110105201405200033");
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_DUPLICATE, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.matched, "G" ID_TWIN_A);
    in = row("李一然", "男", "2014-05-20", "110105201405200033");
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_REVIEW, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.matched, "G" ID_TWIN_A);
    cr_assert(has(&v, XJ_R_ID_NEAR));
}

Test(engine, a_twin_does_not_unsettle_the_duplicate_of_his_brother)
{
    /* 周子轩 again, no ID, the guardian's: his registration is a DUPLICATE;
     * his twin 周子 (a sibling, within ten points of him) is no rival. */
    xj_input in = row("周子轩", "男", "2012-09-09", "");
    in.guardian_id = S(ID_GUARD);
    xj_verdict v;
    judge(&in, &v);
    cr_assert_eq(v.decision, XJ_DUPLICATE, "got %s", xj_decision_name(v.decision));
    cr_assert_str_eq(v.matched, "J110105201209090013");
    cr_assert(!has(&v, XJ_R_MULTIPLE_CANDIDATES));
    cr_assert_geq(v.ncandidates, 2);
    cr_assert(xj_reasons_has(&v.candidates[1].reasons, XJ_R_SIBLING));
    cr_assert_lt(v.candidates[0].score - v.candidates[1].score, 10.0,
                 "the twin is within the rival margin");
}
