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
- ALC0235: a value assigned or returned to a type it does not convert to (see ``types.convertible``);
- ALC0236: `X::Value` where X is an enum or option that has no such value;
- ALC0237: an argument that does not convert to its parameter's type (no overload of that count takes it);
- ALC0238: a literal, operation or call passed to a `var` parameter;
- ALC0239: a condition that is not a Boolean;
- ALC0250: an operator applied to operands of types it does not apply to;
- ALC0251: a case label of a type that does not meet the selector's;
- ALC0252: `exit(Value)` in a procedure without a return type.

Types come from declarations, fields, the return types of user procedures and
documented built-in methods, and arithmetic; where any part is unknown
(Variant, generic parameters, a name declared twice along the chain) the
check is skipped.

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
import functools
from typing import Iterable, Iterator, Optional

import attrs

from ...diagnostics import Diagnostic
from ...ir import nodes as ir
from ...syntax.api import parse_body
from ..model import SymbolTable, fold
from .builtins import Builtins, builtins
from .scope import Members, ObjectScope, node_table, object_scope
from .types import BOOLEAN, DECIMAL, INTEGER, TEXT, UNKNOWN, Ty, convertible, family, from_doc, from_ref, literal, \
    shown

__all__ = ["check_code", "BindStats"]

NAMESPACE = Ty("namespace")   # a namespace-qualified name in the making
OBJECT_ID = Ty("objectid")    # `Database::X`: an object's id (its members continue a namespace-qualified name)


@attrs.define
class BindStats:
    bodies: int = 0
    references: int = 0          # names and members resolved
    skipped: int = 0             # bodies nested too deep to walk


def check_code(objects: Iterable, table: SymbolTable, members: Optional[Members] = None,
               seen: Optional[set] = None, trace: Optional[dict] = None) -> tuple[list, BindStats]:
    """Bind every code body of ``objects``; (diagnostics, counts). The ids of the bodies met go into ``seen``.
    ``trace`` (for the mutation test) receives, by source offset, the argument counts the calls' known
    signatures take (`("arity", start, end of the callee)`: [(min, max)]) and the types of assignment targets
    (`("assign", offset of the value)`: Ty)."""
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
                Binder(scope, members, api, body_owner, records, found, stats, trace).block(block)
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
            "char": ("number",),
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
                 diagnostics: list, stats: BindStats, trace: Optional[dict] = None):
        self.trace = trace
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
        self.returns_nothing = owner.return_type is None and type(owner) is ir.Procedure
        self.owner_name = owner.name
        self.sig = None                      # the overloads the last call checked by count, for its argument types
        if owner.return_name:
            self.declare(owner.return_name, from_ref(owner.return_type))
        for v in owner.variables:
            self.declare(v.name, from_ref(v.type))
        self.arg_record: Optional[str] = None  # the record whose method's arguments are being bound
        # `with` records, innermost last: a table name, or None when unknown (an open scope).
        self.withs: list = list(records)
        self.receivers: list = []            # records whose method's value arguments are being bound
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
            value = self.expr(s.value)
            if s.op == ":=":
                self.assignable(target, s.value, value, s.value.span or s.span, s.target)
                if self.trace is not None and s.value.span is not None:
                    self.trace[("assign", s.value.span.start)] = target
        elif t is ir.CallStatement:
            e = s.expression
            if type(e) in (ir.Name, ir.Member):
                self.call(e, (), e)
            else:
                self.expr(e)
        elif t is ir.If:
            while type(s) is ir.If:      # `else if` chains run long: a loop, not recursion
                self.condition(s.condition)
                self.stmt(s.then)
                s = s.otherwise
            self.stmt(s)
        elif t is ir.Block:
            self.block(s)
        elif t is ir.Case:
            selector = self.expr(s.expression)
            for b in s.branches:
                for label in b.labels:
                    self.case_label(s.expression, selector, label, self.expr(label))
                self.stmt(b.body)
            for x in s.otherwise or ():
                self.stmt(x)
        elif t is ir.While:
            self.condition(s.condition)
            self.stmt(s.body)
        elif t is ir.Repeat:
            for x in s.body:
                self.stmt(x)
            self.condition(s.condition)
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
                value = self.expr(s.value)
                if self.returns_nothing:
                    self.report("ALC0252", f"`{self.owner_name}` returns no value; `exit` cannot return one",
                                s.value.span or s.span, None, [],
                                help_text=f"declare a return type on `{self.owner_name}` or write `exit;`")
                else:
                    self.assignable(self.returns, s.value, value, s.value.span or s.span, None)
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
            if e.kind == "string" and len(e.value) == 1:    # a one-character text literal is a Char
                return _CHAR
            return literal(e.kind)
        if t is ir.Member:
            return self.member(e, None)
        if t is ir.Call:
            return self.call(e.target, e.arguments, e)
        if t is ir.Binary:
            return self.binary(e)
        if t is ir.Unary:
            ty = self.expr(e.operand)
            fam = family(ty)
            if e.op == "not":
                if fam is not None and "boolean" not in fam and "number" not in fam:
                    self.report("ALC0250", f"operator `not` cannot be applied to {_an(ty)} (`{_describe(e.operand)}`)",
                                e.span, None, [])
                return BOOLEAN if fam is None or "boolean" in fam else UNKNOWN
            if fam is not None and "number" not in fam:
                self.report("ALC0250", f"operator `{e.op}` cannot be applied to {_an(ty)} (`{_describe(e.operand)}`)",
                            e.span, None, [])
            return ty if ty.name in _ARITHMETIC_RESULT else UNKNOWN
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
            self.condition(e.condition)
            a = self.expr(e.then)
            b = self.expr(e.otherwise)
            return a if a == b else UNKNOWN
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
            found = self.lookup(key, judged=False)     # every candidate is weighed below
            enum = self.members.object_name("enum", target.value)
            if found is not None and found.known and found.name != "type":   # a variable or field
                self.stats.references += 1
                others = self.candidates_of(key)
                if others is not None and all(self.has_value(t, e.name) is False for t in others):
                    self.enum_value(e, found, (enum,) if enum else ())
                return found if others is not None and all(t == found for t in others) else UNKNOWN
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
    def lookup(self, key: str, judged: bool = True) -> Optional[Ty]:
        """The type a name binds to; UNKNOWN when it binds into an unknown scope (or, ``judged``, when the name
        is declared twice along the chain, in a `with` record and elsewhere); None when undeclared."""
        found = self.locals.get(key)
        if found is not None:
            if self.withs and judged:      # a field of a `with` record of the same name: which one binds is not judged
                for table in self.withs:
                    if table is None:
                        return UNKNOWN
                    member = self.record_member(table, key)
                    if member is not None and member != found:
                        return UNKNOWN
            return found
        for table in reversed(self.withs):
            if table is None:
                return UNKNOWN
            found = self.record_member(table, key)
            if found is not None:
                # The same name declared by the object too (an xmlport attribute, a field of Rec): which one
                # binds is not judged.
                other = self.self_member(key) if judged else None
                return found if other is None or other == found else UNKNOWN
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
                return _doc_returns(overloads, None)
        overloads = self.api.globals.get(key)
        if overloads is not None:
            return _doc_returns(overloads, None)
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
        for table in self.withs + self.receivers:
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
            # A procedure named like a built-in method (a table's own `Get`): which one a call binds to
            # depends on its arguments, so the type is not judged.
            builtin = self.api.is_global(key) or (scope.record is not None and self.api.method("record", key)) \
                or self.api.method(_OWN_TYPE.get(scope.obj.kind, scope.obj.kind), key)
            return UNKNOWN if builtin else _returns(procs, None)
        if scope.record is not None:
            return self.record_member(scope.record, key)
        return None

    def record_member(self, table: str, key: str) -> Optional[Ty]:
        f = self.members.fields(table).get(key)
        if f is not None:
            return f[1]
        procs = self.members.procedures("table", table).get(key)
        if procs:
            return UNKNOWN if self.api.method("record", key) else _returns(procs, None)
        overloads = self.api.method("record", key)
        if overloads:
            return _doc_returns(overloads, None)
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
                                                                                             "table", "report",
                                                                                             "xmlport"):
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
            return _doc_returns(overloads, args) if overloads else UNKNOWN
        if ty.name == "record" and ty.subtype:
            table = self.members.table_name(ty.subtype)
            if table is None:
                return UNKNOWN
            self.stats.references += 1
            fields = self.members.fields(table)
            f = fields.get(key)
            if f is not None and args is None:
                return f[1]
            found = self._procedure_or_method(e, "table", table, "record", key, args)
            if found is not None:
                return found
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
            found = self._procedure_or_method(e, kind, name, kind, key, args)
            if found is not None:
                return found
            if kind == "query" and key in self.members.query_columns(name):
                return UNKNOWN
            self.report("ALC0232", f"{kind} `{name}` has no procedure or method `{e.name}`", e.span, e.name,
                        self._method_names(kind, name, kind))
            return UNKNOWN
        if ty.name == "currpage":       # CurrPage's built-in methods, and its controls (parts, fields...)
            overloads = self.api.method("page", key)
            if overloads:
                self.builtin_arity(e, e.name, overloads, args)
                return _doc_returns(overloads, args)
            page = self.members.object_name("page", ty.subtype) if ty.subtype else None
            table = self.members.table
            if page is not None and key not in table.page_controls(page) and key not in table.page_actions(page):
                self.report("ALC0232", f"page `{page}` has no control or method `{e.name}`", e.span, e.name,
                            [self.api.spelling.get(k, k) for k in self.api.methods("page")])
            return UNKNOWN
        if ty.name in ("currreport", "currxmlport"):
            return self.current_object_member(e, ty, key, args)
        if ty.name.startswith("test"):   # a test page's fields and actions share names with its methods (`Next`)
            return UNKNOWN
        if ty.known and ty.name not in ("array",):
            overloads = self.api.method(ty.name, key)
            if overloads:
                if ty.subtype is None or ty.name not in ("record", "codeunit", "page", "report", "query"):
                    self.builtin_arity(e, e.name, overloads, args)
                return _doc_returns(overloads, args)
            if ty.name in self.api.types and ty.name not in _OPEN_TYPES:
                shown = self.api.type_spelling.get(ty.name, ty.name)
                self.report("ALC0232", f"`{e.name}` is not a method of `{shown}`", e.span, e.name,
                            [self.api.spelling.get(k, k) for k in self.api.methods(ty.name)])
        return UNKNOWN

    def current_object_member(self, e: ir.Member, ty: Ty, key: str, args: Optional[tuple]) -> Ty:
        """`CurrReport.Skip()`, `CurrXMLport.Filename`: the built-in methods of a report or xmlport, or the
        procedures of the object itself."""
        kind = "report" if ty.name == "currreport" else "xmlport"
        if key == "requestoptionspage":     # `CurrReport.RequestOptionsPage.Editable(...)`: not in the reference
            return UNKNOWN
        overloads = self.api.method(kind, key)
        if overloads:
            self.builtin_arity(e, e.name, overloads, args)
            return _doc_returns(overloads, args)
        procs = self.scope.procedures.get(key)
        if procs:
            if args is not None:
                self.arity(e, procs, args)
            return _returns(procs, args)
        if self.scope.open or self.scope.obj.kind != kind:
            return UNKNOWN
        self.report("ALC0232", f"`{e.name}` is not a method of `Curr{'Report' if kind == 'report' else 'XMLport'}`",
                    e.span, e.name, [self.api.spelling.get(k, k) for k in self.api.methods(kind)]
                    + [p[0].name for p in self.scope.procedures.values()])
        return UNKNOWN

    def _procedure_or_method(self, e, kind: str, name: str, type_name: str, key: str, args) -> Optional[Ty]:
        """A member call's type when ``key`` names a procedure of the object (``kind`` ``name``: its access and
        arity checked, unless a built-in method of ``type_name`` shares the name) or a built-in method of
        ``type_name`` (its arity checked); None when it names neither."""
        procs = self.members.procedures(kind, name).get(key)
        overloads = self.api.method(type_name, key)
        if procs:
            if not overloads:
                self.local_access(e, procs, kind, name)
                if args is not None:
                    self.arity(e, procs, args)
            return _returns(procs, args) if not overloads else UNKNOWN
        if overloads:
            self.builtin_arity(e, e.name, overloads, args)
            return _doc_returns(overloads, args)
        return None

    def _method_names(self, kind: str, name: str, type_name: str) -> list:
        names = [p.name for procs in self.members.procedures(kind, name).values() for p in procs]
        return names + [self.api.spelling.get(k, k) for k in self.api.methods(type_name)]

    def call(self, target, args: tuple, node) -> Ty:
        t = type(target)
        if t is ir.Member:
            self.sig = None
            ty = self.member(target, args)
            sig, self.sig = self.sig, None
            types = self.arguments(args, self._receiver_record(target, self.receiver), target.name.casefold())
            if sig is not None:
                self.argument_types(target.name, sig, args, types)
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
            self.sig = None
            self.check_unqualified_arity(key, target, args)
            sig, self.sig = self.sig, None
            types = self.arguments(args, False)
            if sig is not None:
                self.argument_types(target.value, sig, args, types)
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

    def arguments(self, args: tuple, record, method: str = "") -> list:
        """Bind arguments; ``record`` (a table name, or None for an unknown one) is in scope for them."""
        if record is False:
            saved, self.arg_record = self.arg_record, None
            types = [self.expr(a) for a in args]
            self.arg_record = saved
            return types
        saved = self.arg_record
        types = []
        try:
            for i, a in enumerate(args):
                # The record's members are in scope where the method takes a field (an unknown name there is
                # reported as a field); an argument whose first name the caller declares binds in the caller's
                # scope: `Ctx.SetRange(Command, CommandType.NewSalesInvoice)` names the caller's `CommandType`
                # even when the table has a procedure of that name. Other names still find the record's members
                # (methods whose later arguments are fields too), and in the caller's scope `X::Value` may still
                # name the receiver's field X (`Log.SetRange(Status, Status::Logged)`): the receiver stays a
                # candidate for enum values.
                field = i == 0 or method in _FIELD_LIST_METHODS
                self.arg_record = record if field else None
                stack = self.withs if field or not self._callers_name(a) else self.receivers
                stack.append(record)
                try:
                    types.append(self.expr(a))
                finally:
                    stack.pop()
        finally:
            self.arg_record = saved
        return types

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
        matching = [o for o in overloads if o[0] <= n and (o[1] is None or n <= o[1])]
        if self.trace is not None and node.span is not None:
            self.trace[("arity", node.span.start, node.span.end)] = [(o[0], o[1]) for o in overloads]
        if matching:
            self.sig = [_doc_params(tuple(o[3]) if len(o) > 3 else (), n) for o in matching]
            return
        ranges = sorted({(lo, hi) for lo, hi, *_ in overloads}, key=lambda r: (r[0], r[1] if r[1] is not None else 999))
        takes = " or ".join(str(lo) if lo == hi else f"{lo} or more" if hi is None else f"{lo} to {hi}"
                            for lo, hi in ranges)
        self.report("ALC0233", f"`{name}` takes {takes} argument{'s' if takes != '1' else ''}, not {n}",
                    node.span, None, [])

    def assignable(self, target: Ty, value, value_ty: Ty, span, target_expr) -> None:
        """ALC0235: a value assigned to (or returned as) a type AL does not convert it to implicitly:
        a literal of another family (`Integer := 'abc'`, `Text := 5`, `Enum := 1`), or any expression whose
        type is known and certainly not convertible (`Counter := Customer.Name`, `Date := CurrentDateTime`)."""
        if not target.known:
            return
        what = f"`{_describe(target_expr)}`" if target_expr is not None else f"`{self.owner_name}`"
        verb = "assigned to" if target_expr is not None else "returned by"
        kind = "is" if target_expr is not None else "returns"
        if type(value) is ir.Literal and not (value.kind == "string" and len(value.value) == 1):
            fam = _FAMILY.get(value.kind)
            accepts = _ACCEPTS.get(target.name)
            if fam is not None and accepts is not None and fam not in accepts:
                source = literal(value.kind)
                self.report("ALC0235", f"{what} {kind} {_an(target)}; {_an(source, 'value')} cannot be {verb} it",
                            span, None, [], help_text=_conversion_help(target, source))
                return
        target, value_ty = self.norm(target), self.norm(value_ty)
        if not convertible(target, value_ty):
            self.report("ALC0235", f"{what} {kind} {_an(target)}; {_an(value_ty, 'value')} cannot be {verb} it",
                        span, None, [], help_text=_conversion_help(target, value_ty))

    def norm(self, ty: Ty) -> Ty:
        """A record type with its table's declared name (None when unknown), so that two spellings compare."""
        if ty.name == "record" and ty.subtype:
            return Ty("record", self.members.table_name(ty.subtype))
        return ty

    def condition(self, e) -> None:
        """ALC0239: the condition of `if`, `while`, `until` (or `?:`) must be a Boolean."""
        ty = self.expr(e)
        fam = family(ty)
        if fam is not None and "boolean" not in fam:
            self.report("ALC0239", f"the condition `{_describe(e)}` is {_an(ty)}, not a Boolean", e.span, None, [],
                        help_text=_condition_help(ty))

    def case_label(self, selector_expr, selector: Ty, label, label_ty: Ty) -> None:
        """ALC0251: a case label whose type neither converts to the selector's nor the selector's to it."""
        if type(label) in (ir.Range, ir.ListExpr):
            return
        a, b = self.norm(selector), self.norm(label_ty)
        if not convertible(a, b) and not convertible(b, a):
            self.report("ALC0251", f"the case label `{_describe(label)}` is {_an(b)}; the selector "
                        f"`{_describe(selector_expr)}` is {_an(a)}", label.span, None, [],
                        help_text=_conversion_help(a, b))

    def binary(self, e: ir.Binary) -> Ty:
        """The type of `a op b`; ALC0250 where the operator does not apply to the operands' types."""
        op = e.op
        left = self.expr(e.left)
        if op in ("is", "as"):      # the right operand is a type (an interface)
            return BOOLEAN if op == "is" else UNKNOWN
        if op == "in":
            self.in_set(e, left)
            return BOOLEAN
        right = self.expr(e.right)
        lf, rf = family(left), family(right)
        if lf is None or rf is None:
            if op in _COMPARISON or op in _LOGICAL:
                return BOOLEAN
            return _arithmetic_result(op, left, right)
        if op in _COMPARISON:
            a, b = self.norm(left), self.norm(right)
            if not convertible(a, b) and not convertible(b, a) and not (a.name == b.name == "record"):
                self.operand_error(e, left, right)
            return BOOLEAN
        if op in _LOGICAL:
            if "boolean" not in lf or "boolean" not in rf:
                self.operand_error(e, left, right)
            return BOOLEAN
        allowed = _ARITHMETIC.get(op)
        if allowed is not None and not any((x, y) in allowed for x in lf for y in rf):
            self.operand_error(e, left, right)
            return UNKNOWN
        return _arithmetic_result(op, left, right)

    def in_set(self, e: ir.Binary, left: Ty) -> None:
        """ALC0250 for `X in [...]`: an element (or range end) whose type does not meet X's."""
        if type(e.right) is not ir.ListExpr:
            self.expr(e.right)
            return
        a = self.norm(left)
        for item in e.right.items:
            for x in ((item.low, item.high) if type(item) is ir.Range else (item,)):
                if x is None:
                    continue
                b = self.norm(self.expr(x))
                if not convertible(a, b) and not convertible(b, a):
                    self.report("ALC0250", f"`{_describe(x)}` in the set is {_an(b)}; `{_describe(e.left)}` is "
                                f"{_an(a)}", x.span, None, [], help_text=_conversion_help(a, b))

    def operand_error(self, e: ir.Binary, left: Ty, right: Ty) -> None:
        self.report("ALC0250", f"operator `{e.op}` cannot be applied to {_an(left)} (`{_describe(e.left)}`) and "
                    f"{_an(right)} (`{_describe(e.right)}`)", e.span, None, [], help_text=_operand_help(left, right))

    def argument_types(self, name: str, sig: list, args: tuple, types: list) -> None:
        """ALC0237 / ALC0238: the arguments of a call against the parameters of the overloads that take their
        number (each a sequence of (Ty, var)); reported only when no such overload accepts them all."""
        failures = []
        for params in sig:
            problems = []
            for i, (arg, ty) in enumerate(zip(args, types)):
                if i >= len(params):
                    break
                pty, var = params[i]
                if var and type(arg) in _VALUES:
                    problems.append(("ALC0238", i, pty, ty))
                elif not convertible(self.norm(pty), self.norm(ty)):
                    problems.append(("ALC0237", i, pty, ty))
            if not problems:
                return
            failures.append(problems)
        if not failures:
            return
        if len(failures) > 1:
            shown_args = ", ".join(shown(t) if t.known else "?" for t in types)
            self.report("ALC0237", f"no overload of `{name}` takes arguments ({shown_args})",
                        args[failures[0][0][1]].span, None, [])
            return
        for code, i, pty, ty in failures[0]:
            arg = args[i]
            if code == "ALC0238":
                self.report(code, f"argument {i + 1} of `{name}` (`{_describe(arg)}`) is passed to a `var` "
                            f"parameter, so it must be a variable, field or array element", arg.span, None, [],
                            help_text="assign the value to a variable and pass the variable")
            else:
                self.report(code, f"argument {i + 1} of `{name}` (`{_describe(arg)}`) is {_an(self.norm(ty))}; the "
                            f"parameter is {_an(self.norm(pty))}", arg.span, None, [],
                            help_text=_conversion_help(self.norm(pty), self.norm(ty)))

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
        if self.trace is not None and node.span is not None:
            self.trace[("arity", node.span.start, node.span.end)] = [(c, c) for c in counts]
        if len(args) in counts:
            self.sig = [p.params for p in procs if p.arity == len(args)]
            return
        name = procs[0].name
        takes = " or ".join(str(c) for c in counts)
        self.report("ALC0233", f"`{name}` takes {takes} argument{'s' if counts != [1] else ''}, not {len(args)}",
                    node.span, None, [])

    # ------------------------------------------------------------ diagnostics --
    def report(self, code: str, message: str, span, name: Optional[str], candidates: list,
               help_text: Optional[str] = None) -> None:
        if name:
            spelled = {fold(c): c for c in candidates if c}
            close = difflib.get_close_matches(fold(name), list(spelled), n=1, cutoff=0.75)
            if close:
                help_text = f"did you mean `{spelled[close[0]]}`?"
        self.diagnostics.append(Diagnostic.error(code, message, span, help=help_text))


_CHAR = Ty("char")
_VALUES = (ir.Literal, ir.Binary, ir.Unary, ir.Call, ir.Ternary, ir.Scope, ir.ListExpr, ir.Range)
_COMPARISON = frozenset(("=", "<>", "<", ">", "<=", ">="))
_LOGICAL = frozenset(("and", "or", "xor"))
_DATES = ("date", "time", "datetime")
# The pairs of operand families each arithmetic operator applies to.
_ARITHMETIC = {
    "+": {("number", "number"), ("text", "text")} | {(d, "number") for d in _DATES} | {("number", d) for d in _DATES},
    "-": {("number", "number")} | {(d, "number") for d in _DATES} | {(d, d) for d in _DATES},
    "*": {("number", "number")}, "/": {("number", "number")},
    "div": {("number", "number")}, "mod": {("number", "number")},
}
_ARITHMETIC_RESULT = frozenset(("integer", "biginteger", "decimal"))
_TEXTS = frozenset(("text", "code", "label", "textconst"))


def _arithmetic_result(op: str, left: Ty, right: Ty) -> Ty:
    """The type of an arithmetic expression where it is certain (numbers, text, dates), else unknown."""
    a, b = left.name, right.name
    if a in _ARITHMETIC_RESULT and b in _ARITHMETIC_RESULT:
        if op == "/" or "decimal" in (a, b):
            return DECIMAL if op not in ("div", "mod") else UNKNOWN
        return Ty("biginteger") if "biginteger" in (a, b) else INTEGER
    if op == "+" and a in _TEXTS and b in _TEXTS:
        return TEXT
    if a in _DATES and b in _ARITHMETIC_RESULT and op in ("+", "-"):
        return left
    if op == "-" and a == b == "date":
        return INTEGER
    if op == "-" and a == b == "datetime":
        return Ty("duration")
    return UNKNOWN


def _returns(procs: list, args: Optional[tuple]) -> Ty:
    """The return type of a call of user procedures: the one the overloads taking ``args`` agree on."""
    if args is not None:
        procs = [p for p in procs if p.arity == len(args)] or procs
    first = procs[0].returns
    return first if all(p.returns == first for p in procs) else UNKNOWN


def _doc_returns(overloads: list, args: Optional[tuple]) -> Ty:
    """The documented return type the overloads taking ``args`` agree on (unknown where they differ)."""
    if args is not None:
        n = len(args)
        overloads = [o for o in overloads if o[0] <= n and (o[1] is None or n <= o[1])] or overloads
    first = overloads[0][2]
    return from_doc(first) if all(o[2] == first for o in overloads) else UNKNOWN


def _spread(params, n: int) -> list:
    """A documented parameter list for ``n`` arguments (`...` repeats the parameter before it)."""
    params = list(params)
    if params and params[-1] == "...":
        params = params[:-1]
        if params:
            params += [params[-1]] * max(0, n - len(params))
    return params[:n]


_GENERIC = frozenset(("any", "joker", "t", "tkey", "tvalue", "variant", "string", "array", "list", "dictionary"))


@functools.lru_cache(maxsize=4096)
def _doc_params(params: tuple, n: int) -> tuple:
    """(Ty, var) of each of ``n`` arguments of a documented overload."""
    return tuple(_doc_param(p) for p in _spread(params, n))


def _doc_param(text: str) -> tuple:
    """(Ty, var) of a documented parameter type (`var Text`, `Integer`, `Any`)."""
    var = text.startswith("var ")
    name = (text[4:] if var else text).strip().casefold()
    return (UNKNOWN if name in _GENERIC else Ty(name)), var


def _an(ty: Ty, noun: str = "") -> str:
    """`an Integer`, `a Text value`."""
    article = "an" if shown(ty)[:1].casefold() in "aeiou" else "a"
    return f"{article} `{shown(ty)}`" + (f" {noun}" if noun else "")


def _describe(e) -> str:
    """Short AL text of an expression for a message (`Customer.Name`, `Count(...)`)."""
    t = type(e)
    if t is ir.Name:
        return e.value if e.value.replace("_", "").isalnum() else f'"{e.value}"'
    if t is ir.Member:
        name = e.name if e.name.replace("_", "").isalnum() else f'"{e.name}"'
        return f"{_describe(e.target)}.{name}"
    if t is ir.This:
        return "this"
    if t is ir.Call:
        return f"{_describe(e.target)}(...)"
    if t is ir.Literal:
        if e.kind == "string":
            return "'" + e.value.replace("'", "''") + "'" if len(e.value) <= 30 else "'...'"
        return str(e.value).lower() if e.kind == "boolean" else str(e.value)
    if t is ir.Scope:
        return f"{_describe(e.target)}::{e.name}"
    if t is ir.Index:
        return f"{_describe(e.target)}[...]"
    if t is ir.Unary:
        return f"{e.op} {_describe(e.operand)}" if e.op == "not" else f"{e.op}{_describe(e.operand)}"
    if t is ir.Binary:
        return f"{_describe(e.left)} {e.op} {_describe(e.right)}"
    return "..."


def _conversion_help(target: Ty, source: Ty) -> Optional[str]:
    """The likely fix for a value of ``source`` where ``target`` is wanted."""
    tf, sf = family(target) or frozenset(), family(source) or frozenset()
    if "text" in tf and "number" not in tf and sf & {"number", "boolean", "date", "time", "datetime", "enum",
                                                      "option"}:
        return "convert it with `Format(...)`"
    if "text" in sf and tf & {"number", "boolean", "date", "time", "datetime", "option", "enum"}:
        return "convert the text with `Evaluate(Variable, Text)`"
    if source.name == "enum" and "number" in tf:
        return "use `.AsInteger()`"
    if target.name == "date" and source.name == "datetime":
        return "use `DT2Date(...)`"
    if target.name == "datetime" and source.name == "date":
        return "use `CreateDateTime(Date, Time)`"
    if target.name == "record" and source.name == "record":
        return "use a record variable of the same table"
    return None


def _condition_help(ty: Ty) -> str:
    if "number" in (family(ty) or ()):
        return "compare it: `... <> 0`"
    if "text" in (family(ty) or ()):
        return "compare it: `... <> ''`"
    if ty.name == "record":
        return "call a method that returns a Boolean, such as `FindFirst()` or `IsEmpty()`"
    return "compare it with a value of its type"


def _operand_help(left: Ty, right: Ty) -> Optional[str]:
    fams = (family(left) or frozenset()) | (family(right) or frozenset())
    if "text" in fams and "number" in fams:
        return "convert the number with `Format(...)` or the text with `Evaluate(...)`"
    if "boolean" in fams:
        return "use `and`, `or`, `xor` or `not` with Booleans"
    return None
