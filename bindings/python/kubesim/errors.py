"""Exceptions raised by the kubesim binding.

The library reports a failure twice: as a negative ``KS_E*`` return code (for programs) and as a
Kubernetes ``Status`` object (for people). :func:`error_from_status` turns the pair into one of the
classes below; the class follows the return code, or the Status ``reason`` when there is no code
(per-object errors inside an apply result carry only a Status).

``str(error)`` is what kubectl prints for the same Status, e.g.
``Error from server (NotFound): pods "x" not found`` (kubectl's ``StandardErrorMessage`` in
``k8s.io/kubectl/pkg/cmd/util/helpers.go``).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Type

__all__ = [
    "KS_OK",
    "KS_EINVAL",
    "KS_ENOTFOUND",
    "KS_EEXISTS",
    "KS_ECONFLICT",
    "KS_EINVALID",
    "KS_EGONE",
    "KS_EUNAVAILABLE",
    "KS_EINTERNAL",
    "KS_ENOTALLOWED",
    "KS_ETOOMANY",
    "KubesimError",
    "BadRequestError",
    "RequestEntityTooLargeError",
    "NotFoundError",
    "AlreadyExistsError",
    "ConflictError",
    "InvalidError",
    "GoneError",
    "UnavailableError",
    "InternalError",
    "NotAllowedError",
    "TooManyRequestsError",
    "ApplyError",
    "error_from_status",
]

# Result codes, as in Include/kubesim.h.
KS_OK = 0
KS_EINVAL = -1
KS_ENOTFOUND = -2
KS_EEXISTS = -3
KS_ECONFLICT = -4
KS_EINVALID = -5
KS_EGONE = -6
KS_EUNAVAILABLE = -7
KS_EINTERNAL = -8
KS_ENOTALLOWED = -9
KS_ETOOMANY = -10


class KubesimError(Exception):
    """A request failed; carries the Kubernetes ``Status`` the library returned.

    Attributes:
        status: the Status object as a dict (``kind``, ``status``, ``message``, ``reason``,
            ``details``, ``code``).
        code: the HTTP status code (e.g. 404), or 0 when the Status has none.
        reason: the Status reason (e.g. ``"NotFound"``), or ``""``.
        message: the Status message, worded as the API server words it.
        rc: the library's ``KS_E*`` return code, or ``None`` for an error that came inside a
            result (a per-object apply error).
    """

    def __init__(self, status: Optional[Dict[str, Any]] = None, rc: Optional[int] = None):
        if not isinstance(status, dict):
            status = {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                      "message": str(status) if status is not None else "unknown error"}
        self.status: Dict[str, Any] = status
        self.rc: Optional[int] = rc
        code = status.get("code", 0)
        self.code: int = code if isinstance(code, int) else 0
        reason = status.get("reason", "")
        self.reason: str = reason if isinstance(reason, str) else ""
        message = status.get("message", "")
        self.message: str = message if isinstance(message, str) else str(message)
        super().__init__(self._render())

    def _render(self) -> str:
        # kubectl's StandardErrorMessage: "Error from server (<Reason>): <message>", or
        # "Error from server: <message>" when the reason is empty.
        if self.reason:
            return f"Error from server ({self.reason}): {self.message}"
        return f"Error from server: {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code}, reason={self.reason!r}, message={self.message!r})"


class BadRequestError(KubesimError):
    """400 BadRequest (``KS_EINVAL``): malformed JSON or YAML, invalid UTF-8, a bad argument or
    label selector."""


class RequestEntityTooLargeError(BadRequestError):
    """413 RequestEntityTooLarge (``KS_EINVAL``): an input larger than ``KS_MAX_INPUT_BYTES``."""


class NotFoundError(KubesimError):
    """404 NotFound (``KS_ENOTFOUND``): the object, kind or node does not exist."""


class AlreadyExistsError(KubesimError):
    """409 AlreadyExists (``KS_EEXISTS``): an object of that name exists already."""


class ConflictError(KubesimError):
    """409 Conflict (``KS_ECONFLICT``): the update carried a stale resourceVersion."""


class InvalidError(KubesimError):
    """422 Invalid (``KS_EINVALID``): the object failed validation.

    ``str()`` follows kubectl's rendering of Invalid errors: ``The Pod "x" is invalid: <field>:
    <detail>``, or one ``* <field>: <detail>`` line per cause when there are several.
    """

    def _render(self) -> str:
        # kubectl's checkErr for IsInvalid (k8s.io/kubectl/pkg/cmd/util/helpers.go).
        details = self.status.get("details")
        if not isinstance(details, dict):
            return super()._render()
        kind = details.get("kind") or ""
        name = details.get("name") or ""
        head = "The request is invalid"
        if kind or name:
            head = f'The {kind} "{name}" is invalid'
        causes = details.get("causes") or []
        lines: List[str] = []
        for cause in causes if isinstance(causes, list) else []:
            if not isinstance(cause, dict):
                continue
            line = f"{cause.get('field', '')}: {cause.get('message', '')}"
            if line not in lines:
                lines.append(line)
        if not lines:
            return head
        if len(lines) == 1:
            return f"{head}: {lines[0]}"
        return f"{head}: \n" + "\n".join(f"* {line}" for line in lines)


class GoneError(KubesimError):
    """410 Expired/Gone (``KS_EGONE``): the resourceVersion was compacted."""


class UnavailableError(KubesimError):
    """500 ServerTimeout, 503 ServiceUnavailable or 504 Timeout (``KS_EUNAVAILABLE``)."""


class InternalError(KubesimError):
    """500 InternalError (``KS_EINTERNAL``)."""


class NotAllowedError(KubesimError):
    """403 Forbidden or 405 MethodNotAllowed (``KS_ENOTALLOWED``)."""


class TooManyRequestsError(KubesimError):
    """429 TooManyRequests (``KS_ETOOMANY``), e.g. an eviction blocked by a disruption budget."""


class ApplyError(KubesimError):
    """``Cluster.apply`` could not apply every object.

    The other objects were still applied, as kubectl does. ``results`` holds every
    :class:`~kubesim.cluster.ApplyResult` in input order; ``errors`` the per-object exceptions.
    The Status attributes (``status``, ``code``, ``reason``, ``message``) are those of the first
    failure, and ``str()`` lists one kubectl-style line per failed object.
    """

    def __init__(self, results: List[Any], rc: Optional[int] = None):
        self.results: List[Any] = list(results)
        self.errors: List[KubesimError] = [r.error for r in self.results if r.error is not None]
        first = self.errors[0].status if self.errors else None
        super().__init__(first, rc)

    def _render(self) -> str:
        if not getattr(self, "errors", None):
            return super()._render()
        return "\n".join(str(e) for e in self.errors)


class DrainError(KubesimError):
    """``Cluster.drain`` failed (kubectl drain exited with 1): pods it may not remove without
    a flag, an eviction that timed out, ...

    Attributes:
        result: the :class:`~kubesim.cluster.KubectlResult` of the drain (what it printed).
        message: kubectl's final error line(s), e.g. ``error: cannot delete DaemonSet-managed
            Pods (use --ignore-daemonsets to ignore): kube-system/kindnet-x, ...``.
    ``str()`` is everything the command printed on standard error.
    """

    def __init__(self, result: Any):
        self.result = result
        stderr = result.stderr
        # The final error: what follows the "There are pending nodes" block, or the last line.
        tail = stderr.split("There are pending nodes to be drained:\n", 1)[-1]
        lines = [l for l in tail.splitlines() if l and not l.startswith(" ")]
        message = "\n".join(lines) if lines else stderr.strip()
        super().__init__({"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": message})

    def _render(self) -> str:
        return self.result.stderr.rstrip("\n") if getattr(self, "result", None) else super()._render()


_BY_RC: Dict[int, Type[KubesimError]] = {
    KS_EINVAL: BadRequestError,
    KS_ENOTFOUND: NotFoundError,
    KS_EEXISTS: AlreadyExistsError,
    KS_ECONFLICT: ConflictError,
    KS_EINVALID: InvalidError,
    KS_EGONE: GoneError,
    KS_EUNAVAILABLE: UnavailableError,
    KS_EINTERNAL: InternalError,
    KS_ENOTALLOWED: NotAllowedError,
    KS_ETOOMANY: TooManyRequestsError,
}

# metav1.StatusReason values (k8s.io/apimachinery/pkg/apis/meta/v1/types.go).
_BY_REASON: Dict[str, Type[KubesimError]] = {
    "BadRequest": BadRequestError,
    "RequestEntityTooLarge": RequestEntityTooLargeError,
    "NotFound": NotFoundError,
    "AlreadyExists": AlreadyExistsError,
    "Conflict": ConflictError,
    "Invalid": InvalidError,
    "Gone": GoneError,
    "Expired": GoneError,
    "ServerTimeout": UnavailableError,
    "Timeout": UnavailableError,
    "ServiceUnavailable": UnavailableError,
    "InternalError": InternalError,
    "Forbidden": NotAllowedError,
    "MethodNotAllowed": NotAllowedError,
    "TooManyRequests": TooManyRequestsError,
}

_BY_CODE: Dict[int, Type[KubesimError]] = {
    400: BadRequestError,
    403: NotAllowedError,
    404: NotFoundError,
    405: NotAllowedError,
    410: GoneError,
    413: RequestEntityTooLargeError,
    422: InvalidError,
    429: TooManyRequestsError,
    500: InternalError,
    503: UnavailableError,
    504: UnavailableError,
}


def error_from_status(status: Optional[Dict[str, Any]], rc: Optional[int] = None) -> KubesimError:
    """Builds the exception for a failed call.

    The class follows the ``KS_E*`` return code ``rc``; a 413 Status under ``KS_EINVAL`` becomes
    :class:`RequestEntityTooLargeError`. Without a known code the Status ``reason`` decides,
    then its HTTP ``code``; otherwise the result is a plain :class:`KubesimError`.
    """
    reason = status.get("reason") if isinstance(status, dict) else None
    code = status.get("code") if isinstance(status, dict) else None
    cls: Optional[Type[KubesimError]] = _BY_RC.get(rc) if rc is not None else None
    if cls is BadRequestError and (reason == "RequestEntityTooLarge" or code == 413):
        cls = RequestEntityTooLargeError
    if cls is None and isinstance(reason, str):
        cls = _BY_REASON.get(reason)
    if cls is None and isinstance(code, int):
        cls = _BY_CODE.get(code)
    return (cls or KubesimError)(status, rc)
