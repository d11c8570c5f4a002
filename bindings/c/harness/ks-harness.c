/*
 * ks-harness — runs a kubesim scenario file and prints what a kubectl user would see.
 *
 *   ks-harness [--quiet] [--state] scenario.json
 *
 * The scenario format is described in bindings/c/README.md. Exit status: 0 when every
 * step ran and every expectation held, 1 otherwise, 2 for usage errors, an unreadable
 * scenario, a cluster that could not be created, or a header/library version mismatch.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "harness.h"

static void usage(FILE *f)
{
    fputs("usage: ks-harness [--quiet] [--state] scenario.json\n"
          "  --quiet  print only failed expectations and the summary line\n"
          "  --state  print ks_state's JSON on a last line of its own\n",
          f);
}

const mark *harness_mark(const harness *h, const char *name)
{
    for (size_t i = h->n_marks; i > 0; i--)
        if (strcmp(h->marks[i - 1].name, name) == 0)
            return &h->marks[i - 1];
    return NULL;
}

/* {"mark": "name"}: remembers the events cursor and the virtual time now, so later
 * expectations can look only at what happened since ("since", "created_after"). */
static int do_mark(harness *h, const json_t *step, sbuf *why)
{
    const char *name = json_string_value(json_object_get(step, "mark"));
    if (!name) {
        sbuf_append(why, "\"mark\" takes a name");
        return -1;
    }
    char *raw = NULL;
    int rc = ks_events(h->cluster, NULL, &raw);
    json_t *events = raw ? json_loads(raw, 0, NULL) : NULL;
    ks_free(raw);
    raw = NULL;
    int rc2 = ks_state(h->cluster, NULL, &raw);
    json_t *state = raw ? json_loads(raw, 0, NULL) : NULL;
    ks_free(raw);

    int status = -1;
    const char *cursor = json_string_value(json_object_get(events, "cursor"));
    const char *now = json_string_value(json_object_get(state, "now"));
    long long now_seconds;
    if (rc != KS_OK || !cursor) {
        sbuf_printf(why, "ks_events returned %s and no cursor", rc_name(rc));
    } else if (rc2 != KS_OK || rfc3339_seconds(now, &now_seconds) != 0) {
        sbuf_printf(why, "ks_state returned %s and no readable \"now\"", rc_name(rc2));
    } else {
        mark *grown = realloc(h->marks, (h->n_marks + 1) * sizeof *grown);
        if (grown) {
            h->marks = grown;
            h->marks[h->n_marks++] = (mark){strdup(name), strdup(cursor), now_seconds};
            status = 0;
        }
    }
    json_decref(events);
    json_decref(state);
    return status;
}

/* {"echo": "text"}: prints a line, e.g. a section title in the transcript ("" for a blank line). */
static int do_echo(harness *h, const json_t *step, sbuf *why)
{
    const char *text = json_string_value(json_object_get(step, "echo"));
    if (!text) {
        sbuf_append(why, "\"echo\" takes a string");
        return -1;
    }
    if (!h->quiet) {
        size_t n = strlen(text);
        fputs(text, stdout);
        if (n == 0 || text[n - 1] != '\n')
            putchar('\n');
    }
    return 0;
}

static void fail(const harness *h, const char *why)
{
    fflush(stdout);
    fprintf(stderr, "FAIL step %d: %s\n", h->step_no, why);
    fflush(stderr);
}

int main(int argc, char **argv)
{
    int quiet = 0, print_state = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quiet") == 0) {
            quiet = 1;
        } else if (strcmp(argv[i], "--state") == 0) {
            print_state = 1;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "ks-harness: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (path) {
            fputs("ks-harness: one scenario at a time\n", stderr);
            return 2;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        usage(stderr);
        return 2;
    }

    if (ks_version_number() != KS_VERSION_NUMBER) {
        fprintf(stderr, "ks-harness: built against kubesim.h %s (%d) but loaded libkubesim %s (%d)\n", KS_VERSION,
                KS_VERSION_NUMBER, ks_version(), ks_version_number());
        return 2;
    }

    json_error_t jerr;
    json_t *scenario = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!scenario) {
        if (jerr.line > 0)
            fprintf(stderr, "ks-harness: %s:%d:%d: %s\n", path, jerr.line, jerr.column, jerr.text);
        else
            fprintf(stderr, "ks-harness: %s\n", jerr.text);
        return 2;
    }
    const json_t *config = json_object_get(scenario, "cluster");
    const json_t *steps = json_object_get(scenario, "steps");
    if (!json_is_object(scenario) || (config && !json_is_object(config)) || !json_is_array(steps)) {
        fprintf(stderr, "ks-harness: %s: want {\"cluster\": {...}, \"steps\": [...]}\n", path);
        json_decref(scenario);
        return 2;
    }

    harness h = {.quiet = quiet, .base_dir = dir_of(path)};
    char *config_text = config ? dump_compact(config) : NULL;
    char *error_json = NULL;
    int rc = ks_cluster_new(config_text, &h.cluster, &error_json);
    free(config_text);
    if (rc != KS_OK || !h.cluster) {
        fprintf(stderr, "ks-harness: ks_cluster_new returned %s: %s\n", rc_name(rc), error_json ? error_json : "");
        ks_free(error_json);
        json_decref(scenario);
        free(h.base_dir);
        return 2;
    }
    ks_free(error_json);

    int passed = 0, failed = 0;
    size_t i;
    const json_t *step;
    json_array_foreach(steps, i, step) {
        h.step_no = (int)i + 1;
        sbuf why = {0};
        if (!json_is_object(step)) {
            fail(&h, "a step is an object");
            failed++;
        } else if (json_object_get(step, "expect")) {
            if (json_object_size(step) > 1 + (json_object_get(step, "comment") != NULL)) {
                fail(&h, "an expect step holds only \"expect\" (and \"comment\")");
                failed++;
            } else if (expect_run(&h, json_object_get(step, "expect"), &why)) {
                passed++;
            } else {
                fail(&h, sbuf_str(&why));
                failed++;
            }
        } else if (json_object_get(step, "mark")) {
            if (do_mark(&h, step, &why) != 0) {
                fail(&h, sbuf_str(&why));
                failed++;
            }
        } else if (json_object_get(step, "echo")) {
            if (do_echo(&h, step, &why) != 0) {
                fail(&h, sbuf_str(&why));
                failed++;
            }
        } else if (action_key(step) || json_object_size(step) != (json_object_get(step, "comment") != NULL)) {
            action_result r;
            if (action_perform(&h, step, &r, &why) != 0) {
                fail(&h, sbuf_str(&why));
                failed++;
            } else if (!quiet) {
                action_print(&r);
            }
            action_result_free(&r);
        }
        /* A step with only a "comment" does nothing. */
        sbuf_free(&why);
    }

    printf("%d passed, %d failed\n", passed, failed);
    if (print_state) {
        char *state = NULL;
        rc = ks_state(h.cluster, NULL, &state);
        if (rc != KS_OK || !state) {
            fflush(stdout);
            fprintf(stderr, "ks-harness: ks_state returned %s\n", rc_name(rc));
            failed++;
        } else {
            printf("%s\n", state);
        }
        ks_free(state);
    }

    ks_cluster_free(h.cluster);
    for (size_t m = 0; m < h.n_marks; m++) {
        free(h.marks[m].name);
        free(h.marks[m].cursor);
    }
    free(h.marks);
    free(h.events_cursor);
    free(h.base_dir);
    json_decref(scenario);
    return failed ? 1 : 0;
}
