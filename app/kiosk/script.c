#include "script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "utf8.h"

#define SCRIPT_MAX_FILE (1024u * 1024u)
#define SCRIPT_MAX_COORD 100000.0f
#define SCRIPT_MAX_MS (24 * 3600 * 1000)

/* Reads up to n numbers from p; returns how many were read and where it stopped. */
static int read_numbers(const char **p, float *out, int n)
{
    int got = 0;
    while (got < n) {
        while (**p == ' ' || **p == '\t')
            (*p)++;
        char *end;
        float v = strtof(*p, &end);
        if (end == *p)
            break;
        out[got++] = v;
        *p = end;
    }
    return got;
}

static int rest_is_blank(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    return *p == '\0';
}

static int parse_line(char *line, int lineno, script_step *st, char *err, size_t errcap)
{
    static const struct {
        const char *name;
        script_op op;
        int min, max; /* numbers expected */
    } ops[] = {
        {"tap", SCRIPT_TAP, 2, 2},         {"longpress", SCRIPT_LONGPRESS, 2, 3},
        {"drag", SCRIPT_DRAG, 4, 5},       {"wait", SCRIPT_WAIT, 1, 1},
        {"type", SCRIPT_TYPE, 0, 0},       {"key", SCRIPT_KEY, 0, 0},
        {"open", SCRIPT_OPEN, 0, 0},       {"tapon", SCRIPT_TAPON, 0, 0},
        {"resize", SCRIPT_RESIZE, 2, 2},   {"hold2", SCRIPT_HOLD2, 4, 5},
        {"audio", SCRIPT_AUDIO, 0, 0},
    };
    char *p = line;
    size_t wlen = strcspn(p, " \t\r");
    memset(st, 0, sizeof *st);
    st->line = lineno;
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        if (strlen(ops[i].name) != wlen || strncmp(ops[i].name, p, wlen) != 0)
            continue;
        st->op = ops[i].op;
        p += wlen;
        if (ops[i].max == 0) {
            while (*p == ' ' || *p == '\t')
                p++;
            size_t n = strcspn(p, "\r");
            if (n == 0 || n >= SCRIPT_MAX_TEXT || !utf8_valid(p, n, NULL)) {
                snprintf(err, errcap, "line %d: '%s' needs a text of 1..%d bytes of UTF-8", lineno,
                         ops[i].name, SCRIPT_MAX_TEXT - 1);
                return -1;
            }
            memcpy(st->text, p, n);
            st->text[n] = '\0';
            if (st->op == SCRIPT_AUDIO && strcmp(st->text, "added") && strcmp(st->text, "removed")) {
                snprintf(err, errcap, "line %d: 'audio' takes added or removed", lineno);
                return -1;
            }
            return 0;
        }
        float v[5] = {0};
        int got = read_numbers((const char **)&p, v, ops[i].max);
        if (got < ops[i].min || !rest_is_blank(p)) {
            snprintf(err, errcap, "line %d: '%s' takes %d%s numbers", lineno, ops[i].name, ops[i].min,
                     ops[i].max > ops[i].min ? " or more" : "");
            return -1;
        }
        for (int k = 0; k < got; k++) {
            if (!(v[k] >= 0 && v[k] <= SCRIPT_MAX_COORD) && !(st->op == SCRIPT_WAIT && v[k] >= 0 &&
                                                              v[k] <= SCRIPT_MAX_MS)) {
                snprintf(err, errcap, "line %d: number %g out of range", lineno, v[k]);
                return -1;
            }
        }
        switch (st->op) {
        case SCRIPT_WAIT:
            st->ms = (int)v[0];
            break;
        case SCRIPT_LONGPRESS:
            st->x1 = v[0], st->y1 = v[1];
            st->ms = got == 3 ? (int)v[2] : 1200;
            break;
        case SCRIPT_HOLD2:
            st->x1 = v[0], st->y1 = v[1], st->x2 = v[2], st->y2 = v[3];
            st->ms = got == 5 ? (int)v[4] : 2500;
            break;
        case SCRIPT_DRAG:
            st->x1 = v[0], st->y1 = v[1], st->x2 = v[2], st->y2 = v[3];
            st->ms = got == 5 ? (int)v[4] : 300;
            if (st->ms < 1)
                st->ms = 1;
            break;
        default:
            st->x1 = v[0], st->y1 = v[1];
            break;
        }
        return 0;
    }
    snprintf(err, errcap, "line %d: unknown command '%.*s'", lineno, (int)(wlen > 40 ? 40 : wlen), p);
    return -1;
}

int script_parse(const char *text, size_t len, script *out, char *err, size_t errcap)
{
    out->steps = NULL;
    out->n = 0;
    char *copy = strndup(text, len); /* stops at a NUL inside the text */
    if (!copy) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    if (strlen(copy) != len) {
        snprintf(err, errcap, "line %d: NUL byte in script", utf8_line_of(copy, strlen(copy)));
        goto fail;
    }
    out->steps = calloc(SCRIPT_MAX_STEPS, sizeof *out->steps);
    if (!out->steps) {
        snprintf(err, errcap, "out of memory");
        goto fail;
    }
    int lineno = 0;
    for (char *line = copy, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        while (*line == ' ' || *line == '\t')
            line++;
        if (*line == '#' || rest_is_blank(line))
            continue;
        if (out->n == SCRIPT_MAX_STEPS) {
            snprintf(err, errcap, "line %d: more than %d steps", lineno, SCRIPT_MAX_STEPS);
            goto fail;
        }
        if (parse_line(line, lineno, &out->steps[out->n], err, errcap) < 0)
            goto fail;
        out->n++;
    }
    free(copy);
    return 0;
fail:
    free(copy);
    script_free(out);
    return -1;
}

int script_load(const char *path, script *out, char *err, size_t errcap)
{
    char *text;
    size_t len;
    if (platform_read_file(path, SCRIPT_MAX_FILE, &text, &len, err, errcap) < 0)
        return -1;
    int rc = script_parse(text, len, out, err, errcap);
    free(text);
    return rc;
}

void script_free(script *s)
{
    free(s->steps);
    s->steps = NULL;
    s->n = 0;
}
