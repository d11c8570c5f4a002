"""The seed's two scenarios through the API: the event chain, and cordon while scaling."""

import re

from kubesim.walkthrough import NGINX_DEPLOYMENT_YAML, NGINX_YAML

from conftest import table

KUBELET_CHAIN = ["Scheduled", "Pulling", "Pulled", "Created", "Started"]


def test_event_chain_of_a_3_replica_deployment(cluster):
    stream = cluster.event_stream(namespace="default")
    stream.poll()  # the nodes' start-up events
    cluster.apply(NGINX_DEPLOYMENT_YAML)
    cluster.run(seconds=30)
    events = stream.poll()
    assert events, "no events recorded"

    first = events[0]
    assert (first["involvedObject"]["kind"], first["reason"]) == ("Deployment", "ScalingReplicaSet")
    match = re.fullmatch(r"Scaled up replica set (nginx-deployment-[a-z0-9]+) to 3", first["message"])
    assert match, first["message"]
    replicaset = match.group(1)
    assert first["type"] == "Normal"

    creates = [e for e in events if e["reason"] == "SuccessfulCreate"]
    assert len(creates) == 3
    pods = []
    for event in creates:
        involved = event["involvedObject"]
        assert (involved["kind"], involved["name"]) == ("ReplicaSet", replicaset)
        created = re.fullmatch(r"Created pod: (" + re.escape(replicaset) + r"-[a-z0-9]{5})",
                               event["message"])
        assert created, event["message"]
        pods.append(created.group(1))
    assert len(set(pods)) == 3

    index = {id(e): i for i, e in enumerate(events)}
    for name in pods:
        chain = [e for e in events
                 if e["involvedObject"]["kind"] == "Pod" and e["involvedObject"]["name"] == name]
        assert [e["reason"] for e in chain] == KUBELET_CHAIN, name
        created_at = index[id(next(e for e in creates if e["message"].endswith(name)))]
        assert created_at < index[id(chain[0])]  # the pod exists before it is scheduled
        scheduled, pulling, pulled, created_c, started = chain
        assert re.fullmatch(r"Successfully assigned default/" + re.escape(name) + r" to minikube(-m0[23])?",
                            scheduled["message"]), scheduled["message"]
        # The scheduler records through events.k8s.io (reportingComponent, no source, no
        # lastTimestamp: hence the seed's "<unknown>" LAST SEEN).
        assert scheduled["reportingComponent"] == "default-scheduler"
        assert pulling["message"] == 'Pulling image "nginx:1.15"'
        assert pulled["message"].startswith('Successfully pulled image "nginx:1.15"')
        assert created_c["message"] == "Created container nginx"
        assert started["message"] == "Started container nginx"
        assert pulling["source"]["component"] == "kubelet"

    # After the chain: 3 running pods, the deployment available.
    running = cluster.list("pods", namespace="default", label_selector="app=nginx-pod")
    assert sorted(p["metadata"]["name"] for p in running) == sorted(pods)
    assert all(p["status"]["phase"] == "Running" for p in running)
    deployment = cluster.get("deployments", "nginx-deployment")
    assert deployment["status"].get("availableReplicas") == 3


def test_cordoned_node_gets_no_new_pods(cluster):
    cluster.apply(NGINX_YAML)
    cluster.run(seconds=96)
    before = {p["metadata"]["name"]: p["spec"]["nodeName"]
              for p in cluster.list("pods", namespace="default", label_selector="app=nginx")}
    assert len(before) == 3

    assert cluster.cordon("minikube-m02") == "node/minikube-m02 cordoned"
    nodes = {r["NAME"]: r["STATUS"] for r in table(cluster.kubectl("get node").stdout)}
    assert nodes == {"minikube": "Ready", "minikube-m02": "Ready,SchedulingDisabled",
                     "minikube-m03": "Ready"}

    cluster.patch("deployments", "nginx", {"spec": {"replicas": 6}})
    cluster.run(seconds=23)
    after = {p["metadata"]["name"]: p for p in
             cluster.list("pods", namespace="default", label_selector="app=nginx")}
    assert len(after) == 6
    for name, node in before.items():  # cordon does not move running pods
        assert after[name]["spec"]["nodeName"] == node
    new = [p for name, p in after.items() if name not in before]
    assert len(new) == 3
    for p in new:
        assert p["spec"].get("nodeName") not in (None, "", "minikube-m02"), p["metadata"]["name"]
        assert p["status"]["phase"] == "Running"
    rows = table(cluster.kubectl("get pod --output=wide").stdout)
    assert len(rows) == 6
    assert all(r["NODE"] != "minikube-m02" for r in rows if r["NAME"] not in before)

    assert cluster.uncordon("minikube-m02") == "node/minikube-m02 uncordoned"
    nodes = {r["NAME"]: r["STATUS"] for r in table(cluster.kubectl("get node").stdout)}
    assert nodes["minikube-m02"] == "Ready"


def test_replicaset_apply_and_delete(cluster):
    from kubesim.walkthrough import WEBSERVER_YAML
    out = cluster.kubectl(["apply", "-f", "-"], stdin=WEBSERVER_YAML)
    assert out.stdout == "replicaset.apps/webserver created\n"
    cluster.run(seconds=30)
    assert len(cluster.list("pods", namespace="default", label_selector="app=webfront")) == 10
    out = cluster.kubectl(["delete", "-f", "-"], stdin=WEBSERVER_YAML)
    assert out.stdout == 'replicaset.apps "webserver" deleted\n'
    cluster.run(seconds=60)
    assert cluster.list("pods", namespace="default", label_selector="app=webfront") == []
