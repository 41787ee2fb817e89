/*
 * service_int.h: what the files of the service module share and nobody
 * else needs.
 *
 *   mask.c      scopes, masked names and numbers, audit scrubbing
 *   json_out.c  verdicts, records and errors as JSON
 *   json_in.c   the body of POST /v1/check as an xj_input
 *   tokens.c    the --tokens file and constant-time token lookup
 *   audit.c     the append-only audit log
 *   server.c    the HTTP server (libmicrohttpd)
 */
#ifndef XJ_SERVICE_INT_H
#define XJ_SERVICE_INT_H

#include "xj/service.h"

/* Runs of ID characters at least this long are masked in audit text: a
 * legacy 15-digit ID is the shortest ID there is. */
#define XJ_SCRUB_MIN_RUN 15

/* The longest field value a request may carry, as a CSV field may
 * (XJ_CSV_FIELD_MAX). */
#define XJ_SERVICE_FIELD_MAX XJ_CSV_FIELD_MAX

/* Writes the masked form of a NUL-terminated ID (xj_idcard_mask) into out,
 * cut at cap. */
void xj__service_mask_id(const char *id, char *out, size_t cap);

/* Copies a student number into out, masking the ID inside a G number. */
void xj__service_mask_number(const char *number, char out[20]);

#endif
