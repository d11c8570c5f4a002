"""The kubesim command: scripts of kubectl commands on one cluster."""

import io
import json
import os
import subprocess
import sys

from kubesim import Cluster, cli
from kubesim.walkthrough import LABEL_POD_YAML, NGINX_YAML

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = """\
# the cordon scenario
kubectl apply -f nginx.yaml
run 96s
$ kubectl cordon minikube-m02
scale deployment/nginx --replicas=6
run 23
apply -f - <<EOF
{labels}EOF
get pod nope
get pod -l app=photo-view -o name
"""


def write_script(tmp_path):
    (tmp_path / "nginx.yaml").write_text(NGINX_YAML, encoding="utf-8")
    script = tmp_path / "scenario.txt"
    script.write_text(SCRIPT.format(labels=LABEL_POD_YAML), encoding="utf-8")
    return script


def test_run_script(tmp_path):
    script = write_script(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    with Cluster() as cluster:
        failures = cli.run_script(cluster, script.read_text(), out, err, str(tmp_path))
        assert len(cluster.list("pods", namespace="default", label_selector="app=nginx")) == 6
    assert failures == 1
    assert out.getvalue() == (
        "$ kubectl apply -f nginx.yaml\n"
        "deployment.apps/nginx created\n"
        "# run 96s\n"
        "$ kubectl cordon minikube-m02\n"
        "node/minikube-m02 cordoned\n"
        "$ kubectl scale deployment/nginx --replicas=6\n"
        "deployment.apps/nginx scaled\n"
        "# run 23\n"
        "$ kubectl apply -f -\n"
        "pod/nginx-pod-a created\n"
        "pod/nginx-pod-b created\n"
        "$ kubectl get pod nope\n"
        "$ kubectl get pod -l app=photo-view -o name\n"
        "pod/nginx-pod-a\n")
    assert err.getvalue() == 'Error from server (NotFound): pods "nope" not found\n'


def test_main_run_with_state_matches_the_api(tmp_path):
    script = write_script(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(["--seed", "4", "run", "--quiet", "--state", str(script)], out=out, err=err)
    assert status == 1  # the script's "get pod nope" fails
    lines = out.getvalue().splitlines()
    assert lines[0] == "deployment.apps/nginx created"
    with Cluster(seed=4) as cluster:
        cluster.apply(NGINX_YAML)
        cluster.run(seconds=96)
        cluster.cordon("minikube-m02")
        cluster.kubectl("scale deployment/nginx --replicas=6")
        cluster.run(seconds=23)
        cluster.apply(LABEL_POD_YAML)
        assert lines[-1] == cluster.state_json()
    json.loads(lines[-1])


def test_unterminated_heredoc(tmp_path):
    script = tmp_path / "bad.txt"
    script.write_text("apply -f - <<EOF\nkind: Pod\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["run", str(script)], out=out, err=err) == 1
    assert "here-document not terminated by EOF" in err.getvalue()


def test_kubectl_subcommand():
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["--nodes", "2", "kubectl", "get", "nodes", "-o", "name"], out=out, err=err) == 0
    assert out.getvalue() == "node/minikube\nnode/minikube-m02\n"


def test_console_script_module_entry(tmp_path):
    script = write_script(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "kubesim.cli", "run", str(script)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert "node/minikube-m02 cordoned\n" in proc.stdout
    assert proc.stderr == 'Error from server (NotFound): pods "nope" not found\n'
