/*
 * steps.c: the next step the rules prescribe for each conflict.
 *
 * A registrar working through the report must know not only what the engine
 * found but what to do about it, and on what authority.  Each step below is
 * one instruction in Chinese with the articles it rests on, cited as
 * "file article" after ../shared/policy/README.md:
 *
 *   000  中小学生学籍管理相关问题处理办法 (G/J/L numbers, transfers, key information)
 *   001  中小学生学籍管理办法 (one number for life, transfers, data security)
 *   002  a county notice (人籍一致, key-information changes)
 *
 * The steps of a row are chosen from its decision, its reason codes and the
 * status of its best registry candidate: a DUPLICATE always transfers, but a
 * suspended student resumes school first; a POP_MISMATCH corrects the field
 * the population database disagrees on.
 */
#include "report_int.h"

typedef struct step_def {
    const char *code, *text, *cite;
} step_def;

static const step_def steps[NSTEPS] = {
    [STEP_DUP_TRANSFER] =
        {"DUP_TRANSFER",
         "该学生已有学籍（已有学籍号见下方），一人一号、不得重复建籍。查重不通过的，"
         "应由转入学校通过国家学籍系统发起转学手续，转出学校及双方上级学籍管理部门"
         "各在10个工作日内核办。",
         "000 二；001 第八条、第九条、第十五条"},
    [STEP_DUP_SUSPENDED] =
        {"DUP_SUSPENDED", "已有学籍处于“休学”状态：应先在原就读学校办理复学手续，再办理转学手续。",
         "000 三、2"},
    [STEP_DUP_LEFT] =
        {"DUP_LEFT",
         "已有学籍处于“出国”“其他离校”“退学”或“开除”状态：可直接办理转学（含跨省转学），"
         "转学完成后在转入学校办理手续变为在校生。",
         "000 三、2"},
    [STEP_DUP_GRADUATED] =
        {"DUP_GRADUATED",
         "已有学籍为“毕业”状态：应通过升学招生办理学籍转接（被招生的学生到校报到后调"
         "转学籍），不得新建学籍。",
         "000 四、3；001 第十四条"},
    [STEP_DUP_TRANSFERRED] =
        {"DUP_TRANSFERRED",
         "已有学籍处于“转出”状态：核查该转学业务的办理进度，在转入学校完成学籍接续；"
         "发起后超过90天未完成的业务已被清理的，须重新发起。",
         "000 三、7；001 第十五条"},
    [STEP_DUP_DECEASED] =
        {"DUP_DECEASED",
         "已有学籍登记为“死亡”：由县级学籍主管部门核实学生身份，排查身份冒用或误注销后"
         "再作处理。",
         "001 第九条、第二十一条"},
    [STEP_KEY_ID] =
        {"KEY_ID",
         "本批记录的身份证号与已有学籍不一致或未通过校验：以户口簿为准核对。确需修改的，由学校"
         "上传证明材料，县级学籍主管部门核办后重新查重和身份比对；身份证号只能修改一次，姓名和"
         "身份证号不能同时修改。",
         "000 一、3；002 二（四）"},
    [STEP_KEY_NAME] =
        {"KEY_NAME",
         "姓名与已有学籍不一致：以户口簿为准核对。确需修改姓名的，由学校上传证明材料，县级学籍"
         "主管部门核办后重新查重和身份比对。",
         "000 一、3；002 二（四）"},
    [STEP_REV_CHECK] =
        {"REV_CHECK",
         "由县级学籍主管部门人工核查是否为同一学生：对照户口簿和已有学籍逐项核对下方标红的"
         "字段。确认为同一人的，按已有学籍办理转学手续，不得重复建籍；确认不是同一人的，记录"
         "核查结论后正常建籍。",
         "001 第五条、第九条；000 二"},
    [STEP_REV_MULTIPLE] =
        {"REV_MULTIPLE",
         "存在多个可能的已有学籍：逐一核对每个候选；若已有学籍之间本身重复，作为问题学籍一并"
         "上报处理。",
         "001 第九条"},
    [STEP_REV_SIBLING] =
        {"REV_SIBLING",
         "同一监护人、同日出生而名字不同：多为双胞胎或兄弟姐妹，核实后各自保留学籍，不得合并。",
         "001 第八条、第十二条"},
    [STEP_REV_COMMON_NAME] =
        {"REV_COMMON_NAME",
         "常见姓名，同名同生日者较多：须以身份证号、监护人等信息核实，不能仅凭姓名判定。",
         "001 第九条"},
    [STEP_REV_ID_NEAR] = {"REV_ID_NEAR",
                          "身份证号仅一位之差，可能是录入错误：以户口簿核对正确号码。",
                          "000 一、3"},
    [STEP_REV_ID_NAME] =
        {"REV_ID_NAME",
         "身份证号已在另一姓名下建籍，人口库中该号无改名记录：对照户口簿核实。户籍已改名的，"
         "按已有学籍办理转学并按规定修改姓名；证号系误填他人（多为双胞胎或兄弟姐妹）的，"
         "按户口簿更正身份证号后重新查重，不得占用他人学籍。",
         "002 二（四）；001 第九条"},
    [STEP_POP_NOT_FOUND] =
        {"POP_NOT_FOUND",
         "国家人口基础信息库中无此身份证号：对照户口簿核对身份证号（多为录入错误），更正后"
         "重新比对；学生确无户口的，动员家长及时办理户口登记。通过比对前学生持临时学籍号"
         "（L字头），各项权益不受影响。",
         "000 一、1，一、4；002 二（一）"},
    [STEP_POP_NAME] =
        {"POP_NAME",
         "姓名与户籍登记不一致：学籍信息修改以户籍信息为准，按户口簿更正姓名（提供户口本原件及"
         "复印件，县级学籍主管部门核办）后重新比对；户籍姓名未变更的，不得修改学籍姓名。",
         "000 一、3；002 二（四）"},
    [STEP_POP_GENDER] = {"POP_GENDER", "性别与户籍登记不一致：按户口簿更正性别后重新比对。",
                         "002 二（四）"},
    [STEP_POP_BIRTH] = {"POP_BIRTH", "出生日期与户籍登记不一致：按户口簿更正出生日期后重新比对。",
                        "001 第六条；002 二（四）"},
    [STEP_POP_DECEASED] =
        {"POP_DECEASED",
         "人口库登记该身份证号的持有人已死亡：核实学生本人身份，排查身份证号录错或被冒用；"
         "学生确已死亡的，学校凭相关材料在60个工作日内报上级学籍管理部门注销学籍。",
         "001 第二十一条；002 二（一）"},
    [STEP_POP_CANCELLED] =
        {"POP_CANCELLED",
         "该身份证号的户籍已注销：销户后重新落户的，提供户口本和销户证明，以新身份证号更正后"
         "重新比对（身份证号只能修改一次）。",
         "002 二（四）"},
    [STEP_POP_GENERIC] =
        {"POP_GENERIC",
         "与国家人口基础信息库比对未通过：核对户口簿，更正姓名或身份证号后重新比对，通过后方"
         "可分配G字头学籍号。",
         "000 一、1，一、3；001 第二十五条"},
};

const char *xj__report_step_code(unsigned s)
{
    return s < NSTEPS ? steps[s].code : "?";
}

const char *xj__report_step_text(unsigned s)
{
    return s < NSTEPS ? steps[s].text : "?";
}

const char *xj__report_step_cite(unsigned s)
{
    return s < NSTEPS ? steps[s].cite : "?";
}

#define BIT(s) ((uint32_t)1 << (s))

/* The status of the record the row would transfer from decides how the
 * transfer starts (000 三、2 lets students who left transfer directly, but a
 * suspended one resumes first); a student in school needs no extra step. */
static uint32_t status_step(uint8_t status)
{
    switch (status) {
    case XJ_STATUS_SUSPENDED:
        return BIT(STEP_DUP_SUSPENDED);
    case XJ_STATUS_ABROAD:
    case XJ_STATUS_LEFT:
    case XJ_STATUS_DROPPED:
    case XJ_STATUS_EXPELLED:
        return BIT(STEP_DUP_LEFT);
    case XJ_STATUS_GRADUATED:
        return BIT(STEP_DUP_GRADUATED);
    case XJ_STATUS_TRANSFERRED:
        return BIT(STEP_DUP_TRANSFERRED);
    case XJ_STATUS_DECEASED:
        return BIT(STEP_DUP_DECEASED);
    default:
        return 0;
    }
}

/* Any of the reasons that say the batch row's own ID is wrong or differs
 * from the registered one: a key-information change is then part of the
 * transfer (000 一、3). */
static int id_trouble(const xj_reasons *rs)
{
    static const xj_reason codes[] = {XJ_R_ID_NEAR,    XJ_R_ID_DIFF,        XJ_R_ID_LENGTH,
                                      XJ_R_ID_CHARSET, XJ_R_ID_CHECKSUM,    XJ_R_ID_DATE,
                                      XJ_R_ID_REGION,  XJ_R_ID_EXCEL_DAMAGE};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (xj_reasons_has(rs, codes[i]))
            return 1;
    return 0;
}

uint32_t xj__report_steps_for(const xj_verdict *v)
{
    const xj_reasons *rs = &v->reasons;
    uint32_t s = 0;
    switch (v->decision) {
    case XJ_DUPLICATE:
        s |= BIT(STEP_DUP_TRANSFER);
        if (v->ncandidates > 0)
            s |= status_step(v->candidates[0].rec.status);
        if (id_trouble(rs))
            s |= BIT(STEP_KEY_ID);
        if (xj_reasons_has(rs, XJ_R_NAME_DIFF) || xj_reasons_has(rs, XJ_R_NAME_ONE_CHAR) ||
            xj_reasons_has(rs, XJ_R_NAME_PLACEHOLDER) || xj_reasons_has(rs, XJ_R_NAME_SWAPPED) ||
            xj_reasons_has(rs, XJ_R_NAME_DROPPED) || xj_reasons_has(rs, XJ_R_NAME_PINYIN_EQ) ||
            xj_reasons_has(rs, XJ_R_NAME_PINYIN_NEAR) || xj_reasons_has(rs, XJ_R_NAME_FORMER))
            s |= BIT(STEP_KEY_NAME);
        break;
    case XJ_REVIEW:
        s |= BIT(STEP_REV_CHECK);
        if (xj_reasons_has(rs, XJ_R_MULTIPLE_CANDIDATES))
            s |= BIT(STEP_REV_MULTIPLE);
        if (xj_reasons_has(rs, XJ_R_SIBLING))
            s |= BIT(STEP_REV_SIBLING);
        if (xj_reasons_has(rs, XJ_R_NAME_COMMON))
            s |= BIT(STEP_REV_COMMON_NAME);
        if (xj_reasons_has(rs, XJ_R_ID_NEAR))
            s |= BIT(STEP_REV_ID_NEAR);
        if (xj_reasons_has(rs, XJ_R_ID_NAME_CONFLICT))
            s |= BIT(STEP_REV_ID_NAME);
        if (v->ncandidates > 0)
            s |= status_step(v->candidates[0].rec.status);
        break;
    case XJ_POP_MISMATCH:
        if (xj_reasons_has(rs, XJ_R_POP_NOT_FOUND))
            s |= BIT(STEP_POP_NOT_FOUND);
        if (xj_reasons_has(rs, XJ_R_POP_NAME_MISMATCH))
            s |= BIT(STEP_POP_NAME);
        if (xj_reasons_has(rs, XJ_R_POP_GENDER_MISMATCH))
            s |= BIT(STEP_POP_GENDER);
        if (xj_reasons_has(rs, XJ_R_POP_BIRTH_MISMATCH))
            s |= BIT(STEP_POP_BIRTH);
        if (xj_reasons_has(rs, XJ_R_POP_DECEASED))
            s |= BIT(STEP_POP_DECEASED);
        if (xj_reasons_has(rs, XJ_R_POP_CANCELLED))
            s |= BIT(STEP_POP_CANCELLED);
        if (!s)
            s |= BIT(STEP_POP_GENERIC);
        break;
    default:
        break;
    }
    return s;
}
