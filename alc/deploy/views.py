"""What a tenant runs: AllObj, a merged object, and the permission sets of an app.

AllObj lists the objects of the packages installed on the tenant, from
`NAV App Object Metadata` joined with `NAV App Tenant App`, each with its
`App Package ID`. ``merged`` folds the installed extensions onto the object
(the merge engine, with provenance). ``permissions`` writes an app's
permission sets in the XML of Export-NAVAppPermissionSet.
"""

from __future__ import annotations

from typing import Optional
from xml.sax.saxutils import quoteattr

import sqlalchemy as sa

from . import schema
from .catalog import parse_version
from .errors import DeployUsageError
from .model import ObjectRow

__all__ = ["allobj", "merged", "permissions_xml", "object_spec", "TYPE_ORDER"]

TYPE_ORDER = ("table", "report", "codeunit", "xmlport", "menusuite", "page", "query", "pageextension",
              "tableextension", "enum", "enumextension", "profile", "profileextension", "permissionset",
              "permissionsetextension", "reportextension")
"""AllObj's `Object Type` order (TableData, Table, Report, Codeunit, XMLport, MenuSuite, Page, Query, ...,
PageExtension, TableExtension, Enum, EnumExtension, Profile, ProfileExtension, PermissionSet,
PermissionSetExtension, ReportExtension); other kinds follow by name."""

# Export-NAVAppPermissionSet / the legacy XML permission set: `ObjectType` numbers.
_XML_TYPES = {"tabledata": 0, "table": 1, "report": 3, "codeunit": 5, "xmlport": 6, "menusuite": 7, "page": 8,
              "query": 9, "system": 10}


def _order(kind: str) -> tuple:
    return (TYPE_ORDER.index(kind), "") if kind in TYPE_ORDER else (len(TYPE_ORDER), kind)


def allobj(server, tenant: str) -> list[ObjectRow]:
    row = server._mounted(tenant)
    m, ta = schema.object_metadata, schema.tenant_app
    query = (sa.select(m.c["Object Type"], m.c["Object ID"], m.c["Object Name"], ta.c["App ID"], m.c["Package ID"])
             .join(ta, ta.c["Package ID"] == m.c["Package ID"]).where(ta.c["Tenant ID"] == row.tenant))
    with server.store.begin(False) as conn:
        rows = conn.execute(query).all()
    out = [ObjectRow(kind, ident or None if kind in _NO_ID else ident, name, app_id, package_id)
           for kind, ident, name, app_id, package_id in rows]
    return sorted(out, key=lambda o: (_order(o.type), o.id if o.id is not None else -1, o.name.casefold()))


_NO_ID = frozenset(("interface", "profile", "profileextension", "controladdin", "entitlement", "pagecustomization",
                    "dotnet"))


def object_spec(text: str) -> tuple:
    """`page:21` -> ('page', 21); `page:"Customer Card"` -> ('page', 'Customer Card').

    >>> object_spec('table:"Demo Customer"'), object_spec("page:50000")
    (('table', 'Demo Customer'), ('page', 50000))
    """
    kind, sep, ident = text.partition(":")
    if not sep or not kind.strip() or not ident.strip():
        raise DeployUsageError(f"OBJECT must be KIND:ID or KIND:NAME, got `{text}`")
    ident = ident.strip()
    if ident.isdigit():
        return kind.strip().lower(), int(ident)
    if len(ident) >= 2 and ident[0] == ident[-1] and ident[0] in "\"'":
        ident = ident[1:-1]
    return kind.strip().lower(), ident


def merged(server, spec: str, tenant: str, fmt: str = "al"):
    """The object as the tenant sees it: AL with provenance comments, or its JSON."""
    from ..merge import merge, merged_json, render_merged
    from ..package.errors import PackageError
    kind, ident = object_spec(spec)
    row = server._mounted(tenant)
    catalog, state, _ = server._read_tenant(row)
    apps = [catalog.by_package[i.package_id] for i in state.installed.values() if i.package_id in catalog.by_package]
    try:
        result = merge([server.cache.app(a.package_id, server.source) for a in apps], policy="last-wins")
        obj = result.find(kind, ident)
    except PackageError as exc:
        raise DeployUsageError(f"a published package is damaged: {exc}") from None
    if obj is None:
        raise DeployUsageError(f"no {kind} `{ident}` on tenant {tenant}")
    return merged_json(obj, result.provenance) if fmt == "json" else render_merged(obj, result.provenance)


def _rights(text: str) -> dict:
    """`RIMD`, `rimdx`: uppercase is direct (1, Yes), lowercase indirect (2, Indirect)."""
    out = {}
    for letter, field in zip("RIMDX", ("Read", "Insert", "Modify", "Delete", "Execute")):
        value = 0
        if letter in text:
            value = 1
        elif letter.lower() in text:
            value = 2
        out[field] = value
    return out


def _property(obj, name: str) -> Optional[str]:
    prop = obj.get_property(name)
    if prop is None:
        return None
    single = getattr(prop.value, "single", None)
    value = getattr(single, "value", None) if single is not None else None
    return str(value) if value is not None else None


def permissions_xml(server, name: str, version=None) -> bytes:
    """Export-NAVAppPermissionSet: the app's permission sets (`permissionset` objects) as
    `<PermissionSets><PermissionSet RoleID RoleName><Permission>...` XML."""
    version = parse_version(version)
    catalog = server._catalog()
    app = catalog.find(name, version)
    package = server.cache.package(app.package_id, server._fetch)
    objects = package.ir_objects()
    ids = {}
    for o in objects:
        if getattr(o, "id", None) is not None and o.name:
            ids[(o.kind, o.name.casefold())] = o.id
    m = schema.object_metadata
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<PermissionSets>"]
    for ps in sorted((o for o in objects if o.kind == "permissionset"), key=lambda o: o.id or 0):
        caption = _property(ps, "Caption") or ps.name
        lines.append(f"  <PermissionSet RoleID={quoteattr(ps.name[:20])} RoleName={quoteattr(caption[:30])}>")
        prop = ps.get_property("Permissions")
        for perm in getattr(prop.value, "permissions", ()) if prop is not None else ():
            kind = perm.kind.lower()
            lookup = "table" if kind == "tabledata" else kind
            ident = int(perm.target) if perm.target.isdigit() else ids.get((lookup, perm.target.casefold()))
            if ident is None:
                with server.store.begin(False) as conn:
                    ident = conn.execute(sa.select(m.c["Object ID"]).where(
                        m.c["Object Type"] == lookup, sa.func.lower(m.c["Object Name"]) == perm.target.lower())
                    ).scalar()
            rights = _rights(perm.rights)
            lines += ["    <Permission>",
                      f"      <ObjectID>{ident if ident is not None else 0}</ObjectID>",
                      f"      <ObjectType>{_XML_TYPES.get(kind, 10)}</ObjectType>"]
            lines += [f"      <{k}Permission>{v}</{k}Permission>" for k, v in rights.items()]
            lines += ["      <SecurityFilter />", "    </Permission>"]
        lines.append("  </PermissionSet>")
    lines.append("</PermissionSets>")
    return ("\n".join(lines) + "\n").encode("utf-8")

