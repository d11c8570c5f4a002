"""Drawing the disruption report (:meth:`kubesim.Cluster.disruption_report`).

:func:`plot_disruption` draws replicas unavailable over time, one line per workload, with the
faults marked. It uses matplotlib when it is installed (any format matplotlib writes: .png,
.svg, .pdf, ...), and otherwise writes a self-contained SVG itself.
"""

import datetime as _datetime
from typing import Any, Dict, List, Tuple
from xml.sax.saxutils import escape

__all__ = ["plot_disruption"]

_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf"]


def _seconds_since(start: str, when: str) -> float:
    def parse(t: str) -> _datetime.datetime:
        return _datetime.datetime.strptime(t[:19], "%Y-%m-%dT%H:%M:%S")
    return (parse(when) - parse(start)).total_seconds()


def _lines(report: Dict[str, Any]) -> List[Tuple[str, List[float], List[int]]]:
    """Per workload: (label, seconds, replicas unavailable)."""
    out = []
    for w in report.get("workloads", []):
        samples = w.get("samples", [])
        xs = [float(s["seconds"]) for s in samples]
        ys = [max(0, int(s["desired"]) - int(s["available"])) for s in samples]
        out.append(("%s %s/%s" % (w.get("kind", ""), w.get("namespace", ""), w.get("name", "")), xs, ys))
    return out


def _faults(report: Dict[str, Any]) -> List[Tuple[float, str]]:
    start = report.get("start")
    if not start:
        return []
    return [(_seconds_since(start, f["at"]), "%s %s %s" % (f["action"], f["scope"], f["name"]))
            for f in report.get("faults", [])]


def plot_disruption(report: Dict[str, Any], path: str) -> str:
    """Draws replicas unavailable over time from ``report`` into ``path``; returns ``path``.

    With matplotlib installed the format follows the file's extension; without it the file
    is an SVG whatever its name.
    """
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return write_svg(report, path)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for label, xs, ys in _lines(report):
        ax.step(xs, ys, where="post", label=label)
    for x, label in _faults(report):
        ax.axvline(x, color="grey", linestyle="--", linewidth=0.8)
        ax.annotate(label, (x, 0), xytext=(3, 3), textcoords="offset points", rotation=90, fontsize=7, color="grey")
    ax.set_xlabel("seconds since %s" % report.get("start", "the first fault"))
    ax.set_ylabel("replicas unavailable")
    ax.set_title("Disruption: replicas unavailable over time")
    ax.yaxis.get_major_locator().set_params(integer=True)
    if report.get("workloads"):
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def write_svg(report: Dict[str, Any], path: str) -> str:
    """The same chart as a plain SVG, with no dependency."""
    width, height, left, right, top, bottom = 900, 450, 60, 220, 40, 50
    lines = _lines(report)
    faults = _faults(report)
    xmax = max([x for _, xs, _ in lines for x in xs] + [x for x, _ in faults] + [1.0])
    ymax = max([y for _, _, ys in lines for y in ys] + [1])
    pw, ph = width - left - right, height - top - bottom

    def sx(x: float) -> float:
        return left + pw * x / xmax

    def sy(y: float) -> float:
        return top + ph - ph * y / ymax

    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">'
             % (width, height),
             '<rect width="100%" height="100%" fill="white"/>',
             '<text x="%d" y="20" font-size="14">Disruption: replicas unavailable over time</text>' % left,
             '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (left, top + ph, left + pw, top + ph),
             '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (left, top, left, top + ph)]
    for i in range(ymax + 1):
        if ymax <= 10 or i % max(1, ymax // 10) == 0:
            parts.append('<text x="%d" y="%.1f" text-anchor="end">%d</text>' % (left - 5, sy(i) + 4, i))
    for k in range(6):
        x = xmax * k / 5
        parts.append('<text x="%.1f" y="%d" text-anchor="middle">%d</text>' % (sx(x), top + ph + 15, round(x)))
    parts.append('<text x="%.1f" y="%d" text-anchor="middle">seconds since %s</text>'
                 % (left + pw / 2, height - 10, escape(str(report.get("start", "the first fault")))))
    for x, label in faults:
        parts.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="grey" stroke-dasharray="4 3"/>'
                     % (sx(x), top, sx(x), top + ph))
        parts.append('<text x="%.1f" y="%d" fill="grey" font-size="9">%s</text>' % (sx(x) + 3, top + 10, escape(label)))
    for i, (label, xs, ys) in enumerate(lines):
        color = _COLORS[i % len(_COLORS)]
        points = []
        for j, (x, y) in enumerate(zip(xs, ys)):
            if j:
                points.append("%.1f,%.1f" % (sx(x), sy(ys[j - 1])))  # step: hold until the next sample
            points.append("%.1f,%.1f" % (sx(x), sy(y)))
        if points:
            parts.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"><title>%s</title></polyline>'
                         % (color, " ".join(points), escape(label)))
        ly = top + 15 * i + 10
        parts.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/>'
                     % (width - right + 10, ly, width - right + 30, ly, color))
        parts.append('<text x="%d" y="%d">%s</text>' % (width - right + 35, ly + 4, escape(label)))
    parts.append("</svg>\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(parts))
    return path
