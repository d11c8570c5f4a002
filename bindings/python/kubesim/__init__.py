"""kubesim: a Kubernetes control plane in virtual time, deterministic from a seed.

Python binding (ctypes) of ``libkubesim.so``; the contract is ``Include/kubesim.h``.

    >>> from kubesim import Cluster
    >>> with Cluster(seed=1, nodes=3) as cluster:
    ...     cluster.apply(manifest_text)
    ...     cluster.run(seconds=30)
    ...     print(cluster.kubectl("get pods -o wide").stdout)

Importing the package loads the library (see :mod:`kubesim._native` for where it is looked for)
and raises :class:`ImportError` when it is missing or its version does not match.
"""

from ._native import KS_MAX_INPUT_BYTES, KS_VERSION, KS_VERSION_NUMBER, library_path, library_version
from .cluster import ApplyResult, Cluster, EventStream, KubectlResult, WatchResult
from .plot import plot_disruption
from .errors import (
    AlreadyExistsError,
    ApplyError,
    BadRequestError,
    ConflictError,
    DrainError,
    GoneError,
    InternalError,
    InvalidError,
    KubesimError,
    NotAllowedError,
    NotFoundError,
    RequestEntityTooLargeError,
    TooManyRequestsError,
    UnavailableError,
)

__version__ = KS_VERSION

__all__ = [
    "Cluster",
    "ApplyResult",
    "KubectlResult",
    "WatchResult",
    "EventStream",
    "plot_disruption",
    "KubesimError",
    "ApplyError",
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
    "DrainError",
    "KS_VERSION",
    "KS_VERSION_NUMBER",
    "KS_MAX_INPUT_BYTES",
    "library_path",
    "library_version",
]
