"""`DocComments.xml`: the `///` XML documentation comments of an app, as
Microsoft's compiler packs them.

Each documented element is a `<member>` named like .NET's documentation ids
(read from the System Application's package)::

    O:Codeunit::Base64 Convert                      an object
    F:Table::SAS Parameters.ApiVersion              a table field
    E:Enum::Email Scenario.Default                  an enum value
    M:Codeunit::Base64 Convert.ToBase64(Text,Boolean):Text
                                                    a procedure (or trigger): parameter
                                                    types, `@` for var, `:` return type
    O:.Email Connector / M:.Email Connector.Send(...)   interfaces (no kind)
    EV:.OAuthControlAddIn.ControlAddInReady         a control add-in event
    C:Query::Sent Emails.SentEmail.Id               a query column (QF: a filter),
                                                    by its path of data items
    M:Codeunit::Uri.GetUri(.System#Uri@)            a DotNet type: `.` and the .NET
                                                    type's full name, `.` as `#`

A DotNet type is named by the full .NET name its `dotnet` declaration gives
the alias (System Application 21: `DotNet UserInfo`, declared
`type("Microsoft.Dynamics.Nav.LicensingService.Model.UserInfo"; "UserInfo")`,
gives `.Microsoft#Dynamics#Nav#LicensingService#Model#UserInfo`;
`System.String[]` gives `.System#String[]`), an open generic type with
`System#Object` for each parameter (`List`1` gives
`.System#Collections#Generic#List{System#Object}`, `Dictionary`2` gives
`{System#Object, System#Object}`). A nested type's `+` is written `#`
(INFERRED: no real sample). As the declarations may lie in any file of the
project, a member's DotNet types are first written as markers
(:func:`dotnet_marker`) and named once the whole project's declarations are
known (:func:`name_dotnet`); an alias the project does not declare (one a
dependency declares) is written `.<alias>` (INFERRED: alc does not read the
DotNet declarations of dependencies).

In names (and types) of objects other than interfaces and control add-ins a
`.` is written `#` (`O:Table::Reten# Pol# Deleting Param`). The comment's
lines are copied, each indented by 12 spaces, in the member.

That is the older compilers' form (System Application 21, runtime 10).
Current compilers (Business Foundation 24.0 to 27.2, runtimes 13 to 16)
write, for an app whose runtime is 12.0 or later (the runtime that brought
namespaces; where between 10 and 13 the form changed is INFERRED)::

    O:Table::Microsoft#Foundation#AuditCodes#Reason Code     the namespace too, `.` as `#`
    O:Interface::Microsoft#Foundation#NoSeries#No# Series - Single
                                                    interfaces (and control add-ins,
                                                    INFERRED) with their kind
    F:Table::...#Reason Code.Description[100]       a Text or Code field with its length
    C:Page::...#Reason Codes.content.Control1.Code  a page control, by its path of controls
    M:...Build(JsonObject@):Dictionary of [Text,Integer]
                                                    List and Dictionary with their types

>>> from alc import parse_text
>>> objs = parse_text("/// <summary>Converts.</summary>\\ncodeunit 50100 \\"My Conv.\\" {\\n"
...                   "    /// <returns>The text.</returns>\\n"
...                   "    procedure Conv(var A: Record Customer; B: Text[30]): Text begin end; }").objects
>>> [m.name for m in object_members(objs[0])]
['O:Codeunit::My Conv#', 'M:Codeunit::My Conv#.Conv(Customer@,Text[30]):Text']
"""

from __future__ import annotations

import re
from typing import Iterable, Optional

import attrs

from ..ir import nodes as ir

__all__ = ["DocMember", "object_members", "doc_comments_xml", "doc_lines", "DOC_COMMENTS", "dotnet_types",
           "dotnet_marker", "name_dotnet", "dotnet_text", "modern_runtime"]

DOC_COMMENTS = "DocComments.xml"

_KINDS = {"table": "Table", "tableextension": "TableExtension", "page": "Page", "pageextension": "PageExtension",
          "pagecustomization": "PageCustomization", "codeunit": "Codeunit", "report": "Report",
          "reportextension": "ReportExtension", "query": "Query", "xmlport": "XmlPort", "enum": "Enum",
          "enumextension": "EnumExtension", "permissionset": "PermissionSet",
          "permissionsetextension": "PermissionSetExtension", "profile": "Profile",
          "profileextension": "ProfileExtension", "entitlement": "Entitlement",
          "interface": "", "controladdin": ""}

_OBJECT_TYPES = {"codeunit": "Codeunit", "enum": "Enum", "page": "Page", "report": "Report", "query": "Query",
                 "xmlport": "XmlPort", "testpage": "TestPage", "testrequestpage": "TestRequestPage"}

_BUILTIN = {t.casefold(): t for t in (
    "Action", "Automation", "BigInteger", "BigText", "Blob", "Boolean", "Byte", "Char", "ClientType", "Code",
    "CompanyProperty", "DataClassification", "DataScope", "Database", "Date", "DateFormula", "DateTime", "Decimal",
    "DefaultLayout", "Dialog", "Dictionary", "DotNet", "Duration", "ErrorInfo", "ErrorType", "ExecutionContext",
    "ExecutionMode", "FieldRef", "FieldType", "File", "FileUpload", "FilterPageBuilder", "Guid", "HttpClient",
    "HttpContent", "HttpHeaders", "HttpRequestMessage", "HttpResponseMessage", "InStream", "Integer",
    "IsolationLevel", "JsonArray", "JsonObject", "JsonToken", "JsonValue", "KeyRef", "Label", "List", "Media",
    "MediaSet", "ModuleDependencyInfo", "ModuleInfo", "Notification", "NotificationScope", "NumberSequence",
    "ObjectType", "Option", "OutStream", "PageBackgroundTaskErrorLevel", "RecordId", "RecordRef", "ReportFormat",
    "SecretText", "SecurityFilter", "SessionSettings", "TableConnectionType", "TaskScheduler", "TelemetryScope",
    "TestAction", "TestField", "TestFilter", "TestFilterField", "TestPart", "Text", "TextBuilder", "TextConst",
    "TextEncoding", "Time", "TransactionModel", "TransactionType", "Variant", "Verbosity", "Version",
    "WebServiceActionContext",
    "XmlAttribute", "XmlAttributeCollection", "XmlCData", "XmlComment", "XmlDeclaration", "XmlDocument",
    "XmlDocumentType", "XmlElement", "XmlNameTable", "XmlNamespaceManager", "XmlNode", "XmlNodeList",
    "XmlProcessingInstruction", "XmlReadOptions", "XmlText", "XmlWriteOptions")}


@attrs.frozen
class DocMember:
    name: str
    lines: tuple     # the comment's lines, without `///`


def doc_lines(text: str, start: int) -> tuple:
    """The `///` lines right above offset ``start``, without the `///`.
    Between them and the declaration, attribute lines, preprocessor lines,
    blank lines and `//` comment lines are passed over (System Application
    21: a blank line or a `//` line after the comment keeps it). As for C#
    doc comments, the space after `///` is dropped only when every line has
    one (a `///<summary>` line or an empty `///` line keeps the others'
    spaces, as the real package shows); trailing spaces are kept.

    >>> doc_lines("/// <summary>\\n///  X</summary>\\n\\n// note\\n[Foo]\\nprocedure P", 46)
    ('<summary>', ' X</summary>')
    >>> doc_lines("///<summary>\\n/// X\\n///\\n/// </summary>\\nprocedure P", 38)
    ('<summary>', ' X', '', ' </summary>')
    """
    line_start = text.rfind("\n", 0, start) + 1
    out: list[str] = []
    end = line_start - 1
    while end > 0:
        begin = text.rfind("\n", 0, end) + 1
        line = text[begin:end].rstrip("\r").lstrip()   # trailing spaces are kept, as the compiler keeps them
        end = begin - 1
        if line.startswith("///"):
            out.append(line[3:])
        elif out:
            break
        elif not line or line.startswith(("[", "#")) or (line.startswith("//") and not line.startswith("///")):
            continue
        else:
            break
    if out and all(body.startswith(" ") for body in out):
        out = [body[1:] for body in out]
    return tuple(reversed(out))


def well_formed(lines: Iterable[str]) -> bool:
    """Whether a comment's lines are well-formed XML content; the compiler
    leaves out a member whose comment is not (System Application 21: a
    `<example>` with a bare `&` in a URL).

    >>> well_formed(["<summary>a &amp; b</summary>"]), well_formed(["<summary>a & b</summary>"])
    (True, False)
    """
    from xml.etree.ElementTree import ParseError
    import defusedxml
    import defusedxml.ElementTree as SafeET
    try:
        SafeET.fromstring("<doc>" + "\n".join(lines) + "</doc>")
    except (ParseError, defusedxml.DefusedXmlException):
        return False
    return True


def _esc(name: str, plain: bool) -> str:
    return name if plain else name.replace(".", "#")


def _length(t: ir.TypeRef) -> str:
    value = getattr(t.length, "value", None)
    return f"[{value}]" if value is not None else ""


def type_text(t: Optional[ir.TypeRef], plain: bool = False, modern: bool = False) -> str:
    """A type as member names write it: `Text[30]`, a record by its table's
    name, `Codeunit::Name`, `.Interface`, `List` (``modern``: `List of [Text]`)."""
    if t is None:
        return ""
    key = t.name.casefold()
    if modern and key in ("list", "dictionary") and t.arguments:
        inner = ",".join(type_text(a, plain, modern) for a in t.arguments)
        return f"{_BUILTIN.get(key, t.name)} of [{inner}]"
    if key == "record":
        return _esc(t.subtype or "", plain)
    if key in _OBJECT_TYPES and t.subtype:
        return f"{_OBJECT_TYPES[key]}::{_esc(t.subtype, plain)}"
    if key == "interface":
        return "." + (t.subtype or "")
    if key == "array" and t.element is not None:
        return type_text(t.element, plain, modern) + "[]"
    if key == "dotnet" and t.subtype:
        return dotnet_marker(t.subtype)
    return _BUILTIN.get(key, t.name) + _length(t)


_MARK = "\x00"
_MARKED = re.compile("\x00([^\x00]*)\x00")


def dotnet_marker(alias: str) -> str:
    """Where a member name holds the DotNet type ``alias`` until the project's declarations are known."""
    return _MARK + alias.replace(_MARK, "") + _MARK


def dotnet_text(full_name: str) -> str:
    """A .NET type's full name as member names write it.

    >>> dotnet_text("System.Uri"), dotnet_text("System.String[]")
    ('.System#Uri', '.System#String[]')
    >>> dotnet_text("System.Collections.Generic.Dictionary`2")
    '.System#Collections#Generic#Dictionary{System#Object, System#Object}'
    """
    parts = []
    for segment in full_name.replace("+", ".").split("."):
        name, tick, count = segment.partition("`")
        digits = count[:len(count) - len(count.lstrip("0123456789"))]
        if tick and digits:
            segment = name + "{" + ", ".join(["System#Object"] * int(digits)) + "}" + count[len(digits):]
        parts.append(segment)
    return "." + "#".join(parts)


def dotnet_types(objects: Iterable) -> list:
    """(alias casefolded, full .NET name) of every type the `dotnet` declarations among ``objects``
    declare; a type is also known by its full name, and one without an alias by its last segment."""
    out = []
    for obj in objects:
        if not isinstance(obj, ir.DotNet):
            continue
        for assembly in obj.assemblies:
            for t in getattr(assembly, "types", ()):
                if not isinstance(t, ir.DotNetType) or not t.name:
                    continue
                alias = t.alias or t.name.replace("+", ".").rsplit(".", 1)[-1]
                out.append((alias.casefold(), t.name))
                out.append((t.name.casefold(), t.name))
    return out


def name_dotnet(members: Iterable[DocMember], declared: Iterable[tuple]) -> list:
    """``members`` with their DotNet markers replaced by the .NET names ``declared`` ((alias casefolded,
    full name), first declaration wins) gives them, or `.<alias>` for an alias it does not know."""
    known: dict = {}
    for alias, full in declared:
        known.setdefault(alias, full)

    def name(m: re.Match) -> str:
        full = known.get(m.group(1).casefold())
        return dotnet_text(full) if full else "." + m.group(1)

    return [attrs.evolve(m, name=_MARKED.sub(name, m.name)) if _MARK in m.name else m for m in members]


def _signature(m, plain: bool, modern: bool = False) -> str:
    params = getattr(m, "parameters", ())
    text = ""
    if params:
        text = "(" + ",".join(type_text(p.type, plain, modern) + ("@" if p.by_ref else "") for p in params) + ")"
    if getattr(m, "return_type", None) is not None:
        text += ":" + type_text(m.return_type, plain, modern)
    elif isinstance(m, ir.Procedure) and m.attribute("TryFunction") is not None:
        text += ":Boolean"   # a try function returns whether it succeeded
    return text


_QUERY_PREFIXES = {"column": "C", "filter": "QF"}


def _query_members(obj, head: str, plain: bool) -> list:
    """(prefix, name, node) of a query's columns (`C:`) and filters (`QF:`), named by the path of data
    items down to them, in the order the real package has them (System Application 21, query Sent
    Emails): a data item's nested data items first, then its own columns and filters in source order."""
    out: list = []

    def visit(node, path: str) -> None:
        here = f"{path}.{_esc(node.name, plain)}"
        children = [c for c in getattr(node, "children", ()) if isinstance(c, ir.DataNode)]
        for child in children:
            if child.kind == "dataitem":
                visit(child, here)
        for child in children:
            if child.kind in _QUERY_PREFIXES:
                out.append((_QUERY_PREFIXES[child.kind], f"{here}.{_esc(child.name, plain)}", child))

    if isinstance(obj, ir.Query):
        for element in obj.elements:
            if isinstance(element, ir.DataNode) and element.kind == "dataitem":
                visit(element, head)
    return out


_MODERN_KINDS = {"interface": "Interface", "controladdin": "ControlAddIn"}


def modern_runtime(runtime: Optional[str]) -> bool:
    """Whether an app's `runtime` gets the current compilers' member names (12.0 and later).

    >>> modern_runtime("14.0"), modern_runtime("10.0"), modern_runtime(None)
    (True, False, False)
    """
    try:
        return int(str(runtime or "").split(".")[0]) >= 12
    except ValueError:
        return False


def _controls(controls: Iterable, path: str) -> list:
    """(name, node) of a page's controls, named by their path of controls."""
    out = []
    for c in controls:
        if isinstance(c, ir.Control) and c.name:
            here = f"{path}.{_esc(c.name, False)}"
            out.append((here, c))
            out.extend(_controls(c.controls, here))
    return out


def object_members(obj, modern: bool = False) -> list[DocMember]:
    """The documented members of one object: the object, a query's columns
    and filters, then its fields, enum values, procedures, triggers and
    events (and, ``modern``, a page's controls) in source order. ``modern``:
    the current compilers' names (:func:`modern_runtime`)."""
    span = getattr(obj, "span", None)
    if span is None or span.source is None or obj.kind not in _KINDS or not obj.name:
        return []
    text = span.source.text
    kind = _KINDS[obj.kind]
    if modern:
        kind = kind or _MODERN_KINDS[obj.kind]
        namespace = getattr(obj, "namespace", None)
        plain = False
        head = f"{kind}::{_esc((namespace + '.' if namespace else '') + obj.name, False)}"
    else:
        plain = kind == ""
        head = f"{kind}::{_esc(obj.name, plain)}" if kind else f".{obj.name}"
    out: list[DocMember] = []

    def add(prefix: str, name: str, node) -> None:
        node_span = getattr(node, "span", None)
        if node_span is None:
            return
        lines = doc_lines(text, node_span.start)
        if lines and well_formed(lines):
            out.append(DocMember(f"{prefix}:{name}", lines))

    add("O", head, obj)
    for prefix, name, node in _query_members(obj, head, plain):
        add(prefix, name, node)
    members = []
    for f in getattr(obj, "fields", ()):
        if isinstance(f, ir.TableField):
            length = _length(f.type) if modern and getattr(f, "type", None) is not None else ""
            members.append(("F", f"{head}.{_esc(f.name, plain)}{length}", f))
    if modern and isinstance(obj, ir.Page):
        members.extend(("C", name, c) for name, c in _controls(obj.layout, head))
    for v in getattr(obj, "values", ()):
        if isinstance(v, ir.EnumValue):
            members.append(("E", f"{head}.{_esc(v.name, plain)}", v))
    for m in tuple(obj.procedures) + tuple(obj.triggers):
        if isinstance(m, (ir.Procedure, ir.Trigger)):
            members.append(("M", f"{head}.{_esc(m.name, plain)}{_signature(m, plain, modern)}", m))
    for e in getattr(obj, "events", ()):
        if isinstance(e, ir.Event):
            members.append(("EV", f"{head}.{e.name}", e))
    for prefix, name, node in sorted(members, key=lambda m: m[2].span.start if m[2].span else 0):
        add(prefix, name, node)
    return out


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def doc_comments_xml(app, members: Iterable[DocMember]) -> bytes:
    """The `DocComments.xml` bytes: no BOM, CRLF line ends, a final newline
    (as in real packages).

    >>> from alc.appmodel import AppManifest, Version
    >>> app = AppManifest("0f3b2c1a-0000-4000-8000-000000000001", "Hello", "Me", Version(1, 0, 0, 0))
    >>> members = [DocMember("O:Codeunit::X", ("<summary>", "Hi", "</summary>"))]
    >>> print(doc_comments_xml(app, members).decode().replace("\\r", ""))
    <?xml version="1.0"?>
    <doc>
        <application>
            <id>0f3b2c1a-0000-4000-8000-000000000001</id>
            <name>Hello</name>
            <publisher>Me</publisher>
            <version>1.0.0.0</version>
        </application>
        <members>
            <member name="O:Codeunit::X">
                <summary>
                Hi
                </summary>
            </member>
        </members>
    </doc>
    <BLANKLINE>
    """
    nl = "\r\n"
    parts = ['<?xml version="1.0"?>', "<doc>", "    <application>", f"        <id>{_escape(app.id)}</id>",
             f"        <name>{_escape(app.name)}</name>", f"        <publisher>{_escape(app.publisher)}</publisher>",
             f"        <version>{app.version}</version>", "    </application>", "    <members>"]
    for m in members:
        parts.append(f'        <member name="{_escape(m.name)}">')
        parts.extend("            " + line for line in m.lines)
        parts.append("        </member>")
    parts += ["    </members>", "</doc>", ""]
    return nl.join(parts).encode("utf-8")
