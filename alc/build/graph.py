"""`alc graph`: how apps depend on each other, as Graphviz dot, Mermaid, JSON or SVG.

The apps come from packages (`.app`) or projects (`app.json`): each is a node with its name and
version; each dependency an edge labelled with the minimum version it asks for. A dependency on
an app that is not among them is a node marked missing; the `application` dependency points at
the Base and System Application when they are among them, else at a missing "Application".
Edges on a dependency cycle are marked.

>>> from alc.appmodel import AppManifest, Dependency, Version
>>> a = AppManifest("00000000-0000-4000-8000-00000000000a", "A", "Me", Version(1, 0, 0, 0),
...                 dependencies=(Dependency("00000000-0000-4000-8000-00000000000b", "B", "Me", Version(2, 0, 0, 0)),))
>>> g = build_graph([AppNode.of(a, "a/app.json", "project")])
>>> print(to_mermaid(g))
graph LR
  n0["A<br/>1.0.0.0"]
  n1["B<br/>(missing)"]:::missing
  n0 -->|">= 2.0.0.0"| n1
  classDef missing stroke:#c00,stroke-dasharray:5 5,color:#c00
  linkStyle default stroke:#555
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Optional, Sequence

import attrs
import networkx as nx

__all__ = ["AppNode", "Graph", "GraphError", "load_nodes", "build_graph", "reduced", "to_dot", "to_mermaid",
           "to_json", "to_svg"]

_APPLICATION = ("437dbf0e-84ff-417a-965d-ed2bb9650972", "63ca2fa4-4f03-4f2b-a480-172fef340d3f")
_APPLICATION_UMBRELLA = "c1335042-3002-4257-bf8a-75c898ccb1b8"
_MICROSOFT_APPLICATION = frozenset(_APPLICATION + (_APPLICATION_UMBRELLA, "f3552374-a1f2-4356-848e-196002525837",
                                                   "8874ed3a-0643-4247-9ced-7a7002f7135d"))


class GraphError(ValueError):
    """Input that cannot be graphed, or SVG without Graphviz: one line, exit 2."""


@attrs.frozen
class AppNode:
    id: str
    name: str
    publisher: str
    version: str
    source: str = ""                   # the package or app.json it comes from ("" when missing)
    kind: str = "package"              # package, project, missing
    dependencies: tuple = ()           # (id, name, min version)
    application: Optional[str] = None  # the `application` version asked for

    @classmethod
    def of(cls, manifest, source: str, kind: str) -> "AppNode":
        return cls(manifest.id, manifest.name, manifest.publisher, str(manifest.version), source, kind,
                   tuple((d.id, d.name, str(d.version)) for d in manifest.dependencies),
                   str(manifest.application) if manifest.application is not None else None)

    @property
    def missing(self) -> bool:
        return self.kind == "missing"


@attrs.frozen
class Graph:
    nodes: tuple                       # AppNode, given ones first (in input order), then missing ones
    edges: tuple                       # (from id, to id, min version or "", on a cycle?)
    cycles: tuple                      # tuples of ids
    warnings: tuple = ()               # e.g. two versions of one app given


def load_nodes(paths: Sequence[str]) -> list[AppNode]:
    """Packages and projects: a `.app` file, a project folder, or a folder searched for projects
    (app.json), else for packages."""
    from ..package import PackageError, read_package
    from .project import load_app_json
    out: list[AppNode] = []
    for path in paths:
        if os.path.isfile(path):
            items = [path]
        elif os.path.isdir(path):
            items = _projects_under(path) or sorted(os.path.join(path, f) for f in os.listdir(path)
                                                    if f.lower().endswith(".app"))
            if not items:
                raise GraphError(f"no projects (app.json) or packages (.app) in {path}")
        else:
            raise GraphError(f"no such file or folder: {path}")
        for item in items:
            if item.endswith("app.json"):
                manifest, diags = load_app_json(item)
                if manifest is None:
                    first = next((d for d in diags if d.is_error), None)
                    raise GraphError(f"{item}: {first.message if first else 'unusable app.json'}")
                out.append(AppNode.of(manifest, item, "project"))
            else:
                try:
                    package = read_package(item, symbols=False)
                except PackageError as exc:
                    raise GraphError(str(exc.with_path(item))) from None
                out.append(AppNode.of(package.app, item, "package"))
    return out


def _projects_under(folder: str) -> list[str]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if "app.json" in files:  # an app.json below it belongs to this project (see workspace.discover_projects)
            found.append(os.path.join(root, "app.json"))
            dirs[:] = []
    return sorted(found)


def build_graph(nodes: Sequence[AppNode]) -> Graph:
    """Nodes by id (the highest version of an app given twice, with a warning), edges, cycles."""
    by_id: dict = {}
    warnings = []
    for n in nodes:
        have = by_id.get(n.id)
        if have is not None:
            keep = max((have, n), key=lambda x: tuple(int(p) for p in x.version.split(".")))
            warnings.append(f"`{n.name}` is given twice ({have.version} from {have.source}, {n.version} from "
                            f"{n.source}); the graph shows {keep.version}")
            by_id[n.id] = keep
        else:
            by_id[n.id] = n
    given = list(by_id.values())
    missing: dict = {}
    edges = []
    for n in given:
        wanted = list(n.dependencies)
        if n.application is not None and n.id not in _MICROSOFT_APPLICATION:
            present = [a for a in _APPLICATION if a in by_id] or \
                ([_APPLICATION_UMBRELLA] if _APPLICATION_UMBRELLA in by_id else [])
            wanted += [(a, by_id[a].name, n.application) for a in present] or \
                [(_APPLICATION_UMBRELLA, "Application", n.application)]
        for dep_id, name, version in wanted:
            if dep_id not in by_id and dep_id not in missing:
                missing[dep_id] = AppNode(dep_id, name or dep_id, "", "", "", "missing")
            edges.append((n.id, dep_id, version))
    graph = nx.DiGraph()
    graph.add_edges_from((a, b) for a, b, _ in edges)
    cycles = tuple(tuple(c) for c in nx.simple_cycles(graph))
    on_cycle = {(c[i], c[(i + 1) % len(c)]) for c in cycles for i in range(len(c))}
    return Graph(tuple(given) + tuple(missing.values()),
                 tuple((a, b, v, (a, b) in on_cycle) for a, b, v in edges), cycles, tuple(warnings))


def reduced(g: Graph) -> Graph:
    """Without the edges that a longer path already implies (A -> C when A -> B -> C): the same
    order, far fewer lines in a picture of a large workspace. Edges on cycles are kept.

    >>> e = (("a", "b", "1.0.0.0", False), ("b", "c", "1.0.0.0", False), ("a", "c", "1.0.0.0", False))
    >>> [(a, b) for a, b, _, _ in reduced(Graph((), e, ())).edges]
    [('a', 'b'), ('b', 'c')]
    """
    acyclic = nx.DiGraph((a, b) for a, b, _, cycle in g.edges if not cycle)
    keep = set(nx.transitive_reduction(acyclic).edges) if acyclic.number_of_nodes() else set()
    return attrs.evolve(g, edges=tuple(e for e in g.edges if e[3] or (e[0], e[1]) in keep))


def _label(n: AppNode, sep: str) -> str:
    return f"{n.name}{sep}{n.version}" if not n.missing else f"{n.name}{sep}(missing)"


def _min(version: str) -> str:
    return f">= {version}" if version and version != "0.0.0.0" else ""


def _edge_text(g: Graph, to: str, version: str) -> str:
    """The minimum version on an edge, left out when it is the version the target node shows."""
    node = next((n for n in g.nodes if n.id == to), None)
    return "" if node is not None and not node.missing and node.version == version else _min(version)


def to_dot(g: Graph) -> str:
    """Graphviz dot; an edge's label is the minimum version it asks for when that differs from the
    version of the app it points at (the JSON always has it)."""
    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    big = len(g.nodes) > 40
    lines = ["digraph apps {", "  rankdir=LR;" if not big else "  rankdir=RL; concentrate=true; ranksep=1.2;",
             '  node [shape=box, style="rounded,filled", fillcolor="#f4f6fb", fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=10, color="#555555"];']
    for n in g.nodes:
        text = q(n.name)[:-1] + "\\n" + (n.version if not n.missing else "(missing)") + '"'  # \n: a line break
        attrs_ = [f"label={text}"]
        if n.missing:
            attrs_ += ['style="rounded,dashed"', "color=red", "fontcolor=red"]
        elif n.kind == "project":
            attrs_.append('fillcolor="#eef7ee"')
        lines.append(f"  {q(n.id)} [{', '.join(attrs_)}];")
    for a, b, version, cycle in g.edges:
        text = _edge_text(g, b, version)
        attrs_ = [f"label={q(text)}"] if text else []
        if cycle:
            attrs_ += ["color=red", "penwidth=2"]
        lines.append(f"  {q(a)} -> {q(b)}" + (f" [{', '.join(attrs_)}]" if attrs_ else "") + ";")
    lines.append("}")
    return "\n".join(lines)


def to_mermaid(g: Graph) -> str:
    ids = {n.id: f"n{i}" for i, n in enumerate(g.nodes)}
    lines = ["graph LR"]
    for n in g.nodes:
        label = _label(n, "<br/>").replace('"', "#quot;")
        lines.append(f'  {ids[n.id]}["{label}"]' + (":::missing" if n.missing else ""))
    cycle_links = []
    for i, (a, b, version, cycle) in enumerate(g.edges):
        text = _edge_text(g, b, version)
        lines.append(f"  {ids[a]} -->" + (f'|"{text}"|' if text else "") + f" {ids[b]}")
        if cycle:
            cycle_links.append(str(i))
    lines.append("  classDef missing stroke:#c00,stroke-dasharray:5 5,color:#c00")
    lines.append("  linkStyle default stroke:#555")
    if cycle_links:
        lines.append(f"  linkStyle {','.join(cycle_links)} stroke:#c00,stroke-width:2px")
    return "\n".join(lines)


def to_json(g: Graph) -> str:
    return json.dumps({
        "nodes": [{"id": n.id, "name": n.name, "publisher": n.publisher, "version": n.version or None,
                   "kind": n.kind, "source": n.source or None, "missing": n.missing} for n in g.nodes],
        "edges": [{"from": a, "to": b, "min_version": v or None, "cycle": c} for a, b, v, c in g.edges],
        "cycles": [list(c) for c in g.cycles],
        "warnings": list(g.warnings),
    }, indent=2)


def to_svg(g: Graph, dot: Optional[str] = None) -> str:
    """The graph drawn by Graphviz (`dot -Tsvg`); GraphError when Graphviz is not installed."""
    exe = dot or shutil.which("dot")
    if exe is None:
        raise GraphError("--format svg needs Graphviz's `dot` program on the PATH (install graphviz: "
                         "apt-get install graphviz, brew install graphviz, winget install graphviz); "
                         "or use --format dot and render it elsewhere")
    done = subprocess.run([exe, "-Tsvg"], input=to_dot(g).encode("utf-8"), capture_output=True, timeout=300)
    if done.returncode != 0:
        raise GraphError(f"Graphviz failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout.decode("utf-8")
