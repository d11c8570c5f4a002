"""Bad input of every class raises the matching exception and changes nothing."""

import pytest

from kubesim import (
    KS_MAX_INPUT_BYTES,
    ApplyError,
    BadRequestError,
    Cluster,
    InvalidError,
    KubesimError,
    NotFoundError,
    RequestEntityTooLargeError,
)
from kubesim.errors import (
    KS_EINVAL,
    KS_EINVALID,
    KS_ENOTFOUND,
    AlreadyExistsError,
    ConflictError,
    GoneError,
    UnavailableError,
    error_from_status,
)
from kubesim.walkthrough import NGINX_YAML

GOOD_POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "good"},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]}}


@pytest.fixture
def busy():
    """A cluster with some state, so that 'nothing changed' means something."""
    with Cluster(seed=7, nodes=3) as c:
        c.apply(NGINX_YAML)
        c.run(seconds=30)
        yield c


def unchanged(cluster, action, error_type):
    """Runs action, expects error_type, and checks the cluster's state did not move."""
    before = cluster.state_json()
    with pytest.raises(error_type) as caught:
        action()
    assert cluster.state_json() == before
    return caught.value


def test_malformed_yaml(busy):
    error = unchanged(busy, lambda: busy.apply(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n"), BadRequestError)
    assert error.code == 400 and error.rc == KS_EINVAL
    assert error.status["kind"] == "Status" and error.status["status"] == "Failure"


def test_malformed_json(busy):
    error = unchanged(busy, lambda: busy.apply('{"apiVersion": "v1", "kind": "Pod", '),
                      BadRequestError)
    assert error.code == 400
    error = unchanged(busy, lambda: busy.create('{"apiVersion": "v1", "kind": "Pod"'),
                      BadRequestError)
    assert error.code == 400


def test_malformed_request_json(busy):
    # Raw request JSON that is not an object at all.
    error = unchanged(busy, lambda: busy._call("ks_get", "[1, 2"), BadRequestError)
    assert error.rc == KS_EINVAL


def test_unknown_kind(busy):
    foo = {"apiVersion": "v1", "kind": "Foo", "metadata": {"name": "x"}}
    error = unchanged(busy, lambda: busy.create(foo), NotFoundError)
    assert error.rc == KS_ENOTFOUND and error.code == 404
    unchanged(busy, lambda: busy.get("foos", "x"), NotFoundError)
    assert error.message == 'no matches for kind "Foo" in version "v1"'
    error = unchanged(busy, lambda: busy.apply(foo), ApplyError)
    assert error.results[0].kind == "Foo" and error.results[0].result is None
    assert isinstance(error.errors[0], NotFoundError)
    assert error.rc == KS_ENOTFOUND


def test_missing_name(busy):
    nameless = {"apiVersion": "v1", "kind": "Pod", "metadata": {},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    error = unchanged(busy, lambda: busy.create(nameless), InvalidError)
    assert error.rc == KS_EINVALID and error.code == 422 and error.reason == "Invalid"
    # Upstream: the Status message, and kubectl's rendering of an Invalid error.
    assert error.message == (
        'Pod "" is invalid: metadata.name: Required value: name or generateName is required')
    assert str(error) == (
        'The Pod "" is invalid: metadata.name: Required value: name or generateName is required')
    # apply looks the object up by name first, so it fails before reaching validation.
    error = unchanged(busy, lambda: busy.apply(nameless), ApplyError)
    assert isinstance(error.errors[0], BadRequestError)
    assert error.errors[0].message == "resource name may not be empty"


def test_partial_apply_applies_the_rest(busy):
    manifests = [dict(GOOD_POD), dict(GOOD_POD, metadata={"name": "Bad_Name"})]
    with pytest.raises(ApplyError) as caught:
        busy.apply(manifests)
    error = caught.value
    assert [r.result for r in error.results] == ["created", None]
    assert error.results[0].output == "pod/good created"
    assert isinstance(error.results[1].error, InvalidError)
    assert error.errors == [error.results[1].error]
    assert error.code == 422
    assert busy.get("pods", "good")["metadata"]["name"] == "good"
    with pytest.raises(NotFoundError):
        busy.get("pods", "Bad_Name")


def test_invalid_label_selector(busy):
    # 1.18's parser words the operator list as "'=', '!=', '==', 'in', notin'" (sic);
    # current upstream as "in, notin, =, ==, !=, gt, lt" (k8s.io/apimachinery labels/selector.go).
    error = unchanged(busy, lambda: busy.list("pods", label_selector="a b"), BadRequestError)
    assert error.message == (
        "unable to parse requirement: found 'b', expected: '=', '!=', '==', 'in', notin'")
    assert error.code == 400 and error.reason == "BadRequest"
    with Cluster(kubernetes_version="1.36") as current:
        error = unchanged(current, lambda: current.list("pods", label_selector="a b"),
                          BadRequestError)
    assert error.message == (
        "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt")
    assert str(error) == ("Error from server (BadRequest): unable to parse requirement: "
                          "found 'b', expected: in, notin, =, ==, !=, gt, lt")
    assert error.code == 400 and error.reason == "BadRequest"


def test_wrong_type(busy):
    # Upstream decodes the body before validating, so a wrong JSON type is 400 BadRequest
    # ("... cannot be handled as a Deployment: ..."), not 422.
    wrong = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "typed"},
             "spec": {"replicas": "three", "selector": {"matchLabels": {"app": "t"}},
                      "template": {"metadata": {"labels": {"app": "t"}},
                                   "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
    error = unchanged(busy, lambda: busy.create(wrong), BadRequestError)
    assert error.code == 400
    pod = dict(GOOD_POD, spec={"containers": "nginx"})
    error = unchanged(busy, lambda: busy.create(pod), BadRequestError)
    assert error.code == 400


MISSPELT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: misspelt
spec:
  replicass: 2
  selector:
    matchLabels: {app: m}
  template:
    metadata:
      labels: {app: m}
    spec:
      containers:
      - {name: c, image: nginx, imagee: nginx:2}
"""


@pytest.fixture
def busy_1_36():
    with Cluster(seed=7, nodes=3, kubernetes_version="1.36") as c:
        c.apply(NGINX_YAML)
        c.run(seconds=30)
        yield c


def test_unknown_fields(busy_1_36):
    # apply is kubectl apply with its default --validate=strict: the server refuses members
    # the kind does not have, and nothing is stored.
    busy = busy_1_36
    before = busy.state_json()
    with pytest.raises(ApplyError) as caught:
        busy.apply(MISSPELT)
    error = caught.value.errors[0]
    assert isinstance(error, BadRequestError) and error.code == 400
    assert error.message == (
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
        'unknown field "spec.replicass", unknown field "spec.template.spec.containers[0].imagee"')
    assert caught.value.results[0].output == (
        'Error from server (BadRequest): error when creating "STDIN": ' + error.message)
    assert busy.state_json() == before

    # The REST verbs default to Warn: stored without them.
    pod = dict(GOOD_POD, metadata={"name": "extra", "colour": "red"})
    stored = busy.create(pod)
    assert "colour" not in stored["metadata"]
    assert "colour" not in busy.get("pods", "extra")["metadata"]
    error = unchanged(busy, lambda: busy.create(dict(pod, metadata={"name": "strict", "colour": "red"}),
                                                field_validation="Strict"), BadRequestError)
    assert error.message.endswith('strict decoding error: unknown field "metadata.colour"')
    error = unchanged(busy, lambda: busy.patch("pods", "extra", {"spec": {"colour": "red"}},
                                               field_validation="Strict"), InvalidError)
    assert str(error).startswith('The request is invalid: patch: Invalid value: "{')
    assert str(error).endswith('": strict decoding error: unknown field "spec.colour"')


def test_unknown_fields_1_18():
    # kubectl 1.18 checks the manifest itself, against the server's OpenAPI document.
    with Cluster(kubernetes_version="1.18") as old:
        with pytest.raises(ApplyError) as caught:
            old.apply(MISSPELT)
        assert caught.value.results[0].output == (
            'error: error validating "STDIN": error validating data: ['
            'ValidationError(Deployment.spec): unknown field "replicass" in io.k8s.api.apps.v1.DeploymentSpec, '
            'ValidationError(Deployment.spec.template.spec.containers[0]): unknown field "imagee" in '
            'io.k8s.api.core.v1.Container]; if you choose to ignore these errors, turn validation off with '
            '--validate=false')
        with pytest.raises(NotFoundError):
            old.get("deployments", "misspelt")


def test_absent_object(busy):
    error = unchanged(busy, lambda: busy.get("pods", "nope"), NotFoundError)
    assert error.message == 'pods "nope" not found'
    assert str(error) == 'Error from server (NotFound): pods "nope" not found'
    assert (error.code, error.reason, error.rc) == (404, "NotFound", KS_ENOTFOUND)
    error = unchanged(busy, lambda: busy.delete("pods", "nope"), NotFoundError)
    assert error.message == 'pods "nope" not found'
    error = unchanged(busy, lambda: busy.get("deployments", "nope"), NotFoundError)
    assert error.message == 'deployments.apps "nope" not found'
    error = unchanged(busy, lambda: busy.patch("pods", "nope", {"metadata": {"labels": {"a": "b"}}}),
                      NotFoundError)
    assert error.message == 'pods "nope" not found'


def test_invalid_utf8(busy):
    lone = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  k: \udcff\n"
    error = unchanged(busy, lambda: busy.apply(lone), BadRequestError)
    assert error.code == 400 and error.rc == KS_EINVAL
    unchanged(busy, lambda: busy.apply(b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \xff\n"),
              BadRequestError)
    unchanged(busy, lambda: busy.get("pods", "\ud800"), BadRequestError)
    unchanged(busy, lambda: busy.kubectl(["get", "pods", "\udc80"]), BadRequestError)


def test_oversized_input(busy):
    big = "x" * (KS_MAX_INPUT_BYTES + 1)
    manifest = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  k: {big}\n"
    error = unchanged(busy, lambda: busy.apply(manifest), RequestEntityTooLargeError)
    assert isinstance(error, BadRequestError)
    assert error.code == 413 and error.rc == KS_EINVAL
    assert error.reason == "RequestEntityTooLarge"
    assert error.message == "Request entity too large: limit is 3145728"
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"}, "data": {"k": big}}
    error = unchanged(busy, lambda: busy.create(cm), RequestEntityTooLargeError)
    assert error.message == "Request entity too large: limit is 3145728"


def test_bad_run_duration(busy):
    unchanged(busy, lambda: busy.run(duration="soon"), BadRequestError)


def test_bad_config():
    with pytest.raises(BadRequestError):
        Cluster(kubernetes_version="9.9")
    with pytest.raises(BadRequestError):
        Cluster(epoch="yesterday")


def test_error_mapping_without_a_code():
    # Per-object apply errors carry only a Status: the reason picks the class.
    def status(reason, code):
        return {"kind": "Status", "status": "Failure", "message": "m", "reason": reason, "code": code}

    assert type(error_from_status(status("NotFound", 404))) is NotFoundError
    assert type(error_from_status(status("AlreadyExists", 409))) is AlreadyExistsError
    assert type(error_from_status(status("Conflict", 409))) is ConflictError
    assert type(error_from_status(status("Expired", 410))) is GoneError
    assert type(error_from_status(status("ServiceUnavailable", 503))) is UnavailableError
    assert type(error_from_status(status("", 404))) is NotFoundError
    assert type(error_from_status(status("BadRequest", 413), KS_EINVAL)) is RequestEntityTooLargeError
    assert str(error_from_status(status("", 500))) == "Error from server: m"
    plain = error_from_status(None, -99)
    assert type(plain) is KubesimError and plain.rc == -99


def test_invalid_rendering_with_several_causes():
    error = error_from_status({
        "kind": "Status", "status": "Failure", "reason": "Invalid", "code": 422,
        "message": 'Deployment.apps "d" is invalid: [a: Required value, b: Invalid value: -1]',
        "details": {"name": "d", "group": "apps", "kind": "Deployment", "causes": [
            {"reason": "FieldValueRequired", "message": "Required value", "field": "a"},
            {"reason": "FieldValueInvalid", "message": "Invalid value: -1", "field": "b"}]}})
    assert str(error) == ('The Deployment "d" is invalid: \n'
                          "* a: Required value\n"
                          "* b: Invalid value: -1")


def test_kubectl_wraps_list_errors_like_kubectl(busy):
    # kubectl (cli-runtime resource.EnhanceListError) prefixes a BadRequest from a list with
    # the selectors it sent; the resource is printed as a GroupVersionResource.
    result = busy.kubectl(["get", "pods", "-l", "a b"])
    assert result.exit_code == 1
    assert result.stderr == (
        'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label '
        'selector "a b", field selector "": unable to parse requirement: found \'b\', '
        "expected: '=', '!=', '==', 'in', notin'\n")
