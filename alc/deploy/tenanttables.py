"""The tenant tables an install or an uninstall fills: `Tenant Permission Set`,
`Tenant Permission` and `NAV App Data Archive`.

Permission sets. Installing an app writes its permission sets (its AL
``permissionset`` objects, and the legacy XML permission sets its package
carries) keyed by (App ID, Role ID); uninstalling it removes them, since an
uninstalled app's permission sets can no longer be assigned (its objects are
gone from the tenant); an upgrade replaces them with the new version's. Role
ID is the set's name as a Code[20] (uppercase, as the platform stores Code
values), Name its caption (Text[30]), Assignable its property (default true).

How far it expands (`Tenant Permission`, Type Include/Exclude):
- a set's own ``Permissions``: Include rows, one per object type and id
  (`*` is id 0, as the platform's "all objects of the type"); rights are the
  platform's options: ` ` (none), `Yes` (uppercase letter), `Indirect`
  (lowercase letter);
- ``IncludedPermissionSets`` are flattened into the set, transitively, as
  Include rows (rights combined: Yes over Indirect over none); the sets are
  looked up by name in the app itself, then in the apps installed on the
  tenant; a snapshot taken at install (the included set's later changes show
  after the app is installed again or upgraded);
- ``ExcludedPermissionSets`` are flattened likewise into Exclude rows; an
  object both included and excluded keeps the Exclude row (the key holds one
  row per object; exclusion takes precedence);
- a ``permissionsetextension`` writes its permissions and its included sets as
  Include rows under the extending app's id and the extended set's Role ID (no
  `Tenant Permission Set` row: the set is another app's), so uninstalling the
  extending app removes exactly what it added.
An object named in a set that the tenant does not have (a platform table, for
example) has no id to key on: it is left out, with a warning.

Data archive. Uninstalling an app records, per table of the app and per
company (one row with an empty company for a table with DataPerCompany =
false), that its data is kept, with the app's version (the data version);
the rows go when the app is installed or upgraded again (its data is in use
again) or its data is removed (Sync-NAVApp -Mode Clean). Only the app's own
tables are listed (the fields its table extensions add stay with the base
table's companion).
"""

from __future__ import annotations

import re
from typing import Optional

import attrs
import sqlalchemy as sa

from . import schema
from .tenantdb import version_values

__all__ = ["TenantRows", "tenant_rows", "write_rows", "parse_rights", "OBJECT_TYPES"]

OBJECT_TYPES = {"tabledata": "TableData", "table": "Table", "report": "Report", "codeunit": "Codeunit",
                "xmlport": "XMLport", "menusuite": "MenuSuite", "page": "Page", "query": "Query", "system": "System"}
"""AL permission kinds -> the `Object Type` options of `Tenant Permission`."""
_XML_TYPES = {0: "TableData", 1: "Table", 3: "Report", 5: "Codeunit", 6: "XMLport", 7: "MenuSuite", 8: "Page",
              9: "Query", 10: "System"}
_RIGHTS = ("Read", "Insert", "Modify", "Delete", "Execute")
_RANK = {" ": 0, "Indirect": 1, "Yes": 2}
_SQL_ILLEGAL = re.compile(r'[."\\/\'%\]\[]')


def parse_rights(text: str) -> tuple[str, ...]:
    """`RIMDX` letters to the five options: uppercase Yes, lowercase Indirect.

    >>> parse_rights("Rimd")
    ('Yes', 'Indirect', 'Indirect', 'Indirect', ' ')
    """
    return tuple("Yes" if letter in text else "Indirect" if letter.lower() in text else " " for letter in "RIMDX")


def _combine(a: tuple, b: tuple) -> tuple:
    return tuple(x if _RANK[x] >= _RANK[y] else y for x, y in zip(a, b))


@attrs.frozen
class TenantRows:
    """What to write for the apps whose installed package changed: their permission sets
    (app id -> (set rows, permission rows)), the archive rows of apps uninstalled, and
    the app ids whose archive rows go."""
    apps: tuple = ()                 # app ids whose permission rows are replaced
    sets: tuple = ()
    permissions: tuple = ()
    archive_drop: tuple = ()
    archive: tuple = ()
    warnings: tuple = ()


def tenant_rows(server, old, new) -> TenantRows:
    """The rows for a change of a tenant's state from ``old`` to ``new`` (read, not written)."""
    changed = sorted(a for a in set(old.installed) | set(new.installed)
                     if getattr(old.installed.get(a), "package_id", None)
                     != getattr(new.installed.get(a), "package_id", None))
    sets, perms, warnings = [], [], []
    resolver = _Resolver(server, [i.package_id for i in new.installed.values()])
    for app_id in changed:
        inst = new.installed.get(app_id)
        if inst is not None:
            s, p, w = _app_permissions(resolver, app_id, inst.package_id, inst.label)
            sets += s
            perms += p
            warnings += w
    # The data is in use again (installed, upgraded) or gone (Sync-NAVApp -Mode Clean).
    drop = sorted(a for a in set(old.data) | set(new.installed)
                  if (a in new.installed and a not in old.installed) or (a in old.data and a not in new.data))
    archive = []
    for app_id in changed:
        before = old.installed.get(app_id)
        if before is not None and app_id not in new.installed and app_id in new.data:
            archive += _archive_rows(server, before, new.companies)
    return TenantRows(tuple(changed), tuple(sets), tuple(perms), tuple(drop), tuple(archive), tuple(warnings))


def write_rows(conn, rows: TenantRows) -> None:
    """Replace the permission rows of the changed apps (`NAV App Data Archive` is
    :mod:`alc.deploy.archive`'s, written in the same transaction)."""
    ps, p = schema.permission_set, schema.permission
    for app_id in rows.apps:
        conn.execute(sa.delete(p).where(p.c["App ID"] == app_id))
        conn.execute(sa.delete(ps).where(ps.c["App ID"] == app_id))
    if rows.sets:
        conn.execute(sa.insert(ps), list(rows.sets))
    if rows.permissions:
        conn.execute(sa.insert(p), list(rows.permissions))


# ------------------------------------------------------------ permissions --

@attrs.frozen
class _Set:
    kind: str                        # permissionset | permissionsetextension | xml
    name: str
    caption: str
    assignable: bool
    permissions: tuple               # (kind, target, rights) AL; (type option, id, rights, filter) XML
    included: tuple = ()
    excluded: tuple = ()
    target: Optional[str] = None


def _values(obj, name: str) -> tuple:
    prop = obj.get_property(name)
    items = getattr(prop.value, "items", ()) if prop is not None else ()
    return tuple(str(getattr(i, "value", i)) for i in items)


def _al_set(obj) -> _Set:
    prop = obj.get_property("Permissions")
    perms = tuple((p.kind.lower(), p.target, p.rights) for p in getattr(prop.value, "permissions", ())) \
        if prop is not None else ()
    caption = _values(obj, "Caption")
    assignable = _values(obj, "Assignable")
    return _Set(obj.kind, obj.name, caption[0] if caption else obj.name,
                not assignable or assignable[0].casefold() not in ("false", "0"), perms,
                _values(obj, "IncludedPermissionSets"), _values(obj, "ExcludedPermissionSets"),
                getattr(obj, "target", None))


def _xml_sets(data: bytes) -> list[_Set]:
    import defusedxml.ElementTree as SafeET
    out = []
    for ps in SafeET.fromstring(data).iter():
        if ps.tag.rsplit("}", 1)[-1] != "PermissionSet":
            continue
        perms = []
        for p in ps:
            fields = {c.tag.rsplit("}", 1)[-1]: (c.text or "").strip() for c in p}
            try:
                kind, ident = _XML_TYPES[int(fields.get("ObjectType", ""))], int(fields.get("ObjectID", ""))
            except (KeyError, ValueError):
                continue
            rights = tuple({"1": "Yes", "2": "Indirect"}.get(fields.get(f"{r}Permission", "0"), " ") for r in _RIGHTS)
            perms.append((kind, ident, rights, fields.get("SecurityFilter", "")))
        role = ps.get("RoleID") or ""
        out.append(_Set("xml", role, ps.get("RoleName") or role, True, tuple(perms)))
    return out


class _Resolver:
    """Permission sets and object ids of the packages installed on the tenant, read when asked."""

    def __init__(self, server, package_ids: list):
        self.server = server
        self.packages = sorted(set(package_ids))
        self._sets: dict = {}
        self._all: Optional[dict] = None
        self._ids: dict = {}

    def sets(self, package_id: str) -> list[_Set]:
        found = self._sets.get(package_id)
        if found is None:
            from ..ir.serialize import loads
            m, r = schema.object_metadata, schema.resource
            rows = self.server.source._rows(sa.select(m.c.Metadata).where(
                m.c["Package ID"] == package_id, m.c["Object Type"].in_(("permissionset", "permissionsetextension"))))
            found = [_al_set(loads(bytes(d).decode("utf-8"), "<metadata>")) for (d,) in rows if d is not None]
            for (data,) in self.server.source._rows(sa.select(r.c.Content).where(
                    r.c["Package ID"] == package_id, r.c.Type == "PermissionSet").order_by(r.c.Name)):
                found += _xml_sets(bytes(data))
            self._sets[package_id] = found
        return found

    def by_name(self, name: str, own: str) -> Optional[_Set]:
        """A permission set named ``name``: the app's own first, then the installed apps'."""
        key = name.casefold()
        for s in self.sets(own):
            if s.kind == "permissionset" and s.name.casefold() == key:
                return s
        if self._all is None:
            self._all = {}
            for pid in self.packages:
                for s in self.sets(pid):
                    if s.kind == "permissionset":
                        self._all.setdefault(s.name.casefold(), s)
        return self._all.get(key)

    def object_ids(self, wanted: set) -> dict:
        """(kind, folded name) -> (id, name) of objects of the installed packages."""
        todo = {w for w in wanted if w not in self._ids}
        for kind in sorted({k for k, _ in todo}):
            names = sorted(n for k, n in todo if k == kind)
            m = schema.object_metadata
            for i in range(0, len(names), 300):
                for ident, name in self.server.source._rows(
                        sa.select(m.c["Object ID"], m.c["Object Name"]).where(
                            m.c["Package ID"].in_(self.packages), m.c["Object Type"] == kind,
                            sa.func.lower(m.c["Object Name"]).in_(names[i:i + 300]))):
                    self._ids.setdefault((kind, name.casefold()), (ident, name))
        for w in todo:
            self._ids.setdefault(w, None)
        return self._ids


def _lookup_kind(kind: str) -> str:
    return "table" if kind == "tabledata" else kind


def _expand(resolver: _Resolver, s: _Set, own: str, seen: frozenset) -> list:
    """(kind, target, rights) of a set and, transitively, of the sets it includes."""
    out = [(k, t, parse_rights(r)) for k, t, r in s.permissions] if s.kind != "xml" else \
        [(k, i, r) for k, i, r, _f in s.permissions]
    for name in s.included:
        other = resolver.by_name(name, own)
        if other is not None and other.name.casefold() not in seen:
            out += _expand(resolver, other, own, seen | {other.name.casefold()})
    return out


def _keyed(resolver: _Resolver, entries: list, label: str, role: str, warnings: dict) -> dict:
    """(type option, id) -> (object name, rights), rights combined."""
    named = {(_lookup_kind(k), str(t).casefold()) for k, t, _ in entries
             if isinstance(t, str) and t != "*" and not t.isdigit()}
    ids = resolver.object_ids(named) if named else {}
    out: dict = {}
    for kind, target, rights in entries:
        option = OBJECT_TYPES.get(kind, kind)
        if option not in OBJECT_TYPES.values():
            warnings.setdefault((kind, None), f"{label}: permission set {role}: `{kind}` is not a permission object "
                                "type; left out")
            continue
        if isinstance(target, int) or target.isdigit():
            ident, name = int(target), ""
        elif target == "*":
            ident, name = 0, ""
        else:
            found = ids.get((_lookup_kind(kind), target.casefold()))
            if found is None:
                warnings.setdefault((kind, target.casefold()), f"{label}: {kind} `{target}` (permission set {role}) "
                                    "is not an object of the tenant; its permissions are left out")
                continue
            ident, name = found
        key = (option, ident)
        if key in out:
            out[key] = (out[key][0] or name, _combine(out[key][1], rights))
        else:
            out[key] = (name, rights)
    return out


def _role(name: str) -> str:
    return name[:20].upper()


def _app_permissions(resolver: _Resolver, app_id: str, package_id: str, label: str) -> tuple:
    sets, perms, warnings = {}, {}, {}
    for s in resolver.sets(package_id):
        if s.kind == "permissionsetextension":
            target = resolver.by_name(s.target or "", package_id)
            role = _role(target.name if target is not None else (s.target or s.name))
            role_name = (target.caption if target is not None else (s.target or s.name))[:30]
            excluded: list = []
        else:
            role, role_name = _role(s.name), s.caption[:30]
            sets[role] = {"App ID": app_id, "Role ID": role, "Name": role_name, "Assignable": s.assignable}
            excluded = []
            for name in s.excluded:
                other = resolver.by_name(name, package_id)
                if other is not None:
                    excluded += _expand(resolver, other, package_id, frozenset({other.name.casefold()}))
        include = _keyed(resolver, _expand(resolver, s, package_id, frozenset({s.name.casefold()})), label, role,
                         warnings)
        exclude = _keyed(resolver, excluded, label, role, warnings)
        filters = {(k, i): f for k, i, _r, f in s.permissions} if s.kind == "xml" else {}
        for kind_type, rows in (("Include", include), ("Exclude", exclude)):
            for (option, ident), (name, rights) in rows.items():
                key = (role, option, ident)
                if kind_type == "Include" and key in perms and perms[key]["Type"] == "Include":
                    rights = _combine(rights, tuple(perms[key][f"{r} Permission"] for r in _RIGHTS))
                perms[key] = {"App ID": app_id, "Role ID": role, "Object Type": option, "Object ID": ident,
                              "Role Name": role_name, "Object Name": name,
                              **{f"{r} Permission": v for r, v in zip(_RIGHTS, rights)},
                              "Security Filter": filters.get((option, ident), ""), "Type": kind_type}
    return list(sets.values()), [perms[k] for k in sorted(perms)], list(warnings.values())


# ------------------------------------------------------------ data archive --

def _sql_name(text: str) -> str:
    return _SQL_ILLEGAL.sub("_", text)


def _archive_rows(server, inst, companies) -> list:
    """One row per table of the uninstalled app and company (one with no company for a
    table whose DataPerCompany is false); none when the package is no longer published."""
    m = schema.object_metadata
    rows = server.source._rows(sa.select(m.c["Object ID"], m.c["Object Name"], m.c.Metadata).where(
        m.c["Package ID"] == inst.package_id, m.c["Object Type"] == "table"))
    out = []
    for ident, name, data in sorted(rows, key=lambda r: r[0]):
        per_company = data is None or b"DataPerCompany" not in bytes(data) or _per_company(bytes(data))
        for company in (companies if per_company else ("",)):
            prefix = f"{_sql_name(company)}$" if company else ""
            out.append({"App ID": inst.app_id, "Table ID": ident, "Company Name": company,
                        **version_values(inst.version),
                        "Archive Table Name": f"{prefix}{_sql_name(name)}${inst.app_id}"[:128], "Metadata": None,
                        "Table Blob Version": 0})
    return out


def _per_company(data: bytes) -> bool:
    from ..ir.serialize import loads
    obj = loads(data.decode("utf-8"), "<metadata>")
    values = _values(obj, "DataPerCompany")
    return not values or values[0].casefold() not in ("false", "0")
