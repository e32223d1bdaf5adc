"""The IR: frozen attrs classes for every AL object kind, member, statement
and expression.

Rules of the catalogue:
- every node is ``@node`` (attrs, frozen, slots); children are tuples;
- every node has a ``span`` that equality ignores, so a parse of printed
  source equals the original IR;
- names are plain strings without quotes (``"No."`` is ``No.``); AL names are
  case-insensitive, so compare them with ``.casefold()`` in semantic code;
- change with ``attrs.evolve``.

>>> Binary("=", Name("a"), Binary("and", Name("b"), Name("c"))) == \\
...     Binary("=", Name("a"), Binary("and", Name("b"), Name("c")), span=None)
True
"""

from __future__ import annotations

from typing import Any, ClassVar, Optional, Union

import attrs

from ..source import Span


def node(cls):
    """Make ``cls`` a frozen IR node with a keyword-only, equality-blind span."""
    cls.__annotations__ = {**cls.__annotations__, "span": "Optional[Span]"}
    cls.span = attrs.field(default=None, eq=False, repr=False, kw_only=True)
    cls = attrs.frozen(cls)
    names = tuple(f.name for f in attrs.fields(cls))
    cls.__reduce__ = lambda self: (_rebuild, (type(self), tuple(getattr(self, n) for n in names)))
    cls._field_names = names
    return cls


def _rebuild(cls, values):
    """Unpickle a node without running its __init__ (its fields were valid when pickled)."""
    obj = object.__new__(cls)
    for name, value in zip(cls._field_names, values):
        object.__setattr__(obj, name, value)
    return obj


def names_equal(a: Optional[str], b: Optional[str]) -> bool:
    """AL compares identifiers case-insensitively.

    >>> names_equal("Sales Header", "SALES HEADER")
    True
    """
    if a is None or b is None:
        return a is b
    return a.casefold() == b.casefold()


# ------------------------------------------------------------- expressions --

@node
class Name:
    """A plain or quoted identifier used as a value: `Amount`, `"No."`."""
    value: str


@node
class Literal:
    """kind: string, integer, decimal, biginteger, date, time, datetime, boolean.

    ``value`` is the unescaped text for strings, ``True``/``False`` for
    booleans, and the source text for numbers and dates (`0D`, `10000L`).
    """
    kind: str
    value: Union[str, bool]


@node
class This:
    pass


@node
class Member:
    """`target.name`"""
    target: "Expr"
    name: str


@node
class Scope:
    """`target::name`: `Codeunit::"Sales-Post"`, `Enum::"X"::Y`, `Database::18`."""
    target: "Expr"
    name: str


@node
class Call:
    target: "Expr"
    arguments: tuple


@node
class Index:
    target: "Expr"
    indices: tuple


@node
class Unary:
    """op: `not`, `-`, `+`"""
    op: str
    operand: "Expr"


@node
class Binary:
    """op, lowercase: `*` `/` `div` `mod` `+` `-` `in` `is` `as` `and` `or`
    `xor` `=` `<>` `<` `>` `<=` `>=`"""
    op: str
    left: "Expr"
    right: "Expr"


@node
class Ternary:
    condition: "Expr"
    then: "Expr"
    otherwise: "Expr"


@node
class ListExpr:
    """`[a, b..c]`, the right operand of `in`."""
    items: tuple


@node
class Range:
    """`low..high` in a list or a case label; either end may be absent."""
    low: Optional["Expr"]
    high: Optional["Expr"]


Expr = Union[Name, Literal, This, Member, Scope, Call, Index, Unary, Binary, Ternary, ListExpr, Range]


# -------------------------------------------------------------- statements --

@node
class Block:
    statements: tuple


@node
class Assignment:
    """op: `:=`, `+=`, `-=`, `*=`, `/=`"""
    target: Expr
    op: str
    value: Expr


@node
class CallStatement:
    """A call (or a bare name, `Rec.Insert;`) used as a statement."""
    expression: Expr


@node
class If:
    condition: Expr
    then: Optional["Stmt"]
    otherwise: Optional["Stmt"]


@node
class CaseBranch:
    labels: tuple
    body: Optional["Stmt"]


@node
class Case:
    expression: Expr
    branches: tuple
    otherwise: Optional[tuple]     # the statements of `else`, or None without `else`


@node
class While:
    condition: Expr
    body: Optional["Stmt"]


@node
class Repeat:
    body: tuple
    condition: Expr


@node
class For:
    variable: Expr
    start: Expr
    end: Expr
    downto: bool
    body: Optional["Stmt"]


@node
class ForEach:
    variable: str
    iterable: Expr
    body: Optional["Stmt"]


@node
class With:
    record: Expr
    body: Optional["Stmt"]


@node
class Exit:
    value: Optional[Expr]


@node
class Break:
    pass


@node
class Continue:
    pass


@node
class AssertError:
    body: Optional["Stmt"]


Stmt = Union[Block, Assignment, CallStatement, If, Case, While, Repeat, For, ForEach, With,
             Exit, Break, Continue, AssertError]


@attrs.frozen(eq=False)
class LazyBody:
    """A code body kept as source text (declarations-only parsing).

    Two lazy bodies are equal when their text is. The IR does not parse:
    ``alc.parse_body(body)`` (the syntax layer) gives the Block.
    """
    span: Span
    pp_depth: int = 0
    symbols: frozenset = frozenset()

    @property
    def text(self) -> str:
        return self.span.text

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, LazyBody) and self.text == other.text

    def __hash__(self) -> int:
        return hash(self.text)


# ---------------------------------------------------------------- types ----

@node
class TypeRef:
    """A data type as written: `Code[20]`, `Record Customer temporary`,
    `array[10] of Decimal`, `List of [Text]`, `Option A,B`, `Label '...'`.

    ``name`` is the type keyword or name (`Integer`, `Record`, `Codeunit`,
    `Option`, `Array`, `List`, `DotNet`, `Label`, ...). ``subtype`` is the
    object or .NET type it refers to; ``length`` the `[n]` of Text/Code.
    """
    name: str
    subtype: Optional[str] = None
    length: Optional[Expr] = None
    temporary: bool = False
    options: tuple = ()            # Option members
    dimensions: tuple = ()         # array dimensions
    element: Optional["TypeRef"] = None   # array element type
    arguments: tuple = ()          # List of [..], Dictionary of [.., ..]
    text: Optional[str] = None     # Label text
    text_options: tuple = ()       # Label/TextConst: NamedValue(Comment|Locked|MaxLength|<lang>, value)

    @property
    def is_record(self) -> bool:
        return self.name.casefold() == "record"


# ------------------------------------------------------------- properties --

@node
class NamedValue:
    """`Comment = '...'`, `Locked = true`, `ENU = 'Customer'`."""
    name: str
    value: Expr


@node
class PairValue:
    """`DecimalPlaces = 0 : 5;`"""
    first: Expr
    second: Expr


@node
class Values:
    """The generic property value: a comma list, then named options.

    `Caption = 'Customer', Comment = 'x', Locked = true;` has items
    (Literal('Customer'),) and options (Comment, Locked). An item may be None
    (`OptionMembers = ,A,B;`).
    """
    items: tuple
    options: tuple = ()

    @property
    def single(self) -> Optional[Expr]:
        return self.items[0] if len(self.items) == 1 else None


@node
class Link:
    """One `field = const(...)|filter(...)|field(...)` condition.

    kind: `const`, `filter` (``value`` is the raw text inside the
    parentheses) or `field` (``value`` is the field, a tuple of name parts;
    ``function`` is `upperlimit`/`lowerlimit`/`filter` when wrapped).
    """
    field: tuple
    kind: str
    value: Union[str, tuple]
    function: Optional[str] = None


@node
class TableRelationValue:
    """`[if (conditions)] Table[.Field] [where(...)] [else <another>]`"""
    target: tuple
    where: tuple = ()
    condition: Optional[tuple] = None
    otherwise: Optional["TableRelationValue"] = None

    @property
    def table(self) -> str:
        return self.target[0] if len(self.target) == 1 else ".".join(self.target[:-1])

    @property
    def field(self) -> Optional[str]:
        return self.target[-1] if len(self.target) > 1 else None

    def alternatives(self):
        rel: Optional[TableRelationValue] = self
        while rel is not None:
            yield rel
            rel = rel.otherwise


@node
class CalcFormulaValue:
    """`[-]method(Table[.Field] [where(...)])`; method: sum, count, average,
    min, max, lookup, exist."""
    method: str
    target: tuple
    where: tuple = ()
    negated: bool = False


@node
class LinksValue:
    """RunPageLink, SubPageLink, DataItemLink, DataItemTableFilter, ColumnFilter, LinkFields."""
    links: tuple


@node
class TableViewValue:
    """`sorting(a, b) order(descending) where(...)`"""
    sorting: tuple = ()
    order: Optional[str] = None
    where: tuple = ()
    # The clauses in source order, for faithful printing.
    order_of_clauses: tuple = attrs.field(default=(), eq=False)


@node
class Permission:
    """`tabledata "Sales Header" = RIMD`; target is a name, an id or `*`."""
    kind: str
    target: str
    rights: str


@node
class PermissionsValue:
    permissions: tuple


@node
class ObjectRefValue:
    """`RunObject = page "Customer Card";`"""
    kind: str
    name: str


PropertyValue = Union[Values, TableRelationValue, CalcFormulaValue, LinksValue, TableViewValue,
                      PermissionsValue, ObjectRefValue]


@node
class Property:
    name: str
    value: PropertyValue


# -------------------------------------------------------- code declarations --

@node
class Attribute:
    """`[IntegrationEvent(false, false)]`"""
    name: str
    arguments: tuple = ()


@node
class Variable:
    name: str
    type: TypeRef
    attributes: tuple = ()
    protected: bool = False


@node
class Parameter:
    name: str
    type: TypeRef
    by_ref: bool = False


@node
class Procedure:
    """access: `public`, `local`, `internal`, `protected`. ``body`` is a
    Block, a LazyBody, or None for interface and control add-in methods."""
    name: str
    parameters: tuple = ()
    return_type: Optional[TypeRef] = None
    return_name: Optional[str] = None
    access: str = "public"
    attributes: tuple = ()
    variables: tuple = ()
    body: Optional[Union[Block, LazyBody]] = None

    def attribute(self, name: str) -> Optional[Attribute]:
        for a in self.attributes:
            if names_equal(a.name, name):
                return a
        return None


@node
class Trigger:
    """`trigger OnValidate()`; ``name`` may be `Control::Event` for add-in events."""
    name: str
    parameters: tuple = ()
    return_type: Optional[TypeRef] = None
    return_name: Optional[str] = None
    variables: tuple = ()
    body: Optional[Union[Block, LazyBody]] = None
    attributes: tuple = ()


@node
class Event:
    """`event ControlReady();` in a control add-in."""
    name: str
    parameters: tuple = ()
    attributes: tuple = ()


# ------------------------------------------------------- object members ----

@node
class TableField:
    id: int
    name: str
    type: TypeRef
    properties: tuple = ()
    triggers: tuple = ()


@node
class Key:
    name: str
    fields: tuple
    properties: tuple = ()


@node
class FieldGroup:
    name: str
    fields: tuple
    properties: tuple = ()


@node
class Control:
    """A page layout element. kind: area, group, repeater, field, part,
    systempart, usercontrol, cuegroup, fixed, grid, label, chartpart.
    ``source`` is the second argument: the field expression of `field`, the
    page of `part`, the add-in of `usercontrol`, the caption of `label`."""
    kind: str
    name: str
    source: Optional[Expr] = None
    properties: tuple = ()
    triggers: tuple = ()
    controls: tuple = ()
    actions: tuple = ()            # a cuegroup's own actions


@node
class Action:
    """kind: area, group, action, separator, actionref, customaction,
    fileuploadaction, systemaction. ``target`` is the action an actionref
    promotes."""
    kind: str
    name: str
    target: Optional[str] = None
    properties: tuple = ()
    triggers: tuple = ()
    actions: tuple = ()


@node
class View:
    """A page view; ``layout`` holds the `modify`/`move*` Changes of its `layout` section."""
    name: str
    properties: tuple = ()
    layout: tuple = ()


@node
class DataNode:
    """An element of a report dataset, a query or an xmlport schema.

    kind: dataitem, column, filter (reports, queries); textelement,
    tableelement, fieldelement, fieldattribute, textattribute, tableattribute
    (xmlports). ``source`` is the table, field or expression argument."""
    kind: str
    name: str
    source: Optional[Expr] = None
    properties: tuple = ()
    triggers: tuple = ()
    children: tuple = ()


@node
class ReportLayout:
    """`layout(Name) { Type = RDLC; LayoutFile = '...'; }` in `rendering`."""
    name: str
    properties: tuple = ()


@node
class RequestPage:
    """The request page of a report or xmlport (or its extension's changes)."""
    properties: tuple = ()
    layout: tuple = ()
    actions: tuple = ()
    views: tuple = ()
    variables: tuple = ()
    triggers: tuple = ()
    procedures: tuple = ()


@node
class EnumValue:
    id: int
    name: str
    properties: tuple = ()


@node
class DotNetType:
    name: str
    alias: Optional[str] = None
    properties: tuple = ()


@node
class Assembly:
    name: str
    properties: tuple = ()
    types: tuple = ()


@node
class Change:
    """An extension operation, in source order.

    op: addfirst, addlast, addafter, addbefore, add (reportextension),
    modify, movefirst, movelast, moveafter, movebefore. ``anchor`` is the
    argument of the operation (absent for `addfirst`/`addlast` of views);
    ``targets`` are the elements a move moves; ``members`` are what is added
    (fields, controls, actions, views, data nodes); ``properties`` and
    ``triggers`` are what `modify` sets."""
    op: str
    anchor: Optional[str] = None
    targets: tuple = ()
    members: tuple = ()
    properties: tuple = ()
    triggers: tuple = ()


# ------------------------------------------------------------------ objects --

_OBJECT_FIELDS = dict(
    properties=attrs.field(default=(), kw_only=True),
    variables=attrs.field(default=(), kw_only=True),
    triggers=attrs.field(default=(), kw_only=True),
    procedures=attrs.field(default=(), kw_only=True),
    namespace=attrs.field(default=None, kw_only=True),
    attributes=attrs.field(default=(), kw_only=True),
)


class AlObject:
    """Base of every object kind. ``kind`` is the AL keyword, lowercase."""

    __slots__ = ()
    kind: ClassVar[str] = ""
    is_extension: ClassVar[bool] = False

    def get_property(self, name: str) -> Optional[Property]:
        for p in self.properties:  # type: ignore[attr-defined]
            if names_equal(p.name, name):
                return p
        return None

    @property
    def full_name(self) -> str:
        ns = self.namespace  # type: ignore[attr-defined]
        return f"{ns}.{self.name}" if ns else self.name  # type: ignore[attr-defined]


def _object(kind: str, extension: bool = False):
    def wrap(cls):
        cls.kind = kind
        cls.is_extension = extension
        for name, field in _OBJECT_FIELDS.items():
            cls.__annotations__[name] = "tuple" if name != "namespace" else "Optional[str]"
            setattr(cls, name, field)
        return node(cls)
    return wrap


@_object("table")
class Table(AlObject):
    id: int
    name: str
    fields: tuple = ()
    keys: tuple = ()
    fieldgroups: tuple = ()


@_object("tableextension", extension=True)
class TableExtension(AlObject):
    """``fields``/``keys``/``fieldgroups`` hold new members and Changes in source order."""
    id: int
    name: str
    target: str
    fields: tuple = ()
    keys: tuple = ()
    fieldgroups: tuple = ()


@_object("page")
class Page(AlObject):
    id: int
    name: str
    layout: tuple = ()
    actions: tuple = ()
    views: tuple = ()


@_object("pageextension", extension=True)
class PageExtension(AlObject):
    """``layout``/``actions``/``views`` are Changes in source order."""
    id: int
    name: str
    target: str
    layout: tuple = ()
    actions: tuple = ()
    views: tuple = ()


@_object("pagecustomization", extension=True)
class PageCustomization(AlObject):
    id: Optional[int]
    name: str
    target: str
    layout: tuple = ()
    actions: tuple = ()
    views: tuple = ()


@_object("codeunit")
class Codeunit(AlObject):
    id: int
    name: str
    implements: tuple = ()


@_object("report")
class Report(AlObject):
    id: int
    name: str
    dataset: tuple = ()
    requestpage: Optional[RequestPage] = None
    rendering: tuple = ()
    labels: tuple = ()


@_object("reportextension", extension=True)
class ReportExtension(AlObject):
    """``dataset`` holds Changes; ``requestpage`` holds Changes in its
    layout/actions."""
    id: int
    name: str
    target: str
    dataset: tuple = ()
    requestpage: Optional[RequestPage] = None
    rendering: tuple = ()
    labels: tuple = ()


@_object("query")
class Query(AlObject):
    id: int
    name: str
    elements: tuple = ()


@_object("xmlport")
class XmlPort(AlObject):
    id: int
    name: str
    schema: tuple = ()
    requestpage: Optional[RequestPage] = None


@_object("enum")
class Enum(AlObject):
    id: int
    name: str
    implements: tuple = ()
    values: tuple = ()


@_object("enumextension", extension=True)
class EnumExtension(AlObject):
    id: int
    name: str
    target: str
    values: tuple = ()


@_object("interface")
class Interface(AlObject):
    id: Optional[int]
    name: str
    extends: tuple = ()


@_object("permissionset")
class PermissionSet(AlObject):
    id: int
    name: str


@_object("permissionsetextension", extension=True)
class PermissionSetExtension(AlObject):
    id: int
    name: str
    target: str


@_object("entitlement")
class Entitlement(AlObject):
    id: Optional[int]
    name: str


@_object("profile")
class Profile(AlObject):
    id: Optional[int]
    name: str


@_object("profileextension", extension=True)
class ProfileExtension(AlObject):
    id: Optional[int]
    name: str
    target: str


@_object("controladdin")
class ControlAddIn(AlObject):
    id: Optional[int]
    name: str
    events: tuple = ()


@_object("dotnet")
class DotNet(AlObject):
    id: Optional[int]
    name: Optional[str]
    assemblies: tuple = ()


OBJECT_CLASSES: dict[str, type] = {cls.kind: cls for cls in (
    Table, TableExtension, Page, PageExtension, PageCustomization, Codeunit, Report,
    ReportExtension, Query, XmlPort, Enum, EnumExtension, Interface, PermissionSet,
    PermissionSetExtension, Entitlement, Profile, ProfileExtension, ControlAddIn, DotNet)}


@node
class CompilationUnit:
    """One parsed file: its namespace, usings and objects."""
    path: str
    namespace: Optional[str] = None
    usings: tuple = ()
    objects: tuple = ()
