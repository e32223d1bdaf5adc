"""SymbolReference.json <-> the symbol model.

The reader takes what real Business Central files hold (APP-FORMAT.md §3):
a UTF-8 BOM, trailing NUL padding (server-made symbol packages), properties
as `{"Name","Value"}` or `{"Value","Name"}`, every collection optional,
objects nested under `Namespaces` (recursively; the namespace is the dotted
path), `TargetObject` as a name or `#<app id>#name`, and `Target` for report
extensions. Every value is type-checked: a wrong one is one PackageError
(ALC0430) naming its path, such as `Tables[3].Fields[2].Id`.

The writer produces the same shape (newer property order, defaults left out,
one line, UTF-8 with BOM); reading what it wrote gives an equal model.

>>> from alc.package.symbols import SymbolReference, TableExtension
>>> data = b'\\xef\\xbb\\xbf{"TableExtensions":[{"Id":50100,"Name":"Cust Ext",' \\
...        b'"TargetObject":"#437dbf0e84ff417a965ded2bb9650972#Customer"}]}\\x00\\x00'
>>> ext = read_symbols(data).table_extensions[0]
>>> ext.target, ext.target_app
('Customer', '437dbf0e-84ff-417a-965d-ed2bb9650972')
"""

from __future__ import annotations

import gc
import json
import re
from typing import Annotated, Any, Iterator, Optional, Union

import attrs
import msgspec

from ..appmodel import guid_from_hex
from ..budget import BudgetError, check as budget_check
from .errors import DEFAULT_LIMITS, Limits, PackageError
from .symbols import (OBJECT_CLASSES, COLLECTION_ATTRS, Action, ActionChange, Attribute, Control, ControlChange,
                      EnumValue, Field, FieldGroup, FieldGroupChange, FieldModification, Key, Method, Module,
                      Parameter, Permission, Property, QueryColumn, QueryDataItem, ReportColumn, ReportDataItem,
                      ReportLayout, RequestPage, RequestPageExtension, Subtype, SymbolReference, TypeDef, Variable,
                      View, ViewChange, XmlPortNode)
from . import symbols as m

__all__ = ["read_symbols", "write_symbols", "iter_symbols", "symbols_to_json", "symbols_from_json",
           "CONTROL_KINDS", "ACTION_KINDS", "CHANGE_KINDS", "XMLPORT_NODE_KINDS", "PERMISSION_OBJECTS",
           "rights_to_value", "value_to_rights"]

CONTROL_KINDS = ("area", "group", "cuegroup", "repeater", "fixed", "grid", "part", "systempart", "field", "label",
                 "usercontrol", "chartpart")
ACTION_KINDS = ("area", "group", "action", "separator", "actionref", "customaction", "systemaction",
                "fileuploadaction")
CHANGE_KINDS = ("add", "addfirst", "addlast", "addbefore", "addafter", "movefirst", "movelast", "movebefore",
                "moveafter", "modify")
XMLPORT_NODE_KINDS = ("textelement", "textattribute", "tableelement", "fieldelement", "fieldattribute",
                      "tableattribute")   # tableattribute = 5 is alc's own number
PERMISSION_OBJECTS = {0: "tabledata", 1: "table", 3: "report", 5: "codeunit", 6: "xmlport", 8: "page", 9: "query",
                      10: "system"}
_RIGHTS = "RIMDX"

_OMIT = object()
_TARGET_RE = re.compile(r"^#([0-9A-Fa-f]{32})#(.*)$", re.S)


# ------------------------------------------------------------------- errors --

class _BadValue(Exception):
    """A value of the wrong type; each level adds its key while unwinding,
    so the happy path pays nothing for error paths."""

    def __init__(self, what: str, value: Any):
        self.what, self.value, self.path = what, value, []

    def to_error(self) -> PackageError:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in reversed(self.path)).lstrip(".")
        return PackageError("ALC0430", f"SymbolReference.json: `{where or '(top level)'}` must be {self.what}, "
                                       f"got {_kind_of(self.value)}")


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return {str: "a string", list: "an array", dict: "an object", type(None): "null"}.get(type(value), "a value")


def rights_to_value(rights: str) -> int:
    """`RIMDX` letters (lowercase = indirect) to the permission bit set.

    >>> rights_to_value("RIMD"), rights_to_value("rX")
    (15, 48)
    """
    value = 0
    for c in rights:
        i = _RIGHTS.find(c.upper())
        if i >= 0:
            value |= (1 << i) << (5 if c.islower() else 0)
    return value


def value_to_rights(value: int) -> str:
    """The inverse of :func:`rights_to_value`.

    >>> value_to_rights(15), value_to_rights(48)
    ('RIMD', 'rX')
    """
    return "".join(c.lower() if value & (1 << (i + 5)) else c for i, c in enumerate(_RIGHTS)
                   if value & ((1 << i) | (1 << (i + 5))))


# ------------------------------------------------------------------ codecs --

def _at(exc: _BadValue, segment) -> _BadValue:
    exc.path.append(segment)
    return exc


class _Str:
    def __init__(self, keep: bool = False):
        self.keep = keep

    def load(self, v):
        if type(v) is str:
            return v
        if isinstance(v, bool):
            return "1" if v else "0"
        if isinstance(v, (int, float)):
            return str(v)
        raise _BadValue("a string", v)

    def dump(self, v):
        return v if (v or self.keep) else _OMIT


_TEXT = _Str()


class _Int:
    def __init__(self, keep: bool = False):
        self.keep = keep

    def load(self, v):
        if type(v) is int:
            return v
        if type(v) is str and re.fullmatch(r"-?[0-9]{1,19}", v.strip()):
            return int(v)
        if type(v) is float and v.is_integer():
            return int(v)
        raise _BadValue("an integer", v)

    def dump(self, v):
        if v is None:
            return _OMIT
        return v if (v or self.keep) else _OMIT


class _Bool:
    def load(self, v):
        if type(v) is bool:
            return v
        if type(v) is int and v in (0, 1):
            return bool(v)
        if type(v) is str and v.strip().casefold() in ("true", "false", "1", "0"):
            return v.strip().casefold() in ("true", "1")
        raise _BadValue("true or false", v)

    def dump(self, v):
        return True if v else _OMIT


_BOOL = _Bool()


class _List:
    def __init__(self, item):
        self.item = item

    def load(self, v):
        if type(v) is not list:
            raise _BadValue("an array", v)
        load = self.item.load
        out = []
        for i, x in enumerate(v):
            try:
                out.append(load(x))
            except _BadValue as exc:
                raise _at(exc, i)
        return tuple(out)

    def dump(self, v):
        return [self.item.dump(x) for x in v] if v else _OMIT


class _Record:
    def __init__(self, cls):
        self.cls = cls

    def load(self, v):
        return _LOADERS[self.cls](v)

    def dump(self, v):
        return _OMIT if v is None else _dump(v)


def _records(cls) -> _List:
    return _List(_Record(cls))


def _freeze(v):
    if type(v) is dict:
        return tuple((k, _freeze(x)) for k, x in v.items())
    if type(v) is list:
        return ("[",) + tuple(_freeze(x) for x in v)
    return (type(v), v)


class _Shared(_Record):
    """A record read once per distinct JSON value (types repeat endlessly)."""

    def __init__(self, cls):
        super().__init__(cls)
        self.cache: dict = {}

    def load(self, v):
        if type(v) is not dict:
            raise _BadValue("an object", v)
        name = v.get("Name")
        key = name if len(v) == 1 and type(name) is str else _freeze(v)   # most types are `{"Name": ...}` alone
        obj = self.cache.get(key)
        if obj is None:
            if len(self.cache) > 100_000:
                self.cache.clear()
            obj = self.cache[key] = _load(self.cls, v)
        return obj


class _Kind:
    """An enum stored as an int; the model keeps the AL keyword. Unknown
    numbers survive as `#n`."""

    def __init__(self, names):
        self.by_number = dict(names) if isinstance(names, dict) else dict(enumerate(names))
        self.by_name = {v: k for k, v in self.by_number.items()}

    def load(self, v):
        if type(v) is int:
            return self.by_number.get(v, f"#{v}")
        if type(v) is str:
            key = v.strip().casefold()
            if key in self.by_name:
                return key
            if _is_number(key):
                return self.by_number.get(int(key), f"#{int(key)}")
        raise _BadValue("a kind number", v)

    def dump(self, v):
        if v in self.by_name:
            return self.by_name[v]
        if v.startswith("#") and _is_number(v[1:]):
            return int(v[1:])
        if not v:
            return _OMIT
        raise ValueError(f"unknown kind `{v}`")


def _is_number(text: str) -> bool:
    """An ASCII integer of at most 18 digits (`int` takes it; `isdigit` alone lets
    `²` and 5,000-digit strings through).

    >>> _is_number("-12"), _is_number("²"), _is_number("9" * 19)
    (True, False, False)
    """
    digits = text[1:] if text.startswith("-") else text
    return 0 < len(digits) <= 18 and digits.isascii() and digits.isdigit()


class _Rights:
    def load(self, v):
        if type(v) is int:
            return v
        if type(v) is str:
            s = v.strip()
            return int(s) if _is_number(s) and not s.startswith("-") else rights_to_value(s)
        raise _BadValue("a permission value", v)

    def dump(self, v):
        return v


_new, _get = object.__new__, dict.get
_set_name, _set_value = Property.__dict__["name"].__set__, Property.__dict__["value"].__set__


class _Props:
    """The fast path for the most numerous node: `[{"Name":..,"Value":..}]`.
    Equal properties are shared (a read of a large file repeats a few
    thousand of them a million times)."""

    def __init__(self):
        self.cache: dict = {}

    def load(self, v):
        if type(v) is not list:
            raise _BadValue("an array", v)
        cache = self.cache
        if len(cache) > 100_000:
            cache.clear()
        known, out = cache.get, []
        for p in v:   # the common case: objects with string names and values (anything else: _load_odd)
            if type(p) is not dict:
                return self._load_odd(v)
            name, value = _get(p, "Name", ""), _get(p, "Value", "")
            if type(name) is not str or type(value) is not str:
                return self._load_odd(v)
            prop = known((name, value))
            if prop is None:
                prop = cache[(name, value)] = _new(Property)   # Property(name, value) without attrs' __init__
                _set_name(prop, name)
                _set_value(prop, value)
            out.append(prop)
        return tuple(out)

    def _load_odd(self, v):
        """Properties with names or values to convert (numbers, booleans, null), or of the wrong type."""
        out = []
        for i, p in enumerate(v):
            if type(p) is not dict:
                raise _at(_BadValue("an object", p), i)
            name, value = p.get("Name", ""), p.get("Value", "")
            try:
                name = _TEXT.load(name)
            except _BadValue as exc:
                raise _at(_at(exc, "Name"), i)
            try:
                value = "" if value is None else _TEXT.load(value)
            except _BadValue as exc:
                raise _at(_at(exc, "Value"), i)
            out.append(Property(name, value))
        return tuple(out)

    def dump(self, v):
        return [{"Name": p.name, "Value": p.value} for p in v] if v else _OMIT


class _Arguments:
    """Attribute arguments: `[{"Value": "false"}, ...]`."""

    def load(self, v):
        if type(v) is not list:
            raise _BadValue("an array", v)
        out = []
        for i, a in enumerate(v):
            if type(a) is dict:
                a = a.get("Value", "")
            try:
                out.append(_TEXT.load(a if a is not None else ""))
            except _BadValue as exc:
                raise _at(exc, i)
        return tuple(out)

    def dump(self, v):
        return [{"Value": a} for a in v] if v else _OMIT


class _Target:
    """`TargetObject` (or `Target`) as `name` or `#<32 hex app id>#name`;
    sets both ``target`` and ``target_app``."""

    def __init__(self, key: str):
        self.key = key

    def load_into(self, d, kw):
        key = self.key if self.key in d else ("Target" if "Target" in d else "TargetObject")
        v = d.get(key)
        if v is None:
            return
        try:
            text = _TEXT.load(v)
        except _BadValue as exc:
            raise _at(exc, key)
        match = _TARGET_RE.match(text)
        if match:
            kw["target_app"] = guid_from_hex(match.group(1))
            text = match.group(2)
        kw["target"] = text

    def dump_into(self, out, obj):
        if obj.target_app:
            out[self.key] = f"#{obj.target_app.replace('-', '')}#{obj.target}"
        elif obj.target:
            out[self.key] = obj.target


class _Access:
    """`IsLocal` / `IsInternal` / `IsProtected` flags <-> ``access``."""
    FLAGS = (("IsLocal", "local"), ("IsInternal", "internal"), ("IsProtected", "protected"))

    def load_into(self, d, kw):
        for key, access in self.FLAGS:
            if key in d:
                try:
                    flag = _BOOL.load(d[key])
                except _BadValue as exc:
                    raise _at(exc, key)
                if flag:
                    kw["access"] = access
                    return
        modifier = d.get("AccessModifier")
        if type(modifier) is str and modifier.casefold() in ("local", "internal", "protected", "public"):
            kw["access"] = modifier.casefold()

    def dump_into(self, out, obj):
        for key, access in self.FLAGS:
            if obj.access == access:
                out[key] = True


# ------------------------------------------------------------------- specs --

S, SK, I, IK, B = _Str(), _Str(keep=True), _Int(), _Int(keep=True), _Bool()
OI = IK   # object ids: None is left out, 0 is kept
SL, IL, PROPS, TYPE = _List(_Str(keep=True)), _List(_Int(keep=True)), _Props(), _Shared(TypeDef)
CHANGE = _Kind(CHANGE_KINDS)

SPECS: dict[type, tuple] = {
    Subtype: (("name", "Name", SK), ("id", "Id", IK), ("is_empty", "IsEmpty", B), ("module_id", "ModuleId", S)),
    TypeDef: (("name", "Name", SK), ("array_dimensions", "ArrayDimensions", IL), ("temporary", "Temporary", B),
              ("subtype", "Subtype", _Record(Subtype)), ("option_members", "OptionMembers", SL),
              ("type_arguments", "TypeArguments", _records(TypeDef))),
    Variable: (("name", "Name", SK), ("type", "TypeDefinition", TYPE), ("protected", "Protected", B)),
    Parameter: (("name", "Name", SK), ("by_ref", "IsVar", B), ("type", "TypeDefinition", TYPE)),
    Attribute: (("name", "Name", SK), ("arguments", "Arguments", _Arguments())),
    Method: (("id", "Id", IK), ("name", "Name", SK), ("method_kind", "MethodKind", I),
             ("parameters", "Parameters", _records(Parameter)), ("return_type", "ReturnTypeDefinition",
                                                                   TYPE),
             ("attributes", "Attributes", _records(Attribute)), ("access", None, _Access())),
    Field: (("id", "Id", IK), ("name", "Name", SK), ("type", "TypeDefinition", TYPE),
            ("properties", "Properties", PROPS)),
    Key: (("name", "Name", SK), ("field_names", "FieldNames", SL), ("properties", "Properties", PROPS)),
    FieldGroup: (("id", "Id", I), ("name", "Name", SK), ("field_names", "FieldNames", SL),
                 ("properties", "Properties", PROPS)),
    FieldModification: (("id", "Id", I), ("name", "Name", SK), ("properties", "Properties", PROPS)),
    FieldGroupChange: (("anchor", "Anchor", SK), ("kind", "ChangeKind", CHANGE), ("field_names", "FieldNames", SL)),
    Action: (("kind", "Kind", _Kind(ACTION_KINDS)), ("id", "Id", I), ("name", "Name", SK),
             ("properties", "Properties", PROPS)),
    Control: (("kind", "Kind", _Kind(CONTROL_KINDS)), ("id", "Id", I), ("name", "Name", SK),
              ("type", "TypeDefinition", TYPE), ("properties", "Properties", PROPS)),
    View: (("name", "Name", SK), ("properties", "Properties", PROPS)),
    EnumValue: (("name", "Name", SK), ("ordinal", "Ordinal", IK), ("properties", "Properties", PROPS)),
    ReportColumn: (("name", "Name", SK), ("source_expression", "SourceExpression", S),
                   ("owning_data_item", "OwningDataItemName", S), ("properties", "Properties", PROPS)),
    ReportLayout: (("properties", "Properties", PROPS), ("name", "Name", SK)),   # as real files order them
    QueryColumn: (("name", "Name", SK), ("source_column", "SourceColumn", S), ("properties", "Properties", PROPS)),
    Permission: (("object_type", "PermissionObject", _Kind(PERMISSION_OBJECTS)), ("id", "Id", IK),
                 ("object_name", "ObjectName", S), ("value", "Value", _Rights())),
    Module: (("app_id", "AppId", SK), ("name", "Name", SK), ("publisher", "Publisher", SK)),
}
# Recursive members refer to themselves, so they are added once the classes have specs.
SPECS[Action] += (("actions", "Actions", _records(Action)),)
SPECS[Control] += (("controls", "Controls", _records(Control)), ("actions", "Actions", _records(Action)))
SPECS[ControlChange] = (("anchor", "Anchor", SK), ("kind", "ChangeKind", CHANGE),
                        ("controls", "Controls", _records(Control)), ("properties", "Properties", PROPS),
                        ("targets", "Targets", SL))
SPECS[ActionChange] = (("anchor", "Anchor", SK), ("kind", "ChangeKind", CHANGE),
                       ("actions", "Actions", _records(Action)), ("properties", "Properties", PROPS),
                       ("targets", "Targets", SL))
SPECS[ViewChange] = (("anchor", "Anchor", SK), ("kind", "ChangeKind", CHANGE), ("views", "Views", _records(View)),
                     ("properties", "Properties", PROPS), ("targets", "Targets", SL))
SPECS[ReportDataItem] = (("name", "Name", SK), ("related_table", "RelatedTable", S),
                         ("owning_data_item", "OwningDataItemName", S),
                         ("columns", "Columns", _records(ReportColumn)),
                         ("data_items", "DataItems", _records(ReportDataItem)), ("properties", "Properties", PROPS))
SPECS[QueryDataItem] = (("name", "Name", SK), ("related_table", "RelatedTable", S),
                        ("columns", "Columns", _records(QueryColumn)), ("filters", "Filters", _records(QueryColumn)),
                        ("data_items", "DataItems", _records(QueryDataItem)), ("properties", "Properties", PROPS))
SPECS[XmlPortNode] = (("kind", "Kind", _Kind(XMLPORT_NODE_KINDS)), ("name", "Name", SK),
                      ("expression", "Expression", S), ("properties", "Properties", PROPS),
                      ("children", "Schema", _records(XmlPortNode)))
SPECS[RequestPage] = (("controls", "Controls", _records(Control)), ("actions", "Actions", _records(Action)),
                      ("properties", "Properties", PROPS))
SPECS[RequestPageExtension] = (("control_changes", "ControlChanges", _records(ControlChange)),
                               ("action_changes", "ActionChanges", _records(ActionChange)))

_HEAD = (("id", "Id", OI), ("name", "Name", SK))
_TAIL = (("properties", "Properties", PROPS), ("variables", "Variables", _records(Variable)),
         ("methods", "Methods", _records(Method)), ("reference_source_file", "ReferenceSourceFileName", S))
_OWN = {
    m.Table: (("fields", "Fields", _records(Field)), ("keys", "Keys", _records(Key)),
              ("field_groups", "FieldGroups", _records(FieldGroup))),
    m.TableExtension: (("fields", "Fields", _records(Field)), ("keys", "Keys", _records(Key)),
                       ("field_groups", "FieldGroups", _records(FieldGroup)),
                       ("field_modifications", "FieldModifications", _records(FieldModification)),
                       ("field_group_changes", "FieldGroupChanges", _records(FieldGroupChange))),
    m.Page: (("controls", "Controls", _records(Control)), ("actions", "Actions", _records(Action)),
             ("views", "Views", _records(View))),
    m.Codeunit: (("implemented_interfaces", "ImplementedInterfaces", SL),),
    m.Report: (("data_items", "DataItems", _records(ReportDataItem)),
               ("request_page", "RequestPage", _Record(RequestPage)), ("layouts", "Layouts", _records(ReportLayout))),
    m.ReportExtension: (("data_items", "DataItems", _records(ReportDataItem)),
                        ("columns", "Columns", _records(ReportColumn)),
                        ("request_page", "RequestPage", _Record(RequestPageExtension)),
                        ("layouts", "Layouts", _records(ReportLayout))),
    m.Query: (("elements", "Elements", _records(QueryDataItem)),),
    m.XmlPort: (("schema", "Schema", _records(XmlPortNode)), ("request_page", "RequestPage", _Record(RequestPage))),
    m.Enum: (("values", "Values", _records(EnumValue)), ("implemented_interfaces", "ImplementedInterfaces", SL)),
    m.EnumExtension: (("values", "Values", _records(EnumValue)),),
    m.Interface: (("extended_interfaces", "ExtendedInterfaces", SL),),
    m.PermissionSet: (("permissions", "Permissions", _records(Permission)),),
    m.PermissionSetExtension: (("permissions", "Permissions", _records(Permission)),),
    m.ControlAddIn: (("events", "Events", _records(Method)),),
}
_PAGE_EXT = (("control_changes", "ControlChanges", _records(ControlChange)),
             ("action_changes", "ActionChanges", _records(ActionChange)),
             ("view_changes", "ViewChanges", _records(ViewChange)))
_OWN[m.PageExtension] = _OWN[m.PageCustomization] = _PAGE_EXT

for _cls in OBJECT_CLASSES:
    _target = ((("target", None, _Target("Target" if _cls is m.ReportExtension else "TargetObject")),)
               if _cls.is_extension else ())
    SPECS[_cls] = _HEAD + _target + _OWN.get(_cls, ()) + _TAIL

_CLASS_BY_COLLECTION = {cls.collection: cls for cls in OBJECT_CLASSES}


# ------------------------------------------------------------- loaders --
# One function per class, generated from its spec: the fields in the spec's order (so the first value of
# the wrong type is the one named, as a loop over the spec would), strings, integers and booleans of the
# right type taken inline, lists of records read by a comprehension (the index of a bad item found again
# only when there is one): a reading of the largest files builds millions of records, and a loop over the
# spec with a method call per field cost twice the time.

def _failing_index(items: list, load) -> int:
    for i, item in enumerate(items):
        try:
            load(item)
        except _BadValue:
            return i
    return 0   # pragma: no cover (only called after one item failed)


def _fast(cls, spec) -> bool:
    """Whether the loader of ``cls`` may fill a new instance's slots itself (what attrs' ``__init__`` does,
    at half the cost): a record inside objects (never given ``extra``), every field from a codec of its own
    (no ``load_into``), no validator, converter other than ``tuple`` (codecs return tuples) or factory."""
    fields = attrs.fields(cls)
    return (cls not in OBJECT_CLASSES and all(key is not None for _, key, _ in spec)
            and "__slots__" in cls.__dict__ and not hasattr(cls, "__attrs_post_init__")
            and all(f.validator is None and f.converter in (None, tuple) and not isinstance(f.default, attrs.Factory)
                    for f in fields))


def _loader_source(cls, spec) -> tuple[str, dict]:
    """Source of the loader of ``cls`` (``_load_<class>``) and the names it binds."""
    name = cls.__name__
    fast = _fast(cls, spec)
    lines = [f"def _load_{name}(d, extra=None):",
             "    if type(d) is not dict:",
             "        raise _BadValue('an object', d)",
             "    get = d.get"]
    env: dict = {name: cls}
    if fast:
        lines += ["    if extra is not None:",
                  f"        raise TypeError('{name} takes no extra fields')",
                  f"    o = _new({name})"]
        env["_new"] = object.__new__
    else:
        lines.append("    kw = {} if extra is None else dict(extra)")
    for n, (attr, key, codec) in enumerate(spec):
        c = f"_{name}_{n}"
        if key is None:
            env[c] = codec.load_into
            lines.append(f"    {c}(d, kw)")
            continue
        env[c] = codec.load
        if fast:
            setter = env[f"_{name}_set{n}"] = cls.__dict__[attr].__set__
            env[f"_{name}_default{n}"] = attrs.fields_dict(cls)[attr].default
            store = f"_{name}_set{n}(o, {{}})"
            lines += [f"    v = get({key!r})", "    if v is None:", f"        {store.format(f'_{name}_default{n}')}"]
        else:
            store = f"kw[{attr!r}] = {{}}"
            lines += [f"    v = get({key!r})", "    if v is None:", "        pass"]
        kind = type(codec)
        inline = {_Str: "str", _Int: "int", _Bool: "bool"}.get(kind)
        if inline:
            lines += [f"    elif type(v) is {inline}:", f"        {store.format('v')}"]
        if kind is _Kind:
            env[f"_{name}_by{n}"] = codec.by_number
            lines += ["    elif type(v) is int and v in " + f"_{name}_by{n}:",
                      f"        {store.format(f'_{name}_by{n}[v]')}"]
        if kind is _List and type(codec.item) is _Record:
            item = f"_load_{codec.item.cls.__name__}"
            lines += ["    elif type(v) is list:",
                      "        try:",
                      f"            {store.format(f'tuple([{item}(x) for x in v])')}",
                      "        except _BadValue as exc:",
                      f"            raise _at(_at(exc, _failing_index(v, {item})), {key!r})"]
        lines += ["    else:", "        try:", f"            {store.format(f'{c}(v)')}",
                  "        except _BadValue as exc:", f"            raise _at(exc, {key!r})"]
    if fast:
        done = {attr for attr, _, _ in spec}
        for field in attrs.fields(cls):
            if field.name not in done:
                env[f"_{name}_set_{field.name}"] = cls.__dict__[field.name].__set__
                env[f"_{name}_default_{field.name}"] = field.default
                lines.append(f"    _{name}_set_{field.name}(o, _{name}_default_{field.name})")
        lines.append("    return o")
    else:
        lines.append(f"    return {name}(**kw)")
    return "\n".join(lines) + "\n", env


def _make_loaders() -> dict:
    """Every class's loader, compiled into one namespace (records nest: each finds the others there)."""
    namespace: dict = {"_BadValue": _BadValue, "_at": _at, "_failing_index": _failing_index}
    for cls, spec in SPECS.items():
        source, env = _loader_source(cls, spec)
        namespace.update(env)
        exec(compile(source, f"<loader of {cls.__name__}>", "exec"), namespace)
    return {cls: namespace[f"_load_{cls.__name__}"] for cls in SPECS}


_LOADERS = _make_loaders()


# ------------------------------------------------------ the typed schema --
# The same specs as msgspec types, for reading the headers of the objects
# (`alc inspect`) while checking the shape of everything else in C: each
# codec becomes the union of the JSON values it takes (a string field takes
# numbers and booleans too, as ``_Str`` does; an integer field takes an
# integral float or a string of digits, as ``_Int`` does). What the schema
# refuses, the full decoder reads again for its message; what it takes and the
# full decoder would not is only a kind name that case-folds oddly (`İ`)
# (6,000 seeded mutations of the test documents: none).

_STR_T = Union[str, int, float, bool]
_INT_T = Union[int, Annotated[float, msgspec.Meta(multiple_of=1)],
               Annotated[str, msgspec.Meta(pattern=r"^\s*-?[0-9]{1,19}\s*\Z")]]
_BOOL_T = Union[bool, Annotated[int, msgspec.Meta(ge=0, le=1)],
                Annotated[str, msgspec.Meta(pattern=r"(?i)^\s*(true|false|1|0)\s*\Z")]]
_RIGHTS_T = Union[int, str]
_TARGET_KEYS = ("TargetObject", "Target")
_KIND_TYPES: dict = {}


def _kind_type(codec: "_Kind") -> str:
    """A kind: a number, or one of its names (any case, blanks around) or a number of at most 18 digits as text."""
    names = "|".join(re.escape(name) for name in sorted(codec.by_name, key=len, reverse=True))
    pattern = rf"(?i)^\s*(?:{names}|-?[0-9]{{1,18}})\s*\Z"
    name = _KIND_TYPES.setdefault(pattern, f"_KIND_T{len(_KIND_TYPES)}")
    globals()[name] = Union[int, Annotated[str, msgspec.Meta(pattern=pattern)]]
    return name


def _item_type(codec) -> str:
    """The annotation of a codec's value when it is present and not null."""
    kind = type(codec)
    if kind is _Str:
        return "_STR_T"
    if kind is _Int:
        return "_INT_T"
    if kind is _Bool:
        return "_BOOL_T"
    if kind is _Kind:
        return _kind_type(codec)
    if kind is _Rights:
        return "_RIGHTS_T"
    if kind is _List:
        return f"list[{_item_type(codec.item)}]"
    if kind in (_Record, _Shared):
        return f"_J{codec.cls.__name__}"
    if kind is _Props:
        return "list[_JProperty]"
    if kind is _Arguments:
        return "list[Union[_JArgument, _STR_T, None]]"
    raise TypeError(f"no JSON type for {codec!r}")


def _fields(spec) -> list:
    out = []
    for attr, key, codec in spec:
        if type(codec) is _Target:
            out += [(key, "Union[_STR_T, None, msgspec.UnsetType]", msgspec.UNSET) for key in _TARGET_KEYS]
        elif type(codec) is _Access:
            out += [(flag, "Union[_BOOL_T, msgspec.UnsetType]", msgspec.UNSET) for flag, _ in _Access.FLAGS]
            out.append(("AccessModifier", Any, None))   # a flag present must be a boolean, even null is refused
        else:
            out.append((key, f"Optional[{_item_type(codec)}]", None))
    return out


_JProperty = msgspec.defstruct("_JProperty", [("Name", "_STR_T", ""), ("Value", "Optional[_STR_T]", None)],
                               module=__name__)
_JArgument = msgspec.defstruct("_JArgument", [("Value", "Optional[_STR_T]", None)], module=__name__)
for _cls, _spec in SPECS.items():
    globals()[f"_J{_cls.__name__}"] = msgspec.defstruct(f"_J{_cls.__name__}", _fields(_spec), module=__name__)
_SCHEMA = {cls: globals()[f"_J{cls.__name__}"] for cls in OBJECT_CLASSES}


# ------------------------------------------------------------ load / dump --

def _load(cls, d, extra=None):
    """The record of class ``cls`` from its JSON ``d`` (``extra``: more fields, such as the namespace)."""
    return _LOADERS[cls](d, extra)


def _dump(obj) -> dict:
    out: dict = {}
    for attr, key, codec in SPECS[type(obj)]:
        if key is None:
            codec.dump_into(out, obj)
            continue
        j = codec.dump(getattr(obj, attr))
        if j is not _OMIT:
            out[key] = j
    return out


def _load_collections(d: dict, namespace, groups: dict, max_objects: int = 250_000) -> None:
    for key, cls in _CLASS_BY_COLLECTION.items():
        items = d.get(key)
        if items is None:
            continue
        if type(items) is not list:
            raise _at(_BadValue("an array", items), key)
        count = len(items) + sum(len(b) for b in groups.values())
        if count > max_objects:   # each object is a typed record: the count bounds the memory
            raise PackageError("ALC0425", f"SymbolReference.json declares more than {count - 1} objects, over "
                                          f"the limit of {max_objects}")
        extra = {"namespace": namespace} if namespace else None
        bucket = groups[COLLECTION_ATTRS[key]]
        for i, item in enumerate(items):
            try:
                bucket.append(_load(cls, item, extra))
            except _BadValue as exc:
                raise _at(_at(exc, i), key)
    spaces = d.get("Namespaces")
    if spaces is None:
        return
    if type(spaces) is not list:
        raise _at(_BadValue("an array", spaces), "Namespaces")
    for i, ns in enumerate(spaces):
        try:
            if type(ns) is not dict:
                raise _BadValue("an object", ns)
            try:
                name = _TEXT.load(ns.get("Name", ""))
            except _BadValue as exc:
                raise _at(exc, "Name")
            full = f"{namespace}.{name}" if namespace and name else (name or namespace)
            _load_collections(ns, full, groups, max_objects)
        except _BadValue as exc:
            raise _at(_at(exc, i), "Namespaces")


def symbols_from_json(data: dict, max_objects: int = 250_000) -> SymbolReference:
    """The model of parsed SymbolReference.json data; PackageError (ALC0430)
    naming the path of a value of the wrong type, ALC0425 past ``max_objects``."""
    try:
        return _from_json(data, max_objects)
    except _BadValue as exc:
        raise exc.to_error() from None
    finally:
        PROPS.cache.clear()
        TYPE.cache.clear()


def _from_json(data, max_objects: int) -> SymbolReference:
    if type(data) is not dict:
        raise _BadValue("an object", data)
    groups: dict[str, list] = {attr: [] for attr in COLLECTION_ATTRS.values()}
    _load_collections(data, None, groups, max_objects)
    identity = {}
    for attr, key in (("runtime_version", "RuntimeVersion"), ("app_id", "AppId"), ("name", "Name"),
                      ("publisher", "Publisher"), ("version", "Version")):
        if data.get(key) is not None:
            try:
                identity[attr] = _TEXT.load(data[key])
            except _BadValue as exc:
                raise _at(exc, key)
    modules = data.get("InternalsVisibleToModules")
    ivt = ()
    if modules is not None:
        try:
            ivt = _records(Module).load(modules)
        except _BadValue as exc:
            raise _at(exc, "InternalsVisibleToModules")
    return SymbolReference(**identity, internals_visible_to=ivt, **groups)


# ------------------------------------------------------- reading the file --
# The file is cut into its objects first: msgspec reads the collections of each
# level (the top and every namespace) as raw slices of the input (no copy), so
# no Python object is built for a value before its object is wanted. Each object
# is then decoded alone, so at any time the decoder holds the input, what it has
# built, and one object's JSON.

_SPACE = b" \t\r\n"
_BOMS = re.compile(b"(?:\xef\xbb\xbf)*")
_KIND_OF_BYTE = {ord("["): "an array", ord("{"): "an object", ord('"'): "a string", ord("t"): "a boolean",
                 ord("f"): "a boolean", ord("n"): "null"}


_Level = msgspec.defstruct(
    "_Level", [(key, msgspec.Raw, None) for key in (*_CLASS_BY_COLLECTION, "Namespaces", "Name", "RuntimeVersion",
                                                    "AppId", "Publisher", "Version", "InternalsVisibleToModules")])
"""One level of the file (the top, or a namespace), every value kept raw; what is absent is None."""
_RAWS = list[msgspec.Raw]


def _raw_kind(raw) -> str:
    """The JSON kind of a raw value, from its first byte (leading blanks only before the top level)."""
    view = memoryview(raw)
    i = 0
    while i < len(view) and view[i] in _SPACE:
        i += 1
    return _KIND_OF_BYTE.get(view[i], "a number") if i < len(view) else "a value"


def _decode(raw, type_=Any):
    """msgspec's decode of a slice that the budget already measured; ValueError with the reason when not JSON."""
    try:
        return msgspec.json.decode(raw, type=type_) if type_ is not Any else msgspec.json.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ValueError(str(exc)) from None


def _level(raw, path: list):
    if _raw_kind(raw) != "an object":
        _decode(raw, msgspec.Raw)   # JSON at all? (checked without building anything)
        raise _located(_BadValue("an object", _sample(raw)), path)
    return _decode(raw, _Level)


def _sample(raw):
    """A stand-in of a raw value of the right JSON kind, for the message of a value of the wrong type."""
    return {"an array": [], "an object": {}, "a string": "", "a boolean": True, "null": None}.get(_raw_kind(raw), 0)


def _located(exc: _BadValue, path: list) -> _BadValue:
    for segment in reversed(path):
        _at(exc, segment)
    return exc


def _items(level, key: str, path: list) -> list:
    raw = getattr(level, key)
    if raw is None or _raw_kind(raw) == "null":
        return []
    if _raw_kind(raw) != "an array":
        raise _located(_BadValue("an array", _sample(raw)), path + [key])
    return _decode(raw, _RAWS)


def _walk(level, namespace: Optional[str], path: list, found: list, limits: Limits) -> None:
    """Every object of a level and of its namespaces: (class, namespace, raw JSON, path) into ``found``;
    ALC0425 as soon as there are more than the limit, or one is larger than its limit, before any is built."""
    limit, largest = limits.max_symbol_objects, limits.max_symbol_object_size
    for key, cls in _CLASS_BY_COLLECTION.items():
        items = _items(level, key, path)
        if len(found) + len(items) > limit:   # each object becomes a typed record: the count bounds the memory
            raise PackageError("ALC0425", f"SymbolReference.json declares more than {limit} objects, over "
                                          f"the limit of {limit}")
        for i, raw in enumerate(items):
            if len(raw) > largest:   # one object's JSON is decoded at once: its size bounds that decoding
                where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path + [key, i]).lstrip(".")
                raise PackageError("ALC0425", f"SymbolReference.json: `{where}` is {len(raw)} bytes, over the "
                                              f"limit of {largest} for one object")
            found.append((cls, namespace, raw, path + [key, i]))
    for i, raw in enumerate(_items(level, "Namespaces", path)):
        where = path + ["Namespaces", i]
        space = _level(raw, where)
        name = space.Name
        try:
            name = "" if name is None else _TEXT.load(_decode(name) or "")
        except _BadValue as exc:
            raise _located(_at(exc, "Name"), where)
        full = f"{namespace}.{name}" if namespace and name else (name or namespace)
        _walk(space, full, where, found, limits)


def _identity(level) -> dict:
    identity = {}
    for attr, key in (("runtime_version", "RuntimeVersion"), ("app_id", "AppId"), ("name", "Name"),
                      ("publisher", "Publisher"), ("version", "Version")):
        raw = getattr(level, key)
        if raw is not None:
            value = _decode(raw)
            if value is not None:
                try:
                    identity[attr] = _TEXT.load(value)
                except _BadValue as exc:
                    raise _at(exc, key)
    raw = level.InternalsVisibleToModules
    if raw is not None:
        value = _decode(raw)
        if value is not None:
            try:
                identity["internals_visible_to"] = _records(Module).load(value)
            except _BadValue as exc:
                raise _at(exc, "InternalsVisibleToModules")
    return identity


def _prepare(data, limits: Limits):
    """The file's bytes without BOM and padding (a view: no copy), checked against the budget;
    PackageError when too large, over budget or not JSON."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > limits.max_json_size:
        raise PackageError("ALC0425", limits.over(f"SymbolReference.json is {len(data)} bytes, over the limit of "
                                                  f"{limits.max_json_size}", "max_json_size", len(data)))
    view = memoryview(data).cast("B")
    end = len(view)
    while end:   # trailing NULs and blanks, stripped 64 KB at a time (at C speed, however many)
        low = max(0, end - (1 << 16))
        kept = len(bytes(view[low:end]).rstrip(b"\x00 \t\r\n"))
        end = low + kept
        if kept:
            break
    start = _BOMS.match(view).end()
    view = view[start:max(start, end)]
    try:
        budget_check(view, limits.symbols_budget(), "SymbolReference.json")
    except BudgetError as exc:
        if exc.over_limit:
            raise PackageError("ALC0425", limits.over(str(exc), f"max_json_{exc.limit}", exc.value, len(view))) \
                from None
        raise PackageError("ALC0430", str(exc)) from None
    return view


def _top(view):
    """The top level of the file, and ALC0430 for anything that is not JSON."""
    try:
        return _level(view, [])
    except ValueError as exc:
        raise _not_json(view, str(exc)) from None


def _not_json(view, reason: str) -> PackageError:
    try:
        bytes(view).decode("utf-8")
    except UnicodeDecodeError as exc:
        return PackageError("ALC0430", f"SymbolReference.json is not UTF-8 (byte {exc.start})")
    return PackageError("ALC0430", f"SymbolReference.json is not valid JSON: {reason}")


def _objects_of(view, limits: Limits):
    top = _top(view)
    found: list = []
    _walk(top, None, [], found, limits)
    return top, found


def _header(cls, raw, extra):
    """An object with its identity only (id, name, namespace, target), the rest of its JSON checked by the
    typed schema; when that refuses it, the full decoder says what is wrong."""
    try:
        j = msgspec.json.decode(raw, type=_SCHEMA[cls])
    except msgspec.ValidationError:
        d = _decode(raw)
        _load(cls, d, extra)   # the message naming the value (msgspec names only where it is)
        j = None
    if j is None:  # the full decoder took what the schema did not: its reading
        d = {k: d[k] for k in ("Id", "Name", *_TARGET_KEYS) if k in d}
    else:
        d = {"Id": j.Id, "Name": j.Name}
        for key in _TARGET_KEYS:
            value = getattr(j, key, msgspec.UNSET)
            if value is not msgspec.UNSET:
                d[key] = value
    return _load(cls, d, extra)


def read_symbols(data: Union[bytes, bytearray, memoryview, str], limits: Limits = DEFAULT_LIMITS, *,
                 members: bool = True) -> SymbolReference:
    """Parse SymbolReference.json bytes (any bytes-like object); PackageError when too large or malformed.

    ``members=False`` reads the objects' identities only (kind, id, name,
    namespace, target: what `alc inspect` shows), and checks everything
    else with a typed schema without building it (the same refusals, the
    same messages): a tenth of the time, a few MB.

    >>> data = b'{"Tables":[{"Id":1,"Name":"T","Fields":[{"Id":1,"Name":"A"}]}]}'
    >>> read_symbols(data, members=False).tables[0]
    Table(id=1, name='T', fields=(), keys=(), field_groups=(), properties=(), variables=(), methods=(), \
reference_source_file='', namespace=None)
    """
    limits = limits.resolved()
    view = _prepare(data, limits)
    groups: dict[str, list] = {attr: [] for attr in COLLECTION_ATTRS.values()}
    collecting = gc.isenabled()
    gc.disable()   # a million new objects and no cycle among them: the collector would scan them again and again
    try:
        top, found = _objects_of(view, limits)
        for cls, namespace, raw, path in found:
            extra = {"namespace": namespace} if namespace else None
            try:
                groups[COLLECTION_ATTRS[cls.collection]].append(_load(cls, _decode(raw), extra) if members
                                                                 else _header(cls, raw, extra))
            except _BadValue as exc:
                raise _located(exc, path)
        return SymbolReference(**_identity(top), **groups)
    except _BadValue as exc:
        raise exc.to_error() from None
    except ValueError as exc:
        raise _not_json(view, str(exc)) from None
    except RecursionError:
        raise PackageError("ALC0430", "SymbolReference.json is nested too deeply") from None
    finally:
        PROPS.cache.clear()
        TYPE.cache.clear()
        if collecting:
            # The model's millions of objects go straight to the oldest generation (freeze then unfreeze: two
            # list splices), not through the young ones: the first collections after would walk them all
            # (a second per 1.5 million records), only to find nothing to free.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _namespace_tree(objects) -> dict:
    root: dict = {"objects": {}, "children": {}}
    for obj in objects:
        node = root
        for part in (obj.namespace.split(".") if obj.namespace else ()):
            node = node["children"].setdefault(part, {"objects": {}, "children": {}})
        node["objects"].setdefault(obj.collection, []).append(obj)
    return root


def _dump_node(node: dict, out: dict, dump=_dump) -> dict:
    for cls in OBJECT_CLASSES:
        items = node["objects"].get(cls.collection)
        if items:
            out[cls.collection] = [dump(o) for o in items]
    if node["children"]:
        out["Namespaces"] = [_dump_node(node["children"][name], {"Name": name}, dump)
                             for name in sorted(node["children"])]
    return out


def symbols_to_json(ref: SymbolReference, dump=_dump) -> dict:
    """The JSON data of a model, keys in the order real files use (``dump``: an object's data)."""
    out: dict = {}
    if ref.runtime_version:
        out["RuntimeVersion"] = ref.runtime_version
    _dump_node(_namespace_tree(ref.objects()), out, dump)
    if ref.internals_visible_to:
        out["InternalsVisibleToModules"] = [_dump(mod) for mod in ref.internals_visible_to]
    for attr, key in (("app_id", "AppId"), ("name", "Name"), ("publisher", "Publisher"), ("version", "Version")):
        if getattr(ref, attr):
            out[key] = getattr(ref, attr)
    return out


def write_symbols(ref: SymbolReference, written: Optional[dict] = None) -> bytes:
    """SymbolReference.json bytes: UTF-8 with BOM, one line.

    ``written``: id(object) -> the object's JSON as this writes it (UTF-8), for objects of ``ref``
    written before; the others are written and added to it (an incremental build keeps them, so that
    only changed objects are written again). The bytes are the same either way.

    >>> from alc.package.symbols import Codeunit, Table
    >>> ref = SymbolReference(tables=(Table(id=1, name="T"),), codeunits=(Codeunit(id=2, name="C"),))
    >>> known = {}
    >>> write_symbols(ref, known) == write_symbols(ref) == write_symbols(ref, known) and len(known)
    2
    """
    if written is None:
        text = json.dumps(symbols_to_json(ref), ensure_ascii=False, separators=(",", ":"))
        return b"\xef\xbb\xbf" + text.encode("utf-8")

    def dump(obj) -> _Written:
        found = written.get(id(obj))
        if found is None:
            found = written[id(obj)] = _object_json(obj)
        return _Written(found)

    return b"".join([b"\xef\xbb\xbf", *_encode_iter(symbols_to_json(ref, dump))])


def _object_json(obj) -> bytes:
    """One object's JSON as the whole document has it (UTF-8)."""
    return json.dumps(_dump(obj), ensure_ascii=False, separators=(",", ":")).encode()


class _Written(bytes):
    """An object's JSON, written before."""


class _Later:
    """An object whose JSON is written when the encoder reaches it (``iter_symbols``)."""
    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj


def iter_symbols(ref: SymbolReference) -> Iterator[bytes]:
    """``write_symbols(ref)`` in pieces of about a megabyte: each object's JSON is written when its turn
    comes and not kept, so that a large project's symbols are never all in memory as JSON (nor as a
    tree of dicts).

    >>> from alc.package.symbols import Codeunit, Table
    >>> ref = SymbolReference(tables=(Table(id=1, name="T"),), codeunits=(Codeunit(id=2, name="C"),))
    >>> b"".join(iter_symbols(ref)) == write_symbols(ref)
    True
    """
    out = [b"\xef\xbb\xbf"]
    size = 0
    for piece in _encode_iter(symbols_to_json(ref, _Later)):
        out.append(piece)
        size += len(piece)
        if size >= 1 << 20:
            yield b"".join(out)
            out.clear()
            size = 0
    yield b"".join(out)


def _encode_iter(value) -> Iterator[bytes]:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"))`` in UTF-8, in pieces: a _Written
    as it is, a _Later's JSON written when reached."""
    if type(value) is _Written:
        yield value
    elif type(value) is _Later:
        yield _object_json(value.obj)
    elif type(value) is dict:
        yield b"{"
        for i, (key, item) in enumerate(value.items()):
            yield (b"," if i else b"") + json.dumps(key, ensure_ascii=False).encode() + b":"
            yield from _encode_iter(item)
        yield b"}"
    elif type(value) is list:
        yield b"["
        for i, item in enumerate(value):
            if i:
                yield b","
            yield from _encode_iter(item)
        yield b"]"
    else:
        yield json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
