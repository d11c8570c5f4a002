"""Loading, version check, memory ownership and handle lifetime."""

import ctypes
import os
import subprocess
import sys

import pytest

import kubesim
from kubesim import Cluster, NotFoundError, _native

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_library_version_matches_header():
    assert _native.lib.ks_version_number() == 1000 == kubesim.KS_VERSION_NUMBER
    assert kubesim.library_version() == "0.1.0" == kubesim.__version__
    assert os.path.exists(kubesim.library_path)


def test_version_mismatch_is_an_import_error():
    with pytest.raises(ImportError, match=r"version number 1000 .* KS_VERSION_NUMBER 999"):
        _native._load(expected=999)


def test_missing_library_is_a_clear_import_error():
    env = dict(os.environ, KUBESIM_LIBRARY="/nonexistent/libkubesim.so")
    proc = subprocess.run([sys.executable, "-c", "import kubesim"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert "ImportError: kubesim: cannot find libkubesim" in proc.stderr
    assert "KUBESIM_LIBRARY=/nonexistent/libkubesim.so" in proc.stderr


def test_library_from_environment_variable():
    env = dict(os.environ, KUBESIM_LIBRARY=kubesim.library_path)
    code = "import kubesim; print(kubesim.library_path)"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == kubesim.library_path


def test_every_result_buffer_is_freed_once(monkeypatch, cluster):
    freed = []
    real = _native.ks_free

    def counting_free(pointer):
        freed.append(pointer.value)
        real(pointer)

    monkeypatch.setattr(_native, "ks_free", counting_free)
    calls = 0
    cluster.get("nodes", "minikube"); calls += 1
    cluster.list("pods", namespace="kube-system"); calls += 1
    with pytest.raises(NotFoundError):  # an error Status is a buffer too
        cluster.get("pods", "nope")
    calls += 1
    cluster.kubectl("get nodes"); calls += 1
    cluster.run(seconds=1); calls += 1
    cluster.events(); calls += 1
    cluster.state_json(); calls += 1
    # One free per call, each of a real (non-NULL) buffer; addresses may repeat, since the
    # allocator reuses a freed block.
    assert len(freed) == calls
    assert all(freed)


def test_null_result_pointer_is_allowed():
    # The header allows a NULL result_json: the call runs and only the code comes back.
    with Cluster() as c:
        rc = _native.lib.ks_get(c._handle, b'{"resource":"nodes","name":"minikube"}', None)
        assert rc == 0
        rc = _native.lib.ks_get(c._handle, b'{"resource":"pods","name":"nope"}', None)
        assert rc == kubesim.errors.KS_ENOTFOUND


def test_free_null_is_harmless():
    _native.lib.ks_free(None)
    _native.lib.ks_cluster_free(None)


def test_close_is_idempotent_and_final():
    c = Cluster()
    assert not c.closed
    c.close()
    c.close()
    assert c.closed
    with pytest.raises(ValueError, match="closed"):
        c.get("nodes", "minikube")
    with pytest.raises(ValueError, match="closed"):
        c.state_json()


def test_context_manager_closes():
    with Cluster() as c:
        assert c.get("nodes", "minikube")["metadata"]["name"] == "minikube"
    assert c.closed


def test_embedded_nul_is_refused_before_the_library():
    with Cluster() as c:
        with pytest.raises(ValueError, match="NUL"):
            c.apply("apiVersion: v1\x00kind: Pod\n")


def test_many_clusters_do_not_leak_handles():
    # Creating and freeing handles in a loop must work (and run under valgrind/ASan clean).
    for seed in range(20):
        with Cluster(seed=seed, nodes=1) as c:
            assert len(c.list("nodes")) == 1


def test_version_string_is_static():
    # ks_version's string is static: reading it twice gives the same pointer and text.
    f = _native.lib.ks_version
    f.restype = ctypes.c_void_p
    try:
        assert f() == f()
    finally:
        f.restype = ctypes.c_char_p
