/*
 * status.c: messages and names of the xj_status codes, generated from the one
 * X-macro in xj/common.h so that a code can never lack its message.
 */
#include "xj/common.h"

const char *xj_strerror(int status)
{
    switch (status) {
#define XJ__STATUS_MSG(name, value, msg)                                                           \
    case value:                                                                                    \
        return msg;
        XJ_STATUS_LIST(XJ__STATUS_MSG)
#undef XJ__STATUS_MSG
    }
    return "unknown status";
}

const char *xj_status_name(int status)
{
    switch (status) {
#define XJ__STATUS_NAME(name, value, msg)                                                          \
    case value:                                                                                    \
        return #name;
        XJ_STATUS_LIST(XJ__STATUS_NAME)
#undef XJ__STATUS_NAME
    }
    return "XJ_ERR_UNKNOWN";
}
