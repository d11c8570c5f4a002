/*
 * expect.c — {"expect": {...}} steps: assertions on lists, objects, kubectl output,
 * events, apply results and errors. They print nothing unless they fail.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char *const kinds[] = {"list", "get", "kubectl", "events", "error", "apply", "apply_inline"};

/* Keys each kind of expectation accepts besides its own (and "comment"). */
static const char *const allowed[][12] = {
    /* list */ {"count", "min", "max", "all", "none", "created_after"},
    /* get */ {"fields"},
    /* kubectl */
    {"stdin", "stdin_file", "stdout", "stderr", "stdout_contains", "stdout_not_contains", "stderr_contains",
     "stderr_not_contains", "exit_code"},
    /* events */ {"since", "message_contains", "count", "min", "max"},
    /* error */ {"rc", "code", "reason", "message", "message_contains", "state_unchanged"},
    /* apply */ {"results", "outputs"},
    /* apply_inline */ {"results", "outputs"},
};

static int kind_of(const json_t *spec, sbuf *why)
{
    int found = -1;
    for (int i = 0; i < (int)(sizeof kinds / sizeof kinds[0]); i++) {
        if (!json_object_get(spec, kinds[i]))
            continue;
        if (found >= 0) {
            sbuf_printf(why, "an expectation checks one thing, found \"%s\" and \"%s\"", kinds[found], kinds[i]);
            return -1;
        }
        found = i;
    }
    if (found < 0) {
        sbuf_append(why, "the expectation has none of list, get, kubectl, events, error, apply, apply_inline");
        return -1;
    }
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)spec, key, value) {
        if (strcmp(key, kinds[found]) == 0 || strcmp(key, "comment") == 0)
            continue;
        int ok = 0;
        for (size_t j = 0; j < sizeof allowed[0] / sizeof allowed[0][0] && allowed[found][j]; j++)
            ok |= strcmp(key, allowed[found][j]) == 0;
        if (!ok) {
            sbuf_printf(why, "unknown key \"%s\" in a \"%s\" expectation", key, kinds[found]);
            return -1;
        }
    }
    return found;
}

/* Runs a one-action step built from the expectation's own keys. */
static int perform(harness *h, const char *action, const json_t *spec, const char *const *extra_keys,
                   action_result *r, sbuf *why)
{
    json_t *step = json_object();
    json_object_set(step, action, json_object_get(spec, action));
    for (; extra_keys && *extra_keys; extra_keys++) {
        json_t *v = json_object_get(spec, *extra_keys);
        if (v)
            json_object_set(step, *extra_keys, v);
    }
    int status = action_perform(h, step, r, why);
    json_decref(step);
    return status;
}

static void describe_failure(const action_result *r, sbuf *why)
{
    const json_t *st = find_status(r->result);
    if (st) {
        char *text = status_text(st);
        sbuf_printf(why, "%s failed with %s: %s", r->label, rc_name(r->rc), text);
        free(text);
    } else {
        sbuf_printf(why, "%s failed with %s (%d)", r->label, rc_name(r->rc), r->rc);
    }
}

static char *item_name(const json_t *item)
{
    const char *ns = json_string_value(json_path(item, "metadata.namespace"));
    const char *name = json_string_value(json_path(item, "metadata.name"));
    sbuf b = {0};
    if (ns && ns[0])
        sbuf_printf(&b, "%s/", ns);
    sbuf_append(&b, name ? name : "<unnamed>");
    return b.data;
}

/* count / min / max on n; with none of them given, at least one is wanted. */
static int check_count(const json_t *spec, size_t n, const char *what, sbuf *why)
{
    const json_t *count = json_object_get(spec, "count");
    const json_t *min = json_object_get(spec, "min");
    const json_t *max = json_object_get(spec, "max");
    if ((count && !json_is_integer(count)) || (min && !json_is_integer(min)) || (max && !json_is_integer(max))) {
        sbuf_append(why, "count, min and max take integers");
        return 0;
    }
    long long have = (long long)n;
    if (count && have != json_integer_value(count)) {
        sbuf_printf(why, "%lld %s, want %lld", have, what, (long long)json_integer_value(count));
        return 0;
    }
    if (min && have < json_integer_value(min)) {
        sbuf_printf(why, "%lld %s, want at least %lld", have, what, (long long)json_integer_value(min));
        return 0;
    }
    if (max && have > json_integer_value(max)) {
        sbuf_printf(why, "%lld %s, want at most %lld", have, what, (long long)json_integer_value(max));
        return 0;
    }
    if (!count && !min && !max && n == 0) {
        sbuf_printf(why, "no %s, want at least one", what);
        return 0;
    }
    return 1;
}

static const mark *need_mark(const harness *h, const json_t *v, sbuf *why)
{
    const char *name = json_string_value(v);
    const mark *m = name ? harness_mark(h, name) : NULL;
    if (!m)
        sbuf_printf(why, "no mark named %s before this step", name ? name : "(not a string)");
    return m;
}

static int expect_list(harness *h, const json_t *spec, sbuf *why)
{
    const json_t *all = json_object_get(spec, "all");
    const json_t *none = json_object_get(spec, "none");
    const json_t *after = json_object_get(spec, "created_after");
    if ((all && !json_is_object(all)) || (none && !json_is_object(none))) {
        sbuf_append(why, "\"all\" and \"none\" take objects of path: value");
        return 0;
    }
    const mark *m = NULL;
    if (after && !(m = need_mark(h, after, why)))
        return 0;

    action_result r;
    if (perform(h, "list", spec, NULL, &r, why) != 0) {
        action_result_free(&r);
        return 0;
    }
    int ok = 1;
    if (r.rc != KS_OK) {
        describe_failure(&r, why);
        ok = 0;
        goto done;
    }
    /* The items considered: all, or those created at or after the mark (to the second,
     * the precision of creationTimestamp). */
    json_t *items = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r.result, "items"), i, item) {
        if (m) {
            long long created;
            const char *ts = json_string_value(json_path(item, "metadata.creationTimestamp"));
            if (rfc3339_seconds(ts, &created) != 0 || created < m->now_seconds)
                continue;
        }
        json_array_append(items, item);
    }
    if (!check_count(spec, json_array_size(items), m ? "items created after the mark" : "items", why))
        ok = 0;
    json_array_foreach(items, i, item) {
        if (!ok)
            break;
        sbuf mismatch = {0};
        if (all && !json_matches(item, all, &mismatch)) {
            char *name = item_name(item);
            sbuf_printf(why, "%s: %s", name, sbuf_str(&mismatch));
            free(name);
            ok = 0;
        } else if (none && json_matches(item, none, NULL)) {
            char *name = item_name(item);
            char *cond = dump_compact(none);
            sbuf_printf(why, "%s matches %s", name, cond);
            free(cond);
            free(name);
            ok = 0;
        }
        sbuf_free(&mismatch);
    }
    json_decref(items);
done:
    action_result_free(&r);
    return ok;
}

static int expect_get(harness *h, const json_t *spec, sbuf *why)
{
    const json_t *fields = json_object_get(spec, "fields");
    if (fields && !json_is_object(fields)) {
        sbuf_append(why, "\"fields\" takes an object of path: value");
        return 0;
    }
    action_result r;
    int ok = 0;
    if (perform(h, "get", spec, NULL, &r, why) == 0) {
        if (r.rc != KS_OK) {
            describe_failure(&r, why);
        } else {
            sbuf mismatch = {0};
            if (fields && !json_matches(r.result, fields, &mismatch)) {
                char *name = item_name(r.result);
                sbuf_printf(why, "%s: %s", name, sbuf_str(&mismatch));
                free(name);
            } else {
                ok = 1;
            }
            sbuf_free(&mismatch);
        }
    }
    action_result_free(&r);
    return ok;
}

/* want is a string or an array of strings; each must (or must not) occur in text. */
static int check_contains(const char *stream, const char *text, const json_t *want, int negate, sbuf *why)
{
    if (!want)
        return 1;
    size_t n = json_is_array(want) ? json_array_size(want) : 1;
    for (size_t i = 0; i < n; i++) {
        const char *s = json_string_value(json_is_array(want) ? json_array_get(want, i) : want);
        if (!s) {
            sbuf_printf(why, "%s_%scontains takes a string or an array of strings", stream, negate ? "not_" : "");
            return 0;
        }
        if ((strstr(text, s) != NULL) == negate) {
            sbuf_printf(why, "%s %s \"%s\"; %s was:\n%s", stream, negate ? "contains" : "lacks", s, stream, text);
            return 0;
        }
    }
    return 1;
}

static int check_exact(const char *stream, const char *text, const json_t *want, sbuf *why)
{
    if (!want)
        return 1;
    const char *s = json_string_value(want);
    if (!s) {
        sbuf_printf(why, "\"%s\" takes a string", stream);
        return 0;
    }
    if (strcmp(text, s) != 0) {
        sbuf_printf(why, "%s differs; want:\n%s\ngot:\n%s", stream, s, text);
        return 0;
    }
    return 1;
}

static int expect_kubectl(harness *h, const json_t *spec, sbuf *why)
{
    static const char *const extra[] = {"stdin", "stdin_file", NULL};
    action_result r;
    int ok = 0;
    if (perform(h, "kubectl", spec, extra, &r, why) != 0)
        goto done;
    if (r.rc != KS_OK) {
        describe_failure(&r, why);
        goto done;
    }
    const char *out = json_string_value(json_object_get(r.result, "stdout"));
    const char *err = json_string_value(json_object_get(r.result, "stderr"));
    const json_t *code = json_object_get(r.result, "exitCode");
    out = out ? out : "";
    err = err ? err : "";
    const json_t *want_code = json_object_get(spec, "exit_code");
    if (want_code && !json_equal(code, want_code)) {
        char *have = code ? dump_compact(code) : strdup("<absent>");
        sbuf_printf(why, "exit code %s, want %lld; stderr was:\n%s", have, (long long)json_integer_value(want_code),
                    err);
        free(have);
        goto done;
    }
    ok = check_exact("stdout", out, json_object_get(spec, "stdout"), why) &&
         check_exact("stderr", err, json_object_get(spec, "stderr"), why) &&
         check_contains("stdout", out, json_object_get(spec, "stdout_contains"), 0, why) &&
         check_contains("stdout", out, json_object_get(spec, "stdout_not_contains"), 1, why) &&
         check_contains("stderr", err, json_object_get(spec, "stderr_contains"), 0, why) &&
         check_contains("stderr", err, json_object_get(spec, "stderr_not_contains"), 1, why);
done:
    action_result_free(&r);
    return ok;
}

static int expect_events(harness *h, const json_t *spec, sbuf *why)
{
    const json_t *filter = json_object_get(spec, "events");
    const json_t *contains = json_object_get(spec, "message_contains");
    const json_t *since = json_object_get(spec, "since");
    if (!json_is_object(filter)) {
        sbuf_append(why, "\"events\" takes an object of path: value to match events by");
        return 0;
    }
    if (contains && !json_is_string(contains)) {
        sbuf_append(why, "\"message_contains\" takes a string");
        return 0;
    }
    const mark *m = NULL;
    if (since && !(m = need_mark(h, since, why)))
        return 0;

    /* The request goes straight to the library: an {"events": ...} step would move the
     * cursor that printing steps use. */
    json_t *req = json_object();
    if (m && m->cursor)
        json_object_set_new(req, "since", json_string(m->cursor));
    char *input = dump_compact(req);
    json_decref(req);
    char *raw = NULL;
    int rc = ks_events(h->cluster, input, &raw);
    free(input);
    json_t *result = raw ? json_loads(raw, 0, NULL) : NULL;
    int ok = 0;
    if (rc != KS_OK || !result) {
        action_result r = {.kind = ACT_EVENTS, .rc = rc, .raw = raw, .result = result, .label = "ks_events"};
        if (!result)
            sbuf_printf(why, "ks_events returned %s and %s", rc_name(rc), raw ? "invalid JSON" : "no buffer");
        else
            describe_failure(&r, why);
        action_result_free(&r);
        return 0;
    }
    size_t matched = 0, i;
    json_t *ev;
    json_array_foreach(json_object_get(result, "items"), i, ev) {
        const char *msg = json_string_value(json_object_get(ev, "message"));
        if (json_matches(ev, filter, NULL) && (!contains || (msg && strstr(msg, json_string_value(contains)))))
            matched++;
    }
    char *what = dump_compact(filter);
    sbuf label = {0};
    sbuf_printf(&label, "events matching %s%s%s%s", what, contains ? " with message containing \"" : "",
                contains ? json_string_value(contains) : "", contains ? "\"" : "");
    ok = check_count(spec, matched, sbuf_str(&label), why);
    sbuf_free(&label);
    free(what);
    json_decref(result);
    ks_free(raw);
    return ok;
}

static char *state_of(harness *h)
{
    char *raw = NULL;
    ks_state(h->cluster, NULL, &raw);
    char *copy = raw ? strdup(raw) : NULL;
    ks_free(raw);
    return copy;
}

static int expect_error(harness *h, const json_t *spec, sbuf *why)
{
    const json_t *inner = json_object_get(spec, "error");
    if (!json_is_object(inner) || !action_key(inner)) {
        sbuf_append(why, "\"error\" takes a step, e.g. {\"apply_inline\": \"...\"}");
        return 0;
    }
    int want_rc = 0;
    const json_t *rc_spec = json_object_get(spec, "rc");
    if (rc_spec && rc_parse(rc_spec, &want_rc) != 0) {
        sbuf_append(why, "\"rc\" takes a KS_E* name or a number");
        return 0;
    }
    const json_t *unchanged = json_object_get(spec, "state_unchanged");
    char *before = json_is_true(unchanged) ? state_of(h) : NULL;
    if (json_is_true(unchanged) && !before) {
        sbuf_append(why, "ks_state failed before the step");
        return 0;
    }

    action_result r;
    int ok = 0;
    if (action_perform(h, inner, &r, why) != 0)
        goto done;
    if (r.rc == KS_OK) {
        sbuf_printf(why, "%s succeeded, want an error", r.label);
        goto done;
    }
    if (rc_spec && r.rc != want_rc) {
        sbuf_printf(why, "%s returned %s (%d), want %s (%d)", r.label, rc_name(r.rc), r.rc, rc_name(want_rc),
                    want_rc);
        goto done;
    }
    const json_t *st = find_status(r.result);
    if (!st) {
        sbuf_printf(why, "%s returned %s without a Status", r.label, rc_name(r.rc));
        goto done;
    }
    const char *kind = json_string_value(json_object_get(st, "kind"));
    const char *status = json_string_value(json_object_get(st, "status"));
    if (!kind || strcmp(kind, "Status") != 0 || !status || strcmp(status, "Failure") != 0) {
        char *s = dump_compact(st);
        sbuf_printf(why, "not a Failure Status: %s", s);
        free(s);
        goto done;
    }
    const json_t *code = json_object_get(spec, "code");
    if (code && !json_equal(code, json_object_get(st, "code"))) {
        char *s = dump_compact(st);
        sbuf_printf(why, "code is not %lld: %s", (long long)json_integer_value(code), s);
        free(s);
        goto done;
    }
    const json_t *reason = json_object_get(spec, "reason");
    if (reason && !json_equal(reason, json_object_get(st, "reason"))) {
        char *s = dump_compact(st);
        sbuf_printf(why, "reason is not %s: %s", json_string_value(reason), s);
        free(s);
        goto done;
    }
    const char *msg = json_string_value(json_object_get(st, "message"));
    if (!msg)
        msg = "";
    if (!check_exact("message", msg, json_object_get(spec, "message"), why) ||
        !check_contains("message", msg, json_object_get(spec, "message_contains"), 0, why))
        goto done;
    if (before) {
        char *after = state_of(h);
        if (!after || strcmp(before, after) != 0) {
            sbuf_printf(why, "%s failed but changed the cluster state", r.label);
            free(after);
            goto done;
        }
        free(after);
    }
    ok = 1;
done:
    free(before);
    action_result_free(&r);
    return ok;
}

static int expect_apply(harness *h, const char *action, const json_t *spec, sbuf *why)
{
    action_result r;
    int ok = 0;
    if (perform(h, action, spec, NULL, &r, why) != 0)
        goto done;
    if (r.rc != KS_OK) {
        describe_failure(&r, why);
        goto done;
    }
    const json_t *items = json_object_get(r.result, "items");
    static const char *const fields[] = {"results", "outputs"};
    static const char *const item_keys[] = {"result", "output"};
    for (int f = 0; f < 2; f++) {
        const json_t *want = json_object_get(spec, fields[f]);
        if (!want)
            continue;
        json_t *have = json_array();
        size_t i;
        json_t *item;
        json_array_foreach(items, i, item) {
            json_t *v = json_object_get(item, item_keys[f]);
            json_array_append_new(have, v ? json_incref(v) : json_null());
        }
        if (!json_equal(have, want)) {
            char *hs = dump_compact(have), *ws = dump_compact(want);
            sbuf_printf(why, "apply %s are %s, want %s", fields[f], hs, ws);
            free(hs);
            free(ws);
            json_decref(have);
            goto done;
        }
        json_decref(have);
    }
    ok = 1;
done:
    action_result_free(&r);
    return ok;
}

int expect_run(harness *h, const json_t *spec, sbuf *why)
{
    if (!json_is_object(spec)) {
        sbuf_append(why, "\"expect\" takes an object");
        return 0;
    }
    int kind = kind_of(spec, why);
    if (kind < 0)
        return 0;
    const char *k = kinds[kind];
    if (strcmp(k, "list") == 0)
        return expect_list(h, spec, why);
    if (strcmp(k, "get") == 0)
        return expect_get(h, spec, why);
    if (strcmp(k, "kubectl") == 0)
        return expect_kubectl(h, spec, why);
    if (strcmp(k, "events") == 0)
        return expect_events(h, spec, why);
    if (strcmp(k, "error") == 0)
        return expect_error(h, spec, why);
    return expect_apply(h, k, spec, why);
}
