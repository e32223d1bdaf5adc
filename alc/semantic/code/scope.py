"""What a code body sees: the members of objects (fields and procedures of
tables with their extensions, procedures of codeunits, pages...) from the
symbol table, and each object's own scope (globals, its procedures and those
of the object it extends, the implicit `Rec`, `xRec`, `CurrPage`, ...).

A scope is *open* when part of it cannot be known (the extended object is
not found, a data item's table is unknown): an unknown name in an open
scope is not reported.
"""

from __future__ import annotations

from typing import Optional

import attrs

from ...ir import nodes as ir
from ..model import SYSTEM_FIELDS, SymbolTable, fold
from .types import INTEGER, UNKNOWN, Ty, from_def, from_ref

__all__ = ["Members", "ObjectScope", "object_scope", "Proc"]


@attrs.frozen
class Proc:
    """One overload of a user procedure."""
    name: str
    arity: int
    returns: Ty
    access: str = "public"
    owner: tuple = ()        # (kind, folded name) of the object that declares it
    params: tuple = ()       # (Ty, var) per parameter


class Members:
    """Members of the objects of a symbol table, memoized per object."""

    def __init__(self, table: SymbolTable):
        self.table = table
        self._fields: dict = {}
        self._procs: dict = {}
        self._names: dict = {}

    def table_name(self, ref: Optional[str]) -> Optional[str]:
        """The declared name of the table ``ref`` names, or None when unknown."""
        return self.object_name("table", ref)

    def object_name(self, kind: str, ref: Optional[str]) -> Optional[str]:
        if not ref:
            return None
        key = (kind, fold(ref))
        if key not in self._names:
            found = self.table.find_ref(kind, ref.strip())
            self._names[key] = found[0].obj.name if found else None
        return self._names[key]

    def fields(self, table: str) -> dict:
        """fold(name) -> (name, Ty) of the table and its visible extensions (moved-out fields included)."""
        key = fold(table)
        out = self._fields.get(key)
        if out is None:
            out = {}
            for entry in self.table.find("table", table) + self.table.extensions_of("table", table):
                for f in entry.obj.fields:  # type: ignore[attr-defined]
                    out.setdefault(fold(f.name), (f.name, _field_type(f)))
            for name in SYSTEM_FIELDS:
                out.setdefault(name, (name, UNKNOWN))
            self._fields[key] = out
        return out

    def procedures(self, kind: str, name: str) -> dict:
        """fold(name) -> [Proc] of an object and, for a table or page, its visible extensions."""
        key = (kind, fold(name))
        out = self._procs.get(key)
        if out is None:
            out = {}
            entries = list(self.table.find(kind, name))
            if kind in ("table", "page", "report"):
                entries = entries + self.table.extensions_of(kind, name)
            elif kind == "interface":       # and the interfaces it extends, transitively
                seen = {id(e.obj) for e in entries}
                queue = list(entries)
                while queue:
                    for ref in getattr(queue.pop().obj, "extended_interfaces", ()):
                        for more in self.table.find("interface", ref):
                            if id(more.obj) not in seen:
                                seen.add(id(more.obj))
                                entries.append(more)
                                queue.append(more)
            for entry in entries:
                for m in getattr(entry.obj, "methods", ()):
                    out.setdefault(fold(m.name), []).append(
                        Proc(m.name, len(m.parameters), from_def(m.return_type), m.access,
                             (entry.obj.kind, fold(entry.obj.name)),
                             tuple((from_def(p.type), p.by_ref) for p in m.parameters)))
            self._procs[key] = out
        return out

    def report_items(self, report: str) -> dict:
        """fold(data item name) -> its table (None when unknown) of a report and its visible extensions."""
        out: dict = {}

        def walk(items):
            for item in items:
                out.setdefault(fold(item.name), self.table_name(item.related_table))
                walk(item.data_items)
        for entry in self.table.find("report", report) + self.table.extensions_of("report", report):
            walk(getattr(entry.obj, "data_items", ()))
        return out

    def enum_names(self, enum: str) -> frozenset:
        """The values of an enum and its visible extensions, folded and stripped (`" "` is ``""``)."""
        key = ("enum names", fold(enum))
        out = self._names.get(key)
        if out is None:
            out = self._names[key] = frozenset(n.strip() for n in self.table.enum_values(enum)[0])
        return out

    def query_columns(self, query: str) -> frozenset:
        """Folded names of a query's columns and filters (members of a Query variable)."""
        key = ("query columns", fold(query))
        out = self._names.get(key)
        if out is None:
            names: set = set()

            def walk(items):
                for item in items:
                    names.update(fold(c.name) for c in item.columns + item.filters)
                    walk(item.data_items)
            for entry in self.table.find("query", query):
                walk(getattr(entry.obj, "elements", ()))
            out = self._names[key] = frozenset(names)
        return out

    def namespace_roots(self) -> frozenset:
        """The first parts of every namespace in the symbol table, folded (`microsoft`, `system`)."""
        roots = self._names.get("namespace roots")
        if roots is None:
            roots = self._names["namespace roots"] = frozenset(
                fold(o.namespace.split(".", 1)[0]) for app in self.table.apps for o in app.symbols.objects()
                if o.namespace)
        return roots

    def protected_variables(self, kind: str, name: str) -> dict:
        out = {}
        for entry in self.table.find(kind, name):
            for v in getattr(entry.obj, "variables", ()):
                if v.protected:
                    out.setdefault(fold(v.name), from_def(v.type))
        return out

    def base_property(self, kind: str, name: str, prop: str) -> Optional[str]:
        for entry in self.table.find(kind, name):
            value = entry.obj.get_property(prop)  # type: ignore[attr-defined]
            if value:
                return value
        return None


def _field_type(f) -> Ty:
    """A field's type; an Option field's members come from its OptionMembers property (written without
    quotes: a member holding a comma is split, and `X::"A, B"` is never judged)."""
    ty = from_def(f.type)
    if any(p.name.casefold() == "fieldclass" and p.value.casefold() == "flowfilter" for p in f.properties):
        return UNKNOWN      # a FlowFilter field stands for its filter text where a Text is taken
    if ty.name == "option" and ty.options is None:
        members = next((p.value for p in f.properties if p.name.casefold() == "optionmembers"), None)
        if members is not None:
            ty = attrs.evolve(ty, options=frozenset(m.strip().strip('"').casefold() for m in members.split(",")))
    return ty


@attrs.define
class ObjectScope:
    """The names every code body of one object sees (besides its own locals)."""
    obj: object
    self_ty: Ty
    names: dict = attrs.Factory(dict)          # fold -> Ty: globals, implicit variables, data nodes
    procedures: dict = attrs.Factory(dict)     # fold -> [Proc]: own, and those of the extended object
    record: Optional[str] = None               # the table of the implicit Rec (its fields need no `Rec.`)
    open: bool = False                          # unknown names are not reported

    @property
    def spelling(self) -> dict:
        """fold -> a declared spelling of the object's names and procedures (for `did you mean`)."""
        out = {key: procs[0].name for key, procs in self.procedures.items()}
        for v in getattr(self.obj, "variables", ()):
            out[fold(v.name)] = v.name
        return out



def object_scope(obj, members: Members) -> ObjectScope:
    kind = obj.kind
    scope = ObjectScope(obj, Ty(_SELF_KIND.get(kind, kind), obj.name))
    names = scope.names
    for v in obj.variables:
        names[fold(v.name)] = from_ref(v.type)
    for p in obj.procedures:
        scope.procedures.setdefault(fold(p.name), []).append(_proc(p))
    target = getattr(obj, "target", None)
    base_kind = _EXTENDS.get(kind)
    if base_kind and target:
        base = members.object_name(base_kind, target)
        if base is None:
            scope.open = True
        else:
            for name, procs in members.procedures(base_kind, base).items():
                scope.procedures.setdefault(name, []).extend(procs)
            for name, ty in members.protected_variables(base_kind, base).items():
                names.setdefault(name, ty)
            target = base
    record = None
    if kind == "table":
        record = obj.name
        for name, procs in members.procedures("table", obj.name).items():
            scope.procedures.setdefault(name, []).extend(procs)
    elif kind == "tableextension":
        record = target
    elif kind == "page":
        record = members.table_name(_property_text(obj, "SourceTable"))
        if _property_text(obj, "SourceTable") and record is None:
            scope.open = True
    elif kind in ("pageextension", "pagecustomization") and not scope.open:
        ref = members.base_property("page", target, "SourceTable")
        record = members.table_name(ref)
        if ref and record is None:
            scope.open = True
    elif kind == "codeunit":
        ref = _property_text(obj, "TableNo")
        if ref:
            table = members.table_name(ref)
            names["rec"] = Ty("record", table)
    if kind in ("table", "tableextension"):
        names["currfieldno"] = INTEGER
    if record is not None or kind in ("page", "pageextension", "pagecustomization"):
        rec = Ty("record", record)
        names.setdefault("rec", rec)
        names.setdefault("xrec", rec)
    scope.record = record
    if kind == "page":
        names["currpage"] = Ty("currpage", obj.name)
    elif kind in ("pageextension", "pagecustomization"):
        names["currpage"] = Ty("currpage", None if scope.open else target)
    if kind in ("report", "reportextension"):
        names["currreport"] = Ty("currreport", obj.name)
        names["requestoptionspage"] = UNKNOWN
        names["currpage"] = UNKNOWN
    if kind == "xmlport":
        names["currxmlport"] = Ty("currxmlport", obj.name)
        names["requestoptionspage"] = UNKNOWN
        names["currpage"] = UNKNOWN
    if kind in ("report", "reportextension", "xmlport", "query"):
        _data_nodes(obj, members, names)
        if kind == "reportextension" and target and not scope.open:
            _base_report_items(members, target, names)
    if kind == "query":
        names["currquery"] = Ty("query", obj.name)
    rp = getattr(obj, "requestpage", None)
    if rp is not None:
        ref = _property_text(rp, "SourceTable")   # a request page with a source table has Rec and xRec
        if ref:
            rec = Ty("record", members.table_name(ref))
            names.setdefault("rec", rec)
            names.setdefault("xrec", rec)
        for v in rp.variables:
            names.setdefault(fold(v.name), from_ref(v.type))
        for p in rp.procedures:
            scope.procedures.setdefault(fold(p.name), []).append(_proc(p))
    return scope


def _proc(p: ir.Procedure) -> Proc:
    return Proc(p.name, len(p.parameters), from_ref(p.return_type),
                params=tuple((from_ref(q.type), q.by_ref) for q in p.parameters))


_SELF_KIND = {"tableextension": "record", "table": "record"}
_EXTENDS = {"tableextension": "table", "pageextension": "page", "pagecustomization": "page",
            "reportextension": "report"}


def _property_text(obj, name: str) -> Optional[str]:
    prop = next((p for p in obj.properties if ir.names_equal(p.name, name)), None)
    if prop is None or type(prop.value) is not ir.Values or prop.value.single is None:
        return None
    return _ref_text(prop.value.single)


def _ref_text(expr) -> Optional[str]:
    t = type(expr)
    if t is ir.Name:
        return expr.value
    if t is ir.Literal and expr.kind == "integer":
        return str(expr.value)
    if t is ir.Member:
        inner = _ref_text(expr.target)
        return f"{inner}.{expr.name}" if inner is not None else None
    return None


def node_table(node, members: Members) -> tuple:
    """(table name or None, known) of a data item / table element."""
    if node.kind not in ("dataitem", "tableelement") or node.source is None:
        return None, True
    ref = _ref_text(node.source)
    table = members.table_name(ref)
    return table, table is not None


def _data_nodes(obj, members: Members, names: dict) -> None:
    for node in _walk_nodes(obj):
        if type(node) is not ir.DataNode:
            continue
        table, _ = node_table(node, members)
        if node.kind in ("dataitem", "tableelement"):
            names.setdefault(fold(node.name), Ty("record", table))
        else:
            names.setdefault(fold(node.name), UNKNOWN)


def _walk_nodes(node):
    for name in ("dataset", "elements", "schema", "children", "members"):
        for child in getattr(node, name, ()) or ():
            yield child
            yield from _walk_nodes(child)


def _base_report_items(members: Members, report: str, names: dict) -> None:
    def walk(items):
        for item in items:
            table = members.table_name(item.related_table)
            names.setdefault(fold(item.name), Ty("record", table))
            for c in item.columns:
                names.setdefault(fold(c.name), UNKNOWN)
            walk(item.data_items)
    for entry in members.table.find("report", report):
        walk(entry.obj.data_items)  # type: ignore[attr-defined]
