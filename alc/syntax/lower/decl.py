"""Lowering of declarations: names, types, properties, attributes, var
sections, procedures, triggers and the generic `keyword(args) { ... }`
elements, which objects.py later types by their context."""

from __future__ import annotations

import functools
from typing import Any, NamedTuple, Optional

from ...ir import nodes as ir
from ...source import Span, new_span
from ..lexer import ELEMENT_ARG_RE, SIMPLE_OPTION_RE, Lexer
from .code import end_of, start_of, unquote_name, unquote_string

_NUMBER_KINDS = {"INTEGER": "integer", "DECIMAL": "decimal", "BIGINT": "biginteger", "DATE": "date",
                 "TIME": "time", "DATETIME": "datetime"}

# Trailing `Name = value` items of a generic property value that are options
# of the value, not items of it: `Caption = 'x', Comment = 'y', Locked = true;`
VALUE_OPTIONS = frozenset(("comment", "locked", "maxlength"))


class QName(NamedTuple):
    """A dotted name as written: `Microsoft.Sales.Customer` or `"G/L Account"."No."`."""
    parts: tuple
    span: Span

    @property
    def text(self) -> str:
        return ".".join(self.parts)


_new_qname = functools.partial(tuple.__new__, QName)   # QName((parts, span)) without NamedTuple's __new__


class RawElement:
    """`kind(args) { members }` before objects.py gives it a type."""

    __slots__ = ("kind", "token", "args", "members", "span")

    def __init__(self, kind: str, token: tuple, args: Optional[tuple], members: Optional[list], span: Span):
        self.kind, self.token, self.args, self.members, self.span = kind, token, args, members, span

    def __repr__(self) -> str:
        return f"RawElement({self.kind}, {self.args!r}, {len(self.members or ())} members)"


class RawVarSection:
    __slots__ = ("protected", "items", "span")

    def __init__(self, protected: bool, items: list, span: Span):
        self.protected, self.items, self.span = protected, items, span


class NamespaceDecl(NamedTuple):
    name: str
    span: Span


class UsingDecl(NamedTuple):
    name: str
    span: Span


def _token_text(tok: tuple) -> str:
    return unquote_name(tok[1])


class DeclLowering:
    """Mixin: declarations."""

    source: Any

    # -- names ----------------------------------------------------------------
    def qualified_name(self, c):
        if len(c) == 1:
            tok = c[0]
            text = tok[1]
            if text[0] == '"':
                text = text[1:-1].replace('""', '"')
            return _new_qname(((text,), new_span((self.source, tok[2], tok[3]))))
        return _new_qname((tuple(unquote_name(t[1]) for t in c), new_span((self.source, c[0][2], c[-1][3]))))

    def namespace_decl(self, c):
        return NamespaceDecl(c[0].text, c[0].span)

    def using_decl(self, c):
        return UsingDecl(c[0].text, c[0].span)

    def extends_clause(self, c):
        """Target names, or ids as text: `extends Customer`, `extends 18`."""
        return tuple(q.text if type(q) is QName else q[1] for q in c)

    def implements_clause(self, c):
        return tuple(q.text for q in c)

    # -- generic elements ------------------------------------------------------
    def element(self, c):
        kind_tok, args, body = c
        if body is not None:
            members, last = body
        else:
            members, last = None, (args[1] if args is not None else kind_tok)
        groups = args[0] if args is not None else None
        return RawElement(kind_tok[1].lower(), kind_tok, groups, members,
                          new_span((self.source, kind_tok[2], end_of(last))))

    def simple_element(self, c):
        """The ELEMENT_HEAD fast path: the RawElement `element` would give."""
        head, body = c
        m = head[1]
        kind = m.group(1)
        start, stop = m.span(1)
        groups = self._simple_args(m)
        if body is not None:
            members, last = body
            end = last[3]
        else:
            members, end = None, m.end()
        return RawElement(kind.lower(), ("WORD", kind, start, stop), groups, members,
                          new_span((self.source, head[2], end)))

    def _simple_args(self, m) -> Optional[tuple]:
        text, base = m.group(2), m.start(2)
        if not text:
            return ()
        source = self.source
        groups, group = [], []
        for a in ELEMENT_ARG_RE.finditer(text):
            separator, first, member, index = a.groups()
            if separator is not None:
                if separator == ";":
                    groups.append(tuple(group))
                    group = []
                continue
            start = base + a.start(2)
            node = self._atom(first, start, start + len(first))
            if member is not None:
                node = ir.Member(node, unquote_name(member), span=new_span((source, start, base + a.end(3))))
            if index is not None:
                low, high = a.span(4)
                literal = ir.Literal("integer", index, span=new_span((source, base + low, base + high)))
                node = ir.Index(node, (literal,), span=new_span((source, start, base + high + 1)))
            group.append(node)
        groups.append(tuple(group))
        return tuple(groups)

    def _atom(self, text: str, start: int, end: int):
        span = new_span((self.source, start, end))
        if text[0] == '"':
            return ir.Name(unquote_name(text), span=span)
        if text[0].isdigit():
            return ir.Literal("integer", text, span=span)
        return _word(text, span)

    def element_kind(self, c):
        return c[0]

    def element_args(self, c):
        return (tuple(g for g in c[:-1] if g is not None), c[-1])

    def arg_group(self, c):
        return tuple(c)

    def element_body(self, c):
        return (c[1:-1], c[-1])

    def enum_arg(self, c):
        q = c[0]
        return ir.TypeRef("Enum", subtype=q.text, span=q.span)

    # -- properties -----------------------------------------------------------
    def property(self, c):
        name_tok, value, semi = c
        return ir.Property(name_tok[1], value, span=self.span(name_tok, semi))

    def prop_name(self, c):
        return c[0]

    def prop_value(self, c):
        items = list(c)
        options = []
        while len(items) > 1:
            last = items[-1]
            if (type(last) is ir.Binary and last.op == "=" and type(last.left) is ir.Name
                    and last.left.value.casefold() in VALUE_OPTIONS):
                options.append(ir.NamedValue(last.left.value, last.right, span=last.span))
                items.pop()
            else:
                break
        options.reverse()
        present = [x for x in items if x is not None]
        span = self.span(present[0], options[-1] if options else present[-1]) if present else None
        return ir.Values(tuple(items), tuple(options), span=span)

    def simple_property(self, c):
        """The SIMPLE_PROPERTY fast path: the IR `property` would give."""
        m = c[0][1]
        source = self.source
        name, string, quoted, number, word, options_text = m.groups()
        if string is not None:
            start, end = m.span(2)
            value = ir.Literal("string", string[1:-1].replace("''", "'"), span=new_span((source, start, end)))
        elif quoted is not None:
            start, end = m.span(3)
            value = ir.Name(unquote_name(quoted), span=new_span((source, start, end)))
        elif number is not None:
            start, end = m.span(4)
            kind = _NUMBER_KINDS[Lexer._number_kind(number)]
            value = ir.Literal(kind, number[:-1] if kind == "biginteger" else number,
                               span=new_span((source, start, end)))
        else:
            start, end = m.span(5)
            value = _word(word, new_span((source, start, end)))
        options = ()
        if options_text:
            base = m.start(6)
            options = tuple(self._simple_option(o, base) for o in SIMPLE_OPTION_RE.finditer(options_text))
            end = options[-1].span.end
        values = ir.Values((value,), options, span=new_span((source, start, end)))
        return ir.Property(name, values, span=new_span((source, m.start(), m.end())))

    def _simple_option(self, o, base: int):
        source = self.source
        name, text = o.group(1), o.group(2)
        span = new_span((source, base + o.start(2), base + o.end(2)))
        if text[0] == "'":
            value = ir.Literal("string", unquote_string(text), span=span)
        elif text[0].isdigit():
            value = ir.Literal("integer", text, span=span)
        else:
            value = ir.Literal("boolean", text.lower() == "true", span=span)
        return ir.NamedValue(name, value, span=new_span((source, base + o.start(1), base + o.end(2))))

    def pair(self, c):
        first, second = c
        return ir.PairValue(first, second, span=self.span(first, second if second is not None else first))

    def table_relation_property(self, c):
        return ir.Property("TableRelation", c[1], span=self.span(c[0], c[2]))

    def calc_formula_property(self, c):
        return ir.Property("CalcFormula", c[1], span=self.span(c[0], c[2]))

    def link_property(self, c):
        name_tok, links, semi = c
        return ir.Property(name_tok[1], ir.LinksValue(links, span=self.span(links[0], links[-1])),
                           span=self.span(name_tok, semi))

    def view_property(self, c):
        return ir.Property(c[0][1], c[1], span=self.span(c[0], c[2]))

    def permissions_property(self, c):
        name_tok, semi = c[0], c[-1]
        perms = tuple(p for p in c[1:-1] if p is not None)
        value = ir.PermissionsValue(perms, span=self.span(perms[0], perms[-1]) if perms else
                                    new_span((self.source, semi[2], semi[2])))
        return ir.Property(name_tok[1], value, span=self.span(name_tok, semi))

    def keyword_string_property(self, c):
        """`Filters = 'Filters:';`: a report label named like a structured property."""
        name_tok, text, *options, semi = c
        value = ir.Literal("string", unquote_string(text[1]), span=new_span((self.source, text[2], text[3])))
        last = options[-1] if options else value
        values = ir.Values((value,), tuple(options), span=new_span((self.source, text[2], last.span.end)))
        return ir.Property(name_tok[1], values, span=self.span(name_tok, semi))

    def run_object_property(self, c):
        return ir.Property("RunObject", c[1], span=self.span(c[0], c[2]))

    link_prop_name = view_prop_name = perm_prop_name = calc_method = permission_kind = \
        object_ref_kind = object_type_kind = access = object_kind = element_kind

    def table_relation(self, c):
        condition, target, where, otherwise = c
        first = condition[0] if condition else target
        last = otherwise if otherwise is not None else (where[-1] if where else target)
        return ir.TableRelationValue(target.parts, where or (), condition, otherwise,
                                     span=self.span(first, last))

    def relation_condition(self, c):
        return c[0]

    def calc_formula(self, c):
        minus, method, target, where = c
        first = minus if minus is not None else method
        return ir.CalcFormulaValue(method[1].lower(), target.parts, where or (), minus is not None,
                                   span=self.span(first, where[-1] if where else target))

    def where_clause(self, c):
        links = c[1]
        return links

    def link_list(self, c):
        return tuple(c)

    def link(self, c):
        field, (kind, value, function, last) = c
        return ir.Link(field.parts, kind, value, function, span=new_span((self.source, field.span.start, end_of(last))))

    def const_value(self, c):
        tok = c[0]
        return ("const", tok[1].strip(), None, tok)

    def filter_value(self, c):
        tok = c[0]
        return ("filter", tok[1].strip(), None, tok)

    def field_value(self, c):
        ref = c[0]
        if type(ref) is QName:
            return ("field", ref.parts, None, ref)
        parts, function, last = ref
        return ("field", parts, function, last)

    def field_func(self, c):
        func, q = c
        return (q.parts, func[1].lower(), q)

    def table_view(self, c):
        sorting, order, where = (), None, ()
        for kind, value, _, _ in c:
            if kind == "sorting":
                sorting = value
            elif kind == "order":
                order = value
            else:
                where = value
        return ir.TableViewValue(sorting, order, where, tuple(x[0] for x in c),
                                 span=new_span((self.source, c[0][2], c[-1][3])))

    def view_where(self, c):
        return ("where", c[1], c[0][2], c[2][3])

    def sorting_clause(self, c):
        return ("sorting", tuple(q.text for q in c[1:-1] if q is not None), c[0][2], c[-1][3])

    def order_clause(self, c):
        return ("order", c[1][1], c[0][2], c[2][3])

    def permission(self, c):
        kind, target, rights = c
        if type(target) is QName:
            text, last = target.text, target
        else:
            text, last = target[1], target
        return ir.Permission(kind[1].lower(), text, rights[1], span=self.span(kind, rights))

    def object_ref(self, c):
        kind, target = c
        name = target.text if type(target) is QName else target[1]
        return ir.ObjectRefValue(kind[1].lower(), name, span=self.span(kind, target))

    # -- attributes, variables, parameters --------------------------------------
    def attribute(self, c):
        lsqb, name, args, rsqb = c
        return ir.Attribute(name.text, args or (), span=self.span(lsqb, rsqb))

    def attribute_args(self, c):
        return tuple(c)

    def var_section(self, c):
        protected, var_tok = c[0], c[1]
        items = []
        for x in c[2:]:
            if type(x) is tuple and x and type(x[0]) is ir.Variable:
                items.extend(x)
            else:
                items.append(x)
        last = items[-1] if items else var_tok
        return RawVarSection(protected is not None, items, self.span(protected or var_tok, last))

    def variable(self, c):
        *names, type_ = c
        end = end_of(type_)
        return tuple(ir.Variable(unquote_name(t[1]), type_, span=new_span((self.source, t[2], end))) for t in names)

    def parameters(self, c):
        return tuple(c)

    def parameter(self, c):
        var, name, type_ = c
        return ir.Parameter(unquote_name(name[1]), type_, var is not None,
                            span=self.span(var if var is not None else name, type_))

    def return_spec(self, c):
        name, type_ = c
        return (unquote_name(name[1]) if name is not None else None, type_)

    # -- procedures, triggers, events -------------------------------------------
    def trigger(self, c):
        kw, name, params, _rpar, ret, var_section, body = c
        ret_name, ret_type = ret if ret is not None else (None, None)
        variables = _variables(var_section)
        return ir.Trigger(name, params or (), ret_type, ret_name, variables, body,
                          span=self.span(kw, body))

    def trigger_name(self, c):
        first, second = c
        return _token_text(first) if second is None else f"{_token_text(first)}::{_token_text(second)}"

    def procedure(self, c):
        access, kw, name, params, rpar, ret, impl = c
        ret_name, ret_type = ret if ret is not None else (None, None)
        variables, body = impl if impl is not None else ((), None)
        first = access if access is not None else kw
        last = body if body is not None else (ret_type if ret_type is not None else rpar)
        return ir.Procedure(_token_text(name), params or (), ret_type, ret_name,
                            access[1].lower() if access is not None else "public", (), variables, body,
                            span=self.span(first, last))

    def procedure_body(self, c):
        var_section, body = c
        return (_variables(var_section), body)

    def event_decl(self, c):
        kw, name, params, rpar = c
        return ir.Event(_token_text(name), params or (), span=self.span(kw, rpar))

    def code_body(self, c):
        x = c[0]
        if type(x) is tuple:  # CODE_BODY: kept as text, parsed on demand
            body = ir.LazyBody(new_span((self.source, x[2], x[3])), x[1], self.file_symbols())
            self.lazy_bodies.append(body)
            return body
        return x

    # -- types ------------------------------------------------------------------
    def simple_type(self, c):
        q, length, args = c
        last = args[-1] if args else (length if length is not None else q)
        return ir.TypeRef(q.text, length=length, arguments=args or (), span=self.span(q, last))

    def type_arguments(self, c):
        return tuple(c)

    def record_type(self, c):
        kw, target, temporary = c
        name = target.text if type(target) is QName else target[1]
        last = temporary if temporary is not None else target
        return ir.TypeRef("Record", subtype=name, temporary=temporary is not None, span=self.span(kw, last))

    def object_type(self, c):
        kind, target = c
        name = target.text if type(target) is QName else target[1]
        return ir.TypeRef(_KIND_NAMES.get(kind[1].lower(), kind[1]), subtype=name, span=self.span(kind, target))

    def option_type(self, c):
        kw, *items = c
        members = () if items == [None] else tuple(_token_text(t) if t is not None else "" for t in items)
        present = [t for t in items if t is not None]
        return ir.TypeRef("Option", options=members, span=self.span(kw, present[-1] if present else kw))

    def array_type(self, c):
        kw, *dims, element = c
        return ir.TypeRef("Array", dimensions=tuple(dims), element=element, span=self.span(kw, element))

    def dotnet_type(self, c):
        kw, q = c
        return ir.TypeRef("DotNet", subtype=q.text, span=self.span(kw, q))

    def label_type(self, c):
        kw, text, *options = c
        return ir.TypeRef("Label", text=unquote_string(text[1]), text_options=tuple(options),
                          span=self.span(kw, options[-1] if options else text))

    def textconst_type(self, c):
        kw, *options = c
        return ir.TypeRef("TextConst", text_options=tuple(options), span=self.span(kw, options[-1]))

    def text_option(self, c):
        name, value = c
        return ir.NamedValue(_token_text(name), value, span=self.span(name, value))


_KIND_NAMES = {
    "codeunit": "Codeunit", "page": "Page", "report": "Report", "query": "Query",
    "xmlport": "XmlPort", "enum": "Enum", "interface": "Interface", "testpage": "TestPage",
    "testrequestpage": "TestRequestPage", "controladdin": "ControlAddIn",
}


def _variables(section: Optional[RawVarSection]) -> tuple:
    if section is None:
        return ()
    out, pending = [], []
    for item in section.items:
        if type(item) is ir.Attribute:
            pending.append(item)
        else:
            if pending or section.protected:
                item = _evolve(item, attributes=tuple(pending), protected=section.protected)
                pending = []
            out.append(item)
    return tuple(out)


def _evolve(node: Any, **changes: Any) -> Any:
    import attrs
    return attrs.evolve(node, **changes)


def _word(text: str, span: Span):
    """An unquoted word of a one-step fast path: `true`/`false`, `this`, or a name."""
    low = text.lower()
    if low == "true" or low == "false":
        return ir.Literal("boolean", low == "true", span=span)
    if low == "this":
        return ir.This(span=span)
    return ir.Name(text, span=span)
