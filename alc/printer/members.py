"""Object members written `kind(args) { ... }`: table fields, keys, page
controls and actions, report and query data items, xmlport elements, enum
values, extension changes, .NET assemblies, and the sections holding them.

An element's body lists its properties, then its child elements, then its
triggers; an empty body is written `{ }`.

>>> print("\\n".join(member_lines(ir.EnumValue(0, "Red"), 0)))
value(0; Red) { }
>>> print("\\n".join(member_lines(ir.Change("moveafter", "General", ("Name", "No.")), 0)))
moveafter(General; Name, "No.")
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

from ..ir import nodes as ir
from .code import procedure_lines, trigger_lines, variables_lines
from .expr import expr_text, type_text
from .props import property_lines
from .text import name, names, pad

__all__ = ["member_lines", "section_lines", "element_lines", "requestpage_lines", "join_groups"]


def join_groups(groups: Iterable[list[str]]) -> list[str]:
    """Groups of lines, a blank line between non-empty groups."""
    out: list[str] = []
    for group in groups:
        if group:
            if out:
                out.append("")
            out += group
    return out


def head(kind: str, *args: Optional[str]) -> str:
    """`kind(a; b)`; absent trailing arguments are left out, and `kind` alone
    when there are none.

    >>> head("field", "1", '"No."', "Code[20]"), head("group", None), head("action", "Post", None)
    ('field(1; "No."; Code[20])', 'group', 'action(Post)')
    """
    present = list(args)
    while present and present[-1] is None:
        present.pop()
    return f"{kind}({'; '.join(a or '' for a in present)})" if present else kind


def element_lines(title: str, level: int, properties: tuple = (), children: Iterable[list[str]] = (),
                  triggers: tuple = (), empty_body: bool = True) -> list[str]:
    """An element with a braced body; without anything inside, `title { }`
    (or just ``title`` when ``empty_body`` is false)."""
    inner = [line for p in properties for line in property_lines(p, level + 1)]
    for child in children:
        inner += child
    for t in triggers:
        if inner:
            inner.append("")
        inner += trigger_lines(t, level + 1)
    if not inner:
        return [pad(level) + title + (" { }" if empty_body else "")]
    return [pad(level) + title, pad(level) + "{", *inner, pad(level) + "}"]


def section_lines(keyword: str, members: tuple, level: int) -> list[str]:
    """`fields { ... }`, `layout { ... }`: nothing at all when empty."""
    if not members:
        return []
    inner = [line for m in members for line in member_lines(m, level + 1)]
    return [pad(level) + keyword, pad(level) + "{", *inner, pad(level) + "}"]


def member_lines(m: Any, level: int) -> list[str]:
    """Any element of an object body, chosen by its IR type."""
    return _MEMBERS[type(m)](m, level)


def _field(f: ir.TableField, level: int) -> list[str]:
    return element_lines(head("field", str(f.id), name(f.name), type_text(f.type)), level, f.properties,
                         triggers=f.triggers)


def _key(k: ir.Key, level: int) -> list[str]:
    return element_lines(head("key", name(k.name), names(k.fields) or None), level, k.properties)


def _fieldgroup(g: ir.FieldGroup, level: int) -> list[str]:
    return element_lines(head("fieldgroup", name(g.name), names(g.fields) or None), level, g.properties)


def _source(e: Any) -> Optional[str]:
    return expr_text(e) if e is not None else None


# Elements whose name may be left out: `group { }`, `separator { }`.
_NAME_OPTIONAL = frozenset(("group", "separator"))


def _element_name(kind: str, text: str, has_more: bool) -> Optional[str]:
    """An element's own name; a nameless `group` or `separator` has no parentheses."""
    return None if not text and not has_more and kind in _NAME_OPTIONAL else name(text)


def _control(c: ir.Control, level: int) -> list[str]:
    title = head(c.kind, _element_name(c.kind, c.name, c.source is not None), _source(c.source))
    children = [member_lines(x, level + 1) for x in c.controls]
    children.append(section_lines("actions", c.actions, level + 1))  # a cuegroup's own actions
    return element_lines(title, level, c.properties, children, c.triggers)


def _action(a: ir.Action, level: int) -> list[str]:
    target = name(a.target) if a.target is not None else None
    title = head(a.kind, _element_name(a.kind, a.name, target is not None), target)
    return element_lines(title, level, a.properties, [member_lines(x, level + 1) for x in a.actions],
                         a.triggers)


def _view(v: ir.View, level: int) -> list[str]:
    return element_lines(head("view", name(v.name)), level, v.properties,
                         [section_lines("layout", v.layout, level + 1)])


def _data_node(d: ir.DataNode, level: int) -> list[str]:
    title = head(d.kind, name(d.name), _source(d.source))
    return element_lines(title, level, d.properties, [member_lines(x, level + 1) for x in d.children],
                         d.triggers)


def _report_layout(r: ir.ReportLayout, level: int) -> list[str]:
    return element_lines(head("layout", name(r.name)), level, r.properties)


def _enum_value(v: ir.EnumValue, level: int) -> list[str]:
    return element_lines(head("value", str(v.id), name(v.name)), level, v.properties)


def _assembly(a: ir.Assembly, level: int) -> list[str]:
    return element_lines(head("assembly", name(a.name)), level, a.properties,
                         [member_lines(t, level + 1) for t in a.types])


def _dotnet_type(t: ir.DotNetType, level: int) -> list[str]:
    alias = name(t.alias) if t.alias is not None else None
    return element_lines(head("type", name(t.name), alias), level, t.properties)


_MOVES = frozenset(("movefirst", "movelast", "moveafter", "movebefore"))


def _change(c: ir.Change, level: int) -> list[str]:
    """`addafter(X) { ... }`, `modify(X) { ... }`, `moveafter(X; A, B)`,
    `addlast(DropDown; A, B)` (field groups), `addfirst { ... }` (views)."""
    anchor = name(c.anchor) if c.anchor is not None else None
    targets = names(c.targets) or None
    title = head(c.op, anchor if anchor is not None or targets is None else '""', targets)
    bodiless = c.op in _MOVES or bool(c.targets)
    return element_lines(title, level, c.properties, [member_lines(m, level + 1) for m in c.members],
                         c.triggers, empty_body=not bodiless)


def _property(p: ir.Property, level: int) -> list[str]:
    return property_lines(p, level)


_MEMBERS = {
    ir.TableField: _field, ir.Key: _key, ir.FieldGroup: _fieldgroup, ir.Control: _control,
    ir.Action: _action, ir.View: _view, ir.DataNode: _data_node, ir.ReportLayout: _report_layout,
    ir.EnumValue: _enum_value, ir.Assembly: _assembly, ir.DotNetType: _dotnet_type, ir.Change: _change,
    ir.Property: _property,
}


def requestpage_lines(rp: Optional[ir.RequestPage], level: int) -> list[str]:
    """The `requestpage { ... }` of a report, an xmlport or a report extension."""
    if rp is None:
        return []
    inner = join_groups([
        [line for p in rp.properties for line in property_lines(p, level + 1)],
        section_lines("layout", rp.layout, level + 1),
        section_lines("actions", rp.actions, level + 1),
        section_lines("views", rp.views, level + 1),
        variables_lines(rp.variables, level + 1),
        *[trigger_lines(t, level + 1) for t in rp.triggers],
        *[procedure_lines(p, level + 1) for p in rp.procedures],
    ])
    if not inner:
        return [pad(level) + "requestpage { }"]
    return [pad(level) + "requestpage", pad(level) + "{", *inner, pad(level) + "}"]
