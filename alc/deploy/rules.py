"""The lifecycle rules on one tenant, as pure functions.

Each takes the catalog, the tenant's state and the command's arguments and
returns the new state and a Report, or raises DeployError (a refusal: the
caller writes nothing). What needs package content (the merge engine's
conflict check, prerequisites, install and upgrade codeunits) comes from an
:class:`Env` the server supplies. Messages follow the platform's texts
(DEPLOY.md §1.2).
"""

from __future__ import annotations

from typing import Protocol, Sequence

from ..appmodel import Version
from .catalog import Catalog
from .errors import DeployError
from .model import (ZERO, DataVersion, Installed, PublishedApp, Report, Step, TenantState, Tracking, TriggerRun)

__all__ = ["Env", "install", "upgrade", "uninstall", "sync_app", "sync_clean", "install_triggers",
           "upgrade_triggers", "dependents_installed"]

UPGRADE_PHASES = ("OnCheckPreconditions", "OnUpgrade", "OnValidateUpgrade")


class Env(Protocol):
    def check_merge(self, apps: Sequence[PublishedApp], new: Sequence[PublishedApp], policy: str) -> list[str]:
        """Merge ``apps`` (all installed afterwards); refuse (DeployError) on a conflict
        involving one of ``new`` under strict; the override warnings under last-wins."""

    def codeunits(self, app: PublishedApp) -> tuple:
        """The app's Install and Upgrade codeunits (CodeunitInfo)."""


# ----------------------------------------------------------------- install --

def _check_versions(app: PublishedApp, state: TenantState, tenant: str) -> None:
    """One version per tenant: another installed version, or data of another version, refuses."""
    current = state.installed.get(app.id)
    data = state.data.get(app.id)
    other = current.version if current is not None else (data.version if data is not None else None)
    if other is None or other == app.version:
        return
    if other < app.version:
        raise DeployError(
            "ALC0512", f"Cannot install the extension {app.label} for the tenant {tenant} because an earlier version "
            f"was already installed. Run Start-NAVAppDataUpgrade to upgrade the extension.",
            notes=(f"the tenant has {'installed' if current is not None else 'data of'} version {other}",),
            help=f"alc server upgrade \"{app.name}\" --version {app.version} --tenant {tenant}")
    raise DeployError("ALC0512", f"Cannot install the extension {app.label} because the tenant {tenant} already uses "
                      f"a different version of it.",
                      notes=(f"the tenant has {'installed' if current is not None else 'data of'} version {other}",))


def _unsatisfied(app: PublishedApp, missing: list, verb: str = "install") -> DeployError:
    names = ", ".join(f"{d.name} by {d.publisher} {d.version}" for d in missing)
    return DeployError("ALC0510", f"Cannot {verb} the extension '{app.label}' because one or more dependencies could "
                       f"not be satisfied. Unsatisfied dependencies: {names}")


def _plan(cat: Catalog, state: TenantState, tenant: str, app: PublishedApp, dependencies: bool) -> list:
    """The apps to install, dependencies first; each dependency the best published version."""
    planned: dict = {}
    order: list = []

    def visit(a: PublishedApp, chain: tuple) -> None:
        if a.id in planned:
            return
        planned[a.id] = a
        for dep in a.dependencies:
            present = state.installed.get(dep.id) or planned.get(dep.id)
            if present is not None:
                if present.version < dep.version:
                    raise _unsatisfied(a, [dep])
                continue
            if not dependencies:
                raise DeployError("ALC0514", f"Cannot install the extension {a.label} because its dependency "
                                  f"{dep.name} by {dep.publisher} {dep.version} is not installed on the tenant "
                                  f"{tenant}", help="install the dependency first, or leave out --no-dependencies")
            best = cat.best(dep, tenant)
            if best is None:
                raise _unsatisfied(a, [dep])
            _check_versions(best, state, tenant)
            visit(best, chain + (a.id,))
        order.append(a)

    visit(app, ())
    return order


def _synced_for_install(state: TenantState, app: PublishedApp, synced: dict, steps: list) -> None:
    """Sync in Add mode when the tenant has not synced this version."""
    current = synced.get(app.id)
    if current is not None and current.version == app.version:
        return
    baseline = current.version if current is not None else None
    synced[app.id] = Tracking(app.id, app.name, app.publisher, app.version, baseline, app.package_id)
    steps.append(Step("synced", app.label, f"Synchronized {app.label} (mode Add)"))


def install(env: Env, cat: Catalog, tenant: str, state: TenantState, app: PublishedApp, *,
            dependencies: bool = True, policy: str = "strict") -> tuple[TenantState, Report]:
    """Install-NAVApp: dependencies first (each reported), Add-mode sync when needed,
    prerequisites and the merge engine's conflict check against what is installed."""
    current = state.installed.get(app.id)
    if current is not None and current.version == app.version:
        return state, Report(warnings=(f"Cannot install extension {app.label} for the tenant {tenant} because it is "
                                       "already installed.",))
    _check_versions(app, state, tenant)
    plan = _plan(cat, state, tenant, app, dependencies)
    installed = dict(state.installed)
    synced = dict(state.synced)
    data = dict(state.data)
    steps: list = []
    triggers: list = []
    for a in plan:
        _synced_for_install(state, a, synced, steps)
        data_version = a.version if a.id in data else ZERO
        data.pop(a.id, None)
        installed[a.id] = Installed.of(a)
        if a is app:
            steps.append(Step("installed", a.label, f"Installed {a.label} on tenant {tenant}"))
        else:
            steps.append(Step("dependency-installed", a.label,
                              f"Dependent extension installed successfully: {a.label} (needed by {app.name})"))
        triggers.extend(install_triggers(env, a, state.companies, data_version))
    final = [cat.by_package[i.package_id] for i in installed.values() if i.package_id in cat.by_package]
    warnings = env.check_merge(final, plan, policy)
    new = state.evolve(installed=installed, synced=synced, data=data)
    return new, Report(steps, triggers, warnings)


def install_triggers(env: Env, app: PublishedApp, companies: Sequence[str], data_version: Version) -> list:
    """OnInstallAppPerCompany for each company, then OnInstallAppPerDatabase, of each Install codeunit."""
    units = [c for c in env.codeunits(app) if c.subtype == "Install"]
    out = []
    for company in companies:
        for c in units:
            if _declares(c, "OnInstallAppPerCompany"):
                out.append(TriggerRun(app.label, c.id, c.name, "OnInstallAppPerCompany", company, app.version,
                                      data_version))
    for c in units:
        if _declares(c, "OnInstallAppPerDatabase"):
            out.append(TriggerRun(app.label, c.id, c.name, "OnInstallAppPerDatabase", None, app.version, data_version))
    return out


def _declares(codeunit, trigger: str) -> bool:
    return any(t.casefold() == trigger.casefold() for t in codeunit.triggers)


# ----------------------------------------------------------------- upgrade --

def upgrade(env: Env, cat: Catalog, tenant: str, state: TenantState, app: PublishedApp, *,
            policy: str = "strict") -> tuple[TenantState, Report]:
    """Start-NAVAppDataUpgrade: a version strictly newer than the installed (or data)
    version, its dependencies installed; the old version stays published."""
    current = state.data_version(app.id)
    if current is None:
        raise DeployError("ALC0520", f"Cannot upgrade the extension '{app.label}' because no previous version was "
                          "found.", help=f"install it: alc server install \"{app.name}\" --tenant {tenant}")
    if app.version <= current:
        raise DeployError("ALC0521", f"Cannot upgrade the extension '{app.label}' because its version must be newer "
                          f"than the current version. The current version is '{current}'")
    missing = [d for d in app.dependencies
               if d.id not in state.installed or state.installed[d.id].version < d.version]
    if missing:
        raise DeployError("ALC0522", _unsatisfied(app, missing, "upgrade").message)
    installed = dict(state.installed)
    synced = dict(state.synced)
    data = dict(state.data)
    steps: list = []
    _synced_for_install(state, app, synced, steps)
    was_installed = app.id in installed
    installed[app.id] = Installed.of(app)
    data.pop(app.id, None)
    final = [cat.by_package[i.package_id] for i in installed.values() if i.package_id in cat.by_package]
    warnings = env.check_merge(final, [app], policy)
    steps.append(Step("upgraded", app.label, f"Upgraded {app.name} by {app.publisher} from {current} to "
                      f"{app.version} on tenant {tenant}" + ("" if was_installed else " (it was not installed)")))
    triggers = upgrade_triggers(env, app, state.companies, current)
    return state.evolve(installed=installed, synced=synced, data=data), Report(steps, triggers, warnings)


def upgrade_triggers(env: Env, app: PublishedApp, companies: Sequence[str], data_version: Version) -> list:
    """CheckPreconditions, Upgrade, Validate; in each phase PerCompany for every company, then PerDatabase."""
    units = [c for c in env.codeunits(app) if c.subtype == "Upgrade"]
    out = []
    for phase in UPGRADE_PHASES:
        for company in companies:
            for c in units:
                if _declares(c, phase + "PerCompany"):
                    out.append(TriggerRun(app.label, c.id, c.name, phase + "PerCompany", company, app.version,
                                          data_version))
        for c in units:
            if _declares(c, phase + "PerDatabase"):
                out.append(TriggerRun(app.label, c.id, c.name, phase + "PerDatabase", None, app.version, data_version))
    return out


# --------------------------------------------------------------- uninstall --

def _dependencies_of(cat: Catalog, rows) -> dict:
    """App id -> the ids of the apps it depends on, for installed or synced ``rows`` (by their package)."""
    deps_of = {}
    for row in rows:
        published = cat.by_package.get(row.package_id)
        deps_of[row.app_id] = {d.id for d in published.dependencies} if published is not None else set()
    return deps_of


def dependents_installed(cat: Catalog, state: TenantState, app_id: str) -> list[Installed]:
    """Installed apps that depend on ``app_id``, directly or not, dependents of dependents first."""
    deps_of = _dependencies_of(cat, state.installed.values())
    found: list = []

    def visit(target: str) -> None:
        for other, deps in sorted(deps_of.items()):
            if target in deps and other not in [f.app_id for f in found] and other != app_id:
                visit(other)
                if other not in [f.app_id for f in found]:
                    found.append(state.installed[other])

    visit(app_id)
    return found


def uninstall(cat: Catalog, tenant: str, state: TenantState, app_id: str, label: str, *,
              force: bool = False, save_data: bool = True,
              clear_schema: bool = False) -> tuple[TenantState, Report]:
    """Uninstall-NAVApp: keeps the data (its version stays as the data version);
    refused while installed apps depend on it, unless ``force``, which uninstalls them first.
    ``save_data=False`` (-DoNotSaveData) forgets the data (the rows go, the schema stays);
    ``clear_schema`` (-ClearSchema) forgets the schema of the app and of every synced app
    that depends on it (their tables are dropped)."""
    current = state.installed.get(app_id)
    if current is None:
        raise DeployError("ALC0516", f"The extension {label} is not installed on the tenant {tenant}.")
    dependents = dependents_installed(cat, state, app_id)
    if dependents and not force:
        names = ", ".join(d.label for d in dependents)
        raise DeployError("ALC0515", f"The extension {current.label} is a dependency for one or more extensions: "
                          f"{names}. Uninstall them first.",
                          help="--force uninstalls the extension and all of its dependents")
    installed = dict(state.installed)
    data = dict(state.data)
    steps = []
    for d in dependents + [current]:
        del installed[d.app_id]
        data[d.app_id] = DataVersion(d.app_id, d.name, d.publisher, d.version, d.package_id)
        if d is current:
            steps.append(Step("uninstalled", d.label, f"Uninstalled {d.label} from tenant {tenant} (its data is kept; "
                              "no code runs on uninstall)"))
        else:
            steps.append(Step("dependent-uninstalled", d.label,
                              f"Dependent extension un-installed successfully: {d.label}"))
    synced = dict(state.synced)
    if not save_data or clear_schema:
        for d in dependents + [current]:
            data.pop(d.app_id, None)
    if clear_schema:
        cleaned = [app_id] + [a for a in _synced_dependents(cat, state, app_id) if a != app_id]
        for a in cleaned:
            t = synced.pop(a, None)
            data.pop(a, None)
            if t is not None:
                steps.append(Step("cleaned", f"{t.name} by {t.publisher} {t.version}",
                                  f"Removed the schema and data of {t.name} by {t.publisher} from tenant {tenant} "
                                  "(--clear-schema" + (f", it depends on {current.name})" if a != app_id else ")")))
    elif not save_data:
        steps.append(Step("data-deleted", current.label, f"Deleted the data of {current.label} (--do-not-save-data; "
                          "its tables stay)"))
    return state.evolve(installed=installed, data=data, synced=synced), Report(steps)


def _synced_dependents(cat: Catalog, state: TenantState, app_id: str) -> list[str]:
    """The synced apps that depend on ``app_id``, directly or not (by their synced package)."""
    deps_of = _dependencies_of(cat, state.synced.values())
    found: list = []
    todo = [app_id]
    while todo:
        target = todo.pop()
        for other, deps in sorted(deps_of.items()):
            if target in deps and other not in found:
                found.append(other)
                todo.append(other)
    return found


# -------------------------------------------------------------------- sync --

def sync_app(cat: Catalog, tenant: str, state: TenantState, app: PublishedApp, mode: str) -> tuple[TenantState, Report]:
    """Sync-NAVApp in Add, Development or ForceSync mode: records the synced version
    (the schema work is the next issue's)."""
    if mode == "development":
        versions = cat.versions(app.id, tenant)
        if len(versions) != 1:
            raise DeployError("ALC0532", f"Cannot synchronize the extension {app.label} in Development mode because "
                              f"{len(versions)} versions of it are published; to run this mode, only one version of "
                              "the app can be published.")
    if mode == "forcesync" and app.id in state.installed:
        raise DeployError("ALC0533", f"Cannot synchronize the extension {app.label} in ForceSync mode because it is "
                          f"installed on the tenant {tenant}; to use this mode, the app must first be uninstalled "
                          "from the tenant.")
    missing = [d for d in app.dependencies if d.id not in state.synced or state.synced[d.id].version < d.version]
    if missing:
        names = ", ".join(f"{d.name} by {d.publisher} {d.version}" for d in missing)
        raise DeployError("ALC0530", f"Cannot synchronize the extension {app.label} because no synchronized extension "
                          f"could be found to satisfy the dependency definition: {names}",
                          help="sync (or install) the dependencies first")
    current = state.synced.get(app.id)
    if current is not None and current.version == app.version and mode == "add":
        return state, Report((Step("synced", app.label, f"{app.label} is already synchronized (mode Add)"),))
    baseline = current.version if current is not None and current.version != app.version else (
        current.baseline if current is not None else None)
    synced = dict(state.synced)
    synced[app.id] = Tracking(app.id, app.name, app.publisher, app.version, baseline, app.package_id)
    word = {"add": "Add", "development": "Development", "forcesync": "ForceSync"}[mode]
    return state.evolve(synced=synced), Report((Step("synced", app.label, f"Synchronized {app.label} (mode {word})"),))


def sync_clean(tenant: str, state: TenantState, app_id: str, label: str) -> tuple[TenantState, Report]:
    """Sync-NAVApp -Mode Clean: forgets every version's schema and data; refused while installed."""
    current = state.installed.get(app_id)
    if current is not None:
        raise DeployError("ALC0531", f"Cannot synchronize the extension {label} in Clean mode because version "
                          f"{current.version} is installed on the tenant {tenant}; uninstall it first.")
    if app_id not in state.synced and app_id not in state.data:
        return state, Report(warnings=(f"The extension '{label}' is not synchronized.",))
    synced = {k: v for k, v in state.synced.items() if k != app_id}
    data = {k: v for k, v in state.data.items() if k != app_id}
    return state.evolve(synced=synced, data=data), Report(
        (Step("cleaned", label, f"Removed the schema and data of every version of {label} from tenant {tenant} "
              "(mode Clean)"),))
