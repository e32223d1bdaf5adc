"""Binding of code bodies: every name in a procedure or trigger is resolved
through a chain of scopes (locals and parameters, `with` records, the
object's globals and implicit variables, its procedures and those of the
object it extends, the fields and methods of the implicit `Rec`, the global
built-in methods and the type names), and the members of records and
codeunits are checked against the symbol table and the built-in API.

The rules (each skipped where a part of the scope is unknown, never guessed):

- ALC0230: `X.Name` where `X` is a record of a known table that has no such field or method;
- ALC0231: a name declared nowhere in scope;
- ALC0232: `X.Name(...)` on a record or codeunit that has no such procedure or built-in method;
- ALC0233: a call of a user procedure (or a documented built-in method) with a number of arguments no
  overload takes;
- ALC0234: a call of a local procedure of another object;
- ALC0235: a literal assigned or returned to a type it does not convert to;
- ALC0236: `X::Value` where X is an enum or option that has no such value.

>>> from alc.syntax.api import parse_text
>>> from alc.semantic.model import SymbolTable
>>> unit = parse_text("codeunit 50100 A { procedure P() var X: Integer; begin Y := X; P(1); end; }").unit
>>> diags, stats = check_code(unit.objects, SymbolTable([]))
>>> [(d.code, d.message) for d in diags]
[('ALC0231', '`Y` is not declared'), ('ALC0233', '`P` takes 0 arguments, not 1')]
>>> stats.bodies, stats.references
(1, 2)
"""

from __future__ import annotations

import difflib
from typing import Iterable, Iterator, Optional

import attrs

from ...diagnostics import Diagnostic
from ...ir import nodes as ir
from ...syntax.api import parse_body
from ..model import SymbolTable, fold
from .builtins import Builtins, builtins
from .scope import Members, ObjectScope, node_table, object_scope
from .types import BOOLEAN, UNKNOWN, Ty, from_doc, from_ref, literal

__all__ = ["check_code", "BindStats"]

NAMESPACE = Ty("namespace")   # a namespace-qualified name in the making
OBJECT_ID = Ty("objectid")    # `Database::X`: an object's id (its members continue a namespace-qualified name)


@attrs.define
class BindStats:
    bodies: int = 0
    references: int = 0          # names and members resolved
    skipped: int = 0             # bodies nested too deep to walk


def check_code(objects: Iterable, table: SymbolTable, members: Optional[Members] = None,
               seen: Optional[set] = None) -> tuple[list, BindStats]:
    """Bind every code body of ``objects``; (diagnostics, counts). The ids of the bodies met go into ``seen``."""
    members = members or Members(table)
    diagnostics: list = []
    stats = BindStats()
    api = builtins()
    for obj in objects:
        if obj.kind in ("dotnet", "controladdin", "interface", "enum", "enumextension", "permissionset",
                        "permissionsetextension", "entitlement", "profile", "profileextension"):
            continue
        scope = object_scope(obj, members)
        for body_owner, records in _bodies(obj, members):
            body = body_owner.body
            if body is None:
                continue
            if seen is not None:
                seen.add(id(body))
            if type(body) is ir.LazyBody:
                block, diags = parse_body(body)
                diagnostics.extend(diags)
                if block is None:
                    continue
            else:
                block = body
            stats.bodies += 1
            found: list = []
            try:
                Binder(scope, members, api, body_owner, records, found, stats).block(block)
            except RecursionError:     # nested deeper than the binder walks: the body is not checked
                stats.skipped += 1
                continue
            diagnostics.extend(found)
    return diagnostics, stats


def _bodies(obj, members: Members) -> Iterator[tuple]:
    """(procedure or trigger, records of the data items around it) of an object, nested members included."""
    yield from ((p, ()) for p in obj.procedures)
    run = ()
    if obj.kind == "codeunit" and obj.get_property("TableNo") is not None:
        # OnRun of a codeunit with a TableNo has an implicit `with Rec do` (apps without NoImplicitWith).
        rec = object_scope_rec(obj, members)
        run = (rec,)
    yield from ((t, run if fold(t.name) == "onrun" else ()) for t in obj.triggers)
    items = None
    if obj.kind == "reportextension":   # `modify("Line") { trigger ... }`: the base data item's record
        base = members.object_name("report", obj.target)
        items = members.report_items(base) if base else {}
    yield from _member_bodies(obj, members, (), items)


_CHILDREN = ("fields", "layout", "actions", "controls", "dataset", "children", "members", "elements", "schema")


def object_scope_rec(obj, members: Members) -> Optional[str]:
    """The table of a codeunit's TableNo (None when unknown)."""
    from .scope import _property_text
    return members.table_name(_property_text(obj, "TableNo"))


def _member_bodies(node, members: Members, records: tuple, items: Optional[dict] = None) -> Iterator[tuple]:
    for name in _CHILDREN:
        for child in getattr(node, name, ()) or ():
            inner = records
            if type(child) is ir.DataNode and child.kind in ("dataitem", "tableelement"):
                table, known = node_table(child, members)
                inner = records + ((table if known else None),)
            elif items is not None and type(child) is ir.Change and child.op == "modify":
                inner = records + (items.get(fold(child.anchor or "")),)
            for t in getattr(child, "triggers", ()) or ():
                yield t, inner
            yield from _member_bodies(child, members, inner, items)
    rp = getattr(node, "requestpage", None)
    if rp is not None:
        yield from ((p, records) for p in rp.procedures)
        yield from ((t, records) for t in rp.triggers)
        yield from _member_bodies(rp, members, records)


# Literal kinds by family, and the families a target type accepts from a literal (only the types listed
# are judged; others, such as Variant, Char, Byte, Guid, accept anything here).
_FAMILY = {"string": "text", "integer": "number", "decimal": "number", "biginteger": "number",
           "boolean": "boolean"}
_ACCEPTS = {"integer": ("number",), "biginteger": ("number",), "decimal": ("number",), "boolean": ("boolean",),
            "text": ("text",), "code": ("text",), "date": (), "time": (), "datetime": (), "option": ("number",),
            "enum": ()}
# Data types whose members are not (all) in the method reference: objects (checked apart), test pages and
# their parts (fields and actions are members), enums (their interfaces' methods), labels, DotNet.
_OPEN_TYPES = frozenset(("record", "codeunit", "page", "report", "query", "xmlport", "interface", "testpage",
                         "testpart", "testrequestpage", "testfield", "testaction", "testfilter", "testfilterfield",
                         "testhttprequestmessage", "testhttpresponsemessage", "dotnet", "enum", "label",
                         "textconst", "requestpage"))
# Object types whose variables' members are checked (procedures of the object, built-in methods of the type).
_OBJECT_TYPES = frozenset(("codeunit", "page", "report", "query", "interface"))
# Receivers whose methods take names of fields or columns alc does not resolve (`TestPage.FindFirstField(...)`).
_OPEN_ARGUMENTS = frozenset(("query", "type", "testpage", "testpart", "testrequestpage", "filterpagebuilder"))
# Record methods all of whose arguments are fields.
_FIELD_LIST_METHODS = frozenset(("calcfields", "calcsums", "setcurrentkey", "setloadfields", "addloadfields",
                                 "loadfields", "setautocalcfields", "arefieldsloaded"))
_OWN_TYPE = {"page": "page", "pageextension": "page", "pagecustomization": "page", "report": "report",
             "reportextension": "report", "xmlport": "xmlport", "query": "query"}


class Binder:
    """Binds one code body. (Names in the IR are unquoted: a plain casefold is their lookup key.)"""

    def __init__(self, scope: ObjectScope, members: Members, api: Builtins, owner, records: tuple,
                 diagnostics: list, stats: BindStats):
        self.scope = scope
        self.members = members
        self.api = api
        self.diagnostics = diagnostics
        self.stats = stats
        self.locals: dict = {}
        self.spelling: dict = {}             # fold -> the declared spelling of locals
        for p in owner.parameters:
            self.declare(p.name, from_ref(p.type))
        self.returns = from_ref(owner.return_type) if owner.return_type is not None else UNKNOWN
        if owner.return_name:
            self.declare(owner.return_name, from_ref(owner.return_type))
        for v in owner.variables:
            self.declare(v.name, from_ref(v.type))
        self.arg_record: Optional[str] = None  # the record whose method's arguments are being bound
        # `with` records, innermost last: a table name, or None when unknown (an open scope).
        self.withs: list = list(records)
        self.receiver: Ty = UNKNOWN          # the type of the last member's target

    def declare(self, name: str, ty: Ty) -> None:
        key = fold(name)
        self.locals[key] = ty
        self.spelling[key] = name

    # ------------------------------------------------------------- statements --
    def block(self, block: ir.Block) -> None:
        for s in block.statements:
            self.stmt(s)

    def stmt(self, s) -> None:
        if s is None:
            return
        t = type(s)
        if t is ir.Assignment:
            target = self.expr(s.target)
            self.expr(s.value)
            if s.op == ":=":
                self.assignable(target, s.value, s.value.span or s.span)
        elif t is ir.CallStatement:
            e = s.expression
            if type(e) in (ir.Name, ir.Member):
                self.call(e, (), e)
            else:
                self.expr(e)
        elif t is ir.If:
            while type(s) is ir.If:      # `else if` chains run long: a loop, not recursion
                self.expr(s.condition)
                self.stmt(s.then)
                s = s.otherwise
            self.stmt(s)
        elif t is ir.Block:
            self.block(s)
        elif t is ir.Case:
            self.expr(s.expression)
            for b in s.branches:
                for label in b.labels:
                    self.expr(label)
                self.stmt(b.body)
            for x in s.otherwise or ():
                self.stmt(x)
        elif t is ir.While:
            self.expr(s.condition)
            self.stmt(s.body)
        elif t is ir.Repeat:
            for x in s.body:
                self.stmt(x)
            self.expr(s.condition)
        elif t is ir.For:
            self.expr(s.variable)
            self.expr(s.start)
            self.expr(s.end)
            self.stmt(s.body)
        elif t is ir.ForEach:
            self.name(ir.Name(s.variable, span=s.span))
            self.expr(s.iterable)
            self.stmt(s.body)
        elif t is ir.With:
            ty = self.expr(s.record)
            self.withs.append(self.members.table_name(ty.subtype) if ty.name == "record" else None)
            try:
                self.stmt(s.body)
            finally:
                self.withs.pop()
        elif t is ir.Exit:
            if s.value is not None:
                self.expr(s.value)
                self.assignable(self.returns, s.value, s.value.span or s.span)
        elif t is ir.AssertError:
            self.stmt(s.body)

    # ------------------------------------------------------------ expressions --
    def expr(self, e) -> Ty:
        if e is None:
            return UNKNOWN
        t = type(e)
        if t is ir.Name:
            return self.name(e)
        if t is ir.Literal:
            return literal(e.kind)
        if t is ir.Member:
            return self.member(e, None)
        if t is ir.Call:
            return self.call(e.target, e.arguments, e)
        if t is ir.Binary:
            self.expr(e.left)
            if e.op in ("is", "as"):      # the right operand is a type (an interface)
                return BOOLEAN if e.op == "is" else UNKNOWN
            self.expr(e.right)
            return BOOLEAN if e.op in ("=", "<>", "<", ">", "<=", ">=", "in", "and", "or", "xor") else UNKNOWN
        if t is ir.Unary:
            ty = self.expr(e.operand)
            return BOOLEAN if e.op == "not" else ty
        if t is ir.Scope:
            return self.scope_expr(e)
        if t is ir.Index:
            ty = self.expr(e.target)
            for i in e.indices:
                self.expr(i)
            return ty.element if ty.name == "array" and ty.element is not None else UNKNOWN
        if t is ir.This:
            return self.scope.self_ty
        if t is ir.Ternary:
            self.expr(e.condition)
            a = self.expr(e.then)
            self.expr(e.otherwise)
            return a
        if t is ir.ListExpr:
            for i in e.items:
                self.expr(i)
            return UNKNOWN
        if t is ir.Range:
            self.expr(e.low)
            self.expr(e.high)
            return UNKNOWN
        return UNKNOWN

    def scope_expr(self, e: ir.Scope) -> Ty:
        """`Database::Customer`, `Enum::"X"::Y`, `"Document Type"::Order`, `Rec.Type::Item`; the value
        after `::` is checked against the enum's values or the option's members where they are known."""
        target = e.target
        if type(target) is ir.Member:
            ty = self.expr(target)
            if ty is NAMESPACE:
                return UNKNOWN
            self.enum_value(e, ty, ())
            return ty
        if type(target) is ir.Scope and type(target.target) is ir.Name and target.target.value.casefold() == "enum":
            ty = Ty("enum", target.name)
            self.enum_value(e, ty, ())
            return ty
        if type(target) is ir.Name:
            key = target.value.casefold()
            if key in ("database", "codeunit", "page", "report", "xmlport", "query"):
                return OBJECT_ID   # `Codeunit::"Sales-Post"`, `Codeunit::Microsoft.Sales.Posting."Sales-Post"`
            found = self.lookup(key)
            enum = self.members.object_name("enum", target.value)
            if found is not None and found.known and found.name != "type":   # a variable or field
                self.stats.references += 1
                others = self.candidates_of(key)
                if others is not None and all(self.has_value(t, e.name) is False for t in others):
                    self.enum_value(e, found, (enum,) if enum else ())
                return found
            if enum is not None:
                self.stats.references += 1
                ty = Ty("enum", enum)
                self.enum_value(e, ty, ())
                return ty
        return UNKNOWN

    def has_value(self, ty: Ty, name: str) -> Optional[bool]:
        """Whether an enum or option type has the value ``name`` (None when not known)."""
        value = name.strip().casefold()
        if ty.name == "enum" and ty.subtype:
            enum = self.members.object_name("enum", ty.subtype)
            return None if enum is None else value in self.members.enum_names(enum)
        if ty.name == "option" and ty.options and "," not in value:
            return value in ty.options
        return None

    def enum_value(self, e: ir.Scope, ty: Ty, also: tuple) -> None:
        """ALC0236: `X::Value` where X is an enum (or option) whose values alc knows and Value is none of them
        (nor a value of the enums in ``also``, an enum with the same name as the variable or field)."""
        value = e.name.strip().casefold()
        if ty.name == "enum" and ty.subtype:
            enum = self.members.object_name("enum", ty.subtype)
            if enum is None:
                return
            names = self.members.enum_names(enum)
            if value in names or any(value in self.members.enum_names(a) for a in also):
                return
            self.report("ALC0236", f"`{e.name}` is not a value of enum `{enum}`", e.span, e.name, list(names))
        elif ty.name == "option" and ty.options and "," not in value:
            if value in ty.options or any(value in self.members.enum_names(a) for a in also):
                return
            self.report("ALC0236", f"`{e.name}` is not a member of the option", e.span, e.name, list(ty.options))

    # ------------------------------------------------------------------ names --
    def lookup(self, key: str) -> Optional[Ty]:
        """The type a name binds to; UNKNOWN when it binds into an unknown scope; None when undeclared."""
        found = self.locals.get(key)
        if found is not None:
            return found
        for table in reversed(self.withs):
            if table is None:
                return UNKNOWN
            found = self.record_member(table, key)
            if found is not None:
                return found
        found = self.self_member(key)
        if found is not None:
            return found
        scope = self.scope
        if scope.open or ("rec" in scope.names and scope.record is None and scope.obj.kind != "codeunit"):
            return UNKNOWN
        own = _OWN_TYPE.get(scope.obj.kind)
        if own is not None:       # a page's, report's... own methods: `SetSelectionFilter(Rec)`, `Open()`
            overloads = self.api.method(own, key)
            if overloads:
                return from_doc(overloads[0][2])
        overloads = self.api.globals.get(key)
        if overloads is not None:
            return from_doc(overloads[0][2])
        if self.api.is_type_name(key):
            return Ty("type", key)
        if self.members.object_name("enum", key) is not None:   # `"My Enum".FromInteger(1)`
            return Ty("type", "enum")
        return None

    def candidates_of(self, key: str) -> Optional[list]:
        """Every type ``key`` may bind to along the scope chain (AL does not always pick the innermost for
        `X::Value`); None when one of them is unknown."""
        out = []
        found = self.locals.get(key)
        if found is not None:
            out.append(found)
        for table in self.withs:
            if table is None:
                return None
            found = self.record_member(table, key)
            if found is not None:
                out.append(found)
        found = self.scope.names.get(key)
        if found is not None:
            out.append(found)
        if self.scope.record is not None:
            found = self.record_member(self.scope.record, key)
            if found is not None:
                out.append(found)
        return out if all(t.known for t in out) else None

    def self_member(self, key: str) -> Optional[Ty]:
        scope = self.scope
        found = scope.names.get(key)
        if found is not None:
            return found
        procs = scope.procedures.get(key)
        if procs:
            return procs[0].returns
        if scope.record is not None:
            return self.record_member(scope.record, key)
        return None

    def record_member(self, table: str, key: str) -> Optional[Ty]:
        f = self.members.fields(table).get(key)
        if f is not None:
            return f[1]
        procs = self.members.procedures("table", table).get(key)
        if procs:
            return procs[0].returns
        overloads = self.api.method("record", key)
        if overloads:
            return from_doc(overloads[0][2])
        return None

    def name(self, e: ir.Name) -> Ty:
        key = e.value.casefold()
        found = self.lookup(key)
        if found is None:
            if self.arg_record:
                fields = self.members.fields(self.arg_record)
                self.report("ALC0230", f"`{e.value}` is not a field of record `{self.arg_record}`", e.span, e.value,
                            [n for n, _ in fields.values()])
            else:
                self.report("ALC0231", f"`{e.value}` is not declared", e.span, e.value, self.candidates())
            return UNKNOWN
        self.stats.references += 1
        return found

    def candidates(self) -> list:
        names = list(self.spelling.values()) + list(self.scope.spelling.values())
        if self.scope.record:
            names += [n for n, _ in self.members.fields(self.scope.record).values()]
        return names

    # ---------------------------------------------------------------- members --
    def member(self, e: ir.Member, args: Optional[tuple]) -> Ty:
        """``target.name``, called with ``args`` (None: not called)."""
        target = e.target
        key = e.name.casefold()
        if type(target) is ir.This:     # `this.Name`: the object's own globals and procedures
            self.receiver = self.scope.self_ty
            found = self.self_member(key)
            if found is not None:
                self.stats.references += 1
                if args is not None and key in self.scope.procedures and key not in self.scope.names:
                    self.arity(e, self.scope.procedures[key], args)
                return found
            own = _OWN_TYPE.get(self.scope.obj.kind, self.scope.obj.kind)
            if self.scope.open or self.api.method(own, key) or self.scope.obj.kind not in ("codeunit", "page",
                                                                                             "table", "report"):
                return UNKNOWN
            what = f"{self.scope.obj.kind} `{self.scope.obj.name}`"
            if args is not None:
                self.report("ALC0232", f"{what} has no procedure or method `{e.name}`", e.span, e.name,
                            list(self.scope.spelling.values()))
            else:
                self.report("ALC0231", f"`{e.name}` is not declared in {what}", e.span, e.name,
                            list(self.scope.spelling.values()))
            return UNKNOWN
        if type(target) is ir.Name:
            root = target.value.casefold()
            found = self.lookup(root)
            if found is not None:
                self.stats.references += 1
                ty = found
            elif root in self.members.namespace_roots():
                ty = NAMESPACE            # `Microsoft.Sales.Customer."Customer Type"::Person`
            else:
                ty = self.name(target)
        else:
            ty = self.expr(target)
        self.receiver = ty
        if ty is NAMESPACE:
            return NAMESPACE
        if ty.name == "type":
            overloads = self.api.static(ty.subtype or "", key)
            if overloads:
                self.builtin_arity(e, e.name, overloads, args)
            elif ty.subtype in self.api.types and ty.subtype not in _OPEN_TYPES:
                shown = self.api.type_spelling.get(ty.subtype, ty.subtype)
                self.report("ALC0232", f"`{e.name}` is not a method of `{shown}`", e.span, e.name,
                            [self.api.spelling.get(k, k) for k in self.api.types[ty.subtype]["static"]])
            return from_doc(overloads[0][2]) if overloads else UNKNOWN
        if ty.name == "record" and ty.subtype:
            table = self.members.table_name(ty.subtype)
            if table is None:
                return UNKNOWN
            self.stats.references += 1
            fields = self.members.fields(table)
            f = fields.get(key)
            if f is not None and args is None:
                return f[1]
            procs = self.members.procedures("table", table).get(key)
            overloads = self.api.method("record", key)
            if procs:
                if not overloads:
                    self.local_access(e, procs, "table", table)
                    if args is not None:
                        self.arity(e, procs, args)
                return procs[0].returns
            if overloads:
                self.builtin_arity(e, e.name, overloads, args)
                return from_doc(overloads[0][2])
            if f is not None:
                return f[1]
            if args is None:
                self.report("ALC0230", f"`{e.name}` is not a field of record `{table}`", e.span, e.name,
                            [n for n, _ in fields.values()] + self._method_names("table", table, "record"))
            else:
                self.report("ALC0232", f"record `{table}` has no procedure or method `{e.name}`", e.span, e.name,
                            self._method_names("table", table, "record"))
            return UNKNOWN
        if ty.name in _OBJECT_TYPES and ty.subtype:
            kind = ty.name
            name = self.members.object_name(kind, ty.subtype)
            if name is None:
                return UNKNOWN
            self.stats.references += 1
            procs = self.members.procedures(kind, name).get(key)
            overloads = self.api.method(kind, key)
            if procs:
                if not overloads:
                    self.local_access(e, procs, kind, name)
                    if args is not None:
                        self.arity(e, procs, args)
                return procs[0].returns
            if overloads:
                self.builtin_arity(e, e.name, overloads, args)
                return from_doc(overloads[0][2])
            if kind == "query" and key in self.members.query_columns(name):
                return UNKNOWN
            self.report("ALC0232", f"{kind} `{name}` has no procedure or method `{e.name}`", e.span, e.name,
                        self._method_names(kind, name, kind))
            return UNKNOWN
        if ty.name == "currpage":       # CurrPage's built-in methods, and its controls (parts, fields...)
            overloads = self.api.method("page", key)
            if overloads:
                self.builtin_arity(e, e.name, overloads, args)
                return from_doc(overloads[0][2])
            page = self.members.object_name("page", ty.subtype) if ty.subtype else None
            table = self.members.table
            if page is not None and key not in table.page_controls(page) and key not in table.page_actions(page):
                self.report("ALC0232", f"page `{page}` has no control or method `{e.name}`", e.span, e.name,
                            [self.api.spelling.get(k, k) for k in self.api.methods("page")])
            return UNKNOWN
        if ty.name.startswith("test"):   # a test page's fields and actions share names with its methods (`Next`)
            return UNKNOWN
        if ty.known and ty.name not in ("array",):
            overloads = self.api.method(ty.name, key)
            if overloads:
                if ty.subtype is None or ty.name not in ("record", "codeunit", "page", "report", "query"):
                    self.builtin_arity(e, e.name, overloads, args)
                return from_doc(overloads[0][2])
            if ty.name in self.api.types and ty.name not in _OPEN_TYPES:
                shown = self.api.type_spelling.get(ty.name, ty.name)
                self.report("ALC0232", f"`{e.name}` is not a method of `{shown}`", e.span, e.name,
                            [self.api.spelling.get(k, k) for k in self.api.methods(ty.name)])
        return UNKNOWN

    def _method_names(self, kind: str, name: str, type_name: str) -> list:
        names = [p.name for procs in self.members.procedures(kind, name).values() for p in procs]
        return names + [self.api.spelling.get(k, k) for k in self.api.methods(type_name)]

    def call(self, target, args: tuple, node) -> Ty:
        t = type(target)
        if t is ir.Member:
            ty = self.member(target, args)
            self.arguments(args, self._receiver_record(target, self.receiver), target.name.casefold())
            return ty
        if t is ir.Name:
            key = target.value.casefold()
            found = self.lookup(key)
            if found is None:
                self.report("ALC0231", f"`{target.value}` is not declared", target.span, target.value,
                            self.candidates() + [self.api.spelling.get(k, k) for k in self.api.globals])
                self.arguments(args, None)
                return UNKNOWN
            self.stats.references += 1
            self.check_unqualified_arity(key, target, args)
            self.arguments(args, False)
            return found
        self.expr(target)
        self.arguments(args, None)
        return UNKNOWN

    def _record_method(self, key: str) -> bool:
        return bool(self.api.method("record", key))

    def _receiver_record(self, target: ir.Member, ty: Ty):
        """The table whose fields a method's arguments may name (`Cust.SetRange("No.", ...)`): a table name,
        None when unknown (the receiver's type is unknown, a record of an unknown table, a query whose
        columns the arguments name), False when the arguments bind as usual."""
        if not ty.known or ty.name in _OPEN_ARGUMENTS:
            return None
        if ty.name != "record" or not self._record_method(target.name.casefold()):
            return False
        return self.members.table_name(ty.subtype) if ty.subtype else None

    def arguments(self, args: tuple, record, method: str = "") -> None:
        """Bind arguments; ``record`` (a table name, or None for an unknown one) is in scope for them."""
        if record is False:
            saved, self.arg_record = self.arg_record, None
            for a in args:
                self.expr(a)
            self.arg_record = saved
            return
        saved = self.arg_record
        try:
            for i, a in enumerate(args):
                # The record's members are in scope where the method takes a field (an unknown name there is
                # reported as a field); an argument whose first name the caller declares binds in the caller's
                # scope: `Ctx.SetRange(Command, CommandType.NewSalesInvoice)` names the caller's `CommandType`
                # even when the table has a procedure of that name. Other names still find the record's members
                # (methods whose later arguments are fields too, `LoadFields(A, B)`).
                field = i == 0 or method in _FIELD_LIST_METHODS
                self.arg_record = record if field else None
                if field or not self._callers_name(a):
                    self.withs.append(record)
                try:
                    self.expr(a)
                finally:
                    if field or not self._callers_name(a):
                        self.withs.pop()
        finally:
            self.arg_record = saved

    def _callers_name(self, e) -> bool:
        """Whether the name an argument starts with (`X`, `X.Y`, `X[1]`, `X(...)`) is the caller's own: a
        local, or a global, procedure or field of the current object."""
        while True:
            t = type(e)
            if t is ir.Member:
                e = e.target
            elif t is ir.Call:
                e = e.target
            elif t is ir.Index:
                e = e.target
            else:
                break
        if type(e) is not ir.Name:
            return False
        key = e.value.casefold()
        return key in self.locals or self.self_member(key) is not None

    def check_unqualified_arity(self, key: str, target: ir.Name, args: tuple) -> None:
        """The arity of an unqualified call: of the user procedures it names, else of the global method."""
        if key in self.locals or any(w is None for w in self.withs):
            return
        if any(self.record_member(w, key) is not None for w in self.withs):
            return
        if key in self.scope.names:
            return
        scope = self.scope
        procs = list(scope.procedures.get(key, ()))
        record_method = scope.record is not None and self._record_method(key)
        if scope.record is not None:
            procs += self.members.procedures("table", scope.record).get(key, [])
        if procs:
            if not record_method and not self.api.is_global(key):
                self.arity(target, procs, args)
            return
        if record_method and not self.api.is_global(key):     # `FieldCaption("No.")` in a table
            self.builtin_arity(target, target.value, self.api.method("record", key), args)
            return
        if record_method or scope.open or ("rec" in scope.names and scope.record is None):
            return
        own = _OWN_TYPE.get(scope.obj.kind)
        if own is not None and self.api.method(own, key):
            return
        overloads = self.api.globals.get(key)
        if overloads:
            self.builtin_arity(target, target.value, overloads, args)

    def builtin_arity(self, node, name: str, overloads: list, args: Optional[tuple]) -> None:
        """A built-in method called with a number of arguments none of its documented overloads takes."""
        if args is None:
            return
        n = len(args)
        if any(lo <= n and (hi is None or n <= hi) for lo, hi, _ in overloads):
            return
        ranges = sorted({(lo, hi) for lo, hi, _ in overloads}, key=lambda r: (r[0], r[1] if r[1] is not None else 999))
        takes = " or ".join(str(lo) if lo == hi else f"{lo} or more" if hi is None else f"{lo} to {hi}"
                            for lo, hi in ranges)
        self.report("ALC0233", f"`{name}` takes {takes} argument{'s' if takes != '1' else ''}, not {n}",
                    node.span, None, [])

    def assignable(self, target: Ty, value, span) -> None:
        """ALC0235: a literal of one type family assigned to (or returned as) a variable of another that AL
        does not convert to implicitly (`Integer := 'abc'`, `Text := 5`). Only literals are judged yet."""
        if type(value) is not ir.Literal or not target.known:
            return
        if value.kind == "string" and len(value.value) == 1:   # a Char literal: it converts to numbers
            return
        family = _FAMILY.get(value.kind)
        accepts = _ACCEPTS.get(target.name)
        if family is None or accepts is None or family in accepts:
            return
        shown = {"string": "Text", "integer": "Integer", "decimal": "Decimal", "boolean": "Boolean"}[value.kind]
        self.report("ALC0235", f"a {shown} value cannot be assigned to a `{target.name.title()}`", span, None, [])

    def local_access(self, node, procs: list, kind: str, name: str) -> None:
        """ALC0234: every procedure of that name is local to an object other than this one."""
        if not all(p.access == "local" and p.owner for p in procs):
            return
        here = (self.scope.obj.kind, self.scope.obj.name.casefold())
        if any(p.owner == here for p in procs):
            return
        self.report("ALC0234", f"procedure `{procs[0].name}` of {kind} `{name}` is local; it cannot be called "
                    "from another object", node.span, None, [])

    def arity(self, node, procs: list, args: tuple) -> None:
        counts = sorted({p.arity for p in procs})
        if len(args) in counts:
            return
        name = procs[0].name
        takes = " or ".join(str(c) for c in counts)
        self.report("ALC0233", f"`{name}` takes {takes} argument{'s' if counts != [1] else ''}, not {len(args)}",
                    node.span, None, [])

    # ------------------------------------------------------------ diagnostics --
    def report(self, code: str, message: str, span, name: Optional[str], candidates: list) -> None:
        help_text = None
        if name:
            spelled = {fold(c): c for c in candidates if c}
            close = difflib.get_close_matches(fold(name), list(spelled), n=1, cutoff=0.75)
            if close:
                help_text = f"did you mean `{spelled[close[0]]}`?"
        self.diagnostics.append(Diagnostic.error(code, message, span, help=help_text))
