"""Drain from Python: Cluster.drain, ks_node's drain action, kubectl drain, and the system
DaemonSets it has to step around."""

import pytest

from kubesim import Cluster, DrainError, NotFoundError, TooManyRequestsError
from kubesim.walkthrough import NGINX_YAML

def nginx(replicas):
    """The walkthrough's nginx Deployment with ``replicas`` replicas."""
    return NGINX_YAML.replace("replicas: 3", "replicas: %d" % replicas)


BUDGET = """
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: nginx
spec:
  %s
  selector:
    matchLabels:
      app: nginx
"""


def pods_on(cluster, node, namespace="default"):
    return sorted(p["metadata"]["name"] for p in cluster.list("pods", namespace=namespace)
                  if p["spec"].get("nodeName") == node)


def test_system_daemonsets_run_everywhere_and_can_be_turned_off():
    with Cluster(seed=1) as c:
        c.run(seconds=30)
        names = [p["metadata"]["name"] for p in c.list("pods", namespace="kube-system")]
        assert sum(n.startswith("kindnet-") for n in names) == 3
        assert sum(n.startswith("kube-proxy-") for n in names) == 3
        assert "kube-proxy" in c.kubectl("get ds -n kube-system").stdout
    with Cluster(seed=1, systemDaemonSets=False) as c:
        c.run(seconds=30)
        assert c.list("daemonsets", namespace="kube-system") == []
        assert not any(p["metadata"]["name"].startswith("kindnet-")
                       for p in c.list("pods", namespace="kube-system"))


def test_drain_refuses_daemonset_pods_then_ignores_them(cluster):
    cluster.apply(nginx(3))
    cluster.run(seconds=60)
    system = ", ".join("kube-system/" + n for n in pods_on(cluster, "minikube-m03", "kube-system"))
    with pytest.raises(DrainError) as info:
        cluster.drain("minikube-m03")
    assert info.value.message == \
        "error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): " + system
    assert info.value.result.stdout == "node/minikube-m03 cordoned\n"
    assert "There are pending nodes to be drained:\n minikube-m03\n" in str(info.value)

    moved = pods_on(cluster, "minikube-m03")
    result = cluster.drain("minikube-m03", ignore_daemonsets=True)
    assert result.stderr == "WARNING: ignoring DaemonSet-managed Pods: " + system + "\n"
    lines = result.stdout.splitlines()
    assert lines[0] == "node/minikube-m03 already cordoned"
    assert lines[1:1 + len(moved)] == ["evicting pod default/" + n for n in moved]
    assert sorted(lines[1 + len(moved):-1]) == sorted("pod/%s evicted" % n for n in moved)
    assert lines[-1] == "node/minikube-m03 drained"
    assert pods_on(cluster, "minikube-m03") == []


def test_budget_retries_and_timeout(cluster):
    cluster.kubectl("cordon minikube")
    cluster.kubectl("cordon minikube-m02")
    cluster.apply(nginx(1))
    cluster.apply(BUDGET % "minAvailable: 1")
    cluster.run(seconds=60)
    (pod,) = pods_on(cluster, "minikube-m03")
    before = cluster.now
    with pytest.raises(DrainError) as info:
        cluster.drain("minikube-m03", ignore_daemonsets=True, timeout=7)
    err = info.value.result.stderr
    assert ('error when evicting pod "%s" (will retry after 5s): '
            "Cannot evict pod as it would violate the pod's disruption budget.\n" % pod) in err
    assert info.value.message == 'error: error when evicting pod "%s": global timeout reached: 7s' % pod
    assert cluster.now != before  # it waited in virtual time
    assert pods_on(cluster, "minikube-m03") == [pod]

    # The Eviction API directly: 429 with kubectl's message.
    with pytest.raises(TooManyRequestsError) as refused:
        cluster.evict(pod)
    assert refused.value.message == "Cannot evict pod as it would violate the pod's disruption budget."


def test_unmanaged_and_emptydir_pods_need_flags(cluster):
    cluster.create({"apiVersion": "v1", "kind": "Pod",
                    "metadata": {"name": "standalone"},
                    "spec": {"nodeName": "minikube-m02", "containers": [{"name": "c", "image": "busybox"}],
                             "volumes": [{"name": "tmp", "emptyDir": {}}]}})
    cluster.run(seconds=20)
    with pytest.raises(DrainError) as info:
        cluster.drain("minikube-m02", ignore_daemonsets=True)
    assert info.value.message == ("error: cannot delete Pods with local storage (use --delete-local-data to override): "
                                  "default/standalone")
    with pytest.raises(DrainError) as info:
        cluster.drain("minikube-m02", ignore_daemonsets=True, delete_emptydir_data=True)
    assert "use --force to override): default/standalone" in info.value.message
    result = cluster.drain("minikube-m02", ignore_daemonsets=True, delete_emptydir_data=True, force=True,
                           grace_period=0)
    assert "pod/standalone evicted\n" in result.stdout
    assert pods_on(cluster, "minikube-m02") == []


def test_unknown_node_and_kubectl(cluster):
    with pytest.raises(NotFoundError) as info:
        cluster.drain("nope")
    assert str(info.value) == 'Error from server (NotFound): nodes "nope" not found'
    r = cluster.kubectl("drain nope --ignore-daemonsets")
    assert (r.exit_code, r.stderr) == (1, 'Error from server (NotFound): nodes "nope" not found\n')
    r = cluster.kubectl(["drain", "minikube-m02", "--ignore-daemonsets", "--timeout=30s"])
    assert r.exit_code == 0 and r.stdout.endswith("node/minikube-m02 drained\n")


def test_same_seed_same_state():
    def run():
        with Cluster(seed=5) as c:
            c.apply(nginx(4))
            c.apply(BUDGET % "maxUnavailable: 1")
            c.run(seconds=60)
            out = c.drain("minikube-m02", ignore_daemonsets=True).stdout
            return out + repr(c.state())
    assert run() == run()
