"""Same seed and inputs, same bytes: across clusters, threads, processes and languages."""

import json
import os
import subprocess
import threading

import pytest

from kubesim import Cluster
from kubesim.walkthrough import LABEL_POD_YAML, NGINX_DEPLOYMENT_YAML, NGINX_YAML

# The harness `make test-c` builds in this checkout (`make test` runs it before the Python
# tests); KUBESIM_HARNESS may point at another build of it.
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
HARNESS = os.environ.get("KUBESIM_HARNESS", os.path.join(REPO_ROOT, "bindings", "c", "build", "ks-harness"))

# One scenario, as steps in the C harness's scenario format (bindings/c/README.md), so that
# the Python run below and the harness perform the same library calls.
STEPS = [
    {"apply_inline": NGINX_DEPLOYMENT_YAML},
    {"run": "30s"},
    {"kubectl": ["apply", "-f", "-"], "stdin": LABEL_POD_YAML},
    {"cordon": "minikube-m02"},
    {"patch": {"resource": "deployments", "name": "nginx-deployment",
               "patch": {"spec": {"replicas": 5}}}},
    {"run": 45},
    {"apply_inline": NGINX_YAML},
    {"kubectl": "scale deployment/nginx-deployment --replicas=2"},
    {"delete": {"resource": "pods", "name": "nginx-pod-a"}},
    {"uncordon": "minikube-m02"},
    {"run": {"duration": "1m30s"}},
    {"events": {}},
]


def perform(cluster, step):
    """Runs one harness-format step through the Python API."""
    (key,) = [k for k in step if k not in ("stdin", "comment")]
    value = step[key]
    if key == "apply_inline":
        cluster.apply(value)
    elif key == "run":
        if isinstance(value, str):
            cluster.run(duration=value)
        elif isinstance(value, dict):
            cluster.run(**value)
        else:
            cluster.run(seconds=value)
    elif key == "kubectl":
        result = cluster.kubectl(value, stdin=step.get("stdin"))
        assert result.exit_code == 0, result.stderr
    elif key == "cordon":
        cluster.cordon(value)
    elif key == "uncordon":
        cluster.uncordon(value)
    elif key == "patch":
        cluster.patch(value["resource"], value["name"], value["patch"])
    elif key == "delete":
        cluster.delete(value["resource"], value["name"])
    elif key == "events":
        cluster.events()
    else:
        raise AssertionError(f"unknown step {key}")


def play(seed, steps=STEPS):
    """Plays the steps on a fresh cluster; returns (state JSON, kubectl output, events)."""
    with Cluster(seed=seed, nodes=3) as cluster:
        for step in steps:
            perform(cluster, step)
        pods = cluster.kubectl("get pods -A -o wide").stdout
        events = json.dumps(cluster.events())
        return cluster.state_json(), pods, events


def test_same_seed_same_state():
    first, second = play(1), play(1)
    assert first[0] == second[0]
    assert first == second


def test_other_seed_other_names():
    # Pod name suffixes come from the seed: another seed gives another state.
    assert play(1)[0] != play(2)[0]


def test_threads_match_sequential_runs():
    seeds = [1, 2, 1, 3]
    sequential = [play(seed) for seed in seeds]
    results = [None] * len(seeds)
    errors = []
    barrier = threading.Barrier(len(seeds))

    def worker(index, seed):
        try:
            barrier.wait()
            results[index] = play(seed)
        except BaseException as error:  # reported below, in the main thread
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(i, s)) for i, s in enumerate(seeds)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not errors, errors
    assert results == sequential


def test_one_cluster_shared_by_threads():
    # Calls on one handle are serialised inside it: concurrent readers see consistent state.
    with Cluster(seed=5) as cluster:
        cluster.apply(NGINX_YAML)
        cluster.run(seconds=30)
        expected = cluster.state_json()
        seen = []

        def reader():
            for _ in range(20):
                seen.append(cluster.state_json())
                cluster.kubectl("get pods -o wide")

        threads = [threading.Thread(target=reader) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        assert len(seen) == 80 and set(seen) == {expected}


@pytest.mark.skipif(not os.access(HARNESS, os.X_OK),
                    reason=f"C harness not built ({HARNESS} missing; make test-c)")
def test_c_harness_and_python_give_identical_state(tmp_path):
    scenario = {"cluster": {"seed": 11, "nodes": 3}, "steps": STEPS}
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario, indent=2), encoding="utf-8")
    proc = subprocess.run([HARNESS, "--quiet", "--state", str(path)], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    c_state = proc.stdout.rstrip("\n").split("\n")[-1]
    python_state = play(11)[0]
    assert json.loads(c_state)["objects"], "the harness printed no state"
    assert c_state == python_state
