"""The server's records: published apps, a tenant's state, and what a command reports.

They are plain frozen values: the rules (:mod:`alc.deploy.rules`) compute a
new :class:`TenantState` and a :class:`Report` from the catalog and the old
state; the server writes the difference in one transaction.

>>> from alc.appmodel import Version
>>> a = PublishedApp("p1", "a1", "Hello", "Me", Version(1, 0, 0, 0), "global", None)
>>> a.label, a.visible_to("t1")
('Hello by Me 1.0.0.0', True)
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Mapping, Optional

import attrs

from ..appmodel import Dependency, Version

__all__ = ["PublishedApp", "Installed", "Tracking", "DataVersion", "TenantState", "TenantInfo", "AppInfo",
           "ObjectRow", "Step", "TriggerRun", "Report", "ZERO", "SCOPES", "SYNC_MODES", "valid_tenant_name",
           "EMPTY_GUID"]

ZERO = Version(0, 0, 0, 0)
EMPTY_GUID = "00000000-0000-0000-0000-000000000000"
SCOPES = ("global", "tenant")
SYNC_MODES = ("add", "clean", "development", "forcesync")
_TENANT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")


def valid_tenant_name(name: str) -> bool:
    """Tenant ids: letters, digits, `_` and `-`, at most 63 characters.

    >>> valid_tenant_name("default"), valid_tenant_name("../x")
    (True, False)
    """
    return bool(_TENANT_RE.match(name or ""))


def _frozen_map(value) -> Mapping:
    return MappingProxyType(dict(value))


@attrs.frozen
class PublishedApp:
    """One row of `NAV App` (without its package bytes) and its dependencies."""
    package_id: str
    id: str
    name: str
    publisher: str
    version: Version
    scope: str                       # global | tenant
    tenant: Optional[str]            # the tenant of a tenant-scope (PTE) app
    runtime_package: bool = False
    runtime_platform: Optional[str] = None
    has_source: bool = False
    content_hash: str = ""
    runtime: str = ""
    dependencies: tuple[Dependency, ...] = attrs.field(default=(), converter=tuple)

    @property
    def label(self) -> str:
        """`Name by Publisher Version`, as the platform's messages name an app."""
        return f"{self.name} by {self.publisher} {self.version}"

    @property
    def published_as(self) -> str:
        return "Global" if self.scope == "global" else "PTE"

    def visible_to(self, tenant: Optional[str]) -> bool:
        return self.scope == "global" or (tenant is not None and self.tenant == tenant)


@attrs.frozen
class Installed:
    """A row of the tenant's `NAV App Installed App` (key: app id)."""
    app_id: str
    package_id: str
    name: str
    publisher: str
    version: Version
    content_hash: str
    published_as: str = "Global"

    @property
    def label(self) -> str:
        return f"{self.name} by {self.publisher} {self.version}"

    @classmethod
    def of(cls, app: PublishedApp) -> "Installed":
        return cls(app.id, app.package_id, app.name, app.publisher, app.version, app.content_hash,
                   app.published_as)


@attrs.frozen
class Tracking:
    """A row of `$ndo$navappschematracking`: the version synced on the tenant."""
    app_id: str
    name: str
    publisher: str
    version: Version
    baseline: Optional[Version]
    package_id: str


@attrs.frozen
class DataVersion:
    """A row of `$ndo$navappuninstalledapp`: an uninstalled app's data and its version."""
    app_id: str
    name: str
    publisher: str
    version: Version
    package_id: str


@attrs.frozen
class TenantState:
    """What a tenant database says about its apps (plus its companies)."""
    installed: Mapping[str, Installed] = attrs.field(factory=dict, converter=_frozen_map)
    synced: Mapping[str, Tracking] = attrs.field(factory=dict, converter=_frozen_map)
    data: Mapping[str, DataVersion] = attrs.field(factory=dict, converter=_frozen_map)
    companies: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    def data_version(self, app_id: str) -> Optional[Version]:
        """The version of the app's data on the tenant: installed, or left by an uninstall."""
        if app_id in self.installed:
            return self.installed[app_id].version
        if app_id in self.data:
            return self.data[app_id].version
        return None

    def evolve(self, **changes) -> "TenantState":
        return attrs.evolve(self, **changes)


@attrs.frozen
class TenantInfo:
    tenant: str
    state: str                       # Mounted | Dismounted
    apps: int = 0
    companies: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    def to_json(self) -> dict:
        return {"tenant": self.tenant, "state": self.state, "apps": self.apps, "companies": list(self.companies)}


@attrs.frozen
class AppInfo:
    """One published app version as `info` shows it (``synced`` etc. only with a tenant); with a
    tenant, also an app installed there that is no longer published (``published`` false: the
    stuck state of DEPLOY.md §1.4, where only the installed row describes it)."""
    app: PublishedApp
    tenant: Optional[str] = None
    synced: Optional[bool] = None
    installed: Optional[bool] = None
    data_version: Optional[Version] = None
    published: bool = True

    def to_json(self) -> dict:
        a = self.app
        out = {"id": a.id, "name": a.name, "publisher": a.publisher, "version": str(a.version),
               "package_id": a.package_id, "scope": a.scope, "tenant": a.tenant,
               "runtime_package": a.runtime_package, "has_source": a.has_source}
        if self.tenant is not None:
            out["synced"] = bool(self.synced)
            out["installed"] = bool(self.installed)
            out["data_version"] = str(self.data_version) if self.data_version is not None else None
        if not self.published:
            out["published"] = False
        return out


@attrs.frozen
class ObjectRow:
    """A row of AllObj: the object and the package it comes from."""
    type: str
    id: Optional[int]
    name: str
    app_id: str
    app_package_id: str

    def to_json(self) -> dict:
        return {"type": self.type, "id": self.id, "name": self.name, "app_id": self.app_id,
                "app_package_id": self.app_package_id}


@attrs.frozen
class Step:
    """One thing a command did (or, for a warning, did not need to do)."""
    action: str                      # published, synced, installed, dependency-installed, ...
    app: str                         # the app's label
    message: str

    def to_json(self) -> dict:
        return {"action": self.action, "app": self.app, "message": self.message}


@attrs.frozen
class TriggerRun:
    """An install/upgrade trigger the platform would run, with what ModuleInfo would say."""
    app: str
    codeunit_id: Optional[int]
    codeunit: str
    trigger: str
    company: Optional[str]           # None: a PerDatabase trigger
    app_version: Version
    data_version: Version

    def text(self) -> str:
        where = f"company `{self.company}`" if self.company is not None else "database"
        return (f"{self.app}: codeunit {self.codeunit_id} `{self.codeunit}` {self.trigger} ({where}; "
                f"AppVersion {self.app_version}, DataVersion {self.data_version})")

    def to_json(self) -> dict:
        return {"app": self.app, "codeunit_id": self.codeunit_id, "codeunit": self.codeunit,
                "trigger": self.trigger, "company": self.company, "app_version": str(self.app_version),
                "data_version": str(self.data_version)}


@attrs.frozen
class Report:
    """What a command did, in order: steps, triggers that would run, warnings."""
    steps: tuple[Step, ...] = attrs.field(default=(), converter=tuple)
    triggers: tuple[TriggerRun, ...] = attrs.field(default=(), converter=tuple)
    warnings: tuple[str, ...] = attrs.field(default=(), converter=tuple)

    def __add__(self, other: "Report") -> "Report":
        return Report(self.steps + other.steps, self.triggers + other.triggers, self.warnings + other.warnings)

    def lines(self) -> list[str]:
        out = [f"warning: {w}" for w in self.warnings]
        out += [s.message for s in self.steps]
        out += [f"  would run {t.text()}" for t in self.triggers]
        return out

    def to_json(self) -> dict:
        return {"steps": [s.to_json() for s in self.steps], "triggers": [t.to_json() for t in self.triggers],
                "warnings": list(self.warnings)}
