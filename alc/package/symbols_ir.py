"""IR objects -> the symbol model: the surface a package exposes to dependents.

This is a syntactic conversion; nothing is resolved. Where real files hold
what only binding knows, alc writes what the source says: `SourceTable` and
`TableRelation` keep object names (real files have ids in `SourceTable`),
subtypes carry the object name with id 0, control `TypeDefinition`s are left
out, and permissions on objects named (not numbered) keep the name in
`ObjectName`. Member ids of controls, actions and methods are alc's own
(FNV-1a of the name; Microsoft's algorithm is not public).

>>> from alc import parse_text
>>> objs = parse_text('tableextension 50100 "Cust Ext" extends Customer '
...                   '{ fields { field(50100; Loyalty; Integer) { BlankZero = true; } } }').objects
>>> ext = symbols_from_ir(objs).table_extensions[0]
>>> ext.target, ext.fields[0].name, ext.fields[0].properties
('Customer', 'Loyalty', (Property(name='BlankZero', value='1'),))
"""

from __future__ import annotations

from typing import Callable, Iterable, Optional

from ..ir import nodes as ir
from ..appmodel import AppManifest
from . import altext
from . import symbols as s
from .symbols_json import rights_to_value

__all__ = ["symbols_from_ir", "type_def", "property_text", "member_id"]

_TYPE_NAMES = {n.casefold(): n for n in (
    "Action", "Automation", "BigInteger", "BigText", "Blob", "Boolean", "Byte", "Char", "Code", "Codeunit",
    "ControlAddIn", "Date", "DateFormula", "DateTime", "Decimal", "Dialog", "Dictionary", "DotNet", "Duration",
    "Enum", "ErrorInfo", "FieldRef", "File", "FileUpload", "FilterPageBuilder", "Guid", "HttpClient", "HttpContent",
    "HttpHeaders", "HttpRequestMessage", "HttpResponseMessage", "InStream", "Integer", "Interface",
    "IsolatedStorage", "JsonArray", "JsonObject", "JsonToken", "JsonValue", "KeyRef", "Label", "List", "Media",
    "MediaSet", "ModuleDependencyInfo", "ModuleInfo", "Notification", "NumberSequence", "Option", "OutStream",
    "Page", "Query", "Record", "RecordId", "RecordRef", "Report", "ReportFormat", "SecretText", "SessionSettings",
    "TestAction", "TestField", "TestFilterField", "TestPage", "TestPart", "TestRequestPage", "Text",
    "TextBuilder", "TextConst", "Time", "Variant", "Version", "WebServiceActionContext", "XmlAttribute",
    "XmlAttributeCollection", "XmlCData", "XmlComment", "XmlDeclaration", "XmlDocument", "XmlDocumentType",
    "XmlElement", "XmlNamespaceManager", "XmlNameTable", "XmlNode", "XmlNodeList", "XmlPort",
    "XmlProcessingInstruction", "XmlReadOptions", "XmlText", "XmlWriteOptions")}

# The second argument of a control becomes this property.
_CONTROL_SOURCE = {"field": "SourceExpression", "part": "PagePartID", "systempart": "SystemPartID",
                   "usercontrol": "ControlAddIn", "label": "Caption", "chartpart": "ChartPartID"}


def member_id(text: str) -> int:
    """alc's id of a control, action or method: FNV-1a (32-bit) over the
    UTF-16LE text, as a signed integer.

    >>> member_id("content") == member_id("content"), -2**31 <= member_id("x") < 2**31
    (True, True)
    """
    h = 0x811C9DC5
    for b in text.encode("utf-16-le"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h - (1 << 32) if h >= (1 << 31) else h


# ------------------------------------------------------------------ values --

def _item(e) -> str:
    if e is None:
        return ""
    if type(e) is ir.Literal:
        if e.kind == "boolean":
            return "1" if e.value else "0"
        return str(e.value)
    if type(e) is ir.Name:
        return e.value
    if type(e) is ir.PairValue:
        return f"{_item(e.first)}:{_item(e.second)}"
    return altext.expr(e)


def property_text(prop: ir.Property) -> str:
    """A property value as symbols store it: strings unquoted, booleans
    `1`/`0`, application areas `#All`, structured values as AL text."""
    text = altext.property_value(prop.value)
    if text is not None:
        return text
    items = getattr(prop.value, "items", ())
    if prop.name.casefold() == "applicationarea":
        return ",".join("#" + _item(i) for i in items)
    return ",".join(_item(i) for i in items)


def _props(properties: tuple, skip: tuple = ()) -> tuple:
    return tuple(s.Property(p.name, property_text(p)) for p in properties
                 if isinstance(p, ir.Property) and p.name.casefold() not in skip)


def _dimension(e) -> int:
    try:
        return int(_item(e))
    except ValueError:
        return 0


def type_def(t: Optional[ir.TypeRef]) -> Optional[s.TypeDef]:
    """A TypeRef as symbols write it: `Code[20]`, `Record` + subtype, arrays
    as the element type with dimensions."""
    if t is None:
        return None
    if t.name.casefold() == "array" and t.element is not None:
        inner = type_def(t.element)
        return s.TypeDef(inner.name, inner.subtype, inner.temporary, tuple(_dimension(d) for d in t.dimensions),
                         inner.option_members, inner.type_arguments)
    name = _TYPE_NAMES.get(t.name.casefold(), t.name)
    if t.length is not None:
        name = f"{name}[{_item(t.length)}]"
    options = tuple(o if isinstance(o, str) else _item(o) for o in t.options)
    return s.TypeDef(name, s.Subtype(t.subtype) if t.subtype else None, t.temporary, (), options,
                     tuple(type_def(a) for a in t.arguments))


def _method(p) -> s.Method:
    params = tuple(s.Parameter(x.name, type_def(x.type), x.by_ref) for x in p.parameters)
    signature = p.name + "(" + ",".join(x.type.name for x in params) + ")"
    attributes = tuple(s.Attribute(a.name, tuple(altext.expr(x) for x in a.arguments))
                       for a in getattr(p, "attributes", ()))
    return s.Method(p.name, member_id(signature.casefold()), 0, params, type_def(getattr(p, "return_type", None)),
                    attributes, getattr(p, "access", "public"))


def _variables(variables: tuple) -> tuple:
    return tuple(s.Variable(v.name, type_def(v.type), v.protected) for v in variables)


# ---------------------------------------------------------------- members --

def _action(a: ir.Action) -> s.Action:
    props = _props(a.properties)
    if a.target:
        props = (s.Property("Action", a.target),) + props
    return s.Action(a.kind, a.name, member_id(a.name.casefold()), props,
                    tuple(_action(x) for x in a.actions if isinstance(x, ir.Action)))


def _control(c: ir.Control) -> s.Control:
    props = _props(c.properties)
    if c.source is not None and c.kind in _CONTROL_SOURCE:
        value = _item(c.source) if c.kind in ("part", "systempart", "usercontrol", "label", "chartpart") \
            else altext.expr(c.source)
        props = (s.Property(_CONTROL_SOURCE[c.kind], value),) + props
    return s.Control(c.kind, c.name, member_id(c.name.casefold()), None, props,
                     tuple(_control(x) for x in c.controls if isinstance(x, ir.Control)),
                     tuple(_action(x) for x in getattr(c, "actions", ()) if isinstance(x, ir.Action)))


def _changes(items: tuple, cls, member) -> tuple:
    out = []
    for ch in items:
        if isinstance(ch, ir.Change):
            members = tuple(member(x) for x in ch.members)
            out.append(cls(ch.op, ch.anchor or "", members, _props(ch.properties), tuple(ch.targets)))
    return out


def _view(v: ir.View) -> s.View:
    return s.View(v.name, _props(v.properties))


def _related(e) -> str:
    return e.value if isinstance(e, ir.Name) else altext.expr(e)


def _report_item(n: ir.DataNode, owner: str = "") -> s.ReportDataItem:
    columns = tuple(s.ReportColumn(c.name, altext.expr(c.source), "", _props(c.properties))
                    for c in n.children if c.kind == "column")
    items = tuple(_report_item(c) for c in n.children if c.kind == "dataitem")
    return s.ReportDataItem(n.name, _related(n.source), owner, columns, items, _props(n.properties))


def _layouts(o) -> tuple:
    return tuple(s.ReportLayout(x.name, _props(x.properties)) for x in o.rendering if isinstance(x, ir.ReportLayout))


def _query_item(n: ir.DataNode) -> s.QueryDataItem:
    def col(c):
        return s.QueryColumn(c.name, _related(c.source) if c.source is not None else "", _props(c.properties))
    return s.QueryDataItem(n.name, _related(n.source), tuple(col(c) for c in n.children if c.kind == "column"),
                           tuple(col(c) for c in n.children if c.kind == "filter"),
                           tuple(_query_item(c) for c in n.children if c.kind == "dataitem"), _props(n.properties))


def _xml_node(n: ir.DataNode) -> s.XmlPortNode:
    return s.XmlPortNode(n.kind, n.name, altext.expr(n.source) if n.source is not None else "",
                         _props(n.properties), tuple(_xml_node(c) for c in n.children))


def _request_page(rp: Optional[ir.RequestPage]) -> Optional[s.RequestPage]:
    if rp is None:
        return None
    return s.RequestPage(tuple(_control(c) for c in rp.layout if isinstance(c, ir.Control)),
                         tuple(_action(a) for a in rp.actions if isinstance(a, ir.Action)), _props(rp.properties))


def _permissions(obj) -> tuple:
    out = []
    for prop in obj.properties:
        if isinstance(prop.value, ir.PermissionsValue):
            for p in prop.value.permissions:
                numbered = p.target.isdigit()
                out.append(s.Permission(p.kind.casefold(), int(p.target) if numbered else 0,
                                        "" if numbered else p.target, rights_to_value(p.rights)))
    return tuple(out)


# ---------------------------------------------------------------- objects --

def _common(o, skip: tuple = ()) -> dict:
    return dict(properties=_props(o.properties, skip), variables=_variables(o.variables),
                methods=tuple(_method(p) for p in o.procedures), namespace=o.namespace)


def _table(o: ir.Table, kw: dict):
    return s.Table(id=o.id, name=o.name,
                   fields=tuple(s.Field(f.id, f.name, type_def(f.type), _props(f.properties)) for f in o.fields),
                   keys=tuple(s.Key(k.name, tuple(k.fields), _props(k.properties)) for k in o.keys),
                   field_groups=tuple(s.FieldGroup(g.name, 0, tuple(g.fields), _props(g.properties))
                                      for g in o.fieldgroups), **kw)


def _table_extension(o: ir.TableExtension, kw: dict):
    fields = tuple(s.Field(f.id, f.name, type_def(f.type), _props(f.properties))
                   for f in o.fields if isinstance(f, ir.TableField))
    modifications = tuple(s.FieldModification(ch.anchor or "", 0, _props(ch.properties))
                          for ch in o.fields if isinstance(ch, ir.Change) and ch.op == "modify")
    groups = tuple(s.FieldGroup(g.name, 0, tuple(g.fields), _props(g.properties))
                   for g in o.fieldgroups if isinstance(g, ir.FieldGroup))
    group_changes = tuple(s.FieldGroupChange(ch.op, ch.anchor or "", tuple(ch.targets))
                          for ch in o.fieldgroups if isinstance(ch, ir.Change))
    return s.TableExtension(id=o.id, name=o.name, target=o.target, fields=fields,
                            keys=tuple(s.Key(k.name, tuple(k.fields), _props(k.properties))
                                       for k in o.keys if isinstance(k, ir.Key)),
                            field_groups=groups, field_modifications=modifications, field_group_changes=group_changes,
                            **kw)


def _page(o: ir.Page, kw: dict):
    return s.Page(id=o.id, name=o.name, controls=tuple(_control(c) for c in o.layout if isinstance(c, ir.Control)),
                  actions=tuple(_action(a) for a in o.actions if isinstance(a, ir.Action)),
                  views=tuple(_view(v) for v in o.views if isinstance(v, ir.View)), **kw)


def _page_extension(o, kw: dict, cls=s.PageExtension):
    return cls(id=o.id, name=o.name, target=o.target,
               control_changes=_changes(o.layout, s.ControlChange, _control),
               action_changes=_changes(o.actions, s.ActionChange, _action),
               view_changes=_changes(o.views, s.ViewChange, _view), **kw)


def _report(o: ir.Report, kw: dict):
    return s.Report(id=o.id, name=o.name, data_items=tuple(_report_item(n) for n in o.dataset if n.kind == "dataitem"),
                    request_page=_request_page(o.requestpage), layouts=_layouts(o), **kw)


def _report_extension(o: ir.ReportExtension, kw: dict):
    columns, items = [], []
    for ch in o.dataset:
        if not isinstance(ch, ir.Change):
            continue
        for n in ch.members:
            if isinstance(n, ir.DataNode) and n.kind == "column":
                columns.append(s.ReportColumn(n.name, altext.expr(n.source), ch.anchor or "", _props(n.properties)))
            elif isinstance(n, ir.DataNode) and n.kind == "dataitem":
                items.append(_report_item(n, ch.anchor or ""))
    rp = o.requestpage
    ext = None if rp is None else s.RequestPageExtension(_changes(rp.layout, s.ControlChange, _control),
                                                         _changes(rp.actions, s.ActionChange, _action))
    return s.ReportExtension(id=o.id, name=o.name, target=o.target, data_items=tuple(items), columns=tuple(columns),
                             request_page=ext, layouts=_layouts(o), **kw)


_CONVERT: dict[type, Callable] = {
    ir.Table: _table,
    ir.TableExtension: _table_extension,
    ir.Page: _page,
    ir.PageExtension: _page_extension,
    ir.PageCustomization: lambda o, kw: _page_extension(o, kw, s.PageCustomization),
    ir.Codeunit: lambda o, kw: s.Codeunit(id=o.id, name=o.name, implemented_interfaces=tuple(o.implements), **kw),
    ir.Report: _report,
    ir.ReportExtension: _report_extension,
    ir.Query: lambda o, kw: s.Query(id=o.id, name=o.name, elements=tuple(
        _query_item(n) for n in o.elements if n.kind == "dataitem"), **kw),
    ir.XmlPort: lambda o, kw: s.XmlPort(id=o.id, name=o.name, schema=tuple(_xml_node(n) for n in o.schema),
                                        request_page=_request_page(o.requestpage), **kw),
    ir.Enum: lambda o, kw: s.Enum(id=o.id, name=o.name, values=tuple(
        s.EnumValue(v.name, v.id, _props(v.properties)) for v in o.values), implemented_interfaces=tuple(o.implements),
        **kw),
    ir.EnumExtension: lambda o, kw: s.EnumExtension(id=o.id, name=o.name, target=o.target, values=tuple(
        s.EnumValue(v.name, v.id, _props(v.properties)) for v in o.values), **kw),
    ir.Interface: lambda o, kw: s.Interface(id=o.id, name=o.name, extended_interfaces=tuple(o.extends), **kw),
    ir.PermissionSet: lambda o, kw: s.PermissionSet(id=o.id, name=o.name, permissions=_permissions(o), **kw),
    ir.PermissionSetExtension: lambda o, kw: s.PermissionSetExtension(id=o.id, name=o.name, target=o.target,
                                                                      permissions=_permissions(o), **kw),
    ir.Profile: lambda o, kw: s.Profile(id=o.id, name=o.name, **kw),
    ir.ProfileExtension: lambda o, kw: s.ProfileExtension(id=o.id, name=o.name, target=o.target, **kw),
    ir.ControlAddIn: lambda o, kw: s.ControlAddIn(id=o.id, name=o.name, events=tuple(
        s.Method(e.name, member_id(e.name.casefold()), 0, tuple(
            s.Parameter(x.name, type_def(x.type), x.by_ref) for x in e.parameters)) for e in o.events), **kw),
}
_SKIP = {ir.PermissionSet: ("permissions",), ir.PermissionSetExtension: ("permissions",)}


def symbols_from_ir(objects: Iterable, app: Optional[AppManifest] = None, runtime_version: str = "",
                    source_name: Optional[Callable[[object], str]] = None) -> s.SymbolReference:
    """The symbol model of IR objects (entitlements and dotnet declarations,
    which symbols do not list, are left out). ``source_name`` gives an
    object's `ReferenceSourceFileName` (such as `src/Cust.TableExt.al`)."""
    out = []
    for o in objects:
        convert = _CONVERT.get(type(o))
        if convert is None:
            continue
        kw = _common(o, _SKIP.get(type(o), ()))
        if source_name is not None:
            kw["reference_source_file"] = source_name(o) or ""
        out.append(convert(o, kw))
    identity = {}
    if app is not None:
        identity = dict(app_id=app.id, name=app.name, publisher=app.publisher, version=str(app.version))
    return s.SymbolReference.from_objects(out, runtime_version=runtime_version, **identity)
