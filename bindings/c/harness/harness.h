/*
 * harness.h — internals of ks-harness, the scenario runner for libkubesim.
 * The scenario format is described in bindings/c/README.md.
 */
#ifndef KS_HARNESS_H
#define KS_HARNESS_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "kubesim.h"

/* ---- sbuf: a growable NUL-terminated string (util.c) ---- */

typedef struct {
    char *data; /* always NUL-terminated once anything was appended; NULL before */
    size_t len;
    size_t cap;
} sbuf;

void sbuf_append(sbuf *b, const char *s);
void sbuf_appendn(sbuf *b, const char *s, size_t n);
void sbuf_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *sbuf_str(const sbuf *b); /* "" when empty */
void sbuf_free(sbuf *b);

/* ---- helpers (util.c) ---- */

/* Reads a whole file; NULL (and errno set) on failure. */
char *read_file(const char *path);
/* Directory part of a path ("." when there is none); malloc'd. */
char *dir_of(const char *path);
/* rel resolved against dir unless it is absolute; malloc'd. */
char *path_in(const char *dir, const char *rel);

/* Resolves a dotted path ("status.phase", "spec.containers.0.image", "a[0].b") in v.
 * At an object the longest key that matches wins, so label keys containing dots
 * ("metadata.labels.app.kubernetes.io/name") resolve too. NULL when absent. */
json_t *json_path(const json_t *v, const char *path);
/* Every (path, expected) pair of `want` equals the value at path in v (expected null also
 * matches an absent path). On mismatch *why (if non-NULL) describes the first one. */
int json_matches(const json_t *v, const json_t *want, sbuf *why);

/* JSON_SORT_KEYS|JSON_INDENT(2) and a sorted compact form; malloc'd ("" on failure). */
char *dump_pretty(const json_t *v);
char *dump_compact(const json_t *v);

/* The text kubectl prints for a Status error (no trailing newline); malloc'd. */
char *status_text(const json_t *status);
/* The Status inside a library result: the result itself when it is a Status, else the
 * first items[].error (ks_apply). NULL when there is none. */
const json_t *find_status(const json_t *result);

/* Prints text followed by a newline unless it already ends with one; nothing if empty. */
void print_block(FILE *f, const char *text);

/* "KS_EINVAL" for -1 and so on; "KS_E?" for codes this header does not know. */
const char *rc_name(int rc);
/* Parses "KS_EINVAL" (or a number) into a code; returns 0 on success. */
int rc_parse(const json_t *v, int *rc);

/* Parses an RFC 3339 timestamp into seconds since the Unix epoch (fraction dropped). */
int rfc3339_seconds(const char *s, long long *out);

/* ---- the harness state ---- */

typedef struct {
    char *name;
    char *cursor; /* events cursor at the mark */
    long long now_seconds; /* virtual time at the mark */
} mark;

typedef struct {
    ks_cluster *cluster;
    char *base_dir; /* scenario file's directory: manifests are relative to it */
    int quiet;
    int step_no; /* 1-based index of the step being run */
    char *events_cursor; /* where the next {"events": {}} step starts */
    mark *marks;
    size_t n_marks;
} harness;

const mark *harness_mark(const harness *h, const char *name);

/* ---- actions (actions.c): the steps that call the library ---- */

typedef enum {
    ACT_APPLY,
    ACT_RUN,
    ACT_KUBECTL,
    ACT_NODE,
    ACT_REST,
    ACT_EVENTS
} action_kind;

typedef struct {
    action_kind kind;
    int rc; /* what the library returned */
    char *raw; /* the library's buffer (ks_free) */
    json_t *result; /* raw parsed; NULL if raw was NULL */
    char *header; /* line printed before the output ("$ kubectl ..."), or NULL */
    const char *label; /* the library call, e.g. "ks_get" */
} action_result;

/* The step's action key ("apply", "get", ...) if it has one, else NULL. */
const char *action_key(const json_t *step);
/* Runs the action of a step. Returns 0 when the library was called (whatever it
 * answered), -1 when the step is malformed or the library's answer unusable (*why set). */
int action_perform(harness *h, const json_t *step, action_result *out, sbuf *why);
void action_print(const action_result *r);
void action_result_free(action_result *r);

/* ---- expectations (expect.c) ---- */

/* Returns 1 when the expectation holds, 0 when not (*why says why). */
int expect_run(harness *h, const json_t *spec, sbuf *why);

#endif /* KS_HARNESS_H */
