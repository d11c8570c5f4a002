"""The seed walkthrough ("k8s – overview"), live, on a simulated 3-node cluster.

Run it with ``python -m kubesim.walkthrough`` (or ``kubesim walkthrough``). It prints a
kubectl transcript: each command after a ``$ kubectl`` prompt, then what kubectl prints. Lines
starting with ``#`` are not output: they mark sections and the virtual time that passes between
commands. The same seed always prints the same transcript.

The sections follow the seed document (shared/seed/kubernetes-overview.en.md): the nodes; the
event chain of a Deployment; cordon and uncordon while scaling; a ReplicaSet manifest; labels and
selectors. Each section removes what the previous one created, with the commands shown, so its
listings read like the seed's.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import List, Optional, Sequence, TextIO

from .cluster import Cluster

__all__ = [
    "NGINX_DEPLOYMENT_YAML",
    "NGINX_YAML",
    "WEBSERVER_YAML",
    "LABEL_POD_YAML",
    "LABEL_POD_EDITED_YAML",
    "Transcript",
    "walkthrough",
    "main",
]

# The seed's manifests, as they stand in the document (comments included).
NGINX_DEPLOYMENT_YAML = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx-pod   ## selects the template's pods
  template:
    metadata:
      labels:
        app: nginx-pod
    spec:
      containers:
        - name: nginx
          image: nginx:1.15
          ports:
            - containerPort: 80
"""

NGINX_YAML = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
"""

WEBSERVER_YAML = """\
apiVersion: apps/v1   ## API version; `kubectl api-versions` lists them
kind: ReplicaSet      ## resource kind: Pod, ReplicaSet, Service, ConfigMap, Job, ...
metadata:             ## the object's name and labels
  name: webserver     ## the name kubectl commands use
spec:                 ## the resource's details; these fields are ReplicaSet's
  replicas: 10
  selector:
    matchLabels:
      app: webfront
  template:
    metadata:
      labels:
        app: webfront
    spec:
      containers:
      - image: nginx
        name: webfront-container
        ports:
          - containerPort: 80
"""

LABEL_POD_YAML = """\
apiVersion: v1
kind: Pod
metadata:
  name: nginx-pod-a
  labels:
    env: test
    app: photo-view
spec:
  containers:
  - image: nginx
    name: photoview-container
---
apiVersion: v1
kind: Pod
metadata:
  name: nginx-pod-b
  labels:
    env: test
    app: imagetrain
spec:
  containers:
  - image: nginx
    name: photoview-container
"""

# The seed's edit before the second apply: pod b's label imagetrain -> predictoin (sic).
LABEL_POD_EDITED_YAML = LABEL_POD_YAML.replace("app: imagetrain", "app: predictoin")


class Transcript:
    """Runs kubectl commands on a cluster and prints them as a terminal session would show.

    Args:
        cluster: the cluster to drive.
        out: where the transcript goes.

    ``failures`` counts the commands that exited non-zero.
    """

    def __init__(self, cluster: Cluster, out: TextIO):
        self.cluster = cluster
        self.out = out
        self.failures = 0
        self._first = True

    def _gap(self) -> None:
        if not self._first:
            self.out.write("\n")
        self._first = False

    def section(self, title: str) -> None:
        """Prints a section heading (``## title``)."""
        self._gap()
        self.out.write(f"## {title}\n")

    def note(self, text: str) -> None:
        """Prints a ``#`` comment line."""
        self.out.write(f"# {text}\n")

    def kubectl(self, shown: str, args: Optional[Sequence[str]] = None,
                stdin: Optional[str] = None) -> str:
        """Prints ``$ kubectl <shown>`` and the command's output; returns its stdout.

        ``args`` are what actually runs (default: ``shown`` split like a shell), so that
        ``apply -f nginx.yaml`` can be shown while ``apply -f -`` reads the manifest.
        """
        self._gap()
        self.out.write(f"$ kubectl {shown}\n")
        result = self.cluster.kubectl(list(args) if args is not None else shlex.split(shown),
                                      stdin=stdin)
        for text in (result.stdout, result.stderr):
            if text:
                self.out.write(text if text.endswith("\n") else text + "\n")
        if result.exit_code != 0:
            self.failures += 1
        return result.stdout

    def wait(self, duration: str) -> None:
        """Advances virtual time by a Go duration (``"96s"``) and notes it."""
        self.cluster.run(duration=duration)
        self.note(f"({duration} later)")


def walkthrough(cluster: Cluster, out: TextIO) -> int:
    """Plays the seed walkthrough on ``cluster`` (3 nodes: minikube, minikube-m02,
    minikube-m03), printing to ``out``; returns the number of commands that failed."""
    t = Transcript(cluster, out)

    t.section("Overview: the nodes")
    t.kubectl("get nodes -o wide")

    t.section("Event chain: a Deployment becomes pods")
    t.kubectl("apply -f nginx-deployment.yaml", ["apply", "-f", "-"], NGINX_DEPLOYMENT_YAML)
    t.wait("10s")
    # The seed watched with `get events -w`, which prints events as they arrive. Sorting by
    # resourceVersion gives that order (lastTimestamp has one-second resolution, so within a
    # second kubectl would fall back to name order and scramble the chain).
    t.kubectl("get events --sort-by=.metadata.resourceVersion")
    t.kubectl("get pods -o wide")

    t.section("Updates and upgrades: cordon, uncordon")
    t.note("remove the previous section's Deployment first")
    t.kubectl("delete deployment nginx-deployment")
    t.wait("60s")
    t.kubectl("apply -f nginx.yaml", ["apply", "-f", "-"], NGINX_YAML)
    t.wait("96s")
    t.kubectl("get pod --output=wide")
    t.kubectl("cordon minikube-m02")
    t.kubectl("get node")
    t.note("scale replicas to 6")
    t.kubectl("scale deployment/nginx --replicas=6")
    t.wait("23s")
    t.kubectl("get pod --output=wide")
    t.kubectl("uncordon minikube-m02")
    t.kubectl("get node")

    t.section("Manifest files: a ReplicaSet")
    t.note("remove the previous section's Deployment first")
    t.kubectl("delete deployment nginx")
    t.wait("60s")
    t.kubectl("apply -f webserver.yaml", ["apply", "-f", "-"], WEBSERVER_YAML)
    t.kubectl("delete -f webserver.yaml", ["delete", "-f", "-"], WEBSERVER_YAML)
    t.wait("60s")

    t.section("Labels and selectors")
    t.kubectl("apply -f Label/label-pod.yaml", ["apply", "-f", "-"], LABEL_POD_YAML)
    t.wait("24s")
    t.kubectl("get pod --show-labels")
    t.note("edit Label/label-pod.yaml: nginx-pod-b's label app: imagetrain -> predictoin")
    t.kubectl("apply -f Label/label-pod.yaml", ["apply", "-f", "-"], LABEL_POD_EDITED_YAML)
    t.wait("5m39s")
    t.kubectl("get pod --show-labels")
    t.wait("70s")
    t.kubectl("get pod -l app=photo-view,env=test")
    return t.failures


def main(argv: Optional[List[str]] = None, out: Optional[TextIO] = None) -> int:
    """Entry point of ``python -m kubesim.walkthrough``; returns 0 when every command
    succeeded, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="python -m kubesim.walkthrough",
                                     description="The seed walkthrough on a simulated cluster.")
    parser.add_argument("--seed", type=int, default=1, help="the cluster's seed (default 1)")
    parser.add_argument("--kubernetes-version", default="1.18", choices=["1.18", "1.36"],
                        help="wording and printing of this Kubernetes version (default 1.18)")
    options = parser.parse_args(argv)
    stream = out if out is not None else sys.stdout
    with Cluster(seed=options.seed, nodes=3,
                 kubernetes_version=options.kubernetes_version) as cluster:
        failures = walkthrough(cluster, stream)
    stream.flush()
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
