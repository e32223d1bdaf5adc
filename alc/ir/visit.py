"""Walking, rebuilding and dumping IR trees.

``dump`` renders any node as compact, deterministic, indented text for golden
files: spans and default fields are left out, expressions are written on one
line as prefix forms, and AL-shaped leaves (types, properties, links,
permissions, attributes) are written the way AL writes them.

>>> from alc import parse_text
>>> unit = parse_text('table 50100 "My Table" { fields { field(1; "No."; Code[20]) { } } }').unit
>>> print(dump(unit.objects[0]))
Table 50100 "My Table"
  fields:
    TableField 1 "No.": Code[20]

``walk`` yields every node of a tree, ``transform`` rebuilds only the nodes
that change (pytype's ``Visitor`` shape: children first, then the node).
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator

import attrs

from . import nodes as ir

__all__ = ["dump", "walk", "children", "transform", "expr_text", "type_text", "name_text"]

_SIMPLE_NAME = re.compile(r"[^\W\d]\w*\Z")


# ------------------------------------------------------------------ walking --

def _is_node(value: Any) -> bool:
    return attrs.has(type(value))


def children(value: Any) -> Iterator[Any]:
    """Direct child nodes of a node or of a (possibly nested) tuple."""
    if isinstance(value, tuple) and not hasattr(value, "_fields"):  # a Span is a NamedTuple
        for item in value:
            if _is_node(item):
                yield item
            elif isinstance(item, tuple):
                yield from children(item)
        return
    for field in attrs.fields(type(value)):
        if field.name == "span":
            continue
        child = getattr(value, field.name)
        if _is_node(child):
            yield child
        elif isinstance(child, tuple):
            yield from children(child)


def walk(node: Any) -> Iterator[Any]:
    """Every node of the tree under ``node`` (itself included), parents first,
    children in field order.

    >>> from alc import parse_expression
    >>> [type(n).__name__ for n in walk(parse_expression("a + f(b)"))]
    ['Binary', 'Name', 'Call', 'Name', 'Name']
    """
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(children(current))))


def transform(node: Any, fn: Callable[[Any], Any]) -> Any:
    """Rebuild the tree bottom-up: each node's children are transformed first,
    then ``fn`` gets the node (rebuilt with ``attrs.evolve`` only when a child
    changed) and returns its replacement, or the node itself.

    Unchanged subtrees keep their identity: a no-op gives back the same tree.

    >>> from alc import parse_expression
    >>> e = parse_expression("a + b * a")
    >>> rename = lambda n: attrs.evolve(n, value="x") if isinstance(n, ir.Name) and n.value == "a" else n
    >>> expr_text(transform(e, rename))
    '(+ x (* b x))'
    >>> transform(e, lambda n: n) is e
    True
    """
    changes = {}
    for field in attrs.fields(type(node)):
        if field.name == "span" or not field.init:
            continue
        old = getattr(node, field.name)
        new = _transform_value(old, fn)
        if new is not old:
            changes[field.name.lstrip("_")] = new
    if changes:
        node = attrs.evolve(node, **changes)
    return fn(node)


def _transform_value(value: Any, fn: Callable[[Any], Any]) -> Any:
    if _is_node(value):
        return transform(value, fn)
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        items = tuple(_transform_value(v, fn) for v in value)
        if any(a is not b for a, b in zip(items, value)):
            return items
    return value


# ------------------------------------------------------------ atoms as text --

def name_text(name: str) -> str:
    """An AL name as written: bare when it is a plain identifier, else quoted.

    >>> print(name_text("Amount"), name_text("No."), name_text('Say "hi" now'))
    Amount "No." "Say ""hi"" now"
    """
    if _SIMPLE_NAME.match(name):
        return name
    return '"' + name.replace('"', '""') + '"'


def _string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def expr_text(e: Any) -> str:
    """One line for an expression: operators in prefix form, postfix forms
    (member, scope, call, index) and literals as AL writes them.

    >>> from alc import parse_expression
    >>> print(expr_text(parse_expression("not a = -b * Rec.Lines[1] ? 'x''y' : c in [1..2, ..3]")))
    (? (= (not a) (* (- b) Rec.Lines[1])) 'x''y' (in c [1..2, ..3]))
    """
    if e is None:
        return "<none>"
    t = type(e)
    if t is ir.Name:
        return name_text(e.value)
    if t is ir.Literal:
        if e.kind == "string":
            return _string(e.value)
        if e.kind == "boolean":
            return "true" if e.value else "false"
        if e.kind == "biginteger":
            return f"{e.value}L"
        return str(e.value)
    if t is ir.This:
        return "this"
    if t is ir.Member:
        return f"{expr_text(e.target)}.{name_text(e.name)}"
    if t is ir.Scope:
        return f"{expr_text(e.target)}::{_object_name(e.name)}"
    if t is ir.Call:
        return f"{expr_text(e.target)}({_exprs(e.arguments)})"
    if t is ir.Index:
        return f"{expr_text(e.target)}[{_exprs(e.indices)}]"
    if t is ir.Unary:
        return f"({e.op} {expr_text(e.operand)})"
    if t is ir.Binary:
        return f"({e.op} {expr_text(e.left)} {expr_text(e.right)})"
    if t is ir.Ternary:
        return f"(? {expr_text(e.condition)} {expr_text(e.then)} {expr_text(e.otherwise)})"
    if t is ir.ListExpr:
        return f"[{_exprs(e.items)}]"
    if t is ir.Range:
        low = expr_text(e.low) if e.low is not None else ""
        high = expr_text(e.high) if e.high is not None else ""
        return f"{low}..{high}"
    if t is ir.TypeRef:
        return type_text(e)
    if t is ir.PairValue:
        second = expr_text(e.second) if e.second is not None else ""
        return f"{expr_text(e.first)}:{second}"
    if t is ir.NamedValue:
        return _named(e)
    return _one_line(e)


def _exprs(items: tuple) -> str:
    return ", ".join(expr_text(x) for x in items)


_EXPRESSIONS = (ir.Name, ir.Literal, ir.This, ir.Member, ir.Scope, ir.Call, ir.Index, ir.Unary,
                ir.Binary, ir.Ternary, ir.ListExpr, ir.Range)


def type_text(t: ir.TypeRef) -> str:
    """A data type as AL writes it.

    >>> type_text(ir.TypeRef("Record", subtype="Sales Header", temporary=True))
    'Record "Sales Header" temporary'
    >>> type_text(ir.TypeRef("Array", dimensions=(ir.Literal("integer", "3"),), element=ir.TypeRef("Integer")))
    'array[3] of Integer'
    """
    if t.dimensions or t.element is not None:
        element = type_text(t.element) if t.element is not None else "<none>"
        return f"array[{_exprs(t.dimensions)}] of {element}"
    parts = [t.name]
    if t.subtype is not None:
        parts.append(_object_name(t.subtype))
    if t.length is not None:
        parts[-1] += f"[{expr_text(t.length)}]"
    if t.arguments:
        parts.append(f"of [{', '.join(type_text(a) for a in t.arguments)}]")
    if t.options:
        parts.append(",".join(name_text(o) if o else "" for o in t.options))
    if t.text is not None:
        parts.append(_string(t.text))
    if t.temporary:
        parts.append("temporary")
    text = " ".join(parts)
    if t.text_options:
        text += (", " if t.text is not None else " ") + ", ".join(_named(o) for o in t.text_options)
    return text


def _named(v: ir.NamedValue) -> str:
    return f"{name_text(v.name)} = {expr_text(v.value)}"


def _link(link: ir.Link) -> str:
    field = ".".join(name_text(p) for p in link.field)
    if link.kind == "field":
        ref = ".".join(name_text(p) for p in link.value)
        if link.function:
            ref = f"{link.function}({ref})"
        return f"{field} = field({ref})"
    return f"{field} = {link.kind}({link.value})"


def _links(links: tuple) -> str:
    return ", ".join(_link(x) for x in links)


def _target(parts: tuple) -> str:
    return ".".join(name_text(p) for p in parts)


def _relation(rel: ir.TableRelationValue) -> str:
    text = _target(rel.target)
    if rel.where:
        text += f" where({_links(rel.where)})"
    if rel.condition is not None:
        text = f"if ({_links(rel.condition)}) {text}"
    return text


def _value_text(value: Any) -> str:
    """A property value on one line (TableRelation excepted)."""
    t = type(value)
    if t is ir.Values:
        items = ", ".join("" if x is None else expr_text(x) for x in value.items)
        options = ", ".join(_named(o) for o in value.options)
        return ", ".join(x for x in (items, options) if x) if options else items
    if t is ir.PairValue:
        return expr_text(value)
    if t is ir.ObjectRefValue:
        return f"{value.kind} {_object_name(value.name)}"
    if t is ir.LinksValue:
        return _links(value.links)
    if t is ir.PermissionsValue:
        return ", ".join(_permission(p) for p in value.permissions)
    if t is ir.CalcFormulaValue:
        where = f" where({_links(value.where)})" if value.where else ""
        return f"{'-' if value.negated else ''}{value.method}({_target(value.target)}{where})"
    if t is ir.TableViewValue:
        clauses = []
        if value.sorting or "sorting" in value.order_of_clauses:
            clauses.append(f"sorting({', '.join(name_text(s) for s in value.sorting)})")
        if value.order is not None:
            clauses.append(f"order({value.order})")
        if value.where:
            clauses.append(f"where({_links(value.where)})")
        return " ".join(clauses)
    return _one_line(value)


def _object_name(name: str) -> str:
    """An object named or numbered: `"Sales Header"`, `18`, `*`."""
    return name if name == "*" or name.isdigit() else name_text(name)


def _permission(p: ir.Permission) -> str:
    return f"{p.kind} {_object_name(p.target)} = {p.rights}"


# ------------------------------------------------------------------- dump --

# Fields written without `name=`, in this order, before the others.
_POSITIONAL = ("kind", "op", "id", "name")
_BY_CLASS: dict[type, tuple[str, ...]] = {
    ir.Assignment: ("target", "op", "value"),
    ir.CallStatement: ("expression",),
    ir.If: ("condition",),
    ir.While: ("condition",),
    ir.Case: ("expression",),
    ir.CaseBranch: ("labels",),
    ir.For: ("variable",),
    ir.ForEach: ("variable",),
    ir.With: ("record",),
    ir.Exit: ("value",),
    ir.Control: ("kind", "name", "source"),
    ir.DataNode: ("kind", "name", "source"),
    ir.Change: ("op", "anchor"),
}
# String fields that hold a keyword or operator, never quoted.
_KEYWORD_FIELDS = frozenset(("kind", "op", "access", "method", "order", "namespace", "usings"))
# Child tuples written without a `field:` line.
_UNLABELLED = {(ir.Block, "statements"), (ir.CompilationUnit, "objects")}


def dump(node: Any) -> str:
    """The indented text of ``node`` (any IR node, expression or tuple of nodes).

    >>> from alc import parse_text
    >>> src = "codeunit 1 C { procedure P(var X: Integer) begin if X > 0 then X -= 1 else exit; end; }"
    >>> print(dump(parse_text(src).unit.objects[0].procedures[0]))
    Procedure P
      parameters:
        Parameter X: Integer by_ref
      body: Block
        If (> X 0)
          then: Assignment X -= 1
          otherwise: Exit
    """
    return "\n".join(_lines(node))


def _lines(node: Any) -> list[str]:
    if isinstance(node, tuple) and not hasattr(node, "_fields"):
        return [line for item in node for line in _lines(item)]
    t = type(node)
    if node is None or t in _EXPRESSIONS:
        return [expr_text(node)]
    if t is ir.TypeRef:
        return [type_text(node)]
    if t is ir.Property:
        return _property(node)
    if t is ir.NamedValue:
        return [_named(node)]
    if t is ir.Link:
        return [_link(node)]
    if t is ir.Permission:
        return [_permission(node)]
    if t is ir.Attribute:
        return [f"[{node.name}{'(' + _exprs(node.arguments) + ')' if node.arguments else ''}]"]
    if t is ir.LazyBody:
        return [f"LazyBody {node.text!r}"]
    if not attrs.has(t):
        return [repr(node)]
    return _generic(node)


def _property(p: ir.Property) -> list[str]:
    if type(p.value) is ir.TableRelationValue:
        alternatives = list(p.value.alternatives())
        if len(alternatives) == 1:
            return [f"{p.name} = {_relation(alternatives[0])}"]
        first, *rest = alternatives
        return [f"{p.name} = {_relation(first)}"] + [f"  else {_relation(r)}" for r in rest]
    return [f"{p.name} = {_value_text(p.value)}".rstrip()]


def _one_line(node: Any) -> str:
    lines = _lines(node)
    return lines[0] if len(lines) == 1 else " ".join(x.strip() for x in lines)


def _is_default(field: attrs.Attribute, value: Any) -> bool:
    if value is None or value == () or value is False:
        return True
    default = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return False
    return default is not attrs.NOTHING and value == default


def _is_atom(value: Any) -> bool:
    if isinstance(value, tuple):
        return all(_is_atom(v) for v in value)
    t = type(value)
    return value is None or t in (str, int, bool) or t in _EXPRESSIONS or t is ir.TypeRef


def _atom_text(value: Any, field: str = "") -> str:
    t = type(value)
    if t is str and field in _KEYWORD_FIELDS:
        return value
    if t is str:
        return name_text(value)
    if t is bool or t is int:
        return str(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_atom_text(v) for v in value) + "]"
    return expr_text(value)


def _generic(node: Any) -> list[str]:
    t = type(node)
    fields = [f for f in attrs.fields(t) if f.name != "span" and f.eq]
    values = {f.name: getattr(node, f.name) for f in fields}
    shown = [f for f in fields if not _is_default(f, values[f.name])]
    positional = _BY_CLASS.get(t, _POSITIONAL)
    head = [t.__name__]
    atoms = [f for f in shown if _is_atom(values[f.name])]
    for name in positional:
        f = next((f for f in atoms if f.name == name), None)
        if f is not None:
            head.append(_atom_text(values[name], name))
    if "type" in values and _is_atom(values["type"]) and values["type"] is not None:
        head[-1] += ": " + type_text(values["type"])
    for f in atoms:
        if f.name in positional or f.name == "type":
            continue
        value = values[f.name]
        head.append(f.name if value is True else f"{f.name}={_atom_text(value, f.name)}")
    lines = [" ".join(head)]
    # Properties first, as AL writes them, then the other members in field order.
    children = sorted((f for f in shown if not _is_atom(values[f.name])), key=lambda f: f.name != "properties")
    for f in children:
        lines.extend(_child_lines(t, f.name, values[f.name]))
    return lines


def _child_lines(t: type, name: str, value: Any) -> list[str]:
    if isinstance(value, tuple):
        body = [line for item in value for line in _lines(item)]
        if (t, name) in _UNLABELLED:
            return ["  " + line for line in body]
        return [f"  {name}:"] + ["    " + line for line in body]
    first, *rest = _lines(value)
    return [f"  {name}: {first}"] + ["  " + line for line in rest]
