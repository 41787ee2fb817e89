/*
 * xj/report.h: the conflict review report of a batch check.
 *
 * After each batch someone at the county or province must settle what the
 * engine could not settle alone.  This layer turns the verdicts of a batch
 * into that work list:
 *
 *  - an HTML file (`xueji check --report REVIEW.html`): one self-contained
 *    page (no network, no external script, style or font) with the counts of
 *    every decision and a chart, then each DUPLICATE, REVIEW and POP_MISMATCH
 *    row grouped by school, side by side with its registry candidates or its
 *    population record, differing fields highlighted, the reason codes
 *    spelled out in Chinese, the score and the next step the policy texts
 *    prescribe;
 *  - a conflicts CSV (`--conflicts FILE.csv`): one row per conflict and
 *    candidate with the per-field comparison, for loading into other tools.
 *
 * Workload: a monthly batch of up to a few million rows, of which a few per
 * cent are conflicts.  Every row is counted; only conflict rows are kept, in
 * a compact copy (never the xj_verdict itself), up to a row cap and a byte
 * cap, so that memory stays bounded whatever the batch.  The CSV is streamed
 * row by row and is always complete; the HTML is written at finish, grouped
 * by school (in school code order, input order within a school), with its
 * data embedded as JSON in chunks that a small inline script renders a page
 * at a time, so that a report of 10,000+ conflicts opens in a browser at once.
 *
 * Personal data (policy/001 第二十四条: data leaving the registry is masked):
 * unless unmasked is set, every resident ID is masked as xj_idcard_mask()
 * does (110105********002X), the 18 characters after the letter of a G, J or
 * L student number likewise (G110105********002X), guardian IDs are not shown
 * at all (only whether they agree), and every run of 15 or more digits in any
 * other value (a record_id that is an ID, a name typed as digits) is masked
 * the same way.  With unmasked set, every value is shown as it is and one
 * line per file written is appended to the audit log (time, user, batch,
 * "unmasked report written to PATH"; never an ID).
 *
 * Files are written beside their final names (PATH.partial) and renamed into
 * place by xj_report_finish(), so that a failed check leaves no report.
 *
 * Threading: a report is used by one thread at a time (the engine calls
 * on_row from the thread that writes the results, in input order).
 */
#ifndef XJ_REPORT_H
#define XJ_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "xj/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Conflict rows kept for the HTML when the caller sets no cap.  At about
 * 1 KiB of HTML-embedded data per conflict this keeps the file near 200 MB
 * at worst; the CSV holds every conflict whatever the cap. */
#define XJ_REPORT_DEFAULT_MAX_ROWS  200000u
/* Bytes of kept conflict data when the caller sets no cap. */
#define XJ_REPORT_DEFAULT_MAX_BYTES ((size_t)256 << 20)

typedef struct xj_report_options {
    const char *html_path;      /* the HTML report, or NULL for none */
    const char *conflicts_path; /* the conflicts CSV, or NULL for none */
    int unmasked;               /* 1: show IDs and guardian IDs in full (audited) */
    const char *audit_log;      /* append-only log for unmasked output; required
                                   when unmasked (the CLI uses <db>/audit.log) */
    const char *user;           /* who ran the check, for the audit line; NULL = $USER */
    const char *batch_path;     /* the batch file, shown in the report and the audit line */
    size_t max_rows;            /* conflict rows kept for the HTML; 0 = the default */
    size_t max_bytes;           /* bytes of kept conflict data; 0 = the default */
    time_t now;                 /* the time printed in the report; 0 = time(NULL) */
} xj_report_options;

/* Fills *o with the defaults: no files, masked, default caps. */
void xj_report_options_init(xj_report_options *o);

typedef struct xj_report xj_report;

/* Starts a report: creates PATH.partial for each file asked for (so that an
 * unwritable path fails before the batch is judged) and writes the CSV
 * header.
 * @param o  borrowed for the call only: every string is copied.
 * @param[out] out  the report; free it with xj_report_free().  On failure
 *                  *out is still set when memory allowed, so that
 *                  xj_report_errmsg() can say why.
 * @return XJ_OK, XJ_ERR_ARG (no file asked for, or unmasked without an audit
 *         log), XJ_ERR_IO (a file cannot be created), XJ_ERR_NOMEM. */
int xj_report_open(const xj_report_options *o, xj_report **out);

/* Takes one judged row: counts it, and when it is a conflict (DUPLICATE,
 * REVIEW, POP_MISMATCH) writes its CSV rows and keeps a compact copy for the
 * HTML (unless a cap is reached: then it is counted as left out).  in and v
 * are borrowed for the call only.  Rows must come in input order.  A failure
 * (memory, a write error) is remembered and returned by xj_report_finish(). */
void xj_report_row(xj_report *r, uint64_t row, const xj_input *in, const xj_verdict *v);

/* The same, with the signature of xj_batch_options.on_row: set
 * opts.on_row = xj_report_on_row and opts.user = the report. */
void xj_report_on_row(void *user, uint64_t row, const xj_input *in, const xj_verdict *v);

/* Writes the HTML, closes the files, appends the audit lines (unmasked) and
 * renames everything into place.
 * @param st  the batch statistics (for the time taken), or NULL.
 * @return XJ_OK, or the first failure: XJ_ERR_NOMEM, XJ_ERR_IO (then no file
 *         is left under its final name). */
int xj_report_finish(xj_report *r, const xj_batch_stats *st);

/* Rows counted per decision so far; conflict rows kept for the HTML and
 * left out by a cap. */
typedef struct xj_report_counts {
    uint64_t rows;
    uint64_t by_decision[XJ_DECISION_COUNT];
    uint64_t conflicts; /* DUPLICATE + REVIEW + POP_MISMATCH */
    uint64_t kept;      /* conflicts kept for the HTML */
    uint64_t left_out;  /* conflicts beyond a cap (still in the CSV) */
    uint64_t csv_rows;  /* data rows written to the conflicts CSV */
    size_t bytes;       /* bytes held by the kept conflicts */
} xj_report_counts;

void xj_report_get_counts(const xj_report *r, xj_report_counts *out);

/* The message of the first failure ("" when none); borrowed, valid while the
 * report lives. */
const char *xj_report_errmsg(const xj_report *r);

/* Frees the report; accepts NULL.  Without a successful finish it removes
 * the .partial files, so that nothing half-written is left behind. */
void xj_report_free(xj_report *r);

/* Writes the masked form of a student number or a resident ID into out
 * (len+1 bytes): a G, J or L number keeps its letter and masks the 18
 * characters after it as xj_idcard_mask() does; anything else is masked by
 * xj_idcard_mask().  Returns out. */
char *xj_report_mask_number(const char *s, size_t len, char *out);

#ifdef __cplusplus
}
#endif
#endif /* XJ_REPORT_H */
