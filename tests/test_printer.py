"""The printer: parse -> print -> parse gives the same IR, with AL's
precedence, the dangling `else`, quoting, and the house layout.

All AL here is written for these tests.
"""

from __future__ import annotations

import os

import attrs
import pytest

from alc import parse_expression, parse_text
from alc.ir import nodes as ir
from alc.printer import print_expr, print_object, print_property, print_statement, print_type, print_unit, same_ir
from alc.syntax.files import discover, project_symbols
from alc.syntax.roundtrip import check_roundtrip
from golden import cases_in

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def roundtrip(source: str, lazy: bool = False) -> str:
    """Parse, print, parse again: no errors, the same IR, and printing is stable."""
    first = parse_text(source, lazy_bodies=lazy)
    assert first.ok, [d.message for d in first.diagnostics]
    assert first.unit.objects, "nothing parsed"
    text = print_unit(first.unit)
    second = parse_text(text, lazy_bodies=lazy)
    assert second.ok, (text, [d.message for d in second.diagnostics])
    assert second.unit.objects == first.unit.objects, text
    assert (second.unit.namespace, second.unit.usings) == (first.unit.namespace, first.unit.usings)
    assert print_unit(second.unit) == text
    assert check_roundtrip(first)
    return text


def body(code: str, variables: str = "") -> str:
    """Code inside a procedure of a codeunit."""
    return f"codeunit 50100 Demo\n{{\n    procedure Run()\n    {variables}\n    begin\n{code}\n    end;\n}}\n"


def first_statement(text: str):
    return parse_text(text).objects[0].procedures[0].body.statements[0]


# ------------------------------------------------------------ every object kind --

TABLE = """
namespace Demo.Items;

using Demo.Setup;
using System.Utilities;

table 50100 "Demo Item"
{
    Caption = 'Demo Item', Comment = 'A table', Locked = true, MaxLength = 30;
    DataClassification = CustomerContent;
    Permissions = tabledata "Demo Ledger" = rimd, codeunit * = X, page 50101 = X;
    LookupPageId = "Demo Item List";

    fields
    {
        field(1; "No."; Code[20])
        {
            Caption = 'No.';
            trigger OnValidate()
            var
                Counter: Integer;
            begin
                Counter += 1;
            end;
        }
        field(2; Kind; Option) { OptionMembers = ,Stock,"Non-Stock"; OptionCaption = ' ,Stock,Non-Stock'; }
        field(3; Amount; Decimal) { DecimalPlaces = 0 : 5; MinValue = -1; AutoFormatExpression = ''; }
        field(4; "Parent No."; Code[20])
        {
            TableRelation = if (Kind = const(Stock)) "Demo Item"."No." where("No." = filter(<>''), Blocked = const(false))
            else if (Kind = const("Non-Stock")) "Demo Other" else Item;
            ValidateTableRelation = false;
        }
        field(5; Total; Decimal)
        {
            FieldClass = FlowField;
            CalcFormula = -sum("Demo Ledger".Amount where("Item No." = field("No."), "Posting Date" = field(upperlimit("Date Filter"))));
        }
        field(6; "Has Entries"; Boolean) { CalcFormula = exist("Demo Ledger" where("Item No." = field("No."))); }
        field(7; "Date Filter"; Date) { FieldClass = FlowFilter; }
        field(8; Status; Enum "Demo Status") { InitValue = Open; }
        field(9; Picture; Blob) { Subtype = Bitmap; }
        field(10; Entries; Integer) { CalcFormula = count("Demo Ledger"); }
        field(11; "Last Date"; Date) { CalcFormula = max("Demo Ledger"."Posting Date"); }
        field(12; Shouted; OPTION) { OptionMembers = "0","1"; }
    }
    keys
    {
        key(PK; "No.") { Clustered = true; }
        key(ByKind; Kind, Amount) { SumIndexFields = Amount; }
    }
    fieldgroups
    {
        fieldgroup(DropDown; "No.", Kind) { }
        fieldgroup(Brick; "No.") { Caption = 'Brick'; }
    }

    var
        Setup: Record "Demo Setup";

    trigger OnInsert()
    begin
        TestField("No.");
    end;

    procedure Describe(): Text
    begin
        exit(StrSubstNo('%1 %2', "No.", Kind));
    end;
}
"""

TABLE_EXTENSION = """
tableextension 50110 "Demo Customer Ext" extends Customer
{
    fields
    {
        field(50100; "Demo Code"; Code[10]) { Caption = 'Demo Code'; }
        modify("Name 2")
        {
            Caption = 'Second Name';
            trigger OnAfterValidate()
            begin
                "Demo Code" := '';
            end;
        }
        field(50101; "Demo Flag"; Boolean) { }
        modify(Address) { }
    }
    keys
    {
        key(DemoKey; "Demo Code") { }
    }
    fieldgroups
    {
        addlast(DropDown; "Demo Code", "Demo Flag")
    }
}
"""

PAGE = """
page 50100 "Demo Item Card"
{
    PageType = Card;
    SourceTable = "Demo Item";
    SourceTableView = sorting("No.", Kind) order(descending) where(Kind = const(Stock));
    ApplicationArea = All, Basic;

    layout
    {
        area(Content)
        {
            group(General)
            {
                Caption = 'General';
                field("No."; Rec."No.")
                {
                    ToolTip = 'Specifies the number.';
                    trigger OnDrillDown()
                    begin
                        Message(Rec."No.");
                    end;
                }
                field(Amount; Rec.Amount) { Editable = IsEditable; Visible = Rec.Kind = Rec.Kind::Stock; }
                label(Hint; 'Fill in all fields') { }
                field(Computed; Rec.Amount * 2) { }
            }
            group { }
            part(Lines; "Demo Subform")
            {
                SubPageLink = "Item No." = field("No."), Kind = const(Stock);
                SubPageView = where(Blocked = const(false));
            }
            cuegroup(Activities)
            {
                field(Open; Rec.Amount) { }
                actions
                {
                    action(NewOne) { RunObject = page "Demo Item Card"; RunPageMode = Create; }
                }
            }
            usercontrol(Chart; "Demo.Chart.AddIn") { }
            repeater(Lines2) { fixed(Fixed1) { grid(Grid1) { } } }
            chartpart(Chart2; "Demo Chart") { }
            repeater("") { label("") { } }
        }
        area(FactBoxes)
        {
            systempart(Links; Links) { }
        }
    }
    actions
    {
        area(Processing)
        {
            group(Functions)
            {
                action(Post)
                {
                    Caption = 'Post';
                    RunObject = codeunit 50100;
                    RunPageLink = "No." = field("No.");
                    RunPageView = sorting("No.") where(Kind = const(Stock));
                    trigger OnAction()
                    begin
                        CurrPage.Update(false);
                    end;
                }
                separator(Sep1) { }
                separator { }
                customaction(Flow) { }
                fileuploadaction(Upload) { }
                systemaction(Attach) { }
            }
        }
        area(Promoted)
        {
            actionref(Post_Promoted; Post) { }
        }
    }
    views
    {
        view(OnlyStock)
        {
            Caption = 'Stock';
            Filters = where(Kind = const(Stock));
            OrderBy = ascending("No.");
        }
    }

    var
        IsEditable: Boolean;

    trigger OnOpenPage()
    begin
        IsEditable := CurrPage.Editable;
    end;
}
"""

PAGE_EXTENSION = """
pageextension 50120 "Demo Customer Card Ext" extends "Customer Card"
{
    layout
    {
        addafter(Name)
        {
            field("Demo Code"; Rec."Demo Code") { ApplicationArea = All; }
        }
        addfirst(General)
        {
            group(Demo) { }
        }
        addbefore("No.") { }
        modify("Name 2") { Visible = false; }
        moveafter("No."; Name, "Name 2")
        movelast(General; Address)
        movefirst(General; City)
        movebefore(Name; "Post Code")
    }
    actions
    {
        addlast(Processing)
        {
            action(DemoAction)
            {
                trigger OnAction()
                begin
                end;
            }
        }
        modify(Post)
        {
            Visible = false;
            trigger OnBeforeAction()
            begin
            end;
        }
    }
    views
    {
        addfirst
        {
            view(Blocked) { Filters = where(Blocked = filter(<>" ")); }
        }
        addlast
        {
            view(Open) { }
        }
    }
}

pagecustomization "Demo Customization" customizes "Customer List"
{
    layout
    {
        modify(Name) { Visible = false; }
    }
    actions
    {
        moveafter(Post; Release)
    }
}
"""

CODEUNIT = """
codeunit 50130 "Demo Logic" implements "Demo Greeter", "Demo Sizer"
{
    Access = Internal;
    Permissions = tabledata "Demo Item" = R;
    TableNo = "Demo Item";

    [NonDebuggable]
    trigger OnRun()
    begin
        Process(Rec);
    end;

    var
        Counter: Integer;
        [NonDebuggable]
        Secret: Text;
        Names: List of [Text];
        Lookup: Dictionary of [Code[20], List of [Decimal]];
        Matrix: array[2, 3] of Decimal;
        Choice: Option "None",First,"Second One";
        Blank: Option;
        Leading: Option ,A,B;
        TempItem: Record "Demo Item" temporary;
        ById: Record 18;
        Xml: DotNet XmlDocument;
        QualifiedXml: DotNet "System.Xml.XmlDocument";
        Greeting: Label 'Hello %1, don''t go', Comment = '%1 = name', Locked = false, MaxLength = 50;
        OldText: TextConst ENU = 'Old', DEU = 'Alt';
        Greeter: Interface "Demo Greeter";
        MyPage: Page "Demo Item Card";
        PageById: Page 21;
        Status: Enum "Demo Status";
        Big: BigInteger;
        Stamp: DateTime;
        Qualified: Record Microsoft.Sales.Customer.Customer;
        a, b: Integer;

    protected var
        Shared: Decimal;

    [EventSubscriber(ObjectType::Codeunit, Codeunit::"Demo Logic", 'OnAfterProcess', '', false, false)]
    local procedure HandleAfterProcess(var Item: Record "Demo Item"; Handled: Boolean)
    begin
    end;

    [IntegrationEvent(false, false)]
    [Obsolete('Use the other one', '25.0')]
    internal procedure OnAfterProcess(var Item: Record "Demo Item")
    begin
    end;

    [Test]
    [HandlerFunctions('ConfirmYes')]
    protected procedure TestSomething()
    begin
        asserterror Error('x');
        asserterror begin
            Counter := 1;
        end;
    end;

    procedure Process(var Item: Record "Demo Item") Result: Boolean
    var
        i: Integer;
        Value: Decimal;
        Name: Text;
        continue: Boolean;
    begin
        if Item.IsEmpty() then
            exit(false);
        if not Item.FindSet() then begin
            Counter := 0;
            exit;
        end else
            Counter += 1;
        repeat
            Value := Item.Amount * 2 + 1;
            Counter -= 1;
            Value *= 1.5;
            Value /= 2;
        until Item.Next() = 0;
        for i := 1 to 10 do
            Counter := Counter + i;
        for i := 10 downto 1 do begin
            if i mod 2 = 0 then
                continue;
            if i = 3 then
                break;
        end;
        foreach Name in Names do
            Message(Name);
        while Counter > 0 do
            Counter -= 1;
        while Counter < 0 do;
        case Item.Kind of
            Item.Kind::Stock:
                Counter := 1;
            Item.Kind::"Non-Stock", Item.Kind::" ":
                begin
                    Counter := 2;
                    Value := 0;
                end;
            else
                Counter := 3;
                Value := 4;
        end;
        case true of
            Counter in [1, 2 .. 5, 7]:
                ;
            Counter > 100:
                exit(true);
        end;
        case Counter of
            1 .. 9:
                Counter := 0;
            else begin
                Counter := 1;
            end;
        end;
        with Item do
            Validate("No.");
        continue := true;
        Result := Item."No." <> '' ? true : false;
        Counter := -Counter;
        Result := not (Counter > 0) and (Value < 0) or (Stamp = 0DT);
        Big := 10000L;
        Stamp := CreateDateTime(20240101D, 120000T);
        this.Counter := Counter div 3;
        if Greeter is "Demo Greeter" then;
        (Greeter as "Demo Greeter").Greet('x');
        Matrix[1, 2] := Matrix[2, 3];
        Lookup.Get('A').Add(1.5);
        Codeunit.Run(Codeunit::"Demo Logic", Item);
        Item.Modify;
        Status := Enum::"Demo Status"::"In Progress";
        Value := Database::18 + Page::"Demo Item Card".AsInteger();
        exit(Result);
    end;

    local procedure Nothing();
    begin
    end;
}
"""

REPORT = """
report 50140 "Demo Report"
{
    Caption = 'Demo Report';
    DefaultRenderingLayout = Layout1;

    dataset
    {
        dataitem(Item; "Demo Item")
        {
            DataItemTableView = sorting("No.");
            RequestFilterFields = "No.", Kind;
            column(No; "No.") { IncludeCaption = true; }
            column(CompanyName; CompanyProperty.DisplayName()) { }
            dataitem(Ledger; "Demo Ledger")
            {
                DataItemLink = "Item No." = field("No.");
                DataItemLinkReference = Item;
                column(Amount; Amount) { }
                trigger OnAfterGetRecord()
                begin
                    Total += Amount;
                end;
            }
        }
    }
    requestpage
    {
        SaveValues = true;
        layout
        {
            area(Content)
            {
                group(Options)
                {
                    field(ShowDetails; ShowDetails) { ApplicationArea = All; }
                }
            }
        }
        actions
        {
            area(Processing)
            {
                action(Reset) { }
            }
        }
        trigger OnOpenPage()
        begin
            ShowDetails := true;
        end;
    }
    rendering
    {
        layout(Layout1) { Type = RDLC; LayoutFile = './DemoReport.rdl'; }
    }
    labels
    {
        TitleLbl = 'Demo', Comment = 'Report title';
        PageLbl = 'Page';
    }

    var
        Total: Decimal;
        ShowDetails: Boolean;
}

reportextension 50150 "Demo Report Ext" extends "Demo Report"
{
    dataset
    {
        add(Item)
        {
            column(Kind; Kind) { }
        }
        addafter(Ledger)
        {
            dataitem(Extra; "Demo Other") { }
        }
        modify(Item)
        {
            RequestFilterFields = Status;
            trigger OnAfterAfterGetRecord()
            begin
            end;
        }
    }
    requestpage
    {
        layout
        {
            addlast(Options)
            {
                field(Extra; ExtraOption) { }
            }
        }
    }
    rendering
    {
        layout(Layout2) { Type = Word; LayoutFile = './Demo.docx'; }
    }

    var
        ExtraOption: Boolean;
}
"""

QUERY_XMLPORT = """
query 50160 "Demo Query"
{
    QueryType = Normal;
    elements
    {
        dataitem(Item; "Demo Item")
        {
            DataItemTableFilter = Kind = const(Stock);
            column(No; "No.") { }
            column(Amount; Amount) { Method = Sum; }
            filter(DateFilter; "Date Filter") { }
            dataitem(Ledger; "Demo Ledger")
            {
                DataItemLink = "Item No." = Item."No.";
                SqlJoinType = LeftOuterJoin;
                column(Entries; "Entry No.") { Method = Count; }
            }
        }
    }
    trigger OnBeforeOpen()
    begin
        SetRange(No, 'A');
    end;
}

xmlport 50170 "Demo Export"
{
    Direction = Export;
    schema
    {
        textelement(Root)
        {
            tableelement(Item; "Demo Item")
            {
                fieldattribute(No; Item."No.") { }
                fieldelement(Amount; Item.Amount) { MinOccurs = Zero; }
                textattribute(Version) { }
                tableattribute(Other; "Demo Other") { }
                textelement(Note)
                {
                    trigger OnBeforePassVariable()
                    begin
                        Note := 'x';
                    end;
                }
            }
        }
    }
    requestpage
    {
        layout
        {
            area(Content) { }
        }
    }
}
"""

SMALL_OBJECTS = """
enum 50180 "Demo Status" implements "Demo Greeter"
{
    Extensible = true;
    DefaultImplementation = "Demo Greeter" = "Demo Logic";
    value(0; Open) { Caption = 'Open'; }
    value(1; "In Progress") { Caption = 'In Progress'; Implementation = "Demo Greeter" = "Demo Logic"; }
    value(2; "begin") { }
}

enumextension 50181 "Demo Status Ext" extends "Demo Status"
{
    value(50100; Archived) { Caption = 'Archived'; }
}

interface "Demo Greeter" extends "Demo Base"
{
    Access = Public;
    procedure Greet(Who: Text): Text;
    procedure Size() Result: Integer;
}

permissionset 50190 "Demo Perms"
{
    Assignable = true;
    IncludedPermissionSets = "Demo Base Perms";
    Permissions = tabledata "Demo Item" = RIMD,
        table "Demo Item" = X,
        codeunit "Demo Logic" = X,
        report * = X;
}

permissionsetextension 50191 "Demo Perms Ext" extends "D365 BASIC"
{
    Permissions = page "Demo Item Card" = X;
}

permissionset 50192 Empty
{
    Permissions = ;
}

entitlement "Demo Entitlement"
{
    Type = Role;
    RoleType = Delegated;
    Id = '00000000-0000-0000-0000-000000000001';
    ObjectEntitlements = "Demo Perms";
}

profile "Demo Profile"
{
    Caption = 'Demo';
    RoleCenter = "Demo Role Center";
    Customizations = "Demo Customization";
}

profileextension "Demo Profile Ext" extends "Demo Profile"
{
    Customizations = "Other Customization";
}

controladdin "Demo AddIn"
{
    Scripts = 'js/a.js', 'js/b.js';
    RequestedHeight = 300;
    event ControlReady();
    event Clicked(Id: Integer; Data: JsonObject);
    procedure Render(Data: Text);
    procedure Size(): Integer;
}

dotnet
{
    assembly("mscorlib")
    {
        Version = '4.0.0.0';
        PublicKeyToken = 'b77a5c561934e089';
        type("System.DateTime"; DotNetDateTime) { }
        type("System.IO.File"; "File") { }
        type(Plain) { }
    }
}
"""


@pytest.mark.parametrize("source", [TABLE, TABLE_EXTENSION, PAGE, PAGE_EXTENSION, CODEUNIT, REPORT,
                                    QUERY_XMLPORT, SMALL_OBJECTS],
                         ids=["table", "tableextension", "page", "pageextension", "codeunit", "report",
                              "query-xmlport", "small-objects"])
def test_every_object_kind_round_trips(source):
    roundtrip(source)


@pytest.mark.parametrize("case", [c for c in cases_in("syntax") if c.path.endswith("realworld.txt")], ids=str)
def test_real_world_forms_round_trip(case):
    """Targets by id, keyword-named and multi-language report labels, `sorting()`, a view's layout."""
    roundtrip(case.source)


def test_real_world_forms_print_as_written():
    text = roundtrip("""tableextension 50020 X extends 18 { }
report 50025 R { labels { label(DateCaption; ENU = 'Date', NLD = 'Datum') Filters = 'Filters:'; } }
page 50026 P { SourceTableView = sorting(); views { view(V) { layout { movefirst(Lines; Kind) } } } }""")
    assert "extends 18\n" in text and "label(DateCaption; ENU = 'Date', NLD = 'Datum')" in text
    assert "Filters = 'Filters:';" in text and "SourceTableView = sorting();" in text
    assert "            layout\n            {\n                movefirst(Lines; Kind)\n" in text


def test_attributes_on_triggers_procedures_and_variables():
    cu = parse_text(CODEUNIT).objects[0]
    assert cu.triggers[0].attributes == (ir.Attribute("NonDebuggable"),)
    assert [v.name for v in cu.variables if v.attributes] == ["Secret"]
    assert [p.name for p in cu.procedures if len(p.attributes) == 2] == ["OnAfterProcess", "TestSomething"]
    text = print_object(cu)
    assert "    [NonDebuggable]\n    trigger OnRun()" in text
    assert "        [NonDebuggable]\n        Secret: Text;" in text


def test_every_object_kind_is_covered():
    kinds = set()
    for source in (TABLE, TABLE_EXTENSION, PAGE, PAGE_EXTENSION, CODEUNIT, REPORT, QUERY_XMLPORT, SMALL_OBJECTS):
        kinds |= {obj.kind for obj in parse_text(source).objects}
    assert kinds == set(ir.OBJECT_CLASSES)


def test_lazy_bodies_print_verbatim():
    text = roundtrip(CODEUNIT, lazy=True)
    assert "        if Item.IsEmpty() then\n            exit(false);" in text
    lazy = parse_text(body("        x := 1; // kept\n", "var x: Integer;"), lazy_bodies=True)
    assert "// kept" in print_unit(lazy.unit)
    assert check_roundtrip(lazy)


SPLIT_BODIES = """
codeunit 50100 C
{
    procedure P()
#if CLEAN
    begin
        A();
#else
    begin
        B();
#endif
    end;

    procedure Q()
    begin
        A();
#if CLEAN
    end;
#else
        B();
    end;
#endif
}
"""


@pytest.mark.parametrize("symbols", [(), ("CLEAN",)])
@pytest.mark.parametrize("lazy", [False, True])
def test_bodies_that_split_preprocessor_groups(symbols, lazy):
    result = parse_text(SPLIT_BODIES, symbols=symbols, lazy_bodies=lazy)
    assert result.ok
    assert check_roundtrip(result, symbols)
    text = print_unit(result.unit)
    assert ("#if" in text) is lazy  # eager bodies are printed from the IR, without directives


def test_samples_round_trip():
    paths = discover([os.path.join(REPO, "samples")])
    assert paths
    cache: dict = {}
    for path in paths:
        with open(path, encoding="utf-8-sig") as f:
            text = f.read()
        symbols = project_symbols(path, cache)
        result = parse_text(text, path=path, symbols=symbols)
        assert result.ok, path
        assert check_roundtrip(result, symbols), path


# ------------------------------------------------------------ precedence --

@pytest.mark.parametrize("source, printed", [
    ("(a - b) - c", "a - b - c"),
    ("a - (b - c)", "a - (b - c)"),
    ("(a * b) + c", "a * b + c"),
    ("a * (b + c)", "a * (b + c)"),
    ("a div (b mod c)", "a div (b mod c)"),
    ("-(a + b)", "-(a + b)"),
    ("(-a).b", "(-a).b"),
    ("-(a.b)", "-a.b"),
    ("- -a", "- -a"),
    ("-(-a)", "- -a"),
    ("not (a and b)", "not (a and b)"),
    ("(not a) and b", "not a and b"),
    ("a = (b and c)", "a = b and c"),
    ("(a = b) and c", "(a = b) and c"),
    ("(a = b) = c", "a = b = c"),
    ("a = (b = c)", "a = (b = c)"),
    ("(a or b) and c", "(a or b) and c"),
    ("a or (b and c)", "a or b and c"),
    ("a xor (b or c)", "a xor (b or c)"),
    ("(a in [1, 2]) and b", "a in [1, 2] and b"),
    ("a in (b + c)", "a in b + c"),
    ("(a in b) in c", "a in b in c"),
    ("(a + b) in c", "a + b in c"),
    ("(a < b) <> (c > d)", "a < b <> (c > d)"),
    ("a ? b : (c ? d : e)", "a ? b : c ? d : e"),
    ("(a ? b : c) ? d : e", "(a ? b : c) ? d : e"),
    ("(a ? b : c) + 1", "(a ? b : c) + 1"),
    ("a = b ? (c = d) : e", "a = b ? c = d : e"),
    ("(x as IFoo).Run()", "(x as IFoo).Run()"),
    ("(a + b).ToString()", "(a + b).ToString()"),
    ("'abc'.ToUpper()", "'abc'.ToUpper()"),
    ("f((a), (b + c))", "f(a, b + c)"),
    ("x[(i + 1), j]", "x[i + 1, j]"),
    ("[1, 2 .. 5, .. 9, 10 ..]", "[1, 2..5, ..9, 10..]"),
    ('Enum::"Sales Doc"::Order', 'Enum::"Sales Doc"::Order'),
    ("Database::18", "Database::18"),
    ("this.Name", "this.Name"),
    ("1.5 * 10000L", "1.5 * 10000L"),
    ("0D + 0T", "0D + 0T"),
])
def test_minimal_parentheses(source, printed):
    tree = parse_expression(source)
    assert print_expr(tree) == printed
    assert parse_expression(printed) == tree


def b(op, left, right):
    return ir.Binary(op, left, right)


A, B, C = ir.Name("a"), ir.Name("b"), ir.Name("c")


@pytest.mark.parametrize("tree, printed", [
    (b("-", A, b("+", B, C)), "a - (b + c)"),
    (b("+", b("-", A, B), C), "a - b + c"),
    (b("*", b("+", A, B), C), "(a + b) * c"),
    (b("and", b("or", A, B), C), "(a or b) and c"),
    (b("and", b("=", A, B), C), "(a = b) and c"),
    (b("=", A, b("and", B, C)), "a = b and c"),
    (b("or", A, b("xor", B, C)), "a or (b xor c)"),
    (ir.Unary("not", b("in", A, ir.ListExpr((B,)))), "not (a in [b])"),
    (ir.Member(ir.Unary("-", A), "x"), "(-a).x"),
    (ir.Ternary(ir.Ternary(A, B, C), A, B), "(a ? b : c) ? a : b"),
    (ir.Ternary(A, ir.Ternary(B, C, A), ir.Ternary(B, C, A)), "a ? b ? c : a : b ? c : a"),
    (b("+", ir.Ternary(A, B, C), A), "(a ? b : c) + a"),
    (ir.Call(ir.Scope(ir.Name("Codeunit"), "Sales-Post"), (A, b("=", B, C))), 'Codeunit::"Sales-Post"(a, b = c)'),
])
def test_hand_built_expressions(tree, printed):
    assert print_expr(tree) == printed
    assert parse_expression(printed) == tree


def test_deep_left_chain_prints_without_recursion():
    tree = ir.Literal("string", "x")
    for _ in range(5000):
        tree = b("+", tree, ir.Literal("string", "y"))
    text = print_expr(tree)
    assert text.startswith("'x' + 'y' + 'y'") and text.count("+") == 5000
    assert same_ir(tree, tree) and not same_ir(tree, b("+", tree, A))


def test_nesting_too_deep_to_print_is_a_difference_not_a_crash():
    tree = A
    for _ in range(5000):
        tree = b("-", A, tree)  # right-nested: every level is a parenthesized recursion
    result = parse_text("codeunit 1 C { procedure P() begin end; }")
    proc = attrs.evolve(result.objects[0].procedures[0], body=ir.Block((ir.Exit(tree),)))
    unit = attrs.evolve(result.unit, objects=(attrs.evolve(result.objects[0], procedures=(proc,)),))
    assert check_roundtrip(attrs.evolve(result, unit=unit)) is False


def test_statement_targets_are_parenthesized_when_not_names():
    call = ir.CallStatement(ir.Call(ir.Member(ir.Literal("string", "a"), "Trim"), ()))
    assert print_statement(call) == "('a').Trim();"
    assert print_statement(ir.CallStatement(ir.Name("Continue"))) == '"Continue";'
    assert print_statement(ir.Assignment(ir.Name("Continue"), ":=", ir.Literal("boolean", True))) == \
        "Continue := true;"
    text = body('        (Impl as IMarker).Mark();\n        ("Continue");\n        Continue := true;')
    roundtrip(text)


# ------------------------------------------------------------ dangling else --

def test_dangling_else_in_then_is_wrapped():
    inner = ir.If(B, ir.CallStatement(ir.Name("x")), None)
    outer = ir.If(A, inner, ir.CallStatement(ir.Name("y")))
    text = print_statement(outer, 2)
    assert text == ("        if a then begin\n"
                    "            if b then\n"
                    "                x;\n"
                    "        end else\n"
                    "            y;")
    again = first_statement(body(text))
    # The inner `if` still has no `else`, the outer one keeps its own.
    assert again.otherwise == outer.otherwise
    assert again.then == ir.Block((inner,))
    assert print_statement(again, 2) == text


@pytest.mark.parametrize("then", [
    ir.While(C, ir.If(B, ir.Exit(None), None)),
    ir.For(ir.Name("i"), A, B, False, ir.If(B, ir.Exit(None), None)),
    ir.If(B, ir.Exit(None), ir.If(C, ir.Exit(None), None)),
    ir.ForEach("e", A, ir.With(B, ir.If(C, ir.Exit(None), None))),
    ir.AssertError(ir.If(C, None, None)),
])
def test_dangling_else_behind_other_statements(then):
    outer = ir.If(A, then, ir.Break())
    again = first_statement(body(print_statement(outer, 2)))
    assert again == ir.If(A, ir.Block((then,)), ir.Break())


def test_if_with_else_inside_then_needs_no_block():
    outer = ir.If(A, ir.If(B, ir.Exit(None), ir.Break()), ir.Continue())
    text = print_statement(outer)
    assert "begin" not in text
    assert first_statement(body(text)) == outer


@pytest.mark.parametrize("code", [
    # An `if` without `else` in a case branch: the `;` after the branch ends
    # it, so the next branch or the case's `else` stays the case's.
    "case x of 1: if c then A; else B; end;",
    "case x of 1: if c then A; 2: B; end;",
    "case x of 1: if c then if d then A else B; 2: if e then; end;",
    "case x of 1: if c then A else if d then B; else if e then C; end;",
    "if a then if b then x else y else z;",
    "if a then begin if b then x; end else y;",
    "if a then else b;",
    "if a then;",
    "if a then b else if c then d else begin e; end;",
])
def test_dangling_else_round_trips(code):
    roundtrip(body(code))


# ------------------------------------------------------------ quoting --

@pytest.mark.parametrize("tree, printed", [
    (ir.Name("Amount"), "Amount"),
    (ir.Name("No."), '"No."'),
    (ir.Name("Sales Header"), '"Sales Header"'),
    (ir.Name("begin"), '"begin"'),
    (ir.Name("Then"), '"Then"'),
    (ir.Name("this"), '"this"'),
    (ir.Name("Internal"), '"Internal"'),
    (ir.Name("2nd"), '"2nd"'),
    (ir.Name("_x1"), "_x1"),
    (ir.Name("KøbenhavnLbl"), "KøbenhavnLbl"),
    (ir.Name('Say "hi"'), '"Say ""hi"""'),
    (ir.Name(""), '""'),
    (ir.Member(ir.Name("Rec"), "No."), 'Rec."No."'),
    (ir.Member(ir.Name("Rec"), "Name"), "Rec.Name"),
    (ir.Scope(ir.Name("Database"), "18"), "Database::18"),
    (ir.Scope(ir.Name("Status"), " "), 'Status::" "'),
    # access modifiers are plain words after `.` and `::`; reserved words are not
    (ir.Scope(ir.Name("ErrorType"), "Internal"), "ErrorType::Internal"),
    (ir.Member(ir.Name("Rec"), "Local"), "Rec.Local"),
    (ir.Member(ir.Name("Rec"), "Begin"), 'Rec."Begin"'),
    (ir.Literal("string", "don't"), "'don''t'"),
    (ir.Literal("string", ""), "''"),
    (ir.Literal("string", '"quoted"'), "'\"quoted\"'"),
])
def test_quoting(tree, printed):
    assert print_expr(tree) == printed
    assert parse_expression(printed) == tree


def test_quoting_round_trips_in_declarations():
    text = roundtrip(body('        "begin" := "Say ""hi""" + \'it''s\';\n        "this".Run();',
                          'var "begin": Text; "Say ""hi""": Text; "this": Codeunit "Do"; "Not": Integer;'))
    assert '"begin": Text;' in text and '"Say ""hi""": Text;' in text


def test_access_words_stay_bare_as_property_values():
    assert print_property(ir.Property("Access", ir.Values((ir.Name("Internal"),)))) == "Access = Internal;"
    assert print_property(ir.Property("Caption", ir.Values((ir.Name("begin"),)))) == 'Caption = "begin";'


# ------------------------------------------------------------ properties and types --

@pytest.mark.parametrize("prop, printed", [
    (ir.Property("OptionMembers", ir.Values((None, ir.Name("A"), ir.Name("B C")))), 'OptionMembers = ,A,"B C";'),
    (ir.Property("Caption", ir.Values((ir.Literal("string", "x"),), (
        ir.NamedValue("Comment", ir.Literal("string", "c")), ir.NamedValue("Locked", ir.Literal("boolean", True))))),
     "Caption = 'x', Comment = 'c', Locked = true;"),
    (ir.Property("DecimalPlaces", ir.Values((ir.PairValue(ir.Literal("integer", "0"), ir.Literal("integer", "5")),))),
     "DecimalPlaces = 0 : 5;"),
    (ir.Property("DecimalPlaces", ir.Values((ir.PairValue(ir.Literal("integer", "2"), None),))),
     "DecimalPlaces = 2 :;"),
    (ir.Property("CalcFormula", ir.CalcFormulaValue("sum", ("Ledger", "Amount"), (
        ir.Link(("No.",), "field", ("No.",)), ir.Link(("Open",), "const", "true")), negated=True)),
     'CalcFormula = -sum(Ledger.Amount where("No." = field("No."), Open = const(true)));'),
    (ir.Property("SubPageLink", ir.LinksValue((ir.Link(("Date",), "field", ("Date Filter",), "lowerlimit"),
                                               ir.Link(("Code",), "filter", "<>''&<>A")))),
     "SubPageLink = Date = field(lowerlimit(\"Date Filter\")), Code = filter(<>''&<>A);"),
    (ir.Property("SourceTableView", ir.TableViewValue(("No.", "Name"), "Descending",
                                                      (ir.Link(("Open",), "const", "true"),))),
     'SourceTableView = sorting("No.", Name) order(Descending) where(Open = const(true));'),
    (ir.Property("RunPageView", ir.TableViewValue(("No.",), None, (ir.Link(("Open",), "const", "true"),),
                                                  order_of_clauses=("where", "sorting"))),
     'RunPageView = where(Open = const(true)) sorting("No.");'),
    (ir.Property("RunObject", ir.ObjectRefValue("page", "Customer Card")), 'RunObject = page "Customer Card";'),
    (ir.Property("RunObject", ir.ObjectRefValue("report", "21")), "RunObject = report 21;"),
    (ir.Property("Permissions", ir.PermissionsValue((ir.Permission("tabledata", "Cust. Ledger Entry", "rm"),))),
     'Permissions = tabledata "Cust. Ledger Entry" = rm;'),
    (ir.Property("Permissions", ir.PermissionsValue((ir.Permission("tabledata", "A", "R"),
                                                     ir.Permission("codeunit", "*", "X")))),
     "Permissions = tabledata A = R,\n    codeunit * = X;"),
    (ir.Property("TableRelation", ir.TableRelationValue(
        ("Item",), condition=(ir.Link(("Type",), "const", "Item"),),
        otherwise=ir.TableRelationValue(("G/L Account", "No."), where=(ir.Link(("Blocked",), "const", "false"),)))),
     'TableRelation = if (Type = const(Item)) Item\n    else "G/L Account"."No." where(Blocked = const(false));'),
])
def test_property_values(prop, printed):
    assert print_property(prop) == printed
    table = parse_text(f"table 1 T {{ fields {{ field(1; F; Integer) {{ {printed} }} }} }}")
    assert table.ok, [d.message for d in table.diagnostics]
    assert table.objects[0].fields[0].properties == (prop,)


@pytest.mark.parametrize("typeref, printed", [
    (ir.TypeRef("Code", length=ir.Literal("integer", "20")), "Code[20]"),
    (ir.TypeRef("Record", subtype="Sales Header", temporary=True), 'Record "Sales Header" temporary'),
    (ir.TypeRef("Record", subtype="18"), "Record 18"),
    (ir.TypeRef("Codeunit", subtype="Sales-Post"), 'Codeunit "Sales-Post"'),
    (ir.TypeRef("Enum", subtype="Microsoft.Sales.Document Type"), 'Enum Microsoft.Sales."Document Type"'),
    (ir.TypeRef("Option", options=("", "A", "B C")), 'Option ,A,"B C"'),
    (ir.TypeRef("Option"), "Option"),
    (ir.TypeRef("Array", dimensions=(ir.Literal("integer", "2"), ir.Literal("integer", "3")),
                element=ir.TypeRef("Text", length=ir.Literal("integer", "30"))), "array[2, 3] of Text[30]"),
    (ir.TypeRef("List", arguments=(ir.TypeRef("Dictionary", arguments=(ir.TypeRef("Integer"), ir.TypeRef("Text"))),)),
     "List of [Dictionary of [Integer, Text]]"),
    (ir.TypeRef("DotNet", subtype="System.Text.StringBuilder"), "DotNet System.Text.StringBuilder"),
    (ir.TypeRef("Label", text="It's %1", text_options=(ir.NamedValue("Comment", ir.Literal("string", "%1 = x")),
                                                       ir.NamedValue("MaxLength", ir.Literal("integer", "9")))),
     "Label 'It''s %1', Comment = '%1 = x', MaxLength = 9"),
    (ir.TypeRef("TextConst", text_options=(ir.NamedValue("ENU", ir.Literal("string", "a")),)), "TextConst ENU = 'a'"),
])
def test_types(typeref, printed):
    assert print_type(typeref) == printed
    cu = parse_text(f"codeunit 1 C {{ var X: {printed}; }}")
    assert cu.ok, [d.message for d in cu.diagnostics]
    assert cu.objects[0].variables[0].type == typeref


# ------------------------------------------------------------ layout (goldens) --

def test_golden_table():
    source = ("table 50100 Thing { Caption = 'Thing'; fields { field(1; \"No.\"; Code[20]) { Caption = 'No.'; "
              "trigger OnValidate() begin if \"No.\" = '' then Error('Empty'); end; } "
              "field(2; Kind; Option) { OptionMembers = \" \",A; } } "
              "keys { key(PK; \"No.\") { Clustered = true; } } "
              "var Other: Record Thing temporary; "
              "local procedure Check(var T: Record Thing): Boolean begin exit(T.\"No.\" <> ''); end; }")
    assert print_unit(parse_text(source).unit) == '''\
table 50100 Thing
{
    Caption = 'Thing';

    fields
    {
        field(1; "No."; Code[20])
        {
            Caption = 'No.';

            trigger OnValidate()
            begin
                if "No." = '' then
                    Error('Empty');
            end;
        }
        field(2; Kind; Option)
        {
            OptionMembers = " ",A;
        }
    }

    keys
    {
        key(PK; "No.")
        {
            Clustered = true;
        }
    }

    var
        Other: Record Thing temporary;

    local procedure Check(var T: Record Thing): Boolean
    begin
        exit(T."No." <> '');
    end;
}
'''


def test_golden_codeunit_statements():
    code = ("if a then begin x := 1; y := 2; end else if b then z := 3 else begin z := 4; end; "
            "case k of 1: x := 1; 2, 3: begin x := 2; end; else x := 0; end; "
            "repeat x += 1; until x > 9; while x > 0 do x -= 1; for i := 1 to 3 do begin end; "
            "foreach s in l do Message(s); exit(x);")
    text = print_object(parse_text(body(code, "var x, y, z, i, k: Integer; s: Text; l: List of [Text];")).objects[0])
    assert text == '''\
codeunit 50100 Demo
{
    procedure Run()
    var
        x: Integer;
        y: Integer;
        z: Integer;
        i: Integer;
        k: Integer;
        s: Text;
        l: List of [Text];
    begin
        if a then begin
            x := 1;
            y := 2;
        end else if b then
            z := 3
        else begin
            z := 4;
        end;
        case k of
            1:
                x := 1;
            2, 3:
                begin
                    x := 2;
                end;
            else
                x := 0;
        end;
        repeat
            x += 1;
        until x > 9;
        while x > 0 do
            x -= 1;
        for i := 1 to 3 do begin
        end;
        foreach s in l do
            Message(s);
        exit(x);
    end;
}'''


def test_golden_page_extension():
    source = ("pageextension 50100 Ext extends \"Customer Card\" { layout { addafter(Name) { field(X; Rec.X) { } } "
              "modify(\"No.\") { Visible = false; } moveafter(Name; \"No.\", City) } "
              "views { addfirst { view(V) { Filters = where(X = const(1)); } } } }")
    assert print_unit(parse_text(source).unit) == '''\
pageextension 50100 Ext extends "Customer Card"
{
    layout
    {
        addafter(Name)
        {
            field(X; Rec.X) { }
        }
        modify("No.")
        {
            Visible = false;
        }
        moveafter(Name; "No.", City)
    }

    views
    {
        addfirst
        {
            view(V)
            {
                Filters = where(X = const(1));
            }
        }
    }
}
'''


def test_golden_attributes_and_protected_variables():
    source = ("codeunit 50100 C { var [NonDebuggable] Key: Text; protected var Shared: Integer; "
              "[EventSubscriber(ObjectType::Table, Database::Customer, OnAfterInsertEvent, '', false, false)] "
              "local procedure OnInsert(var Rec: Record Customer) begin end; }")
    assert print_object(parse_text(source).objects[0]) == '''\
codeunit 50100 C
{
    var
        [NonDebuggable]
        Key: Text;
    protected var
        Shared: Integer;

    [EventSubscriber(ObjectType::Table, Database::Customer, OnAfterInsertEvent, '', false, false)]
    local procedure OnInsert(var Rec: Record Customer)
    begin
    end;
}'''


# ------------------------------------------------------------ hand-built IR --

def _lit(x):
    return ir.Literal("integer", str(x)) if isinstance(x, int) else ir.Literal("string", x)


def _values(*items):
    return ir.Values(tuple(items))


HAND_BUILT = [
    ir.Table(50100, "Hand Table", fields=(
        ir.TableField(1, "No.", ir.TypeRef("Code", length=_lit(20)), (ir.Property("Caption", _values(_lit("No."))),)),
        ir.TableField(2, "Status", ir.TypeRef("Enum", subtype="Hand Status")),
    ), keys=(ir.Key("PK", ("No.",), (ir.Property("Clustered", _values(ir.Literal("boolean", True))),)),),
        fieldgroups=(ir.FieldGroup("DropDown", ("No.", "Status")),),
        properties=(ir.Property("DataClassification", _values(ir.Name("CustomerContent"))),)),
    ir.Page(50101, "Hand Page", layout=(
        ir.Control("area", "Content", controls=(
            ir.Control("group", "", controls=(ir.Control("field", "No.", ir.Member(ir.Name("Rec"), "No.")),)),
            ir.Control("cuegroup", "Cues", actions=(ir.Action("action", "Open"),)),
        )),), actions=(ir.Action("area", "Processing", actions=(
            ir.Action("separator", ""), ir.Action("actionref", "Open_Promoted", "Open"))),),
        views=(ir.View("All"),)),
    ir.PageExtension(50102, "Hand Ext", "Hand Page", layout=(
        ir.Change("addafter", "No.", members=(ir.Control("field", "Extra", ir.Name("Extra")),)),
        ir.Change("modify", "No.", properties=(ir.Property("Visible", _values(ir.Literal("boolean", False))),)),
        ir.Change("movebefore", "No.", ("Extra",)),
    ), views=(ir.Change("addlast", None, members=(ir.View("Mine"),)),)),
    ir.Codeunit(50103, "Hand Codeunit", implements=("IHand",), variables=(
        ir.Variable("Count", ir.TypeRef("Integer")),
        ir.Variable("Shared", ir.TypeRef("Decimal"), protected=True),
    ), procedures=(ir.Procedure("Run", (ir.Parameter("X", ir.TypeRef("Integer"), by_ref=True),),
                                ir.TypeRef("Boolean"), "Ok", "local", (ir.Attribute("TryFunction"),),
                                body=ir.Block((ir.Assignment(ir.Name("Ok"), ":=", b("=", ir.Name("X"), _lit(1))),))),)),
    ir.Report(50104, "Hand Report", dataset=(
        ir.DataNode("dataitem", "Item", ir.Name("Item"), children=(ir.DataNode("column", "No", ir.Name("No.")),)),),
        requestpage=ir.RequestPage(), rendering=(ir.ReportLayout("Main"),),
        labels=(ir.Property("Title", _values(_lit("Title"))),)),
    ir.ReportExtension(50105, "Hand Report Ext", "Hand Report", dataset=(
        ir.Change("add", "Item", members=(ir.DataNode("column", "Extra", ir.Name("Extra")),)),)),
    ir.Query(50106, "Hand Query", elements=(ir.DataNode("dataitem", "Item", ir.Name("Item")),)),
    ir.XmlPort(50107, "Hand Port", schema=(ir.DataNode("textelement", "Root"),)),
    ir.Enum(50108, "Hand Status", values=(ir.EnumValue(0, "Open"), ir.EnumValue(1, "Closed"))),
    ir.EnumExtension(50109, "Hand Status Ext", "Hand Status", values=(ir.EnumValue(50100, "Extra"),)),
    ir.Interface(None, "IHand", procedures=(ir.Procedure("Run", return_type=ir.TypeRef("Boolean")),)),
    ir.PermissionSet(50110, "Hand Perms", properties=(
        ir.Property("Permissions", ir.PermissionsValue((ir.Permission("tabledata", "Hand Table", "RIMD"),))),)),
    ir.PermissionSetExtension(50111, "Hand Perms Ext", "Hand Perms"),
    ir.Entitlement(None, "Hand Entitlement"),
    ir.Profile(None, "Hand Profile"),
    ir.ProfileExtension(None, "Hand Profile Ext", "Hand Profile"),
    ir.PageCustomization(None, "Hand Custom", "Hand Page", layout=(ir.Change("modify", "No."),)),
    ir.ControlAddIn(None, "Hand AddIn", events=(ir.Event("Ready"),),
                    procedures=(ir.Procedure("Show", (ir.Parameter("Text", ir.TypeRef("Text")),)),)),
    ir.DotNet(None, None, assemblies=(ir.Assembly("mscorlib", types=(ir.DotNetType("System.Guid", "Guid"),)),)),
]


@pytest.mark.parametrize("obj", HAND_BUILT, ids=[o.kind for o in HAND_BUILT])
def test_hand_built_objects_print_and_parse_back(obj):
    text = print_object(obj)
    again = parse_text(text)
    assert again.ok, (text, [d.message for d in again.diagnostics])
    assert again.objects == (obj,), text


def test_hand_built_unit():
    unit = ir.CompilationUnit("x.al", "Hand.Demo", ("System.Utilities", "Hand.Other Things"), tuple(HAND_BUILT[:2]))
    text = print_unit(unit)
    assert text.startswith('namespace Hand.Demo;\n\nusing System.Utilities;\nusing Hand."Other Things";\n\ntable ')
    again = parse_text(text).unit
    assert (again.namespace, again.usings) == (unit.namespace, unit.usings)
    assert again.objects == tuple(attrs.evolve(o, namespace="Hand.Demo") for o in unit.objects)


def test_check_roundtrip_reports_a_difference():
    result = parse_text(body("x := 1;", "var x: Integer;"))
    assert check_roundtrip(result)
    # A tree the parser cannot give back (a `Block` in a `then` is needed
    # for this `else`) is reported as a difference, not an error.
    inner = ir.If(B, ir.Exit(None), None)
    proc = ir.Procedure("P", body=ir.Block((ir.If(A, inner, ir.Exit(None)),)))
    odd = parse_text("codeunit 1 C { }")
    unit = attrs.evolve(odd.unit, objects=(attrs.evolve(odd.objects[0], procedures=(proc,)),))
    assert not check_roundtrip(attrs.evolve(odd, unit=unit))
