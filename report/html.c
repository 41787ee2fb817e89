/*
 * html.c: writes the review report, one self-contained HTML document.
 *
 * Layout, top to bottom:
 *   - the title, the batch, the time, whether IDs are masked;
 *   - the counts of every decision (a table whose cells carry
 *     data-decision, so that tests and tools can read them) and the same as
 *     an inline SVG bar chart;
 *   - the controls (decision filter, school, order, page size) and the pages
 *     of conflicts, grouped by school in <details> blocks, rendered by the
 *     script of assets.c;
 *   - the data: one JSON chunk per XJ__CHUNK conflicts in school order
 *     (input order within a school), then the index #xj-meta.
 *
 * Everything static is escaped with html_text(); everything in the JSON
 * with json_str(), which also escapes '<', '>' and '&' so that no value can
 * close the <script> element it sits in.
 */
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

#define XJ__CHUNK 500

/* ---- escaping ---------------------------------------------------------------- */

static void html_text(FILE *fp, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", fp);
            break;
        case '<':
            fputs("&lt;", fp);
            break;
        case '>':
            fputs("&gt;", fp);
            break;
        case '"':
            fputs("&quot;", fp);
            break;
        case '\'':
            fputs("&#39;", fp);
            break;
        default:
            fputc(*s, fp);
        }
    }
}

/* A JSON string literal.  Besides the JSON escapes, '<', '>' and '&' become
 * \u003c, \u003e, \u0026 so that "</script>" or "<!--" inside a value
 * cannot end the data block, and U+2028/U+2029 are escaped for old script
 * engines that took them for line ends. */
static void json_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            fputc('\\', fp);
            fputc(c, fp);
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            fprintf(fp, "\\u%04x", c);
        } else if (c == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
            fprintf(fp, "\\u%04x", p[2] == 0xa8 ? 0x2028u : 0x2029u);
            p += 2;
        } else {
            fputc(c, fp);
        }
    }
    fputc('"', fp);
}

/* ---- the words of the page ------------------------------------------------------ */

typedef struct decision_words {
    const char *zh;      /* what the decision means to a registrar */
    const char *color;   /* its colour in the chart */
    const char *shortzh; /* its label in the chart */
} decision_words;

static const decision_words words[XJ_DECISION_COUNT] = {
    [XJ_BATCH_DUPLICATE] = {"与本批次前面的记录为同一人", "#7f8c8d", "批内重复"},
    [XJ_DUPLICATE] = {"已有学籍（重复建籍）", "#c0392b", "重复学籍"},
    [XJ_REVIEW] = {"疑似已有学籍，待人工核查", "#d68910", "待人工核查"},
    [XJ_INVALID] = {"必填项缺失或数据无效", "#566573", "数据无效"},
    [XJ_POP_MISMATCH] = {"与人口库比对不一致", "#8e44ad", "人口比对不一致"},
    [XJ_ASSIGNED_G] = {"分配G字头学籍号", "#1e8449", "分配G字头"},
    [XJ_ASSIGNED_J] = {"分配J字头学籍号", "#2e86c1", "分配J字头"},
};

/* The letters the script uses for the three conflict decisions. */
static const char slot_letter[3] = {'D', 'R', 'P'};
static const char *const slot_zh[3] = {"重复学籍", "待人工核查", "人口比对不一致"};
static const int slot_decision[3] = {XJ_DUPLICATE, XJ_REVIEW, XJ_POP_MISMATCH};

/* ---- grouping by school ---------------------------------------------------------- */

typedef struct school_ref {
    const char *code;
    uint32_t idx;
} school_ref;

/* School code order, with the rows that name no school last. */
static int cmp_school(const void *a, const void *b)
{
    const school_ref *x = a, *y = b;
    int ex = !x->code[0], ey = !y->code[0];
    if (ex != ey)
        return ex - ey;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* The grouping: sorted schools, and the kept rows in school order, input
 * order within a school (a counting sort, stable by construction). */
typedef struct grouping {
    school_ref *refs;    /* schools in display order */
    size_t *start;       /* first position of each displayed school */
    size_t *order;       /* kept indices in display order */
    const char **region; /* school_region of the school's first row */
} grouping;

static void grouping_free(grouping *g)
{
    free(g->refs);
    free(g->start);
    free(g->order);
    free(g->region);
}

static int group(const xj_report *r, grouping *g)
{
    size_t ns = r->nschools;
    memset(g, 0, sizeof *g);
    g->refs = malloc((ns ? ns : 1) * sizeof *g->refs);
    g->start = malloc((ns + 1) * sizeof *g->start);
    g->order = malloc((r->nkept ? r->nkept : 1) * sizeof *g->order);
    g->region = calloc(ns ? ns : 1, sizeof *g->region);
    size_t *rank = malloc((ns ? ns : 1) * sizeof *rank);
    size_t *cursor = malloc((ns ? ns : 1) * sizeof *cursor);
    if (!g->refs || !g->start || !g->order || !g->region || !rank || !cursor) {
        free(rank);
        free(cursor);
        grouping_free(g);
        return XJ_ERR_NOMEM;
    }
    for (size_t i = 0; i < ns; i++) {
        g->refs[i].code = r->school_names.buf + r->schools[i].name_off;
        g->refs[i].idx = (uint32_t)i;
    }
    qsort(g->refs, ns, sizeof *g->refs, cmp_school);
    size_t pos = 0;
    for (size_t i = 0; i < ns; i++) {
        rank[g->refs[i].idx] = i;
        g->start[i] = pos;
        cursor[i] = pos;
        pos += r->schools[g->refs[i].idx].n;
    }
    g->start[ns] = pos;
    for (size_t k = 0; k < r->nkept; k++)
        g->order[cursor[rank[r->kept[k].school]]++] = k;
    free(rank);
    free(cursor);
    return XJ_OK;
}

/* ---- the data ------------------------------------------------------------------ */

/* Division codes seen in region fields, so that #xj-meta can carry their
 * names (and only theirs): one bit per 6-digit code. */
typedef struct region_set {
    uint8_t *bits;
} region_set;

static void region_note(region_set *rs, const char *v)
{
    if (!rs->bits || strlen(v) != 6 || !xj_is_division_code(v, 6))
        return;
    unsigned code = (unsigned)strtoul(v, NULL, 10);
    rs->bits[code >> 3] |= (uint8_t)(1u << (code & 7));
}

static void json_reason_list(FILE *fp, const uint64_t bits[REASON_WORDS])
{
    fputc('[', fp);
    int sep = 0;
    for (unsigned i = 0; i < XJ_REASON_COUNT; i++)
        if ((bits[i / 64] >> (i % 64)) & 1u) {
            fprintf(fp, sep ? ",%u" : "%u", i);
            sep = 1;
        }
    fputc(']', fp);
}

static void json_row(FILE *fp, const view *w, region_set *rs)
{
    int slot = xj__report_slot(w->decision);
    fprintf(fp, "{\"n\":%llu,\"id\":", (unsigned long long)w->row + 1);
    json_str(fp, w->record_id);
    fputs(",\"nm\":", fp);
    json_str(fp, w->name);
    fprintf(fp, ",\"d\":\"%c\",\"sc\":", slot >= 0 ? slot_letter[slot] : '?');
    if (w->has_score)
        fprintf(fp, "%.2f", w->score);
    else
        fputs("null", fp);
    fputs(",\"m\":", fp);
    json_str(fp, w->matched);
    fputs(",\"rs\":", fp);
    json_reason_list(fp, w->reasons);
    fputs(",\"st\":[", fp);
    int sep = 0;
    for (unsigned s = 0; s < NSTEPS; s++)
        if (w->steps & ((uint32_t)1 << s)) {
            fprintf(fp, sep ? ",%u" : "%u", s);
            sep = 1;
        }
    fputs("],\"h\":[", fp);
    for (unsigned c = 0; c < w->ncols; c++) {
        if (c)
            fputc(',', fp);
        json_str(fp, w->heads[c]);
    }
    fputs("],\"hs\":[", fp);
    for (unsigned c = 0; c < w->ncols; c++) {
        if (c)
            fputc(',', fp);
        if (c && w->kind == KIND_REGISTRY)
            fprintf(fp, "%.2f", w->col_score[c]);
        else
            fputs("null", fp);
    }
    fputs("],\"f\":[", fp);
    sep = 0;
    for (unsigned f = 0; f < NFIELDS; f++) {
        int any = 0;
        for (unsigned c = 0; c < w->ncols; c++)
            any |= w->val[f][c][0] != '\0';
        if (!any)
            continue;
        fprintf(fp, "%s[%u,[", sep ? "," : "", f);
        sep = 1;
        for (unsigned c = 0; c < w->ncols; c++) {
            if (c)
                fputc(',', fp);
            json_str(fp, w->val[f][c]);
            if (f == F_SCHOOL_REGION || f == F_HUKOU)
                region_note(rs, w->val[f][c]);
        }
        fputs("],[", fp);
        for (unsigned c = 0; c < w->ncols; c++)
            fprintf(fp, c ? ",%u" : "%u", c ? w->agree[f][c] : 0u);
        fputs("]]", fp);
    }
    fputs("]}", fp);
}

static void write_chunks(xj_report *r, FILE *fp, const grouping *g, region_set *rs, char *decs)
{
    view w;
    for (size_t i = 0; i < r->nkept; i++) {
        if (i % XJ__CHUNK == 0)
            fprintf(fp, "%s<script type=\"application/json\" id=\"xj-c%zu\">[",
                    i ? "]</script>\n" : "", i / XJ__CHUNK);
        else
            fputs(",\n", fp);
        const kept *k = &r->kept[g->order[i]];
        xj__report_unpack(r->data.buf + k->off, &w);
        int slot = xj__report_slot(w.decision);
        decs[i] = slot >= 0 ? slot_letter[slot] : '?';
        json_row(fp, &w, rs);
        region_note(rs, w.school_region);
    }
    if (r->nkept)
        fputs("]</script>\n", fp);
}

static void write_meta(xj_report *r, FILE *fp, const grouping *g, const region_set *rs,
                       const char *decs)
{
    fprintf(fp, "<script type=\"application/json\" id=\"xj-meta\">{\"chunk\":%d,\"total\":%zu,",
            XJ__CHUNK, r->nkept);
    fprintf(fp, "\"unmasked\":%d,\"decisions\":{", r->o.unmasked ? 1 : 0);
    for (int s = 0; s < 3; s++) {
        fprintf(fp, "%s\"%c\":[\"%s\",", s ? "," : "", slot_letter[s],
                xj_decision_name((xj_decision)slot_decision[s]));
        json_str(fp, slot_zh[s]);
        fputc(']', fp);
    }
    fputs("},\n\"reasons\":[", fp);
    for (unsigned i = 0; i < XJ_REASON_COUNT; i++) {
        fprintf(fp, "%s[\"%s\",", i ? "," : "", xj_reason_code((xj_reason)i));
        json_str(fp, xj_reason_text_zh((xj_reason)i));
        fputc(']', fp);
    }
    fputs("],\n\"steps\":[", fp);
    for (unsigned s = 0; s < NSTEPS; s++) {
        fprintf(fp, "%s[\"%s\",", s ? "," : "", xj__report_step_code(s));
        json_str(fp, xj__report_step_text(s));
        fputc(',', fp);
        json_str(fp, xj__report_step_cite(s));
        fputc(']', fp);
    }
    fputs("],\n\"fields\":[", fp);
    for (unsigned f = 0; f < NFIELDS; f++) {
        fprintf(fp, "%s[\"%s\",", f ? "," : "", xj__report_field_key(f));
        json_str(fp, xj__report_field_label(f));
        fprintf(fp, ",%d]", f == F_SCHOOL_REGION || f == F_HUKOU);
    }
    fputs("],\n\"regions\":{", fp);
    int sep = 0;
    for (unsigned code = 0; rs->bits && code < 1000000u; code++) {
        if (!(rs->bits[code >> 3] & (1u << (code & 7))))
            continue;
        char c6[7];
        snprintf(c6, sizeof c6, "%06u", code);
        const char *name = xj_region_name(c6);
        if (!name)
            continue;
        fprintf(fp, "%s\"%s\":", sep ? "," : "", c6);
        json_str(fp, name);
        sep = 1;
    }
    fputs("},\n\"schools\":[", fp);
    for (size_t i = 0; i < r->nschools; i++) {
        const school *s = &r->schools[g->refs[i].idx];
        fputs(i ? ",\n[" : "[", fp);
        json_str(fp, g->refs[i].code);
        fputc(',', fp);
        json_str(fp, g->region[i] ? g->region[i] : "");
        fprintf(fp, ",%zu,%u,%u,%u,%u]", g->start[i], s->n, s->by[0], s->by[1], s->by[2]);
    }
    fputs("],\n\"dec\":\"", fp);
    fwrite(decs, 1, r->nkept, fp);
    fputs("\"}</script>\n", fp);
}

/* ---- the static part ------------------------------------------------------------ */

static void write_chart(FILE *fp, const xj_report_counts *n)
{
    const unsigned rowh = 26, label = 120, barw = 330, width = 520;
    unsigned height = rowh * XJ_DECISION_COUNT + 10;
    uint64_t max = 1;
    for (int d = 0; d < XJ_DECISION_COUNT; d++)
        if (n->by_decision[d] > max)
            max = n->by_decision[d];
    fprintf(fp,
            "<svg id=\"xj-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" "
            "viewBox=\"0 0 %u %u\" role=\"img\" aria-label=\"各决策数量\" "
            "style=\"font-size:13px\">\n",
            width, height, width, height);
    for (unsigned d = 0; d < XJ_DECISION_COUNT; d++) {
        unsigned y = 5 + d * rowh;
        uint64_t v = n->by_decision[d];
        unsigned w = (unsigned)((double)barw * (double)v / (double)max);
        if (v && w < 2)
            w = 2;
        fprintf(fp,
                "<text x=\"%u\" y=\"%u\" text-anchor=\"end\" "
                "fill=\"#1f2328\"><title>%s</title>%s</text>"
                "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" rx=\"3\" fill=\"%s\"/>"
                "<text x=\"%u\" y=\"%u\" fill=\"#1f2328\">%llu</text>\n",
                label - 8, y + 17, xj_decision_name((xj_decision)d), words[d].shortzh, label, y + 3,
                w, rowh - 8, words[d].color, label + w + 6, y + 17, (unsigned long long)v);
    }
    fputs("</svg>\n", fp);
}

static void write_counts(FILE *fp, const xj_report_counts *n)
{
    fputs("<table class=\"counts\" id=\"xj-counts\"><thead><tr><th>决策</th><th>含义</th>"
          "<th>行数</th><th>占比</th></tr></thead><tbody>\n",
          fp);
    for (unsigned d = 0; d < XJ_DECISION_COUNT; d++) {
        double pct = n->rows ? 100.0 * (double)n->by_decision[d] / (double)n->rows : 0.0;
        int todo = xj__report_slot((int)d) >= 0;
        fprintf(fp,
                "<tr><td><code>%s</code></td><td>%s%s</td><td class=\"n\" "
                "data-decision=\"%s\">%llu</td><td class=\"n\">%.1f%%</td></tr>\n",
                xj_decision_name((xj_decision)d), words[d].zh,
                todo ? "<span class=\"todo\">需处理</span>" : "", xj_decision_name((xj_decision)d),
                (unsigned long long)n->by_decision[d], pct);
    }
    fprintf(fp,
            "<tr class=\"total\"><td colspan=\"2\">合计</td><td class=\"n\" id=\"xj-total-rows\">"
            "%llu</td><td class=\"n\">100%%</td></tr>\n"
            "<tr><td colspan=\"2\">其中需处理的冲突（重复、待核查、人口比对不一致）</td>"
            "<td class=\"n\" id=\"xj-conflicts\">%llu</td><td></td></tr>\n"
            "</tbody></table>\n",
            (unsigned long long)n->rows, (unsigned long long)n->conflicts);
}

static void write_controls(FILE *fp, const xj_report *r)
{
    uint64_t by[3] = {0, 0, 0};
    for (size_t i = 0; i < r->nschools; i++)
        for (int s = 0; s < 3; s++)
            by[s] += r->schools[i].by[s];
    fputs("<div class=\"controls\" id=\"xj-controls\" hidden>\n<span>决策：", fp);
    for (int s = 0; s < 3; s++)
        fprintf(fp,
                "<label><input type=\"checkbox\" data-dec=\"%c\" checked> %s %s（%llu）</label> ",
                slot_letter[s], xj_decision_name((xj_decision)slot_decision[s]), slot_zh[s],
                (unsigned long long)by[s]);
    fprintf(fp,
            "</span>\n<label>学校：<select id=\"xj-school\"><option value=\"-1\">全部学校（%zu 所）"
            "</option></select></label>\n"
            "<label>学校排序：<select id=\"xj-sort\"><option value=\"code\">按学校标识码</option>"
            "<option value=\"count\">按冲突数（多→少）</option></select></label>\n"
            "<label>每页：<select id=\"xj-size\"><option>20</option><option selected>50</option>"
            "<option>100</option><option>200</option></select> 条</label>\n"
            "<button type=\"button\" id=\"xj-expand\">展开全部学校</button>"
            "<button type=\"button\" id=\"xj-collapse\">收起全部学校</button>\n</div>\n",
            r->nschools);
}

static void write_pager(FILE *fp)
{
    fputs("<div class=\"pager\"><button type=\"button\" class=\"first\">« 首页</button>"
          "<button type=\"button\" class=\"prev\">‹ 上一页</button><span class=\"info\"></span>"
          "<button type=\"button\" class=\"next\">下一页 ›</button>"
          "<button type=\"button\" class=\"last\">末页 »</button></div>\n",
          fp);
}

int xj__report_write_html(xj_report *r, const xj_batch_stats *st)
{
    FILE *fp = r->html;
    grouping g;
    if (group(r, &g) != XJ_OK) {
        xj__report_fail(r, XJ_ERR_NOMEM, "out of memory writing the report");
        return r->status;
    }
    region_set rs = {calloc(1000000 / 8 + 1, 1)};
    char *decs = malloc(r->nkept + 1);
    if (!rs.bits || !decs) {
        free(rs.bits);
        free(decs);
        grouping_free(&g);
        xj__report_fail(r, XJ_ERR_NOMEM, "out of memory writing the report");
        return r->status;
    }
    /* The region each school sits in, shown in its group heading: taken from
     * its first row. */
    for (size_t i = 0; i < r->nschools; i++) {
        if (g.start[i] == g.start[i + 1])
            continue;
        view w;
        xj__report_unpack(r->data.buf + r->kept[g.order[g.start[i]]].off, &w);
        g.region[i] = w.school_region;
    }

    const xj_report_counts *n = &r->counts;
    char when[64];
    struct tm tm;
    localtime_r(&r->o.now, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    char batch[VALUE_MAX + 8];
    xj__report_clean(batch, sizeof batch, r->batch_path, strlen(r->batch_path), !r->o.unmasked);

    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
          "<title>学籍查重冲突核查报告</title>\n<style>",
          fp);
    fputs(xj__report_css, fp);
    fputs("</style>\n</head>\n<body>\n<main>\n<h1>学籍查重冲突核查报告</h1>\n<p class=\"meta\">"
          "<span>批次文件：<b id=\"xj-batch\">",
          fp);
    html_text(fp, batch[0] ? batch : "（标准输入）");
    fprintf(fp, "</b></span><span>生成时间：%s</span>", when);
    if (st)
        fprintf(fp, "<span>检查用时：%.1f 秒</span>", st->seconds);
    fputs("<span>xueji " XJ_VERSION_STRING "</span></p>\n", fp);
    if (r->o.unmasked)
        fputs("<div class=\"banner unmasked\" id=\"xj-masking\" data-masked=\"0\">本报告含未脱敏的"
              "身份证号和监护人身份证号（--unmasked），已记入审计日志。请严格保密，不得外传、"
              "不得打印留存（001 第二十四条；002 三（二））。</div>\n",
              fp);
    else
        fputs(
            "<div class=\"banner masked\" id=\"xj-masking\" data-masked=\"1\">身份证号已脱敏（保留"
            "前6位行政区划代码和后4位，如 110105********002X），学籍号中的身份证号部分同样脱敏（"
            "G110105********002X），监护人身份证号不显示，只标出是否一致（001 第二十四条）。"
            "</div>\n",
            fp);
    if (n->left_out)
        fprintf(fp,
                "<div class=\"banner cap\" id=\"xj-left-out\" data-left-out=\"%llu\">冲突共 %llu "
                "条，超过报告容量：本报告按输入顺序列出前 %llu 条，其余 %llu 条（重复 %llu、待核查 "
                "%llu、人口比对不一致 %llu）见冲突清单 CSV（--conflicts）。</div>\n",
                (unsigned long long)n->left_out, (unsigned long long)n->conflicts,
                (unsigned long long)n->kept, (unsigned long long)n->left_out,
                (unsigned long long)r->left_out_by[0], (unsigned long long)r->left_out_by[1],
                (unsigned long long)r->left_out_by[2]);

    fputs("<h2>汇总</h2>\n<div class=\"summary\">\n<div class=\"card\">\n", fp);
    write_counts(fp, n);
    fputs("</div>\n<div class=\"card\">\n", fp);
    write_chart(fp, n);
    fputs("</div>\n</div>\n", fp);

    fprintf(fp,
            "<h2 id=\"xj-list\">冲突清单（按学校分组，共 %zu 所学校）</h2>\n"
            "<p class=\"legend\">图例：<span style=\"background:#fde2e1\">≠ 与本批记录不同</span>"
            "<span style=\"background:#e6f4ea\">与本批记录相同</span>"
            "<span style=\"background:#fff4ce\">学籍或户籍状态需注意</span>"
            "<span>— 未填写</span></p>\n",
            r->nschools);
    write_controls(fp, r);
    write_pager(fp);
    fputs("<noscript><p class=\"empty\">逐条冲突由页面内嵌的脚本显示，请在浏览器中启用 JavaScript"
          "（无需联网）；上方汇总统计不受影响。</p></noscript>\n<div id=\"xj-app\"></div>\n",
          fp);
    write_pager(fp);
    fputs(
        "<footer><p>下一步中的依据：000 =《中小学生学籍管理相关问题处理办法》；001 =《中小学生学籍"
        "管理办法》；002 =《关于进一步规范中小学学籍管理工作的通知》（西教体函发〔2020〕154号）。"
        "</"
        "p><p>本报告含学生个人信息，仅供学籍管理工作使用；除法律法规明确规定或经批准外不得向外提供"
        "（001 第二十四条）。</p></footer>\n</main>\n",
        fp);

    write_chunks(r, fp, &g, &rs, decs);
    write_meta(r, fp, &g, &rs, decs);
    fputs("<script>", fp);
    fputs(xj__report_js, fp);
    fputs("</script>\n</body>\n</html>\n", fp);

    free(rs.bits);
    free(decs);
    grouping_free(&g);
    if (ferror(fp))
        xj__report_fail(r, XJ_ERR_IO, "cannot write %s", r->html_path);
    return r->status;
}
