/*
 * kubesim.h — the C interface of libkubesim.so, an embeddable Kubernetes control plane
 * that runs in virtual time, deterministically from a seed.
 *
 * This header is the contract: a function that is not declared here is not part of the API.
 *
 * CONVENTIONS
 *   - Every function that can fail returns an int: KS_OK (0) on success, a negative KS_E*
 *     code otherwise. The code is for programs; the detail is a Kubernetes `Status` object
 *     (JSON: kind, apiVersion, status "Failure", message, reason, details, code) written to
 *     the same out parameter that carries the result on success. Messages are worded as the
 *     real API server words them, e.g. `pods "web" not found`.
 *   - Out parameters come last. `*result_json` is always set when the pointer is non-NULL:
 *     to a new NUL-terminated UTF-8 buffer that the caller frees with ks_free(), or to NULL
 *     when the library could not allocate one. A NULL result_json pointer is allowed: the
 *     call still runs and only its return code is reported.
 *   - Inputs are NUL-terminated UTF-8. Invalid UTF-8, NULL where a value is required, and
 *     inputs larger than KS_MAX_INPUT_BYTES are rejected with KS_EINVAL (400 BadRequest or
 *     413 RequestEntityTooLarge) and change nothing.
 *   - Request arguments are JSON objects ("request_json"); NULL or "" means "{}".
 *   - Nothing here aborts the host process: bad input is an error code, never a crash.
 *
 * THREADS
 *   A handle may be used from any thread; calls on one handle are serialised by a lock
 *   inside it. Separate handles share no mutable state and run in parallel.
 *
 * TIME
 *   The cluster's clock is virtual. Only ks_run() (and the requests it carries out)
 *   advances it; every other call acts at the current virtual instant.
 */
#ifndef KUBESIM_H
#define KUBESIM_H

#ifdef __cplusplus
extern "C" {
#endif

/* Version of this header; compare with ks_version_number() to check header and library
 * match: major * 1000000 + minor * 1000 + patch. */
#define KS_VERSION "0.1.0"
#define KS_VERSION_NUMBER 1000

/* Largest accepted input, in bytes: the API server's request body limit (3 MiB). */
#define KS_MAX_INPUT_BYTES 3145728

/* Result codes. New codes may be added; treat any other negative value as failure. */
#define KS_OK           0   /* success */
#define KS_EINVAL      -1   /* bad argument: NULL, invalid UTF-8, malformed JSON/YAML, too large (400, 413) */
#define KS_ENOTFOUND   -2   /* the object, kind or node does not exist (404) */
#define KS_EEXISTS     -3   /* AlreadyExists (409) */
#define KS_ECONFLICT   -4   /* Conflict: stale resourceVersion (409) */
#define KS_EINVALID    -5   /* Invalid: the object failed validation (422) */
#define KS_EGONE       -6   /* Expired: the resourceVersion was compacted (410) */
#define KS_EUNAVAILABLE -7  /* timeout or the store is unavailable (500 ServerTimeout, 503, 504) */
#define KS_EINTERNAL   -8   /* internal error (500) */
#define KS_ENOTALLOWED -9   /* method not allowed or forbidden (403, 405) */
#define KS_ETOOMANY   -10   /* too many requests, e.g. an eviction blocked by a budget (429) */

/* An opaque simulated cluster. */
typedef struct ks_cluster ks_cluster;

/* ks_version — the library's version string, e.g. "0.1.0".
 * The string is static: do not free it. */
const char *ks_version(void);

/* ks_version_number — the library's KS_VERSION_NUMBER. */
int ks_version_number(void);

/* ks_free — frees a buffer returned by this library. ks_free(NULL) does nothing.
 * Restrictions: never pass memory from another allocator, never free twice. */
void ks_free(void *p);

/* ks_cluster_new — creates a cluster and brings its nodes to Ready at the epoch.
 *
 * config_json (may be NULL or "" for the defaults):
 *   {
 *     "seed": 1,                          root of all randomness (default 1)
 *     "epoch": "2024-01-01T00:00:00Z",    virtual time at creation (RFC 3339, UTC)
 *     "kubernetesVersion": "1.18",        wording and printing: "1.18" (the seed's, default)
 *                                         or "1.36" (current upstream)
 *     "nodes": 3,                         a count (named minikube, minikube-m02, …) or a list:
 *     "nodes": [{"name": "n1", "controlPlane": true, "cpu": "2", "memory": "4Gi",
 *                "pods": 110, "labels": {…}, "taints": [{…}]}],
 *     "timing": {"apiLatencyMillis": 1, "sandboxCreateMillis": 400,
 *                "imagePullMillis": 2000, "containerStartMillis": 300,
 *                "containerStopMillis": 500, "etcdWALSyncMillis": 1,
 *                "nodeMonitorPeriodMillis": 5000,
 *                "nodeMonitorGracePeriodMillis": 40000 (50000 with 1.36),
 *                "nodeStartupGracePeriodMillis": 60000},
 *     "nodeLifecycle": {"nodeEvictionRate": 0.1, "secondaryNodeEvictionRate": 0.01,
 *                "unhealthyZoneThreshold": 0.55, "largeClusterSizeThreshold": 50},
 *                                         kube-controller-manager's flags of those names
 *     "etcd": {"members": 3},             keep the data in N Raft-replicated etcd members
 *                                         (1 to 7) instead of one in-process store; see ks_etcd.
 *                                         Optional: "locations": [{"region": "r1", "zone": "z1"},
 *                                         … one per member], "crossZoneMillis": 2,
 *                                         "crossRegionMillis": 10 — links between members (and
 *                                         from the API server, which runs beside member 1) take
 *                                         the usual latency within a zone, these across zones
 *                                         and regions
 *     "topology": {"regions": 1, "zonesPerRegion": 3, "racksPerZone": 2, "nodesPerRack": 5}
 *                                         generates regions × zones × racks × nodes nodes (named
 *                                         minikube, minikube-m02, …; the first is the control
 *                                         plane) labelled topology.kubernetes.io/region=region-1,
 *                                         topology.kubernetes.io/zone=region-1-a and
 *                                         topology.kubesim.io/rack=region-1-a-rack-1; "nodes"
 *                                         may then list extra nodes. A listed node may also give
 *                                         "region", "zone" and "rack".
 *     "clusterCIDR": "10.244.0.0/16"      kube-controller-manager's --cluster-cidr: each node gets
 *                                         the next /24 as its pod CIDR (/16: 256 nodes; a node
 *                                         past the end gets a CIDRNotAvailable event and no pod
 *                                         CIDR, so its pods stay ContainerCreating); /8 to /24
 *     "systemDaemonSets": true            run minikube's kube-proxy and kindnet DaemonSets in
 *                                         kube-system (a pod of each on every node; default true)
 *   }
 * On success *out receives the handle (free it with ks_cluster_free) and *error_json is set
 * to NULL. On failure *out is NULL and *error_json (if non-NULL) receives a Status.
 * Returns KS_OK, KS_EINVAL. */
int ks_cluster_new(const char *config_json, ks_cluster **out, char **error_json);

/* ks_cluster_free — destroys a cluster. ks_cluster_free(NULL) does nothing.
 * Restrictions: no other call may be in progress on the handle, nor follow it. */
void ks_cluster_free(ks_cluster *c);

/* ks_apply — `kubectl apply` for one or more manifests (YAML or JSON; several YAML
 * documents separated by `---`, or a JSON `List`). Each object is created, patched (with
 * kubectl's three-way strategic merge patch of the last-applied configuration, the manifest
 * and the live object) or left alone; the result lists, in input order:
 *   {"items": [{"kind": "Pod", "apiVersion": "v1", "namespace": "default", "name": "a",
 *               "result": "created" | "configured" | "unchanged",
 *               "output": "pod/a created",
 *               "warning": "Warning: …"  (only when the live object had no last-applied
 *                                           annotation: kubectl's warning, on stderr)},
 *              {"kind": …, "name": …, "error": <Status>}]}
 * As kubectl's default `--validate=strict`, a member the kind's API types do not have
 * (a misspelt `replicass`) fails its object: 400 `Deployment in version "v1" cannot be
 * handled as a Deployment: strict decoding error: unknown field "spec.replicass"` (a patch
 * of a live object: 422 `patch: Invalid value: …`); with version 1.18, kubectl's own check:
 * 400 `error validating "STDIN": error validating data: ValidationError(Deployment.spec):
 * unknown field "replicass" in io.k8s.api.apps.v1.DeploymentSpec; …`, which, as kubectl's
 * stream stops there, also ends the list: later objects are not applied.
 * A manifest that cannot be parsed at all applies nothing and returns its Status.
 * Returns KS_OK when every object applied, else the code of the first failure (the other
 * objects are still applied, as kubectl does). */
int ks_apply(ks_cluster *c, const char *manifests, char **result_json);

/* The REST verbs. request_json names the resource by "resource" ("pods", "deployments",
 * "deployments.apps") or by "kind" + optional "apiVersion", and may give "namespace"
 * (default "default" for namespaced resources) and "name".
 *
 * ks_get    — {"resource", "namespace", "name"} → the object.
 * ks_list   — {"resource", "namespace" (omit or "" for all namespaces), "labelSelector",
 *              "fieldSelector"} → {"kind": "<Kind>List", "metadata": {"resourceVersion"},
 *              "items": [...]}, items ordered by namespace then name.
 * ks_create — {"object": {...}} (or the object itself) → the stored object.
 *              With {"resource": "pods", "namespace", "name", "subresource": "eviction",
 *              "object": {"apiVersion": "policy/v1", "kind": "Eviction", "metadata":
 *              {"name"}, "deleteOptions": {"gracePeriodSeconds": N}}} it evicts the pod
 *              (POST pods/<name>/eviction): a Success Status, or KS_ETOOMANY (429 "Cannot
 *              evict pod as it would violate the pod's disruption budget.") when its
 *              PodDisruptionBudget allows no disruption now.
 * ks_update — {"object": {...}} with metadata.resourceVersion; a stale version → KS_ECONFLICT.
 * ks_patch  — {"resource", "namespace", "name", "patch": {...},
 *              "patchType": "merge" (default, RFC 7386) | "json" (RFC 6902) | "strategic"
 *              (Kubernetes' strategic merge patch: lists such as containers, env, ports and
 *              volumes merge by their key; kubectl patch's default)} → the object.
 * ks_delete — {"resource", "namespace", "name"} → the object as deleted (dependents are
 *              removed by the garbage collector in the background, as kubectl's default).
 * ks_watch  — {"resource", "namespace", "labelSelector", "fieldSelector",
 *              "resourceVersion": "<rv>"} → {"items": [{"type": "ADDED" | "MODIFIED" |
 *              "DELETED", "object": {...}}], "resourceVersion": "<last rv>"}: every change
 *              after rv, in order. A compacted rv returns KS_EGONE (410 Expired).
 * ks_create, ks_update and ks_patch take "fieldValidation": "Warn" (default) | "Ignore" |
 * "Strict", as the API server's query parameter: a member the kind's API types do not have
 * is dropped before the object is stored (Warn's warnings are not returned), or with
 * "Strict" fails the request (400 `strict decoding error: unknown field "spec.replicass"`;
 * 422 for a patch). Version 1.18's server drops such members whatever is asked.
 * They and ks_delete also take "dryRun": "All": the write is admitted, defaulted and
 * validated (its errors as the write's) and the object returned as it would be stored (a
 * create's without a resourceVersion; a delete's as it would be marked Terminating, or as it
 * was when it would go at once), with nothing stored; not for pods' binding and eviction.
 * (With "etcdMembers", a dry run reads the API server's watch cache where upstream reads
 * etcd: right after a write it can miss it.)
 * Returns KS_OK, KS_EINVAL, KS_ENOTFOUND, KS_EEXISTS, KS_ECONFLICT, KS_EINVALID, KS_EGONE,
 * KS_ETOOMANY (eviction only). */
int ks_get(ks_cluster *c, const char *request_json, char **result_json);
int ks_list(ks_cluster *c, const char *request_json, char **result_json);
int ks_create(ks_cluster *c, const char *request_json, char **result_json);
int ks_update(ks_cluster *c, const char *request_json, char **result_json);
int ks_patch(ks_cluster *c, const char *request_json, char **result_json);
int ks_delete(ks_cluster *c, const char *request_json, char **result_json);
int ks_watch(ks_cluster *c, const char *request_json, char **result_json);

/* ks_run — advances virtual time, running every component due in between.
 * request_json: {"seconds": 10} or {"duration": "1m30s"} (Go duration syntax); at most
 * 366 days a call, and the clock never passes 2262-01-01T00:00:00Z (64-bit nanoseconds end
 * in April 2262): a run that would is refused with a 400 Status.
 * Result: {"now": "<RFC 3339>", "processed": <events handled>}.
 * Returns KS_OK, KS_EINVAL. */
int ks_run(ks_cluster *c, const char *request_json, char **result_json);

/* ks_events — the cluster's v1 Events in the order they were recorded.
 * request_json: {"since": "<cursor>", "namespace": "<ns>"} (both optional).
 * Result: {"items": [Event, ...], "cursor": "<pass as since next time>"}.
 * Returns KS_OK, KS_EINVAL. */
int ks_events(ks_cluster *c, const char *request_json, char **result_json);

/* ks_etcd — the etcd members behind the API server, for clusters created with
 * "etcd": {"members": N} (1 to 7; prefer 3, 5 or 7), and the faults that can be done to them.
 * Members are numbered 1..N; member 1 takes the first election.
 * request_json:
 *   {"action": "status"}    → {"members": [{"id", "endpoint", "running", "isLeader", "isLearner", "leader",
 *                              "raftTerm", "raftIndex", "raftAppliedIndex", "revision", "keys",
 *                              "dbSizeBytes", "region", "zone", "errors"}],
 *                              "table": "<as etcdctl endpoint status>",
 *                              "warnings": ["an even number of etcd members ..."]}
 *   {"action": "events", "since": <cursor>}
 *                           → {"items": [{"time": "<RFC 3339>", "message": "member 2 elected
 *                              leader at term 3" | "member 1 down" | "quorum lost (1/3 members
 *                              running)" | ...}], "cursor": <pass as since next time>}
 *   {"action": "crash" | "restart" | "isolate", "member": <id>}
 *   {"action": "partition", "groups": [[1], [2, 3]]}   members in no group form one more group
 *   {"action": "heal"}                                 restores every link between members
 *   {"action": "delay", "between": [1, 2], "millis": 50}
 *   {"action": "add", "learner": true}   etcdctl member add [--learner] (a learner unless
 *                                         "learner": false): a new member that starts empty
 *                                         and catches up from the leader's snapshot; the
 *                                         answer's "added" is its id
 *   {"action": "promote", "member": <id>} etcdctl member promote: a caught-up learner votes
 *   {"action": "remove", "member": <id>}  etcdctl member remove: it stops for good (a leader
 *                                         hands over leadership first)
 * Membership calls wait, in virtual time, until the leader has applied the change, and are
 * checked as etcd checks them: "etcdserver: can only promote a learner member [which is in
 * sync with leader]", "etcdserver: member not found", "etcdserver: too many learner members
 * in cluster", "etcdserver: re-configuration failed due to not enough started members"
 * (KS_EINVAL); without a leader "etcdserver: no leader" or "etcdserver: request timed out"
 * (KS_EUNAVAILABLE).
 * Fault actions answer with the status. While a quorum is lost, API writes answer 500
 * "etcdserver: request timed out" (after etcd's 7 s request timeout, in virtual time) or
 * "etcdserver: no leader" (KS_EUNAVAILABLE); they resume after healing with nothing lost.
 * Unknown member ids, crashing a stopped member, restarting a running one, a member in two
 * groups, or a cluster without etcd members: KS_EINVAL with a Status saying which.
 * Returns KS_OK, KS_EINVAL. */
int ks_etcd(ks_cluster *c, const char *request_json, char **result_json);

/* ks_node — node operations, with kubectl's semantics and output.
 * request_json: {"action": "cordon" | "uncordon", "name": "<node>"}.
 * Result: {"output": "node/<name> cordoned", "changed": true}.
 *
 * Faults of a scope of nodes:
 *   {"action": "fail" | "partition" | "restore", "scope": "host" | "rack" | "zone" | "region",
 *    "name": "<node, rack, zone or region>", "at": "<RFC 3339 virtual time; default now>"}
 * "fail" stops every kubelet of the scope (no lease renewal, no status, no container
 * progress; its containers are gone, restore starts them again); "partition" keeps the
 * kubelets running their pods but cuts them off the API server; "restore" ends either.
 * "scope" defaults to "host". Racks are the topology.kubesim.io/rack label. What follows is
 * the node lifecycle controller's: Ready Unknown after the node monitor grace period (40 s;
 * 50 s with kubernetesVersion 1.36), node.kubernetes.io/unreachable taints, pods evicted after
 * their tolerationSeconds (300 s by default), at the zone-aware eviction rates.
 * Result: {"action", "scope", "name", "at", "nodes": ["<node>", …]}.
 * Returns KS_OK, KS_EINVAL (bad request, "at" in the past), KS_ENOTFOUND (no such node or no
 * node in that scope).
 *
 * {"action": "drain", "name": "<node>", and optionally "ignoreDaemonSets": false,
 *  "force": false, "deleteEmptyDirData": false, "disableEviction": false,
 *  "gracePeriodSeconds": -1, "timeoutSeconds": 0, "podSelector": "app=x"} is
 * `kubectl drain`: cordon, then evict the node's pods through the Eviction API (which honours
 * PodDisruptionBudgets: a refused eviction is retried every 5 s until the timeout) and wait
 * until they are gone. The call runs the cluster in virtual time while it waits, as the real
 * command blocks; timeoutSeconds 0 (kubectl's "forever") waits at most one virtual hour.
 * DaemonSet-managed pods need ignoreDaemonSets (they are then left in place), pods without a
 * controller need force, pods with emptyDir volumes need deleteEmptyDirData.
 * Result: what kubectl printed, {"stdout": "node/<name> cordoned\nevicting pod default/x\n
 * ...pod/x evicted\nnode/<name> drained\n", "stderr": "...", "exitCode": 0}; a drain that
 * fails is KS_OK with exitCode 1 and kubectl's error text on stderr.
 * Returns KS_OK, KS_EINVAL (a malformed request), KS_ENOTFOUND (no such node). */
int ks_node(ks_cluster *c, const char *request_json, char **result_json);

/* ks_report — the disruption report: what the faults did, measured from the API server's
 * state every 10 virtual seconds from the first fault until every fault is restored and every
 * workload is whole again (and once more at the call). request_json: NULL or {}.
 * Result: {"kind": "DisruptionReport", "start", "now", "sampleSeconds": 10,
 *   "faults": [ks_node's fault results, in order],
 *   "workloads": [{"kind": "Deployment" | "ReplicaSet" (standalone ones), "namespace", "name",
 *                  "desired", "minAvailable", "maxUnavailable",
 *                  "samples": [{"time", "seconds" (since start), "available", "desired"}]}],
 *   "series": [{"time", "seconds", "unavailable" (replicas missing, all workloads),
 *               "pending" (pods Pending), "nodesTainted" (unreachable/not-ready)}],
 *   "recovered": true when every workload is fully available at the last sample,
 *   "timeToRecoverSeconds": from start to the first sample after the last one with a replica
 *                           missing (0 if none ever was; null while not recovered),
 *   "podsPending", "pendingPods": ["ns/name", …] (now),
 *   "podsEvicted", "evictedPods": [pods the taint eviction controller marked for deletion],
 *   "nodesTainted": [nodes ever tainted], "maxNodesTainted"}
 * Before any fault: the same shape, empty. Returns KS_OK, KS_EINVAL (a field in the request). */
int ks_report(ks_cluster *c, const char *request_json, char **result_json);

/* ks_scheduler — kube-scheduler's read-only debug view of one pod.
 * request_json: {"action": "explain", "name": "<pod>", "namespace": "<ns>"} (namespace
 * defaults to "default").
 * Result: {"pod": "ns/name", "priority": 0, "state": "activeQ" | "backoffQ" |
 *   "unschedulablePods" | "Binding" | "Assigned", "attempts", "nodeName", "nominatedNodeName",
 *   "lastAttempt": {"time", "result": "Scheduled" | "Unschedulable", "node" | "message"},
 *   "preFilter": [{"plugin", "result"}], "numNodes", "numFeasibleNodesToFind",
 *   "nodes": [{"name", "feasible", "filters": [{"plugin", "result": "Success" |
 *     "Unschedulable" | "UnschedulableAndUnresolvable" | "Skip" | "NotRun", "reasons"}],
 *     "scores": [{"plugin", "raw", "normalized", "weight", "weighted"}], "totalScore"}],
 *   "bestNodes": ["<highest total; the scheduler breaks ties at random>"]}.
 * The nodes part is a scheduling cycle run now over the scheduler's cache (every node, no
 * percentageOfNodesToScore cut); a placed pod is evaluated as if pending again.
 * Returns KS_OK, KS_EINVAL, KS_ENOTFOUND (a pod the scheduler does not know). */
int ks_scheduler(ks_cluster *c, const char *request_json, char **result_json);

/* ks_kubectl — runs a kubectl command line against the cluster and captures what kubectl
 * would print. request_json: {"args": ["get", "pods", "-o", "wide"]} or
 * {"command": "get pods -o wide"} (split like a shell: quotes group words), and optional
 * "stdin" (the text `-f -` reads). Supported: get (pods, nodes, deployments, replicasets,
 * daemonsets, poddisruptionbudgets, events, namespaces, services, configmaps, secrets,
 * leases, all kinds by name; several at once as `deploy,rs`, `all` or `deploy/a pod/b`, one
 * table each with the kind in NAME; -o wide|json|yaml|name, -o jsonpath=TEMPLATE (client-go's
 * JSONPath: {.a.b}, [i], [a:b:c], [*], [x,y], ['key'], [?(@.x=="v")], .., range/end,
 * "quoted\n" text), -o jsonpath-as-json=TEMPLATE, -o custom-columns=HEADER:PATH,... (also as
 * --template; --allow-missing-template-keys), -l, --field-selector, -n, -A,
 * --show-labels, --show-kind, --sort-by, --no-headers), describe (pods, nodes, deployments,
 * replicasets, daemonsets, namespaces, configmaps, secrets, priorityclasses,
 * poddisruptionbudgets; events, leases and controllerrevisions as kubectl's generic
 * describer prints them; not services; TYPE NAME, a name prefix, TYPE/NAME, -l, -n, -A,
 * --show-events; times in UTC), events (1.36 only, as kubectl 1.18 has no such command:
 * -n, -A, --for=KIND/NAME, --types=Normal,Warning, --no-headers, -o json|yaml|name|jsonpath=…;
 * -w prints what a watch would have delivered, in the order the events were written, each
 * aged at its own time), run NAME --image
 * (--port, --env, --labels, --restart, --command and arguments after --, --image-pull-policy,
 * --annotations, --privileged, --dry-run=client|server, -o json|yaml|name; not -i/-t/--attach/
 * --rm/--expose/--overrides), wait (--for=delete|condition=TYPE[=STATUS], and
 * on 1.36 create and jsonpath='{...}'[=VALUE]; --timeout, default 30s; runs the cluster until
 * met), apply -f - and
 * create -f - (--validate=strict|true (default)|warn|ignore|false, on 1.18 true|false;
 * --dry-run=client|server),
 * create deployment NAME --image (repeatable; on 1.36 also --replicas, --port
 * and a command after --), namespace, configmap and secret generic (--from-literal; secret
 * --type), secret docker-registry (--docker-username/-password/-email/-server), priorityclass
 * (--value, --global-default, --description, --preemption-policy), poddisruptionbudget
 * (--selector, --min-available | --max-unavailable), with --append-hash,
 * --dry-run=client|server and -o json|yaml|name (not --from-file, --from-env-file or secret
 * tls: no file system; not the subcommands for kinds kubesim does not serve, nor service),
 * scale, label and annotate
 * (key=value, key-, --overwrite, -l, --all),
 * taint (nodes; key=value:Effect, key:Effect-, key-, --overwrite), set image, rollout status
 * (Deployments and DaemonSets: runs the cluster until the rollout is done or --timeout
 * passes), rollout history (--revision) / undo (--to-revision) / restart (Deployments and
 * DaemonSets), delete (TYPE NAME..., -f -, --all, -l, --field-selector,
 * --cascade=background|orphan|foreground, --grace-period, --now, --force, --ignore-not-found,
 * --dry-run=client|server, -o name; runs the cluster until the objects are gone unless
 * --wait=false, --timeout bounding it, 0 (the default) a week), patch TYPE NAME -p PATCH (YAML or JSON;
 * --type=strategic (default: lists with a merge key, such as containers, env, ports and
 * volumes, merge element by element)|merge|json, --dry-run=client|server, -o name|yaml|json, on
 * 1.36 --subresource=status), cordon, uncordon, drain (--ignore-daemonsets, --force,
 * --delete-emptydir-data, --grace-period, --timeout, --disable-eviction, --pod-selector; see
 * ks_node), api-versions, api-resources, version.
 * Result: {"stdout": "...", "stderr": "...", "exitCode": 0}. A failing command is still
 * KS_OK with exitCode 1 and kubectl's error text on stderr; KS_EINVAL only for a malformed
 * request. */
int ks_kubectl(ks_cluster *c, const char *request_json, char **result_json);

/* ks_state — a canonical dump of the whole cluster: {"now", "resourceVersion",
 * "objects": [every stored object, ordered by kind, namespace, name]}. Two runs with the
 * same seed and inputs return byte-identical dumps.
 * request_json may be NULL. Returns KS_OK. */
int ks_state(ks_cluster *c, const char *request_json, char **result_json);

#ifdef __cplusplus
}
#endif
#endif /* KUBESIM_H */
