/*
 * csv_write.c: the writers behind every results file and JSON line.  Output
 * must always parse, whatever the input held, so both writers escape
 * defensively instead of trusting their callers.
 */
#include <string.h>

#include "xj/common.h"

void xj_csv_put_field(FILE *fp, const char *s, size_t len)
{
    int quote = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ',' || c == '"' || c == '\n' || c == '\r') {
            quote = 1;
            break;
        }
    }
    if (!quote) {
        fwrite(s, 1, len, fp);
        return;
    }
    fputc('"', fp);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            fputc('"', fp);
        fputc(s[i], fp);
    }
    fputc('"', fp);
}

void xj_json_put_string(FILE *fp, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    fputc('"', fp);
    size_t i = 0;
    while (i < len) {
        unsigned c = u[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            fputc((int)c, fp);
            i++;
            continue;
        }
        if (c < 0x80) {
            switch (c) {
            case '"':
                fputs("\\\"", fp);
                break;
            case '\\':
                fputs("\\\\", fp);
                break;
            case '\n':
                fputs("\\n", fp);
                break;
            case '\r':
                fputs("\\r", fp);
                break;
            case '\t':
                fputs("\\t", fp);
                break;
            default:
                fprintf(fp, "\\u%04x", c);
            }
            i++;
            continue;
        }
        size_t adv;
        if (xj_utf8_decode(u + i, len - i, &adv) < 0)
            fputs("\xEF\xBF\xBD", fp);
        else
            fwrite(u + i, 1, adv, fp);
        i += adv;
    }
    fputc('"', fp);
}
