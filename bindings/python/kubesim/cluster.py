"""``Cluster``: one simulated Kubernetes cluster, driven through libkubesim.

Example::

    from kubesim import Cluster

    with Cluster(seed=1, nodes=3) as cluster:
        cluster.apply(open("nginx.yaml").read())
        cluster.run(seconds=30)
        for pod in cluster.list("pods"):
            print(pod["metadata"]["name"], pod["spec"].get("nodeName"))
        print(cluster.kubectl("get pods -o wide").stdout)

Every call acts at the cluster's current virtual instant; only :meth:`Cluster.run` moves the
clock. Results are JSON decoded into plain ``dict``/``list`` values (keys keep the library's
order); failures raise the :mod:`kubesim.errors` exceptions, which carry the Kubernetes Status.
"""

from __future__ import annotations

import ctypes
import datetime as _datetime
import json
import threading
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from . import _native
from .errors import (
    KS_OK,
    ApplyError,
    InternalError,
    KubesimError,
    error_from_status,
)

__all__ = ["Cluster", "ApplyResult", "KubectlResult", "WatchResult", "EventStream"]

Manifests = Union[str, bytes, Dict[str, Any], Sequence[Dict[str, Any]]]


@dataclass(frozen=True)
class ApplyResult:
    """The outcome of applying one object, as ``kubectl apply`` reports it.

    Attributes:
        kind: the object's kind, e.g. ``"Deployment"``.
        name: the object's name.
        namespace: its namespace (``None`` for cluster-scoped objects).
        result: ``"created"``, ``"configured"`` or ``"unchanged"``; ``None`` when it failed.
        output: kubectl's line, e.g. ``"deployment.apps/nginx created"``; ``None`` on failure.
        error: the :class:`~kubesim.errors.KubesimError` for this object, or ``None``.
        api_version: the object's apiVersion.
        warning: kubectl's warning when the live object had no last-applied annotation
            (it was not created by ``apply``), else ``None``.
    """

    kind: str
    name: str
    namespace: Optional[str]
    result: Optional[str]
    output: Optional[str]
    error: Optional[KubesimError]
    api_version: str = ""
    warning: Optional[str] = None


@dataclass(frozen=True)
class KubectlResult:
    """What a kubectl command line printed.

    Attributes:
        stdout: standard output, exactly as kubectl would print it.
        stderr: standard error (kubectl's error text, warnings).
        exit_code: 0 on success, 1 when kubectl would have failed.
    """

    stdout: str
    stderr: str
    exit_code: int

    @property
    def ok(self) -> bool:
        """True when the command succeeded (``exit_code == 0``)."""
        return self.exit_code == 0


@dataclass(frozen=True)
class WatchResult:
    """The changes a watch saw after a resourceVersion.

    Attributes:
        events: ``{"type": "ADDED" | "MODIFIED" | "DELETED", "object": {...}}`` dicts in order.
        resource_version: the last resourceVersion seen; pass it to the next watch.
    """

    events: List[Dict[str, Any]] = field(default_factory=list)
    resource_version: str = ""


class EventStream:
    """Reads a cluster's Events incrementally: each :meth:`poll` returns only new ones.

    Created by :meth:`Cluster.event_stream`. The position is the library's opaque cursor
    (:attr:`cursor`), so a stream never returns an Event twice and never skips one.
    """

    def __init__(self, cluster: "Cluster", namespace: Optional[str] = None,
                 since: Optional[str] = None):
        self.cluster = cluster
        self.namespace = namespace
        self.cursor: Optional[str] = since

    def poll(self) -> List[Dict[str, Any]]:
        """Returns the Events recorded since the previous poll, in recording order."""
        items, self.cursor = self.cluster.events_page(since=self.cursor, namespace=self.namespace)
        return items

    def __iter__(self):
        """Iterates over the Events currently new (one :meth:`poll`)."""
        return iter(self.poll())


def _rfc3339(value: Union[str, _datetime.datetime]) -> str:
    if isinstance(value, _datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_datetime.timezone.utc).replace(tzinfo=None)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def _dumps(value: Any) -> str:
    # ensure_ascii=False keeps lone surrogates as they are, so that encode() hands the library
    # invalid UTF-8 (and the library, not Python, reports it). allow_nan=False: NaN is not JSON.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class Cluster:
    """A simulated Kubernetes cluster (one ``ks_cluster`` handle).

    Args:
        seed: root of all randomness; the same seed and inputs give byte-identical state.
        nodes: a node count (named ``minikube``, ``minikube-m02``, ...; 3 by default) or a list
            of node dicts (``{"name", "controlPlane", "cpu", "memory", "pods", "labels",
            "taints", "region", "zone", "rack"}``). With ``topology={"regions": 1,
            "zonesPerRegion": 3, "racksPerZone": 2, "nodesPerRack": 5}`` the nodes are generated
            with region, zone and rack labels, and ``nodes`` may list extra ones.
        kubernetes_version: ``"1.18"`` (the seed's wording and printing) or ``"1.36"``.
        epoch: virtual time at creation, RFC 3339 string or ``datetime`` (library default if
            ``None``).
        timing: ``{"apiLatencyMillis", "imagePullMillis", "containerStartMillis"}``.
        **config: further ``ks_cluster_new`` configuration keys, passed as given.

    Raises:
        BadRequestError: the configuration was rejected.

    Use it as a context manager, or call :meth:`close`. A cluster may be used from several
    threads (calls are serialised); separate clusters run in parallel.
    """

    def __init__(self, seed: int = 1, nodes: Union[int, List[Dict[str, Any]], None] = None,
                 kubernetes_version: str = "1.18",
                 epoch: Union[str, _datetime.datetime, None] = None,
                 timing: Optional[Dict[str, Any]] = None, **config: Any):
        self._lock = threading.Lock()
        self._handle: Optional[ctypes.c_void_p] = None
        self._now: Optional[str] = None
        self.events_cursor: Optional[str] = None
        """The cursor returned by the last :meth:`events` call (pass it as ``since``)."""

        settings: Dict[str, Any] = {"seed": seed}
        if epoch is not None:
            settings["epoch"] = _rfc3339(epoch)
        settings["kubernetesVersion"] = kubernetes_version
        if nodes is not None or "topology" not in config:
            # A topology generates the nodes; "nodes" then lists extra ones only.
            settings["nodes"] = 3 if nodes is None else nodes
        if timing is not None:
            settings["timing"] = timing
        settings.update(config)
        self.config: Dict[str, Any] = settings
        """The configuration the cluster was created with."""

        handle = ctypes.c_void_p()
        error = ctypes.c_void_p()
        rc = _native.lib.ks_cluster_new(_native.encode(_dumps(settings)), ctypes.byref(handle),
                                        ctypes.byref(error))
        text = _native.take(error)
        if rc != KS_OK or not handle.value:
            if handle.value:  # not promised by the contract, but never leak a handle
                _native.lib.ks_cluster_free(handle)
            raise error_from_status(self._decode(text, "ks_cluster_new") if text else None, rc)
        self._handle = handle

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Destroys the cluster (``ks_cluster_free``). Further calls raise ``ValueError``;
        closing twice does nothing."""
        lock = getattr(self, "_lock", None)
        if lock is None:
            return
        with lock:
            handle, self._handle = self._handle, None
            if handle is not None and _native is not None and _native.lib is not None:
                _native.lib.ks_cluster_free(handle)

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has run."""
        return self._handle is None

    def __enter__(self) -> "Cluster":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: modules may be gone already
            pass

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<kubesim.Cluster seed={self.config.get('seed')!r} {state}>"

    # -- plumbing --------------------------------------------------------------------------

    @staticmethod
    def _decode(text: str, where: str) -> Any:
        try:
            return json.loads(text)
        except ValueError as error:
            raise InternalError({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                 "message": f"{where} returned invalid JSON: {error}",
                                 "reason": "InternalError", "code": 500}) from error

    def _raw(self, name: str, request: Union[str, bytes, None]) -> Tuple[int, Any]:
        """Calls ks_<name>; returns the code and the decoded result (``None`` if no buffer)."""
        data = _native.encode(request)
        with self._lock:
            if self._handle is None:
                raise ValueError("kubesim: the cluster is closed")
            rc, text = _native.call(getattr(_native.lib, name), self._handle, data)
        if text is None:
            if rc == KS_OK:
                raise MemoryError(f"kubesim: {name} could not allocate its result")
            return rc, None
        return rc, self._decode(text, name)

    def _call(self, name: str, request: Union[Dict[str, Any], str, bytes, None]) -> Any:
        """Calls ks_<name> and raises the mapped exception on failure."""
        if isinstance(request, dict):
            request = _dumps(request)
        rc, result = self._raw(name, request)
        if rc != KS_OK:
            raise error_from_status(result if isinstance(result, dict) else None, rc)
        return result

    @staticmethod
    def _target(resource: str, name: Optional[str] = None,
                namespace: Optional[str] = "default") -> Dict[str, Any]:
        # A capitalised word names a kind ("Pod"); anything else a resource ("pods",
        # "deployments.apps"). "default" is the library's own default namespace, so it is left
        # out: that way a cluster-scoped resource (nodes) never receives a namespace.
        request: Dict[str, Any] = {"kind" if resource[:1].isupper() else "resource": resource}
        if namespace is not None and namespace != "default":
            request["namespace"] = namespace
        if name is not None:
            request["name"] = name
        return request

    # -- manifests -------------------------------------------------------------------------

    def apply(self, manifests: Manifests) -> List[ApplyResult]:
        """``kubectl apply``: creates, patches or leaves alone each object.

        Args:
            manifests: YAML or JSON text (several YAML documents separated by ``---``), one
                object as a dict, or a list of object dicts (sent as a ``v1`` ``List``).

        Returns:
            one :class:`ApplyResult` per object, in input order.

        Raises:
            ApplyError: at least one object failed (the others were applied); carries
                ``results`` and per-object ``errors``.
            BadRequestError: the manifests could not be parsed at all; nothing was applied.
        """
        if isinstance(manifests, dict):
            text: Union[str, bytes] = _dumps(manifests)
        elif isinstance(manifests, (str, bytes)):
            text = manifests
        else:
            text = _dumps({"apiVersion": "v1", "kind": "List", "items": list(manifests)})
        rc, result = self._raw("ks_apply", text)
        items = result.get("items") if isinstance(result, dict) else None
        if not isinstance(items, list) or (rc != KS_OK and result.get("kind") == "Status"):
            if rc == KS_OK:
                raise InternalError({"message": "ks_apply returned no items", "code": 500,
                                     "reason": "InternalError"})
            raise error_from_status(result if isinstance(result, dict) else None, rc)
        results = []
        for item in items:
            error = item.get("error")
            results.append(ApplyResult(
                kind=item.get("kind", ""),
                name=item.get("name", ""),
                namespace=item.get("namespace") or None,
                result=item.get("result"),
                output=item.get("output"),
                error=error_from_status(error) if error is not None else None,
                api_version=item.get("apiVersion", ""),
                warning=item.get("warning"),
            ))
        if rc != KS_OK or any(r.error is not None for r in results):
            raise ApplyError(results, rc if rc != KS_OK else None)
        return results

    # -- REST verbs ------------------------------------------------------------------------

    def get(self, resource: str, name: str, namespace: str = "default") -> Dict[str, Any]:
        """Returns one object.

        Args:
            resource: ``"pods"``, ``"deployments"``, ``"deployments.apps"``, ``"nodes"`` … or a
                kind (``"Pod"``).
            name: the object's name.
            namespace: ignored for cluster-scoped resources.

        Raises:
            NotFoundError: e.g. ``pods "x" not found``.
        """
        return self._call("ks_get", self._target(resource, name, namespace))

    def list_object(self, resource: str, namespace: Optional[str] = None,
                    label_selector: Optional[str] = None,
                    field_selector: Optional[str] = None) -> Dict[str, Any]:
        """Like :meth:`list` but returns the whole ``<Kind>List`` (with its
        ``metadata.resourceVersion``, a starting point for :meth:`watch`)."""
        request = self._target(resource, None, None)
        if namespace is not None:
            request["namespace"] = namespace
        if label_selector is not None:
            request["labelSelector"] = label_selector
        if field_selector is not None:
            request["fieldSelector"] = field_selector
        return self._call("ks_list", request)

    def list(self, resource: str, namespace: Optional[str] = None,
             label_selector: Optional[str] = None,
             field_selector: Optional[str] = None) -> List[Dict[str, Any]]:
        """Lists objects, ordered by namespace then name.

        Args:
            resource: a resource or kind, as for :meth:`get`.
            namespace: ``None`` for all namespaces.
            label_selector: e.g. ``"app=photo-view,env=test"``.
            field_selector: e.g. ``"spec.nodeName=minikube-m02"``.

        Raises:
            BadRequestError: an unparsable selector, e.g. ``unable to parse requirement: …``.
        """
        return self.list_object(resource, namespace, label_selector, field_selector)["items"]

    def create(self, obj: Union[Dict[str, Any], str, bytes],
               field_validation: Optional[str] = None, dry_run: bool = False) -> Dict[str, Any]:
        """Creates an object and returns it as stored.

        ``obj`` is a dict, or JSON text sent to the library unchanged (the text is the whole
        request: ``field_validation`` and ``dry_run`` apply to a dict; given with text they
        raise ValueError).

        Args:
            field_validation: the API server's ``fieldValidation``: ``"Warn"`` (``None``, the
                default) or ``"Ignore"`` store the object without members its kind does not
                have (a misspelt ``replicass``); ``"Strict"`` refuses it (BadRequestError,
                ``strict decoding error: unknown field "spec.replicass"``).
            dry_run: ``dryRun=All``: admitted, defaulted and validated, and returned as it
                would be stored (without a resourceVersion); nothing is stored.

        Raises:
            AlreadyExistsError, InvalidError, NotFoundError (unknown kind), BadRequestError.
        """
        if isinstance(obj, (str, bytes)):
            self._text_takes_no_options(field_validation, dry_run)
            return self._call("ks_create", obj)
        return self._call("ks_create", self._with_validation({"object": obj}, field_validation, dry_run))

    def update(self, obj: Union[Dict[str, Any], str, bytes],
               field_validation: Optional[str] = None, dry_run: bool = False) -> Dict[str, Any]:
        """Replaces an object (``PUT``); ``metadata.resourceVersion`` must be current.

        ``field_validation`` and ``dry_run`` are as for :meth:`create`.

        Raises:
            ConflictError: the resourceVersion is stale.
            NotFoundError, InvalidError, BadRequestError.
        """
        if isinstance(obj, (str, bytes)):
            self._text_takes_no_options(field_validation, dry_run)
            return self._call("ks_update", obj)
        return self._call("ks_update", self._with_validation({"object": obj}, field_validation, dry_run))

    @staticmethod
    def _text_takes_no_options(field_validation: Optional[str], dry_run: bool) -> None:
        # Text is the whole request: an option given beside it would be silently lost (a dry
        # run that writes).
        if field_validation is not None or dry_run:
            raise ValueError("field_validation and dry_run apply to a dict; put them in the request text")

    @staticmethod
    def _with_validation(request: Dict[str, Any], field_validation: Optional[str],
                         dry_run: bool = False) -> Dict[str, Any]:
        if field_validation is not None:
            request["fieldValidation"] = field_validation
        if dry_run:
            request["dryRun"] = "All"
        return request

    def patch(self, resource: str, name: str, patch: Union[Dict[str, Any], List[Any], str],
              namespace: str = "default", patch_type: str = "merge",
              field_validation: Optional[str] = None, dry_run: bool = False) -> Dict[str, Any]:
        """Patches an object and returns it.

        Args:
            patch: a JSON merge patch (RFC 7386) or strategic merge patch dict, a JSON patch
                (RFC 6902) list, or any of them as JSON text.
            patch_type: ``"merge"``, ``"json"`` or ``"strategic"`` (lists such as containers,
                env, ports and volumes merge by their key, as ``kubectl patch`` sends).
            field_validation: as for :meth:`create` (``"Strict"`` refuses a patch that adds
                a member the kind does not have with InvalidError, ``patch: Invalid value``).
            dry_run: as for :meth:`create`: the patched object returned, not stored.
        """
        if isinstance(patch, (str, bytes)):
            patch = json.loads(patch)
        request = self._target(resource, name, namespace)
        request["patch"] = patch
        request["patchType"] = patch_type
        return self._call("ks_patch", self._with_validation(request, field_validation, dry_run))

    def delete(self, resource: str, name: str, namespace: str = "default",
               dry_run: bool = False) -> Dict[str, Any]:
        """Deletes an object and returns it as deleted; dependents go in the background (the
        garbage collector), as with kubectl's default.

        Args:
            dry_run: ``dryRun=All``: returns the object as the delete would leave it (marked
                Terminating, or as it was when it would go at once); nothing changes.

        Raises:
            NotFoundError: e.g. ``pods "x" not found``.
        """
        request = self._target(resource, name, namespace)
        if dry_run:
            request["dryRun"] = "All"
        return self._call("ks_delete", request)

    def watch(self, resource: str, resource_version: str, namespace: Optional[str] = None,
              label_selector: Optional[str] = None,
              field_selector: Optional[str] = None) -> WatchResult:
        """Returns every change to ``resource`` after ``resource_version``, in order.

        Args:
            namespace: restricts the watch to one namespace (``None``: the library's default).

        Raises:
            GoneError: the resourceVersion was compacted (410 Expired).
        """
        request = self._target(resource, None, None)
        if namespace is not None:
            request["namespace"] = namespace
        if label_selector is not None:
            request["labelSelector"] = label_selector
        if field_selector is not None:
            request["fieldSelector"] = field_selector
        request["resourceVersion"] = str(resource_version)
        result = self._call("ks_watch", request)
        return WatchResult(events=result.get("items", []),
                           resource_version=result.get("resourceVersion", ""))

    # -- time and events -------------------------------------------------------------------

    def run(self, seconds: Optional[float] = None, duration: Optional[str] = None) -> Dict[str, Any]:
        """Advances virtual time, running every component due in between.

        Give ``seconds`` (a number) or ``duration`` (Go syntax: ``"1m30s"``): at most 366
        days a call, and never past 2262-01-01T00:00:00Z (``BadRequest`` otherwise).

        Returns:
            ``{"now": "<RFC 3339>", "processed": <events handled>}``.
        """
        if (seconds is None) == (duration is None):
            raise TypeError("run() takes exactly one of seconds= or duration=")
        request = {"seconds": seconds} if seconds is not None else {"duration": duration}
        result = self._call("ks_run", request)
        now = result.get("now")
        self._now = now if isinstance(now, str) else None
        return result

    @property
    def now(self) -> str:
        """The cluster's virtual time, RFC 3339 (UTC)."""
        if self._now is None:
            self._now = self.state()["now"]
        return self._now

    def events_page(self, since: Optional[str] = None,
                    namespace: Optional[str] = None) -> Tuple[List[Dict[str, Any]], str]:
        """Returns ``(events, cursor)``: the Events recorded after ``since`` and the cursor to
        pass next time."""
        request: Dict[str, Any] = {}
        if since is not None:
            request["since"] = since
        if namespace is not None:
            request["namespace"] = namespace
        result = self._call("ks_events", request)
        return result.get("items", []), result.get("cursor", "")

    def events(self, since: Optional[str] = None,
               namespace: Optional[str] = None) -> List[Dict[str, Any]]:
        """Returns the cluster's v1 Events in the order they were recorded.

        Args:
            since: a cursor from an earlier call (:attr:`events_cursor`): only newer Events.
            namespace: only Events in this namespace.

        The returned cursor is kept in :attr:`events_cursor`; see also :meth:`event_stream`.
        """
        items, self.events_cursor = self.events_page(since, namespace)
        return items

    def event_stream(self, namespace: Optional[str] = None,
                     since: Optional[str] = None) -> EventStream:
        """Returns an :class:`EventStream` whose ``poll()`` yields only Events not seen yet."""
        return EventStream(self, namespace, since)

    # -- nodes and kubectl -----------------------------------------------------------------

    def cordon(self, node: str) -> str:
        """``kubectl cordon``: marks the node unschedulable; returns kubectl's line, e.g.
        ``node/minikube-m02 cordoned`` (or ``... already cordoned``).

        Raises:
            NotFoundError: no such node.
        """
        return self._call("ks_node", {"action": "cordon", "name": node})["output"]

    def uncordon(self, node: str) -> str:
        """``kubectl uncordon``; returns kubectl's line, e.g. ``node/minikube-m02 uncordoned``."""
        return self._call("ks_node", {"action": "uncordon", "name": node})["output"]

    def evict(self, pod: str, namespace: str = "default", grace_period: Optional[int] = None) -> Dict[str, Any]:
        """Evicts a pod through the Eviction API (``POST pods/<name>/eviction``, policy/v1),
        which honours its PodDisruptionBudget. Returns the Success Status.

        Raises:
            TooManyRequestsError: the budget allows no disruption now (``Cannot evict pod as
                it would violate the pod's disruption budget.``).
            NotFoundError: no such pod.
        """
        eviction: Dict[str, Any] = {"apiVersion": "policy/v1", "kind": "Eviction",
                                    "metadata": {"name": pod, "namespace": namespace}}
        if grace_period is not None:
            eviction["deleteOptions"] = {"gracePeriodSeconds": int(grace_period)}
        return self._call("ks_create", {"resource": "pods", "namespace": namespace, "name": pod,
                                        "subresource": "eviction", "object": eviction})

    def drain(self, node: str, ignore_daemonsets: bool = False, force: bool = False,
              delete_emptydir_data: bool = False, grace_period: Optional[int] = None,
              timeout: Optional[float] = None, disable_eviction: bool = False,
              pod_selector: Optional[str] = None) -> KubectlResult:
        """``kubectl drain``: cordons the node, then evicts its pods (honouring
        PodDisruptionBudgets, retrying a refused eviction every 5 s until ``timeout`` seconds)
        and waits until they are gone. The cluster runs in virtual time meanwhile; without a
        timeout the call waits at most one virtual hour.

        Returns what kubectl printed: ``stdout`` has ``node/<n> cordoned``, ``evicting pod
        ns/name``, ``pod/name evicted`` and ``node/<n> drained``; ``stderr`` the warnings
        (e.g. ``WARNING: ignoring DaemonSet-managed Pods: ...``).

        Raises:
            DrainError: the drain failed (DaemonSet-managed pods without ``ignore_daemonsets``,
                unmanaged pods without ``force``, emptyDir pods without
                ``delete_emptydir_data``, a timeout); its ``message`` is kubectl's error and
                its ``result`` the full output.
            NotFoundError: no such node.
        """
        from .errors import DrainError
        request: Dict[str, Any] = {"action": "drain", "name": node, "ignoreDaemonSets": bool(ignore_daemonsets),
                                   "force": bool(force), "deleteEmptyDirData": bool(delete_emptydir_data),
                                   "disableEviction": bool(disable_eviction)}
        if grace_period is not None:
            request["gracePeriodSeconds"] = int(grace_period)
        if timeout is not None:
            request["timeoutSeconds"] = timeout
        if pod_selector is not None:
            request["podSelector"] = pod_selector
        try:
            out = self._call("ks_node", request)
        finally:
            self._now = None  # the drain ran the cluster: the cached clock is stale
        result = KubectlResult(stdout=out.get("stdout", ""), stderr=out.get("stderr", ""),
                               exit_code=int(out.get("exitCode", 1)))
        if result.exit_code != 0:
            raise DrainError(result)
        return result

    # -- faults and their blast radius -----------------------------------------------------

    def _fault(self, action: str, scope: str, name: str,
               at: Union[str, _datetime.datetime, None]) -> Dict[str, Any]:
        request: Dict[str, Any] = {"action": action, "scope": scope, "name": name}
        if at is not None:
            request["at"] = _rfc3339(at)
        return self._call("ks_node", request)

    def fail(self, scope: str, name: str,
             at: Union[str, _datetime.datetime, None] = None) -> Dict[str, Any]:
        """Fails every node of a scope at virtual time ``at`` (default now): its kubelets stop
        (no lease, no status, no container progress). ``scope`` is ``"host"``, ``"rack"``,
        ``"zone"`` or ``"region"``; ``name`` the node, or the value of its
        ``topology.kubesim.io/rack``, ``topology.kubernetes.io/zone`` or ``/region`` label.
        Returns ``{"action", "scope", "name", "at", "nodes": [...]}``.

        Raises:
            NotFoundError: no node in that scope.
            BadRequestError: unknown scope, or ``at`` before the cluster's current time.
        """
        return self._fault("fail", scope, name, at)

    def partition(self, scope: str, name: str,
                  at: Union[str, _datetime.datetime, None] = None) -> Dict[str, Any]:
        """Cuts the kubelets of a scope off the API server; they keep running their pods."""
        return self._fault("partition", scope, name, at)

    def restore(self, scope: str, name: str,
                at: Union[str, _datetime.datetime, None] = None) -> Dict[str, Any]:
        """Ends a :meth:`fail` or :meth:`partition` of the scope."""
        return self._fault("restore", scope, name, at)

    def disruption_report(self) -> Dict[str, Any]:
        """What the faults did, measured from the API server's state (``ks_report``): per
        workload available vs desired replicas over time, replicas unavailable, pods Pending
        and nodes tainted per sample, ``timeToRecoverSeconds``, ``evictedPods``, ...
        Draw it with :func:`kubesim.plot_disruption`."""
        return self._call("ks_report", None)

    # kube-scheduler's debug view

    def explain_scheduling(self, name: str, namespace: str = "default") -> Dict[str, Any]:
        """Why the scheduler places (or cannot place) pod ``namespace/name``, from the
        scheduler's own state: its queue state and last attempt, and for every node each
        filter plugin's verdict and reasons and each score plugin's raw, normalized and
        weighted score (see ks_scheduler in kubesim.h for the layout).

        Raises:
            NotFoundError: the scheduler does not know the pod.
        """
        return self._call("ks_scheduler", {"action": "explain", "name": name, "namespace": namespace})

    # etcd members (clusters created with etcd={"members": N})

    def etcd_status(self) -> Dict[str, Any]:
        """The etcd members as ``etcdctl endpoint status`` reports them: ``{"members": [{"id",
        "isLeader", "raftTerm", "raftIndex", "raftAppliedIndex", ...}], "table": "..."}``.

        Raises:
            BadRequestError: the cluster has no etcd members (``Cluster(etcd={"members": 3})``).
        """
        return self._call("ks_etcd", {"action": "status"})

    def etcd_leader(self) -> Optional[int]:
        """The id of the member that leads, or None while no member does."""
        for member in self.etcd_status()["members"]:
            if member["isLeader"]:
                return member["id"]
        return None

    def etcd_events(self) -> List[Dict[str, Any]]:
        """The control plane's events: leaders elected, members down, quorum lost or regained,
        each ``{"time": "<RFC 3339>", "message": "..."}`` in virtual time."""
        return self._call("ks_etcd", {"action": "events"})["items"]

    def etcd_crash(self, member: int) -> Dict[str, Any]:
        """Stops member ``member``'s process (its data on disk survives); returns the status."""
        return self._call("ks_etcd", {"action": "crash", "member": member})

    def etcd_restart(self, member: int) -> Dict[str, Any]:
        """Starts a crashed member again over its data; returns the status."""
        return self._call("ks_etcd", {"action": "restart", "member": member})

    def etcd_isolate(self, member: int) -> Dict[str, Any]:
        """Cuts every link between ``member`` and the other members."""
        return self._call("ks_etcd", {"action": "isolate", "member": member})

    def etcd_partition(self, *groups: List[int]) -> Dict[str, Any]:
        """Splits the members into groups that cannot reach each other, e.g.
        ``etcd_partition([1], [2, 3])``; members named nowhere form one more group."""
        return self._call("ks_etcd", {"action": "partition", "groups": [list(g) for g in groups]})

    def etcd_heal(self) -> Dict[str, Any]:
        """Restores every link between members."""
        return self._call("ks_etcd", {"action": "heal"})

    def etcd_add_member(self, learner: bool = True) -> int:
        """``etcdctl member add [--learner]``: a new member that starts empty and catches up
        from the leader's snapshot; a learner unless ``learner=False``. Returns its id.

        Raises:
            BadRequestError: etcd refused ("etcdserver: too many learner members in cluster",
                "etcdserver: re-configuration failed due to not enough started members").
            UnavailableError: no leader to take the change.
        """
        return self._call("ks_etcd", {"action": "add", "learner": learner})["added"]

    def etcd_promote(self, member: int) -> Dict[str, Any]:
        """``etcdctl member promote``: a learner that has caught up becomes a voter."""
        return self._call("ks_etcd", {"action": "promote", "member": member})

    def etcd_remove_member(self, member: int) -> Dict[str, Any]:
        """``etcdctl member remove``: the member leaves the configuration and stops for good."""
        return self._call("ks_etcd", {"action": "remove", "member": member})

    def kubectl(self, command: Union[str, Sequence[str]], stdin: Optional[str] = None) -> KubectlResult:
        """Runs a kubectl command line against the cluster; returns what kubectl would print.

        Args:
            command: ``"get pods -o wide"`` (split like a shell) or ``["get", "pods"]``.
            stdin: the text that ``-f -`` reads.

        A failing command is not an exception: it returns ``exit_code`` 1 with kubectl's error
        text in ``stderr``.
        """
        request: Dict[str, Any]
        if isinstance(command, str):
            request = {"command": command}
        else:
            request = {"args": [str(arg) for arg in command]}
        if stdin is not None:
            request["stdin"] = stdin
        result = self._call("ks_kubectl", request)
        if "drain" in (command.split() if isinstance(command, str) else [str(a) for a in command]):
            self._now = None  # kubectl drain runs the cluster while it waits
        return KubectlResult(stdout=result.get("stdout", ""), stderr=result.get("stderr", ""),
                             exit_code=int(result.get("exitCode", 0)))

    # -- state -----------------------------------------------------------------------------

    def state_json(self) -> str:
        """The canonical dump of the whole cluster, exactly as the library returned it (two
        runs with the same seed and inputs give identical strings)."""
        with self._lock:
            if self._handle is None:
                raise ValueError("kubesim: the cluster is closed")
            rc, text = _native.call(_native.lib.ks_state, self._handle, None)
        if rc != KS_OK:
            raise error_from_status(self._decode(text, "ks_state") if text else None, rc)
        if text is None:
            raise MemoryError("kubesim: ks_state could not allocate its result")
        return text

    def state(self) -> Dict[str, Any]:
        """The canonical dump, decoded: ``{"now", "resourceVersion", "objects": [...]}`` with the
        objects ordered by kind, namespace and name."""
        return self._decode(self.state_json(), "ks_state")
