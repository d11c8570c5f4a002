/*
 * test_api.c — tests of the C contract in Include/kubesim.h, through the C interface only.
 *
 *   test_api                 run every test; prints "N passed, M failed"; exit 1 on failure
 *   test_api NAME...         run the tests whose names contain one of the NAMEs
 *   test_api --version-check exit 0 iff ks_version_number() == KS_VERSION_NUMBER
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kubesim.h"

/* ---- a very small test framework ---- */

static int current_failed; /* checks failed in the running test */
static const char *current_name;

static void check(int ok, int line, const char *expr, const char *fmt, ...)
{
    enum { SHOWN_PER_TEST = 25 };
    if (ok)
        return;
    if (current_failed++ == 0)
        fprintf(stderr, "FAIL %s\n", current_name);
    if (current_failed == SHOWN_PER_TEST + 1)
        fprintf(stderr, "  (further failures of %s not shown)\n", current_name);
    if (current_failed > SHOWN_PER_TEST)
        return;
    fprintf(stderr, "  line %d: %s\n    ", line, expr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* CHECK(condition, printf-format, args...): records a failure with the formatted detail. */
#define CHECK(cond, ...) check(!!(cond), __LINE__, #cond, __VA_ARGS__)

static const char *nn(const char *s)
{
    return s ? s : "(null)";
}

/* v is the JSON string s. */
static int str_is(const json_t *v, const char *s)
{
    return json_is_string(v) && strcmp(json_string_value(v), s) == 0;
}

/* ---- fixtures ---- */

#define CONFIG3 "{\"seed\": 7, \"nodes\": 3}"

static const char DEPLOYMENT_YAML[] = "apiVersion: apps/v1\n"
                                      "kind: Deployment\n"
                                      "metadata:\n"
                                      "  name: nginx-deployment\n"
                                      "spec:\n"
                                      "  replicas: 3\n"
                                      "  selector:\n"
                                      "    matchLabels:\n"
                                      "      app: nginx-pod\n"
                                      "  template:\n"
                                      "    metadata:\n"
                                      "      labels:\n"
                                      "        app: nginx-pod\n"
                                      "    spec:\n"
                                      "      containers:\n"
                                      "        - name: nginx\n"
                                      "          image: nginx:1.15\n"
                                      "          ports:\n"
                                      "            - containerPort: 80\n";

static const char CONFIGMAP_YAML[] = "apiVersion: v1\n"
                                     "kind: ConfigMap\n"
                                     "metadata:\n"
                                     "  name: cm\n"
                                     "data:\n"
                                     "  color: blue\n";

static const char POD_YAML[] = "apiVersion: v1\n"
                               "kind: Pod\n"
                               "metadata:\n"
                               "  name: a\n"
                               "  labels:\n"
                               "    app: photo-view\n"
                               "spec:\n"
                               "  containers:\n"
                               "  - image: nginx\n"
                               "    name: photoview-container\n";

static const char CONFLICT_MESSAGE[] =
    "Operation cannot be fulfilled on configmaps \"cm\": the object has been modified; please apply your "
    "changes to the latest version and try again";

typedef int (*request_fn)(ks_cluster *, const char *, char **);

/* Every function of the shape f(handle, string, &result). */
static const struct {
    const char *name;
    request_fn fn;
} all_fns[] = {
    {"ks_apply", ks_apply}, {"ks_get", ks_get},       {"ks_list", ks_list},     {"ks_create", ks_create},
    {"ks_update", ks_update}, {"ks_patch", ks_patch}, {"ks_delete", ks_delete}, {"ks_watch", ks_watch},
    {"ks_run", ks_run},     {"ks_events", ks_events}, {"ks_node", ks_node},     {"ks_kubectl", ks_kubectl},
    {"ks_etcd", ks_etcd},   {"ks_report", ks_report}, {"ks_scheduler", ks_scheduler}, {"ks_state", ks_state},
};
#define N_FNS (sizeof all_fns / sizeof all_fns[0])
/* all_fns[1 .. N_FNS-2]: the ones that take request_json (ks_state is last). */
#define FIRST_REQUEST_FN 1

static ks_cluster *new_cluster(const char *config)
{
    ks_cluster *c = NULL;
    char *err = NULL;
    int rc = ks_cluster_new(config, &c, &err);
    CHECK(rc == KS_OK && c != NULL, "ks_cluster_new(%s) = %d: %s", nn(config), rc, nn(err));
    ks_free(err);
    return c;
}

static json_t *parse(const char *raw)
{
    return raw ? json_loads(raw, 0, NULL) : NULL;
}

/* A malloc'd copy of ks_state (so tests can free it with free). */
static char *state_of(ks_cluster *c)
{
    char *raw = NULL;
    int rc = ks_state(c, NULL, &raw);
    CHECK(rc == KS_OK && raw, "ks_state = %d", rc);
    char *copy = raw ? strdup(raw) : NULL;
    ks_free(raw);
    return copy;
}

#define CHECK_UNCHANGED(c, before)                                                                                 \
    do {                                                                                                           \
        char *after_ = state_of(c);                                                                                \
        CHECK(before && after_ && strcmp(before, after_) == 0, "the failed call changed ks_state");                 \
        free(after_);                                                                                              \
    } while (0)

/* The Status in a result: the result itself, or the first items[].error (ks_apply). */
static const json_t *status_in(const json_t *result)
{
    const char *kind = json_string_value(json_object_get(result, "kind"));
    if (kind && strcmp(kind, "Status") == 0)
        return result;
    size_t i;
    const json_t *item;
    json_array_foreach(json_object_get(result, "items"), i, item) {
        if (json_object_get(item, "error"))
            return json_object_get(item, "error");
    }
    return NULL;
}

/* Checks that raw carries a Failure Status with this code and reason, and a message equal
 * to `message` (if non-NULL) or containing `contains` (if non-NULL). */
static void check_status_at(int line, const char *what, const char *raw, int code, const char *reason,
                            const char *message, const char *contains)
{
    json_t *res = parse(raw);
    const json_t *st = status_in(res);
    if (!st) {
        check(0, line, "a Status", "%s: no Status in %s", what, nn(raw));
        json_decref(res);
        return;
    }
    const char *kind = json_string_value(json_object_get(st, "kind"));
    const char *api = json_string_value(json_object_get(st, "apiVersion"));
    const char *status = json_string_value(json_object_get(st, "status"));
    const char *rsn = json_string_value(json_object_get(st, "reason"));
    const char *msg = json_string_value(json_object_get(st, "message"));
    json_int_t have_code = json_integer_value(json_object_get(st, "code"));
    char *dump = json_dumps(st, JSON_COMPACT);
    check(kind && strcmp(kind, "Status") == 0 && api && strcmp(api, "v1") == 0 && status &&
              strcmp(status, "Failure") == 0,
          line, "kind Status, apiVersion v1, status Failure", "%s: %s", what, nn(dump));
    check(have_code == code, line, "code", "%s: code %lld, want %d: %s", what, (long long)have_code, code, nn(dump));
    if (reason)
        check(rsn && strcmp(rsn, reason) == 0, line, "reason", "%s: reason %s, want %s", what, nn(rsn), reason);
    if (message)
        check(msg && strcmp(msg, message) == 0, line, "message", "%s: message\n      %s\n    want\n      %s", what,
              nn(msg), message);
    if (contains)
        check(msg && strstr(msg, contains), line, "message contains", "%s: message %s lacks \"%s\"", what, nn(msg),
              contains);
    free(dump);
    json_decref(res);
}
#define CHECK_STATUS(what, raw, code, reason, message, contains)                                                   \
    check_status_at(__LINE__, what, raw, code, reason, message, contains)

/* Calls f(c, input, &out), checks the code, and returns the buffer (caller ks_frees). */
static char *call_at(int line, const char *what, request_fn f, ks_cluster *c, const char *input, int want_rc)
{
    char *out = NULL;
    int rc = f(c, input, &out);
    check(rc == want_rc, line, "return code", "%s returned %d, want %d: %s", what, rc, want_rc, nn(out));
    check(out != NULL, line, "result buffer", "%s left *result_json NULL", what);
    return out;
}
#define CALL(what, f, c, input, want_rc) call_at(__LINE__, what, f, c, input, want_rc)

static char *kubectl(ks_cluster *c, const char *command)
{
    json_t *req = json_pack("{s:s}", "command", command);
    char *input = json_dumps(req, JSON_COMPACT);
    char *out = NULL;
    int rc = ks_kubectl(c, input, &out);
    CHECK(rc == KS_OK, "ks_kubectl(%s) = %d: %s", command, rc, nn(out));
    free(input);
    json_decref(req);
    return out;
}

/* ---- tests ---- */

static void test_version(void)
{
    CHECK(ks_version_number() == KS_VERSION_NUMBER, "ks_version_number() = %d, header %d", ks_version_number(),
          KS_VERSION_NUMBER);
    CHECK(ks_version() && strcmp(ks_version(), KS_VERSION) == 0, "ks_version() = %s, header %s", nn(ks_version()),
          KS_VERSION);
}

static void test_free_null(void)
{
    ks_free(NULL);
    ks_cluster_free(NULL);
    CHECK(1, "no crash");
}

static void test_null_handle(void)
{
    for (size_t i = 0; i < N_FNS; i++) {
        char *out = NULL;
        int rc = all_fns[i].fn(NULL, "{}", &out);
        CHECK(rc == KS_EINVAL, "%s(NULL, \"{}\", &out) = %d", all_fns[i].name, rc);
        CHECK(out != NULL, "%s(NULL, ...) left *result_json NULL", all_fns[i].name);
        if (out)
            CHECK_STATUS(all_fns[i].name, out, 400, "BadRequest", NULL, NULL);
        ks_free(out);

        rc = all_fns[i].fn(NULL, "{}", NULL);
        CHECK(rc == KS_EINVAL, "%s(NULL, \"{}\", NULL) = %d", all_fns[i].name, rc);

        out = NULL;
        rc = all_fns[i].fn(NULL, NULL, &out);
        CHECK(rc == KS_EINVAL, "%s(NULL, NULL, &out) = %d", all_fns[i].name, rc);
        ks_free(out);
    }
}

static char sentinel_byte;
#define SENTINEL ((char *)&sentinel_byte)

static void test_cluster_new_arguments(void)
{
    char *err = NULL;
    int rc = ks_cluster_new("{}", NULL, &err);
    CHECK(rc == KS_EINVAL, "ks_cluster_new(\"{}\", NULL, &err) = %d", rc);
    CHECK_STATUS("ks_cluster_new with NULL out", err, 400, "BadRequest", NULL, NULL);
    ks_free(err);
    CHECK(ks_cluster_new("{}", NULL, NULL) == KS_EINVAL, "ks_cluster_new(\"{}\", NULL, NULL)");

    /* Defaults: NULL and "" configs. *error_json is set to NULL on success. */
    const char *defaults[] = {NULL, "", "{}"};
    for (size_t i = 0; i < 3; i++) {
        ks_cluster *c = (ks_cluster *)SENTINEL;
        err = SENTINEL;
        rc = ks_cluster_new(defaults[i], &c, &err);
        CHECK(rc == KS_OK, "ks_cluster_new(%s) = %d", nn(defaults[i]), rc);
        CHECK(err == NULL, "ks_cluster_new(%s) left *error_json %s", nn(defaults[i]),
              err == SENTINEL ? "untouched" : "non-NULL");
        if (err != SENTINEL)
            ks_free(err);
        if (c != (ks_cluster *)SENTINEL)
            ks_cluster_free(c);
        else
            CHECK(0, "ks_cluster_new(%s) left *out untouched", nn(defaults[i]));
    }
    /* The error path works without an error_json pointer. */
    ks_cluster *c = NULL;
    CHECK(ks_cluster_new("", &c, NULL) == KS_OK && c, "ks_cluster_new(\"\", &c, NULL)");
    ks_cluster_free(c);

    /* Bad configurations: *out is NULL and *error_json a 400 Status. */
    const char *bad[] = {"\xff\xfe", "{bad", "[1]", "{\"nodes\": \"many\"}", "{\"kubernetesVersion\": \"0.9\"}",
                         "{\"epoch\": \"yesterday\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        c = (ks_cluster *)SENTINEL;
        err = NULL;
        rc = ks_cluster_new(bad[i], &c, &err);
        CHECK(rc == KS_EINVAL, "ks_cluster_new(%s) = %d: %s", bad[i], rc, nn(err));
        CHECK(c == NULL, "ks_cluster_new(%s) did not set *out to NULL", bad[i]);
        if (c && c != (ks_cluster *)SENTINEL)
            ks_cluster_free(c);
        CHECK_STATUS(bad[i], err, 400, "BadRequest", NULL, NULL);
        ks_free(err);
    }

    /* A node list names the nodes. */
    c = new_cluster("{\"seed\": 3, \"nodes\": [{\"name\": \"n1\", \"controlPlane\": true}, {\"name\": \"n2\"}]}");
    if (c) {
        char *out = CALL("ks_get node n2", ks_get, c, "{\"resource\": \"nodes\", \"name\": \"n2\"}", KS_OK);
        ks_free(out);
        out = CALL("ks_get node minikube", ks_get, c, "{\"resource\": \"nodes\", \"name\": \"minikube\"}",
                   KS_ENOTFOUND);
        CHECK_STATUS("ks_get node minikube", out, 404, "NotFound", "nodes \"minikube\" not found", NULL);
        ks_free(out);
        ks_cluster_free(c);
    }
}

/* request_json NULL or "" means "{}": the same answer and the same effect. */
static void test_null_request_is_empty_object(void)
{
    const char *forms[] = {NULL, "", "{}"};
    for (size_t i = FIRST_REQUEST_FN; i < N_FNS; i++) {
        int rcs[3];
        char *outs[3], *states[3];
        for (int f = 0; f < 3; f++) {
            ks_cluster *c = new_cluster(CONFIG3);
            outs[f] = NULL;
            rcs[f] = c ? all_fns[i].fn(c, forms[f], &outs[f]) : 0;
            states[f] = c ? state_of(c) : NULL;
            ks_cluster_free(c);
        }
        for (int f = 0; f < 2; f++) {
            CHECK(rcs[f] == rcs[2], "%s(c, %s) = %d but %s(c, \"{}\") = %d", all_fns[i].name, nn(forms[f]), rcs[f],
                  all_fns[i].name, rcs[2]);
            CHECK(outs[f] && outs[2] && strcmp(outs[f], outs[2]) == 0, "%s(c, %s) answered %s, with \"{}\" %s",
                  all_fns[i].name, nn(forms[f]), nn(outs[f]), nn(outs[2]));
            CHECK(states[f] && states[2] && strcmp(states[f], states[2]) == 0,
                  "%s(c, %s) left another state than with \"{}\"", all_fns[i].name, nn(forms[f]));
        }
        for (int f = 0; f < 3; f++) {
            ks_free(outs[f]);
            free(states[f]);
        }
    }
}

static void test_null_result_allowed(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    CHECK(ks_apply(c, POD_YAML, NULL) == KS_OK, "ks_apply(c, pod, NULL)");
    char *out = CALL("ks_get pod a", ks_get, c, "{\"resource\": \"pods\", \"name\": \"a\"}", KS_OK);
    ks_free(out);
    CHECK(ks_get(c, "{\"resource\": \"pods\", \"name\": \"nope\"}", NULL) == KS_ENOTFOUND,
          "ks_get(absent, NULL) reports KS_ENOTFOUND");
    CHECK(ks_run(c, "{\"seconds\": 1}", NULL) == KS_OK, "ks_run(c, 1s, NULL)");
    CHECK(ks_state(c, NULL, NULL) == KS_OK, "ks_state(c, NULL, NULL)");
    ks_cluster_free(c);
}

static void test_null_manifest(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *before = state_of(c);
    char *out = CALL("ks_apply(c, NULL)", ks_apply, c, NULL, KS_EINVAL);
    CHECK_STATUS("ks_apply(c, NULL)", out, 400, "BadRequest", NULL, NULL);
    ks_free(out);
    CHECK(ks_apply(c, NULL, NULL) == KS_EINVAL, "ks_apply(c, NULL, NULL)");
    CHECK_UNCHANGED(c, before);
    free(before);
    ks_cluster_free(c);
}

static void test_invalid_utf8(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *before = state_of(c);
    /* Plain garbage, an overlong "/", a UTF-16 surrogate, a truncated sequence. */
    const char *bad[] = {"\xff\xfe", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82"};
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        char manifest[256], request[256];
        snprintf(manifest, sizeof manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x%s\n", bad[b]);
        snprintf(request, sizeof request, "{\"resource\": \"pods\", \"name\": \"x%s\"}", bad[b]);
        char *out = CALL("ks_apply(invalid UTF-8)", ks_apply, c, manifest, KS_EINVAL);
        CHECK_STATUS("ks_apply(invalid UTF-8)", out, 400, "BadRequest", NULL, NULL);
        ks_free(out);
        out = CALL("ks_apply(\\xff\\xfe)", ks_apply, c, bad[b], KS_EINVAL);
        ks_free(out);
        for (size_t i = FIRST_REQUEST_FN; i < N_FNS; i++) {
            out = NULL;
            int rc = all_fns[i].fn(c, request, &out);
            CHECK(rc == KS_EINVAL, "%s(invalid UTF-8 #%zu) = %d: %s", all_fns[i].name, b, rc, nn(out));
            CHECK_STATUS(all_fns[i].name, out, 400, "BadRequest", NULL, NULL);
            ks_free(out);
        }
    }
    CHECK_UNCHANGED(c, before);
    free(before);
    ks_cluster_free(c);
}

static void test_oversized_input(void)
{
    static const char limit_message[] = "Request entity too large: limit is 3145728";
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *before = state_of(c);
    size_t n = KS_MAX_INPUT_BYTES + 1;
    char *big = malloc(n + 1);
    if (!big)
        return;

    /* A YAML comment one byte over the limit. */
    memset(big, 'a', n);
    big[0] = '#';
    big[n] = '\0';
    char *out = CALL("ks_apply(limit + 1)", ks_apply, c, big, KS_EINVAL);
    CHECK_STATUS("ks_apply(limit + 1)", out, 413, "RequestEntityTooLarge", limit_message, NULL);
    ks_free(out);

    /* A JSON request one byte over the limit, for every request function. */
    static const char head[] = "{\"name\": \"";
    memset(big, 'a', n);
    memcpy(big, head, strlen(head));
    memcpy(big + n - 2, "\"}", 2);
    for (size_t i = FIRST_REQUEST_FN; i < N_FNS; i++) {
        out = NULL;
        int rc = all_fns[i].fn(c, big, &out);
        CHECK(rc == KS_EINVAL, "%s(limit + 1) = %d", all_fns[i].name, rc);
        CHECK_STATUS(all_fns[i].name, out, 413, "RequestEntityTooLarge", limit_message, NULL);
        ks_free(out);
    }
    ks_cluster *c2 = (ks_cluster *)SENTINEL;
    char *err = NULL;
    CHECK(ks_cluster_new(big, &c2, &err) == KS_EINVAL && c2 == NULL, "ks_cluster_new(limit + 1)");
    if (c2 != (ks_cluster *)SENTINEL)
        ks_cluster_free(c2);
    CHECK_STATUS("ks_cluster_new(limit + 1)", err, 413, "RequestEntityTooLarge", limit_message, NULL);
    ks_free(err);
    CHECK_UNCHANGED(c, before);

    /* Exactly at the limit is not too large (whatever else the answer is). */
    memset(big, 'a', n);
    big[0] = '#';
    big[KS_MAX_INPUT_BYTES] = '\0';
    out = NULL;
    int rc = ks_apply(c, big, &out);
    json_t *res = parse(out);
    const json_t *st = status_in(res);
    CHECK(rc == KS_OK || json_integer_value(json_object_get(st, "code")) != 413,
          "ks_apply(exactly KS_MAX_INPUT_BYTES) was rejected as too large");
    json_decref(res);
    ks_free(out);

    free(big);
    free(before);
    ks_cluster_free(c);
}

static void test_malformed_yaml(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *before = state_of(c);
    const char *bad[] = {
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n",
        "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: tabs\n",
        "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", ",
        "just a string",
        "- a\n- b\n",
        /* A good document, then a bad one: nothing is applied. */
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n---\nkind: [\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *out = NULL;
        int rc = ks_apply(c, bad[i], &out);
        CHECK(rc == KS_EINVAL, "ks_apply(malformed #%zu) = %d: %s", i, rc, nn(out));
        CHECK_STATUS("ks_apply(malformed)", out, 400, "BadRequest", NULL, NULL);
        ks_free(out);
    }
    CHECK_UNCHANGED(c, before);
    free(before);
    ks_cluster_free(c);
}

static void test_malformed_request_json(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *before = state_of(c);
    const char *bad[] = {"{\"resource\": ", "[1, 2]", "\"pods\"", "{\"resource\": \"pods\"} trailing"};
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        for (size_t i = FIRST_REQUEST_FN; i + 1 < N_FNS; i++) {
            char *out = NULL;
            int rc = all_fns[i].fn(c, bad[b], &out);
            CHECK(rc == KS_EINVAL, "%s(%s) = %d: %s", all_fns[i].name, bad[b], rc, nn(out));
            CHECK_STATUS(all_fns[i].name, out, 400, "BadRequest", NULL, NULL);
            ks_free(out);
        }
    }
    CHECK_UNCHANGED(c, before);
    free(before);
    ks_cluster_free(c);
}

static void test_unknown_kind(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *before = state_of(c);
    char *out =
        CALL("ks_apply(Frobnicator)", ks_apply, c, "apiVersion: v1\nkind: Frobnicator\nmetadata:\n  name: x\n",
             KS_ENOTFOUND);
    CHECK_STATUS("ks_apply(Frobnicator)", out, 404, "NotFound", NULL,
                 "no matches for kind \"Frobnicator\" in version \"v1\"");
    ks_free(out);
    out = CALL("ks_get(frobnicators)", ks_get, c, "{\"resource\": \"frobnicators\", \"name\": \"x\"}", KS_ENOTFOUND);
    CHECK_STATUS("ks_get(frobnicators)", out, 404, "NotFound", NULL, NULL);
    ks_free(out);
    out = CALL("ks_list(kind Frobnicator)", ks_list, c, "{\"kind\": \"Frobnicator\"}", KS_ENOTFOUND);
    CHECK_STATUS("ks_list(kind Frobnicator)", out, 404, "NotFound", NULL, NULL);
    ks_free(out);
    CHECK_UNCHANGED(c, before);
    free(before);
    ks_cluster_free(c);
}

static void test_missing_name(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *before = state_of(c);
    char *out = CALL("ks_create(no name)", ks_create, c,
                     "{\"object\": {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {}}}", KS_EINVALID);
    CHECK_STATUS("ks_create(no name)", out, 422, "Invalid",
                 "ConfigMap \"\" is invalid: metadata.name: Required value: name or generateName is required", NULL);
    ks_free(out);

    out = NULL;
    int rc = ks_apply(c, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    a: b\n", &out);
    CHECK(rc < 0, "ks_apply(no name) = %d: %s", rc, nn(out));
    ks_free(out);

    out = NULL;
    rc = ks_get(c, "{\"resource\": \"configmaps\"}", &out);
    CHECK(rc < 0, "ks_get without a name = %d: %s", rc, nn(out));
    ks_free(out);
    CHECK_UNCHANGED(c, before);
    free(before);
    ks_cluster_free(c);
}

static void test_invalid_selector(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *before = state_of(c);
    char *out = CALL("ks_list(-l 'a b')", ks_list, c, "{\"resource\": \"pods\", \"labelSelector\": \"a b\"}",
                     KS_EINVAL);
    CHECK_STATUS("ks_list(-l 'a b')", out, 400, "BadRequest", NULL, "unable to parse requirement");
    ks_free(out);
    out = CALL("ks_list(field selector)", ks_list, c, "{\"resource\": \"pods\", \"fieldSelector\": \"nonsense\"}",
               KS_EINVAL);
    CHECK_STATUS("ks_list(field selector)", out, 400, "BadRequest", NULL, NULL);
    ks_free(out);

    out = kubectl(c, "get pods -l 'a b'");
    json_t *res = parse(out);
    const char *err = json_string_value(json_object_get(res, "stderr"));
    CHECK(json_integer_value(json_object_get(res, "exitCode")) == 1, "kubectl get -l 'a b' exit code: %s", nn(out));
    /* kubectl's EnhanceListError names the resource and the selectors before the server's text. */
    const char *want = "Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match "
                       "label selector \"a b\", field selector \"\": unable to parse requirement: "
                       "found 'b', expected: '=', '!=', '==', 'in', notin'\n";
    CHECK(err && strcmp(err, want) == 0, "kubectl get -l 'a b' stderr: %s", nn(err));
    json_decref(res);
    ks_free(out);
    CHECK_UNCHANGED(c, before);
    free(before);
    ks_cluster_free(c);
}

static void test_not_found(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *before = state_of(c);
    static const struct {
        const char *what;
        request_fn fn;
        const char *request;
        const char *message;
    } cases[] = {
        {"ks_get", ks_get, "{\"resource\": \"pods\", \"name\": \"nope\"}", "pods \"nope\" not found"},
        {"ks_get(kind)", ks_get, "{\"kind\": \"Pod\", \"apiVersion\": \"v1\", \"name\": \"nope\"}",
         "pods \"nope\" not found"},
        {"ks_get(namespace)", ks_get, "{\"resource\": \"pods\", \"namespace\": \"elsewhere\", \"name\": \"nope\"}",
         "pods \"nope\" not found"},
        {"ks_get(deployment)", ks_get, "{\"resource\": \"deployments\", \"name\": \"nope\"}",
         "deployments.apps \"nope\" not found"},
        {"ks_get(deployments.apps)", ks_get, "{\"resource\": \"deployments.apps\", \"name\": \"nope\"}",
         "deployments.apps \"nope\" not found"},
        {"ks_delete", ks_delete, "{\"resource\": \"pods\", \"name\": \"nope\"}", "pods \"nope\" not found"},
        {"ks_patch", ks_patch,
         "{\"resource\": \"pods\", \"name\": \"nope\", \"patch\": {\"metadata\": {\"labels\": {\"a\": \"b\"}}}}",
         "pods \"nope\" not found"},
        {"ks_node", ks_node, "{\"action\": \"cordon\", \"name\": \"nope\"}", "nodes \"nope\" not found"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = CALL(cases[i].what, cases[i].fn, c, cases[i].request, KS_ENOTFOUND);
        CHECK_STATUS(cases[i].what, out, 404, "NotFound", cases[i].message, NULL);
        ks_free(out);
    }
    char *out = CALL("ks_get", ks_get, c, "{\"resource\": \"pods\", \"name\": \"nope\"}", KS_ENOTFOUND);
    json_t *res = parse(out);
    const json_t *details = json_object_get(res, "details");
    CHECK(str_is(json_object_get(details, "name"), "nope") && str_is(json_object_get(details, "kind"), "pods"),
          "details: %s", nn(out));
    json_decref(res);
    ks_free(out);

    out = kubectl(c, "get pods nope");
    res = parse(out);
    const char *err = json_string_value(json_object_get(res, "stderr"));
    CHECK(json_integer_value(json_object_get(res, "exitCode")) == 1, "kubectl get pods nope: %s", nn(out));
    CHECK(err && strcmp(err, "Error from server (NotFound): pods \"nope\" not found\n") == 0,
          "kubectl get pods nope stderr: %s", nn(err));
    json_decref(res);
    ks_free(out);
    CHECK_UNCHANGED(c, before);
    free(before);
    ks_cluster_free(c);
}

static void test_conflict_and_exists(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    static const char cm[] =
        "{\"object\": {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"cm\"}, "
        "\"data\": {\"color\": \"blue\"}}}";
    char *out = CALL("ks_create(cm)", ks_create, c, cm, KS_OK);
    json_t *created = parse(out);
    ks_free(out);
    CHECK(json_string_value(json_object_get(json_object_get(created, "metadata"), "resourceVersion")),
          "the created object has a resourceVersion");

    char *before = state_of(c);
    out = CALL("ks_create(cm again)", ks_create, c, cm, KS_EEXISTS);
    CHECK_STATUS("ks_create(cm again)", out, 409, "AlreadyExists", "configmaps \"cm\" already exists", NULL);
    ks_free(out);
    CHECK_UNCHANGED(c, before);
    free(before);

    /* Someone else changes it; our copy is now stale. */
    out = CALL("ks_patch(cm)", ks_patch, c,
               "{\"resource\": \"configmaps\", \"name\": \"cm\", \"patch\": {\"data\": {\"color\": \"red\"}}}", KS_OK);
    ks_free(out);
    before = state_of(c);
    json_object_set_new(json_object_get(created, "data"), "color", json_string("green"));
    json_t *req = json_pack("{s:O}", "object", created);
    char *input = json_dumps(req, JSON_COMPACT);
    out = CALL("ks_update(stale)", ks_update, c, input, KS_ECONFLICT);
    CHECK_STATUS("ks_update(stale)", out, 409, "Conflict", CONFLICT_MESSAGE, NULL);
    ks_free(out);
    CHECK_UNCHANGED(c, before);
    free(before);
    free(input);
    json_decref(req);

    /* With the current version the update goes through. */
    out = CALL("ks_get(cm)", ks_get, c, "{\"resource\": \"configmaps\", \"name\": \"cm\"}", KS_OK);
    json_t *current = parse(out);
    ks_free(out);
    json_object_set_new(json_object_get(current, "data"), "color", json_string("green"));
    req = json_pack("{s:O}", "object", current);
    input = json_dumps(req, JSON_COMPACT);
    out = CALL("ks_update(current)", ks_update, c, input, KS_OK);
    json_t *updated = parse(out);
    CHECK(str_is(json_object_get(json_object_get(updated, "data"), "color"), "green"), "updated data: %s", nn(out));
    json_decref(updated);
    ks_free(out);
    free(input);
    json_decref(req);
    json_decref(current);
    json_decref(created);
    ks_cluster_free(c);
}

static void test_invalid_object(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *before = state_of(c);
    static const char d[] =
        "{\"object\": {\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"metadata\": {\"name\": \"d\"}, "
        "\"spec\": {\"replicas\": -1, \"selector\": {\"matchLabels\": {\"app\": \"d\"}}, \"template\": "
        "{\"metadata\": {\"labels\": {\"app\": \"d\"}}, \"spec\": {\"containers\": [{\"name\": \"c\", "
        "\"image\": \"nginx\"}]}}}}}";
    char *out = CALL("ks_create(replicas -1)", ks_create, c, d, KS_EINVALID);
    CHECK_STATUS("ks_create(replicas -1)", out, 422, "Invalid",
                 "Deployment.apps \"d\" is invalid: spec.replicas: Invalid value: -1: must be greater than or "
                 "equal to 0",
                 NULL);
    json_t *res = parse(out);
    const json_t *cause = json_array_get(json_object_get(json_object_get(res, "details"), "causes"), 0);
    CHECK(json_string_value(json_object_get(cause, "field")) &&
              strcmp(json_string_value(json_object_get(cause, "field")), "spec.replicas") == 0,
          "details.causes[0].field: %s", nn(out));
    json_decref(res);
    ks_free(out);
    CHECK_UNCHANGED(c, before);
    free(before);
    ks_cluster_free(c);
}

/* Members a kind does not have: ks_apply refuses them as kubectl's default --validate=strict
 * does (nothing stored); ks_create drops them (the server's default, Warn) unless asked for
 * "Strict". */
static void test_unknown_fields(void)
{
    ks_cluster *c = new_cluster("{\"seed\": 7, \"nodes\": 3, \"kubernetesVersion\": \"1.36\"}");
    if (!c)
        return;
    char *before = state_of(c);
    static const char misspelt[] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndatta:\n  k: v\n";
    char *out = CALL("ks_apply(datta)", ks_apply, c, misspelt, KS_EINVAL);
    json_t *res = parse(out);
    const json_t *error = json_object_get(json_array_get(json_object_get(res, "items"), 0), "error");
    CHECK(str_is(json_object_get(error, "message"),
                 "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: "
                 "unknown field \"datta\""),
          "strict apply: %s", nn(out));
    json_decref(res);
    ks_free(out);
    CHECK_UNCHANGED(c, before);

    static const char create[] = "{\"object\": {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", "
                                 "\"metadata\": {\"name\": \"cm\"}, \"data\": {\"k\": \"v\"}, \"datta\": 1}}";
    out = CALL("ks_create(datta)", ks_create, c, create, KS_OK);
    res = parse(out);
    CHECK(json_object_get(res, "datta") == NULL && json_object_get(res, "data") != NULL,
          "stored without the unknown member: %s", nn(out));
    json_decref(res);
    ks_free(out);
    static const char strict[] = "{\"fieldValidation\": \"Strict\", \"object\": {\"apiVersion\": \"v1\", "
                                 "\"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"cm2\"}, \"datta\": 1}}";
    out = CALL("ks_create(Strict)", ks_create, c, strict, KS_EINVAL);
    CHECK_STATUS("ks_create(Strict)", out, 400, "BadRequest",
                 "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: "
                 "unknown field \"datta\"",
                 NULL);
    ks_free(out);
    free(before);
    ks_cluster_free(c);
}

/* "dryRun": "All": the object as it would be stored, nothing stored. */
static void test_dry_run(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *before = state_of(c);
    static const char create[] = "{\"dryRun\": \"All\", \"object\": {\"apiVersion\": \"v1\", \"kind\": "
                                 "\"ConfigMap\", \"metadata\": {\"name\": \"preview\"}, \"data\": {\"k\": \"v\"}}}";
    char *out = CALL("ks_create(dryRun)", ks_create, c, create, KS_OK);
    json_t *res = parse(out);
    const json_t *meta = json_object_get(res, "metadata");
    CHECK(json_object_get(meta, "uid") != NULL && json_object_get(meta, "resourceVersion") == NULL,
          "a uid, no resourceVersion: %s", nn(out));
    json_decref(res);
    ks_free(out);
    CHECK_UNCHANGED(c, before);
    CHECK(ks_get(c, "{\"resource\": \"configmaps\", \"name\": \"preview\"}", NULL) == KS_ENOTFOUND,
          "nothing stored");
    free(before);
    ks_cluster_free(c);
}

static void test_bad_run_and_node_requests(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *before = state_of(c);
    const char *bad_runs[] = {"{\"duration\": \"abc\"}", "{\"duration\": \"10\"}", "{\"seconds\": -1}",
                              "{\"seconds\": \"ten\"}"};
    for (size_t i = 0; i < sizeof bad_runs / sizeof bad_runs[0]; i++) {
        char *out = CALL(bad_runs[i], ks_run, c, bad_runs[i], KS_EINVAL);
        CHECK_STATUS(bad_runs[i], out, 400, "BadRequest", NULL, NULL);
        ks_free(out);
    }
    char *out = CALL("ks_node(explode)", ks_node, c, "{\"action\": \"explode\", \"name\": \"minikube\"}", KS_EINVAL);
    CHECK_STATUS("ks_node(explode)", out, 400, "BadRequest", NULL, NULL);
    ks_free(out);
    out = CALL("ks_node(no name)", ks_node, c, "{\"action\": \"cordon\"}", KS_EINVAL);
    ks_free(out);
    out = CALL("ks_kubectl(args not strings)", ks_kubectl, c, "{\"args\": [1, 2]}", KS_EINVAL);
    ks_free(out);
    CHECK_UNCHANGED(c, before);
    free(before);
    ks_cluster_free(c);
}

/* A zone fails and comes back: ks_node's faults, the taints and evictions that follow, and
 * ks_report's measure of it; bad fault requests change nothing. */
static void test_node_faults_and_report(void)
{
    ks_cluster *c = new_cluster("{\"seed\": 3, \"topology\": {\"zonesPerRegion\": 3, \"nodesPerRack\": 2}}");
    if (!c)
        return;
    char *out = CALL("ks_report(empty)", ks_report, c, NULL, KS_OK);
    CHECK(out && strstr(out, "\"faults\":[]") && strstr(out, "\"podsEvicted\":0"), "empty report: %s", nn(out));
    ks_free(out);
    const char *deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 6\n"
                         "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n"
                         "    spec:\n      containers:\n      - {name: web, image: nginx}\n";
    out = CALL("ks_apply", ks_apply, c, deploy, KS_OK);
    ks_free(out);
    out = CALL("ks_run", ks_run, c, "{\"seconds\": 30}", KS_OK);
    ks_free(out);

    char *before = state_of(c);
    const char *bad[] = {"{\"action\": \"fail\", \"scope\": \"galaxy\", \"name\": \"x\"}",
                         "{\"action\": \"fail\", \"scope\": \"zone\"}",
                         "{\"action\": \"fail\", \"name\": \"minikube\", \"at\": \"yesterday\"}",
                         "{\"action\": \"fail\", \"name\": \"minikube\", \"at\": \"2000-01-01T00:00:00Z\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        out = CALL(bad[i], ks_node, c, bad[i], KS_EINVAL);
        CHECK_STATUS(bad[i], out, 400, "BadRequest", NULL, NULL);
        ks_free(out);
    }
    out = CALL("ks_node(no such zone)", ks_node, c, "{\"action\": \"fail\", \"scope\": \"zone\", \"name\": \"mars\"}",
               KS_ENOTFOUND);
    CHECK_STATUS("ks_node(no such zone)", out, 404, "NotFound", NULL, "no nodes in zone \"mars\"");
    ks_free(out);
    out = CALL("ks_report(field)", ks_report, c, "{\"x\": 1}", KS_EINVAL);
    ks_free(out);
    CHECK_UNCHANGED(c, before);
    free(before);

    out = CALL("ks_node(fail zone)", ks_node, c, "{\"action\": \"fail\", \"scope\": \"zone\", \"name\": \"region-1-b\"}", KS_OK);
    json_t *fault = parse(out);
    CHECK(json_array_size(json_object_get(fault, "nodes")) == 2, "zone region-1-b has 2 nodes: %s", nn(out));
    json_decref(fault);
    ks_free(out);
    out = CALL("ks_node(restore later)", ks_node, c,
               "{\"action\": \"restore\", \"scope\": \"zone\", \"name\": \"region-1-b\", \"at\": \"2024-01-01T00:10:30Z\"}", KS_OK);
    ks_free(out);
    out = CALL("ks_run", ks_run, c, "{\"seconds\": 400}", KS_OK);
    ks_free(out);
    out = CALL("ks_get(node)", ks_get, c, "{\"resource\": \"nodes\", \"name\": \"minikube-m03\"}", KS_OK);
    CHECK(out && strstr(out, "node.kubernetes.io/unreachable") && strstr(out, "Kubelet stopped posting node status."),
          "failed node is Unknown and tainted: %s", nn(out));
    ks_free(out);
    out = CALL("ks_run", ks_run, c, "{\"seconds\": 600}", KS_OK);
    ks_free(out);
    out = CALL("ks_report", ks_report, c, "{}", KS_OK);
    json_t *report = parse(out);
    CHECK(json_integer_value(json_object_get(report, "podsEvicted")) == 2, "2 pods evicted: %s", nn(out));
    CHECK(json_is_true(json_object_get(report, "recovered")), "recovered: %s", nn(out));
    json_t *w = json_array_get(json_object_get(report, "workloads"), 0);
    CHECK(json_integer_value(json_object_get(w, "maxUnavailable")) == 2, "2 replicas lost: %s", nn(out));
    CHECK(json_array_size(json_object_get(report, "nodesTainted")) == 2, "2 nodes tainted: %s", nn(out));
    json_decref(report);
    ks_free(out);
    ks_cluster_free(c);
}

/* ks_scheduler: the explanation of a pod the scheduler could not place, and bad requests. */
static void test_scheduler_explain(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *out = CALL("ks_apply(big pod)", ks_apply, c,
                     "apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  containers:\n"
                     "  - {name: c, image: busybox, resources: {requests: {cpu: \"100\"}}}\n",
                     KS_OK);
    ks_free(out);
    out = CALL("ks_run", ks_run, c, "{\"seconds\": 2}", KS_OK);
    ks_free(out);
    out = CALL("ks_scheduler(explain)", ks_scheduler, c,
               "{\"action\": \"explain\", \"namespace\": \"default\", \"name\": \"big\"}", KS_OK);
    CHECK(out && strstr(out, "\"pod\":\"default/big\"") && strstr(out, "\"state\":\"unschedulablePods\"") &&
              strstr(out, "\"plugin\":\"NodeResourcesFit\",\"result\":\"Unschedulable\",\"reasons\":[\"Insufficient cpu\"]") &&
              strstr(out, "0/3 nodes are available: 3 Insufficient cpu."),
          "explain: %s", nn(out));
    ks_free(out);
    out = CALL("ks_scheduler(unknown pod)", ks_scheduler, c, "{\"action\": \"explain\", \"name\": \"nope\"}",
               KS_ENOTFOUND);
    CHECK_STATUS("ks_scheduler(unknown pod)", out, 404, "NotFound", "pods \"nope\" not found", NULL);
    ks_free(out);
    out = CALL("ks_scheduler(bad action)", ks_scheduler, c, "{\"action\": \"fly\"}", KS_EINVAL);
    CHECK_STATUS("ks_scheduler(bad action)", out, 400, "BadRequest", NULL, NULL);
    ks_free(out);
    ks_cluster_free(c);
}

/* A cluster on three etcd members: status, a fault, the API's errors while a quorum is
 * unreachable, recovery, and bad fault requests. */
static void test_etcd_faults(void)
{
    ks_cluster *c = new_cluster("{\"seed\": 3, \"nodes\": 3, \"etcd\": {\"members\": 3}}");
    if (!c)
        return;
    char *out = CALL("ks_etcd(status)", ks_etcd, c, "{\"action\": \"status\"}", KS_OK);
    json_t *status = parse(out);
    size_t leaders = 0, i;
    json_t *member;
    json_array_foreach(json_object_get(status, "members"), i, member) leaders += json_is_true(json_object_get(member, "isLeader"));
    CHECK(json_array_size(json_object_get(status, "members")) == 3 && leaders == 1, "want 3 members, 1 leader: %s", out);
    json_decref(status);
    ks_free(out);

    char *before = state_of(c);
    const char *bad[] = {"{\"action\": \"crash\", \"member\": 9}", "{\"action\": \"restart\", \"member\": 1}",
                         "{\"action\": \"partition\", \"groups\": [[1, 2], [2, 3]]}", "{\"action\": \"explode\"}",
                         "{\"action\": \"crash\"}", "{\"action\": \"partition\", \"groups\": 3}"};
    const char *messages[] = {"no etcd member with id 9", "etcd member 1 is already running",
                              "etcd member 2 is in more than one group of the partition", "unknown etcd action", "needs \"member\"",
                              "partition needs \"groups\""};
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        out = CALL(bad[i], ks_etcd, c, bad[i], KS_EINVAL);
        CHECK_STATUS(bad[i], out, 400, "BadRequest", NULL, messages[i]);
        ks_free(out);
    }
    CHECK_UNCHANGED(c, before);
    free(before);

    /* Member 1 (the API server's) cut off from the majority: writes fail as the API server
     * reports etcd errors, a 500 with etcd's text. */
    out = CALL("ks_etcd(partition)", ks_etcd, c, "{\"action\": \"partition\", \"groups\": [[1], [2, 3]]}", KS_OK);
    ks_free(out);
    const char *cm = "{\"object\": {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"cm\"}}}";
    out = CALL("ks_create(no quorum)", ks_create, c, cm, KS_EUNAVAILABLE);
    CHECK_STATUS("ks_create(no quorum)", out, 500, NULL, NULL, "etcdserver: ");
    CHECK(!strstr(out, "\"reason\""), "an etcd error passes through with no reason, as ErrorToAPIStatus gives it: %s", out);
    ks_free(out);
    out = CALL("ks_etcd(heal)", ks_etcd, c, "{\"action\": \"heal\"}", KS_OK);
    ks_free(out);
    out = CALL("ks_run", ks_run, c, "{\"seconds\": 10}", KS_OK);
    ks_free(out);
    const char *cm2 = "{\"object\": {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"after\"}}}";
    out = CALL("ks_create(healed)", ks_create, c, cm2, KS_OK);
    ks_free(out);
    out = CALL("ks_etcd(events)", ks_etcd, c, "{\"action\": \"events\"}", KS_OK);
    CHECK(strstr(out, "members partitioned: {1} {2,3}") && strstr(out, "network healed"), "events: %s", out);
    ks_free(out);

    /* Membership: a learner joins, catches up and is promoted; promoting it again is refused
     * with etcd's words. */
    out = CALL("ks_etcd(add)", ks_etcd, c, "{\"action\": \"add\"}", KS_OK);
    json_t *added = parse(out);
    CHECK(json_integer_value(json_object_get(added, "added")) == 4, "added: %s", out);
    json_decref(added);
    ks_free(out);
    out = CALL("ks_run", ks_run, c, "{\"seconds\": 2}", KS_OK);
    ks_free(out);
    out = CALL("ks_etcd(promote)", ks_etcd, c, "{\"action\": \"promote\", \"member\": 4}", KS_OK);
    CHECK(!strstr(out, "\"isLearner\":true"), "promoted: %s", out);
    ks_free(out);
    out = CALL("ks_etcd(promote again)", ks_etcd, c, "{\"action\": \"promote\", \"member\": 4}", KS_EINVAL);
    CHECK_STATUS("ks_etcd(promote again)", out, 400, "BadRequest", NULL, "etcdserver: can only promote a learner member");
    ks_free(out);
    ks_cluster_free(c);

    /* A cluster without etcd members says how to get them. */
    c = new_cluster(CONFIG3);
    if (!c)
        return;
    out = CALL("ks_etcd(plain)", ks_etcd, c, "{\"action\": \"status\"}", KS_EINVAL);
    CHECK_STATUS("ks_etcd(plain)", out, 400, "BadRequest", NULL, "\"etcd\": {\"members\": 3}");
    ks_free(out);
    ks_cluster_free(c);
}

static void check_apply_item(int line, const char *raw, size_t index, const char *result, const char *output)
{
    json_t *res = parse(raw);
    const json_t *item = json_array_get(json_object_get(res, "items"), index);
    const char *r = json_string_value(json_object_get(item, "result"));
    const char *o = json_string_value(json_object_get(item, "output"));
    check(r && strcmp(r, result) == 0 && o && strcmp(o, output) == 0, line, "apply item",
          "item %zu: want %s / %s in %s", index, result, output, nn(raw));
    json_decref(res);
}
#define CHECK_APPLY_ITEM(raw, index, result, output) check_apply_item(__LINE__, raw, index, result, output)

static void test_apply_results(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *out = CALL("apply cm", ks_apply, c, CONFIGMAP_YAML, KS_OK);
    CHECK_APPLY_ITEM(out, 0, "created", "configmap/cm created");
    json_t *res = parse(out);
    const json_t *item = json_array_get(json_object_get(res, "items"), 0);
    json_t *want = json_pack("{s:s,s:s,s:s,s:s}", "kind", "ConfigMap", "apiVersion", "v1", "namespace", "default",
                             "name", "cm");
    const char *key;
    json_t *value;
    json_object_foreach(want, key, value) {
        CHECK(json_equal(json_object_get(item, key), value), "apply item %s: %s", key, nn(out));
    }
    json_decref(want);
    json_decref(res);
    ks_free(out);

    out = CALL("apply cm again", ks_apply, c, CONFIGMAP_YAML, KS_OK);
    CHECK_APPLY_ITEM(out, 0, "unchanged", "configmap/cm unchanged");
    ks_free(out);

    out = CALL("apply changed cm", ks_apply, c,
               "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  color: red\n", KS_OK);
    CHECK_APPLY_ITEM(out, 0, "configured", "configmap/cm configured");
    ks_free(out);

    out = CALL("apply deployment", ks_apply, c, DEPLOYMENT_YAML, KS_OK);
    CHECK_APPLY_ITEM(out, 0, "created", "deployment.apps/nginx-deployment created");
    ks_free(out);

    /* One bad object among good ones: the others still apply, the code is the failure's. */
    out = CALL("apply mixed", ks_apply, c,
               "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n---\n"
               "apiVersion: v1\nkind: Frobnicator\nmetadata:\n  name: two\n---\n"
               "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: three\n",
               KS_ENOTFOUND);
    res = parse(out);
    CHECK(json_array_size(json_object_get(res, "items")) == 3, "three items: %s", nn(out));
    CHECK(json_object_get(json_array_get(json_object_get(res, "items"), 1), "error"), "item 1 has an error");
    json_decref(res);
    CHECK_APPLY_ITEM(out, 0, "created", "configmap/one created");
    CHECK_APPLY_ITEM(out, 2, "created", "configmap/three created");
    ks_free(out);

    /* A JSON List applies its items. */
    out = CALL("apply List", ks_apply, c,
               "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{\"apiVersion\": \"v1\", \"kind\": "
               "\"ConfigMap\", \"metadata\": {\"name\": \"four\"}}]}",
               KS_OK);
    CHECK_APPLY_ITEM(out, 0, "created", "configmap/four created");
    ks_free(out);
    ks_cluster_free(c);
}

static void test_list_order_and_shape(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    const char *names[][2] = {{"default", "b"}, {"kube-system", "a"}, {"default", "a"}};
    for (size_t i = 0; i < 3; i++) {
        char req[256];
        snprintf(req, sizeof req,
                 "{\"object\": {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"%s\", "
                 "\"namespace\": \"%s\", \"labels\": {\"t\": \"x\"}}}}",
                 names[i][1], names[i][0]);
        char *out = CALL("ks_create", ks_create, c, req, KS_OK);
        ks_free(out);
    }
    char *out = CALL("ks_list all namespaces", ks_list, c,
                     "{\"resource\": \"configmaps\", \"namespace\": \"\", \"labelSelector\": \"t=x\"}", KS_OK);
    json_t *res = parse(out);
    CHECK(json_string_value(json_object_get(res, "kind")) &&
              strcmp(json_string_value(json_object_get(res, "kind")), "ConfigMapList") == 0,
          "kind ConfigMapList: %s", nn(out));
    CHECK(json_string_value(json_object_get(json_object_get(res, "metadata"), "resourceVersion")),
          "metadata.resourceVersion");
    const char *want[] = {"default/a", "default/b", "kube-system/a"};
    const json_t *items = json_object_get(res, "items");
    CHECK(json_array_size(items) == 3, "3 items, got %zu", json_array_size(items));
    for (size_t i = 0; i < 3 && i < json_array_size(items); i++) {
        const json_t *md = json_object_get(json_array_get(items, i), "metadata");
        char got[256];
        snprintf(got, sizeof got, "%s/%s", nn(json_string_value(json_object_get(md, "namespace"))),
                 nn(json_string_value(json_object_get(md, "name"))));
        CHECK(strcmp(got, want[i]) == 0, "item %zu is %s, want %s", i, got, want[i]);
    }
    json_decref(res);
    ks_free(out);

    /* ks_list: an omitted namespace means all namespaces, like "". */
    out = CALL("ks_list no namespace", ks_list, c, "{\"resource\": \"configmaps\", \"labelSelector\": \"t=x\"}",
               KS_OK);
    res = parse(out);
    CHECK(json_array_size(json_object_get(res, "items")) == 3, "all namespaces have 3: %s", nn(out));
    json_decref(res);
    ks_free(out);
    out = CALL("ks_list default", ks_list, c,
               "{\"resource\": \"configmaps\", \"namespace\": \"default\", \"labelSelector\": \"t=x\"}", KS_OK);
    res = parse(out);
    CHECK(json_array_size(json_object_get(res, "items")) == 2, "the default namespace has 2: %s", nn(out));
    json_decref(res);
    ks_free(out);
    ks_cluster_free(c);
}

static void test_patch_delete_watch(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *out = CALL("apply cm", ks_apply, c, CONFIGMAP_YAML, KS_OK);
    ks_free(out);
    out = CALL("get cm", ks_get, c, "{\"resource\": \"configmaps\", \"name\": \"cm\"}", KS_OK);
    json_t *obj = parse(out);
    ks_free(out);
    const char *rv0 = json_string_value(json_object_get(json_object_get(obj, "metadata"), "resourceVersion"));
    char *rv = strdup(nn(rv0));
    json_decref(obj);

    out = CALL("merge patch", ks_patch, c,
               "{\"resource\": \"configmaps\", \"name\": \"cm\", \"patch\": {\"metadata\": {\"labels\": {\"tier\": "
               "\"web\"}}}}",
               KS_OK);
    obj = parse(out);
    CHECK(str_is(json_object_get(json_object_get(json_object_get(obj, "metadata"), "labels"), "tier"), "web"),
          "merge patch added the label: %s", nn(out));
    json_decref(obj);
    ks_free(out);

    out = CALL("json patch", ks_patch, c,
               "{\"resource\": \"configmaps\", \"name\": \"cm\", \"patchType\": \"json\", \"patch\": [{\"op\": "
               "\"replace\", \"path\": \"/data/color\", \"value\": \"red\"}]}",
               KS_OK);
    obj = parse(out);
    CHECK(str_is(json_object_get(json_object_get(obj, "data"), "color"), "red"), "json patch replaced data.color: %s",
          nn(out));
    json_decref(obj);
    ks_free(out);

    out = CALL("delete", ks_delete, c, "{\"resource\": \"configmaps\", \"name\": \"cm\"}", KS_OK);
    ks_free(out);
    out = CALL("get deleted", ks_get, c, "{\"resource\": \"configmaps\", \"name\": \"cm\"}", KS_ENOTFOUND);
    ks_free(out);

    char req[256];
    snprintf(req, sizeof req, "{\"resource\": \"configmaps\", \"resourceVersion\": \"%s\"}", rv);
    out = CALL("watch", ks_watch, c, req, KS_OK);
    obj = parse(out);
    const json_t *items = json_object_get(obj, "items");
    const char *types[] = {"MODIFIED", "MODIFIED", "DELETED"};
    CHECK(json_array_size(items) == 3, "three changes since rv %s: %s", rv, nn(out));
    for (size_t i = 0; i < 3 && i < json_array_size(items); i++) {
        const char *t = json_string_value(json_object_get(json_array_get(items, i), "type"));
        CHECK(t && strcmp(t, types[i]) == 0, "change %zu is %s, want %s", i, nn(t), types[i]);
    }
    CHECK(json_string_value(json_object_get(obj, "resourceVersion")), "watch resourceVersion: %s", nn(out));
    json_decref(obj);
    ks_free(out);
    free(rv);
    ks_cluster_free(c);
}

static void test_events_cursor(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *out = CALL("apply", ks_apply, c, DEPLOYMENT_YAML, KS_OK);
    ks_free(out);
    out = CALL("run", ks_run, c, "{\"duration\": \"30s\"}", KS_OK);
    json_t *res = parse(out);
    CHECK(json_string_value(json_object_get(res, "now")), "run result has now: %s", nn(out));
    json_decref(res);
    ks_free(out);

    /* The default namespace's: kube-system has the system DaemonSets' pods (and their events). */
    out = CALL("events", ks_events, c, "{\"namespace\": \"default\"}", KS_OK);
    res = parse(out);
    const json_t *items = json_object_get(res, "items");
    const char *cursor = json_string_value(json_object_get(res, "cursor"));
    CHECK(json_array_size(items) > 0 && cursor, "events and a cursor: %.300s", nn(out));
    size_t scheduled = 0, i;
    const json_t *ev;
    json_array_foreach(items, i, ev) {
        const char *reason = json_string_value(json_object_get(ev, "reason"));
        scheduled += reason && strcmp(reason, "Scheduled") == 0;
    }
    CHECK(scheduled == 3, "%zu Scheduled events, want 3", scheduled);
    char req[512];
    snprintf(req, sizeof req, "{\"since\": \"%s\", \"namespace\": \"default\"}", nn(cursor));
    json_decref(res);
    ks_free(out);

    out = CALL("events since", ks_events, c, req, KS_OK);
    res = parse(out);
    CHECK(json_array_size(json_object_get(res, "items")) == 0, "no events since the cursor: %s", nn(out));
    json_decref(res);
    ks_free(out);
    ks_cluster_free(c);
}

/* client-go's event correlator: a ReplicaSet creating 40 pods records 9 "Created pod"
 * Events, then one combined Event counting the next 16, then nothing (25 per object). */
static void test_similar_events_combined(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *out = CALL("apply", ks_apply, c,
                     "{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"metadata\": {\"name\": \"wide\"},"
                     " \"spec\": {\"replicas\": 40, \"selector\": {\"matchLabels\": {\"app\": \"wide\"}},"
                     " \"template\": {\"metadata\": {\"labels\": {\"app\": \"wide\"}},"
                     " \"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"nginx\"}]}}}}",
                     KS_OK);
    ks_free(out);
    out = CALL("run", ks_run, c, "{\"duration\": \"60s\"}", KS_OK);
    ks_free(out);
    out = CALL("events", ks_events, c, "{\"namespace\": \"default\"}", KS_OK);
    json_t *res = parse(out);
    static const char prefix[] = "(combined from similar events): Created pod: wide-";
    size_t single = 0, combined = 0, i;
    json_int_t combinedCount = 0;
    const json_t *ev;
    json_array_foreach(json_object_get(res, "items"), i, ev) {
        const char *reason = json_string_value(json_object_get(ev, "reason"));
        const char *kind = json_string_value(json_object_get(json_object_get(ev, "involvedObject"), "kind"));
        const char *message = json_string_value(json_object_get(ev, "message"));
        if (!reason || strcmp(reason, "SuccessfulCreate") != 0 || !kind || strcmp(kind, "ReplicaSet") != 0 || !message)
            continue;
        if (strncmp(message, prefix, sizeof prefix - 1) == 0) {
            combined++;
            combinedCount = json_integer_value(json_object_get(ev, "count"));
        } else {
            CHECK(strncmp(message, "Created pod: wide-", 18) == 0, "message: %s", message);
            CHECK(json_integer_value(json_object_get(ev, "count")) == 1, "count of %s", message);
            single++;
        }
    }
    CHECK(single == 9, "%zu single SuccessfulCreate events, want 9", single);
    CHECK(combined == 1 && combinedCount == 16, "%zu combined events, count %lld; want 1 with 16", combined,
          (long long)combinedCount);
    json_decref(res);
    ks_free(out);
    ks_cluster_free(c);
}

static void test_kubectl(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    char *a = kubectl(c, "get nodes");
    char *b = NULL;
    CHECK(ks_kubectl(c, "{\"args\": [\"get\", \"nodes\"]}", &b) == KS_OK, "args form");
    CHECK(a && b && strcmp(a, b) == 0, "command and args forms differ:\n%s\n%s", nn(a), nn(b));
    json_t *res = parse(a);
    const char *so = json_string_value(json_object_get(res, "stdout"));
    CHECK(json_integer_value(json_object_get(res, "exitCode")) == 0, "exit 0: %s", nn(a));
    CHECK(so && strncmp(so, "NAME ", 5) == 0 && strstr(so, "minikube-m03"), "get nodes stdout: %s", nn(so));
    json_decref(res);
    ks_free(a);
    ks_free(b);

    char *out = NULL;
    CHECK(ks_kubectl(c, "{\"command\": \"apply -f -\", \"stdin\": \"apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  "
                        "name: piped\\n\"}",
                     &out) == KS_OK,
          "apply -f -");
    res = parse(out);
    so = json_string_value(json_object_get(res, "stdout"));
    CHECK(so && strcmp(so, "configmap/piped created\n") == 0, "apply -f - stdout: %s", nn(out));
    json_decref(res);
    ks_free(out);

    /* Several types at once: a table each, the kind in NAME, a blank line between them. */
    out = kubectl(c, "get configmaps,nodes");
    res = parse(out);
    so = json_string_value(json_object_get(res, "stdout"));
    CHECK(so && strncmp(so, "NAME ", 5) == 0 && strstr(so, "\nconfigmap/piped ") && strstr(so, "\n\nNAME ")
              && strstr(so, "\nnode/minikube-m02 "),
          "get configmaps,nodes stdout: %s", nn(out));
    json_decref(res);
    ks_free(out);

    out = kubectl(c, "label configmap piped tier=web");
    res = parse(out);
    so = json_string_value(json_object_get(res, "stdout"));
    CHECK(so && strcmp(so, "configmap/piped labeled\n") == 0, "label stdout: %s", nn(out));
    json_decref(res);
    ks_free(out);

    /* describe: the object's fields aligned in columns, then its events. */
    out = kubectl(c, "describe configmap piped");
    res = parse(out);
    so = json_string_value(json_object_get(res, "stdout"));
    CHECK(so && strncmp(so, "Name:         piped\nNamespace:    default\nLabels:       tier=web\n", 62) == 0
              && strstr(so, "\nData\n====\n") && strstr(so, "\nEvents:  <none>\n"),
          "describe configmap stdout: %s", nn(out));
    json_decref(res);
    ks_free(out);
    out = kubectl(c, "describe node minikube-m03");
    res = parse(out);
    so = json_string_value(json_object_get(res, "stdout"));
    CHECK(so && strncmp(so, "Name:               minikube-m03\nRoles:              <none>\n", 59) == 0
              && strstr(so, "\nNon-terminated Pods:") && strstr(so, "\nEvents:\n  Type    Reason "),
          "describe node stdout: %s", nn(out));
    json_decref(res);
    ks_free(out);

    /* run and wait: the pod is created, then the cluster runs until it is Ready. */
    out = kubectl(c, "run web --image=nginx:1.15");
    res = parse(out);
    so = json_string_value(json_object_get(res, "stdout"));
    CHECK(so && strcmp(so, "pod/web created\n") == 0, "run stdout: %s", nn(out));
    json_decref(res);
    ks_free(out);
    out = kubectl(c, "wait --for=condition=Ready pod/web");
    res = parse(out);
    so = json_string_value(json_object_get(res, "stdout"));
    CHECK(so && strcmp(so, "pod/web condition met\n") == 0, "wait stdout: %s", nn(out));
    json_decref(res);
    ks_free(out);

    /* create deployment: the generator's Deployment, whose pod the cluster then runs. */
    out = kubectl(c, "create deployment hello --image=nginx:1.15");
    res = parse(out);
    so = json_string_value(json_object_get(res, "stdout"));
    CHECK(so && strcmp(so, "deployment.apps/hello created\n") == 0, "create deployment stdout: %s", nn(out));
    json_decref(res);
    ks_free(out);
    out = kubectl(c, "rollout status deployment/hello");
    res = parse(out);
    so = json_string_value(json_object_get(res, "stdout"));
    CHECK(so && strstr(so, "deployment \"hello\" successfully rolled out"), "rollout status stdout: %s", nn(out));
    json_decref(res);
    ks_free(out);

    /* delete waits until the pod is gone: afterwards a get finds nothing. */
    out = kubectl(c, "delete pod web");
    res = parse(out);
    so = json_string_value(json_object_get(res, "stdout"));
    CHECK(so && strcmp(so, "pod \"web\" deleted\n") == 0, "delete stdout: %s", nn(out));
    json_decref(res);
    ks_free(out);
    out = NULL;
    CHECK(ks_get(c, "{\"resource\": \"pods\", \"name\": \"web\"}", &out) == KS_ENOTFOUND,
          "pod gone after delete: %s", nn(out));
    ks_free(out);

    /* patch: a strategic merge patch by default, the node's other fields kept. */
    out = kubectl(c, "patch node minikube-m02 -p '{\"spec\":{\"unschedulable\":true}}'");
    res = parse(out);
    so = json_string_value(json_object_get(res, "stdout"));
    CHECK(so && strcmp(so, "node/minikube-m02 patched\n") == 0, "patch stdout: %s", nn(out));
    json_decref(res);
    ks_free(out);

    /* kubectl's generic describer for a kind without its own (a Lease). */
    out = kubectl(c, "describe lease minikube -n kube-node-lease");
    res = parse(out);
    so = json_string_value(json_object_get(res, "stdout"));
    CHECK(so && strstr(so, "\nAPI Version:  coordination.k8s.io/v1\n") && strstr(so, "\n  Holder Identity:         minikube\n"),
          "describe lease stdout: %s", nn(out));
    json_decref(res);
    ks_free(out);

    out = kubectl(c, "frobnicate everything");
    res = parse(out);
    CHECK(json_integer_value(json_object_get(res, "exitCode")) != 0, "unknown command fails: %s", nn(out));
    json_decref(res);
    ks_free(out);
    ks_cluster_free(c);
}

/* kubectl events: 1.36's command (one object's events, oldest first, OBJECT as Kind/name);
 * kubectl 1.18 has none and answers as for any unknown command. */
static void test_kubectl_events(void)
{
    ks_cluster *c = new_cluster("{\"seed\": 7, \"nodes\": 3, \"kubernetesVersion\": \"1.36\"}");
    if (!c)
        return;
    char *out = kubectl(c, "run web --image=nginx:1.15");
    ks_free(out);
    out = kubectl(c, "wait --for=condition=Ready pod/web");
    ks_free(out);
    out = kubectl(c, "events --for pod/web");
    json_t *res = parse(out);
    const char *so = json_string_value(json_object_get(res, "stdout"));
    CHECK(json_integer_value(json_object_get(res, "exitCode")) == 0, "events exit 0: %s", nn(out));
    CHECK(so && strncmp(so, "LAST SEEN   TYPE     REASON      OBJECT    MESSAGE\n", 51) == 0
              && strstr(so, "   Normal   Scheduled   Pod/web   Successfully assigned default/web to ")
              && strstr(so, "   Normal   Started     Pod/web   Container started\n"),
          "events --for pod/web stdout: %s", nn(out));
    json_decref(res);
    ks_free(out);
    out = kubectl(c, "events --types=Info");
    res = parse(out);
    CHECK(json_integer_value(json_object_get(res, "exitCode")) == 1
              && str_is(json_object_get(res, "stderr"), "error: valid --types are Normal or Warning\n"),
          "events --types=Info: %s", nn(out));
    json_decref(res);
    ks_free(out);
    ks_cluster_free(c);

    c = new_cluster(CONFIG3);
    if (!c)
        return;
    out = kubectl(c, "events");
    res = parse(out);
    CHECK(json_integer_value(json_object_get(res, "exitCode")) == 1
              && str_is(json_object_get(res, "stderr"), "error: unknown command \"events\" for \"kubectl\"\n"),
          "events on 1.18: %s", nn(out));
    json_decref(res);
    ks_free(out);
    ks_cluster_free(c);
}

/* ---- determinism and threads ---- */

typedef struct {
    const char *config;
    char *state; /* malloc'd */
    char *events; /* malloc'd */
    char error[256];
} scenario_run;

/* apply + run + state, the unit the thread tests compare. */
static void run_scenario(scenario_run *s)
{
    ks_cluster *c = NULL;
    char *out = NULL;
    s->state = s->events = NULL;
    s->error[0] = '\0';
    int rc = ks_cluster_new(s->config, &c, &out);
    ks_free(out);
    if (rc != KS_OK) {
        snprintf(s->error, sizeof s->error, "ks_cluster_new = %d", rc);
        return;
    }
    const char *steps[][2] = {{"apply", DEPLOYMENT_YAML}, {"run", "{\"duration\": \"30s\"}"},
                              {"apply", POD_YAML},        {"run", "{\"seconds\": 15}"}};
    for (size_t i = 0; i < 4 && !s->error[0]; i++) {
        out = NULL;
        rc = strcmp(steps[i][0], "apply") == 0 ? ks_apply(c, steps[i][1], &out) : ks_run(c, steps[i][1], &out);
        if (rc != KS_OK)
            snprintf(s->error, sizeof s->error, "step %zu = %d: %.200s", i, rc, nn(out));
        ks_free(out);
    }
    out = NULL;
    if (ks_state(c, NULL, &out) == KS_OK && out)
        s->state = strdup(out);
    ks_free(out);
    out = NULL;
    if (ks_events(c, NULL, &out) == KS_OK && out)
        s->events = strdup(out);
    ks_free(out);
    ks_cluster_free(c);
}

static void *scenario_thread(void *arg)
{
    run_scenario(arg);
    return NULL;
}

static void test_determinism(void)
{
    scenario_run a = {.config = CONFIG3}, b = {.config = CONFIG3};
    run_scenario(&a);
    run_scenario(&b);
    CHECK(!a.error[0] && !b.error[0], "%s %s", a.error, b.error);
    CHECK(a.state && b.state && strcmp(a.state, b.state) == 0, "two runs with one seed differ in ks_state");
    CHECK(a.events && b.events && strcmp(a.events, b.events) == 0, "two runs with one seed differ in ks_events");
    free(a.state);
    free(a.events);
    free(b.state);
    free(b.events);
}

static void test_threads_separate_handles(void)
{
    scenario_run sequential = {.config = CONFIG3};
    run_scenario(&sequential);
    CHECK(!sequential.error[0] && sequential.state, "sequential run: %s", sequential.error);

    enum { N = 4 };
    scenario_run runs[N];
    pthread_t threads[N];
    for (int i = 0; i < N; i++) {
        runs[i] = (scenario_run){.config = CONFIG3};
        CHECK(pthread_create(&threads[i], NULL, scenario_thread, &runs[i]) == 0, "pthread_create");
    }
    for (int i = 0; i < N; i++) {
        pthread_join(threads[i], NULL);
        CHECK(!runs[i].error[0], "thread %d: %s", i, runs[i].error);
        CHECK(runs[i].state && sequential.state && strcmp(runs[i].state, sequential.state) == 0,
              "thread %d's state differs from the sequential run's", i);
        CHECK(runs[i].events && sequential.events && strcmp(runs[i].events, sequential.events) == 0,
              "thread %d's events differ from the sequential run's", i);
        free(runs[i].state);
        free(runs[i].events);
    }
    free(sequential.state);
    free(sequential.events);
}

typedef struct {
    ks_cluster *c;
    volatile int *done; /* set by the writer once it finished (read under no lock: a hint only) */
    pthread_mutex_t *lock;
    int calls, failures;
    char error[256];
} hammer;

static int writer_done(hammer *h)
{
    pthread_mutex_lock(h->lock);
    int d = *h->done;
    pthread_mutex_unlock(h->lock);
    return d;
}

#define HAMMER_RUNS 40

static void *hammer_writer(void *arg)
{
    hammer *h = arg;
    for (int i = 0; i < HAMMER_RUNS; i++) {
        char *out = NULL;
        int rc = ks_run(h->c, "{\"seconds\": 1}", &out);
        h->calls++;
        if (rc != KS_OK || !out) {
            h->failures++;
            snprintf(h->error, sizeof h->error, "ks_run = %d: %.200s", rc, nn(out));
        }
        ks_free(out);
    }
    pthread_mutex_lock(h->lock);
    *h->done = 1;
    pthread_mutex_unlock(h->lock);
    return NULL;
}

/* Reads only: none of these may change what ks_state reports. */
static void *hammer_reader(void *arg)
{
    hammer *h = arg;
    static const char *kubectl_get = "{\"command\": \"get pods -o wide\"}";
    while (!writer_done(h)) {
        const struct {
            request_fn fn;
            const char *req;
        } reads[] = {
            {ks_list, "{\"resource\": \"pods\", \"labelSelector\": \"app=nginx-pod\"}"},
            {ks_get, "{\"resource\": \"nodes\", \"name\": \"minikube-m02\"}"},
            {ks_kubectl, kubectl_get},
            {ks_events, NULL},
            {ks_state, NULL},
        };
        for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
            char *out = NULL;
            int rc = reads[i].fn(h->c, reads[i].req, &out);
            json_t *parsed = parse(out);
            h->calls++;
            if (rc != KS_OK || !parsed) {
                h->failures++;
                snprintf(h->error, sizeof h->error, "read %zu = %d: %.200s", i, rc, nn(out));
            }
            json_decref(parsed);
            ks_free(out);
        }
    }
    return NULL;
}

static void test_threads_shared_handle(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    ks_cluster *ref = new_cluster(CONFIG3);
    if (!c || !ref) {
        ks_cluster_free(c);
        ks_cluster_free(ref);
        return;
    }
    CHECK(ks_apply(c, DEPLOYMENT_YAML, NULL) == KS_OK && ks_apply(ref, DEPLOYMENT_YAML, NULL) == KS_OK, "apply");

    volatile int done = 0;
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    hammer w = {.c = c, .done = &done, .lock = &lock};
    hammer r1 = w, r2 = w;
    pthread_t tw, t1, t2;
    CHECK(pthread_create(&t1, NULL, hammer_reader, &r1) == 0, "pthread_create");
    CHECK(pthread_create(&t2, NULL, hammer_reader, &r2) == 0, "pthread_create");
    CHECK(pthread_create(&tw, NULL, hammer_writer, &w) == 0, "pthread_create");
    pthread_join(tw, NULL);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    CHECK(w.failures == 0, "writer: %d of %d calls failed: %s", w.failures, w.calls, w.error);
    CHECK(r1.failures == 0 && r2.failures == 0, "readers: %d + %d of %d calls failed: %s%s", r1.failures,
          r2.failures, r1.calls + r2.calls, r1.error, r2.error);

    /* The same runs without readers reach the same state. */
    for (int i = 0; i < HAMMER_RUNS; i++)
        CHECK(ks_run(ref, "{\"seconds\": 1}", NULL) == KS_OK, "reference run");
    char *s1 = state_of(c), *s2 = state_of(ref);
    CHECK(s1 && s2 && strcmp(s1, s2) == 0, "concurrent reads changed the outcome: states differ");
    free(s1);
    free(s2);
    ks_cluster_free(c);
    ks_cluster_free(ref);
}

/* ---- main ---- */

/* ks_node's drain action and kubectl drain: DaemonSet pods refused, then ignored; a budget's
 * 429 through ks_create's eviction subresource; an unknown node and bad options. */
static void test_drain(void)
{
    ks_cluster *c = new_cluster(CONFIG3);
    if (!c)
        return;
    const char *deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n"
                             "  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n"
                             "        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n";
    CHECK(ks_apply(c, deployment, NULL) == KS_OK, "apply deployment");
    CHECK(ks_run(c, "{\"seconds\": 60}", NULL) == KS_OK, "run");

    char *out = CALL("drain without flags", ks_node, c, "{\"action\": \"drain\", \"name\": \"minikube-m03\"}", KS_OK);
    json_t *res = parse(out);
    const char *so = json_string_value(json_object_get(res, "stdout"));
    const char *se = json_string_value(json_object_get(res, "stderr"));
    CHECK(json_integer_value(json_object_get(res, "exitCode")) == 1, "drain exit code: %s", nn(out));
    CHECK(so && strcmp(so, "node/minikube-m03 cordoned\n") == 0, "drain stdout: %s", nn(so));
    CHECK(se && strstr(se, "error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): "
                           "kube-system/kindnet-"), "drain stderr: %s", nn(se));
    json_decref(res);
    ks_free(out);

    out = CALL("drain", ks_node, c,
               "{\"action\": \"drain\", \"name\": \"minikube-m03\", \"ignoreDaemonSets\": true, \"timeoutSeconds\": 60}",
               KS_OK);
    res = parse(out);
    so = json_string_value(json_object_get(res, "stdout"));
    se = json_string_value(json_object_get(res, "stderr"));
    CHECK(json_integer_value(json_object_get(res, "exitCode")) == 0, "drain exit code: %s", nn(out));
    CHECK(so && strncmp(so, "node/minikube-m03 already cordoned\n", 35) == 0 &&
              strstr(so, "node/minikube-m03 drained\n"), "drain stdout: %s", nn(so));
    CHECK(se && strncmp(se, "WARNING: ignoring DaemonSet-managed Pods: kube-system/kindnet-", 62) == 0,
          "drain stderr: %s", nn(se));
    json_decref(res);
    ks_free(out);

    /* A budget that allows nothing: the eviction subresource answers 429. */
    CHECK(ks_apply(c, "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n"
                      "  minAvailable: 3\n  selector:\n    matchLabels:\n      app: web\n", NULL) == KS_OK, "apply pdb");
    CHECK(ks_run(c, "{\"seconds\": 60}", NULL) == KS_OK, "run");
    out = CALL("list web pods", ks_list, c, "{\"resource\": \"pods\", \"namespace\": \"default\", \"labelSelector\": \"app=web\"}",
               KS_OK);
    res = parse(out);
    const char *name = json_string_value(json_object_get(json_object_get(json_array_get(json_object_get(res, "items"), 0),
                                                                         "metadata"), "name"));
    char request[512];
    snprintf(request, sizeof request,
             "{\"resource\": \"pods\", \"namespace\": \"default\", \"name\": \"%s\", \"subresource\": \"eviction\", "
             "\"object\": {\"apiVersion\": \"policy/v1\", \"kind\": \"Eviction\", \"metadata\": {\"name\": \"%s\"}}}",
             nn(name), nn(name));
    json_decref(res);
    ks_free(out);
    out = CALL("evict", ks_create, c, request, KS_ETOOMANY);
    CHECK_STATUS("evict", out, 429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
                 NULL);
    ks_free(out);

    out = CALL("drain nope", ks_node, c, "{\"action\": \"drain\", \"name\": \"nope\"}", KS_ENOTFOUND);
    CHECK_STATUS("drain nope", out, 404, "NotFound", "nodes \"nope\" not found", NULL);
    ks_free(out);
    out = CALL("drain bad option", ks_node, c, "{\"action\": \"drain\", \"name\": \"minikube\", \"force\": \"yes\"}",
               KS_EINVAL);
    CHECK_STATUS("drain bad option", out, 400, "BadRequest", "force must be true or false", NULL);
    ks_free(out);

    out = kubectl(c, "drain minikube-m02 --ignore-daemonsets --timeout=12s");
    res = parse(out);
    se = json_string_value(json_object_get(res, "stderr"));
    CHECK(json_integer_value(json_object_get(res, "exitCode")) == 1 &&
              se && strstr(se, "(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.") &&
              strstr(se, "global timeout reached: 12s"),
          "kubectl drain with a budget: %s", nn(out));
    json_decref(res);
    ks_free(out);
    ks_cluster_free(c);
}

static const struct {
    const char *name;
    void (*fn)(void);
} tests[] = {
    {"version", test_version},
    {"free_null", test_free_null},
    {"null_handle", test_null_handle},
    {"cluster_new_arguments", test_cluster_new_arguments},
    {"null_request_is_empty_object", test_null_request_is_empty_object},
    {"null_result_allowed", test_null_result_allowed},
    {"null_manifest", test_null_manifest},
    {"invalid_utf8", test_invalid_utf8},
    {"oversized_input", test_oversized_input},
    {"malformed_yaml", test_malformed_yaml},
    {"malformed_request_json", test_malformed_request_json},
    {"unknown_kind", test_unknown_kind},
    {"missing_name", test_missing_name},
    {"invalid_selector", test_invalid_selector},
    {"not_found", test_not_found},
    {"conflict_and_exists", test_conflict_and_exists},
    {"invalid_object", test_invalid_object},
    {"unknown_fields", test_unknown_fields},
    {"dry_run", test_dry_run},
    {"bad_run_and_node_requests", test_bad_run_and_node_requests},
    {"etcd_faults", test_etcd_faults},
    {"node_faults_and_report", test_node_faults_and_report},
    {"apply_results", test_apply_results},
    {"list_order_and_shape", test_list_order_and_shape},
    {"patch_delete_watch", test_patch_delete_watch},
    {"events_cursor", test_events_cursor},
    {"similar_events_combined", test_similar_events_combined},
    {"kubectl", test_kubectl},
    {"kubectl_events", test_kubectl_events},
    {"drain", test_drain},
    {"determinism", test_determinism},
    {"threads_separate_handles", test_threads_separate_handles},
    {"threads_shared_handle", test_threads_shared_handle},
    {"scheduler_explain", test_scheduler_explain},
};

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--version-check") == 0) {
        if (ks_version_number() != KS_VERSION_NUMBER) {
            fprintf(stderr, "ks_version_number() = %d (%s), kubesim.h has %d (%s)\n", ks_version_number(),
                    nn(ks_version()), KS_VERSION_NUMBER, KS_VERSION);
            return 1;
        }
        printf("version %s (%d) matches\n", KS_VERSION, KS_VERSION_NUMBER);
        return 0;
    }
    int passed = 0, failed = 0;
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        int selected = argc < 2;
        for (int a = 1; a < argc; a++)
            selected |= strstr(tests[i].name, argv[a]) != NULL;
        if (!selected)
            continue;
        current_name = tests[i].name;
        current_failed = 0;
        tests[i].fn();
        if (current_failed) {
            failed++;
        } else {
            passed++;
            printf("ok   %s\n", tests[i].name);
        }
        fflush(stdout);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
