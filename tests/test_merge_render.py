"""`render_merged` and `merged_json`: merged objects with the app behind each part."""

import json

import pytest

from alc import parse_text
from alc.merge import App, merge, merged_json, render_merged
from mergekit import base_app, make_app

BASE = base_app()
PAGE_EXT = make_app("Loyalty", """pageextension 50100 L extends "Customer Card" {
    Caption = 'Client Card';
    layout { addafter(Name) { group(Points) { field(Balance; Rec.Name) { } } } modify(City) { Visible = false; }
             movefirst(General; Address) }
    actions { addlast(Processing) { action(Reward) { Caption = 'Reward'; trigger OnAction() begin end; } } }
    trigger OnOpenPage() begin Message('hi'); end; }""", deps=(BASE,))
TABLE_EXT = make_app("Loyalty", """tableextension 50100 L extends Customer {
    fields { field(50100; Points; Integer) { Caption = 'Points'; } modify(Name) { Caption = 'Full Name'; } }
    keys { key(ByPoints; Points) { } } }
enumextension 50100 L extends "Customer Type" { value(50100; Partner) { Caption = 'Partner'; } }
reportextension 50100 L extends "Customer Report" {
    dataset { add(Customer) { column(Points; Points) { } } }
    requestpage { layout { addlast(Content) { field(ShowPoints; ShowPoints) { } } } } }
permissionsetextension 50100 L extends "Cust Basic" { Permissions = tabledata Customer = M; }""", deps=(BASE,))


@pytest.fixture(scope="module")
def result():
    loyalty = App(PAGE_EXT.manifest, PAGE_EXT.objects + TABLE_EXT.objects)
    merged = merge([BASE, loyalty])
    assert merged.ok, [c.message for c in merged.conflicts]
    return merged


def test_page_shows_origins_moves_and_modified_properties(result):
    text = render_merged(result.find("page", 21), result.provenance)
    lines = text.splitlines()
    assert lines[0] == 'page 21 "Customer Card" // from Base Application'
    assert "    Caption = 'Client Card'; // from Loyalty" in lines
    assert "                field(Address; Rec.Address) // from Base Application, moved by Loyalty" in lines
    assert "                group(Points) // from Loyalty" in lines
    assert "                    field(Balance; Rec.Name) { } // from Loyalty" in lines
    assert "                    Visible = false; // from Loyalty" in lines
    assert "                    ApplicationArea = All;" in lines                # the base's own: no comment
    assert "            action(Reward) // from Loyalty" in lines
    assert lines[lines.index("    // from Loyalty") + 1] == "    trigger OnOpenPage()"


@pytest.mark.parametrize("kind, ident", [("page", 21), ("table", 18), ("enum", 50000), ("report", 101),
                                         ("permissionset", 1000), ("page", 22)])
def test_rendered_text_parses_back_to_the_merged_object(result, kind, ident):
    merged = result.find(kind, ident)
    parsed = parse_text(render_merged(merged, result.provenance))
    assert parsed.diagnostics == []
    (obj,) = parsed.unit.objects
    assert obj == merged


def test_table_enum_report_and_permissionset(result):
    table = render_merged(result.find("table", 18), result.provenance)
    assert "        field(50100; Points; Integer) // from Loyalty" in table
    assert "            Caption = 'Full Name'; // from Loyalty" in table
    assert "        key(ByPoints; Points) { } // from Loyalty" in table
    enum = render_merged(result.find("enum", 50000), result.provenance)
    assert "    value(50100; Partner) // from Loyalty" in enum
    report = render_merged(result.find("report", 101), result.provenance)
    assert "            column(Points; Points) { } // from Loyalty" in report
    assert "                field(ShowPoints; ShowPoints) { } // from Loyalty" in report
    perms = render_merged(result.find("permissionset", 1000), result.provenance)
    assert "    Permissions = tabledata Customer = RM; // from Loyalty" in perms


def test_unmerged_kinds_get_an_owner_comment():
    result = merge([make_app("Tools", "codeunit 50100 Helper { procedure Run() begin end; }")])
    assert render_merged(result.objects[0], result.provenance).splitlines()[0] == "codeunit 50100 Helper // from Tools"


def test_json_carries_provenance(result):
    data = merged_json(result.find("page", 21), result.provenance)
    json.dumps(data)                                        # JSON-ready
    assert data["from"]["name"] == "Base Application"
    general = data["layout"][0]["controls"][0]
    address = general["controls"][0]
    assert address["name"] == "Address" and address["moved_by"]["name"] == "Loyalty"
    points = general["controls"][3]
    assert points["name"] == "Points" and points["from"]["name"] == "Loyalty"
    assert points["controls"][0]["from"]["name"] == "Loyalty"
    assert data["properties"][-1] == {**data["properties"][-1], "name": "Caption", "from": data["properties"][-1]["from"]}
    assert data["properties"][-1]["from"]["name"] == "Loyalty"
    assert data["triggers"][-1]["from"]["name"] == "Loyalty" and "from" not in data["triggers"][0]
