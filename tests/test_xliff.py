"""The generated translation file (`Translations/<App>.g.xlf`): trans-unit ids,
notes, order and attributes as Microsoft's compiler writes them, `alc xliff`,
and translations in packages."""

import json
import re

from alc.cli import main
from alc.build.compiler import CompileOptions, compile_project
from alc.emit.xliff import name_hash, project_units, xliff_document
from alc.package.reader import read_package
from alc.syntax.api import parse_source
from alc.source import SourceFile

APP = {"id": "5a1b2c3d-0000-4000-8000-00000000bb01", "name": "Xliff Demo", "publisher": "alc tests",
       "version": "1.0.0.0", "idRanges": [{"from": 50400, "to": 50499}], "runtime": "14.0",
       "features": ["TranslationFile"]}

TABLE = """table 50400 "Demo Item"
{
    Caption = 'Demo Item';

    fields
    {
        field(1; "No."; Code[20])
        {
            Caption = 'No.', Comment = 'The number';
        }
        field(3; Kind; Option)
        {
            OptionMembers = " ",Small,Large;
            OptionCaption = ' ,Small,Large';
            Caption = 'Kind';
        }
        field(2; Amount; Decimal)
        {
            trigger OnValidate()
            var
                TooLargeErr: Label 'Amount %1 is too large.', Comment = '%1 = amount';
                LockedTxt: Label 'DEMO', Locked = true;
            begin
            end;
        }
        field(4; Old; Integer)
        {
            Caption = 'Old';
            ObsoleteState = Removed;
            ObsoleteReason = 'Gone';
        }
        field(5; Code; Code[10])
        {
            Caption = 'Code', Locked = true;
        }
    }

    var
        ShortMsg: Label 'Short', MaxLength = 10;
        AnotherMsg: Label 'Another & <more>';

    procedure Zeta()
    var
        ZetaLbl: Label 'Zeta text';
    begin
    end;

    procedure Alpha()
    var
        SecondLbl: Label 'Second';
        FirstLbl: Label 'First';
    begin
    end;
}
"""

PAGE = """page 50400 "Demo Items"
{
    Caption = 'Demo Items';
    PageType = List;
    SourceTable = "Demo Item";

    layout
    {
        area(Content)
        {
            repeater(Lines)
            {
                field(No; Rec."No.")
                {
                    Caption = 'Number';
                    ToolTip = 'Specifies the number.';
                }
                field(Amount; Rec.Amount)
                {
                    ToolTip = 'Specifies the amount.';
                }
            }
            group(Details)
            {
                InstructionalText = 'Fill in the details.';
                Caption = 'Details';
            }
        }
    }
    actions
    {
        area(Processing)
        {
            action(Post)
            {
                Caption = 'Post';
                trigger OnAction()
                var
                    DoneMsg: Label 'Posted.';
                begin
                end;
            }
        }
    }
}
"""

ENUM = """enum 50400 "Demo Size"
{
    Extensible = true;
    value(0; Small) { Caption = 'Small'; }
    value(1; Big) { Caption = 'Big'; }
}
"""

TABLE_EXT = """tableextension 50401 "Demo Item Ext" extends "Demo Item"
{
    fields
    {
        modify(Amount)
        {
            Caption = 'Amount (LCY)';
        }
        field(50400; Note; Text[50])
        {
            trigger OnValidate()
            var
                NoteLbl: Label 'Note changed';
            begin
            end;
        }
    }
}
"""

REPORT = """report 50400 "Demo List"
{
    Caption = 'Demo List';

    dataset
    {
        dataitem(Item; "Demo Item")
        {
            RequestFilterHeading = 'Items';
            column(No; "No.") { IncludeCaption = true; }
        }
    }
    requestpage
    {
        layout
        {
            area(Content)
            {
                field(ShowAll; ShowAll) { Caption = 'Show all'; }
            }
        }
        trigger OnQueryClosePage(CloseAction: Action): Boolean
        var
            NoLbl: Label 'No';
        begin
        end;
    }
    labels
    {
        TitleLbl = 'Demo list', Comment = 'Report title';
        AmountLbl = 'Amount';
    }
    var
        ShowAll: Boolean;
}
"""


def _objects(*texts):
    out = []
    for i, text in enumerate(texts):
        out.extend(parse_source(SourceFile(f"f{i}.al", text), lazy_bodies=True).objects)
    return out


def _units(*texts):
    return project_units(_objects(*texts))


def test_name_hash_matches_ids_in_real_files():
    # Values read from generated files committed beside their source (public repositories).
    assert name_hash("Caption") == 2879900210
    assert name_hash("ToolTip") == 1295455071
    assert name_hash("OptionCaption") == 62802879
    assert name_hash("InstructionalText") == 1968111052
    assert name_hash("OnValidate") == 2126772001
    assert name_hash("OnAction") == 1377591017
    assert name_hash("OnOpenPage") == 716454850
    assert name_hash("caption") != name_hash("Caption")  # the hash is of the name as written


def test_table_units_ids_notes_and_order():
    units = _units(TABLE)
    notes = [u.note for u in units]
    assert notes == [
        "Table Demo Item - Property Caption",
        "Table Demo Item - NamedType AnotherMsg",          # global labels sorted by name
        "Table Demo Item - NamedType ShortMsg",
        "Table Demo Item - Method Alpha - NamedType SecondLbl",   # methods by name, labels as declared
        "Table Demo Item - Method Alpha - NamedType FirstLbl",
        "Table Demo Item - Method Zeta - NamedType ZetaLbl",
        "Table Demo Item - Field Amount - Property Caption",      # fields by name; no caption: its name
        "Table Demo Item - Field Amount - Method OnValidate - NamedType TooLargeErr",
        "Table Demo Item - Field Kind - Property Caption",        # Caption before OptionCaption
        "Table Demo Item - Field Kind - Property OptionCaption",
        "Table Demo Item - Field No. - Property Caption",
    ]  # locked texts and removed fields are left out
    by_note = {u.note: u for u in units}
    amount = by_note["Table Demo Item - Field Amount - Property Caption"]
    assert amount.source == "Amount"
    assert amount.id == f"Table {name_hash('Demo Item')} - Field {name_hash('Amount')} - Property 2879900210"
    err = by_note["Table Demo Item - Field Amount - Method OnValidate - NamedType TooLargeErr"]
    assert err.comment == "%1 = amount" and err.id.split(" - ")[2] == "Method 2126772001"
    assert by_note["Table Demo Item - Field No. - Property Caption"].comment == "The number"
    assert by_note["Table Demo Item - NamedType ShortMsg"].maxwidth == 10
    assert all(u.target is None and u.translate for u in units)


def test_page_units_tooltip_first_and_depth_first_by_name():
    notes = [u.note for u in _units(PAGE)]
    assert notes == [
        "Page Demo Items - Property Caption",
        "Page Demo Items - Control Details - Property InstructionalText",
        "Page Demo Items - Control Details - Property Caption",
        "Page Demo Items - Control Amount - Property ToolTip",
        "Page Demo Items - Control No - Property ToolTip",
        "Page Demo Items - Control No - Property Caption",
        "Page Demo Items - Action Post - Property Caption",
        "Page Demo Items - Action Post - Method OnAction - NamedType DoneMsg",
    ]


def test_extension_units_name_their_target():
    units = {u.note: u for u in _units(TABLE_EXT)}
    own = f"TableExtension {name_hash('Demo Item Ext')}"
    base = f"Table {name_hash('Demo Item')}"
    assert units["TableExtension Demo Item Ext - Change Amount - Property Caption"].target == base
    assert units["TableExtension Demo Item Ext - Field Note - Property Caption"].target == base
    assert units["TableExtension Demo Item Ext - Field Note - Method OnValidate - NamedType NoteLbl"].target == own


def test_objects_by_kind_then_name_and_report_items():
    units = _units(REPORT, ENUM, PAGE, TABLE)
    heads = list(dict.fromkeys(u.note.split(" - ")[0] for u in units))
    assert heads == ["Table Demo Item", "Page Demo Items", "Report Demo List", "Enum Demo Size"]
    report = [u.note for u in units if u.note.startswith("Report")]
    assert report == ["Report Demo List - Property Caption",
                      "Report Demo List - ReportDataItem Item - Property RequestFilterHeading",
                      "Report Demo List - ReportLabel AmountLbl", "Report Demo List - ReportLabel TitleLbl",
                      "Report Demo List - RequestPage RequestOptionsPage - Method OnQueryClosePage - NamedType NoLbl",
                      "Report Demo List - Control ShowAll - Property Caption"]
    enum = [u.note for u in units if u.note.startswith("Enum")]
    assert enum == ["Enum Demo Size - EnumValue Big - Property Caption",
                    "Enum Demo Size - EnumValue Small - Property Caption"]


def test_locked_texts_are_kept_untranslated_on_request():
    units = project_units(_objects(TABLE), locked=True)
    locked = [u for u in units if not u.translate]
    assert sorted(u.note for u in locked) == [
        "Table Demo Item - Field Amount - Method OnValidate - NamedType LockedTxt",
        "Table Demo Item - Field Code - Property Caption"]


def test_document_shape():
    units = _units(TABLE)
    text = xliff_document("Xliff Demo", units).decode("utf-8")
    assert text.startswith("\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<xliff version=\"1.2\"")
    assert text.endswith("</xliff>") and "\n" not in text.replace("\r\n", "")
    assert (f'<trans-unit id="Table {name_hash("Demo Item")} - NamedType {name_hash("ShortMsg")}" maxwidth="10" '
            'size-unit="char" translate="yes" xml:space="preserve">') in text
    assert "<source>Another &amp; &lt;more&gt;</source>" in text
    assert '<note from="Developer" annotates="general" priority="2">%1 = amount</note>' in text
    assert ('<note from="Xliff Generator" annotates="general" priority="3">Table Demo Item - Field No. - '
            'Property Caption</note>') in text
    assert text.count("<trans-unit ") == len(units)


def _project(root, app=APP, files=None):
    root.mkdir(parents=True, exist_ok=True)
    (root / "app.json").write_text(json.dumps(app))
    src = root / "src"
    src.mkdir(exist_ok=True)
    for name, text in (files or {"Item.Table.al": TABLE, "Items.Page.al": PAGE, "Size.Enum.al": ENUM,
                                 "ItemExt.TableExt.al": TABLE_EXT, "List.Report.al": REPORT}).items():
        (src / name).write_text(text)
    return root


def _compile(project, out):
    return compile_project(CompileOptions(project=str(project), package_cache=(), out=str(out), jobs=1))


DA_DK = """<?xml version="1.0" encoding="utf-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file datatype="xml" source-language="en-US" target-language="da-DK" original="Xliff Demo">
    <body><group id="body"></group></body>
  </file>
</xliff>"""


def test_package_carries_the_generated_file_and_the_translations(tmp_path, capsys):
    project = _project(tmp_path / "p")
    (project / "Translations").mkdir()
    (project / "Translations" / "Xliff Demo.da-DK.xlf").write_text(DA_DK)
    (project / "Translations" / "Xliff Demo.g.xlf").write_text("stale")
    out = tmp_path / "p.app"
    result = _compile(project, out)
    assert result.ok, result.diagnostics
    pkg = read_package(str(out))
    names = [n for n in pkg.entries if n.startswith("Translations/")]
    assert names == ["Translations/Xliff Demo.da-DK.xlf", "Translations/Xliff Demo.g.xlf"]
    assert pkg.read("Translations/Xliff Demo.da-DK.xlf") == DA_DK.encode()
    generated = pkg.read("Translations/Xliff Demo.g.xlf")
    # `alc xliff` writes the same bytes, without a package cache or compile.
    assert main(["xliff", "--project", str(project)]) == 0
    assert (project / "Translations" / "Xliff Demo.g.xlf").read_bytes() == generated
    assert "wrote" in capsys.readouterr().out
    assert generated.count(b"<trans-unit ") == len(project_units(_objects(TABLE, PAGE, ENUM, TABLE_EXT, REPORT)))
    entries = list(pkg.entries)
    assert entries.index("SymbolReference.json") < entries.index("Translations/Xliff Demo.g.xlf") \
        < entries.index("[Content_Types].xml")
    assert '<Default Extension="xlf" ContentType="" />' in pkg.read("[Content_Types].xml").decode("utf-8-sig")


def test_without_the_feature_only_the_translations_are_packed(tmp_path):
    app = dict(APP, features=[])
    project = _project(tmp_path / "p", app)
    (project / "Translations").mkdir()
    (project / "Translations" / "Xliff Demo.da-DK.xlf").write_text(DA_DK)
    out = tmp_path / "p.app"
    assert _compile(project, out).ok
    assert [n for n in read_package(str(out)).entries if n.startswith("Translations/")] == [
        "Translations/Xliff Demo.da-DK.xlf"]
    excluded = _project(tmp_path / "q", dict(APP, features=["TranslationFile", "ExcludeGeneratedTranslations"]))
    assert _compile(excluded, tmp_path / "q.app").ok
    assert not any(n.startswith("Translations/") for n in read_package(str(tmp_path / "q.app")).entries)


def test_a_broken_translation_file_is_an_error(tmp_path):
    project = _project(tmp_path / "p")
    (project / "Translations").mkdir()
    (project / "Translations" / "Xliff Demo.da-DK.xlf").write_text("<xliff><file>")
    out = tmp_path / "p.app"
    result = _compile(project, out)
    assert [d.code for d in result.diagnostics if d.is_error] == ["ALC0462"]
    assert not out.exists()


def test_xliff_command_errors(tmp_path, capsys):
    assert main(["xliff", "--project", str(tmp_path)]) == 2
    project = _project(tmp_path / "p", files={"Bad.al": "table 50400 Bad { fields { field(1; X; ) } }"})
    assert main(["xliff", "--project", str(project), "--out", str(tmp_path / "x.xlf")]) == 1
    out = capsys.readouterr().out
    assert re.search(r"Bad\.al\(\d+,\d+\): error ALC01\d\d", out) and "no translation file written" in out
    assert not (tmp_path / "x.xlf").exists()


XMLPORT = """xmlport 50401 "Demo Port"
{
    schema
    {
        textelement(Root)
        {
            tableelement(Item; "Demo Item")
            {
                textattribute(Zeta) { trigger OnBeforePassVariable() var ZLbl: Label 'Z'; begin end; }
                tableelement(inner; "Demo Item")
                {
                    fieldattribute(Name; inner."No.") { trigger OnBeforePassField() var NLbl: Label 'N'; begin end; }
                }
            }
        }
    }
    requestpage
    {
        Caption = 'Options';
        layout { area(Content) { field(F; 'x') { Caption = 'F'; } } }
    }
}
"""

PAGE_EXT = """pageextension 50402 "Demo Items Ext" extends "Demo Items"
{
    layout
    {
        addlast(Lines) { field(Zeta; Rec.Amount) { Caption = 'Zeta'; } }
        modify(Amount) { Caption = 'Amount (LCY)'; }
    }
    actions
    {
        addlast(Processing) { action(Print) { Caption = 'Print'; } }
    }
}
"""


def test_xmlport_page_extension_and_table_extension_order():
    """As the compiler orders them (nab-al-tools' Xliff-test app): an xmlport's
    request page before its schema, the schema by name depth first; a page
    extension's actions before its layout, new controls and changes sorted
    together; a table extension's new fields before its changes."""
    notes = [u.note for u in _units(XMLPORT)]
    assert notes == ["XmlPort Demo Port - RequestPage RequestOptionsPage - Property Caption",
                     "XmlPort Demo Port - Control F - Property Caption",
                     "XmlPort Demo Port - XmlPortNode Name - Method OnBeforePassField - NamedType NLbl",
                     "XmlPort Demo Port - XmlPortNode Zeta - Method OnBeforePassVariable - NamedType ZLbl"]
    notes = [u.note for u in _units(PAGE_EXT)]
    assert notes == ["PageExtension Demo Items Ext - Action Print - Property Caption",
                     "PageExtension Demo Items Ext - Change Amount - Property Caption",
                     "PageExtension Demo Items Ext - Control Zeta - Property Caption"]
    notes = [u.note for u in _units(TABLE_EXT)]
    assert notes.index("TableExtension Demo Item Ext - Field Note - Property Caption") < notes.index(
        "TableExtension Demo Item Ext - Change Amount - Property Caption")


def test_generate_captions_captions_objects_without_one():
    objs = _objects(PAGE_EXT, "page 50405 Plain { }", "codeunit 50405 NoCaption { }", TABLE)
    units = project_units(objs, captions=True)
    assert [u.note for u in units if u.note.startswith("Page Plain")] == ["Page Plain - Property Caption"]
    assert next(u.source for u in units if u.note == "Page Plain - Property Caption") == "Plain"
    assert not any(u.note.startswith("Codeunit") for u in units)
    assert [u.note for u in units if u.note.endswith("Demo Item - Property Caption")] == [
        "Table Demo Item - Property Caption"]                   # it has one: not doubled
    assert not any(u.note.startswith("Page Plain") for u in project_units(objs))


ENUM_EXT = """enumextension 50403 "Demo Size Ext" extends "Demo Size"
{
    value(50400; Huge) { Caption = 'Huge'; }
}
"""

MOVED_EXT = """tableextension 50404 "Demo Item Moved" extends "Demo Item"
{
    fields
    {
        field(50401; Gone; Code[10])
        {
            Caption = 'Gone';
            ObsoleteState = Moved;
            MovedTo = '437dbf0e-84ff-417a-965d-ed2bb9650972';
        }
        field(50402; Stays; Code[10]) { Caption = 'Stays'; ObsoleteState = Pending; }
        field(50403; Removed; Code[10]) { Caption = 'Removed'; ObsoleteState = Removed; }
    }
}
"""


def test_extension_ids_start_at_their_target():
    # Current compilers (Business Foundation 24.0-27.2): a table or page extension's ids start at its target,
    # its notes at itself; an enum extension's ids keep the extension.
    units = {u.note: u for u in _units(TABLE_EXT, PAGE_EXT, ENUM_EXT)}
    table, page = f"Table {name_hash('Demo Item')}", f"Page {name_hash('Demo Items')}"
    field = units["TableExtension Demo Item Ext - Field Note - Property Caption"]
    assert field.id == f"{table} - Field {name_hash('Note')} - Property 2879900210" and field.target == table
    label = units["TableExtension Demo Item Ext - Field Note - Method OnValidate - NamedType NoteLbl"]
    assert label.id.startswith(f"{table} - Field ") and label.target == f"TableExtension {name_hash('Demo Item Ext')}"
    action = units["PageExtension Demo Items Ext - Action Print - Property Caption"]
    assert action.id == f"{page} - Action {name_hash('Print')} - Property 2879900210" and action.target == page
    value = units["EnumExtension Demo Size Ext - EnumValue Huge - Property Caption"]
    own = f"EnumExtension {name_hash('Demo Size Ext')}"
    assert value.id == f"{own} - EnumValue {name_hash('Huge')} - Property 2879900210"
    assert value.target == f"Enum {name_hash('Demo Size')}"


def test_moved_and_removed_elements_have_no_units():
    notes = [u.note for u in _units(MOVED_EXT)]
    assert notes == ["TableExtension Demo Item Moved - Field Stays - Property Caption"]


ACTIONS = """page 50406 "Demo Actions"
{
    actions
    {
        area(Processing)
        {
            action(Run) { ToolTip = 'Runs it.'; }
            systemaction(Cancel) { ToolTip = 'Discards it.'; }
            systemaction(Ok) { Caption = 'Keep it'; }
        }
        area(Promoted)
        {
            group(View_Promoted) { actionref(Run_Promoted; Run) { } }
        }
    }
}
"""


def test_generate_captions_captions_groups_and_system_actions():
    # Business Foundation 25.2: a promoted group and a system action without a caption get their name,
    # after their tooltip; actionrefs and areas get nothing.
    notes = [(u.note, u.source) for u in project_units(_objects(ACTIONS), captions=True)]
    assert notes == [("Page Demo Actions - Property Caption", "Demo Actions"),
                     ("Page Demo Actions - Action Cancel - Property ToolTip", "Discards it."),
                     ("Page Demo Actions - Action Cancel - Property Caption", "Cancel"),
                     ("Page Demo Actions - Action Ok - Property Caption", "Keep it"),
                     ("Page Demo Actions - Action Run - Property ToolTip", "Runs it."),
                     ("Page Demo Actions - Action Run - Property Caption", "Run"),
                     ("Page Demo Actions - Action View_Promoted - Property Caption", "View_Promoted")]
    assert [n for n, _ in notes if "Cancel" in n or "View_Promoted" in n] and not any(
        "Cancel - Property Caption" in u.note for u in project_units(_objects(ACTIONS)))


def test_objects_by_namespace_nested_namespaces_first():
    # Business Foundation 25.2: Microsoft.Foundation.AuditCodes, Microsoft.Foundation.NoSeries, then the
    # objects of Microsoft.Foundation itself.
    texts = ["namespace Demo.Foundation;\ntable 50410 Top { Caption = 'Top'; }",
             "namespace Demo.Foundation.NoSeries;\ntable 50411 Alpha { Caption = 'Alpha'; }",
             "namespace Demo.Foundation.AuditCodes;\npage 50412 Zulu { Caption = 'Zulu'; }",
             "namespace Demo.Foundation.AuditCodes;\ntable 50413 Yankee { Caption = 'Yankee'; }"]
    heads = [u.note.split(" - ")[0] for u in _units(*texts)]
    assert heads == ["Table Yankee", "Page Zulu", "Table Alpha", "Table Top"]
