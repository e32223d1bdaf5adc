"""Properties: `Name = value;` for every kind of property value.

Most values fit on one line. A conditional TableRelation puts each `else`
on a line of its own, and a list of permissions puts each permission on
its own line, both indented one level under the property.

>>> from alc import parse_text
>>> t = parse_text("table 1 T { fields { field(1; A; Code[10]) { CalcFormula = -sum(L.Amount where(A = field(A))); } } }")
>>> property_lines(t.objects[0].fields[0].properties[0], 0)
['CalcFormula = -sum(L.Amount where(A = field(A)));']
"""

from __future__ import annotations

from typing import Any, Optional

from ..ir import nodes as ir
from .expr import COMPARISON, expr_text, named_value_text
from .text import STRICT_RESERVED, dotted, name, pad, parts

__all__ = ["property_lines", "value_lines", "links_text"]

# Properties whose items are option members, written without spaces (`,A,"B C"`).
_MEMBER_LISTS = frozenset(("optionmembers", "optionordinalvalues"))


def property_lines(prop: ir.Property, level: int) -> list[str]:
    """The lines of one property at indentation ``level``, `;` included."""
    lines = value_lines(prop.name, prop.value, level)
    lines[0] = f"{pad(level)}{prop.name} = {lines[0]}"
    lines[-1] += ";"
    return lines


def value_lines(prop_name: str, value: Any, level: int) -> list[str]:
    """The text of a property value; lines after the first carry their indentation."""
    t = type(value)
    if t is ir.TableRelationValue:
        alternatives = [relation_text(r) for r in value.alternatives()]
        return alternatives[:1] + [f"{pad(level + 1)}else {a}" for a in alternatives[1:]]
    if t is ir.PermissionsValue:
        perms = [permission_text(p) for p in value.permissions] or [""]
        lines = perms[:1] + [pad(level + 1) + p for p in perms[1:]]
        return [line + "," for line in lines[:-1]] + lines[-1:]
    return [_simple_value_text(prop_name, value)]


def _simple_value_text(prop_name: str, value: Any) -> str:
    if type(value) is ir.Values:
        sep = "," if prop_name.lower() in _MEMBER_LISTS or any(x is None for x in value.items) else ", "
        items = sep.join(_item_text(x) for x in value.items)
        return ", ".join([items] + [named_value_text(o) for o in value.options])
    text = structured_value_text(value)
    return text if text is not None else _item_text(value)


def structured_value_text(value: Any) -> Optional[str]:
    """One-line text of a CalcFormula, link list, table view or object
    reference value; None for any other value."""
    t = type(value)
    if t is ir.CalcFormulaValue:
        where = f" where({links_text(value.where)})" if value.where else ""
        return f"{'-' if value.negated else ''}{value.method}({parts(value.target)}{where})"
    if t is ir.LinksValue:
        return links_text(value.links)
    if t is ir.TableViewValue:
        return table_view_text(value)
    if t is ir.ObjectRefValue:
        return f"{value.kind} {dotted(value.name, numbers=True)}"
    return None


def _item_text(item: Any) -> str:
    if item is None:
        return ""
    if type(item) is ir.Name:
        return name(item.value, STRICT_RESERVED)
    if type(item) is ir.PairValue:
        second = f" {expr_text(item.second, COMPARISON)}" if item.second is not None else ""
        return f"{expr_text(item.first, COMPARISON)} :{second}"
    return expr_text(item)


def relation_text(rel: ir.TableRelationValue) -> str:
    """One alternative of a TableRelation, without its `else`.

    >>> relation_text(ir.TableRelationValue(("Item",), condition=(ir.Link(("Type",), "const", "Item"),)))
    'if (Type = const(Item)) Item'
    """
    text = parts(rel.target)
    if rel.condition is not None:
        text = f"if ({links_text(rel.condition)}) {text}"
    if rel.where:
        text += f" where({links_text(rel.where)})"
    return text


def links_text(links: tuple) -> str:
    """`"No." = field("No."), Type = const(Item)`.

    >>> links_text((ir.Link(("Date",), "field", ("Date Filter",), "upperlimit"),))
    'Date = field(upperlimit("Date Filter"))'
    """
    return ", ".join(f"{parts(link.field)} = {_link_value(link)}" for link in links)


def _link_value(link: ir.Link) -> str:
    if link.kind == "field":
        field = parts(link.value)
        return f"field({link.function}({field}))" if link.function else f"field({field})"
    return f"{link.kind}({link.value})"  # const/filter: the raw text, verbatim


def table_view_text(view: ir.TableViewValue) -> str:
    """The clauses in the order they were written (default: sorting, order, where).

    >>> table_view_text(ir.TableViewValue(("No.",), "descending", order_of_clauses=("order", "sorting")))
    'order(descending) sorting("No.")'
    """
    present = {"sorting": bool(view.sorting) or "sorting" in view.order_of_clauses,  # `sorting()` too
               "order": view.order is not None, "where": bool(view.where)}
    order = [c for c in dict.fromkeys(view.order_of_clauses) if present.get(c)]
    order += [c for c in ("sorting", "order", "where") if present[c] and c not in order]
    text = {
        "sorting": lambda: "sorting(" + ", ".join(dotted(s) for s in view.sorting) + ")",
        "order": lambda: f"order({view.order})",
        "where": lambda: f"where({links_text(view.where)})",
    }
    return " ".join(text[c]() for c in order)


def permission_text(p: ir.Permission) -> str:
    """`tabledata "Sales Header" = RIMD`, `codeunit * = X`, `page 21 = X`."""
    target = p.target if p.target == "*" else dotted(p.target, numbers=True)
    return f"{p.kind} {target} = {p.rights}"
