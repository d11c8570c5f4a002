"""Loading of libkubesim and the ctypes signatures of Include/kubesim.h.

Where the library comes from, first match wins:

1. the environment variable ``KUBESIM_LIBRARY`` (a path to the shared library);
2. ``.build/release/libkubesim.so`` in this package's directory or any directory above it (the
   repository layout, built by ``make lib``);
3. ``ctypes.util.find_library("kubesim")``.

At load the library's ``ks_version_number()`` must equal the header's ``KS_VERSION_NUMBER``;
otherwise importing :mod:`kubesim` raises :class:`ImportError`.

Memory: every ``char *`` the library hands out is received as a ``c_void_p`` (so ctypes makes no
copy of its own and the address survives), copied into Python with ``ctypes.string_at`` and then
released with ``ks_free`` exactly once, in :func:`take`. Nothing else in the package touches
library-owned memory.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from pathlib import Path
from typing import Optional, Tuple, Union

__all__ = [
    "KS_VERSION",
    "KS_VERSION_NUMBER",
    "KS_MAX_INPUT_BYTES",
    "lib",
    "library_path",
    "library_version",
    "encode",
    "take",
    "call",
]

# The header this binding was written against (Include/kubesim.h).
KS_VERSION = "0.1.0"
KS_VERSION_NUMBER = 1000
KS_MAX_INPUT_BYTES = 3145728

_LIBRARY_NAME = "libkubesim.dylib" if sys.platform == "darwin" else "libkubesim.so"


def _candidates() -> Tuple[Optional[str], list]:
    """Returns the library path to load and the places looked at (for the error message)."""
    looked = []
    env = os.environ.get("KUBESIM_LIBRARY")
    if env:
        looked.append(f"$KUBESIM_LIBRARY={env}")
        # A bare file name is left to the dynamic loader's search path.
        return (env if os.path.exists(env) or os.sep not in env else None), looked
    here = Path(__file__).resolve().parent
    for directory in (here, *here.parents):
        candidate = directory / ".build" / "release" / _LIBRARY_NAME
        looked.append(str(candidate))
        if candidate.is_file():
            return str(candidate), looked
    found = ctypes.util.find_library("kubesim")
    looked.append('ctypes.util.find_library("kubesim")')
    return found, looked


def _load(expected: int = KS_VERSION_NUMBER) -> Tuple[ctypes.CDLL, str]:
    """Finds, loads and checks the library; raises ImportError with the reason otherwise."""
    path, looked = _candidates()
    if path is None:
        raise ImportError(
            "kubesim: cannot find libkubesim. Build it with "
            "`make lib` in the repository root, or set "
            "KUBESIM_LIBRARY to the library's path. Looked at: " + "; ".join(looked)
        )
    try:
        library = ctypes.CDLL(path)
    except OSError as error:
        raise ImportError(f"kubesim: cannot load {path}: {error}") from error
    try:
        _declare(library)
    except AttributeError as error:
        raise ImportError(f"kubesim: {path} is not a kubesim library: {error}") from error
    number = library.ks_version_number()
    if number != expected:
        version = library.ks_version()
        text = version.decode("utf-8", "replace") if version else "?"
        raise ImportError(
            f"kubesim: {path} has version number {number} (version {text}), but this package "
            f"was written for KS_VERSION_NUMBER {expected} (kubesim.h {KS_VERSION}); "
            "rebuild the library or install the matching binding"
        )
    return library, path


def _declare(library: ctypes.CDLL) -> None:
    """Sets argtypes and restype of every function in Include/kubesim.h."""
    out = ctypes.POINTER(ctypes.c_void_p)
    library.ks_version.argtypes = []
    library.ks_version.restype = ctypes.c_char_p  # static: never freed
    library.ks_version_number.argtypes = []
    library.ks_version_number.restype = ctypes.c_int
    library.ks_free.argtypes = [ctypes.c_void_p]
    library.ks_free.restype = None
    library.ks_cluster_new.argtypes = [ctypes.c_char_p, out, out]
    library.ks_cluster_new.restype = ctypes.c_int
    library.ks_cluster_free.argtypes = [ctypes.c_void_p]
    library.ks_cluster_free.restype = None
    for name in ("ks_apply", "ks_get", "ks_list", "ks_create", "ks_update", "ks_patch",
                 "ks_delete", "ks_watch", "ks_run", "ks_events", "ks_node", "ks_kubectl",
                 "ks_state", "ks_etcd", "ks_report", "ks_scheduler"):
        function = getattr(library, name)
        function.argtypes = [ctypes.c_void_p, ctypes.c_char_p, out]
        function.restype = ctypes.c_int


lib, library_path = _load()


def library_version() -> str:
    """The loaded library's version string (``ks_version()``), e.g. ``"0.1.0"``."""
    value = lib.ks_version()
    return value.decode("utf-8", "replace") if value else ""


def encode(text: Union[str, bytes, None]) -> Optional[bytes]:
    """Encodes an input string as the library expects: UTF-8, NUL-terminated by ctypes.

    A ``str`` holding lone surrogates is encoded with ``surrogatepass``, so the library receives
    the invalid UTF-8 and answers with its own 400 Status instead of Python failing first.
    ``bytes`` pass unchanged. Raises :class:`ValueError` for an embedded NUL, which C would
    silently treat as the end of the input.
    """
    if text is None:
        return None
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    if b"\x00" in data:
        raise ValueError("kubesim: input contains a NUL character, which C strings cannot carry")
    return data


def ks_free(pointer: ctypes.c_void_p) -> None:
    """Frees one library buffer (indirection kept so tests can count the calls)."""
    lib.ks_free(pointer)


def take(pointer: ctypes.c_void_p) -> Optional[str]:
    """Copies a library buffer into a ``str`` and frees it with ``ks_free`` (once).

    Returns ``None`` for a NULL pointer. The library promises UTF-8; should it ever break that,
    the undecodable bytes are kept as surrogate escapes rather than raising here.
    """
    if not pointer.value:
        return None
    try:
        data = ctypes.string_at(pointer.value)
    finally:
        ks_free(pointer)
        pointer.value = None
    return data.decode("utf-8", "surrogateescape")


def call(function, handle: ctypes.c_void_p, request: Optional[bytes]) -> Tuple[int, Optional[str]]:
    """Calls ``int ks_x(ks_cluster *, const char *, char **)``; returns the code and the text.

    ctypes releases the GIL for the duration of the call, so calls on different handles run in
    parallel from different Python threads.
    """
    out = ctypes.c_void_p()
    rc = function(handle, request, ctypes.byref(out))
    return rc, take(out)
