/*
 * actions.c — the scenario steps that call the library, and how their results print.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

typedef int (*request_fn)(ks_cluster *, const char *, char **);

static const struct {
    const char *key;
    request_fn fn;
    const char *label;
} rest_verbs[] = {
    {"get", ks_get, "ks_get"},
    {"list", ks_list, "ks_list"},
    {"create", ks_create, "ks_create"},
    {"update", ks_update, "ks_update"},
    {"patch", ks_patch, "ks_patch"},
    {"delete", ks_delete, "ks_delete"},
    {"watch", ks_watch, "ks_watch"},
};

static const char *const other_actions[] = {
    "apply", "apply_inline", "run", "kubectl", "cordon", "uncordon", "events",
};

static int is_action(const char *key)
{
    for (size_t i = 0; i < sizeof rest_verbs / sizeof rest_verbs[0]; i++)
        if (strcmp(key, rest_verbs[i].key) == 0)
            return 1;
    for (size_t i = 0; i < sizeof other_actions / sizeof other_actions[0]; i++)
        if (strcmp(key, other_actions[i]) == 0)
            return 1;
    return 0;
}

const char *action_key(const json_t *step)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)step, key, value) {
        if (is_action(key))
            return key;
    }
    return NULL;
}

/* A step holds exactly one action; "comment" is allowed anywhere, and kubectl steps may
 * carry "stdin" or "stdin_file". Anything else is a typo worth reporting. */
static int check_keys(const json_t *step, const char *action, sbuf *why)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)step, key, value) {
        if (strcmp(key, action) == 0 || strcmp(key, "comment") == 0)
            continue;
        if (strcmp(action, "kubectl") == 0 && (strcmp(key, "stdin") == 0 || strcmp(key, "stdin_file") == 0))
            continue;
        if (strcmp(action, "events") == 0 && strcmp(key, "since") == 0)
            continue;
        sbuf_printf(why, is_action(key) ? "a step has one action, found \"%s\" and \"%s\""
                                        : "unknown key \"%s\" in a \"%s\" step",
                    key, action);
        return -1;
    }
    return 0;
}

/* Words of a kubectl command line as a shell would show them. */
static char *join_args(const json_t *args)
{
    sbuf b = {0};
    size_t i;
    const json_t *arg;
    json_array_foreach(args, i, arg) {
        const char *s = json_string_value(arg);
        if (!s)
            s = "";
        if (i > 0)
            sbuf_append(&b, " ");
        if (!s[0] || strpbrk(s, " \t\n'\"$()*?!&;|<>\\"))
            sbuf_printf(&b, "'%s'", s);
        else
            sbuf_append(&b, s);
    }
    return b.data ? b.data : strdup("");
}

int action_perform(harness *h, const json_t *step, action_result *out, sbuf *why)
{
    memset(out, 0, sizeof *out);
    const char *key = action_key(step);
    if (!key) {
        const char *first = NULL, *k;
        json_t *v;
        json_object_foreach((json_t *)step, k, v) {
            if (!first && strcmp(k, "comment") != 0)
                first = k;
        }
        if (first)
            sbuf_printf(why, "unknown step \"%s\"", first);
        else
            sbuf_append(why, "the step has no action");
        return -1;
    }
    if (check_keys(step, key, why) != 0)
        return -1;

    const json_t *arg = json_object_get(step, key);
    json_t *req = NULL; /* request object, when we build one */
    char *input = NULL; /* the string handed to the library */
    sbuf header = {0};
    int status = -1;

    if (strcmp(key, "apply") == 0 || strcmp(key, "apply_inline") == 0) {
        out->kind = ACT_APPLY;
        out->label = "ks_apply";
        if (!json_is_string(arg)) {
            sbuf_printf(why, "\"%s\" takes a string", key);
            goto done;
        }
        if (strcmp(key, "apply") == 0) {
            char *path = path_in(h->base_dir, json_string_value(arg));
            input = read_file(path);
            if (!input)
                sbuf_printf(why, "cannot read %s: %s", path, strerror(errno));
            free(path);
            if (!input)
                goto done;
            sbuf_printf(&header, "$ kubectl apply -f %s", json_string_value(arg));
        } else {
            input = strdup(json_string_value(arg));
            sbuf_append(&header, "$ kubectl apply -f -");
        }
        out->rc = ks_apply(h->cluster, input, &out->raw);
    } else if (strcmp(key, "run") == 0) {
        out->kind = ACT_RUN;
        out->label = "ks_run";
        if (json_is_string(arg)) {
            req = json_pack("{s:O}", "duration", arg);
            sbuf_printf(&header, "# run %s", json_string_value(arg));
        } else if (json_is_number(arg)) {
            req = json_pack("{s:O}", "seconds", arg);
            char *s = dump_compact(arg);
            sbuf_printf(&header, "# run %ss", s);
            free(s);
        } else if (json_is_object(arg)) {
            req = json_deep_copy(arg);
            char *s = dump_compact(arg);
            sbuf_printf(&header, "# run %s", s);
            free(s);
        } else {
            sbuf_append(why, "\"run\" takes a duration string (\"10s\"), a number of seconds or a request object");
            goto done;
        }
        input = dump_compact(req);
        out->rc = ks_run(h->cluster, input, &out->raw);
    } else if (strcmp(key, "kubectl") == 0) {
        out->kind = ACT_KUBECTL;
        out->label = "ks_kubectl";
        if (json_is_string(arg)) {
            req = json_pack("{s:O}", "command", arg);
            sbuf_printf(&header, "$ kubectl %s", json_string_value(arg));
        } else if (json_is_array(arg)) {
            req = json_pack("{s:O}", "args", arg);
            char *words = join_args(arg);
            sbuf_printf(&header, "$ kubectl %s", words);
            free(words);
        } else {
            sbuf_append(why, "\"kubectl\" takes a command line or an array of arguments");
            goto done;
        }
        const json_t *stdin_text = json_object_get(step, "stdin");
        const json_t *stdin_file = json_object_get(step, "stdin_file");
        if (stdin_text) {
            if (!json_is_string(stdin_text)) {
                sbuf_append(why, "\"stdin\" takes a string");
                goto done;
            }
            json_object_set(req, "stdin", (json_t *)stdin_text);
        } else if (stdin_file) {
            if (!json_is_string(stdin_file)) {
                sbuf_append(why, "\"stdin_file\" takes a path");
                goto done;
            }
            char *path = path_in(h->base_dir, json_string_value(stdin_file));
            char *text = read_file(path);
            if (!text) {
                sbuf_printf(why, "cannot read %s: %s", path, strerror(errno));
                free(path);
                goto done;
            }
            json_object_set_new(req, "stdin", json_string(text));
            free(text);
            free(path);
        }
        input = dump_compact(req);
        out->rc = ks_kubectl(h->cluster, input, &out->raw);
    } else if (strcmp(key, "cordon") == 0 || strcmp(key, "uncordon") == 0) {
        out->kind = ACT_NODE;
        out->label = "ks_node";
        if (!json_is_string(arg)) {
            sbuf_printf(why, "\"%s\" takes a node name", key);
            goto done;
        }
        req = json_pack("{s:s,s:O}", "action", key, "name", arg);
        sbuf_printf(&header, "$ kubectl %s %s", key, json_string_value(arg));
        input = dump_compact(req);
        out->rc = ks_node(h->cluster, input, &out->raw);
    } else if (strcmp(key, "events") == 0) {
        out->kind = ACT_EVENTS;
        out->label = "ks_events";
        if (!json_is_object(arg)) {
            sbuf_append(why, "\"events\" takes a request object ({} for everything since the last events step)");
            goto done;
        }
        /* From a mark ("since" beside "events"), else from where the last events step ended. */
        const json_t *since = json_object_get(step, "since");
        const mark *m = NULL;
        if (since && !(m = json_is_string(since) ? harness_mark(h, json_string_value(since)) : NULL)) {
            sbuf_append(why, "\"since\" names a mark set by an earlier {\"mark\": name} step");
            goto done;
        }
        req = json_deep_copy(arg);
        if (!json_object_get(req, "since") && (m || h->events_cursor))
            json_object_set_new(req, "since", json_string(m ? m->cursor : h->events_cursor));
        sbuf_append(&header, "# events");
        if (m)
            sbuf_printf(&header, " since %s", m->name);
        input = dump_compact(req);
        out->rc = ks_events(h->cluster, input, &out->raw);
    } else {
        out->kind = ACT_REST;
        request_fn fn = NULL;
        for (size_t i = 0; i < sizeof rest_verbs / sizeof rest_verbs[0]; i++) {
            if (strcmp(key, rest_verbs[i].key) == 0) {
                fn = rest_verbs[i].fn;
                out->label = rest_verbs[i].label;
            }
        }
        if (!json_is_object(arg)) {
            sbuf_printf(why, "\"%s\" takes a request object", key);
            goto done;
        }
        input = dump_compact(arg);
        sbuf_printf(&header, "# %s %s", key, input);
        out->rc = fn(h->cluster, input, &out->raw);
    }

    if (!out->raw) {
        sbuf_printf(why, "%s returned %s (%d) and no result buffer", out->label, rc_name(out->rc), out->rc);
        goto done;
    }
    json_error_t jerr;
    out->result = json_loads(out->raw, 0, &jerr);
    if (!out->result) {
        sbuf_printf(why, "%s returned invalid JSON (%s at offset %d)", out->label, jerr.text, jerr.position);
        goto done;
    }
    if (out->kind == ACT_EVENTS && out->rc == KS_OK) {
        const char *cursor = json_string_value(json_object_get(out->result, "cursor"));
        if (cursor) {
            free(h->events_cursor);
            h->events_cursor = strdup(cursor);
        }
    }
    status = 0;

done:
    out->header = header.data;
    json_decref(req);
    free(input);
    return status;
}

/* One line per event: REASON, OBJECT (kind/name as `kubectl get events` shows it), MESSAGE;
 * columns padded like kubectl's tabwriter (3 spaces). */
static void print_events(const json_t *items)
{
    size_t n = json_array_size(items);
    if (n == 0)
        return;
    char **objects = calloc(n, sizeof *objects);
    if (!objects)
        return;
    size_t reason_w = strlen("REASON"), object_w = strlen("OBJECT");
    for (size_t i = 0; i < n; i++) {
        const json_t *ev = json_array_get(items, i);
        const char *reason = json_string_value(json_object_get(ev, "reason"));
        const char *kind = json_string_value(json_path(ev, "involvedObject.kind"));
        const char *name = json_string_value(json_path(ev, "involvedObject.name"));
        sbuf o = {0};
        for (const char *p = kind ? kind : ""; *p; p++) {
            char c = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
            sbuf_appendn(&o, &c, 1);
        }
        sbuf_printf(&o, "/%s", name ? name : "");
        objects[i] = o.data;
        if (reason && strlen(reason) > reason_w)
            reason_w = strlen(reason);
        if (strlen(objects[i]) > object_w)
            object_w = strlen(objects[i]);
    }
    printf("%-*s   %-*s   %s\n", (int)reason_w, "REASON", (int)object_w, "OBJECT", "MESSAGE");
    for (size_t i = 0; i < n; i++) {
        const json_t *ev = json_array_get(items, i);
        const char *reason = json_string_value(json_object_get(ev, "reason"));
        const char *message = json_string_value(json_object_get(ev, "message"));
        printf("%-*s   %-*s   %s\n", (int)reason_w, reason ? reason : "", (int)object_w, objects[i],
               message ? message : "");
        free(objects[i]);
    }
    free(objects);
}

static void print_failure(const action_result *r)
{
    const json_t *st = find_status(r->result);
    if (st) {
        char *text = status_text(st);
        print_block(stdout, text);
        free(text);
    } else {
        printf("error: %s returned %s (%d)\n", r->label, rc_name(r->rc), r->rc);
    }
}

void action_print(const action_result *r)
{
    if (r->kind == ACT_RUN && r->rc == KS_OK) {
        const char *now = json_string_value(json_object_get(r->result, "now"));
        printf("%s (now %s)\n", r->header ? r->header : "# run", now ? now : "?");
        return;
    }
    if (r->header)
        printf("%s\n", r->header);

    if (r->kind == ACT_APPLY) {
        const json_t *items = json_object_get(r->result, "items");
        if (!json_is_array(items)) {
            /* Nothing could be decoded: kubectl fails before it sends anything. */
            const char *message = json_string_value(json_object_get(find_status(r->result), "message"));
            if (message)
                printf("error: %s\n", message);
            else
                print_failure(r);
            return;
        }
        size_t i;
        const json_t *item;
        json_array_foreach(items, i, item) {
            const json_t *err = json_object_get(item, "error");
            if (err) {
                char *text = status_text(err);
                print_block(stdout, text);
                free(text);
            } else {
                print_block(stdout, json_string_value(json_object_get(item, "output")));
            }
        }
        return;
    }
    if (r->rc != KS_OK) {
        print_failure(r);
        return;
    }
    switch (r->kind) {
    case ACT_KUBECTL:
        print_block(stdout, json_string_value(json_object_get(r->result, "stdout")));
        print_block(stdout, json_string_value(json_object_get(r->result, "stderr")));
        break;
    case ACT_NODE:
        print_block(stdout, json_string_value(json_object_get(r->result, "output")));
        break;
    case ACT_EVENTS:
        print_events(json_object_get(r->result, "items"));
        break;
    case ACT_REST: {
        char *text = dump_pretty(r->result);
        print_block(stdout, text);
        free(text);
        break;
    }
    case ACT_APPLY:
    case ACT_RUN:
        break;
    }
}

void action_result_free(action_result *r)
{
    ks_free(r->raw);
    json_decref(r->result);
    free(r->header);
    memset(r, 0, sizeof *r);
}
