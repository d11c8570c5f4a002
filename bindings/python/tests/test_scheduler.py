"""The scheduler from Python: FailedScheduling, PriorityClass and explain_scheduling."""

import pytest

from kubesim import Cluster, NotFoundError


BIG = """apiVersion: v1
kind: Pod
metadata: {name: big}
spec:
  containers:
  - {name: c, image: busybox, resources: {requests: {cpu: "100"}}}
"""

SMALL = """apiVersion: v1
kind: Pod
metadata: {name: small}
spec:
  containers:
  - {name: c, image: busybox, resources: {requests: {cpu: 500m, memory: 1Gi}}}
"""


def test_explain_an_unschedulable_pod():
    with Cluster(seed=1, nodes=3, kubernetes_version="1.36") as c:
        c.cordon("minikube-m03")
        c.apply(BIG)
        c.run(seconds=2)
        e = c.explain_scheduling("big")
        assert e["pod"] == "default/big"
        assert e["state"] == "unschedulablePods"
        assert e["lastAttempt"]["message"] == (
            "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. "
            "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
            "2 No preemption victims found for incoming pod.")
        verdicts = {n["name"]: [(f["plugin"], f["result"], f.get("reasons", [])) for f in n["filters"]
                                if f["result"] not in ("Skip", "NotRun")] for n in e["nodes"]}
        assert verdicts["minikube-m03"] == [
            ("NodeUnschedulable", "UnschedulableAndUnresolvable", ["node(s) were unschedulable"])]
        assert verdicts["minikube-m02"][-1] == ("NodeResourcesFit", "Unschedulable", ["Insufficient cpu"])
        assert not any(n["feasible"] for n in e["nodes"])


def test_explain_scores_of_a_placed_pod(cluster):
    cluster.apply(SMALL)
    cluster.run(seconds=5)
    e = cluster.explain_scheduling("small", namespace="default")
    assert e["state"] == "Assigned"
    placed = cluster.get("pods", "small")["spec"]["nodeName"]
    assert e["nodeName"] == placed
    for node in e["nodes"]:
        assert node["feasible"]
        assert node["totalScore"] == sum(s["weighted"] for s in node["scores"])
        assert all(s["weighted"] == s["normalized"] * s["weight"] for s in node["scores"])


def test_explain_unknown_pod(cluster):
    with pytest.raises(NotFoundError):
        cluster.explain_scheduling("nope")


def test_priority_class_sets_pod_priority(cluster):
    cluster.apply("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000\n")
    cluster.apply("apiVersion: v1\nkind: Pod\nmetadata: {name: vip}\nspec:\n  priorityClassName: high\n"
                  "  containers: [{name: c, image: busybox}]\n")
    assert cluster.get("pods", "vip")["spec"]["priority"] == 1000
    names = [pc["metadata"]["name"] for pc in cluster.list("priorityclasses")]
    assert names == ["high", "system-cluster-critical", "system-node-critical"]


def test_explanation_is_deterministic():
    def run():
        with Cluster(seed=5, nodes=3) as c:
            c.apply(SMALL)
            c.run(seconds=3)
            return c.explain_scheduling("small"), c.state_json()
    assert run() == run()
