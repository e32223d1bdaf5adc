"""Objects and compilation units: the header line, then the body in the
order AL developers write it, a blank line between its parts.

Body order: properties; the sections of the kind (`fields`, `keys`,
`layout`, `actions`, `dataset`, ...); `var`; triggers; procedures.

>>> from alc import parse_text
>>> unit = parse_text("namespace A.B; using C; enum 5 Color { value(0; Red) { Caption = 'Red'; } }").unit
>>> print(unit_text(unit), end="")
namespace A.B;
<BLANKLINE>
using C;
<BLANKLINE>
enum 5 Color
{
    value(0; Red)
    {
        Caption = 'Red';
    }
}
"""

from __future__ import annotations

from typing import Any

from ..ir import nodes as ir
from .code import attribute_text, event_lines, procedure_lines, trigger_lines, variables_lines
from .members import join_groups, member_lines, requestpage_lines, section_lines
from .expr import expr_text
from .props import property_lines
from .text import dotted, name, pad

__all__ = ["unit_text", "object_lines", "header_text"]


def unit_text(unit: ir.CompilationUnit) -> str:
    """A whole file: `namespace`, `using`s, then each object, blank lines between."""
    chunks = []
    if unit.namespace:
        chunks.append(f"namespace {dotted(unit.namespace)};")
    if unit.usings:
        chunks.append("\n".join(f"using {dotted(u)};" for u in unit.usings))
    chunks += ["\n".join(object_lines(obj)) for obj in unit.objects]
    return "\n\n".join(chunks) + "\n"


def header_text(obj: Any) -> str:
    """`table 18 Customer`, `pageextension 50100 X extends "Customer Card"`,
    `codeunit 1 C implements I`, `pagecustomization X customizes Y`, `dotnet`.

    >>> header_text(ir.Interface(None, "IPrice", extends=("IBase",)))
    'interface IPrice extends IBase'
    """
    words = [obj.kind]
    if obj.id is not None:
        words.append(str(obj.id))
    if obj.name is not None:
        words.append(name(obj.name))
    if obj.is_extension:
        keyword = "customizes" if type(obj) is ir.PageCustomization else "extends"
        words.append(f"{keyword} {obj.target if obj.target.isdigit() else dotted(obj.target)}")
    extends = getattr(obj, "extends", ())
    if extends:
        words.append("extends " + ", ".join(dotted(x) for x in extends))
    implements = getattr(obj, "implements", ())
    if implements:
        words.append("implements " + ", ".join(dotted(x) for x in implements))
    return " ".join(words)


def object_lines(obj: Any) -> list[str]:
    """One object: its attributes, header and braced body, as lines."""
    groups = [
        [line for p in obj.properties for line in property_lines(p, 1)],
        *_SECTIONS.get(type(obj), _no_sections)(obj),
        variables_lines(obj.variables, 1),
        *[trigger_lines(t, 1) for t in obj.triggers],
        *[procedure_lines(p, 1) for p in obj.procedures],
    ]
    attributes = [attribute_text(a) for a in obj.attributes]
    return [*attributes, header_text(obj), "{", *join_groups(groups), "}"]


def _no_sections(obj: Any) -> list:
    return []


def _table(obj: Any) -> list:
    return [section_lines("fields", obj.fields, 1), section_lines("keys", obj.keys, 1),
            section_lines("fieldgroups", obj.fieldgroups, 1)]


def _page(obj: Any) -> list:
    return [section_lines("layout", obj.layout, 1), section_lines("actions", obj.actions, 1),
            section_lines("views", obj.views, 1)]


def _report(obj: Any) -> list:
    labels = [line for p in obj.labels for line in _label_lines(p, 2)]
    return [section_lines("dataset", obj.dataset, 1), requestpage_lines(obj.requestpage, 1),
            section_lines("rendering", obj.rendering, 1),
            [pad(1) + "labels", pad(1) + "{", *labels, pad(1) + "}"] if labels else []]


def _label_lines(p: ir.Property, level: int) -> list[str]:
    """A report label; the old multi-language form as written: `label(Name; ENU = 'Text')`."""
    items = p.value.items if type(p.value) is ir.Values and not p.value.options else ()
    if items and all(type(x) is ir.Binary and x.op == "=" for x in items):
        return [f"{pad(level)}label({name(p.name)}; {', '.join(expr_text(x) for x in items)})"]
    return property_lines(p, level)


def _query(obj: ir.Query) -> list:
    return [section_lines("elements", obj.elements, 1)]


def _xmlport(obj: ir.XmlPort) -> list:
    return [section_lines("schema", obj.schema, 1), requestpage_lines(obj.requestpage, 1)]


def _members(attr: str):
    """A kind whose elements sit directly in the body (enum values, assemblies)."""
    return lambda obj: [[line for m in getattr(obj, attr) for line in member_lines(m, 1)]]


def _controladdin(obj: ir.ControlAddIn) -> list:
    return [[line for e in obj.events for line in event_lines(e, 1)]]


_SECTIONS = {
    ir.Table: _table, ir.TableExtension: _table,
    ir.Page: _page, ir.PageExtension: _page, ir.PageCustomization: _page,
    ir.Report: _report, ir.ReportExtension: _report,
    ir.Query: _query, ir.XmlPort: _xmlport,
    ir.Enum: _members("values"), ir.EnumExtension: _members("values"),
    ir.DotNet: _members("assemblies"),
    ir.ControlAddIn: _controladdin,
}