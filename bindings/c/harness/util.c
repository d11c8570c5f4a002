/*
 * util.c — strings, files, dotted JSON paths and kubectl's error wording for ks-harness.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* ---- sbuf ---- */

static void sbuf_reserve(sbuf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        fputs("ks-harness: out of memory\n", stderr);
        exit(2);
    }
    b->data = p;
    b->cap = cap;
}

void sbuf_appendn(sbuf *b, const char *s, size_t n)
{
    sbuf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sbuf_append(sbuf *b, const char *s)
{
    sbuf_appendn(b, s, strlen(s));
}

void sbuf_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    sbuf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *sbuf_str(const sbuf *b)
{
    return b->data ? b->data : "";
}

void sbuf_free(sbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- files ---- */

char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    sbuf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sbuf_appendn(&b, chunk, n);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        sbuf_free(&b);
        errno = EIO;
        return NULL;
    }
    if (!b.data)
        sbuf_append(&b, "");
    return b.data;
}

char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

char *path_in(const char *dir, const char *rel)
{
    if (rel[0] == '/' || !dir || !dir[0])
        return strdup(rel);
    sbuf b = {0};
    sbuf_printf(&b, "%s/%s", dir, rel);
    return b.data;
}

/* ---- dotted paths ---- */

static json_t *resolve(const json_t *v, const char *path, size_t len)
{
    if (len == 0)
        return (json_t *)v;
    if (json_is_object(v)) {
        /* Longest key first: "metadata.labels.app.kubernetes.io/name". */
        for (size_t cut = len; cut > 0; cut--) {
            if (cut != len && path[cut] != '.')
                continue;
            json_t *child = json_object_getn(v, path, cut);
            if (!child)
                continue;
            size_t rest = cut == len ? 0 : len - cut - 1;
            json_t *found = resolve(child, path + len - rest, rest);
            if (found)
                return found;
        }
        return NULL;
    }
    if (json_is_array(v)) {
        size_t seg = 0;
        while (seg < len && path[seg] != '.')
            seg++;
        if (seg == 0 || seg > 9)
            return NULL;
        size_t index = 0;
        for (size_t i = 0; i < seg; i++) {
            if (!isdigit((unsigned char)path[i]))
                return NULL;
            index = index * 10 + (size_t)(path[i] - '0');
        }
        json_t *child = json_array_get(v, index);
        if (!child)
            return NULL;
        size_t rest = seg == len ? 0 : len - seg - 1;
        return resolve(child, path + len - rest, rest);
    }
    return NULL;
}

json_t *json_path(const json_t *v, const char *path)
{
    /* "a[0].b" is written "a.0.b" internally. */
    sbuf norm = {0};
    for (const char *p = path; *p; p++) {
        if (*p == '[') {
            if (norm.len > 0)
                sbuf_append(&norm, ".");
        } else if (*p != ']') {
            sbuf_appendn(&norm, p, 1);
        }
    }
    json_t *found = resolve(v, sbuf_str(&norm), norm.len);
    sbuf_free(&norm);
    return found;
}

int json_matches(const json_t *v, const json_t *want, sbuf *why)
{
    const char *path;
    json_t *expected;
    json_object_foreach((json_t *)want, path, expected) {
        json_t *actual = json_path(v, path);
        int same = actual ? json_equal(actual, expected) : json_is_null(expected);
        if (!same) {
            if (why) {
                char *a = actual ? dump_compact(actual) : strdup("<absent>");
                char *e = dump_compact(expected);
                sbuf_printf(why, "%s is %s, want %s", path, a, e);
                free(a);
                free(e);
            }
            return 0;
        }
    }
    return 1;
}

char *dump_pretty(const json_t *v)
{
    char *s = json_dumps(v, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_ENCODE_ANY);
    return s ? s : strdup("");
}

char *dump_compact(const json_t *v)
{
    char *s = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
    return s ? s : strdup("");
}

/* ---- Status errors, worded as kubectl prints them ---- */

static const char *str_or(const json_t *v, const char *fallback)
{
    const char *s = json_string_value(v);
    return s ? s : fallback;
}

/* kubectl's CheckErr (staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go): Invalid errors
 * print "The <Kind> "<name>" is invalid: <field>: <message>" (several causes one per line
 * after "* "), any other Status "Error from server (<Reason>): <message>". */
char *status_text(const json_t *status)
{
    sbuf b = {0};
    const char *reason = str_or(json_object_get(status, "reason"), "");
    const char *message = str_or(json_object_get(status, "message"), "");
    if (strcmp(reason, "Invalid") == 0) {
        const json_t *details = json_object_get(status, "details");
        const char *kind = str_or(json_object_get(details, "kind"), "");
        const char *name = str_or(json_object_get(details, "name"), "");
        const json_t *causes = json_object_get(details, "causes");
        sbuf prefix = {0};
        if (kind[0] || name[0])
            sbuf_printf(&prefix, "The %s \"%s\" is invalid", kind, name);
        else
            sbuf_append(&prefix, "The request is invalid");

        /* Unique "field: message" lines, in order (utilerrors drops duplicates). */
        sbuf lines[64];
        size_t n = 0;
        size_t i;
        const json_t *cause;
        json_array_foreach(causes, i, cause) {
            sbuf line = {0};
            const char *field = str_or(json_object_get(cause, "field"), "");
            const char *msg = str_or(json_object_get(cause, "message"), "");
            sbuf_printf(&line, "%s: %s", field, msg);
            int dup = 0;
            for (size_t j = 0; j < n; j++)
                dup |= strcmp(sbuf_str(&lines[j]), sbuf_str(&line)) == 0;
            if (dup || n == sizeof lines / sizeof lines[0])
                sbuf_free(&line);
            else
                lines[n++] = line;
        }
        if (n == 0) {
            sbuf_append(&b, sbuf_str(&prefix));
        } else if (n == 1) {
            sbuf_printf(&b, "%s: %s", sbuf_str(&prefix), sbuf_str(&lines[0]));
        } else {
            sbuf_printf(&b, "%s: ", sbuf_str(&prefix));
            for (size_t j = 0; j < n; j++)
                sbuf_printf(&b, "\n* %s", sbuf_str(&lines[j]));
        }
        for (size_t j = 0; j < n; j++)
            sbuf_free(&lines[j]);
        sbuf_free(&prefix);
    } else if (reason[0]) {
        sbuf_printf(&b, "Error from server (%s): %s", reason, message);
    } else {
        sbuf_printf(&b, "Error from server: %s", message);
    }
    return b.data;
}

const json_t *find_status(const json_t *result)
{
    if (!json_is_object(result))
        return NULL;
    if (strcmp(str_or(json_object_get(result, "kind"), ""), "Status") == 0)
        return result;
    size_t i;
    const json_t *item;
    json_array_foreach(json_object_get(result, "items"), i, item) {
        const json_t *err = json_object_get(item, "error");
        if (json_is_object(err))
            return err;
    }
    return NULL;
}

void print_block(FILE *f, const char *text)
{
    if (!text || !text[0])
        return;
    fputs(text, f);
    if (text[strlen(text) - 1] != '\n')
        fputc('\n', f);
}

/* ---- result codes ---- */

static const struct {
    int rc;
    const char *name;
} rc_names[] = {
    {KS_OK, "KS_OK"},
    {KS_EINVAL, "KS_EINVAL"},
    {KS_ENOTFOUND, "KS_ENOTFOUND"},
    {KS_EEXISTS, "KS_EEXISTS"},
    {KS_ECONFLICT, "KS_ECONFLICT"},
    {KS_EINVALID, "KS_EINVALID"},
    {KS_EGONE, "KS_EGONE"},
    {KS_EUNAVAILABLE, "KS_EUNAVAILABLE"},
    {KS_EINTERNAL, "KS_EINTERNAL"},
    {KS_ENOTALLOWED, "KS_ENOTALLOWED"},
    {KS_ETOOMANY, "KS_ETOOMANY"},
};

const char *rc_name(int rc)
{
    for (size_t i = 0; i < sizeof rc_names / sizeof rc_names[0]; i++)
        if (rc_names[i].rc == rc)
            return rc_names[i].name;
    return "KS_E?";
}

int rc_parse(const json_t *v, int *rc)
{
    if (json_is_integer(v)) {
        *rc = (int)json_integer_value(v);
        return 0;
    }
    const char *s = json_string_value(v);
    if (!s)
        return -1;
    for (size_t i = 0; i < sizeof rc_names / sizeof rc_names[0]; i++) {
        if (strcmp(rc_names[i].name, s) == 0) {
            *rc = rc_names[i].rc;
            return 0;
        }
    }
    return -1;
}

/* ---- time ---- */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

int rfc3339_seconds(const char *s, long long *out)
{
    int y, mo, d, h, mi, sec, n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6)
        return -1;
    const char *p = s + n;
    if (*p == '.')
        for (p++; isdigit((unsigned char)*p); p++) {
        }
    long long offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2)
            return -1;
        offset = (oh * 3600LL + om * 60LL) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return -1;
    }
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    *out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400LL + h * 3600LL + mi * 60LL + sec - offset;
    return 0;
}
