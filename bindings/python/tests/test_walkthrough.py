"""The seed walkthrough prints the seed's transcripts."""

import io
import os
import subprocess
import sys

import pytest

from kubesim import walkthrough

from conftest import table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def transcript():
    out = io.StringIO()
    status = walkthrough.main([], out=out)
    return status, out.getvalue()


def blocks(text):
    """Splits a transcript into [(command, output)] pairs."""
    result = []
    for line in text.splitlines():
        if line.startswith("$ kubectl "):
            result.append((line[len("$ kubectl "):], []))
        elif line.startswith("#") or not line.strip():
            continue
        elif result:
            result[-1][1].append(line)
    return [(command, "\n".join(lines) + "\n") for command, lines in result]


def outputs(text, command):
    return [output for c, output in blocks(text) if c == command]


def test_walkthrough_succeeds(transcript):
    status, text = transcript
    assert status == 0, text


@pytest.mark.parametrize("line", [
    "Scaled up replica set nginx-deployment-",
    "Created pod: nginx-deployment-",
    "Successfully assigned default/nginx-deployment-",
    'Pulling image "nginx:1.15"',
    'Successfully pulled image "nginx:1.15"',
    "Created container nginx",
    "Started container nginx",
    "deployment.apps/nginx created",
    "node/minikube-m02 cordoned",
    "Ready,SchedulingDisabled",
    "deployment.apps/nginx scaled",
    "node/minikube-m02 uncordoned",
    "replicaset.apps/webserver created",
    'replicaset.apps "webserver" deleted',
    "pod/nginx-pod-a created",
    "pod/nginx-pod-b created",
    "pod/nginx-pod-a unchanged",
    "pod/nginx-pod-b configured",
    "app=photo-view,env=test",
    "app=predictoin,env=test",
])
def test_walkthrough_prints_the_seeds_lines(transcript, line):
    assert line in transcript[1]


def test_prompts_precede_outputs(transcript):
    commands = [c for c, _ in blocks(transcript[1])]
    assert commands[0] == "get nodes -o wide"
    assert "apply -f nginx-deployment.yaml" in commands
    assert commands.index("cordon minikube-m02") < commands.index("uncordon minikube-m02")
    assert commands[-1] == "get pod -l app=photo-view,env=test"


def test_nodes_table(transcript):
    (nodes,) = outputs(transcript[1], "get nodes -o wide")
    rows = table(nodes)
    assert [r["NAME"] for r in rows] == ["minikube", "minikube-m02", "minikube-m03"]
    assert rows[0]["ROLES"] == "master"
    assert list(rows[0])[:6] == ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP"]


def test_events_table(transcript):
    (events,) = outputs(transcript[1], "get events --sort-by=.metadata.resourceVersion")
    rows = table(events)
    assert list(rows[0]) == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    # The nodes' start-up events come first; then the seed's chain, in arrival order.
    chain = [r for r in rows if not r["OBJECT"].startswith("node/")]
    reasons = [r["REASON"] for r in chain]
    assert reasons[:10] == ["ScalingReplicaSet"] + ["SuccessfulCreate"] * 3 + ["Scheduled"] * 3 + ["Pulling"] * 3
    assert chain[0]["OBJECT"] == "deployment/nginx-deployment"
    assert all(r["LAST SEEN"] == "<unknown>" for r in chain if r["REASON"] == "Scheduled")
    for reason in ("Pulled", "Created", "Started"):
        assert reasons.count(reason) == 3, reason


def test_cordon_section(transcript):
    text = transcript[1]
    first, second = outputs(text, "get pod --output=wide")
    before = {r["NAME"]: r["NODE"] for r in table(first)}
    assert len(before) == 3 and all(name.startswith("nginx-") for name in before)
    assert all(r["AGE"] == "96s" and r["STATUS"] == "Running" for r in table(first))
    after = table(second)
    assert len(after) == 6
    new = [r for r in after if r["NAME"] not in before]
    assert len(new) == 3
    assert all(r["NODE"] != "minikube-m02" and r["AGE"] == "23s" for r in new)
    cordoned, uncordoned = outputs(text, "get node")
    status = {r["NAME"]: r["STATUS"] for r in table(cordoned)}
    assert status["minikube-m02"] == "Ready,SchedulingDisabled"
    assert {r["NAME"]: r["STATUS"] for r in table(uncordoned)}["minikube-m02"] == "Ready"


def test_labels_section(transcript):
    text = transcript[1]
    first, second = outputs(text, "get pod --show-labels")
    assert [(r["NAME"], r["AGE"], r["LABELS"]) for r in table(first)] == [
        ("nginx-pod-a", "24s", "app=photo-view,env=test"),
        ("nginx-pod-b", "24s", "app=imagetrain,env=test"),
    ]
    assert [(r["NAME"], r["AGE"], r["LABELS"]) for r in table(second)] == [
        ("nginx-pod-a", "6m3s", "app=photo-view,env=test"),
        ("nginx-pod-b", "6m3s", "app=predictoin,env=test"),
    ]
    (selected,) = outputs(text, "get pod -l app=photo-view,env=test")
    assert selected == (
        "NAME          READY   STATUS    RESTARTS   AGE\n"
        "nginx-pod-a   1/1     Running   0          7m13s\n")


def test_walkthrough_is_deterministic_across_processes(transcript):
    # Swift seeds its hashing per process: a second process must still print the same bytes.
    proc = subprocess.run([sys.executable, "-m", "kubesim.walkthrough"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == transcript[1]
