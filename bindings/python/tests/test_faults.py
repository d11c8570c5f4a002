"""Node faults of a scope (host, rack, zone, region), the node lifecycle controller's answer
(Unknown, taints, evictions), the disruption report and its plot."""

import json
import xml.dom.minidom

import pytest

import kubesim
from kubesim import BadRequestError, Cluster, NotFoundError
from kubesim.plot import write_svg

TOPOLOGY = {"regions": 1, "zonesPerRegion": 3, "racksPerZone": 1, "nodesPerRack": 2}


def deployment(name, replicas, zone=None, spread=False):
    spec = {"containers": [{"name": "app", "image": "nginx"}]}
    if zone:
        spec["nodeSelector"] = {"topology.kubernetes.io/zone": zone}
    if spread:
        spec["topologySpreadConstraints"] = [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
                                              "whenUnsatisfiable": "DoNotSchedule",
                                              "labelSelector": {"matchLabels": {"app": name}}}]
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}}, "spec": spec}}}


def zone_failure(seed=1):
    c = Cluster(seed=seed, kubernetes_version="1.36", topology=TOPOLOGY)
    c.apply(json.dumps(deployment("spread", 6, spread=True)))
    c.apply(json.dumps(deployment("packed", 6, zone="region-1-b")))
    c.run(seconds=30)
    fault = c.fail("zone", "region-1-b")
    c.restore("zone", "region-1-b", at="2024-01-01T00:10:30Z")
    c.run(seconds=800)
    return c, fault


def test_topology_labels_and_scopes():
    with Cluster(topology=TOPOLOGY) as c:
        nodes = c.list("nodes")
        assert len(nodes) == 6
        labels = nodes[2]["metadata"]["labels"]
        assert labels["topology.kubernetes.io/zone"] == "region-1-b"
        assert labels["topology.kubernetes.io/region"] == "region-1"
        assert labels["topology.kubesim.io/rack"] == "region-1-b-rack-1"
        assert c.fail("rack", "region-1-c-rack-1")["nodes"] == ["minikube-m05", "minikube-m06"]
        with pytest.raises(NotFoundError):
            c.fail("zone", "atlantis")
        with pytest.raises(NotFoundError):
            c.partition("host", "ghost")
        with pytest.raises(BadRequestError):
            c.fail("planet", "earth")
        with pytest.raises(BadRequestError):
            c.fail("host", "minikube", at="2000-01-01T00:00:00Z")


def test_failed_node_goes_unknown_tainted_and_its_pods_evicted(cluster):
    cluster.apply(json.dumps(deployment("web", 3)))
    cluster.run(seconds=20)
    victim = [p["metadata"]["name"] for p in cluster.list("pods", namespace="default") if p["spec"]["nodeName"] == "minikube-m02"]
    assert len(victim) == 1
    cluster.fail("host", "minikube-m02")
    cluster.run(seconds=60)
    node = cluster.get("nodes", "minikube-m02")
    ready = [c for c in node["status"]["conditions"] if c["type"] == "Ready"][0]
    assert (ready["status"], ready["message"]) == ("Unknown", "Kubelet stopped posting node status.")
    assert {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}.items() <= node["spec"]["taints"][-1].items()
    assert "NodeNotReady" in cluster.kubectl("get events").stdout
    cluster.run(seconds=300)
    messages = [e["message"] for e in cluster.events() if e["reason"] == "TaintManagerEviction"]
    assert messages == ["Marking for deletion Pod default/%s" % victim[0]]
    cluster.restore("host", "minikube-m02")
    cluster.run(seconds=30)
    node = cluster.get("nodes", "minikube-m02")
    assert "taints" not in node["spec"]
    assert [c["status"] for c in node["status"]["conditions"] if c["type"] == "Ready"] == ["True"]


def test_partition_keeps_pods_running_and_restore_cancels_eviction(cluster):
    cluster.apply(json.dumps(deployment("web", 3)))
    cluster.run(seconds=20)
    cluster.partition("host", "minikube-m03")
    cluster.run(seconds=120)
    cluster.restore("host", "minikube-m03")
    cluster.run(seconds=400)
    assert not [e for e in cluster.events() if e["message"].startswith("Marking for deletion")]
    assert any(e["message"].startswith("Cancelling deletion of Pod default/web-") for e in cluster.events())
    report = cluster.disruption_report()
    assert report["recovered"] is True and report["podsEvicted"] == 0


def test_disruption_report_shows_spreading_limits_the_blast_radius():
    c, fault = zone_failure()
    with c:
        assert fault["nodes"] == ["minikube-m03", "minikube-m04"]
        report = c.disruption_report()
        by_name = {w["name"]: w for w in report["workloads"]}
        assert by_name["spread"]["maxUnavailable"] == 2
        assert by_name["packed"]["maxUnavailable"] == 6
        assert report["podsEvicted"] == 8
        assert sorted(report["nodesTainted"]) == ["minikube-m03", "minikube-m04"]
        # packed's 6 replacements wait for their zone, and spread's 2 too: zone b still counts
        # as a domain, so a third replica elsewhere would break maxSkew 1 (DoNotSchedule)
        assert max(s["pending"] for s in report["series"]) == 8
        assert report["recovered"] is True
        # The zone returns 600 s after it failed; the packed replicas start again at once.
        assert 600 < report["timeToRecoverSeconds"] < 700
        assert report["podsPending"] == 0


def test_report_before_any_fault_is_empty(cluster):
    report = cluster.disruption_report()
    assert report["faults"] == [] and report["workloads"] == [] and report["recovered"] is True


def test_faults_are_deterministic():
    a, _ = zone_failure(seed=5)
    b, _ = zone_failure(seed=5)
    with a, b:
        assert a.disruption_report() == b.disruption_report()
        assert a.state_json() == b.state_json()


def test_plot_disruption_svg_and_matplotlib(tmp_path):
    c, _ = zone_failure()
    with c:
        report = c.disruption_report()
    svg = write_svg(report, str(tmp_path / "own.svg"))
    doc = xml.dom.minidom.parse(svg)
    lines = doc.getElementsByTagName("polyline")
    assert [l.getElementsByTagName("title")[0].firstChild.data for l in lines] == [
        "Deployment default/packed", "Deployment default/spread"]
    path = kubesim.plot_disruption(report, str(tmp_path / "plot.png"))
    with open(path, "rb") as f:
        head = f.read(8)
    try:
        import matplotlib  # noqa: F401
        assert head.startswith(b"\x89PNG")
    except ImportError:
        assert head.startswith(b"<svg")
