"""The install check: prerequisites, then the merge engine over everything the tenant
will run, against the apps already installed there.

Under `strict` a conflict that involves an app being installed refuses the
install, naming both apps, the element and both values; under `last-wins`
each override is a warning. Conflicts among apps already installed (for
instance installed under `last-wins`) do not block.
"""

from __future__ import annotations

from typing import Sequence

from ..merge import merge
from ..package.errors import PackageError
from .errors import DeployError, DeployUsageError
from .model import PublishedApp

__all__ = ["check_install"]

MAX_NOTES = 20
_PREREQ_KIND = {"tabledata": "table"}


def _prerequisite_rows(server, new: Sequence[PublishedApp]) -> dict:
    """package id -> the (Type, Name, ID) rows of `NAV App Object Prerequisites`."""
    import sqlalchemy as sa
    from . import schema
    p = schema.prerequisites
    return {a.package_id: server.source._rows(sa.select(p.c.Type, p.c.Name, p.c.ID)
                                              .where(p.c["Package ID"] == a.package_id)) for a in new}


def _prerequisites(tenant: str, apps: list, new: Sequence[PublishedApp], rows: dict) -> None:
    """Every object a new package lists as a prerequisite exists among ``apps``."""
    if not any(rows[a.package_id] for a in new):
        return
    from ..semantic.model import fold  # here: the semantic model loads the symbol model, which installs need not
    names: set = set()
    ids: set = set()
    for app in apps:
        for o in app.objects:
            if o.name is not None:
                names.add((o.kind, fold(o.name)))
                if getattr(o, "namespace", None):
                    names.add((o.kind, fold(f"{o.namespace}.{o.name}")))
            if getattr(o, "id", None) is not None:
                ids.add((o.kind, o.id))
    for a in new:
        missing = []
        for object_type, name, ident in sorted(rows[a.package_id], key=lambda r: (r[0], r[1])):
            kind = object_type.lower()
            kind = _PREREQ_KIND.get(kind, kind)
            if (kind, fold(name)) in names or (ident is not None and (kind, ident) in ids):
                continue
            missing.append(f"{object_type} '{name}'" + (f" ({ident})" if ident is not None else ""))
        if missing:
            raise DeployError("ALC0513", f"Cannot install the extension {a.label} on the tenant {tenant} because the "
                              f"following objects it needs are missing on the tenant: {', '.join(missing)}",
                              help="install the app that declares them first")


def _prefetch(server, apps: Sequence[PublishedApp], merge_apps: list) -> None:
    """Read the metadata of the objects the extension objects extend, one query per package
    (the merge decodes exactly those; without this, one query each)."""
    from ..merge.deltas import TARGET_KINDS
    from ..merge.model import ObjectStub
    wanted = {(TARGET_KINDS[o.kind], o.target.casefold()) for app in merge_apps for o in app.objects
              if o.kind in TARGET_KINDS and getattr(o, "target", None)}
    if not wanted:
        return
    for published, app in zip(apps, merge_apps):
        keys = [(o.kind, o.id or 0, o.name or "") for o in app.objects if type(o) is ObjectStub and o.name
                and ((o.kind, o.full_name.casefold()) in wanted or (o.kind, o.name.casefold()) in wanted)]
        if keys:
            server.source.prefetch(published.package_id, keys)


def _conflict_message(c, new_ids: set, tenant: str, labels: dict) -> str:
    mine = [r for r in c.apps if r.id in new_ids]
    others = [r for r in c.apps if r.id not in new_ids]
    subject = labels.get(mine[0].id, mine[0].name) if mine else "the extension"
    where = f"{c.object}: " if c.object is not None and str(c.object) not in c.message else ""
    if others:
        return (f"Cannot install the extension {subject} on the tenant {tenant} because it conflicts with "
                f"{labels.get(others[0].id, others[0].name)}: {where}{c.message}")
    return f"Cannot install the extension {subject} on the tenant {tenant}: {where}{c.message}"


def check_install(server, tenant: str, apps: Sequence[PublishedApp], new: Sequence[PublishedApp],
                  policy: str) -> list[str]:
    """Refuse (ALC0511/ALC0513) or return the override warnings of ``new`` among ``apps``."""
    try:
        rows = _prerequisite_rows(server, new)
        if len(apps) == 1 and not apps[0].dependencies and not any(rows.values()):
            return []  # one app alone on the tenant: nothing to conflict with (its own objects compiled together)
        merge_apps = [server.cache.app(a.package_id, server.source) for a in apps]
        _prerequisites(tenant, merge_apps, new, rows)
        _prefetch(server, apps, merge_apps)
        result = merge(merge_apps, policy=policy)
        new_ids = {a.id for a in new}
        labels = {a.id: a.label for a in apps}
        blocking = [c for c in result.conflicts if any(r.id in new_ids for r in c.apps)]
        if blocking:
            first = _conflict_message(blocking[0], new_ids, tenant, labels)
            more = len(blocking) - 1
            notes = [f"{c.code}: {c.object}: {c.message}" if c.object is not None else f"{c.code}: {c.message}"
                     for c in blocking[1:MAX_NOTES + 1]]
            raise DeployError("ALC0511", first + (f" (and {more} more conflicts)" if more else ""),
                              notes=[f"merge conflict {blocking[0].code}"] + notes,
                              help="uninstall the conflicting extension first, or install with --policy last-wins")
        return [f"{c.object}: {c.message}" if c.object is not None else c.message
                for c in result.warnings if any(r.id in new_ids for r in c.apps)]
    except PackageError as exc:
        raise DeployUsageError(f"a published package is damaged: {exc}") from None
