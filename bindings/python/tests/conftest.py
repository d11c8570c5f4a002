"""Shared fixtures. The package is imported from this source tree (no install needed); the
library is found as kubesim._native describes (KUBESIM_LIBRARY or .build/release)."""

import os
import re
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from kubesim import Cluster  # noqa: E402  (after the path set-up)


@pytest.fixture
def cluster():
    """A fresh 3-node cluster (minikube, minikube-m02, minikube-m03), seed 1."""
    with Cluster(seed=1, nodes=3) as c:
        yield c


def table(text):
    """Parses a kubectl table into a list of {column: value} rows (values are read at the
    header's column offsets)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    header = lines[0]
    # kubectl pads columns with at least 3 spaces; a header may hold one ("LAST SEEN").
    starts = [match.start() for match in re.finditer(r"\S+(?: \S+)*", header)]
    names = [header[s:e].strip() for s, e in zip(starts, starts[1:] + [len(header) + 1000])]
    rows = []
    for line in lines[1:]:
        values = [line[s:e].strip() for s, e in zip(starts, starts[1:] + [len(line) + 1000])]
        rows.append(dict(zip(names, values)))
    return rows
