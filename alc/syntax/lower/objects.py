"""Typing of objects: from the generic members of an object body to the IR
class of its kind (a table's `fields`, a page's `layout`, a page
extension's `addafter(...)` changes, ...)."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Optional

from ...diagnostics import Diagnostic
from ...ir import nodes as ir
from ...source import Span, new_span
from .decl import RawElement, RawVarSection, _variables


class Members:
    """The members of one body, sorted by category, attributes attached."""

    __slots__ = ("properties", "elements", "triggers", "procedures", "variables", "events")

    def __init__(self) -> None:
        self.properties: list = []
        self.elements: list = []
        self.triggers: list = []
        self.procedures: list = []
        self.variables: list = []
        self.events: list = []


def sort_members(members: Iterable) -> Members:
    """Sort members by category. An attribute belongs to the member after it;
    attributes at the end of a var section belong to the member after the
    section (`var ... [Test] procedure X()`)."""
    out = Members()
    pending: list = []
    for m in members:
        t = type(m)
        if t is ir.Attribute:
            pending.append(m)
        elif t is ir.Property:
            out.properties.append(m)
        elif t is RawElement:
            out.elements.append(m)
        elif t is RawVarSection:
            items = list(m.items)
            trailing = []
            while items and type(items[-1]) is ir.Attribute:
                trailing.insert(0, items.pop())
            if pending:  # attributes before `var` belong to its first variable
                items[0:0] = pending
                pending = []
            m.items = items
            out.variables.extend(_variables(m))
            pending = trailing
        else:
            if pending:
                m = _evolve(m, attributes=tuple(pending))
                pending = []
            if t is ir.Procedure:
                out.procedures.append(m)
            elif t is ir.Trigger:
                out.triggers.append(m)
            elif t is ir.Event:
                out.events.append(m)
    return out


def _evolve(node: Any, **changes: Any) -> Any:
    import attrs
    return attrs.evolve(node, **changes)


# Where each element kind may appear, by context.
CONTROL_KINDS = frozenset(("area", "group", "repeater", "field", "part", "systempart", "usercontrol",
                           "cuegroup", "fixed", "grid", "label", "chartpart"))
ACTION_KINDS = frozenset(("area", "group", "action", "separator", "actionref", "customaction",
                          "fileuploadaction", "systemaction"))
DATA_KINDS = frozenset(("dataitem", "column", "filter"))
XML_KINDS = frozenset(("textelement", "tableelement", "fieldelement", "fieldattribute",
                       "textattribute", "tableattribute"))
ADD_OPS = frozenset(("addfirst", "addlast", "addafter", "addbefore", "add"))
MOVE_OPS = frozenset(("movefirst", "movelast", "moveafter", "movebefore"))


class ObjectLowering:
    """Mixin: the `object` rule and the typing of its members."""

    source: Any
    diagnostics: list

    def report(self, message: str, span: Optional[Span], code: str = "ALC0107") -> None:
        self.diagnostics.append(Diagnostic.error(code, message, span))

    # -- argument helpers --------------------------------------------------------
    def arg(self, el: RawElement, group: int, index: int = 0) -> Any:
        args = el.args or ()
        if group < len(args) and index < len(args[group]):
            return args[group][index]
        return None

    def arg_name(self, el: RawElement, group: int = 0, required: bool = True) -> Optional[str]:
        value = self.arg(el, group)
        name = expr_name(value)
        if name is None and required:
            self.report(f"`{el.kind}` needs a name as argument {group + 1}", el.span)
        return name

    def arg_id(self, el: RawElement, group: int = 0) -> int:
        value = self.arg(el, group)
        if type(value) is ir.Literal and value.kind == "integer":
            return self.number(value.value, value.span)
        if type(value) is ir.Unary and value.op == "-" and type(value.operand) is ir.Literal:
            return -self.number(value.operand.value, value.span)
        self.report(f"`{el.kind}` needs a number as argument {group + 1}", el.span)
        return 0

    def number(self, text: str, span: Optional[Span]) -> int:
        """An id or number argument: an AL Integer (up to 2,147,483,647), else reported (and 0)."""
        if len(text) > 10 or not (text.isascii() and text.isdigit()) or int(text) > 2147483647:
            self.report(f"`{text[:20]}{'...' if len(text) > 20 else ''}` is not an AL Integer "
                        "(0 to 2147483647)", span)
            return 0
        return int(text)

    def arg_names(self, el: RawElement, group: int) -> tuple:
        args = el.args or ()
        if group >= len(args):
            return ()
        return tuple(n for n in (expr_name(a) for a in args[group]) if n is not None)

    def body(self, el: RawElement, allowed: frozenset = frozenset(), what: str = "") -> Members:
        """The members of an element; elements outside ``allowed`` are reported."""
        members = sort_members(el.members or ())
        if allowed is not None:
            for child in members.elements:
                if child.kind not in allowed:
                    self.report(f"`{child.kind}` is not allowed in {what or '`' + el.kind + '`'}", child.span)
        return members

    def no_code(self, members: Members, where: str) -> None:
        for m in members.procedures + members.variables:
            self.report(f"a {'procedure' if type(m) is ir.Procedure else 'variable'} is not allowed in {where}", m.span)

    # -- the object rule ------------------------------------------------------------
    def object(self, c):
        kind_tok, id_tok, name_tok, extends, implements, lbrace, *members, rbrace = c
        kind = kind_tok[1].lower()
        span = self.span(kind_tok, rbrace)
        header = dict(
            id=self.number(id_tok[1], self.span(id_tok, id_tok)) if id_tok is not None else None,
            name=_unquote(name_tok[1]) if name_tok is not None else None,
            extends=extends or (),
            implements=implements or (),
            span=span,
        )
        body = sort_members(members)
        builder = self.OBJECT_BUILDERS.get(kind)
        cls = ir.OBJECT_CLASSES[kind]
        if header["name"] is None and kind != "dotnet":
            self.report(f"{kind} needs a name", span, "ALC0101")
        if header["id"] is None and kind in _NEEDS_ID:
            self.report(f"{kind} `{header['name']}` needs an object id", span, "ALC0101")
        if cls.is_extension and not header["extends"]:
            self.report(f"{kind} `{header['name']}` needs a target (`extends` or `customizes`)", span, "ALC0101")
        fields = builder(self, body, header)
        common = dict(properties=tuple(body.properties), variables=tuple(body.variables),
                      triggers=tuple(body.triggers), procedures=tuple(body.procedures))
        return cls(**fields, **common, span=span)

    # -- per kind -----------------------------------------------------------------
    def _id_name(self, header: dict) -> dict:
        return dict(id=header["id"] if header["id"] is not None else 0, name=header["name"] or "")

    def _target(self, header: dict) -> str:
        return header["extends"][0] if header["extends"] else ""

    def build_table(self, body: Members, header: dict) -> dict:
        fields, keys, groups = (), (), ()
        for el in body.elements:
            if el.kind == "fields":
                fields += tuple(self.table_field(x) for x in self.children(el, {"field"}, "fields"))
            elif el.kind == "keys":
                keys += tuple(self.key(x) for x in self.children(el, {"key"}, "keys"))
            elif el.kind == "fieldgroups":
                groups += tuple(self.fieldgroup(x) for x in self.children(el, {"fieldgroup"}, "fieldgroups"))
            else:
                self.unexpected(el, "a table")
        return dict(**self._id_name(header), fields=fields, keys=keys, fieldgroups=groups)

    def build_tableextension(self, body: Members, header: dict) -> dict:
        fields, keys, groups = (), (), ()
        for el in body.elements:
            if el.kind == "fields":
                fields += tuple(self.table_field(x) if x.kind == "field" else self.field_change(x)
                                for x in self.children(el, {"field", "modify"}, "fields"))
            elif el.kind == "keys":
                keys += tuple(self.key(x) for x in self.children(el, {"key"}, "keys"))
            elif el.kind == "fieldgroups":
                groups += tuple(self.fieldgroup(x) if x.kind == "fieldgroup" else self.fieldgroup_change(x)
                                for x in self.children(el, {"fieldgroup", "addfirst", "addlast"}, "fieldgroups"))
            else:
                self.unexpected(el, "a table extension")
        return dict(**self._id_name(header), target=self._target(header), fields=fields, keys=keys,
                    fieldgroups=groups)

    def build_page(self, body: Members, header: dict) -> dict:
        layout, actions, views = (), (), ()
        for el in body.elements:
            if el.kind == "layout":
                layout += tuple(self.control(x) for x in self.children(el, CONTROL_KINDS, "layout"))
            elif el.kind == "actions":
                actions += tuple(self.action(x) for x in self.children(el, ACTION_KINDS, "actions"))
            elif el.kind in ("views", "analysisviews"):
                views += tuple(self.view(x) for x in self.children(el, {"view", "analysisview"}, el.kind))
            else:
                self.unexpected(el, "a page")
        return dict(**self._id_name(header), layout=layout, actions=actions, views=views)

    def build_pageextension(self, body: Members, header: dict) -> dict:
        layout, actions, views = (), (), ()
        for el in body.elements:
            if el.kind == "layout":
                layout += tuple(self.change(x, self.control, CONTROL_KINDS) for x in self.children(el, ADD_OPS | MOVE_OPS | {"modify"}, "layout"))
            elif el.kind == "actions":
                actions += tuple(self.change(x, self.action, ACTION_KINDS) for x in self.children(el, ADD_OPS | MOVE_OPS | {"modify"}, "actions"))
            elif el.kind in ("views", "analysisviews"):
                views += tuple(self.change(x, self.view, {"view", "analysisview"}) for x in self.children(el, ADD_OPS | MOVE_OPS | {"modify"}, el.kind))
            else:
                self.unexpected(el, "a page extension")
        fields = dict(**self._id_name(header), target=self._target(header), layout=layout, actions=actions,
                      views=views)
        return fields

    def build_pagecustomization(self, body: Members, header: dict) -> dict:
        fields = self.build_pageextension(body, header)
        fields["id"] = header["id"]
        return fields

    def build_codeunit(self, body: Members, header: dict) -> dict:
        self.no_elements(body, "a codeunit")
        return dict(**self._id_name(header), implements=header["implements"])

    def build_report(self, body: Members, header: dict) -> dict:
        dataset, requestpage, rendering, labels = (), None, (), ()
        for el in body.elements:
            if el.kind == "dataset":
                dataset += tuple(self.data_node(x) for x in self.children(el, {"dataitem"}, "dataset"))
            elif el.kind == "requestpage":
                requestpage = self.requestpage(el, extension=False)
            elif el.kind == "rendering":
                rendering += tuple(self.report_layout(x) for x in self.children(el, {"layout"}, "rendering"))
            elif el.kind == "labels":
                labels += self.labels(el)
            else:
                self.unexpected(el, "a report")
        return dict(**self._id_name(header), dataset=dataset, requestpage=requestpage, rendering=rendering,
                    labels=labels)

    def build_reportextension(self, body: Members, header: dict) -> dict:
        dataset, requestpage, rendering, labels = (), None, (), ()
        for el in body.elements:
            if el.kind == "dataset":
                dataset += tuple(self.change(x, self.data_node, DATA_KINDS)
                                 for x in self.children(el, ADD_OPS | {"modify"}, "dataset"))
            elif el.kind == "requestpage":
                requestpage = self.requestpage(el, extension=True)
            elif el.kind == "rendering":
                rendering += tuple(self.report_layout(x) for x in self.children(el, {"layout"}, "rendering"))
            elif el.kind == "labels":
                labels += self.labels(el)
            else:
                self.unexpected(el, "a report extension")
        return dict(**self._id_name(header), target=self._target(header), dataset=dataset,
                    requestpage=requestpage, rendering=rendering, labels=labels)

    def build_query(self, body: Members, header: dict) -> dict:
        elements = ()
        for el in body.elements:
            if el.kind == "elements":
                elements += tuple(self.data_node(x) for x in self.children(el, {"dataitem"}, "elements"))
            else:
                self.unexpected(el, "a query")
        return dict(**self._id_name(header), elements=elements)

    def build_xmlport(self, body: Members, header: dict) -> dict:
        schema, requestpage = (), None
        for el in body.elements:
            if el.kind == "schema":
                schema += tuple(self.data_node(x) for x in self.children(el, XML_KINDS, "schema"))
            elif el.kind == "requestpage":
                requestpage = self.requestpage(el, extension=False)
            else:
                self.unexpected(el, "an xmlport")
        return dict(**self._id_name(header), schema=schema, requestpage=requestpage)

    def build_enum(self, body: Members, header: dict) -> dict:
        values = tuple(self.enum_value(el) for el in body.elements if self.expect(el, {"value"}, "an enum"))
        return dict(**self._id_name(header), implements=header["implements"], values=values)

    def build_enumextension(self, body: Members, header: dict) -> dict:
        values = tuple(self.enum_value(el) for el in body.elements
                       if self.expect(el, {"value"}, "an enum extension"))
        return dict(**self._id_name(header), target=self._target(header), values=values)

    def build_interface(self, body: Members, header: dict) -> dict:
        self.no_elements(body, "an interface")
        return dict(id=header["id"], name=header["name"] or "", extends=header["extends"])

    def build_plain(self, body: Members, header: dict) -> dict:
        self.no_elements(body, "this object")
        return dict(**self._id_name(header))

    def build_plain_noid(self, body: Members, header: dict) -> dict:
        self.no_elements(body, "this object")
        return dict(id=header["id"], name=header["name"] or "")

    def build_extension_noid(self, body: Members, header: dict) -> dict:
        self.no_elements(body, "this object")
        return dict(id=header["id"], name=header["name"] or "", target=self._target(header))

    def build_permissionsetextension(self, body: Members, header: dict) -> dict:
        self.no_elements(body, "a permission set extension")
        return dict(**self._id_name(header), target=self._target(header))

    def build_controladdin(self, body: Members, header: dict) -> dict:
        self.no_elements(body, "a control add-in")
        return dict(id=header["id"], name=header["name"] or "", events=tuple(body.events))

    def build_dotnet(self, body: Members, header: dict) -> dict:
        assemblies = tuple(self.assembly(el) for el in body.elements if self.expect(el, {"assembly"}, "dotnet"))
        return dict(id=header["id"], name=header["name"], assemblies=assemblies)

    OBJECT_BUILDERS: dict[str, Callable] = {
        "table": build_table, "tableextension": build_tableextension, "page": build_page,
        "pageextension": build_pageextension, "pagecustomization": build_pagecustomization,
        "codeunit": build_codeunit, "report": build_report, "reportextension": build_reportextension,
        "query": build_query, "xmlport": build_xmlport, "enum": build_enum,
        "enumextension": build_enumextension, "interface": build_interface,
        "permissionset": build_plain, "permissionsetextension": build_permissionsetextension,
        "entitlement": build_plain_noid, "profile": build_plain_noid,
        "profileextension": build_extension_noid, "controladdin": build_controladdin,
        "dotnet": build_dotnet,
    }

    # -- helpers for elements --------------------------------------------------------
    def children(self, el: RawElement, allowed, what: str) -> list:
        members = sort_members(el.members or ())
        for m in members.properties + members.triggers + members.procedures + members.variables:
            self.report(f"`{what}` holds only elements, not {_describe(m)}", m.span)
        return [x for x in members.elements if self.expect(x, allowed, f"`{what}`")]

    def expect(self, el: RawElement, allowed, where: str) -> bool:
        if el.kind in allowed:
            return True
        self.report(f"`{el.kind}` is not allowed in {where}", el.span)
        return False

    def unexpected(self, el: RawElement, where: str) -> None:
        self.report(f"`{el.kind}` is not allowed in {where}", el.span)

    def no_elements(self, body: Members, where: str) -> None:
        for el in body.elements:
            self.unexpected(el, where)

    def leaf_body(self, el: RawElement, what: str) -> Members:
        members = sort_members(el.members or ())
        for m in members.elements:
            self.unexpected(m, what)
        self.no_code(members, what)
        return members

    def table_field(self, el: RawElement) -> ir.TableField:
        fid = self.arg_id(el, 0)
        name = self.arg_name(el, 1) or ""
        type_ = expr_to_type(self.arg(el, 2))
        if type_ is None:
            self.report(f"field `{name}` needs a data type", el.span)
            type_ = ir.TypeRef("")
        m = self.leaf_body(el, "a table field")
        return ir.TableField(fid, name, type_, tuple(m.properties), tuple(m.triggers), span=el.span)

    def field_change(self, el: RawElement) -> ir.Change:
        m = self.leaf_body(el, "`modify`")
        return ir.Change("modify", self.arg_name(el, 0), (), (), tuple(m.properties), tuple(m.triggers),
                         span=el.span)

    def key(self, el: RawElement) -> ir.Key:
        m = self.leaf_body(el, "a key")
        return ir.Key(self.arg_name(el, 0) or "", self.arg_names(el, 1), tuple(m.properties), span=el.span)

    def fieldgroup(self, el: RawElement) -> ir.FieldGroup:
        m = self.leaf_body(el, "a field group")
        return ir.FieldGroup(self.arg_name(el, 0) or "", self.arg_names(el, 1), tuple(m.properties),
                             span=el.span)

    def fieldgroup_change(self, el: RawElement) -> ir.Change:
        m = self.leaf_body(el, f"`{el.kind}`")
        return ir.Change(el.kind, self.arg_name(el, 0), self.arg_names(el, 1), (), tuple(m.properties),
                         span=el.span)

    def control(self, el: RawElement) -> ir.Control:
        members = self.body(el, CONTROL_KINDS | {"actions"}, f"`{el.kind}`")
        self.no_code(members, "a page control")
        source = self.arg(el, 1)
        children = tuple(self.control(x) for x in members.elements if x.kind in CONTROL_KINDS)
        actions = tuple(self.action(a) for x in members.elements if x.kind == "actions"
                        for a in self.children(x, ACTION_KINDS, "actions"))
        return ir.Control(el.kind, self.arg_name(el, 0, required=el.kind != "group") or "", source,
                          tuple(members.properties), tuple(members.triggers), children, actions, span=el.span)

    def action(self, el: RawElement) -> ir.Action:
        members = self.body(el, ACTION_KINDS, f"`{el.kind}`")
        self.no_code(members, "an action")
        target = self.arg_name(el, 1, required=False) if el.kind == "actionref" else None
        children = tuple(self.action(x) for x in members.elements if x.kind in ACTION_KINDS)
        return ir.Action(el.kind, self.arg_name(el, 0, required=el.kind != "separator") or "", target,
                         tuple(members.properties), tuple(members.triggers), children, span=el.span)

    def view(self, el: RawElement) -> ir.View:
        """`view(Name) { Filters = ...; layout { modify(X) { ... } movefirst(...) } }`"""
        members = self.body(el, frozenset({"layout"}), "a view")
        self.no_code(members, "a view")
        for t in members.triggers:
            self.report("a trigger is not allowed in a view", t.span)
        layout = tuple(self.change(k, self.control, frozenset()) for x in members.elements if x.kind == "layout"
                       for k in self.children(x, MOVE_OPS | {"modify"}, "layout"))
        return ir.View(self.arg_name(el, 0) or "", tuple(members.properties), layout, span=el.span)

    def labels(self, el: RawElement) -> tuple:
        """A report's `labels { Name = 'Text'; label(Name; ENU = 'Text', NLD = 'Tekst') }`: properties; the
        old multi-language form becomes a property whose values are its `ENU = 'Text'` pairs."""
        members = self.body(el, frozenset({"label"}), "labels")
        self.no_code(members, "labels")
        out = list(members.properties)
        for x in members.elements:
            self.leaf_body(x, "a label")
            name = self.arg_name(x, 0)
            pairs = (x.args or ((),))[1:]
            items = tuple(v for group in pairs for v in group)
            if len(pairs) != 1 or not all(_is_language_pair(v) for v in items):
                self.report("`label` needs a name and language values: `label(Name; ENU = 'Text')`", x.span)
                continue
            value = ir.Values(items, span=new_span((self.source, items[0].span.start, items[-1].span.end)))
            out.append(ir.Property(name or "", value, span=x.span))
        return tuple(sorted(out, key=lambda p: p.span.start))  # in source order

    def data_node(self, el: RawElement) -> ir.DataNode:
        allowed = XML_KINDS if el.kind in XML_KINDS else DATA_KINDS
        members = self.body(el, allowed, f"`{el.kind}`")
        self.no_code(members, f"`{el.kind}`")
        children = tuple(self.data_node(x) for x in members.elements if x.kind in allowed)
        return ir.DataNode(el.kind, self.arg_name(el, 0) or "", self.arg(el, 1), tuple(members.properties),
                           tuple(members.triggers), children, span=el.span)

    def report_layout(self, el: RawElement) -> ir.ReportLayout:
        m = self.leaf_body(el, "a report layout")
        return ir.ReportLayout(self.arg_name(el, 0) or "", tuple(m.properties), span=el.span)

    def requestpage(self, el: RawElement, extension: bool) -> ir.RequestPage:
        members = sort_members(el.members or ())
        layout, actions, views = (), (), ()
        for x in members.elements:
            if x.kind == "layout":
                kids = self.children(x, (ADD_OPS | MOVE_OPS | {"modify"}) if extension else CONTROL_KINDS, "layout")
                layout += tuple(self.change(k, self.control, CONTROL_KINDS) if extension else self.control(k)
                                for k in kids)
            elif x.kind == "actions":
                kids = self.children(x, (ADD_OPS | MOVE_OPS | {"modify"}) if extension else ACTION_KINDS, "actions")
                actions += tuple(self.change(k, self.action, ACTION_KINDS) if extension else self.action(k)
                                 for k in kids)
            elif x.kind == "views":
                views += tuple(self.view(k) for k in self.children(x, {"view"}, "views"))
            else:
                self.unexpected(x, "a request page")
        return ir.RequestPage(tuple(members.properties), layout, actions, views, tuple(members.variables),
                              tuple(members.triggers), tuple(members.procedures), span=el.span)

    def enum_value(self, el: RawElement) -> ir.EnumValue:
        m = self.leaf_body(el, "an enum value")
        return ir.EnumValue(self.arg_id(el, 0), self.arg_name(el, 1) or "", tuple(m.properties), span=el.span)

    def assembly(self, el: RawElement) -> ir.Assembly:
        members = self.body(el, frozenset({"type"}), "an assembly")
        types = []
        for x in members.elements:
            if x.kind == "type":
                m = self.leaf_body(x, "a .NET type")
                types.append(ir.DotNetType(self.arg_name(x, 0) or "", self.arg_name(x, 1, required=False),
                                           tuple(m.properties), span=x.span))
        return ir.Assembly(self.arg_name(el, 0) or "", tuple(members.properties), tuple(types), span=el.span)

    def change(self, el: RawElement, lower_member: Callable, member_kinds) -> ir.Change:
        """An extension operation: add*, modify or move*."""
        members = sort_members(el.members or ())
        self.no_code(members, f"`{el.kind}`")
        anchor = self.arg_name(el, 0, required=el.kind not in ("addfirst", "addlast"))
        if el.kind in MOVE_OPS:
            for m in members.elements + members.properties:
                self.report(f"`{el.kind}` takes no body", m.span)
            return ir.Change(el.kind, anchor, self.arg_names(el, 1), span=el.span)
        if el.kind == "modify":
            for m in members.elements:
                self.unexpected(m, "`modify`")
            return ir.Change("modify", anchor, (), (), tuple(members.properties), tuple(members.triggers),
                             span=el.span)
        for m in members.properties:
            self.report(f"`{el.kind}` holds elements, not properties", m.span)
        added = tuple(lower_member(x) for x in members.elements if self.expect(x, member_kinds, f"`{el.kind}`"))
        return ir.Change(el.kind, anchor, (), added, (), tuple(members.triggers), span=el.span)


_NEEDS_ID = frozenset(("table", "tableextension", "page", "pageextension", "codeunit", "report",
                       "reportextension", "query", "xmlport", "enum", "enumextension", "permissionset",
                       "permissionsetextension"))


def _unquote(text: str) -> str:
    return text[1:-1].replace('""', '"') if text[:1] == '"' else text


def _describe(m: Any) -> str:
    return {ir.Property: "properties", ir.Trigger: "triggers", ir.Procedure: "procedures",
            ir.Variable: "variables"}.get(type(m), "this")


def _is_language_pair(value: Any) -> bool:
    """`ENU = 'Date'`: a language code and a string."""
    return (type(value) is ir.Binary and value.op == "=" and type(value.left) is ir.Name
            and type(value.right) is ir.Literal and value.right.kind == "string")


def expr_name(value: Any) -> Optional[str]:
    """The name an element argument gives: `Content`, `"No."`, `'mscorlib'`."""
    t = type(value)
    if t is ir.Name:
        return value.value
    if t is ir.Literal and value.kind in ("string", "integer"):
        return str(value.value)
    if t is ir.Member:  # `Rec."No."` where a name is expected (key fields of old code)
        return value.name
    return None


def expr_to_type(value: Any) -> Optional[ir.TypeRef]:
    """A table field type written as an argument: `Code[20]`, `Decimal`, `Enum "X"`."""
    t = type(value)
    if t is ir.TypeRef:
        return value
    if t is ir.Name:
        return ir.TypeRef(value.value, span=value.span)
    if t is ir.Index and type(value.target) is ir.Name and len(value.indices) == 1:
        return ir.TypeRef(value.target.value, length=value.indices[0], span=value.span)
    if t is ir.Member:  # `Microsoft.Foundation.Address."Post Code"` style names are not types
        return None
    return None
