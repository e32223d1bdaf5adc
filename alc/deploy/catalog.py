"""The app catalog: every published app version, and how names resolve in it.

``NAME`` is an app name or app id; ``version`` picks among several published
versions. A name that matches nothing is unusable input (exit 2); so is a
name that matches several versions without ``--version`` ("Multiple
published extensions match ...": alc treats it as input that needs more
information, exit 2).

>>> from alc.appmodel import Version
>>> v1, v2 = Version(1, 0, 0, 0), Version(2, 0, 0, 0)
>>> cat = Catalog([PublishedApp("p1", "a1", "Hello", "Me", v1, "global", None),
...                PublishedApp("p2", "a1", "Hello", "Me", v2, "global", None)])
>>> cat.find("hello", v2).package_id
'p2'
>>> cat.best(Dependency("a1", "Hello", "Me", v1), None).version == v2
True
"""

from __future__ import annotations

from typing import Iterable, Optional

import sqlalchemy as sa

from ..appmodel import Dependency, Version, normalize_guid
from . import schema
from .errors import DeployUsageError
from .model import PublishedApp

__all__ = ["Catalog", "load_catalog", "parse_version", "AMBIGUOUS"]

AMBIGUOUS = ("Multiple published extensions match the specified parameter values. You must specify more "
             "information to indicate which extension to use.")


def parse_version(text: Optional[str]) -> Optional[Version]:
    if text is None:
        return None
    if isinstance(text, Version):
        return text
    try:
        return Version.parse(text)
    except ValueError:
        raise DeployUsageError(f"not a version: `{text}` (give Major.Minor.Build.Revision, such as 1.0.0.0)") from None


def _version(row, prefix: str = "Version") -> Version:
    return Version(row[f"{prefix} Major"], row[f"{prefix} Minor"], row[f"{prefix} Build"], row[f"{prefix} Revision"])


class Catalog:
    """Published apps, sorted by name then version."""

    def __init__(self, apps: Iterable[PublishedApp]):
        self.apps = tuple(sorted(apps, key=lambda a: (a.name.casefold(), a.version, a.scope, a.tenant or "")))
        self.by_package = {a.package_id: a for a in self.apps}

    def visible(self, tenant: Optional[str]) -> list[PublishedApp]:
        return [a for a in self.apps if a.visible_to(tenant)]

    def matching(self, name: str) -> list[PublishedApp]:
        """Apps whose name (case-insensitive) or id is ``name``."""
        key = name.strip()
        try:
            guid = normalize_guid(key)
        except ValueError:
            guid = None
        folded = key.casefold()
        return [a for a in self.apps if a.id == guid or a.name.casefold() == folded]

    def find(self, name: str, version: Optional[Version] = None, tenant: Optional[str] = None, *,
             tenant_only: bool = False) -> PublishedApp:
        """The one published app ``name`` (at ``version``), visible to ``tenant`` when given."""
        found = self.matching(name)
        if tenant is not None or tenant_only:
            found = [a for a in found if a.visible_to(tenant)]
        if version is not None:
            found = [a for a in found if a.version == version]
        if not found:
            what = f"'{name}'" + (f" version {version}" if version is not None else "")
            raise DeployUsageError(f"Cannot find the extension {what} because it's not published"
                                   + (f" for tenant '{tenant}'" if tenant is not None else ""))
        if len(found) > 1:
            versions = ", ".join(sorted({str(a.version) for a in found}))
            raise DeployUsageError(f"{AMBIGUOUS} (published versions: {versions}; give --version)")
        return found[0]

    def versions(self, app_id: str, tenant: Optional[str] = None) -> list[PublishedApp]:
        return [a for a in self.apps if a.id == app_id and (tenant is None or a.visible_to(tenant))]

    def best(self, dep: Dependency, tenant: Optional[str], *, scope: Optional[str] = None) -> Optional[PublishedApp]:
        """The highest published version of ``dep`` at or above its minimum, visible to
        ``tenant`` (``scope="global"``: only global apps)."""
        found = [a for a in self.apps if a.id == dep.id and a.version >= dep.version
                 and (a.scope == "global" if scope == "global" else a.visible_to(tenant))]
        return max(found, key=lambda a: a.version) if found else None

    def dependents(self, app: PublishedApp) -> list[PublishedApp]:
        """Published apps that need ``app``: they depend on its id and no other published
        version visible to them satisfies the dependency."""
        out = []
        for other in self.apps:
            for dep in other.dependencies:
                if dep.id != app.id or app.version < dep.version:
                    continue
                alternatives = [a for a in self.versions(app.id) if a.package_id != app.package_id
                                and a.version >= dep.version
                                and (a.scope == "global" if other.scope == "global" else a.visible_to(other.tenant))]
                if not alternatives:
                    out.append(other)
        return out


def load_catalog(conn) -> Catalog:
    """Every `NAV App` row (not its blob) with its `NAV App Dependencies`."""
    t, d = schema.nav_app, schema.dependencies
    deps: dict = {}
    for row in conn.execute(sa.select(d)).mappings():
        deps.setdefault(row["Package ID"], []).append(
            Dependency(row["Dependency App ID"], row["Dependency Name"], row["Dependency Publisher"], _version(row)))
    cols = [c for c in t.c if c.name != "Blob"]
    apps = []
    for row in conn.execute(sa.select(*cols)).mappings():
        pid = row["Package ID"]
        scope = "global" if row["Published As"] == "Global" else "tenant"
        apps.append(PublishedApp(
            pid, row["ID"], row["Name"], row["Publisher"], _version(row), scope,
            row["Tenant ID"] or None if scope == "tenant" else None,
            bool(row["Runtime Package"]), row["Runtime Platform"] or None, bool(row["Has Source"]),
            row["Content Hash"], row["Runtime"], tuple(sorted(deps.get(pid, ()), key=lambda x: x.id))))
    return Catalog(apps)
