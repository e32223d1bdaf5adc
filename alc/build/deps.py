"""Dependency resolution: an app manifest plus a package cache -> the packages
to compile against, in dependency order.

Each dependency (``id``, or the legacy ``appId``; the version is a minimum)
resolves to the highest version of that app in the cache, which is also the
highest compatible one whenever any is; the dependencies of the chosen
packages are followed transitively. Real AL adds implicit dependencies, and so
does alc when the packages are in the cache: `application` (the Microsoft
"Application" umbrella app or, without it, Base Application and System
Application) and the platform ("System"). A missing implicit dependency is
not an error -- most test projects have no Microsoft packages -- and
``Resolution.platform`` is then None, so that semantic checks can downgrade
unresolved platform references to warnings.

Codes: ALC0240 missing package, ALC0241 version too old, ALC0242 cycle,
ALC0243 id disagrees with the package of that name (AL1042), ALC0244 name
or publisher changed (AL1076). The scan's own codes are in package.cache.

>>> from alc.package.cache import CachedPackage, PackageIndex
>>> from alc.appmodel import AppManifest, Dependency, Version
>>> def app(n, *deps):
...     return AppManifest(f"00000000-0000-4000-8000-00000000000{n}", f"App{n}", "Me", Version(1, 0, 0, 0),
...                        dependencies=[Dependency(f"00000000-0000-4000-8000-00000000000{d}", f"App{d}", "Me",
...                                                 Version(1, 0, 0, 0)) for d in deps])
>>> index = PackageIndex.build([CachedPackage(f"App{n}.app", app(n, *d)) for n, d in [(1, [2]), (2, [])]])
>>> res = resolve(app(9, 1), index)
>>> [p.name for p in res.packages], res.diagnostics, res.platform
(['App2', 'App1'], (), None)
>>> res = resolve(app(9, 1, 3), index)
>>> print(res.diagnostics[0].message)
dependency `App3` (00000000-0000-4000-8000-000000000003) version >= 1.0.0.0 is not in the package cache
"""

from __future__ import annotations

from collections import deque
from typing import Iterable, Iterator, Optional

import attrs
import networkx as nx

from ..appmodel import AppManifest, Version
from ..diagnostics import Diagnostic, Severity
from ..package.cache import AppId, CachedPackage, PackageIndex, version_key
from ..source import SourceFile, Span

__all__ = ["AppId", "DependencyGraph", "Requirement", "Resolution", "resolve",
           "APPLICATION_ID", "BASE_APPLICATION_ID", "SYSTEM_APPLICATION_ID", "BUSINESS_FOUNDATION_ID", "PLATFORM_ID"]

APPLICATION_ID = AppId("c1335042-3002-4257-bf8a-75c898ccb1b8")
BASE_APPLICATION_ID = AppId("437dbf0e-84ff-417a-965d-ed2bb9650972")
SYSTEM_APPLICATION_ID = AppId("63ca2fa4-4f03-4f2b-a480-172fef340d3f")
BUSINESS_FOUNDATION_ID = AppId("f3552374-a1f2-4356-848e-196002525837")
PLATFORM_ID = AppId("8874ed3a-0643-4247-9ced-7a7002f7135d")
"""Microsoft's well-known app ids: the "Application" umbrella, Base
Application, System Application, Business Foundation and the "System"
platform package (stable across Business Central versions)."""

_MICROSOFT_APPLICATION = frozenset({APPLICATION_ID, BASE_APPLICATION_ID, SYSTEM_APPLICATION_ID,
                                    BUSINESS_FOUNDATION_ID, PLATFORM_ID})
_ZERO = Version(0, 0, 0, 0)


class DependencyGraph:
    """Apps and the apps they depend on (networkx inside).

    >>> g = DependencyGraph()
    >>> g.add_dependency(AppId("b"), AppId("a")); g.add_dependency(AppId("c"), AppId("a"))
    >>> g.order(), g.depends_on(AppId("b")), g.dependents(AppId("a"))
    (('a', 'b', 'c'), ('a',), ('b', 'c'))
    """

    def __init__(self) -> None:
        # Edges point from a dependency to its dependent, so a topological
        # sort yields dependencies first.
        self._g: nx.DiGraph = nx.DiGraph()
        self._order: Optional[tuple[AppId, ...]] = None
        self._acyclic = True

    def add_app(self, app: AppId) -> None:
        self._g.add_node(app)
        self._order = None

    def add_dependency(self, app: AppId, dependency: AppId) -> None:
        """Record that ``app`` depends on ``dependency``."""
        self.add_dependencies([(app, dependency)])

    def add_dependencies(self, pairs: Iterable[tuple[AppId, AppId]]) -> None:
        """Record many (app, dependency) pairs at once (faster than one by one)."""
        self._g.add_edges_from((dependency, app) for app, dependency in pairs)
        self._order = None

    def depends_on(self, app: AppId) -> tuple[AppId, ...]:
        """The direct dependencies of ``app``, sorted by id."""
        return tuple(sorted(self._g.predecessors(app)))

    def dependents(self, app: AppId) -> tuple[AppId, ...]:
        """The apps that depend directly on ``app``, sorted by id."""
        return tuple(sorted(self._g.successors(app)))

    def all_dependencies(self, app: AppId) -> frozenset[AppId]:
        """Everything ``app`` depends on, directly or not."""
        return frozenset(nx.ancestors(self._g, app))

    def apps(self) -> tuple[AppId, ...]:
        return tuple(sorted(self._g))

    def __contains__(self, app: object) -> bool:
        return app in self._g

    def __len__(self) -> int:
        return len(self._g)

    def order(self) -> tuple[AppId, ...]:
        """Every app after its dependencies; ties broken by app id. Apps on a
        cycle come together, by id, where the cycle as a whole belongs."""
        if self._order is None:
            try:
                self._order, self._acyclic = tuple(nx.lexicographical_topological_sort(self._g, key=str)), True
            except nx.NetworkXUnfeasible:
                dag = nx.condensation(self._g)
                members = {n: sorted(dag.nodes[n]["members"]) for n in dag}
                self._order = tuple(app for n in nx.lexicographical_topological_sort(dag, key=lambda n: members[n][0])
                                    for app in members[n])
                self._acyclic = False
        return self._order

    def cycles(self, first: Optional[AppId] = None) -> tuple[tuple[AppId, ...], ...]:
        """One shortest cycle per strongly connected group, each closed
        (``(a, b, a)``) and read along "depends on". A cycle starts at
        ``first`` when it passes through it, else at its smallest app id.

        >>> g = DependencyGraph()
        >>> for a, b in [("x", "y"), ("y", "z"), ("z", "x"), ("z", "y")]: g.add_dependency(AppId(a), AppId(b))
        >>> g.cycles()
        (('x', 'y', 'z', 'x'),)
        """
        self.order()
        if self._acyclic:
            return ()
        found = []
        for group in nx.strongly_connected_components(self._g):
            if len(group) == 1 and not any(self._g.has_edge(n, n) for n in group):
                continue
            found.append(self._shortest_cycle(group, first if first in group else min(group)))
        return tuple(sorted(found))

    def _shortest_cycle(self, group: set, start: AppId) -> tuple[AppId, ...]:
        parent: dict[AppId, AppId] = {}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for dep in self.depends_on(node):
                if dep == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parent[path[-1]])
                    return tuple(reversed(path)) + (start,)
                if dep in group and dep not in parent:
                    parent[dep] = node
                    queue.append(dep)
        raise AssertionError("a strongly connected group without a cycle")  # pragma: no cover


@attrs.frozen
class Requirement:
    """``requirer`` needs ``app_id`` at ``min_version`` or later. ``implicit``
    marks the application/platform dependencies alc adds."""
    requirer: AppId
    app_id: AppId
    name: str
    publisher: str
    min_version: Version
    implicit: bool = False


@attrs.frozen(eq=False)
class Resolution:
    """The packages an app compiles against, dependencies first (the app
    itself excluded), and what went wrong. ``visible`` holds the packages
    whose symbols the app sees: its direct dependencies, and the dependencies
    those propagate (``propagateDependencies``, as the Application umbrella
    does). The index's own scan diagnostics are not repeated here."""
    app: AppManifest
    graph: DependencyGraph
    packages: tuple[CachedPackage, ...]
    visible: tuple[CachedPackage, ...]
    platform: Optional[CachedPackage]
    diagnostics: tuple[Diagnostic, ...]
    by_id: dict[AppId, CachedPackage] = attrs.field(factory=dict, repr=False)

    @property
    def has_platform(self) -> bool:
        """Whether the platform package ("System") is in the cache."""
        return self.platform is not None

    def package(self, app_id: str) -> Optional[CachedPackage]:
        """The package chosen for an app id, or None."""
        return self.by_id.get(AppId(app_id))


def resolve(app: AppManifest, index: PackageIndex, app_json: Optional[SourceFile] = None) -> Resolution:
    """Resolve ``app``'s dependencies against ``index``. Pass the app.json
    text as ``app_json`` for diagnostics that point at its entries."""
    return _Resolver(app, index, app_json).run()


class _Resolver:
    def __init__(self, app: AppManifest, index: PackageIndex, app_json: Optional[SourceFile]):
        self.app, self.index, self.app_json = app, index, app_json
        self.root = AppId(app.id)
        self.graph = DependencyGraph()
        self.graph.add_app(self.root)
        self.chosen: dict[AppId, CachedPackage] = {}
        self.parent: dict[AppId, AppId] = {}
        self.requirements: dict[AppId, list[Requirement]] = {}
        self.platform = self._well_known(PLATFORM_ID, "System")
        self.umbrella = self._well_known(APPLICATION_ID, "Application")
        self.members = tuple(p for p in (self._well_known(BASE_APPLICATION_ID, "Base Application"),
                                         self._well_known(SYSTEM_APPLICATION_ID, "System Application")) if p)

    def _well_known(self, app_id: AppId, name: str) -> Optional[CachedPackage]:
        best = self.index.best(app_id)
        if best is None:
            named = [self.index.best(i) for i in self.index.ids_named(name, "Microsoft")]
            best = max(named, key=lambda p: (p.version, p.id), default=None)
        return best if best is None or best.id != self.root else None

    def run(self) -> Resolution:
        edges: list[tuple[AppId, AppId]] = []
        queue = deque([(self.root, self.app)])
        while queue:
            requirer, manifest = queue.popleft()
            for req in self._requirements_of(requirer, manifest):
                self.requirements.setdefault(req.app_id, []).append(req)
                if req.app_id == self.root or req.app_id in self.chosen:
                    edges.append((requirer, req.app_id))
                    continue
                pkg = self.index.best(req.app_id)
                if pkg is not None:
                    self.chosen[req.app_id] = pkg
                    self.parent[req.app_id] = requirer
                    edges.append((requirer, req.app_id))
                    queue.append((pkg.id, pkg.app))
        self.graph.add_dependencies(edges)
        diags = list(self._version_diagnostics())
        diags.extend(self._cycle_diagnostics())
        order = tuple(self.chosen[a] for a in self.graph.order() if a != self.root)
        platform = self.chosen.get(self.platform.id) if self.platform else None
        return Resolution(self.app, self.graph, order, self._visible(), platform, tuple(diags), dict(self.chosen))

    def _requirements_of(self, requirer: AppId, m: AppManifest) -> Iterator[Requirement]:
        for d in m.dependencies:
            if d.id != requirer:
                yield Requirement(requirer, AppId(d.id), d.name, d.publisher, d.version)
        implicit: list[tuple[CachedPackage, Optional[Version]]] = []
        if m.application is not None and requirer not in _MICROSOFT_APPLICATION:
            implicit += [(p, m.application) for p in ((self.umbrella,) if self.umbrella else self.members)]
        if self.platform is not None:
            implicit.append((self.platform, m.platform))
        for pkg, version in implicit:
            if pkg.id != requirer:
                yield Requirement(requirer, pkg.id, pkg.name, pkg.publisher, version or _ZERO, implicit=True)

    # -- diagnostics ---------------------------------------------------------

    def _version_diagnostics(self) -> Iterator[Diagnostic]:
        for app_id in sorted(self.requirements):
            if app_id == self.root:
                continue
            reqs = self.requirements[app_id]
            pkg = self.chosen.get(app_id)
            if pkg is None:
                yield self._missing(reqs)
                continue
            have = version_key(pkg.version)
            unmet = [r for r in reqs if have < version_key(r.min_version)]
            if unmet:
                yield self._too_old(unmet, self.index.versions(app_id))
            yield from self._renamed(reqs, pkg)

    def _span(self, req: Requirement, needle: Optional[str] = None) -> Optional[Span]:
        if req.requirer != self.root:
            requirer = self.chosen[req.requirer]
            return Span(SourceFile(requirer.path, ""), 0, 0)
        if self.app_json is None:
            return None
        if needle is None:
            platform = self.platform is not None and req.app_id == self.platform.id
            needle = req.app_id if not req.implicit else '"platform"' if platform else '"application"'
        at = self.app_json.text.lower().find(needle.lower())
        return Span(self.app_json, at, at + len(needle)) if at >= 0 else Span(self.app_json, 0, 0)

    def _primary(self, reqs: list[Requirement]) -> Requirement:
        """The requirement a diagnostic is about: the app's own, else the
        highest minimum (then the smallest requirer id)."""
        reqs = sorted(reqs, key=lambda r: r.requirer)
        return min(sorted(reqs, key=lambda r: version_key(r.min_version), reverse=True),
                   key=lambda r: r.requirer != self.root)

    def _notes(self, reqs: list[Requirement]) -> tuple[str, ...]:
        notes = []
        for req in sorted(reqs, key=lambda r: r.requirer):
            if req.requirer != self.root:
                notes.append(f"required (version >= {req.min_version}) through `{' --> '.join(self._chain(req))}`")
        return tuple(notes[:5] + ([f"and by {len(notes) - 5} more packages"] if len(notes) > 5 else []))

    def _chain(self, req: Requirement) -> list[str]:
        names = [req.name or req.app_id]
        node = req.requirer
        while node != self.root:
            names.append(self.chosen[node].name)
            node = self.parent[node]
        names.append(self.app.name)
        return names[::-1]

    def _where(self) -> str:
        return f"the package cache {self.index.location}" if self.index.folders else "the package cache"

    def _missing(self, reqs: list[Requirement]) -> Diagnostic:
        req = self._primary(reqs)
        what = _describe(req, max(r.min_version for r in reqs))
        others = [i for i in self.index.ids_named(req.name, req.publisher) if i != self.root] if req.name else []
        if others:
            found = self.index.best(others[0])
            return Diagnostic.error(
                "ALC0243", f"{what} is not in {self._where()}, but `{found.name}` by `{found.publisher}` is, "
                           f"with id {found.id}", self._span(req), notes=self._notes(reqs),
                help=f"use id {found.id} for the dependency, or add the package whose id is {req.app_id}")
        return Diagnostic.error("ALC0240", f"{what} is not in {self._where()}", self._span(req),
                                notes=self._notes(reqs),
                                help="add the package to the package cache (download symbols), or fix the "
                                     "dependency's id")

    def _too_old(self, unmet: list[Requirement], found: tuple[CachedPackage, ...]) -> Diagnostic:
        req = self._primary(unmet)
        need = max(r.min_version for r in unmet)
        versions = ", ".join(str(p.version) for p in reversed(found))
        has = f"version {versions}" if len(found) == 1 else f"versions {versions}"
        implicit = all(r.implicit for r in unmet)
        severity = Severity.WARNING if implicit else Severity.ERROR
        return Diagnostic("ALC0241", severity, f"{_describe(req, need)} is not in {self._where()}, which has {has}",
                          self._span(req), notes=self._notes(unmet),
                          help=f"add version {need} or later of `{req.name or req.app_id}` to the package cache, "
                               f"or lower the minimum version")

    def _renamed(self, reqs: list[Requirement], pkg: CachedPackage) -> Iterator[Diagnostic]:
        for req in reqs:
            if req.requirer != self.root or req.implicit or \
                    (req.name in ("", pkg.name) and req.publisher in ("", pkg.publisher)):
                continue     # only the app's own app.json is the user's to fix
            if (req.name and req.name.casefold() != pkg.name.casefold()) or \
                    (req.publisher and req.publisher.casefold() != pkg.publisher.casefold()):
                yield Diagnostic(
                    "ALC0244", Severity.INFO,
                    f"dependency `{req.name}` by `{req.publisher}` ({req.app_id}) is satisfied by `{pkg.name}` "
                    f"by `{pkg.publisher}`: the app's name or publisher changed", self._span(req),
                    help=f"update the dependency's name and publisher to `{pkg.name}` and `{pkg.publisher}`")

    def _cycle_diagnostics(self) -> Iterator[Diagnostic]:
        for cycle in self.graph.cycles(first=self.root):
            names = [self.app.name if a == self.root else self.chosen[a].name for a in cycle]
            start = cycle[0]
            span = self._span(Requirement(self.root, cycle[1], "", "", _ZERO), cycle[1]) if start == self.root \
                else Span(SourceFile(self.chosen[start].path, ""), 0, 0)
            yield Diagnostic.error("ALC0242", f"dependency cycle `{' --> '.join(names)}`", span,
                                   help="apps cannot depend on each other in a circle; move the shared "
                                        "objects into an app both depend on")

    def _visible(self) -> tuple[CachedPackage, ...]:
        seen: set[AppId] = set()
        stack = list(self.graph.depends_on(self.root))
        while stack:
            app_id = stack.pop()
            if app_id in seen or app_id == self.root:
                continue
            seen.add(app_id)
            if self.chosen[app_id].app.propagate_dependencies:
                stack.extend(self.graph.depends_on(app_id))
        return tuple(self.chosen[a] for a in sorted(seen))


def _describe(req: Requirement, version: Version) -> str:
    who = f"`{req.name}` ({req.app_id})" if req.name else f"`{req.app_id}`"
    return f"dependency {who} version >= {version}"
