"""DocComments.xml member names and comment lines as the real System
Application 21 package shows them (DotNet types by their .NET names, query
columns and filters, comments kept across blank and `//` lines, the space
after `///`, ill-formed comments left out); our own projects only."""

import json
import re

from alc.build.compiler import CompileOptions, compile_project
from alc.package.reader import read_package

APP = {"id": "5a1b2c3d-0000-4000-8000-00000000dc01", "name": "Doc Demo", "publisher": "alc tests",
       "version": "1.0.0.0", "idRanges": [{"from": 50900, "to": 50949}], "runtime": "10.0", "target": "OnPrem"}

DOTNET = """dotnet
{
    assembly(mscorlib)
    {
        type("System.Uri"; "DemoUri") { }
        type("System.String[]"; "DemoStrings") { }
        type("System.Collections.Generic.List`1"; "DemoList1") { }
        type("System.Collections.Generic.Dictionary`2"; "DemoDict2") { }
        type("System.Text.StringBuilder") { }
    }
}
"""

NET = """codeunit 50900 "Demo Net"
{
    /// <summary>Uses .NET.</summary>
    procedure Use(U: DotNet DemoUri; var S: DotNet DemoStrings; L: DotNet DemoList1; var D: DotNet demodict2;
                  B: DotNet StringBuilder; X: DotNet "System.Uri"; Elsewhere: DotNet NotDeclaredHere): DotNet DemoUri
    begin
    end;
}
"""

LINES = """/// <summary>
/// After a blank line.
/// </summary>

codeunit 50901 "Demo Lines"
{
    /// <summary>
    /// Then a // comment.
    /// </summary>
    //  <param name="A">not a doc line</param>
    [Obsolete('x', '1.0')]
    procedure A(A: Integer)
    begin
    end;

    ///<summary>
    /// No space on the first line keeps the others'.
    ///
    /// </summary>
    procedure B()
    begin
    end;

    /// <summary>See https://example.com/?a=1&b=2</summary>
    procedure IllFormed()
    begin
    end;

    /// <summary>Text</summary>
    procedure Stops()
    begin
    end;
    // a comment after code: the next member has no doc
    procedure NoDoc()
    begin
    end;
}
"""

QUERY = """/// <summary>Mails and links.</summary>
query 50902 "Demo Mails"
{
    elements
    {
        dataitem(Mail; "Demo Mail")
        {
            /// <summary>Id.</summary>
            column(Id; Id) { }
            /// <summary>Account.</summary>
            filter(Account_Id; Account) { }
            dataitem(Link; "Demo Mail")
            {
                DataItemLink = Id = Mail.Id;
                /// <summary>Linked id.</summary>
                column(Link_Id; Id) { }
            }
            /// <summary>Sent.</summary>
            column(Sent; Sent) { }
        }
    }
}

table 50902 "Demo Mail"
{
    fields
    {
        field(1; Id; Integer) { }
        field(2; Account; Integer) { }
        field(3; Sent; Boolean) { }
    }
}
"""


def _compile(tmp_path, sources, jobs=1, name="p", app=APP):
    root = tmp_path / name
    root.mkdir()
    (root / "app.json").write_text(json.dumps(app))
    for rel, text in sources.items():
        (root / rel).write_text(text)
    out = tmp_path / f"{name}.app"
    result = compile_project(CompileOptions(project=str(root), package_cache=(), out=str(out), jobs=jobs))
    assert result.ok, result.diagnostics
    return out, read_package(str(out)).read("DocComments.xml").decode("utf-8")


def _members(docs):
    return re.findall(r'<member name="([^"]*)">', docs)


def _body(docs, name):
    start = docs.index(f'<member name="{name}">\r\n') + len(f'<member name="{name}">\r\n')
    return docs[start:docs.index("        </member>", start)].split("\r\n")[:-1]


def test_dotnet_parameters_by_their_net_names(tmp_path):
    # The declarations lie in another file than the codeunit; two workers give the same bytes.
    sources = {"a.Codeunit.al": NET, "z.dotnet.al": DOTNET}
    out, docs = _compile(tmp_path, sources)
    assert _members(docs) == [
        "M:Codeunit::Demo Net.Use(.System#Uri,.System#String[]@,.System#Collections#Generic#List{System#Object},"
        ".System#Collections#Generic#Dictionary{System#Object, System#Object}@,.System#Text#StringBuilder,"
        ".System#Uri,.NotDeclaredHere):.System#Uri"]
    two, _ = _compile(tmp_path, sources, jobs=2, name="q")
    assert two.read_bytes() == out.read_bytes()


def test_comment_lines_as_the_compiler_keeps_them(tmp_path):
    _, docs = _compile(tmp_path, {"Lines.Codeunit.al": LINES})
    assert _members(docs) == ["O:Codeunit::Demo Lines", "M:Codeunit::Demo Lines.A(Integer)",
                              "M:Codeunit::Demo Lines.B", "M:Codeunit::Demo Lines.Stops"]
    pad = " " * 12
    assert _body(docs, "O:Codeunit::Demo Lines") == [pad + "<summary>", pad + "After a blank line.", pad + "</summary>"]
    assert _body(docs, "M:Codeunit::Demo Lines.A(Integer)") == [pad + "<summary>", pad + "Then a // comment.",
                                                                pad + "</summary>"]
    assert _body(docs, "M:Codeunit::Demo Lines.B") == [pad + "<summary>",
                                                       pad + " No space on the first line keeps the others'.",
                                                       pad, pad + " </summary>"]


def test_query_columns_and_filters(tmp_path):
    _, docs = _compile(tmp_path, {"Mails.Query.al": QUERY})
    # Nested data items first, then the data item's own columns and filters in source order.
    assert _members(docs) == ["O:Query::Demo Mails", "C:Query::Demo Mails.Mail.Link.Link_Id",
                              "C:Query::Demo Mails.Mail.Id", "QF:Query::Demo Mails.Mail.Account_Id",
                              "C:Query::Demo Mails.Mail.Sent"]


MODERN = {
    "Codes.Table.al": """namespace Demo.Foundation.Codes;

/// <summary>Reason codes.</summary>
table 50910 "Demo Reason Code"
{
    fields
    {
        /// <summary>The code.</summary>
        field(1; "Code"; Code[10]) { }
        /// <summary>The text.</summary>
        field(2; Description; Text[100]) { }
        /// <summary>A count.</summary>
        field(3; Count; Integer) { }
    }
}
""",
    "Codes.Page.al": """namespace Demo.Foundation.Codes;

/// <summary>The list.</summary>
page 50910 "Demo Reason Codes"
{
    SourceTable = "Demo Reason Code";
    layout
    {
        area(content)
        {
            repeater(Control1)
            {
                /// <summary>Specifies the code.</summary>
                field("Code"; Rec.Code) { }
                field(Description; Rec.Description) { }
            }
        }
    }
}
""",
    "Single.Interface.al": """namespace Demo.Foundation.Series;

/// <summary>One series.</summary>
interface "Demo Series - Single"
{
    /// <summary>Peeks.</summary>
    procedure PeekNextNo(var Line: Record "Demo Reason Code"; Names: List of [Text]): Dictionary of [Text, Integer];
}
""",
    "Plain.Codeunit.al": """/// <summary>No namespace.</summary>
codeunit 50911 "Demo Plain"
{
}
""",
}


def test_current_compilers_names_from_runtime_12(tmp_path):
    # As Business Foundation 24.0-27.2 (runtimes 13-16) show: namespaces in object names, interfaces with their
    # kind, Text and Code fields with their length, page controls by their path, List/Dictionary with types.
    _, docs = _compile(tmp_path, MODERN, app=dict(APP, runtime="14.0"))
    assert _members(docs) == [
        "O:Page::Demo#Foundation#Codes#Demo Reason Codes",
        "C:Page::Demo#Foundation#Codes#Demo Reason Codes.content.Control1.Code",
        "O:Table::Demo#Foundation#Codes#Demo Reason Code",
        "F:Table::Demo#Foundation#Codes#Demo Reason Code.Code[10]",
        "F:Table::Demo#Foundation#Codes#Demo Reason Code.Description[100]",
        "F:Table::Demo#Foundation#Codes#Demo Reason Code.Count",
        "O:Codeunit::Demo Plain",
        "O:Interface::Demo#Foundation#Series#Demo Series - Single",
        "M:Interface::Demo#Foundation#Series#Demo Series - Single.PeekNextNo(Demo Reason Code@,List of [Text])"
        ":Dictionary of [Text,Integer]"]


def test_older_compilers_names_before_runtime_12(tmp_path):
    sources = {"Plain.Codeunit.al": MODERN["Plain.Codeunit.al"]}
    sources["Single.Interface.al"] = MODERN["Single.Interface.al"].split("\n", 2)[2]   # no namespace before 12
    _, docs = _compile(tmp_path, sources)
    assert _members(docs) == [
        "O:Codeunit::Demo Plain", "O:.Demo Series - Single",
        "M:.Demo Series - Single.PeekNextNo(Demo Reason Code@,List):Dictionary"]
