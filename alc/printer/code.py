"""Code: statements, code bodies, variables, parameters, attributes,
procedures, triggers and events.

Statement printers return lines (indentation included) without the final
`;`; whoever lists statements adds it. `then`, `do` and `else` bodies go on
the next line, one level in, unless they are `begin ... end` blocks, which
open on the same line (`if X then begin`, `end else begin`).

>>> from alc import parse_text
>>> cu = parse_text("codeunit 1 C { trigger OnRun() begin if A then B() else begin C(); end; end; }").objects[0]
>>> print("\\n".join(trigger_lines(cu.triggers[0], 0)))
trigger OnRun()
begin
    if A then
        B()
    else begin
        C();
    end;
end;
"""

from __future__ import annotations

import re
from typing import Any, Optional

from ..ir import nodes as ir
from .expr import expr_text, statement_expr_text, target_text, type_text
from .text import dotted, name, pad

__all__ = ["stmt_lines", "statements_lines", "body_lines", "variables_lines", "attribute_text",
           "procedure_lines", "trigger_lines", "event_lines", "parameters_text"]


# -------------------------------------------------------------- statements --

def statements_lines(statements: tuple, level: int) -> list[str]:
    """A statement list: each statement ended by `;`."""
    lines: list[str] = []
    for s in statements:
        one = stmt_lines(s, level)
        one[-1] += ";"
        lines += one
    return lines


def stmt_lines(s: Any, level: int) -> list[str]:
    """One statement at ``level``, without its `;`."""
    return _STATEMENTS[type(s)](s, level)


def _block(s: ir.Block, level: int) -> list[str]:
    return [pad(level) + "begin", *statements_lines(s.statements, level + 1), pad(level) + "end"]


def _headed(head: str, body: Optional[Any], level: int) -> list[str]:
    """`head` (a full line) followed by its body: a block opens on the same line."""
    if body is None:
        return [head]
    if type(body) is ir.Block:
        return [head + " begin", *statements_lines(body.statements, level + 1), pad(level) + "end"]
    return [head, *stmt_lines(body, level + 1)]


def dangles(s: Any) -> bool:
    """Whether ``s`` ends in an `if` without `else`, which would take an `else` after it.

    >>> dangles(ir.While(ir.Name("c"), ir.If(ir.Name("d"), ir.Exit(None), None)))
    True
    """
    t = type(s)
    if t is ir.If:
        return s.otherwise is None or dangles(s.otherwise)
    if t in (ir.While, ir.For, ir.ForEach, ir.With, ir.AssertError):
        return s.body is not None and dangles(s.body)
    return False


def _if(s: ir.If, level: int) -> list[str]:
    then = s.then
    if s.otherwise is not None and then is not None and dangles(then):
        then = ir.Block((then,))  # the `else` belongs to this `if`, not to the one inside
    lines = _headed(f"{pad(level)}if {expr_text(s.condition)} then", then, level)
    if s.otherwise is None:
        return lines
    head = lines.pop() + " else" if type(then) is ir.Block else pad(level) + "else"
    if type(s.otherwise) is ir.If:
        chained = _if(s.otherwise, level)
        return lines + [f"{head} {chained[0].lstrip()}"] + chained[1:]
    return lines + _headed(head, s.otherwise, level)


def _case(s: ir.Case, level: int) -> list[str]:
    lines = [f"{pad(level)}case {expr_text(s.expression)} of"]
    for branch in s.branches:
        labels = ", ".join(expr_text(label) for label in branch.labels)
        if branch.body is None:
            lines.append(f"{pad(level + 1)}{labels}:;")
            continue
        # The `;` after every branch ends an `if` in it, so a following
        # branch or `else` cannot be read as that `if`'s `else`.
        lines.append(f"{pad(level + 1)}{labels}:")
        lines += statements_lines((branch.body,), level + 2)
    if s.otherwise is not None:
        if len(s.otherwise) == 1 and type(s.otherwise[0]) is ir.Block:
            lines += _headed(pad(level + 1) + "else", s.otherwise[0], level + 1)
            lines[-1] += ";"
        else:
            lines.append(pad(level + 1) + "else")
            lines += statements_lines(s.otherwise, level + 2)
    lines.append(pad(level) + "end")
    return lines


def _while(s: ir.While, level: int) -> list[str]:
    return _headed(f"{pad(level)}while {expr_text(s.condition)} do", s.body, level)


def _repeat(s: ir.Repeat, level: int) -> list[str]:
    return [pad(level) + "repeat", *statements_lines(s.body, level + 1),
            f"{pad(level)}until {expr_text(s.condition)}"]


def _for(s: ir.For, level: int) -> list[str]:
    direction = "downto" if s.downto else "to"
    head = f"{pad(level)}for {target_text(s.variable)} := {expr_text(s.start)} {direction} {expr_text(s.end)} do"
    return _headed(head, s.body, level)


def _foreach(s: ir.ForEach, level: int) -> list[str]:
    return _headed(f"{pad(level)}foreach {name(s.variable)} in {expr_text(s.iterable)} do", s.body, level)


def _with(s: ir.With, level: int) -> list[str]:
    return _headed(f"{pad(level)}with {expr_text(s.record)} do", s.body, level)


def _exit(s: ir.Exit, level: int) -> list[str]:
    return [pad(level) + ("exit" if s.value is None else f"exit({expr_text(s.value)})")]


def _assert_error(s: ir.AssertError, level: int) -> list[str]:
    if s.body is None:
        return [pad(level) + "asserterror"]
    lines = stmt_lines(s.body, level)
    return [f"{pad(level)}asserterror {lines[0].lstrip()}"] + lines[1:]


_STATEMENTS = {
    ir.Block: _block,
    ir.Assignment: lambda s, level: [f"{pad(level)}{target_text(s.target)} {s.op} {expr_text(s.value)}"],
    ir.CallStatement: lambda s, level: [pad(level) + statement_expr_text(s.expression)],
    ir.If: _if,
    ir.Case: _case,
    ir.While: _while,
    ir.Repeat: _repeat,
    ir.For: _for,
    ir.ForEach: _foreach,
    ir.With: _with,
    ir.Exit: _exit,
    ir.Break: lambda s, level: [pad(level) + "break"],
    ir.Continue: lambda s, level: [pad(level) + "continue"],
    ir.AssertError: _assert_error,
}


def body_lines(body: Any, level: int) -> list[str]:
    """A code body with its `;`: a Block, or a lazy body's text verbatim."""
    if isinstance(body, ir.LazyBody):
        return _lazy_lines(body.text, level)
    lines = _block(body if body is not None else ir.Block(()), level)
    lines[-1] += ";"
    return lines


_DIRECTIVE = re.compile(r"^[ \t]*#[ \t]*(if|elif|else|endif)\b", re.MULTILINE | re.IGNORECASE)

# Opens a preprocessor group that is always taken (nobody defines this symbol).
_ALWAYS = "#if not ALC_PRINTER_NEVER_DEFINED"


def _lazy_lines(text: str, level: int) -> list[str]:
    """A lazy body's text, verbatim. A body can start or end inside an `#if`
    group whose other half lies outside it (`#if X begin A; #else begin B;
    #endif end`); such a group is completed around the body, with a group
    that is always taken, so that the text lexes as it did.

    >>> _lazy_lines("begin\\n#else\\nend", 1)
    ['#if not ALC_PRINTER_NEVER_DEFINED', '    begin', '#else', 'end;', '#endif']
    """
    depth = lowest = 0
    for m in _DIRECTIVE.finditer(text):
        word = m.group(1).lower()
        depth += {"if": 1, "endif": -1}.get(word, 0)
        lowest = min(lowest, depth - 1 if word in ("elif", "else") else depth)
    first, *rest = text.split("\n")
    lines = [pad(level) + first, *rest]
    lines[-1] += ";"
    return [_ALWAYS] * -lowest + lines + ["#endif"] * (depth - lowest)


# ------------------------------------------------------------ declarations --

def attribute_text(a: ir.Attribute) -> str:
    """`[IntegrationEvent(false, false)]`, `[Test]`.

    >>> attribute_text(ir.Attribute("Scope", (ir.Literal("string", "OnPrem"),)))
    "[Scope('OnPrem')]"
    """
    args = "(" + ", ".join(expr_text(x) for x in a.arguments) + ")" if a.arguments else ""
    return f"[{dotted(a.name)}{args}]"


def _attributes(attributes: tuple, level: int) -> list[str]:
    return [pad(level) + attribute_text(a) for a in attributes]


def variables_lines(variables: tuple, level: int) -> list[str]:
    """`var` sections; a run of protected variables gets `protected var`."""
    lines: list[str] = []
    current: Optional[bool] = None
    for v in variables:
        if v.protected is not current:
            current = v.protected
            lines.append(pad(level) + ("protected var" if current else "var"))
        lines += _attributes(v.attributes, level + 1)
        lines.append(f"{pad(level + 1)}{name(v.name)}: {type_text(v.type)};")
    return lines


def parameters_text(parameters: tuple) -> str:
    """`var Rec: Record Customer; Amount: Decimal`."""
    return "; ".join(f"{'var ' if p.by_ref else ''}{name(p.name)}: {type_text(p.type)}" for p in parameters)


def _signature(keyword: str, title: str, node: Any) -> str:
    text = f"{keyword} {title}({parameters_text(node.parameters)})"
    if node.return_type is not None:
        ret_name = f" {name(node.return_name)}" if node.return_name else ""
        text += f"{ret_name}: {type_text(node.return_type)}"
    return text


def procedure_lines(p: ir.Procedure, level: int) -> list[str]:
    """A procedure: attributes, header, `var` section, body. Without a body
    (interfaces, control add-ins) the header ends with `;`."""
    access = "" if p.access == "public" else p.access + " "
    head = pad(level) + access + _signature("procedure", name(p.name), p)
    lines = _attributes(p.attributes, level)
    if p.body is None:
        return lines + [head + ";"]
    return lines + [head, *variables_lines(p.variables, level), *body_lines(p.body, level)]


def trigger_lines(t: ir.Trigger, level: int) -> list[str]:
    """`trigger OnValidate()` with its variables and body; `Control::Event` names kept."""
    title = "::".join(name(part) for part in t.name.split("::"))
    return [*_attributes(t.attributes, level), pad(level) + _signature("trigger", title, t),
            *variables_lines(t.variables, level), *body_lines(t.body, level)]


def event_lines(e: ir.Event, level: int) -> list[str]:
    """`event ControlReady();` of a control add-in."""
    return [*_attributes(e.attributes, level), f"{pad(level)}event {name(e.name)}({parameters_text(e.parameters)});"]
