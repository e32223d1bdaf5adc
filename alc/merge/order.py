"""The app dependency graph and the order apps are applied in.

:class:`AppGraph` holds the edges itself (networkx, slow to import for a
command that merges a few apps, is imported only for a set with a cycle);
callers use its verbs (``dependencies``, ``dependents``, ``depends_on``,
``related``, ``order``). Edges run from a dependency to its dependent, so a
topological order puts every app after the apps it depends on; ties are
broken by app id (the smallest ready app first, as
``nx.lexicographical_topological_sort``), which makes the order
deterministic. Problems with the set of apps are reported as conflicts,
not raised: a dependency that is not in the set, one below the declared
minimum version, a cycle (``A --> B --> A``; the order then still exists:
the apps of a cycle are applied together, by id), two packages of one app.

>>> from alc.appmodel import Dependency, Version
>>> def m(i, deps=()):
...     return AppManifest(f"00000000-0000-0000-0000-00000000000{i}", f"App {i}", "P", Version(1, 0, 0, 0),
...                        dependencies=[Dependency(f"00000000-0000-0000-0000-00000000000{d}", f"App {d}", "P",
...                                                 Version(1, 0, 0, 0)) for d in deps])
>>> graph, conflicts = build_graph([m(3, [1]), m(2, [1]), m(1), m(4, [3])])
>>> [graph.name(a) for a in graph.order()], conflicts
(['App 1', 'App 2', 'App 3', 'App 4'], [])
>>> graph.depends_on(graph.order()[3], graph.order()[0]), graph.related(graph.order()[1], graph.order()[2])
(True, False)
>>> _, conflicts = build_graph([m(1, [2]), m(2, [1]), m(3, [5])])
>>> [c.message for c in conflicts]
['`App 3` depends on `App 5` (id 00000000-0000-0000-0000-000000000005) 1.0.0.0 or later, which is not in the set of apps', 'dependency cycle: `App 1` --> `App 2` --> `App 1`']
"""

from __future__ import annotations

import heapq
from typing import Iterable, NewType

from ..appmodel import AppManifest, Version
from .model import AppRef, Conflict, app_ref

__all__ = ["AppId", "AppGraph", "build_graph", "APPLICATION_IDS"]

AppId = NewType("AppId", str)

APPLICATION_IDS = (
    "c1335042-3002-4257-bf8a-75c898ccb1b8",   # Application (the umbrella app)
    "437dbf0e-84ff-417a-965d-ed2bb9650972",   # Base Application
    "63ca2fa4-4f03-4f2b-a480-172fef340d3f",   # System Application
    "f3552374-a1f2-4356-848e-196002525837",   # Business Foundation
)
"""What app.json's `application` stands for: the umbrella app, or, when the
set has no umbrella, the apps it bundles."""


class AppGraph:
    """Apps and their dependencies; transitive queries are O(1) once cached.

    The cache lives in the instance (a graph never changes after it is built).
    """

    def __init__(self, manifests: Iterable[AppManifest]):
        self._manifests: dict[AppId, AppManifest] = {}
        self._in: dict[AppId, dict] = {}     # app -> its direct dependencies (ordered as added)
        self._out: dict[AppId, dict] = {}    # app -> its direct dependents
        for manifest in sorted(manifests, key=lambda m: m.id):
            self._manifests[AppId(manifest.id)] = manifest
            self._in[AppId(manifest.id)] = {}
            self._out[AppId(manifest.id)] = {}
        self._closure: dict[AppId, frozenset] = {}
        self._order: tuple = ()

    # -- building -------------------------------------------------------
    def add_dependency(self, dependent: AppId, dependency: AppId) -> None:
        self._in[dependent][dependency] = None
        self._out[dependency][dependent] = None
        self._closure.clear()
        self._order = ()

    def _nx(self):
        """The graph as a networkx DiGraph (for a set with a cycle)."""
        import networkx as nx
        graph = nx.DiGraph()
        graph.add_nodes_from(self._manifests)
        graph.add_edges_from((dependency, app) for app, deps in self._in.items() for dependency in deps)
        return graph

    # -- verbs ----------------------------------------------------------
    def __contains__(self, app: str) -> bool:
        return app in self._manifests

    def __len__(self) -> int:
        return len(self._manifests)

    def manifest(self, app: AppId) -> AppManifest:
        return self._manifests[app]

    def name(self, app: AppId) -> str:
        return self._manifests[app].name

    def ref(self, app: AppId) -> AppRef:
        return app_ref(self._manifests[app])

    def dependencies(self, app: AppId) -> tuple:
        """The apps ``app`` depends on directly, by id."""
        return tuple(sorted(self._in[app]))

    def dependents(self, app: AppId) -> tuple:
        """The apps that depend on ``app`` directly, by id."""
        return tuple(sorted(self._out[app]))

    def all_dependencies(self, app: AppId) -> frozenset:
        """Every app ``app`` depends on, directly or transitively (cached)."""
        found = self._closure.get(app)
        if found is None:
            seen: set = set()
            stack = list(self._in[app])
            while stack:
                dep = stack.pop()
                if dep not in seen:
                    seen.add(dep)
                    stack.extend(self._in[dep])
            seen.discard(app)   # as nx.ancestors: an app of a cycle is not its own dependency
            found = self._closure[app] = frozenset(seen)
        return found

    def depends_on(self, app: AppId, other: AppId) -> bool:
        """Whether ``app`` depends on ``other``, directly or transitively."""
        return other in self.all_dependencies(app)

    def is_ancestor(self, other: AppId, app: AppId) -> bool:
        """Whether ``other`` is a (transitive) dependency of ``app``."""
        return other in self.all_dependencies(app)

    def related(self, a: AppId, b: AppId) -> bool:
        """Whether one of the two apps depends on the other."""
        return a == b or self.depends_on(a, b) or self.depends_on(b, a)

    def _sorted(self) -> tuple:
        """Every app, each after its dependencies, the smallest ready id first; fewer than
        all when some depend on each other (a cycle)."""
        waiting = {app: len(deps) for app, deps in self._in.items()}
        ready = [app for app, count in waiting.items() if count == 0]
        heapq.heapify(ready)
        out = []
        while ready:
            app = heapq.heappop(ready)
            out.append(app)
            for dependent in self._out[app]:
                waiting[dependent] -= 1
                if waiting[dependent] == 0:
                    heapq.heappush(ready, dependent)
        return tuple(out)

    def cycles(self) -> list:
        """One cycle per group of apps that depend on each other, each
        starting at its smallest app id (deterministic)."""
        if len(self._sorted()) == len(self._manifests):
            return []
        import networkx as nx
        graph = self._nx()
        found = []
        for component in sorted((sorted(c) for c in nx.strongly_connected_components(graph)), key=lambda c: c[0]):
            start = component[0]
            if len(component) == 1 and not graph.has_edge(start, start):
                continue
            sub = graph.subgraph(component)
            paths = [nx.shortest_path(sub, start, nxt) for nxt in sorted(sub.predecessors(start))]
            found.append([*min(paths, key=lambda p: (len(p), p)), start])
        return found

    def order(self) -> tuple:
        """App ids in applied order: dependencies first, ties by app id."""
        if not self._order:
            order = self._sorted()
            if len(order) == len(self._manifests):
                self._order = order
            else:
                import networkx as nx
                dag = nx.condensation(self._nx())
                first = {n: min(dag.nodes[n]["members"]) for n in dag}
                self._order = tuple(app for n in nx.lexicographical_topological_sort(dag, key=first.get)
                                    for app in sorted(dag.nodes[n]["members"]))
        return self._order


def build_graph(manifests: Iterable[AppManifest]) -> tuple[AppGraph, list]:
    """The graph of a set of apps and the conflicts the set has.

    When one app id comes twice, the higher version is kept (the first given
    when versions are equal) and a `duplicate-app` conflict names both.
    """
    conflicts: list = []
    chosen: dict[str, AppManifest] = {}
    for manifest in manifests:
        kept = chosen.get(manifest.id)
        if kept is not None:
            winner, loser = (manifest, kept) if manifest.version > kept.version else (kept, manifest)
            chosen[manifest.id] = winner
            conflicts.append(Conflict("duplicate-app", None, None, None, (app_ref(winner), app_ref(loser)),
                                      (str(winner.version), str(loser.version)),
                                      f"app `{winner.name}` is given twice ({winner.version} and {loser.version}); "
                                      f"{winner.version} is used"))
        else:
            chosen[manifest.id] = manifest
    graph = AppGraph(chosen.values())
    for app_id in sorted(chosen):
        _link(graph, chosen[app_id], conflicts)
    for cycle in graph.cycles():
        conflicts.append(Conflict("dependency-cycle", None, None, None, tuple(graph.ref(a) for a in cycle[:-1]),
                                  (), "dependency cycle: " + " --> ".join(f"`{graph.name(a)}`" for a in cycle)))
    return graph, conflicts


def _link(graph: AppGraph, manifest: AppManifest, conflicts: list) -> None:
    """Add the edges of one app's dependencies, reporting absent or too-old ones."""
    app = AppId(manifest.id)
    for dep in manifest.dependencies:
        if dep.id == manifest.id:
            continue                        # app.json validation reports this one (ALC0413)
        if dep.id not in graph:
            missing = AppRef(dep.id, dep.name, dep.publisher, str(dep.version))
            conflicts.append(Conflict("missing-dependency", None, None, None, (app_ref(manifest), missing),
                                      (str(dep.version),),
                                      f"`{manifest.name}` depends on `{dep.name}` (id {dep.id}) {dep.version} or "
                                      f"later, which is not in the set of apps"))
            continue
        _check_version(graph, manifest, AppId(dep.id), dep.version, conflicts)
        graph.add_dependency(app, AppId(dep.id))
    if manifest.application is not None and manifest.id not in APPLICATION_IDS:
        _link_application(graph, manifest, conflicts)


def _check_version(graph: AppGraph, manifest: AppManifest, dep: AppId, minimum: Version, conflicts: list) -> None:
    found = graph.manifest(dep)
    if found.version < minimum:
        conflicts.append(Conflict("dependency-version", None, None, None, (app_ref(manifest), app_ref(found)),
                                  (str(minimum), str(found.version)),
                                  f"`{manifest.name}` needs `{found.name}` {minimum} or later, but the set has "
                                  f"{found.version}"))


def _link_application(graph: AppGraph, manifest: AppManifest, conflicts: list) -> None:
    """`application` in app.json: an implicit dependency on the Microsoft apps."""
    app = AppId(manifest.id)
    umbrella = APPLICATION_IDS[0]
    targets = [umbrella] if umbrella in graph else [a for a in APPLICATION_IDS[1:] if a in graph]
    if not targets:
        missing = AppRef(umbrella, "Application", "Microsoft", str(manifest.application))
        conflicts.append(Conflict("missing-dependency", None, None, None, (app_ref(manifest), missing),
                                  (str(manifest.application),),
                                  f"`{manifest.name}` depends on the Microsoft application {manifest.application} "
                                  f"or later (app.json `application`), which is not in the set of apps"))
    for target in targets:
        if target == umbrella:
            _check_version(graph, manifest, AppId(target), manifest.application, conflicts)
        graph.add_dependency(app, AppId(target))
