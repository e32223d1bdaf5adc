"""SymbolReference.json: real-shaped files read; writer -> reader gives an equal model; IR -> symbols."""

import json

import pytest

from alc import parse_text
from alc.package.errors import Limits, PackageError
from alc.package.symbols import (Action, ActionChange, Attribute, Codeunit, Control, ControlChange, Enum, EnumValue,
                                 Field, FieldModification, Key, Method, Parameter, Permission, Property,
                                 SymbolReference, Table, TableExtension, TypeDef, Subtype, read_symbols,
                                 symbols_from_ir, write_symbols)
from alc.package.symbols_json import rights_to_value

# An older file (runtime 4 era): properties as {"Value","Name"}, "Temporary":false written out, every collection
# present (some empty), identity at the end.
OLD = {
    "Tables": [{
        "Fields": [
            {"Properties": [{"Value": "Primary Key", "Name": "Caption"},
                            {"Value": "CustomerContent", "Name": "DataClassification"}],
             "TypeDefinition": {"Temporary": False, "Name": "Code[10]"}, "Id": 1, "Name": "Primary Key"},
            {"Properties": [{"Value": "1", "Name": "BlankZero"}],
             "TypeDefinition": {"Name": "Integer"}, "Id": 2, "Name": "Retry Count"}],
        "Keys": [{"FieldNames": ["Primary Key"], "Properties": [{"Value": "1", "Name": "Clustered"}], "Name": "PK"}],
        "Properties": [{"Value": "Address Setup", "Name": "Caption"}],
        "ReferenceSourceFileName": "src/table/Tab50100.AddressSetup.al",
        "Id": 50100, "Name": "Address Setup"}],
    "Codeunits": [{
        "Methods": [
            {"Id": 1105354210, "Name": "Validate", "MethodKind": 0,
             "Parameters": [{"IsVar": True, "Name": "Rec",
                             "TypeDefinition": {"Temporary": True, "Subtype": {"Id": 18, "Name": "Customer",
                                                                               "IsEmpty": False},
                                                "Name": "Record"}}],
             "ReturnTypeDefinition": {"Name": "Boolean"}},
            {"Id": -230431223, "Name": "OnBeforeValidate", "IsLocal": True,
             "Attributes": [{"Name": "IntegrationEvent", "Arguments": [{"Value": "false"}, {"Value": "false"}]}],
             "Parameters": [{"IsVar": True, "Name": "Handled", "TypeDefinition": {"Name": "Boolean"}}]}],
        "Properties": [], "Id": 50101, "Name": "Address Mgt."}],
    "Pages": [{
        "Controls": [{"Kind": 0, "Name": "content", "Controls": [
            {"Kind": 1, "Name": "General", "Controls": [
                {"Kind": 8, "Id": 12, "Name": "Retry Count", "TypeDefinition": {"Name": "Integer"},
                 "Properties": [{"Value": "#All", "Name": "ApplicationArea"},
                                {"Value": "Rec.\"Retry Count\"", "Name": "SourceExpression"}]}]}]}],
        "Actions": [{"Kind": 0, "Name": "processing", "Actions": [{"Kind": 2, "Name": "Test"}]}],
        "Properties": [{"Value": "Card", "Name": "PageType"}, {"Value": "50100", "Name": "SourceTable"}],
        "Id": 50100, "Name": "Address Setup"}],
    "PageExtensions": [{
        "TargetObject": "Item List",
        "ControlChanges": [{"Anchor": "InventoryField", "ChangeKind": 4, "Controls": [
            {"Kind": 8, "Id": 320220077, "Name": "Qty. on Sales Order", "TypeDefinition": {"Name": "Decimal"},
             "Properties": [{"Value": "#All", "Name": "ApplicationArea"},
                            {"Value": "Rec.\"Qty. on Sales Order\"", "Name": "SourceExpression"}]}]}],
        "ActionChanges": [{"Anchor": "F&unctions", "ChangeKind": 2, "Actions": [
            {"Kind": 1, "Name": "Extra", "Actions": [{"Kind": 2, "Name": "Do It"}]}]}],
        "Id": 50005, "Name": "ExtendItemList"}],
    "PageCustomizations": [],
    "TableExtensions": [{"TargetObject": "Posted Assembly Header", "Fields": [
        {"Id": 50100, "Name": "Note", "TypeDefinition": {"Name": "Text[100]"}}], "Id": 50100, "Name": "PAH Ext"}],
    "Reports": [], "XmlPorts": [], "Queries": [], "Profiles": [], "ControlAddIns": [], "EnumTypes": [],
    "EnumExtensionTypes": [], "DotNetPackages": [], "InternalsVisibleToModules": [],
    "AppId": "1d1a8a8c-0000-4000-8000-00000000000a", "Name": "Address Validation", "Publisher": "CBR",
    "Version": "1.0.0.0",
}

# A newer file (runtime 13): RuntimeVersion first, objects nested under Namespaces, targets in dependencies
# written as #<app id>#name, option members in the type, several collections simply absent.
NEW = {
    "RuntimeVersion": "13.0",
    "Namespaces": [{
        "Name": "Fabrikam",
        "Namespaces": [{
            "Name": "Loyalty",
            "Tables": [{"Id": 70000000, "Name": "Loyalty Tier", "Fields": [
                {"Id": 1, "Name": "Code", "TypeDefinition": {"Name": "Code[20]"}},
                {"Id": 2, "Name": "Region", "TypeDefinition": {"Name": "Option", "OptionMembers": [" ", "AU", "NZ"]},
                 "Properties": [{"Name": "OptionMembers", "Value": " ,AU,NZ"}]}]}],
            "TableExtensions": [{"Id": 70000001, "Name": "Loyalty Customer",
                                 "TargetObject": "#437dbf0e84ff417a965ded2bb9650972#Customer",
                                 "Fields": [{"Id": 70000000, "Name": "Tier", "TypeDefinition": {"Name": "Code[20]"}}],
                                 "ReferenceSourceFileName": "src/Table%20Extension/Customer.TableExt.al"}],
        }, {
            "Name": "Common",
            "EnumTypes": [{"Id": 70000000, "Name": "Loyalty Level", "Values": [
                {"Name": "None", "Ordinal": 0}, {"Name": "Gold", "Ordinal": 10,
                                                 "Properties": [{"Name": "Caption", "Value": "Gold"}]}],
                "ImplementedInterfaces": ["ILoyalty"]}],
        }],
    }],
    "Codeunits": [{"Id": 70000002, "Name": "Loyalty Setup", "Methods": [
        {"Id": 1, "Name": "Init", "IsInternal": True}]}],
    "ReportExtensions": [{"Id": 70000003, "Name": "Loyalty Statement", "Target": "Customer - Statement",
                          "Columns": [{"Name": "Tier", "SourceExpression": "Tier", "OwningDataItemName": "Customer"}]}],
    "PermissionSets": [{"Id": 70000004, "Name": "LOYALTY", "Permissions": [
        {"PermissionObject": 0, "Id": 70000000, "Value": 15}, {"PermissionObject": 5, "Id": 70000002, "Value": 16}]}],
    "AppId": "0f3b2c1a-0000-4000-8000-000000000001", "Name": "Loyalty", "Publisher": "Fabrikam", "Version": "2.0.0.0",
}


def as_file(data: dict, padding: int = 0) -> bytes:
    """Real files: UTF-8 with BOM, one line, and (from servers) NUL padding."""
    return b"\xef\xbb\xbf" + json.dumps(data, separators=(",", ":")).encode() + b"\0" * padding


def test_old_property_order_and_full_collections():
    ref = read_symbols(as_file(OLD))
    assert (ref.app_id, ref.name, ref.publisher, ref.version) == (
        "1d1a8a8c-0000-4000-8000-00000000000a", "Address Validation", "CBR", "1.0.0.0")
    table = ref.tables[0]
    assert (table.id, table.name, table.reference_source_file) == (50100, "Address Setup",
                                                                   "src/table/Tab50100.AddressSetup.al")
    assert table.fields[0] == Field(1, "Primary Key", TypeDef("Code[10]"), (
        Property("Caption", "Primary Key"), Property("DataClassification", "CustomerContent")))
    assert table.keys == (Key("PK", ("Primary Key",), (Property("Clustered", "1"),)),)
    assert table.get_property("caption") == "Address Setup"
    validate, event = ref.codeunits[0].methods
    assert validate.parameters == (Parameter("Rec", TypeDef("Record", Subtype("Customer", 18), temporary=True),
                                             True),)
    assert validate.return_type == TypeDef("Boolean") and validate.access == "public"
    assert event.access == "local"
    assert event.attribute("integrationevent") == Attribute("IntegrationEvent", ("false", "false"))
    page = ref.pages[0]
    assert [c.kind for c in page.controls] == ["area"]
    field = page.controls[0].controls[0].controls[0]
    assert (field.kind, field.name, field.id, field.type) == ("field", "Retry Count", 12, TypeDef("Integer"))
    assert page.actions[0].actions[0] == Action("action", "Test")
    ext = ref.page_extensions[0]
    assert (ext.target, ext.target_app) == ("Item List", None)
    assert ext.control_changes[0].kind == "addafter" and ext.control_changes[0].anchor == "InventoryField"
    assert ext.action_changes[0].kind == "addlast"
    assert ext.action_changes[0].actions[0].actions[0].name == "Do It"
    assert ref.table_extensions[0].target == "Posted Assembly Header"
    assert [o.kind for o in ref.objects()] == ["table", "codeunit", "page", "pageextension", "tableextension"]


def test_new_format_with_namespaces_bom_and_nul_padding():
    ref = read_symbols(as_file(NEW, padding=4096))
    assert ref.runtime_version == "13.0"
    tier = ref.tables[0]
    assert (tier.namespace, tier.full_name) == ("Fabrikam.Loyalty", "Fabrikam.Loyalty.Loyalty Tier")
    assert tier.fields[1].type == TypeDef("Option", option_members=(" ", "AU", "NZ"))
    ext = ref.table_extensions[0]
    assert (ext.target, ext.target_app, ext.namespace) == (
        "Customer", "437dbf0e-84ff-417a-965d-ed2bb9650972", "Fabrikam.Loyalty")
    level = ref.enum_types[0]
    assert level.namespace == "Fabrikam.Common" and level.implemented_interfaces == ("ILoyalty",)
    assert level.values == (EnumValue("None", 0), EnumValue("Gold", 10, (Property("Caption", "Gold"),)))
    assert ref.codeunits[0].namespace is None and ref.codeunits[0].methods[0].access == "internal"
    rext = ref.report_extensions[0]
    assert (rext.target, rext.columns[0].owning_data_item) == ("Customer - Statement", "Customer")
    assert ref.permission_sets[0].permissions == (Permission("tabledata", 70000000, "", 15),
                                                  Permission("codeunit", 70000002, "", 16))
    assert ref.page_extensions == () and ref.reports == ()


@pytest.mark.parametrize("data", [OLD, NEW], ids=["old", "new"])
def test_writer_reader_round_trip_of_real_shapes(data):
    ref = read_symbols(as_file(data))
    written = write_symbols(ref)
    assert written.startswith(b"\xef\xbb\xbf") and b"\n" not in written
    assert read_symbols(written) == ref
    assert write_symbols(read_symbols(written)) == written


def test_writer_shape():
    data = json.loads(write_symbols(read_symbols(as_file(NEW)))[3:])
    assert list(data)[0] == "RuntimeVersion"
    assert list(data)[-4:] == ["AppId", "Name", "Publisher", "Version"]
    fabrikam = data["Namespaces"][0]
    assert fabrikam["Name"] == "Fabrikam" and [n["Name"] for n in fabrikam["Namespaces"]] == ["Common", "Loyalty"]
    loyalty = fabrikam["Namespaces"][1]
    assert loyalty["TableExtensions"][0]["TargetObject"] == "#437dbf0e84ff417a965ded2bb9650972#Customer"
    assert list(loyalty["Tables"][0]["Fields"][0]) == ["Id", "Name", "TypeDefinition"]
    assert data["ReportExtensions"][0]["Target"] == "Customer - Statement"
    old = json.loads(write_symbols(read_symbols(as_file(OLD)))[3:])
    assert old["Tables"][0]["Fields"][0]["Properties"][0] == {"Name": "Caption", "Value": "Primary Key"}
    assert "Temporary" not in old["Tables"][0]["Fields"][0]["TypeDefinition"]
    assert "PageCustomizations" not in old            # empty collections are left out


def test_property_value_variants_and_unknown_kinds_survive():
    data = {"Pages": [{"Id": 1, "Name": "P", "Controls": [{"Kind": 99, "Name": "future"}],
                       "Properties": [{"Name": "Editable", "Value": False}, {"Value": 3, "Name": "Width"}]}]}
    ref = read_symbols(as_file(data))
    page = ref.pages[0]
    assert page.properties == (Property("Editable", "0"), Property("Width", "3"))
    assert page.controls[0].kind == "#99"
    assert json.loads(write_symbols(ref)[3:])["Pages"][0]["Controls"][0]["Kind"] == 99


def test_empty_and_umbrella_files():
    assert read_symbols(b"\xef\xbb\xbf{}") == SymbolReference()
    assert read_symbols(b"{}\0\0\0") == SymbolReference()


@pytest.mark.parametrize("data, text", [
    ({"Tables": [{"Id": 1, "Name": "T", "Fields": [{"Id": 1}, {"Id": "two"}]}]},
     "`Tables[0].Fields[1].Id` must be an integer, got a string"),
    ({"Tables": {"Id": 1}}, "`Tables` must be an array, got an object"),
    ({"Namespaces": [{"Name": "A", "Pages": [{"Id": 1, "Controls": [{"Kind": 8, "Controls": [{"Kind": []}]}]}]}]},
     "`Namespaces[0].Pages[0].Controls[0].Controls[0].Kind` must be a kind number, got an array"),
    ({"Codeunits": [{"Id": 1, "Methods": [{"Name": "M", "IsLocal": "maybe"}]}]},
     "`Codeunits[0].Methods[0].IsLocal` must be true or false, got a string"),
    ({"Tables": [{"Id": 1, "Properties": [{"Name": "Caption", "Value": {"x": 1}}]}]},
     "`Tables[0].Properties[0].Value` must be a string, got an object"),
    ({"TableExtensions": [{"Id": 1, "TargetObject": ["Customer"]}]},
     "`TableExtensions[0].TargetObject` must be a string, got an array"),
    ({"Name": {"x": 1}}, "`Name` must be a string, got an object"),
    ([1, 2], "`(top level)` must be an object, got an array"),
])
def test_wrong_types_name_their_path(data, text):
    with pytest.raises(PackageError) as info:
        read_symbols(as_file(data))
    assert info.value.code == "ALC0430" and text in info.value.message


@pytest.mark.parametrize("data, text", [
    (b"\xef\xbb\xbf{\"Tables\": [", "not valid JSON"),
    (b"{\"Name\": \"\xff\xfe\"}", "not UTF-8"),
])
def test_malformed_json(data, text):
    with pytest.raises(PackageError) as info:
        read_symbols(data)
    assert info.value.code == "ALC0430" and text in info.value.message


def test_nesting_past_the_budget_is_refused_before_decoding():
    with pytest.raises(PackageError) as info:
        read_symbols(b"[" * 200_000 + b"]" * 200_000)
    assert info.value.code == "ALC0425" and "nests 200000 levels deep, over the limit of 128" in info.value.message


def test_deep_nesting_that_json_accepts_is_still_one_error():
    control = {"Kind": 1, "Name": "leaf"}
    for _ in range(450):
        control = {"Kind": 1, "Name": "g", "Controls": [control]}
    with pytest.raises(PackageError) as info:
        read_symbols(as_file({"Pages": [{"Id": 1, "Name": "P", "Controls": [control]}]}))
    assert info.value.code == "ALC0425" and "levels deep" in info.value.message


def test_json_size_limit():
    with pytest.raises(PackageError) as info:
        read_symbols(as_file(OLD), Limits(max_json_size=500))
    assert info.value.code == "ALC0425"


def test_model_is_canonical_whatever_the_order():
    a = Table(id=2, name="B")
    b = Table(id=1, name="A", namespace="X")
    c = Table(id=1, name="A")
    assert SymbolReference(tables=(a, b, c)) == SymbolReference(tables=(c, b, a))
    assert [t.id for t in SymbolReference(tables=(a, b, c)).tables] == [1, 2, 1]


# ------------------------------------------------------------------ from IR --

SOURCE = '''
namespace Fabrikam.Loyalty;

table 50100 "Loyalty Entry"
{
    Caption = 'Loyalty Entry', Comment = 'not in symbols';
    DataClassification = CustomerContent;
    fields
    {
        field(1; "Entry No."; Integer) { AutoIncrement = true; }
        field(2; "Customer No."; Code[20]) { TableRelation = Customer."No." where(Blocked = const(" ")); }
        field(3; Points; Decimal) { DecimalPlaces = 0 : 2; BlankZero = true; }
        field(4; Total; Decimal)
        {
            FieldClass = FlowField;
            CalcFormula = sum("Loyalty Entry".Points where("Customer No." = field("Customer No.")));
        }
        field(5; Kind; Option) { OptionMembers = " ",Earn,Burn; }
        field(6; Level; Enum "Loyalty Level") { }
    }
    keys
    {
        key(PK; "Entry No.") { Clustered = true; }
        key(Customer; "Customer No.", Points) { SumIndexFields = Points; }
    }
    fieldgroups { fieldgroup(DropDown; "Entry No.", "Customer No.") { } }

    procedure Recalculate(var Entry: Record "Loyalty Entry" temporary; Factors: array[2] of Decimal; Tags: List of [Text]): Boolean
    begin
    end;

    [IntegrationEvent(false, false)]
    local procedure OnAfterRecalculate(var Handled: Boolean)
    begin
    end;
}

tableextension 50101 "Loyalty Customer" extends Customer
{
    fields
    {
        field(50100; "Loyalty Points"; Decimal) { Caption = 'Points'; }
        modify("Name 2") { Caption = 'Nickname'; }
    }
    keys { key(Points; "Loyalty Points") { } }
    fieldgroups { addlast(DropDown; "Loyalty Points") { } }
}

page 50100 "Loyalty Entries"
{
    PageType = List;
    SourceTable = "Loyalty Entry";
    ApplicationArea = All;
    layout
    {
        area(content)
        {
            repeater(Lines)
            {
                field("Customer No."; Rec."Customer No.") { ApplicationArea = Basic, Suite; }
                field(Points; Rec.Points) { Editable = false; }
            }
            part(Stats; "Loyalty Stats") { SubPageLink = "Customer No." = field("Customer No."); }
        }
    }
    actions
    {
        area(processing)
        {
            action(Recalc) { Caption = 'Recalculate'; RunObject = codeunit "Loyalty Mgt."; }
        }
        area(Promoted) { actionref(Recalc_Promoted; Recalc) { } }
    }
    views { view(Big) { Filters = where(Points = filter(> 100)); } }
}

pageextension 50102 "Loyalty Customer Card" extends "Customer Card"
{
    layout
    {
        addafter(Name) { field("Loyalty Points"; Rec."Loyalty Points") { ApplicationArea = All; } }
        modify("Name 2") { Visible = false; }
        movelast(General; "Phone No.", "E-Mail")
    }
    actions
    {
        addlast(processing) { action(ShowPoints) { Caption = 'Points'; } }
    }
}

codeunit 50103 "Loyalty Mgt." implements ILoyalty
{
    Access = Public;
    var Setup: Record "Loyalty Entry";
    procedure Award(CustomerNo: Code[20]; Points: Decimal) Result: Boolean
    begin
    end;
    [EventSubscriber(ObjectType::Table, Database::Customer, 'OnAfterInsertEvent', '', false, false)]
    local procedure OnCustomerInsert(var Rec: Record Customer)
    begin
    end;
    internal procedure Reset()
    begin
    end;
}

enum 50104 "Loyalty Level" implements ILoyalty
{
    Extensible = true;
    value(0; None) { }
    value(10; Gold) { Caption = 'Gold'; }
}

enumextension 50105 "Loyalty Level Ext" extends "Payment Method Type" { value(50100; Points) { } }

interface ILoyalty
{
    procedure Multiplier(): Decimal;
}

report 50106 "Loyalty Statement"
{
    dataset
    {
        dataitem(Customer; Customer)
        {
            column(No; "No.") { }
            dataitem(Entry; "Loyalty Entry")
            {
                DataItemLink = "Customer No." = field("No.");
                column(Points; Points) { }
            }
        }
    }
    requestpage { layout { area(content) { field(ShowAll; ShowAll) { } } } }
    var ShowAll: Boolean;
}

reportextension 50107 "Statement Ext" extends "Customer - Statement"
{
    dataset
    {
        add(Customer) { column(Tier; "Name 2") { } }
        addlast(Customer) { dataitem(Extra; "Loyalty Entry") { column(ExtraPoints; Points) { } } }
    }
}

query 50108 "Loyalty Totals"
{
    elements
    {
        dataitem(Entry; "Loyalty Entry")
        {
            column(CustomerNo; "Customer No.") { }
            column(Points; Points) { Method = Sum; }
            filter(Kind; Kind) { }
        }
    }
}

xmlport 50109 "Loyalty Export"
{
    schema
    {
        textelement(Root)
        {
            tableelement(Entry; "Loyalty Entry") { fieldattribute(Points; Entry.Points) { } }
        }
    }
}

permissionset 50110 "LOYALTY"
{
    Assignable = true;
    Permissions = tabledata "Loyalty Entry" = RIMD, codeunit 50103 = X, table "Loyalty Entry" = x;
}

permissionsetextension 50111 "LOYALTY EXT" extends "D365 BASIC" { Permissions = report "Loyalty Statement" = X; }

profile "LOYALTY MANAGER" { RoleCenter = "Business Manager Role Center"; Caption = 'Loyalty'; }

controladdin LoyaltyChart
{
    Scripts = 'chart.js';
    event Ready();
    procedure Render(Data: JsonObject);
}
'''


@pytest.fixture(scope="module")
def ir_symbols():
    result = parse_text(SOURCE, path="src/Loyalty.al")
    assert result.diagnostics == []
    return symbols_from_ir(result.objects, source_name=lambda o: "src/Loyalty.al")


def test_ir_tables(ir_symbols):
    table = ir_symbols.tables[0]
    assert (table.id, table.name, table.namespace) == (50100, "Loyalty Entry", "Fabrikam.Loyalty")
    assert table.properties == (Property("Caption", "Loyalty Entry"), Property("DataClassification", "CustomerContent"))
    f = {x.name: x for x in table.fields}
    assert f["Entry No."].properties == (Property("AutoIncrement", "1"),)
    assert f["Customer No."].type == TypeDef("Code[20]")
    assert f["Customer No."].properties == (
        Property("TableRelation", 'Customer."No." where(Blocked = const(" "))'),)
    assert f["Points"].properties == (Property("DecimalPlaces", "0:2"), Property("BlankZero", "1"))
    assert f["Total"].properties[1] == Property(
        "CalcFormula", 'sum("Loyalty Entry".Points where("Customer No." = field("Customer No.")))')
    assert f["Kind"].properties == (Property("OptionMembers", " ,Earn,Burn"),)
    assert f["Level"].type == TypeDef("Enum", Subtype("Loyalty Level"))
    assert table.keys[1] == Key("Customer", ("Customer No.", "Points"), (Property("SumIndexFields", "Points"),))
    assert table.field_groups[0].field_names == ("Entry No.", "Customer No.")
    recalc, event = table.methods
    assert recalc.parameters[0] == Parameter("Entry", TypeDef("Record", Subtype("Loyalty Entry"), temporary=True),
                                             True)
    assert recalc.parameters[1].type == TypeDef("Decimal", array_dimensions=(2,))
    assert recalc.parameters[2].type == TypeDef("List", type_arguments=(TypeDef("Text"),))
    assert recalc.return_type == TypeDef("Boolean")
    assert event.access == "local" and event.attributes == (Attribute("IntegrationEvent", ("false", "false")),)
    assert table.reference_source_file == "src/Loyalty.al"


def test_ir_table_extension(ir_symbols):
    ext = ir_symbols.table_extensions[0]
    assert isinstance(ext, TableExtension) and ext.target == "Customer"
    assert [f.name for f in ext.fields] == ["Loyalty Points"]
    assert ext.field_modifications == (FieldModification("Name 2", 0, (Property("Caption", "Nickname"),)),)
    assert ext.keys[0].name == "Points"
    assert ext.field_group_changes[0].kind == "addlast"
    assert ext.field_group_changes[0].field_names == ("Loyalty Points",)


def test_ir_pages(ir_symbols):
    page = ir_symbols.pages[0]
    assert page.get_property("SourceTable") == "Loyalty Entry"
    assert page.get_property("ApplicationArea") == "#All"
    repeater = page.controls[0].controls[0]
    assert repeater.kind == "repeater"
    customer = repeater.controls[0]
    assert customer.kind == "field"
    assert customer.properties == (Property("SourceExpression", 'Rec."Customer No."'),
                                   Property("ApplicationArea", "#Basic,#Suite"))
    part = page.controls[0].controls[1]
    assert part.kind == "part" and part.properties[0] == Property("PagePartID", "Loyalty Stats")
    assert part.properties[1] == Property("SubPageLink", '"Customer No." = field("Customer No.")')
    recalc = page.actions[0].actions[0]
    assert recalc.properties[1] == Property("RunObject", 'codeunit "Loyalty Mgt."')
    promoted = page.actions[1].actions[0]
    assert promoted.kind == "actionref" and promoted.properties[0] == Property("Action", "Recalc")
    assert page.views[0].name == "Big"
    ext = ir_symbols.page_extensions[0]
    assert ext.target == "Customer Card"
    add, modify, move = ext.control_changes
    assert (add.kind, add.anchor, add.controls[0].name) == ("addafter", "Name", "Loyalty Points")
    assert modify == ControlChange("modify", "Name 2", (), (Property("Visible", "0"),))
    assert move == ControlChange("movelast", "General", targets=("Phone No.", "E-Mail"))
    assert ext.action_changes[0] == ActionChange("addlast", "processing", (
        Action("action", "ShowPoints", ext.action_changes[0].actions[0].id, (Property("Caption", "Points"),)),))


def test_ir_code_objects(ir_symbols):
    cu = ir_symbols.codeunits[0]
    assert isinstance(cu, Codeunit) and cu.implemented_interfaces == ("ILoyalty",)
    assert cu.variables[0].type == TypeDef("Record", Subtype("Loyalty Entry"))
    award, subscriber, reset = cu.methods
    assert award.parameters == (Parameter("CustomerNo", TypeDef("Code[20]")), Parameter("Points", TypeDef("Decimal")))
    assert subscriber.attributes[0] == Attribute("EventSubscriber", (
        "ObjectType::Table", "Database::Customer", "'OnAfterInsertEvent'", "''", "false", "false"))
    assert (award.access, subscriber.access, reset.access) == ("public", "local", "internal")
    assert award.id != subscriber.id
    interface = ir_symbols.interfaces[0]
    assert interface.id is None and interface.methods[0].return_type == TypeDef("Decimal")
    addin = ir_symbols.control_add_ins[0]
    assert [e.name for e in addin.events] == ["Ready"] and addin.methods[0].name == "Render"
    assert addin.get_property("Scripts") == "chart.js"


def test_ir_enums_permissions_profiles(ir_symbols):
    enum = ir_symbols.enum_types[0]
    assert isinstance(enum, Enum) and enum.values[1] == EnumValue("Gold", 10, (Property("Caption", "Gold"),))
    assert ir_symbols.enum_extension_types[0].values == (EnumValue("Points", 50100),)
    ps = ir_symbols.permission_sets[0]
    assert ps.permissions == (Permission("tabledata", 0, "Loyalty Entry", rights_to_value("RIMD")),
                              Permission("codeunit", 50103, "", 16), Permission("table", 0, "Loyalty Entry", 512))
    assert ps.properties == (Property("Assignable", "1"),)
    assert ir_symbols.permission_set_extensions[0].permissions[0].object_type == "report"
    assert ir_symbols.profiles[0].get_property("RoleCenter") == "Business Manager Role Center"


def test_ir_reports_queries_xmlports(ir_symbols):
    report = ir_symbols.reports[0]
    customer = report.data_items[0]
    assert (customer.name, customer.related_table) == ("Customer", "Customer")
    assert customer.columns[0].source_expression == '"No."'
    assert customer.data_items[0].properties == (Property("DataItemLink", '"Customer No." = field("No.")'),)
    assert report.request_page.controls[0].controls[0].name == "ShowAll"
    ext = ir_symbols.report_extensions[0]
    assert ext.target == "Customer - Statement"
    assert (ext.columns[0].name, ext.columns[0].owning_data_item) == ("Tier", "Customer")
    assert ext.data_items[0].name == "Extra" and ext.data_items[0].columns[0].name == "ExtraPoints"
    query = ir_symbols.queries[0].elements[0]
    assert [c.source_column for c in query.columns] == ["Customer No.", "Points"]
    assert query.filters[0].name == "Kind"
    root = ir_symbols.xml_ports[0].schema[0]
    assert (root.kind, root.children[0].kind, root.children[0].expression) == (
        "textelement", "tableelement", '"Loyalty Entry"')
    assert root.children[0].children[0].expression == "Entry.Points"


def test_ir_symbols_round_trip_through_json(ir_symbols):
    data = write_symbols(ir_symbols)
    assert read_symbols(data) == ir_symbols
    kinds = sorted({o.kind for o in ir_symbols.objects()})
    assert kinds == sorted(["table", "tableextension", "page", "pageextension", "codeunit", "enum", "enumextension",
                            "interface", "report", "reportextension", "query", "xmlport", "permissionset",
                            "permissionsetextension", "profile", "controladdin"])


def test_identity_from_app_manifest():
    from alc.appmodel import AppManifest, Version
    app = AppManifest("0f3b2c1a-0000-4000-8000-000000000001", "A", "P", Version(1, 2, 3, 4))
    ref = symbols_from_ir([], app, runtime_version="13.0")
    assert (ref.app_id, ref.name, ref.publisher, ref.version, ref.runtime_version) == (
        app.id, "A", "P", "1.2.3.4", "13.0")


def test_method_model_defaults():
    assert Method("M").access == "public" and Method("M").attribute("x") is None
    assert Control("field", "F").type is None


def test_values_of_any_type_anywhere_give_a_model_or_alc0430():
    """Seeded structural damage: any value replaced by any JSON type."""
    import copy
    import random
    from alc.package.symbols_json import symbols_to_json
    rng = random.Random(7)
    docs = [OLD, NEW, symbols_to_json(symbols_from_ir(parse_text(SOURCE).objects))]
    values = [None, True, 0, -1, 2 ** 40, 1.5, "", "x", "#12", [], [1], {}, {"a": 1}]

    def slots(x, acc):
        items = x.items() if isinstance(x, dict) else enumerate(x) if isinstance(x, list) else ()
        for k, v in items:
            acc.append((x, k))
            slots(v, acc)
        return acc

    for _ in range(200):
        doc = copy.deepcopy(rng.choice(docs))
        targets = slots(doc, [])
        for _ in range(rng.randint(1, 3)):
            parent, key = rng.choice(targets)
            parent[key] = copy.deepcopy(rng.choice(values))
        try:
            ref = read_symbols(as_file(doc))
        except PackageError as exc:
            assert exc.code == "ALC0430"
            continue
        assert read_symbols(write_symbols(ref)) == ref
