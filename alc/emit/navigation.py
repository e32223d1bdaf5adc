"""`navigation.xml`: the pages and reports an app adds to search (Tell Me) and
the departments, and the pages its page extensions change, in the shape of
real packages (Coval BC18, ALProject1):

- one `ActionDefinition` per page or report with a `UsageCategory` (other
  than `None`), in an `ActionGroupDefinition` captioned with the app's name:
  the object's id and name, caption (its name when it has none), application
  area, additional search terms (when it has none: its name, or nothing in
  an app with the `GenerateCaptions` feature, as the System Application 21
  and Business Foundation 24-27 packages show; partner apps without the
  feature show the name), department (`DepartmentCategory`, UsageCategory
  spelled as words), the id of a page's source table, the object's
  `AccessByPermission` (`AccessByObjectType` after the name,
  `AccessByObjectID` and `AccessByPermissionMask`, R=1 I=2 M=4 D=8 X=16,
  after the caption, as in the System Application 21 package; left out when
  the object's id is unknown, such as a `System` permission named by its
  name: INFERRED), and the translation keys of the caption and search terms;
- one `ActionChange` per page a page extension changes.

Real compilers draw the `ControlGUID`s at random on every build; alc derives
them from the app and the object, so that builds are reproducible.

>>> from alc import parse_text
>>> objs = parse_text("report 50100 \\"Top Items\\" { UsageCategory = ReportsAndAnalysis; "
...                   "ApplicationArea = All; }").objects
>>> [(i.kind, i.id, i.caption, i.category) for i in navigation_items(objs)[0]]
[('report', 50100, 'Top Items', 'Reports and Analysis')]
"""

from __future__ import annotations

import uuid
from typing import Callable, Iterable, Optional

import attrs

from ..appmodel import is_id_text
from ..ir import nodes as ir
from .xliff import name_hash

__all__ = ["NavItem", "NavChange", "navigation_items", "navigation_xml", "NAVIGATION", "DEPARTMENTS"]

NAVIGATION = "navigation.xml"
DEPARTMENTS = {"lists": "Lists", "tasks": "Tasks", "reportsandanalysis": "Reports and Analysis",
               "documents": "Documents", "history": "History", "administration": "Administration"}
_NAMESPACE = uuid.UUID("3f0b8d52-6c1e-5a47-9d2b-7e4f1c8a0b93")
_CAPTION_KEY, _SEARCH_KEY = name_hash("Caption"), name_hash("AdditionalSearchTerms")


@attrs.frozen
class NavItem:
    """A page or report in search and the departments; ``order`` places it in the project."""
    order: tuple
    kind: str
    id: int
    name: str
    caption: str
    application_area: str
    search_terms: str
    category: str
    source_table: Optional[str] = None
    access: Optional[tuple] = None     # AccessByPermission: (object kind, target, rights)


@attrs.frozen
class NavChange:
    """A page a page extension changes (its name; the id is resolved later)."""
    order: tuple
    target: str


def _text(prop) -> str:
    from ..package.symbols_ir import property_text
    return property_text(prop)


def _prop(obj, name: str):
    return obj.get_property(name)


def navigation_items(objects: Iterable) -> tuple[list, list]:
    """The NavItems and NavChanges of ``objects``."""
    items, changes = [], []
    for obj in objects:
        span = getattr(obj, "span", None)
        order = (span.file, span.start) if span is not None else ("", 0)
        if isinstance(obj, ir.PageExtension):
            changes.append(NavChange(order, obj.target))
            continue
        if not isinstance(obj, (ir.Page, ir.Report)):
            continue
        usage = _prop(obj, "UsageCategory")
        category = DEPARTMENTS.get(_text(usage).casefold()) if usage is not None else None
        if category is None:
            continue
        caption = _prop(obj, "Caption")
        area = _prop(obj, "ApplicationArea")
        terms = _prop(obj, "AdditionalSearchTerms")
        source = _prop(obj, "SourceTable") if isinstance(obj, ir.Page) else None
        access = _prop(obj, "AccessByPermission")
        perms = getattr(getattr(access, "value", None), "permissions", ())
        items.append(NavItem(order, obj.kind, obj.id, obj.name, _text(caption) if caption else obj.name,
                             _text(area) if area else "", _text(terms) if terms else None, category,
                             _text(source) if source else None,
                             (perms[0].kind, perms[0].target, perms[0].rights) if perms else None))
    return items, changes


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#xD;").replace("\n", "&#xA;"))


_ACCESS_KINDS = {"tabledata": ("TableData", "table"), "table": ("Table", "table"), "page": ("Page", "page"),
                 "report": ("Report", "report"), "codeunit": ("Codeunit", "codeunit"), "query": ("Query", "query"),
                 "xmlport": ("XmlPort", "xmlport"), "system": ("System", None)}
_RIGHTS = {"r": 1, "i": 2, "m": 4, "d": 8, "x": 16}


def _access(access: Optional[tuple], resolve) -> Optional[tuple]:
    """(AccessByObjectType, AccessByObjectID, AccessByPermissionMask) of an AccessByPermission, or None."""
    if access is None:
        return None
    kind, target, rights = access
    spelled, lookup = _ACCESS_KINDS.get(str(kind).casefold(), (None, None))
    if spelled is None:
        return None
    target = str(target)
    oid = int(target) if is_id_text(target) else (resolve(lookup, target) if lookup else None)
    if oid is None:
        return None
    return spelled, oid, sum(_RIGHTS.get(c, 0) for c in set(str(rights).casefold()))


def _guid(app_id: str, what: str) -> str:
    return "{" + str(uuid.uuid5(_NAMESPACE, f"{app_id}/{what}")) + "}"


def navigation_xml(app, items: Iterable[NavItem], changes: Iterable[NavChange],
                   resolve: Callable[[str, str], Optional[int]]) -> Optional[bytes]:
    """The entry's bytes (BOM, CRLF, no final newline), or None when the app
    has nothing for it. ``resolve(kind, name)`` gives the id of a table or
    page the app or its dependencies declare (None when unknown)."""
    items = sorted(items, key=lambda i: i.order)
    targets = []
    for c in sorted(changes, key=lambda c: c.order):
        page = int(c.target) if is_id_text(c.target) else resolve("page", c.target)
        if page is not None and page not in targets:
            targets.append(page)
    if not items and not targets:
        return None
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<NavigationDefinition xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="urn:schemas-microsoft-com:dynamics:NAV:MetaObjects">']
    if items:
        lines.append('  <ActionContainers ActionContainerType="Departments">')
        lines.append(f'    <Actions xsi:type="ActionGroupDefinition" Caption="{_attr(app.name)}" '
                     f'ControlGUID="{_guid(app.id, "departments")}">')
        captions = any(f.casefold() == "generatecaptions" for f in getattr(app, "features", ()))
        for i in items:
            kind = "Page" if i.kind == "page" else "Report"
            terms = i.search_terms if i.search_terms is not None else ("" if captions else i.name)
            access = _access(i.access, resolve)
            source = 0
            if i.source_table:
                source = int(i.source_table) if is_id_text(i.source_table) else (resolve("table", i.source_table) or 0)
            key = f"{kind} {name_hash(i.name)}"
            area = ",".join("#" + a.strip().lstrip("#") for a in i.application_area.split(",") if a.strip())
            lines.append(
                f'      <Actions xsi:type="ActionDefinition" PushAction="RunObject" RunObjectType="{kind}" '
                f'TargetID="{i.id}" DepartmentCategory="{i.category}" RunObjectSrcTable="{source}" '
                f'ControlGUID="{_guid(app.id, f"{i.kind}/{i.id}")}" Name="{_attr(i.name)}" ' +
                (f'AccessByObjectType="{access[0]}" ' if access else "") +
                f'CaptionML="ENU={_attr(i.caption)}" ' +
                (f'AccessByObjectID="{access[1]}" AccessByPermissionMask="{access[2]}" ' if access else "") +
                (f'ApplicationArea="{_attr(area)}" ' if area else "") +
                f'AdditionalSearchTermsML="ENU={_attr(terms)}" '
                f'CaptionTranslationKey="{key} - Property {_CAPTION_KEY}" '
                f'AdditionalSearchTermsTranslationKey="{key} - Property {_SEARCH_KEY}" />')
        lines += ["    </Actions>", "  </ActionContainers>"]
    if targets:
        lines.append("  <NavigationChanges>")
        lines.extend(f'    <ActionChange TargetID="{t}" TargetType="Page" />' for t in targets)
        lines.append("  </NavigationChanges>")
    lines.append("</NavigationDefinition>")
    return b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8")
