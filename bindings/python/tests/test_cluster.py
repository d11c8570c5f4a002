"""The Cluster API: verbs, results and kubectl, on a 3-node cluster."""

import json

import pytest

from kubesim import (
    AlreadyExistsError,
    ApplyError,
    ApplyResult,
    Cluster,
    ConflictError,
    InvalidError,
    KubectlResult,
    NotFoundError,
)
from kubesim.walkthrough import LABEL_POD_EDITED_YAML, LABEL_POD_YAML, NGINX_YAML

from conftest import table

NODES = ["minikube", "minikube-m02", "minikube-m03"]


def pod(name, labels=None):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": labels or {"app": "demo"}},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]}}


def test_nodes_are_named_like_minikube(cluster):
    assert [n["metadata"]["name"] for n in cluster.list("nodes")] == NODES
    rows = table(cluster.kubectl("get nodes").stdout)
    assert [r["NAME"] for r in rows] == NODES
    assert all(r["STATUS"] == "Ready" for r in rows)
    assert all(r["VERSION"] == "v1.18.0" for r in rows)


def test_apply_results_are_kubectls(cluster):
    results = cluster.apply(LABEL_POD_YAML)
    assert results == [
        ApplyResult("Pod", "nginx-pod-a", "default", "created", "pod/nginx-pod-a created", None, "v1"),
        ApplyResult("Pod", "nginx-pod-b", "default", "created", "pod/nginx-pod-b created", None, "v1"),
    ]
    again = cluster.apply(LABEL_POD_EDITED_YAML)
    assert [r.output for r in again] == ["pod/nginx-pod-a unchanged", "pod/nginx-pod-b configured"]
    assert [r.result for r in again] == ["unchanged", "configured"]
    assert cluster.get("pods", "nginx-pod-b")["metadata"]["labels"]["app"] == "predictoin"


def test_apply_over_a_created_object_warns_as_kubectl(cluster):
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": {"a": "1"}}
    cluster.create(config_map)
    first = cluster.apply(config_map)
    assert first[0].result == "configured"
    assert first[0].warning == ("Warning: kubectl apply should be used on resource created by either "
                                "kubectl create --save-config or kubectl apply")
    again = cluster.apply(config_map)
    assert (again[0].result, again[0].warning) == ("unchanged", None)


def test_apply_accepts_dicts_and_lists(cluster):
    (one,) = cluster.apply(pod("p1"))
    assert one.output == "pod/p1 created"
    results = cluster.apply([pod("p2"), pod("p3")])
    assert [r.output for r in results] == ["pod/p2 created", "pod/p3 created"]
    (deployment,) = cluster.apply(NGINX_YAML)
    assert deployment.output == "deployment.apps/nginx created"
    assert deployment.kind == "Deployment" and deployment.api_version == "apps/v1"


def test_empty_fields_of_a_manifest_are_not_stored(cluster):
    """A template's empty ``nodeSelector:`` (YAML null, as Helm charts often leave it) or
    ``tolerations: []`` is not stored, as Go leaves an empty omitempty field out; a required
    one is its zero value."""
    cluster.apply("""
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 1
  strategy:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeSelector:
      tolerations: []
      containers:
      - name: nginx
        image: nginx:1.15
        resources:
        env:
""")
    out = cluster.kubectl("get deployment web -o yaml").stdout
    spec = out.split("\nspec:\n", 1)[1].split("\nstatus:", 1)[0]
    assert "null" not in spec
    assert "nodeSelector" not in spec and "tolerations" not in spec and "env:" not in spec
    assert "resources: {}" in spec and "type: RollingUpdate" in spec
    cluster.run(30)
    (p,) = cluster.list("pods", label_selector="app=web")
    assert "nodeSelector" not in p["spec"] and p["status"]["phase"] == "Running"
    with pytest.raises(ApplyError) as refused:
        cluster.apply(pod("bad") | {"spec": {"containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": None}]}]}})
    assert 'spec.containers[0].ports[0].containerPort: Required value' in str(refused.value)


def test_create_get_update_patch_delete(cluster):
    created = cluster.create(pod("web"))
    assert created["metadata"]["name"] == "web"
    assert created["metadata"]["namespace"] == "default"
    rv = created["metadata"]["resourceVersion"]
    got = cluster.get("pods", "web")
    assert got["metadata"]["uid"] == created["metadata"]["uid"]
    assert cluster.get("Pod", "web")["metadata"]["uid"] == created["metadata"]["uid"]

    with pytest.raises(AlreadyExistsError) as caught:
        cluster.create(pod("web"))
    assert caught.value.message == 'pods "web" already exists'
    assert caught.value.code == 409

    got["metadata"]["labels"]["tier"] = "front"
    updated = cluster.update(got)
    assert updated["metadata"]["labels"] == {"app": "demo", "tier": "front"}
    assert updated["metadata"]["resourceVersion"] != rv

    stale = dict(got)
    stale["metadata"] = dict(got["metadata"], resourceVersion=rv)
    with pytest.raises(ConflictError) as caught:
        cluster.update(stale)
    assert caught.value.message == (
        'Operation cannot be fulfilled on pods "web": the object has been modified; '
        "please apply your changes to the latest version and try again")
    assert caught.value.code == 409

    patched = cluster.patch("pods", "web", {"metadata": {"labels": {"tier": None, "x": "y"}}})
    assert patched["metadata"]["labels"] == {"app": "demo", "x": "y"}
    patched = cluster.patch("pods", "web", [{"op": "replace", "path": "/metadata/labels/x",
                                             "value": "z"}], patch_type="json")
    assert patched["metadata"]["labels"] == {"app": "demo", "x": "z"}

    deleted = cluster.delete("pods", "web")
    assert deleted["metadata"]["name"] == "web"
    cluster.run(seconds=60)
    with pytest.raises(NotFoundError):
        cluster.get("pods", "web")


def test_dry_runs_store_nothing(cluster):
    before = cluster.state_json()
    dry = cluster.create(pod("preview"), dry_run=True)
    assert dry["metadata"]["uid"] and "resourceVersion" not in dry["metadata"]
    assert dry["spec"]["restartPolicy"] == "Always"  # defaulted, as it would be stored
    out = cluster.kubectl("apply --dry-run=server -f -", stdin=json.dumps(pod("preview")))
    assert out.stdout == "pod/preview created (server dry run)\n"
    assert cluster.kubectl("apply --dry-run=client -f -", stdin=json.dumps(pod("preview"))).stdout == (
        "pod/preview created (dry run)\n")
    with pytest.raises(ValueError):
        cluster.create(json.dumps({"object": pod("preview")}), dry_run=True)
    cluster.create(pod("kept"))
    before = cluster.state_json()
    assert cluster.delete("pods", "kept", dry_run=True)["metadata"]["name"] == "kept"
    assert cluster.state_json() == before
    with pytest.raises(NotFoundError):
        cluster.get("pods", "preview")


def test_list_selectors_and_order(cluster):
    cluster.apply(LABEL_POD_YAML)
    names = [p["metadata"]["name"] for p in cluster.list("pods", namespace="default")]
    assert names == ["nginx-pod-a", "nginx-pod-b"]
    selected = cluster.list("pods", label_selector="app=photo-view,env=test")
    assert [p["metadata"]["name"] for p in selected] == ["nginx-pod-a"]
    assert cluster.list("pods", label_selector="app in (imagetrain, other)")[0]["metadata"]["name"] == "nginx-pod-b"
    assert cluster.list("pods", namespace="default", label_selector="!env") == []
    everything = cluster.list_object("pods")
    assert everything["kind"] == "PodList"
    assert everything["metadata"]["resourceVersion"]
    keys = [(p["metadata"]["namespace"], p["metadata"]["name"]) for p in everything["items"]]
    assert keys == sorted(keys)


def test_field_selector(cluster):
    cluster.apply(NGINX_YAML)
    cluster.run(seconds=30)
    pods = cluster.list("pods", namespace="default")
    node = pods[0]["spec"]["nodeName"]
    on_node = cluster.list("pods", namespace="default", field_selector=f"spec.nodeName={node}")
    assert on_node and all(p["spec"]["nodeName"] == node for p in on_node)


def test_watch_returns_changes_in_order(cluster):
    start = cluster.list_object("pods", namespace="default")["metadata"]["resourceVersion"]
    cluster.create(pod("w"))
    cluster.patch("pods", "w", {"metadata": {"labels": {"app": "other"}}})
    cluster.delete("pods", "w")
    cluster.run(seconds=60)
    result = cluster.watch("pods", start, namespace="default")
    types = [e["type"] for e in result.events]
    assert types[0] == "ADDED" and types[-1] == "DELETED"
    assert "MODIFIED" in types
    assert all(e["object"]["metadata"]["name"] == "w" for e in result.events)
    versions = [int(e["object"]["metadata"]["resourceVersion"]) for e in result.events]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    # The returned version resumes the watch: at or after the last change seen.
    assert int(result.resource_version) >= versions[-1]
    assert cluster.watch("pods", result.resource_version, namespace="default").events == []


def test_run_advances_virtual_time_only(cluster):
    start = cluster.now
    assert start == cluster.state()["now"]
    cluster.kubectl("get nodes")
    assert cluster.now == start
    result = cluster.run(seconds=90)
    assert result["now"] == cluster.now == cluster.state()["now"]
    assert result["now"] != start
    later = cluster.run(duration="1m30s")["now"]
    assert later > result["now"]
    with pytest.raises(TypeError):
        cluster.run()


def test_epoch_sets_the_clock():
    with Cluster(epoch="2020-04-28T08:17:42Z") as c:
        # kubesim.h: "epoch": virtual time at creation; nodes brought to Ready at the epoch.
        assert c.now in ("2020-04-28T08:17:42Z", "2020-04-28T08:17:42.000000Z")
        node = c.get("nodes", "minikube")
        assert node["metadata"]["creationTimestamp"] == "2020-04-28T08:17:42Z"
        ready = [x for x in node["status"]["conditions"] if x["type"] == "Ready"]
        assert ready[0]["status"] == "True"
        assert ready[0]["lastTransitionTime"] == "2020-04-28T08:17:42Z"


def test_events_cursor_and_stream(cluster):
    stream = cluster.event_stream(namespace="default")
    startup = stream.poll()  # the kubelets' node events (recorded in "default", as upstream)
    assert {e["involvedObject"]["kind"] for e in startup} <= {"Node"}
    assert stream.poll() == []
    cluster.apply(NGINX_YAML)
    cluster.run(seconds=30)
    first = stream.poll()
    assert first and stream.poll() == []
    assert cluster.events(namespace="default") == startup + first
    cursor = cluster.events_cursor
    assert cursor
    cluster.kubectl(["scale", "deployment/nginx", "--replicas=4"])
    cluster.run(seconds=30)
    newer = cluster.events(since=cursor, namespace="default")
    assert newer and newer == stream.poll()
    assert newer[0]["reason"] == "ScalingReplicaSet"
    assert newer[0]["message"].startswith("Scaled up replica set nginx-")
    assert newer[0]["message"].endswith(" to 4")


def test_kubectl_results(cluster):
    ok = cluster.kubectl(["get", "pods"])
    assert isinstance(ok, KubectlResult) and ok.ok
    assert ok.stdout == "" and ok.stderr == "No resources found in default namespace.\n"
    missing = cluster.kubectl("get pod nope")
    assert missing.exit_code == 1 and not missing.ok
    assert missing.stderr == 'Error from server (NotFound): pods "nope" not found\n'
    applied = cluster.kubectl("apply -f -", stdin=LABEL_POD_YAML)
    assert applied.stdout == "pod/nginx-pod-a created\npod/nginx-pod-b created\n"
    labelled = cluster.kubectl("get pod -l 'app in (photo-view)' -o name")
    assert labelled.stdout == "pod/nginx-pod-a\n"
    as_json = json.loads(cluster.kubectl("get pod nginx-pod-a -o json").stdout)
    assert as_json["metadata"]["name"] == "nginx-pod-a"


def test_kubectl_get_several_types(cluster):
    """``get all`` and ``get deploy,rs``: a table per type, NAME carrying the kind."""
    cluster.apply(NGINX_YAML)
    cluster.run(seconds=30)
    out = cluster.kubectl("get all").stdout
    tables = out.split("\n\n")
    assert len(tables) == 3
    assert [table(t)[0]["NAME"].split("/")[0] for t in tables] == ["pod", "deployment.apps", "replicaset.apps"]
    assert table(tables[1]) == [{"NAME": "deployment.apps/nginx", "READY": "3/3", "UP-TO-DATE": "3",
                                 "AVAILABLE": "3", "AGE": "30s"}]
    assert cluster.kubectl("get deploy,rs -o name").stdout.splitlines()[0] == "deployment.apps/nginx"
    assert cluster.kubectl("get svc,deploy").stdout == tables[1] + "\n"


def test_kubectl_jsonpath(cluster):
    """``-o jsonpath`` and ``-o custom-columns``: the fields asked for, as kubectl prints them
    (no newline of kubectl's own after a template's output)."""
    cluster.apply(NGINX_YAML)
    cluster.run(seconds=30)
    names = sorted(p["metadata"]["name"] for p in cluster.list("pods") if p["metadata"]["namespace"] == "default")
    assert len(names) == 3
    out = cluster.kubectl("get pods -o jsonpath='{.items[*].metadata.name}'")
    assert out.ok and out.stderr == ""
    assert out.stdout == " ".join(names)
    ranged = cluster.kubectl("""get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}'""")
    assert ranged.stdout == "".join(f"{name}\tRunning\n" for name in names)
    image = cluster.kubectl(["get", "pod", names[0], "-o", "jsonpath={.spec.containers[0].image}"])
    assert image.stdout == "nginx"
    columns = cluster.kubectl("get pods -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image,X:.nope")
    assert [line.split() for line in columns.stdout.splitlines()] == [["NAME", "IMAGE", "X"]] + [
        [name, "nginx", "<none>"] for name in names]
    bad = cluster.kubectl("get pods -o jsonpath='{.items[*]'")
    assert bad.exit_code == 1 and bad.stdout == ""
    assert bad.stderr == "error: error parsing jsonpath {.items[*], unclosed action\n"


def test_kubectl_run_and_wait(cluster):
    """``run`` creates a pod; ``wait`` runs the cluster until it is Ready, no longer."""
    assert cluster.kubectl("run web --image=nginx:1.15").stdout == "pod/web created\n"
    assert cluster.kubectl("wait --for=condition=Ready pod/web --timeout=60s").stdout == "pod/web condition met\n"
    assert cluster.get("pods", "web")["status"]["phase"] == "Running"
    manifest = cluster.kubectl("run box --image=busybox --restart=Never --dry-run=client -o yaml -- sleep 1").stdout
    assert "  - args:\n    - sleep\n    - \"1\"\n    image: busybox\n" in manifest
    late = cluster.kubectl("wait --for=condition=Ready=false pod/web --timeout=3s")
    assert late.exit_code == 1 and late.stderr == "error: timed out waiting for the condition on pods/web\n"


def test_kubectl_create_deployment(cluster):
    """``create deployment`` builds the Deployment kubectl's generator builds (``app: NAME``,
    a container named after the image); its pod runs. A dry run only prints it."""
    assert cluster.kubectl("create deployment hello --image=nginx:1.15").stdout == "deployment.apps/hello created\n"
    cluster.run(seconds=30)
    pods = cluster.list("pods", label_selector="app=hello")
    assert len(pods) == 1 and pods[0]["status"]["phase"] == "Running"
    assert pods[0]["spec"]["containers"][0]["name"] == "nginx"
    again = cluster.kubectl("create deployment hello --image=nginx")
    assert again.exit_code == 1
    assert again.stderr == 'Error from server (AlreadyExists): deployments.apps "hello" already exists\n'
    manifest = cluster.kubectl("create deployment dry --image=busybox --dry-run=client -o yaml").stdout
    assert "  strategy: {}\n" in manifest and manifest.endswith("status: {}\n")
    assert cluster.kubectl("create job once --image=busybox").stderr == (
        'error: kubesim does not serve Jobs yet, so "kubectl create job" is not emulated\n')


def test_kubectl_describe(cluster):
    """``describe pod``: the fields kubectl aligns, the kubelet's conditions with
    PodScheduled last, and the events that brought the pod up, oldest first."""
    cluster.apply(NGINX_YAML)
    cluster.run(seconds=30)
    name = sorted(p["metadata"]["name"] for p in cluster.list("pods") if p["metadata"]["namespace"] == "default")[0]
    out = cluster.kubectl(f"describe pod {name}").stdout
    assert out.startswith(f"Name:         {name}\nNamespace:    default\nPriority:     0\n")
    conditions = out.split("Conditions:\n")[1].split("\nVolumes:")[0].splitlines()
    assert [line.split()[0] for line in conditions] == ["Type", "Initialized", "Ready", "ContainersReady",
                                                         "PodScheduled"]
    events = out.split("Events:\n")[1].splitlines()
    assert events[0].split() == ["Type", "Reason", "Age", "From", "Message"]
    assert [line.split()[1] for line in events[2:]] == ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
    # Several pods: separated by two blank lines; a name prefix matches them all.
    assert cluster.kubectl("describe pods -l app=nginx").stdout.count("\n\n\nName:") == 2
    assert cluster.kubectl("describe pod nginx").stdout.count("\nName:") == 2
    missing = cluster.kubectl("describe deployment nope")
    assert missing.exit_code == 1
    assert missing.stderr == 'Error from server (NotFound): deployments.apps "nope" not found\n'


def test_kubectl_delete_waits(cluster):
    """``delete`` returns once the pod is gone (its containers stopped within the grace
    period), as kubectl waits; ``--wait=false`` leaves it Terminating; a finalizer nobody
    removes ends the wait at ``--timeout``. 1.36's ``--cascade=foreground`` removes the pods
    before the Deployment."""
    cluster.apply(NGINX_YAML)
    cluster.run(seconds=30)
    names = sorted(p["metadata"]["name"] for p in cluster.list("pods", label_selector="app=nginx"))
    out = cluster.kubectl(f"delete pod {names[0]}")
    assert out.ok and out.stdout == f'pod "{names[0]}" deleted\n'
    assert names[0] not in {p["metadata"]["name"] for p in cluster.list("pods")}
    assert cluster.kubectl(f"delete pod {names[1]} --wait=false").ok
    assert "deletionTimestamp" in cluster.get("pods", names[1])["metadata"]
    cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": "held", "finalizers": ["example.com/hold"]}})
    held = cluster.kubectl("delete configmap held --timeout=5s")
    assert held.exit_code == 1 and held.stdout == 'configmap "held" deleted\n'
    assert held.stderr == "error: timed out waiting for the condition on configmaps/held\n"
    # kubectl 1.36's --cascade=foreground (1.18's flag is a boolean).
    with Cluster(kubernetes_version="1.36") as c36:
        c36.apply(NGINX_YAML)
        c36.run(seconds=30)
        gone = c36.kubectl("delete deployment nginx --cascade=foreground")
        assert gone.ok and gone.stdout == 'deployment.apps "nginx" deleted from default namespace\n'
        assert c36.list("pods", label_selector="app=nginx") == []
        assert c36.list("replicasets") == []


def test_kubectl_patch_strategic(cluster):
    """``patch`` sends a strategic merge patch: the container is matched by name, so its
    other fields stay, where ``--type=merge`` replaces the list. ``Cluster.patch`` takes the
    type."""
    cluster.apply(NGINX_YAML)
    cluster.run(seconds=30)
    env = {"spec": {"template": {"spec": {"containers": [{"name": "nginx", "env": [{"name": "A", "value": "1"}]}]}}}}
    patched = cluster.patch("deployments", "nginx", env, patch_type="strategic")
    image = patched["spec"]["template"]["spec"]["containers"][0]["image"]
    patch = '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.16"}]}}}}'
    out = cluster.kubectl(["patch", "deployment", "nginx", "-p", patch])
    assert out.ok and out.stdout == "deployment.apps/nginx patched\n"
    container = cluster.get("deployments", "nginx")["spec"]["template"]["spec"]["containers"][0]
    assert image != "nginx:1.16" and container["image"] == "nginx:1.16"
    assert container["env"] == [{"name": "A", "value": "1"}]
    assert cluster.kubectl(["patch", "deployment", "nginx", "-p", patch]).stdout == "deployment.apps/nginx patched (no change)\n"
    # A merge patch replaces the list: the container it leaves has no image.
    with pytest.raises(InvalidError) as invalid:
        cluster.patch("deployments", "nginx", env, patch_type="merge")
    assert "spec.template.spec.containers[0].image: Required value" in str(invalid.value)


def test_kubectl_describe_generic(cluster):
    """Kinds without a describer of their own (a Lease) print through kubectl's generic
    describer: every field by sorted key under a label made from its name."""
    out = cluster.kubectl("describe lease minikube -n kube-node-lease")
    assert out.ok, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["Name:", "minikube"]
    assert lines[1].split() == ["Namespace:", "kube-node-lease"]
    assert "API Version:  coordination.k8s.io/v1" in lines
    assert "  Holder Identity:         minikube" in lines
    assert "  Lease Duration Seconds:  40" in lines


def test_label_set_image_and_rollout_status(cluster):
    cluster.apply(NGINX_YAML)
    cluster.run(seconds=30)
    assert cluster.kubectl("label deployment nginx tier=web").stdout == "deployment.apps/nginx labeled\n"
    refused = cluster.kubectl("label deployment nginx tier=db")
    assert refused.exit_code == 1
    assert refused.stderr == "error: 'tier' already has a value (web), and --overwrite is false\n"
    assert cluster.kubectl("taint nodes minikube-m03 gpu=yes:NoSchedule").stdout == "node/minikube-m03 tainted\n"
    assert cluster.kubectl("set image deployment/nginx nginx=nginx:1.16").stdout == "deployment.apps/nginx image updated\n"
    status = cluster.kubectl("rollout status deployment/nginx")
    assert status.ok and status.stdout.splitlines()[-1] == 'deployment "nginx" successfully rolled out'
    live = [p for p in cluster.list("pods", label_selector="app=nginx") if "deletionTimestamp" not in p["metadata"]]
    assert len(live) == 3 and {p["spec"]["containers"][0]["image"] for p in live} == {"nginx:1.16"}
    assert "minikube-m03" not in {p["spec"]["nodeName"] for p in live}


def test_cordon_and_uncordon_lines(cluster):
    assert cluster.cordon("minikube-m02") == "node/minikube-m02 cordoned"
    assert cluster.cordon("minikube-m02") == "node/minikube-m02 already cordoned"
    assert cluster.get("nodes", "minikube-m02")["spec"]["unschedulable"] is True
    assert cluster.uncordon("minikube-m02") == "node/minikube-m02 uncordoned"
    assert cluster.uncordon("minikube-m02") == "node/minikube-m02 already uncordoned"
    with pytest.raises(NotFoundError) as caught:
        cluster.cordon("nope")
    assert caught.value.message == 'nodes "nope" not found'


def test_state_is_canonical_json(cluster):
    text = cluster.state_json()
    state = json.loads(text)
    assert list(state)[:3] == ["now", "resourceVersion", "objects"]
    assert cluster.state() == state
    assert cluster.state_json() == text  # reading changes nothing
    kinds = [o["kind"] for o in state["objects"]]
    assert "Node" in kinds


def test_kubernetes_1_36_wording():
    with Cluster(kubernetes_version="1.36") as c:
        c.apply(NGINX_YAML)
        out = c.kubectl("delete deployment nginx")
        assert out.stdout == 'deployment.apps "nginx" deleted from default namespace\n'


def test_kubectl_events(cluster):
    """``events`` (kubectl 1.36): one object's events with ``--for``, oldest first, OBJECT as
    Kind/name; ``--types`` picks Warnings (a pod no node fits); kubectl 1.18 has no such
    command."""
    with Cluster(kubernetes_version="1.36") as c:
        c.apply(NGINX_YAML)
        c.run(seconds=30)
        name = sorted(p["metadata"]["name"] for p in c.list("pods", label_selector="app=nginx"))[0]
        out = c.kubectl(f"events --for pod/{name}")
        assert out.ok and out.stderr == ""
        rows = table(out.stdout)
        assert list(rows[0]) == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
        assert sorted(r["REASON"] for r in rows) == ["Created", "Pulled", "Pulling", "Scheduled", "Started"]
        assert {r["OBJECT"] for r in rows} == {f"Pod/{name}"}
        seen = [int(r["LAST SEEN"].rstrip("s")) for r in rows]
        assert seen == sorted(seen, reverse=True)  # oldest first
        assert c.kubectl("events --types=Warning").stderr == "No events found in default namespace.\n"
        c.apply(pod("ssd") | {"spec": {"nodeSelector": {"disk": "ssd"},
                                        "containers": [{"name": "c", "image": "nginx"}]}})
        c.run(seconds=5)
        warnings = table(c.kubectl("events --types=Warning").stdout)
        assert warnings and {(r["TYPE"], r["REASON"], r["OBJECT"]) for r in warnings} == {
            ("Warning", "FailedScheduling", "Pod/ssd")}
        bad = c.kubectl("events --types=Info")
        assert bad.exit_code == 1 and bad.stderr == "error: valid --types are Normal or Warning\n"
    old = cluster.kubectl("events")
    assert old.exit_code == 1 and old.stderr == 'error: unknown command "events" for "kubectl"\n'


def test_similar_events_are_combined_and_throttled(cluster):
    """client-go's event correlator: a ReplicaSet creating 40 pods records 9 'Created pod'
    Events, then one combined Event counting the next 16, then nothing (25 per object)."""
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "wide"},
        "spec": {"replicas": 40, "selector": {"matchLabels": {"app": "wide"}},
                 "template": {"metadata": {"labels": {"app": "wide"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}},
    }
    cluster.apply(deployment)
    cluster.run(seconds=60)
    assert len(cluster.list("pods", label_selector="app=wide")) == 40
    created = [e for e in cluster.events(namespace="default")
               if e["reason"] == "SuccessfulCreate" and e["involvedObject"]["kind"] == "ReplicaSet"]
    single = [e for e in created if not e["message"].startswith("(combined from similar events): ")]
    combined = [e for e in created if e["message"].startswith("(combined from similar events): ")]
    assert len(single) == 9 and all(e["count"] == 1 for e in single)
    assert all(e["message"].startswith("Created pod: wide-") for e in single)
    assert len(combined) == 1 and combined[0]["count"] == 16
    assert combined[0]["message"].startswith("(combined from similar events): Created pod: wide-")
    out = cluster.kubectl("get events --field-selector reason=SuccessfulCreate").stdout
    assert out.count("(combined from similar events): Created pod: wide-") == 1
