"""The ``kubesim`` command: kubectl over one simulated cluster that lives for one process.

Because the cluster exists only while the command runs, the useful form is a script::

    kubesim run scenario.txt            # run a script of kubectl commands
    kubesim run - < scenario.txt        # the script from standard input
    kubesim kubectl get nodes -o wide   # one command on a fresh cluster
    kubesim walkthrough                 # the seed walkthrough

Global options (before the subcommand): ``--seed N``, ``--nodes N``,
``--kubernetes-version 1.18|1.36``, ``--epoch RFC3339``.

Script lines::

    # a comment (blank lines are ignored too)
    apply -f nginx.yaml           a kubectl command ("kubectl" and a "$ " prompt are optional);
                                  -f FILE is read relative to the script's directory
    apply -f - <<EOF              a here-document: the lines up to EOF are the command's stdin
    ...
    EOF
    run 10s                       advance virtual time (Go duration; a bare number is seconds)
    state                         print the cluster's state JSON (ks_state)

Each kubectl command is echoed as ``$ kubectl ...`` (``--quiet`` turns that off), its standard
output goes to stdout and its errors to stderr. The script goes on after a failing command; the
exit status is 1 if any command failed.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from typing import List, Optional, TextIO, Tuple

from .cluster import Cluster
from .errors import KubesimError

__all__ = ["main", "run_script", "ScriptError"]

_FILE_FLAGS = ("-f", "--filename")
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1\s*$")
_NUMBER = re.compile(r"^[0-9]+(\.[0-9]+)?$")


class ScriptError(Exception):
    """A script line that cannot be run (e.g. an unterminated here-document)."""


def _read_files(args: List[str], base_dir: str) -> Tuple[List[str], Optional[str]]:
    """Replaces ``-f FILE`` arguments by ``-f -``; returns the new args and the files' text.

    The library's kubectl reads manifests from stdin only, so the files are read here. Several
    files are joined as one multi-document YAML stream.
    """
    result: List[str] = []
    texts: List[str] = []
    reads_stdin = False
    index = 0
    while index < len(args):
        arg = args[index]
        path: Optional[str] = None
        if arg in _FILE_FLAGS and index + 1 < len(args):
            path = args[index + 1]
            index += 2
        elif any(arg.startswith(flag + "=") for flag in _FILE_FLAGS):
            path = arg.split("=", 1)[1]
            index += 1
        else:
            result.append(arg)
            index += 1
            continue
        if path != "-":
            full = path if os.path.isabs(path) else os.path.join(base_dir, path)
            with open(full, encoding="utf-8", errors="surrogateescape") as handle:
                texts.append(handle.read())
        if not reads_stdin:
            result.extend(["-f", "-"])
            reads_stdin = True
    if not texts:
        return result, None
    joined = "\n---\n".join(text.rstrip("\n") for text in texts) + "\n"
    return result, joined


def _duration(text: str) -> str:
    return text + "s" if _NUMBER.match(text) else text


def run_script(cluster: Cluster, text: str, out: TextIO, err: TextIO, base_dir: str = ".",
               echo: bool = True) -> int:
    """Runs a script (see the module docstring) on ``cluster``; returns the number of failed
    commands."""
    lines = text.splitlines()
    failures = 0
    index = 0
    while index < len(lines):
        number = index + 1
        line = lines[index].strip()
        index += 1
        if not line or line.startswith("#"):
            continue
        stdin: Optional[str] = None
        heredoc = _HEREDOC.search(line)
        if heredoc:
            marker = heredoc.group(2)
            line = line[:heredoc.start()].rstrip()
            body: List[str] = []
            while index < len(lines) and lines[index].strip() != marker:
                body.append(lines[index])
                index += 1
            if index >= len(lines):
                raise ScriptError(f"line {number}: here-document not terminated by {marker}")
            index += 1
            stdin = "\n".join(body) + "\n"
        if line.startswith("$ "):
            line = line[2:].lstrip()
        if line.startswith("kubectl "):
            line = line[len("kubectl "):].lstrip()
        try:
            words = shlex.split(line)
        except ValueError as error:
            err.write(f"error: line {number}: {error}\n")
            failures += 1
            continue
        if not words:
            continue
        try:
            if words[0] == "run" and len(words) == 2:
                if echo:
                    out.write(f"# run {words[1]}\n")
                cluster.run(duration=_duration(words[1]))
                continue
            if words == ["state"]:
                out.write(cluster.state_json())
                out.write("\n")
                continue
            args, files = _read_files(words, base_dir)
            if files is not None:
                stdin = files
            if echo:
                out.write(f"$ kubectl {line}\n")
            result = cluster.kubectl(args, stdin=stdin)
        except (KubesimError, OSError) as error:
            err.write(f"error: line {number}: {error}\n")
            failures += 1
            continue
        out.write(result.stdout)
        err.write(result.stderr)
        out.flush()
        err.flush()
        if result.exit_code != 0:
            failures += 1
    return failures


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kubesim",
        description="kubectl against a simulated Kubernetes cluster in virtual time.",
    )
    parser.add_argument("--seed", type=int, default=1, help="root of all randomness (default 1)")
    parser.add_argument("--nodes", type=int, default=3, help="number of nodes (default 3)")
    parser.add_argument("--kubernetes-version", default="1.18", choices=["1.18", "1.36"],
                        help="wording and printing of this Kubernetes version (default 1.18)")
    parser.add_argument("--epoch", default=None, help="virtual time at creation (RFC 3339)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser("run", help="run a script of kubectl commands")
    run.add_argument("script", help="the script file, or - for standard input")
    run.add_argument("--state", action="store_true",
                     help="print the cluster's state JSON (ks_state) at the end")
    run.add_argument("--quiet", action="store_true", help="do not echo the commands")
    kubectl = commands.add_parser("kubectl", help="run one kubectl command on a fresh cluster")
    kubectl.add_argument("args", nargs=argparse.REMAINDER, help="kubectl arguments")
    commands.add_parser("walkthrough", help="print the seed walkthrough")
    return parser


def main(argv: Optional[List[str]] = None, out: Optional[TextIO] = None,
         err: Optional[TextIO] = None) -> int:
    """Entry point of the ``kubesim`` console script; returns the exit status."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    parser = _parser()
    options = parser.parse_args(argv)
    if options.command is None:
        parser.print_help(out)
        return 2
    try:
        cluster = Cluster(seed=options.seed, nodes=options.nodes,
                          kubernetes_version=options.kubernetes_version, epoch=options.epoch)
    except KubesimError as error:
        err.write(f"error: {error}\n")
        return 1
    with cluster:
        if options.command == "walkthrough":
            from .walkthrough import walkthrough
            return 0 if walkthrough(cluster, out) == 0 else 1
        if options.command == "kubectl":
            args = list(options.args)
            if args[:1] == ["--"]:
                args = args[1:]
            try:
                args, stdin = _read_files(args, os.getcwd())
            except OSError as error:
                err.write(f"error: {error}\n")
                return 1
            result = cluster.kubectl(args, stdin=stdin)
            out.write(result.stdout)
            err.write(result.stderr)
            return result.exit_code
        # run
        try:
            if options.script == "-":
                text, base_dir = sys.stdin.read(), os.getcwd()
            else:
                with open(options.script, encoding="utf-8", errors="surrogateescape") as handle:
                    text = handle.read()
                base_dir = os.path.dirname(os.path.abspath(options.script))
            failures = run_script(cluster, text, out, err, base_dir, echo=not options.quiet)
            if options.state:
                out.write(cluster.state_json())
                out.write("\n")
        except (OSError, ScriptError) as error:
            err.write(f"error: {error}\n")
            return 1
        return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
