"""A cluster whose data lives in three Raft-replicated etcd members, and its faults."""

import pytest

from kubesim import BadRequestError, Cluster, UnavailableError
from kubesim.walkthrough import NGINX_YAML


def running(cluster):
    return [p for p in cluster.list("pods", label_selector="app=nginx") if p["status"].get("phase") == "Running"]


def test_the_seed_deployment_runs_on_three_members_and_status_reads_like_etcdctl():
    with Cluster(seed=1, etcd={"members": 3}) as c:
        c.apply(NGINX_YAML)
        c.run(seconds=30)
        assert len(running(c)) == 3
        status = c.etcd_status()
        members = status["members"]
        assert [m["id"] for m in members] == [1, 2, 3]
        assert sum(m["isLeader"] for m in members) == 1
        assert len({m["raftAppliedIndex"] for m in members}) == 1
        assert len({m["revision"] for m in members}) == 1
        header = status["table"].splitlines()[0].split()
        assert header[:2] == ["ENDPOINT", "ID"]
        assert "APPLIED" in header
        assert any(e["message"].startswith("member 1 elected leader at term") for e in c.etcd_events())


def test_killing_the_leader_elects_another_and_the_cluster_keeps_working():
    with Cluster(seed=4, etcd={"members": 3}) as c:
        c.apply(NGINX_YAML)
        c.run(seconds=20)
        first = c.etcd_leader()
        c.etcd_crash(first)
        c.run(seconds=5)
        second = c.etcd_leader()
        assert second not in (None, first)
        messages = [e["message"] for e in c.etcd_events()]
        assert f"member {first} down" in messages
        assert any(m.startswith(f"member {second} elected leader") for m in messages)
        assert c.kubectl("scale deployment nginx --replicas=5").stdout == \
            "deployment.apps/nginx scaled\n"
        c.run(seconds=30)
        assert len(running(c)) == 5


def test_without_quorum_writes_fail_like_the_api_server_and_resume_after_healing():
    with Cluster(seed=2, etcd={"members": 3}) as c:
        c.apply(NGINX_YAML)
        c.run(seconds=20)
        c.etcd_partition([1], [2, 3])
        # The API server talks to member 1, now cut off from the majority.
        with pytest.raises(UnavailableError) as failure:
            c.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cut-off"}})
        assert failure.value.status["code"] == 500
        assert failure.value.status["message"] in ("etcdserver: request timed out", "etcdserver: no leader")
        c.etcd_heal()
        c.run(seconds=10)
        assert c.kubectl("scale deployment nginx --replicas=4").stdout == \
            "deployment.apps/nginx scaled\n"
        c.run(seconds=30)
        assert len(running(c)) == 4


def test_bad_fault_requests_are_errors():
    with Cluster(seed=1, etcd={"members": 3}) as c:
        with pytest.raises(BadRequestError, match="no etcd member with id 9"):
            c.etcd_crash(9)
        c.etcd_crash(2)
        with pytest.raises(BadRequestError, match="etcd member 2 is not running"):
            c.etcd_crash(2)
        with pytest.raises(BadRequestError, match="etcd member 1 is already running"):
            c.etcd_restart(1)
        with pytest.raises(BadRequestError, match="etcd member 2 is in more than one group"):
            c.etcd_partition([1, 2], [2, 3])
    with Cluster(seed=1) as plain:
        with pytest.raises(BadRequestError, match="one in-process store"):
            plain.etcd_status()
    with pytest.raises(BadRequestError, match="etcd members must be between 1 and 7"):
        Cluster(etcd={"members": 8})


def test_an_even_member_count_is_allowed_and_warned_about():
    with Cluster(seed=1, etcd={"members": 4}) as c:
        assert c.etcd_status()["warnings"] == [
            "an even number of etcd members (4) tolerates no more failures than 3; prefer 3, 5 or 7"]


def test_same_seed_same_bytes_with_faults():
    def final():
        with Cluster(seed=7, etcd={"members": 3}) as c:
            c.apply(NGINX_YAML)
            c.run(seconds=10)
            c.etcd_crash(c.etcd_leader())
            c.run(seconds=10)
            return c.state_json(), c.etcd_events()
    assert final() == final()


def test_members_are_added_as_learners_promoted_and_removed():
    with Cluster(seed=5, etcd={"members": 3}) as c:
        c.apply(NGINX_YAML)
        c.run(seconds=20)
        new = c.etcd_add_member()
        assert new == 4
        c.run(seconds=2)
        members = {m["id"]: m for m in c.etcd_status()["members"]}
        assert members[4]["isLearner"] is True
        assert members[4]["revision"] == members[1]["revision"]
        with pytest.raises(BadRequestError, match="too many learner members in cluster"):
            c.etcd_add_member()
        c.etcd_promote(4)
        assert not any(m["isLearner"] for m in c.etcd_status()["members"])
        with pytest.raises(BadRequestError, match="can only promote a learner member"):
            c.etcd_promote(4)
        follower = next(m["id"] for m in c.etcd_status()["members"] if not m["isLeader"])
        status = c.etcd_remove_member(follower)
        assert follower not in [m["id"] for m in status["members"]]
        assert f"member {follower} removed" in [e["message"] for e in c.etcd_events()]
        assert c.kubectl("scale deployment nginx --replicas=4").stdout == "deployment.apps/nginx scaled\n"
        c.run(seconds=10)
        assert len(running(c)) == 4
