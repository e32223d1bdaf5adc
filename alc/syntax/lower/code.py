"""Lowering of code: rule callbacks that build expression and statement IR.

Each method is named after a rule or alias of grammar/al.lark and receives
that rule's kept children: tokens ``(kind, text, start, end)`` and values
built by earlier callbacks. Spans come from the first and last child.
"""

from __future__ import annotations

from typing import Any

from ...ir import nodes as ir
from ...source import Span, new_span


def unquote_name(text: str) -> str:
    """Strip the quotes of a quoted identifier and undouble its inner quotes.

    >>> unquote_name('"No."'), unquote_name('Amount')
    ('No.', 'Amount')
    """
    if text[:1] == '"':
        return text[1:-1].replace('""', '"')
    return text


def unquote_string(text: str) -> str:
    """`'don''t'` -> `don't`

    >>> unquote_string("'don''t'")
    "don't"
    """
    return text[1:-1].replace("''", "'")


def is_token(x: Any) -> bool:
    return type(x) is tuple


_LITERAL_KINDS = {
    "STRING": "string", "INTEGER": "integer", "DECIMAL": "decimal", "BIGINT": "biginteger",
    "DATE": "date", "TIME": "time", "DATETIME": "datetime", "TRUE": "boolean", "FALSE": "boolean",
}


class CodeLowering:
    """Mixin: expressions and statements."""

    source: Any  # set per file by Lowering

    # -- spans ----------------------------------------------------------------
    def span(self, first: Any, last: Any) -> Span:
        """From the start of ``first`` to the end of ``last`` (tokens or nodes)."""
        return new_span((self.source,
                         first[2] if type(first) is tuple else first.span[1],
                         last[3] if type(last) is tuple else last.span[2]))

    def token_span(self, tok: tuple) -> Span:
        return new_span((self.source, tok[2], tok[3]))

    # -- expressions -----------------------------------------------------------
    def name_expr(self, c):
        tok = c[0]
        text = tok[1]
        if text[0] == '"':
            text = text[1:-1].replace('""', '"')
        return ir.Name(text, span=new_span((self.source, tok[2], tok[3])))

    def literal(self, c):
        tok = c[0]
        text = tok[1]
        kind = tok[0]
        if kind == "WORD":  # `true`/`false`: words keep the lexer's kind
            return ir.Literal("boolean", text.lower() == "true", span=new_span((self.source, tok[2], tok[3])))
        kind = _LITERAL_KINDS[kind]
        if kind == "string":
            value: Any = unquote_string(text)
        elif kind == "biginteger":
            value = text[:-1]
        else:
            value = text
        return ir.Literal(kind, value, span=new_span((self.source, tok[2], tok[3])))

    def this(self, c):
        return ir.This(span=self.token_span(c[0]))

    def paren(self, c):
        return c[1]  # parentheses only group: the tree shape says it all

    def list(self, c):
        items = tuple(x for x in c[1:-1] if x is not None)
        return ir.ListExpr(items, span=self.span(c[0], c[-1]))

    def range(self, c):
        low, high = c[0], c[1]
        first = low if low is not None else high
        last = high if high is not None else low
        span = self.span(first, last) if first is not None else None
        return ir.Range(low, high, span=span)

    def member(self, c):
        target, tok = c
        text = tok[1]
        if text[0] == '"':
            text = text[1:-1].replace('""', '"')
        return ir.Member(target, text, span=new_span((self.source, target.span[1], tok[3])))

    def scope(self, c):
        return ir.Scope(c[0], unquote_name(c[1][1]), span=self.span(c[0], c[1]))

    def call(self, c):
        target, args, rpar = c
        return ir.Call(target, args if args is not None else (), span=new_span((self.source, target.span[1], rpar[3])))

    def index(self, c):
        return ir.Index(c[0], c[1], span=self.span(c[0], c[2]))

    def arguments(self, c):
        return tuple(c)

    def unary(self, c):
        op, operand = c
        return ir.Unary(op[1].lower(), operand, span=self.span(op, operand))

    def binary(self, c):
        left, op, right = c
        return ir.Binary(op, left, right, span=new_span((self.source, left.span[1], right.span[2])))

    def ternary(self, c):
        return ir.Ternary(c[0], c[1], c[2], span=self.span(c[0], c[2]))

    def _op(self, c):
        return c[0][1].lower()

    comparison_op = or_op = and_op = type_op = additive_op = multiplicative_op = _op

    def unary_op(self, c):
        return c[0]

    # -- statements ------------------------------------------------------------
    def block(self, c):
        stmts = c[1]
        return ir.Block(stmts, span=self.span(c[0], c[2]))

    def stmt_list(self, c):
        return tuple(s for s in c if s is not None)

    def assignment(self, c):
        target, op, value = c
        return ir.Assignment(target, op, value, span=self.span(target, value))

    def assign_op(self, c):
        return c[0][1]

    def call_stmt(self, c):
        expr = c[0]
        return ir.CallStatement(expr, span=expr.span)

    def if_stmt(self, c):
        kw, cond, then, otherwise = c
        last = otherwise if otherwise is not None else then if then is not None else cond
        return ir.If(cond, then, otherwise, span=self.span(kw, last))

    def else_clause(self, c):
        return c[0]

    def case_stmt(self, c):
        kw, expr = c[0], c[1]
        branches = tuple(x for x in c[2:-2] if isinstance(x, ir.CaseBranch))
        otherwise = c[-2]
        return ir.Case(expr, branches, otherwise, span=self.span(kw, c[-1]))

    def case_branch(self, c):
        labels, body = tuple(c[:-1]), c[-1]
        return ir.CaseBranch(labels, body, span=self.span(labels[0], body if body is not None else labels[-1]))

    def case_else(self, c):
        return c[0]

    def while_stmt(self, c):
        kw, cond, body = c
        return ir.While(cond, body, span=self.span(kw, body if body is not None else cond))

    def repeat_stmt(self, c):
        kw, body, cond = c
        return ir.Repeat(body, cond, span=self.span(kw, cond))

    def for_stmt(self, c):
        kw, var, start, direction, end, body = c
        return ir.For(var, start, end, direction == "downto", body,
                      span=self.span(kw, body if body is not None else end))

    def for_direction(self, c):
        return c[0][1].lower()

    def foreach_stmt(self, c):
        kw, var, iterable, body = c
        return ir.ForEach(unquote_name(var[1]), iterable, body,
                          span=self.span(kw, body if body is not None else iterable))

    def with_stmt(self, c):
        kw, record, body = c
        return ir.With(record, body, span=self.span(kw, body if body is not None else record))

    def exit_stmt(self, c):
        kw, value = c
        return ir.Exit(value, span=self.span(kw, value if value is not None else kw))

    def break_stmt(self, c):
        return ir.Break(span=self.token_span(c[0]))

    def continue_stmt(self, c):
        return ir.Continue(span=self.token_span(c[0]))

    def asserterror_stmt(self, c):
        kw, body = c
        return ir.AssertError(body, span=self.span(kw, body if body is not None else kw))


def start_of(x: Any) -> int:
    if type(x) is tuple:
        return x[2]
    span = x.span
    return span.start if span is not None else 0


def end_of(x: Any) -> int:
    if type(x) is tuple:
        return x[3]
    span = x.span
    return span.end if span is not None else 0
