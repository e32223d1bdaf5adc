"""Merged objects shown with the app behind each part.

``render_merged`` prints AL source laid out like alc's printer, with a
`// from <App Name>` comment on the object and on each field, key, field
group, control, action, view, enum value, data item and column (`, moved
by <App>` when an extension moved it), on each property an extension
modified, and above each trigger an extension added. Comments are AL
comments, so the text still parses to the merged object.
``merged_json`` is the object's IR JSON (:mod:`alc.ir.serialize`) with a
``"from"`` app record on the same parts (and ``"moved_by"``).

Only public printer functions are used: element headers and code are
printed by wrapping one stripped element in a throwaway object.

>>> from alc.ir import nodes as ir
>>> from alc.merge.model import AppRef, Provenance
>>> base = AppRef("b", "Base", "MS", "1.0.0.0")
>>> t = ir.Table(18, "Customer", fields=(ir.TableField(1, "No.", ir.TypeRef("Integer")),))
>>> prov = Provenance({"b": base}, {("table", 18): "b"}, {}, {}, {}, {})
>>> print(render_merged(t, prov))
table 18 Customer // from Base
{
    fields
    {
        field(1; "No."; Integer) { } // from Base
    }
}
>>> merged_json(t, prov)["fields"][0]["from"]["name"]
'Base'
"""

from __future__ import annotations

from typing import Any, Optional

import attrs

from ..ir import nodes as ir
from ..ir.serialize import to_json
from ..printer import print_object, print_property
from .deltas import CHILD_ATTRS
from .model import Provenance

__all__ = ["render_merged", "merged_json"]

# Per object kind: (AL keyword, IR attribute, provenance section) of each section, in print order.
_SECTIONS = {
    "table": (("fields", "fields", "field"), ("keys", "keys", "key"), ("fieldgroups", "fieldgroups", "fieldgroup")),
    "page": (("layout", "layout", "control"), ("actions", "actions", "action"), ("views", "views", "view")),
    "report": (("dataset", "dataset", "dataset"), ("rendering", "rendering", "rendering")),
    "enum": ((None, "values", "value"),),
}
_REQUESTPAGE = (("layout", "layout", "requestpage"), ("actions", "actions", "requestpage-action"))
_CODE_FIELDS = ("variables", "triggers", "procedures")

# How to print one element alone: wrap it in an object of this kind, in this attribute.
_WRAPPERS = {ir.TableField: (ir.Table, "fields"), ir.Key: (ir.Table, "keys"),
             ir.FieldGroup: (ir.Table, "fieldgroups"), ir.Control: (ir.Page, "layout"),
             ir.Action: (ir.Page, "actions"), ir.View: (ir.Page, "views"), ir.EnumValue: (ir.Enum, "values"),
             ir.DataNode: (ir.Report, "dataset"), ir.ReportLayout: (ir.Report, "rendering")}


def _pad(level: int) -> str:
    return "    " * level


def _from(app: Any) -> str:
    return f" // from {app.name}" if app is not None else ""


def _join(groups: list) -> list:
    out: list = []
    for group in groups:
        if group:
            out += [""] if out else []
            out += group
    return out


def render_merged(obj: Any, provenance: Provenance, marks: Optional[dict] = None, added: tuple = ()) -> str:
    """``obj`` as AL source with its provenance in comments. ``marks``: (element, property) casefolded
    (None for the object) -> a `CONFLICT ...` note for that property or element; ``added``: (AppRef,
    variables, procedures) that extensions declare, shown after the object's code."""
    return "\n".join(_Renderer(obj, provenance, dict(marks or {}), tuple(added)).lines())


@attrs.frozen
class _Renderer:
    obj: Any
    provenance: Provenance
    marks: dict = attrs.field(factory=dict)
    added: tuple = ()

    def _mark(self, element: Optional[str], prop: Optional[str]) -> str:
        note = self.marks.get((element.casefold() if element else None, prop.casefold() if prop else None))
        return f" // {note}" if note else ""

    def lines(self) -> list:
        obj = self.obj
        sections = _SECTIONS.get(obj.kind)
        if sections is None and obj.kind != "permissionset":
            text = print_object(obj).split("\n")
            head = len(obj.attributes)
            return text[:head] + [text[head] + _from(self.provenance.owner(obj))] + text[head + 1:]
        bare = {attr: () for _, attr, _ in sections or ()}
        if obj.kind == "report":
            bare.update(labels=(), requestpage=None)
        shell = print_object(attrs.evolve(obj, properties=(), **bare, **{f: () for f in _CODE_FIELDS})).split("\n")
        head = len(obj.attributes)
        groups = [self._properties(obj.properties, "object", None, 1)]
        for keyword, attr, section in sections or ():
            groups.append(self._section(keyword, getattr(obj, attr), section, 1))
        if obj.kind == "report":
            groups += [self._requestpage(obj.requestpage), self._labels(obj.labels)]
        groups += self._code(obj, "object", None, 1)
        for app, variables, procedures in self.added:
            code = _code_lines(ir.Codeunit(0, "X", variables=variables, procedures=procedures), 1)
            groups.append([_pad(1) + f"// added by {app.name} (its {obj.kind}extension)", *code])
        return [*shell[:head], shell[head] + _from(self.provenance.owner(obj)), "{", *_join(groups), "}"]

    def _properties(self, props: tuple, section: str, element: Optional[str], level: int) -> list:
        out = []
        for p in props:
            text = [_pad(level) + line for line in print_property(p).split("\n")]
            origin = _from(self.provenance.property(self.obj, section, element, p.name))
            text[-1] += origin + self._mark(element, p.name)
            out += text
        return out

    def _section(self, keyword: Optional[str], members: tuple, section: str, level: int) -> list:
        if not members:
            return []
        if keyword is None:                 # enum values sit in the object body
            return [line for m in members for line in self._element(m, section, level)]
        inner = [line for m in members for line in self._element(m, section, level + 1)]
        return [_pad(level) + keyword, _pad(level) + "{", *inner, _pad(level) + "}"]

    def _element(self, node: Any, section: str, level: int) -> list:
        origin = _from(self.provenance.element(self.obj, section, node.name))
        mover = self.provenance.moved_by(self.obj, section, node.name)
        origin += f", moved by {mover.name}" if mover is not None else ""
        origin += self._mark(node.name, None)
        inner = self._properties(getattr(node, "properties", ()), section, node.name, level + 1)
        child_attr = CHILD_ATTRS.get(type(node))
        for child in getattr(node, child_attr) if child_attr else ():
            inner += self._element(child, section, level + 1)
        if type(node) is ir.Control and node.actions:
            inner += self._section("actions", node.actions, "action", level + 1)
        for code in self._triggers(node, section, node.name, level + 1):
            inner += [""] if inner else []
            inner += code
        title = _pad(level) + _header(node)
        if not inner:
            return [title + " { }" + origin]
        return [title + origin, _pad(level) + "{", *inner, _pad(level) + "}"]

    def _triggers(self, node: Any, section: str, element: Optional[str], level: int) -> list:
        """One group of lines per trigger; those extensions added are marked."""
        triggers = getattr(node, "triggers", ())
        added = self.provenance.added_triggers(self.obj, section, element)
        first_added = len(triggers) - len(added)
        out = []
        for i, trigger in enumerate(triggers):
            lines = _code_lines(ir.Codeunit(0, "X", triggers=(trigger,)), level)
            if i >= first_added:
                lines.insert(0, _pad(level) + f"// from {added[i - first_added].name}")
            out.append(lines)
        return out

    def _code(self, holder: Any, section: str, element: Optional[str], level: int) -> list:
        variables = _code_lines(ir.Codeunit(0, "X", variables=holder.variables), level)
        procedures = _code_lines(ir.Codeunit(0, "X", procedures=holder.procedures), level)
        return [variables, *self._triggers(holder, section, element, level), procedures]

    def _requestpage(self, page: Optional[ir.RequestPage]) -> list:
        if page is None:
            return []
        groups = [self._properties(page.properties, "requestpage", None, 2)]
        groups += [self._section(k, getattr(page, a), s, 2) for k, a, s in _REQUESTPAGE]
        groups.append(_views_lines(page.views, 2))
        inner = _join(groups + [_code_lines(ir.Codeunit(0, "X", variables=page.variables, triggers=page.triggers,
                                                        procedures=page.procedures), 2)])
        return [_pad(1) + "requestpage", _pad(1) + "{", *inner, _pad(1) + "}"] if inner else []

    def _labels(self, labels: tuple) -> list:
        if not labels:
            return []
        inner = []
        for label in labels:
            text = [_pad(2) + line for line in print_property(label).split("\n")]
            text[-1] += _from(self.provenance.element(self.obj, "label", label.name))
            inner += text
        return [_pad(1) + "labels", _pad(1) + "{", *inner, _pad(1) + "}"]


def _header(node: Any) -> str:
    """`field(1; "No."; Code[20])`: the printer's title line of one element."""
    cls, attr = _WRAPPERS[type(node)]
    empty = {f: () for f in ("properties", "triggers", "controls", "actions", "children") if hasattr(node, f)}
    text = print_object(cls(0, "X", **{attr: (attrs.evolve(node, **empty),)})).split("\n")
    line = max(text[2:-1], key=lambda s: len(s) - len(s.lstrip())).strip()
    return line[:-4] if line.endswith(" { }") else line


def _code_lines(holder: ir.Codeunit, level: int) -> list:
    """Variables, triggers and procedures as printed in an object body, at ``level``."""
    holder = attrs.evolve(holder, triggers=tuple(_reindented(t) for t in holder.triggers),
                          procedures=tuple(_reindented(p) for p in holder.procedures))
    text = print_object(holder).split("\n")[2:-1]
    return [(_pad(level - 1) + line) if line else line for line in text]


def _reindented(code: Any) -> Any:
    r"""A trigger or procedure whose code body, kept as source text, is indented as if it stood in a
    codeunit (its `end` at four spaces): the printer writes such text verbatim after the first line,
    and an element's trigger, an extension's trigger or a procedure sits at another depth in the merged
    object than in the file it came from.

    >>> from alc import parse_text
    >>> cu = parse_text("codeunit 1 A {\n\ttrigger OnRun()\n\tbegin\n\t\tMessage('x');\n\tend;\n}", lazy_bodies=True)
    >>> _reindented(cu.objects[0].triggers[0]).body.text
    "begin\n        Message('x');\n    end"
    """
    body = getattr(code, "body", None)
    if not isinstance(body, ir.LazyBody) or "\n" not in body.text:
        return code
    from ..source import SourceFile, Span
    first, *rest = body.text.split("\n")
    rest = [_expand_tabs(line) for line in rest]
    shift = 4 - (len(rest[-1]) - len(rest[-1].lstrip(" ")))
    if shift > 0:
        rest = [(" " * shift + line) if line.strip() else line for line in rest]
    elif shift < 0:
        rest = [line[min(-shift, len(line) - len(line.lstrip(" "))):] for line in rest]
    text = "\n".join([first, *rest])
    return attrs.evolve(code, body=attrs.evolve(body, span=Span(SourceFile(body.span.file, text), 0, len(text))))


def _expand_tabs(line: str) -> str:
    """Leading tabs as four spaces (the rest of the line is left alone)."""
    stripped = line.lstrip(" \t")
    lead = line[:len(line) - len(stripped)]
    return lead.replace("\t", "    ") + stripped


def _views_lines(views: tuple, level: int) -> list:
    if not views:
        return []
    text = print_object(ir.Page(0, "X", views=views)).split("\n")[2:-1]
    return [(_pad(level - 1) + line) if line else line for line in text]


# ------------------------------------------------------------------- JSON --

def merged_json(obj: Any, provenance: Provenance) -> dict:
    """The IR JSON of ``obj`` with ``"from"`` (and ``"moved_by"``) app records."""
    data = to_json(obj)
    owner = provenance.owner(obj)
    data["from"] = owner.to_dict() if owner is not None else None
    _mark_properties(data, obj.properties, provenance, obj, "object", None)
    _mark_triggers(data, obj, provenance, obj, "object", None)
    for _, attr, section in _SECTIONS.get(obj.kind, ()):
        _mark_elements(data.get(attr, []), getattr(obj, attr), provenance, obj, section)
    if obj.kind == "report" and obj.requestpage is not None:
        for _, attr, section in _REQUESTPAGE:
            _mark_elements(data["requestpage"].get(attr, []), getattr(obj.requestpage, attr), provenance, obj, section)
    if obj.kind == "report":
        for item, label in zip(data.get("labels", []), obj.labels):
            item["from"] = provenance.element(obj, "label", label.name).to_dict()
    return data


def _mark_elements(items: list, nodes: tuple, provenance: Provenance, obj: Any, section: str) -> None:
    for item, node in zip(items, nodes):
        item["from"] = provenance.element(obj, section, node.name).to_dict()
        mover = provenance.moved_by(obj, section, node.name)
        if mover is not None:
            item["moved_by"] = mover.to_dict()
        _mark_properties(item, getattr(node, "properties", ()), provenance, obj, section, node.name)
        _mark_triggers(item, node, provenance, obj, section, node.name)
        child_attr = CHILD_ATTRS.get(type(node))
        if child_attr:
            _mark_elements(item.get(child_attr, []), getattr(node, child_attr), provenance, obj, section)


def _mark_properties(data: dict, props: tuple, provenance: Provenance, obj: Any, section: str,
                     element: Optional[str]) -> None:
    for item, prop in zip(data.get("properties", []), props):
        app = provenance.property(obj, section, element, prop.name)
        if app is not None:
            item["from"] = app.to_dict()


def _mark_triggers(data: dict, node: Any, provenance: Provenance, obj: Any, section: str,
                   element: Optional[str]) -> None:
    added = provenance.added_triggers(obj, section, element)
    items = data.get("triggers", [])
    for item, app in zip(items[len(items) - len(added):], added):
        item["from"] = app.to_dict()
