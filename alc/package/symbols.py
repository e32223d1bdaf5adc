"""The symbol model: what dependents compile against.

A frozen attrs mirror of Business Central's `SymbolReference.json` (APP-FORMAT.md
§3): per object kind a tuple of objects with their members, properties as
(name, string value) pairs, types as ``TypeDef``. Kinds of controls, actions,
changes and xmlport nodes are lowercase AL keywords (`field`, `addafter`).
Objects of each kind are kept sorted by (namespace, id, name), so two models
with the same objects are equal whatever order they were read in.

``read_symbols`` / ``write_symbols`` (in ``symbols_json``) convert to and from
the JSON; ``symbols_from_ir`` (in ``symbols_ir``) builds a model from parsed AL.

>>> t = Table(id=18, name="Customer", fields=(Field(id=1, name="No.", type=TypeDef("Code[20]")),))
>>> ref = SymbolReference(tables=(t,))
>>> [(o.kind, o.id, o.name) for o in ref.objects()]
[('table', 18, 'Customer')]
>>> from alc.package.symbols import read_symbols, write_symbols
>>> read_symbols(write_symbols(ref)) == ref
True
"""

from __future__ import annotations

from typing import ClassVar, Iterator, Optional

import attrs

__all__ = ["Property", "Subtype", "TypeDef", "Variable", "Parameter", "Attribute", "Method", "Field", "Key",
           "FieldGroup", "FieldModification", "FieldGroupChange", "Control", "Action", "View", "ControlChange",
           "ActionChange", "ViewChange", "EnumValue", "ReportColumn", "ReportDataItem", "ReportLayout",
           "QueryColumn", "QueryDataItem", "XmlPortNode", "RequestPage", "RequestPageExtension", "Permission",
           "Module",
           "Table", "TableExtension", "Page", "PageExtension", "PageCustomization", "Codeunit", "Report",
           "ReportExtension", "Query", "XmlPort", "Enum", "EnumExtension", "Interface", "PermissionSet",
           "PermissionSetExtension", "Profile", "ProfileExtension", "ControlAddIn", "OBJECT_CLASSES",
           "SymbolReference", "read_symbols", "write_symbols", "symbols_from_ir", "SymbolObject"]

_t = dict(default=(), converter=tuple)


def _tuple():
    return attrs.field(**_t)


# ----------------------------------------------------------------- members --

@attrs.frozen
class Property:
    """A property as symbols store it: a name and a string value."""
    name: str = ""
    value: str = ""


@attrs.frozen
class Subtype:
    """The object a Record/Page/Codeunit/Enum... type refers to."""
    name: str = ""
    id: int = 0
    is_empty: bool = False
    module_id: str = ""


@attrs.frozen
class TypeDef:
    """A type: `Code[20]` (length inside the name), `Record` with a subtype, ..."""
    name: str = ""
    subtype: Optional[Subtype] = None
    temporary: bool = False
    array_dimensions: tuple[int, ...] = _tuple()
    option_members: tuple[str, ...] = _tuple()
    type_arguments: tuple["TypeDef", ...] = _tuple()


@attrs.frozen
class Variable:
    name: str = ""
    type: TypeDef = TypeDef()
    protected: bool = False


@attrs.frozen
class Parameter:
    name: str = ""
    type: TypeDef = TypeDef()
    by_ref: bool = False


@attrs.frozen
class Attribute:
    """`[IntegrationEvent(false, false)]`: arguments as AL text."""
    name: str = ""
    arguments: tuple[str, ...] = _tuple()


@attrs.frozen
class Method:
    """access: public, local, internal, protected. ``method_kind`` is the
    integer real files carry (meaning not documented; alc writes 0)."""
    name: str = ""
    id: int = 0
    method_kind: int = 0
    parameters: tuple[Parameter, ...] = _tuple()
    return_type: Optional[TypeDef] = None
    attributes: tuple[Attribute, ...] = _tuple()
    access: str = "public"

    def attribute(self, name: str) -> Optional[Attribute]:
        key = name.casefold()
        return next((a for a in self.attributes if a.name.casefold() == key), None)


@attrs.frozen
class Field:
    id: int = 0
    name: str = ""
    type: TypeDef = TypeDef()
    properties: tuple[Property, ...] = _tuple()


@attrs.frozen
class Key:
    name: str = ""
    field_names: tuple[str, ...] = _tuple()
    properties: tuple[Property, ...] = _tuple()


@attrs.frozen
class FieldGroup:
    name: str = ""
    id: int = 0
    field_names: tuple[str, ...] = _tuple()
    properties: tuple[Property, ...] = _tuple()


@attrs.frozen
class FieldModification:
    """`modify("Name 2") { Caption = ...; }` in a table extension."""
    name: str = ""
    id: int = 0
    properties: tuple[Property, ...] = _tuple()


@attrs.frozen
class FieldGroupChange:
    """`addlast(DropDown; "My Field")` in a table extension's fieldgroups."""
    kind: str = ""
    anchor: str = ""
    field_names: tuple[str, ...] = _tuple()


@attrs.frozen
class Action:
    """kind: area, group, action, separator, actionref, customaction, systemaction, fileuploadaction."""
    kind: str = ""
    name: str = ""
    id: int = 0
    properties: tuple[Property, ...] = _tuple()
    actions: tuple["Action", ...] = _tuple()


@attrs.frozen
class Control:
    """kind: area, group, cuegroup, repeater, fixed, grid, part, systempart,
    field, label, usercontrol, chartpart. ``actions`` are a cuegroup's."""
    kind: str = ""
    name: str = ""
    id: int = 0
    type: Optional[TypeDef] = None
    properties: tuple[Property, ...] = _tuple()
    controls: tuple["Control", ...] = _tuple()
    actions: tuple[Action, ...] = _tuple()


@attrs.frozen
class View:
    name: str = ""
    properties: tuple[Property, ...] = _tuple()


@attrs.frozen
class ControlChange:
    """kind: add, addfirst, addlast, addbefore, addafter, movefirst, movelast,
    movebefore, moveafter, modify. ``targets`` are the controls a move moves;
    ``properties`` what a modify sets."""
    kind: str = ""
    anchor: str = ""
    controls: tuple[Control, ...] = _tuple()
    properties: tuple[Property, ...] = _tuple()
    targets: tuple[str, ...] = _tuple()


@attrs.frozen
class ActionChange:
    kind: str = ""
    anchor: str = ""
    actions: tuple[Action, ...] = _tuple()
    properties: tuple[Property, ...] = _tuple()
    targets: tuple[str, ...] = _tuple()


@attrs.frozen
class ViewChange:
    kind: str = ""
    anchor: str = ""
    views: tuple[View, ...] = _tuple()
    properties: tuple[Property, ...] = _tuple()
    targets: tuple[str, ...] = _tuple()


@attrs.frozen
class EnumValue:
    name: str = ""
    ordinal: int = 0
    properties: tuple[Property, ...] = _tuple()


@attrs.frozen
class ReportLayout:
    """A layout of a report's `rendering` section: its name and properties
    (`Type`, `LayoutFile`, `Caption`...). The JSON shape, `Layouts` items
    with `Properties` then `Name`, is the real one (Business Foundation
    24/25, a report extension of ALProject12: only Type and LayoutFile seen;
    other layout properties are INFERRED)."""
    name: str = ""
    properties: tuple[Property, ...] = _tuple()


@attrs.frozen
class ReportColumn:
    """``owning_data_item`` is set for columns a report extension adds."""
    name: str = ""
    source_expression: str = ""
    owning_data_item: str = ""
    properties: tuple[Property, ...] = _tuple()


@attrs.frozen
class ReportDataItem:
    name: str = ""
    related_table: str = ""
    owning_data_item: str = ""
    columns: tuple[ReportColumn, ...] = _tuple()
    data_items: tuple["ReportDataItem", ...] = _tuple()
    properties: tuple[Property, ...] = _tuple()


@attrs.frozen
class QueryColumn:
    name: str = ""
    source_column: str = ""
    properties: tuple[Property, ...] = _tuple()


@attrs.frozen
class QueryDataItem:
    name: str = ""
    related_table: str = ""
    columns: tuple[QueryColumn, ...] = _tuple()
    filters: tuple[QueryColumn, ...] = _tuple()
    data_items: tuple["QueryDataItem", ...] = _tuple()
    properties: tuple[Property, ...] = _tuple()


@attrs.frozen
class XmlPortNode:
    """kind: textelement, textattribute, tableelement, fieldelement, fieldattribute, tableattribute."""
    kind: str = ""
    name: str = ""
    expression: str = ""
    properties: tuple[Property, ...] = _tuple()
    children: tuple["XmlPortNode", ...] = _tuple()


@attrs.frozen
class RequestPage:
    controls: tuple[Control, ...] = _tuple()
    actions: tuple[Action, ...] = _tuple()
    properties: tuple[Property, ...] = _tuple()


@attrs.frozen
class RequestPageExtension:
    control_changes: tuple[ControlChange, ...] = _tuple()
    action_changes: tuple[ActionChange, ...] = _tuple()


@attrs.frozen
class Permission:
    """object_type: tabledata, table, report, codeunit, xmlport, page, query,
    system. ``value`` is the bit set R=1 I=2 M=4 D=8 X=16 and indirect ×32.
    ``object_name`` is kept when the object id is not known (id 0)."""
    object_type: str = ""
    id: int = 0
    object_name: str = ""
    value: int = 0


@attrs.frozen
class Module:
    """An InternalsVisibleToModules entry."""
    app_id: str = ""
    name: str = ""
    publisher: str = ""


# ----------------------------------------------------------------- objects --

def _common(cls, kind: str, collection: str, extension: bool):
    cls.kind = kind
    cls.collection = collection
    cls.is_extension = extension
    shared = {
        "properties": ("tuple[Property, ...]", attrs.field(default=(), converter=tuple, kw_only=True)),
        "variables": ("tuple[Variable, ...]", attrs.field(default=(), converter=tuple, kw_only=True)),
        "methods": ("tuple[Method, ...]", attrs.field(default=(), converter=tuple, kw_only=True)),
        "reference_source_file": ("str", attrs.field(default="", kw_only=True)),
        "namespace": ("Optional[str]", attrs.field(default=None, kw_only=True)),
    }
    for name, (annotation, field) in shared.items():
        cls.__annotations__[name] = annotation
        setattr(cls, name, field)
    return attrs.frozen(cls)


def _symbol_object(kind: str, collection: str, extension: bool = False):
    return lambda cls: _common(cls, kind, collection, extension)


class SymbolObject:
    """Base of the object kinds: ``kind`` is the AL keyword, ``collection``
    the SymbolReference.json array that holds them."""
    __slots__ = ()
    kind: ClassVar[str] = ""
    collection: ClassVar[str] = ""
    is_extension: ClassVar[bool] = False

    @property
    def full_name(self) -> str:
        ns = self.namespace  # type: ignore[attr-defined]
        return f"{ns}.{self.name}" if ns else self.name  # type: ignore[attr-defined]

    def get_property(self, name: str) -> Optional[str]:
        key = name.casefold()
        return next((p.value for p in self.properties if p.name.casefold() == key), None)  # type: ignore


@_symbol_object("table", "Tables")
class Table(SymbolObject):
    id: Optional[int] = None
    name: str = ""
    fields: tuple[Field, ...] = _tuple()
    keys: tuple[Key, ...] = _tuple()
    field_groups: tuple[FieldGroup, ...] = _tuple()


@_symbol_object("tableextension", "TableExtensions", extension=True)
class TableExtension(SymbolObject):
    """``target_app`` is the target's app id when the file names it (`#appid#name`)."""
    id: Optional[int] = None
    name: str = ""
    target: str = ""
    target_app: Optional[str] = None
    fields: tuple[Field, ...] = _tuple()
    keys: tuple[Key, ...] = _tuple()
    field_groups: tuple[FieldGroup, ...] = _tuple()
    field_modifications: tuple[FieldModification, ...] = _tuple()
    field_group_changes: tuple[FieldGroupChange, ...] = _tuple()


@_symbol_object("page", "Pages")
class Page(SymbolObject):
    id: Optional[int] = None
    name: str = ""
    controls: tuple[Control, ...] = _tuple()
    actions: tuple[Action, ...] = _tuple()
    views: tuple[View, ...] = _tuple()


@_symbol_object("pageextension", "PageExtensions", extension=True)
class PageExtension(SymbolObject):
    id: Optional[int] = None
    name: str = ""
    target: str = ""
    target_app: Optional[str] = None
    control_changes: tuple[ControlChange, ...] = _tuple()
    action_changes: tuple[ActionChange, ...] = _tuple()
    view_changes: tuple[ViewChange, ...] = _tuple()


@_symbol_object("pagecustomization", "PageCustomizations", extension=True)
class PageCustomization(SymbolObject):
    id: Optional[int] = None
    name: str = ""
    target: str = ""
    target_app: Optional[str] = None
    control_changes: tuple[ControlChange, ...] = _tuple()
    action_changes: tuple[ActionChange, ...] = _tuple()
    view_changes: tuple[ViewChange, ...] = _tuple()


@_symbol_object("codeunit", "Codeunits")
class Codeunit(SymbolObject):
    id: Optional[int] = None
    name: str = ""
    implemented_interfaces: tuple[str, ...] = _tuple()


@_symbol_object("report", "Reports")
class Report(SymbolObject):
    id: Optional[int] = None
    name: str = ""
    data_items: tuple[ReportDataItem, ...] = _tuple()
    request_page: Optional[RequestPage] = None
    layouts: tuple[ReportLayout, ...] = _tuple()


@_symbol_object("reportextension", "ReportExtensions", extension=True)
class ReportExtension(SymbolObject):
    """Real files name the target `Target`, not `TargetObject`."""
    id: Optional[int] = None
    name: str = ""
    target: str = ""
    target_app: Optional[str] = None
    data_items: tuple[ReportDataItem, ...] = _tuple()
    columns: tuple[ReportColumn, ...] = _tuple()
    request_page: Optional[RequestPageExtension] = None
    layouts: tuple[ReportLayout, ...] = _tuple()


@_symbol_object("query", "Queries")
class Query(SymbolObject):
    id: Optional[int] = None
    name: str = ""
    elements: tuple[QueryDataItem, ...] = _tuple()


@_symbol_object("xmlport", "XmlPorts")
class XmlPort(SymbolObject):
    id: Optional[int] = None
    name: str = ""
    schema: tuple[XmlPortNode, ...] = _tuple()
    request_page: Optional[RequestPage] = None


@_symbol_object("enum", "EnumTypes")
class Enum(SymbolObject):
    id: Optional[int] = None
    name: str = ""
    values: tuple[EnumValue, ...] = _tuple()
    implemented_interfaces: tuple[str, ...] = _tuple()


@_symbol_object("enumextension", "EnumExtensionTypes", extension=True)
class EnumExtension(SymbolObject):
    id: Optional[int] = None
    name: str = ""
    target: str = ""
    target_app: Optional[str] = None
    values: tuple[EnumValue, ...] = _tuple()


@_symbol_object("interface", "Interfaces")
class Interface(SymbolObject):
    id: Optional[int] = None
    name: str = ""
    extended_interfaces: tuple[str, ...] = _tuple()


@_symbol_object("permissionset", "PermissionSets")
class PermissionSet(SymbolObject):
    id: Optional[int] = None
    name: str = ""
    permissions: tuple[Permission, ...] = _tuple()


@_symbol_object("permissionsetextension", "PermissionSetExtensions", extension=True)
class PermissionSetExtension(SymbolObject):
    id: Optional[int] = None
    name: str = ""
    target: str = ""
    target_app: Optional[str] = None
    permissions: tuple[Permission, ...] = _tuple()


@_symbol_object("profile", "Profiles")
class Profile(SymbolObject):
    id: Optional[int] = None
    name: str = ""


@_symbol_object("profileextension", "ProfileExtensions", extension=True)
class ProfileExtension(SymbolObject):
    id: Optional[int] = None
    name: str = ""
    target: str = ""
    target_app: Optional[str] = None


@_symbol_object("controladdin", "ControlAddIns")
class ControlAddIn(SymbolObject):
    id: Optional[int] = None
    name: str = ""
    events: tuple[Method, ...] = _tuple()


OBJECT_CLASSES: tuple[type, ...] = (
    Table, Codeunit, Page, PageExtension, PageCustomization, TableExtension, Report, XmlPort, Query, Profile,
    ProfileExtension, ControlAddIn, Enum, EnumExtension, Interface, PermissionSet, PermissionSetExtension,
    ReportExtension)
"""Every object kind, in the order real files list their collections."""

KIND_CLASSES: dict[str, type] = {cls.kind: cls for cls in OBJECT_CLASSES}


def _sort_key(obj) -> tuple:
    return (obj.namespace or "", obj.id if obj.id is not None else -1, obj.name.casefold(), obj.name)


def _objects(items) -> tuple:
    return tuple(sorted(items, key=_sort_key))


def _objects_field():
    return attrs.field(default=(), converter=_objects)


@attrs.frozen
class SymbolReference:
    """All symbols of one app. Identity fields are as the file gives them."""
    runtime_version: str = ""
    app_id: str = ""
    name: str = ""
    publisher: str = ""
    version: str = ""
    tables: tuple[Table, ...] = _objects_field()
    codeunits: tuple[Codeunit, ...] = _objects_field()
    pages: tuple[Page, ...] = _objects_field()
    page_extensions: tuple[PageExtension, ...] = _objects_field()
    page_customizations: tuple[PageCustomization, ...] = _objects_field()
    table_extensions: tuple[TableExtension, ...] = _objects_field()
    reports: tuple[Report, ...] = _objects_field()
    xml_ports: tuple[XmlPort, ...] = _objects_field()
    queries: tuple[Query, ...] = _objects_field()
    profiles: tuple[Profile, ...] = _objects_field()
    profile_extensions: tuple[ProfileExtension, ...] = _objects_field()
    control_add_ins: tuple[ControlAddIn, ...] = _objects_field()
    enum_types: tuple[Enum, ...] = _objects_field()
    enum_extension_types: tuple[EnumExtension, ...] = _objects_field()
    interfaces: tuple[Interface, ...] = _objects_field()
    permission_sets: tuple[PermissionSet, ...] = _objects_field()
    permission_set_extensions: tuple[PermissionSetExtension, ...] = _objects_field()
    report_extensions: tuple[ReportExtension, ...] = _objects_field()
    internals_visible_to: tuple[Module, ...] = _tuple()

    @classmethod
    def from_objects(cls, objects, **identity) -> "SymbolReference":
        """Group objects of any kinds into their collections."""
        groups: dict[str, list] = {attr: [] for attr in COLLECTION_ATTRS.values()}
        for obj in objects:
            groups[COLLECTION_ATTRS[obj.collection]].append(obj)
        return cls(**identity, **groups)

    def objects(self) -> Iterator[SymbolObject]:
        """Every object, kind by kind in the file's collection order."""
        for attr in COLLECTION_ATTRS.values():
            yield from getattr(self, attr)


COLLECTION_ATTRS: dict[str, str] = {
    "Tables": "tables", "Codeunits": "codeunits", "Pages": "pages", "PageExtensions": "page_extensions",
    "PageCustomizations": "page_customizations", "TableExtensions": "table_extensions", "Reports": "reports",
    "XmlPorts": "xml_ports", "Queries": "queries", "Profiles": "profiles", "ProfileExtensions": "profile_extensions",
    "ControlAddIns": "control_add_ins", "EnumTypes": "enum_types", "EnumExtensionTypes": "enum_extension_types",
    "Interfaces": "interfaces", "PermissionSets": "permission_sets",
    "PermissionSetExtensions": "permission_set_extensions", "ReportExtensions": "report_extensions",
}
"""SymbolReference.json collection name -> SymbolReference attribute."""


_LATER = {"read_symbols": "symbols_json", "write_symbols": "symbols_json", "symbols_from_ir": "symbols_ir"}


def __getattr__(name: str):
    """``read_symbols``, ``write_symbols`` and ``symbols_from_ir`` from their modules (which need the
    classes above), imported when first used: so either module may also be imported first."""
    if name not in _LATER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module
    value = getattr(import_module(f"{__package__}.{_LATER[name]}"), name)
    globals()[name] = value
    return value



def _rebuild(cls, values):
    """Unpickle without running __init__ (the converters ran when the object was made)."""
    obj = object.__new__(cls)
    for name, value in zip(cls._pickle_fields, values):
        object.__setattr__(obj, name, value)
    return obj


def _fast_pickling(cls) -> None:
    names = tuple(f.name for f in attrs.fields(cls))
    cls._pickle_fields = names
    cls.__reduce__ = lambda self: (_rebuild, (type(self), tuple(getattr(self, n) for n in names)))


for _cls in list(globals().values()):
    if isinstance(_cls, type) and attrs.has(_cls) and _cls.__module__ == __name__:
        _fast_pickling(_cls)
