"""The generated translation file, `Translations/<App name>.g.xlf` (XLIFF 1.2),
as Microsoft's compiler writes it when app.json has the `TranslationFile`
feature.

Every translatable text becomes a trans-unit: captions, tooltips, option
captions, instructional texts, about texts... of objects and their members,
enum values, report labels and `Label` variables (global and local). A
unit's id is the path from the object to the text, each step a token and
the hash of a name (:func:`name_hash`)::

    Table 1621852298 - Field 3689535207 - Property 2879900210

and its `Xliff Generator` note is the same path with the names themselves
(`Table Translate example - Field CustomerNo - Property Caption`). The
`Developer` note holds the text's `Comment`, `maxwidth` its `MaxLength`;
`Locked = true` texts are left out (kept as `translate="no"` with the
`GenerateLockedTranslations` feature). A table or page extension's unit ids
start at its target (`Table <hash of the target> - Field ...`, as current
compilers write them), its notes at itself (`TableExtension <name> - ...`);
units of what it adds to its target name that target
(`al-object-target="Table <hash>"`), the others the extension.

Order: objects by namespace (:func:`_namespace_order`), then by kind
(tables, codeunits, pages, reports, ... extension objects after), by name
within a kind, as the compiler orders them in the files it generates;
within an object, the source order (object properties, members and what
they hold, global labels, then methods). Checked against the generated
files of four Business Foundation packages (24.0, 25.2, 25.5, 27.2; 258 to
365 units each): `alc xliff` on their source gives byte-identical files.

>>> from alc import parse_text
>>> objs = parse_text("table 50101 \\"Translate example\\" { fields { field(1; CustomerNo; Code[20]) "
...                   "{ Caption = 'Customer No.'; } } }").objects
>>> u = object_units(objs[0])[0]
>>> u.id
'Table 1621852298 - Field 3689535207 - Property 2879900210'
>>> u.note
'Table Translate example - Field CustomerNo - Property Caption'
"""

from __future__ import annotations

import functools
from typing import Iterable, Optional

import attrs

from ..ir import nodes as ir

__all__ = ["TransUnit", "name_hash", "object_units", "project_units", "keyed_units", "merge_units",
           "xliff_document", "generated_name",
           "TRANSLATABLE_PROPERTIES", "KIND_ORDER"]

TRANSLATABLE_PROPERTIES = {p.casefold(): p for p in (
    "Caption", "ToolTip", "OptionCaption", "InstructionalText", "PromotedActionCategories", "RequestFilterHeading",
    "AdditionalSearchTerms", "AboutTitle", "AboutText", "EntityCaption", "EntitySetCaption", "ProfileDescription",
    "Summary")}
"""The properties whose text is translated, in the compiler's spelling (the
hash is of this spelling, whatever case the source writes)."""

_KINDS = {"table": "Table", "tableextension": "TableExtension", "page": "Page", "pageextension": "PageExtension",
          "pagecustomization": "PageCustomization", "codeunit": "Codeunit", "report": "Report",
          "reportextension": "ReportExtension", "query": "Query", "xmlport": "XmlPort", "enum": "Enum",
          "enumextension": "EnumExtension", "interface": "Interface", "permissionset": "PermissionSet",
          "permissionsetextension": "PermissionSetExtension", "profile": "Profile",
          "profileextension": "ProfileExtension", "controladdin": "ControlAddIn", "entitlement": "Entitlement"}
_BASE = {"tableextension": "Table", "pageextension": "Page", "pagecustomization": "Page", "reportextension": "Report",
         "enumextension": "Enum", "permissionsetextension": "PermissionSet", "profileextension": "Profile"}

_FOLDED = frozenset(("tableextension", "pageextension", "pagecustomization"))

KIND_ORDER = ("table", "codeunit", "page", "report", "query", "xmlport", "controladdin", "pageextension",
              "tableextension", "pagecustomization", "profile", "profileextension", "enum", "enumextension",
              "reportextension", "interface", "permissionset", "permissionsetextension", "entitlement")
"""The order of object kinds in generated files: tables, codeunits, pages,
reports, queries, xmlports, page extensions, table extensions, enums, enum
extensions and permission sets are seen in real files (BCApps India Tax
Base, ForNAV Core, nab-al-tools' Xliff-test app); the place of the other
kinds is a guess."""

_MEMBER_TOKENS = frozenset({"Field", "Change", "Control", "Action", "View", "EnumValue", "ReportDataItem",
                            "ReportColumn", "ReportLabel", "ReportLayout", "QueryDataItem", "QueryColumn",
                            "QueryFilter", "XmlPortNode", "RequestPage"})


@functools.lru_cache(maxsize=65536)
def name_hash(name: str) -> int:
    """The number the compiler writes for a name in trans-unit ids:
    FNV-1a (32 bits) over the UTF-16LE bytes of the name, as a signed
    int32, plus Int32.MaxValue. Case matters.

    >>> name_hash("Caption"), name_hash("ToolTip"), name_hash("OptionCaption")
    (2879900210, 1295455071, 62802879)
    """
    h = 0x811C9DC5
    for b in name.encode("utf-16-le"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return (h - (1 << 32) if h >= (1 << 31) else h) + 0x7FFFFFFF


@attrs.frozen
class TransUnit:
    """One trans-unit: ``path`` is ((token, name), ...) from the object down."""
    path: tuple
    source: str
    comment: str = ""
    maxwidth: Optional[int] = None
    target: Optional[str] = None       # al-object-target
    translate: bool = True
    id_root: Optional[tuple] = None    # (token, name) the id starts with, when not the note's first step

    @property
    def id(self) -> str:
        path = ((self.id_root,) + tuple(self.path[1:])) if self.id_root and self.path else self.path
        return " - ".join(f"{token} {name_hash(name)}" for token, name in path)

    @property
    def note(self) -> str:
        return " - ".join(f"{token} {name}" for token, name in self.path)


# ------------------------------------------------------------------ texts --

def _literal(value) -> Optional[str]:
    if isinstance(value, ir.Literal) and value.kind == "string":
        return value.value
    return None


def _options(options) -> tuple[str, bool, Optional[int]]:
    """Comment, Locked and MaxLength of a text's named options."""
    comment, locked, maxwidth = "", False, None
    for opt in options:
        key = opt.name.casefold()
        if key == "comment":
            comment = _literal(opt.value) or ""
        elif key == "locked":
            locked = isinstance(opt.value, ir.Literal) and opt.value.value is True
        elif key == "maxlength":
            try:
                maxwidth = int(getattr(opt.value, "value", ""))
            except (TypeError, ValueError):
                maxwidth = None
    return comment, locked, maxwidth


_PROPERTY_RANK = {p.casefold(): i for i, p in enumerate((
    "ToolTip", "InstructionalText", "PromotedActionCategories", "AboutTitle", "AboutText", "Caption",
    "OptionCaption", "AdditionalSearchTerms", "RequestFilterHeading", "EntityCaption", "EntitySetCaption",
    "ProfileDescription", "Summary"))}
"""The order of an element's texts: ToolTip before InstructionalText,
PromotedActionCategories, AboutTitle, AboutText, Caption, OptionCaption and
AdditionalSearchTerms, whatever the source order (every pair seen in the
reference files keeps this order); the rest is a guess."""


def _key(name: str) -> str:
    """Names sort as .NET's OrdinalIgnoreCase: by upper-cased characters."""
    return name.upper()


class _Walker:
    """Collects the units of one object.

    The compiler walks the object's symbols: at every level an element's
    own texts (ranked by property), the labels of its triggers (triggers by
    name), then its children sorted by name, depth first. At the object
    level: its properties, global labels, methods (by name), report labels,
    then its members."""

    def __init__(self, obj, locked: bool, captions: bool = False):
        self.obj = obj
        self.locked = locked
        self.captions = captions
        self.units: list[TransUnit] = []
        kind = obj.kind
        self.root = ((_KINDS.get(kind, kind), obj.name),)
        self.own_target = f"{_KINDS.get(kind, kind)} {name_hash(obj.name)}" if kind in _BASE else None
        target = getattr(obj, "target", None)
        self.base_target = f"{_BASE[kind]} {name_hash(_plain(target))}" if kind in _BASE and target else None
        # Current compilers root a table or page extension's unit ids at its target (Business Foundation
        # 24.0-27.2, compilers 13.0-16.2: `Table <hash of No. Series Line> - Field ...` for
        # NoSeriesLineObsolete's fields and label, the note keeping `TableExtension NoSeriesLineObsolete - ...`;
        # `Page <hash> - Action ...` for a page extension's action), but not an enum extension's
        # (`EnumExtension <hash> - EnumValue ...` there). Page customizations as pages, report extensions
        # as enum extensions: INFERRED. Older compilers (the Xliff-test app of jwikman/nab-al-tools) rooted
        # every extension's ids at the extension itself.
        self.id_root = (_BASE[kind], _plain(target)) if kind in _FOLDED and target else None

    def add(self, path: tuple, text: str, options) -> None:
        comment, locked, maxwidth = _options(options)
        if locked and not self.locked:
            return
        target = None
        if self.own_target is not None:
            # Texts of what the extension changes or adds to its target name the
            # target; labels in the triggers of what it adds are its own.
            member = path[0][0] if path else None
            if member == "Change" or (member in _MEMBER_TOKENS and all(t != "Method" for t, _ in path)):
                target = self.base_target
            else:
                target = self.own_target
        self.units.append(TransUnit(self.root + path, text, comment, maxwidth, target, not locked, self.id_root))

    def properties(self, path: tuple, props: Iterable, implicit_caption: Optional[str] = None) -> None:
        """The translatable properties among ``props``, in the compiler's
        order; ``implicit_caption`` is the caption of an element without one
        (a table field is captioned with its name)."""
        found = []
        for p in props:
            if not isinstance(p, ir.Property):
                continue
            name = TRANSLATABLE_PROPERTIES.get(p.name.casefold())
            if name is None or not isinstance(p.value, ir.Values) or len(p.value.items) != 1:
                continue
            text = _literal(p.value.items[0])
            if text is not None:
                found.append((name, text, p.value.options))
        if implicit_caption is not None and not any(
                isinstance(p, ir.Property) and p.name.casefold() in ("caption", "captionml") for p in props):
            found.append(("Caption", implicit_caption, ()))
        for name, text, options in sorted(found, key=lambda f: _PROPERTY_RANK[f[0].casefold()]):
            self.add(path + (("Property", name),), text, options)

    def labels(self, path: tuple, variables: Iterable, by_name: bool = False) -> None:
        """`Label` variables: a method's in declaration order, an object's
        global ones sorted by name (``by_name``)."""
        for v in sorted(variables, key=lambda v: _key(v.name)) if by_name else variables:
            t = getattr(v, "type", None)
            if isinstance(v, ir.Variable) and t is not None and t.name.casefold() == "label" and t.text is not None:
                self.add(path + (("NamedType", v.name),), t.text, t.text_options)

    def methods(self, path: tuple, members: Iterable) -> None:
        """The labels of triggers and procedures, methods sorted by name."""
        methods = [m for m in members if isinstance(m, (ir.Trigger, ir.Procedure))]
        for m in sorted(methods, key=lambda m: _key(m.name)):
            self.labels(path + (("Method", m.name),), m.variables)

    def tree(self, path: tuple, elements: list) -> None:
        """Elements (token, name, node, children-callback) sorted by name, depth first."""
        for token, name, node, children in sorted(elements, key=lambda e: _key(e[1])):
            here = path + ((token, name),)
            implicit = name if token == "Field" or (
                token == "Action" and self.captions and getattr(node, "kind", "") in CAPTIONED_ACTIONS) else None
            self.properties(here, getattr(node, "properties", ()), implicit)
            self.methods(here, getattr(node, "triggers", ()))
            if children is not None:
                self.tree(path, children)  # ids are flat: the children sit at the same level


def _removed(node) -> bool:
    """`ObsoleteState = Removed` or `Moved`: the element is gone (or lives in
    another app now), and so are its texts (Business Foundation 25.2: the
    moved fields of ObsoleteSourceCodeSetupExt have no units)."""
    for p in getattr(node, "properties", ()):
        if isinstance(p, ir.Property) and p.name.casefold() == "obsoletestate" and isinstance(p.value, ir.Values):
            return any(getattr(i, "value", None) and str(i.value).casefold() in ("removed", "moved")
                       for i in p.value.items)
    return False


def _plain(name: str) -> str:
    """A target name without its namespace qualification."""
    return name


# ------------------------------------------------------------ by object kind --
# Each returns the elements of one level: (token, name, node, children), where
# the children are the elements of the level below (or None).

def _controls(controls: Iterable) -> list:
    out = []
    for c in controls:
        if isinstance(c, ir.Change):
            out.extend(_change(c, _controls))
        elif isinstance(c, ir.Control) and not _removed(c):
            out.append(("Control", c.name, c, _controls(c.controls) + _actions(c.actions)))
    return out


def _actions(actions: Iterable) -> list:
    out = []
    for a in actions:
        if isinstance(a, ir.Change):
            out.extend(_change(a, _actions))
        elif isinstance(a, ir.Action) and not _removed(a):
            out.append(("Action", a.name, a, _actions(a.actions)))
    return out


def _views(views: Iterable) -> list:
    out = []
    for v in views:
        if isinstance(v, ir.Change):
            out.extend(_change(v, _views))
        elif isinstance(v, ir.View) and not _removed(v):
            out.append(("View", v.name, v, None))
    return out


def _fields(fields: Iterable) -> list:
    out = []
    for f in fields:
        if isinstance(f, ir.Change):
            out.extend(_change(f, _fields))
        elif isinstance(f, ir.TableField) and not _removed(f):
            out.append(("Field", f.name, f, None))
    return out


def _change(change: ir.Change, members) -> list:
    """`modify(X)` is a `Change X` element; what `add*` adds joins the level of its anchor's siblings."""
    out = members(change.members)
    if change.op == "modify" and change.anchor:
        out.insert(0, ("Change", change.anchor, change, None))
    return out


def _data_items(nodes: Iterable, item: str, column: str) -> list:
    out = []
    for n in nodes:
        if isinstance(n, ir.Change):
            out.extend(_data_items(n.members, item, column))
        elif isinstance(n, ir.DataNode) and not _removed(n):
            token = {"dataitem": item, "column": column, "filter": "QueryFilter"}.get(n.kind, "XmlPortNode")
            out.append((token, n.name, n, _data_items(n.children, item, column)))
    return out


def _request_page(w: _Walker, rp: Optional[ir.RequestPage]) -> None:
    """A request page: its own texts, labels and methods under `RequestPage
    RequestOptionsPage`, then its controls and actions at the object's level."""
    if rp is None:
        return
    page = (("RequestPage", "RequestOptionsPage"),)
    w.properties(page, rp.properties)
    w.labels(page, rp.variables, by_name=True)
    w.methods(page, tuple(rp.triggers) + tuple(rp.procedures))
    w.tree((), _controls(rp.layout))
    w.tree((), _actions(rp.actions))


def _report_labels(w: _Walker, obj) -> None:
    """A report's `labels`, by name."""
    for label in sorted(getattr(obj, "labels", ()), key=lambda x: _key(getattr(x, "name", ""))):
        if isinstance(label, ir.Property) and isinstance(label.value, ir.Values) and label.value.items:
            text = _literal(label.value.items[0])
            if text is not None:
                w.add((("ReportLabel", label.name),), text, label.value.options)


def _split(elements: list, token: str) -> tuple[list, list]:
    """(elements other than `token`, the `token` ones): a table extension's
    new fields come before its field changes."""
    return [e for e in elements if e[0] != token], [e for e in elements if e[0] == token]


def _members(w: _Walker, obj) -> None:
    """The members of each kind in the order of the reference files (the
    Xliff-test app of jwikman/nab-al-tools, BCApps India Tax Base, ForNAV):
    a page's controls, actions, views; a page extension's actions, then its
    layout (new controls and changes sorted together), then views; a table
    extension's new fields, then its changes; a report's dataset, labels,
    request page; an xmlport's request page, then its schema."""
    if isinstance(obj, ir.Table):
        w.tree((), _fields(obj.fields))
    elif isinstance(obj, ir.TableExtension):
        added, changed = _split(_fields(obj.fields), "Change")
        w.tree((), added)
        w.tree((), changed)
    elif isinstance(obj, ir.Page):
        w.tree((), _controls(obj.layout))
        w.tree((), _actions(obj.actions))
        w.tree((), _views(obj.views))
    elif isinstance(obj, (ir.PageExtension, ir.PageCustomization)):
        w.tree((), _actions(obj.actions))
        w.tree((), _controls(obj.layout))
        w.tree((), _views(obj.views))
    elif isinstance(obj, (ir.Report, ir.ReportExtension)):
        w.tree((), _data_items(obj.dataset, "ReportDataItem", "ReportColumn"))
        _report_labels(w, obj)
        _request_page(w, obj.requestpage)
        w.tree((), [("ReportLayout", x.name, x, None) for x in obj.rendering if isinstance(x, ir.ReportLayout)])
    elif isinstance(obj, ir.Query):
        w.tree((), _data_items(obj.elements, "QueryDataItem", "QueryColumn"))
    elif isinstance(obj, ir.XmlPort):
        _request_page(w, obj.requestpage)
        w.tree((), _data_items(obj.schema, "XmlPortNode", "XmlPortNode"))
    elif isinstance(obj, (ir.Enum, ir.EnumExtension)):
        w.tree((), [("EnumValue", v.name, v, None) for v in obj.values if not _removed(v)])


CAPTIONED_KINDS = frozenset(("table", "page", "report", "query", "xmlport"))
"""The objects `GenerateCaptions` captions with their name when they have no
caption (documented in devenv-json-files.md for "objects"; no reference
file with the feature was at hand, so the list of kinds is INFERRED)."""


CAPTIONED_ACTIONS = frozenset(("group", "systemaction", "action"))
"""The actions `GenerateCaptions` captions with their name when they have no
caption: groups and system actions (Business Foundation 25.2: the promoted
group `View_Promoted` and `systemaction(Cancel)` get units, its actionrefs
and areas do not); plain actions: INFERRED."""


def object_units(obj, locked: bool = False, captions: bool = False) -> list[TransUnit]:
    """The trans-units of one object, in the compiler's order within it.
    ``locked``: keep locked texts (as `translate="no"`); ``captions``: the
    `GenerateCaptions` feature."""
    w = _Walker(obj, locked, captions)
    w.properties((), obj.properties, obj.name if captions and obj.kind in CAPTIONED_KINDS else None)
    w.labels((), obj.variables, by_name=True)
    w.methods((), tuple(obj.triggers) + tuple(obj.procedures))
    _members(w, obj)
    return w.units


def _namespace_order(namespace: Optional[str]) -> tuple:
    """Where a namespace's objects go: namespaces by name, each namespace's
    nested namespaces before its own objects (Business Foundation 25.2:
    Microsoft.Foundation.AuditCodes, then Microsoft.Foundation.NoSeries, then
    the permission set of Microsoft.Foundation itself; objects of no
    namespace last: INFERRED).

    >>> sorted(["A.B", "A", None, "A.C"], key=_namespace_order)
    ['A.B', 'A.C', 'A', None]
    """
    parts = [p for p in (namespace or "").split(".") if p]
    return tuple((0, _key(p)) for p in parts) + ((1, ""),)


def _object_order(obj) -> tuple:
    kind = obj.kind
    rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
    return (_namespace_order(getattr(obj, "namespace", None)), rank, _key(obj.name or ""), obj.name or "")


def keyed_units(objects: Iterable, locked: bool = False, captions: bool = False) -> tuple:
    """(order key, units) of each object that has units: what a compile
    worker sends, to be merged across workers with :func:`merge_units`."""
    out = []
    for obj in objects:
        if obj.kind in _KINDS and obj.name and not _removed(obj):
            units = object_units(obj, locked, captions)
            if units:
                out.append((_object_order(obj), tuple(units)))
    return tuple(out)


def merge_units(keyed: Iterable) -> list[TransUnit]:
    """The units of every object, objects in the compiler's order."""
    return [u for _, units in sorted(keyed, key=lambda k: k[0]) for u in units]


def project_units(objects: Iterable, locked: bool = False, captions: bool = False) -> list[TransUnit]:
    """Every object's units, objects in the compiler's order."""
    return merge_units(keyed_units(objects, locked, captions))


# ------------------------------------------------------------------- XML --

def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


_NL = "\r\n"


def _unit_xml(u: TransUnit) -> str:
    head = f'<trans-unit id="{_attr(u.id)}"'
    if u.maxwidth is not None:
        head += f' maxwidth="{u.maxwidth}"'       # before size-unit, as in a generated file (Xliff-test's Al.g.xlf)
    head += f' size-unit="char" translate="{"yes" if u.translate else "no"}" xml:space="preserve"'
    if u.target is not None:
        head += f' al-object-target="{_attr(u.target)}"'
    return (f"        {head}>{_NL}"
            f"          <source>{_escape(u.source)}</source>{_NL}"
            f'          <note from="Developer" annotates="general" priority="2">{_escape(u.comment)}</note>{_NL}'
            f'          <note from="Xliff Generator" annotates="general" priority="3">{_escape(u.note)}</note>{_NL}'
            f"        </trans-unit>{_NL}")


def xliff_document(app_name: str, units: Iterable[TransUnit], language: str = "en-US") -> bytes:
    """The `.g.xlf` bytes: UTF-8 with a BOM, CRLF line ends, no final newline.

    >>> print(xliff_document("Demo", []).decode("utf-8-sig").replace("\\r", ""))  # doctest: +ELLIPSIS
    <?xml version="1.0" encoding="utf-8"?>
    <xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" ...>
      <file datatype="xml" source-language="en-US" target-language="en-US" original="Demo">
        <body>
          <group id="body">
          </group>
        </body>
      </file>
    </xliff>
    """
    parts = ['<?xml version="1.0" encoding="utf-8"?>', _NL,
             '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:schemaLocation="urn:oasis:names:tc:xliff:document:1.2 xliff-core-1.2-transitional.xsd">', _NL,
             f'  <file datatype="xml" source-language="{language}" target-language="{language}" '
             f'original="{_attr(app_name)}">', _NL,
             "    <body>", _NL, '      <group id="body">', _NL]
    parts.extend(_unit_xml(u) for u in units)
    parts += ["      </group>", _NL, "    </body>", _NL, "  </file>", _NL, "</xliff>"]
    return b"\xef\xbb\xbf" + "".join(parts).encode("utf-8")


def generated_name(app_name: str) -> str:
    """The entry (and project file) name of the generated file.

    >>> generated_name("USPS Address Verification")
    'Translations/USPS Address Verification.g.xlf'
    """
    return f"Translations/{app_name}.g.xlf"
