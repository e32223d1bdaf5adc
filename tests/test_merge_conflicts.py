"""One scenario per conflict kind, with small AL apps, and the non-conflicts
next to them (same value, layering, triggers, different objects)."""

import zlib

import pytest

from alc.diagnostics import CODES
from alc.merge import KIND_CODES, merge
from mergekit import base_app, flat, kinds, make_app, names

BASE = base_app()


def oid(name):
    return 50100 + zlib.crc32(name.encode()) % 899


def page_ext(name, body, deps=(BASE,), ident=""):
    return make_app(name, f'pageextension {oid(name)} "{name} Card" extends "Customer Card" {{ {body} }}',
                    deps=deps, ident=ident)


def table_ext(name, body, deps=(BASE,), ident=""):
    return make_app(name, f'tableextension {oid(name)} "{name} Cust" extends Customer {{ {body} }}',
                    deps=deps, ident=ident)


def enum_ext(name, body, deps=(BASE,)):
    return make_app(name, f'enumextension {oid(name)} "{name} Type" extends "Customer Type" {{ {body} }}',
                    deps=deps)


def control(result, name, page=21):
    def find(controls):
        for c in controls:
            if c.name == name:
                return c
            hit = find(c.controls)
            if hit is not None:
                return hit
        return None
    return find(result.find("page", page).layout)


def prop(node, name):
    return next(p.value.items[0] for p in node.properties if p.name == name)


# ------------------------------------------------------------------ property --

VISIBLE_FALSE = "layout { modify(Name) { Visible = false; } }"
VISIBLE_TRUE = "layout { modify(Name) { Visible = true; } }"


def test_property_conflict_strict():
    a, b = page_ext("Alpha", VISIBLE_FALSE), page_ext("Beta", VISIBLE_TRUE)
    result = merge([BASE, a, b])
    assert kinds(result) == ["property"]
    c = result.conflicts[0]
    assert (c.code, c.object.type, c.object.id, c.element, c.property) == ("ALC0301", "page", 21, "Name", "Visible")
    assert {x.name for x in c.apps} == {"Alpha", "Beta"}
    assert sorted(c.values) == ["false", "true"]
    assert "`Visible` of control `Name` of page 21 `Customer Card`" in c.message
    assert not result.ok and result.warnings == ()


def test_property_conflict_last_wins_is_a_warning_naming_both_apps_and_values():
    a, b = page_ext("Alpha", VISIBLE_FALSE), page_ext("Beta", VISIBLE_TRUE)
    result = merge([BASE, a, b], policy="last-wins")
    assert result.ok and len(result.warnings) == 1
    w = result.warnings[0]
    last = result.order[-1]
    assert w.apps[1].id == last                      # the winner is the app applied last
    loser, winner = w.apps
    assert loser.name in w.message and winner.name in w.message
    assert all(v in w.message for v in w.values)
    expected = "true" if last == b.id else "false"
    assert prop(control(result, "Name"), "Visible").value == (expected == "true")
    assert result.provenance.property(result.find("page", 21), "control", "Name", "Visible").id == last


def test_property_same_value_is_no_conflict():
    result = merge([BASE, page_ext("Alpha", VISIBLE_FALSE), page_ext("Beta", VISIBLE_FALSE)])
    assert result.conflicts == () and result.warnings == ()


def test_property_identifier_case_is_not_a_difference():
    a = page_ext("Alpha", "layout { modify(Name) { ApplicationArea = All; } }")
    b = page_ext("Beta", "layout { modify(Name) { applicationarea = all; } }")
    assert merge([BASE, a, b]).conflicts == ()


@pytest.mark.parametrize("policy", ["strict", "last-wins"])
def test_property_layering_the_dependent_wins(policy):
    a = page_ext("Alpha", VISIBLE_FALSE)
    b = page_ext("Beta", VISIBLE_TRUE, deps=(BASE, a), ident="00000000-0000-0000-0000-000000000001")
    result = merge([BASE, a, b], policy=policy)     # b sorts first by id, but depends on a
    assert result.conflicts == () and result.warnings == ()
    assert result.order.index(a.id) < result.order.index(b.id)
    assert prop(control(result, "Name"), "Visible").value is True
    assert result.provenance.property(result.find("page", 21), "control", "name", "visible").name == "Beta"


def test_property_layering_is_transitive():
    a = page_ext("Alpha", VISIBLE_FALSE)
    mid = make_app("Middle", "codeunit 50900 Mid { }", deps=(BASE, a))
    c = page_ext("Gamma", VISIBLE_TRUE, deps=(BASE, mid))
    result = merge([BASE, a, mid, c])
    assert result.conflicts == ()
    assert prop(control(result, "Name"), "Visible").value is True


def test_property_a_common_dependent_settles_a_conflict():
    a, b = page_ext("Alpha", VISIBLE_FALSE), page_ext("Beta", VISIBLE_TRUE)
    c = page_ext("Gamma", VISIBLE_FALSE, deps=(BASE, a, b))
    assert merge([BASE, a, b, c]).conflicts == ()


def test_property_conflict_on_table_field_and_object():
    a = table_ext("Alpha", "Caption = 'A'; fields { modify(Name) { Caption = 'Full Name'; } }")
    b = table_ext("Beta", "Caption = 'B'; fields { modify(Name) { Caption = 'Customer Name'; } }")
    result = merge([BASE, a, b])
    assert {(c.element, c.property) for c in result.conflicts} == {("Name", "Caption"), (None, "Caption")}


def test_property_conflict_on_action():
    a = page_ext("Alpha", "actions { modify(Post) { Visible = false; } }")
    b = page_ext("Beta", "actions { modify(Post) { Visible = true; } }")
    (c,) = merge([BASE, a, b]).conflicts
    assert (c.kind, c.element) == ("property", "Post")
    assert "action `Post`" in c.message


# ------------------------------------------------------------ not conflicts --

def test_triggers_on_the_same_field_both_run():
    a = table_ext("Alpha", "fields { modify(Name) { trigger OnAfterValidate() begin end; } }")
    b = table_ext("Beta", "fields { modify(Name) { trigger OnAfterValidate() begin Message('b'); end; } }")
    result = merge([BASE, a, b])
    assert result.conflicts == () and result.warnings == ()
    field = result.find("table", 18).fields[1]
    assert [t.name for t in field.triggers] == ["OnValidate", "OnAfterValidate", "OnAfterValidate"]
    added = result.provenance.added_triggers(result.find("table", 18), "field", "Name")
    assert [x.id for x in added] == [x for x in result.order if x in (a.id, b.id)]


def test_object_triggers_add_to_the_base_trigger():
    a = page_ext("Alpha", "trigger OnOpenPage() begin end;")
    b = page_ext("Beta", "trigger OnOpenPage() begin end;")
    result = merge([BASE, a, b])
    assert result.conflicts == ()
    assert [t.name for t in result.find("page", 21).triggers] == ["OnOpenPage"] * 3


def test_extensions_of_different_objects_do_not_conflict():
    a = page_ext("Alpha", VISIBLE_FALSE)
    b = make_app("Beta", 'pageextension 50200 B extends "Customer List" { layout { modify("No.") { Visible = true; } } }',
                 deps=(BASE,))
    assert merge([BASE, a, b]).conflicts == ()


def test_different_properties_of_one_element_do_not_conflict():
    a = page_ext("Alpha", VISIBLE_FALSE)
    b = page_ext("Beta", "layout { modify(Name) { Editable = false; } }")
    result = merge([BASE, a, b])
    assert result.conflicts == ()
    assert {p.name for p in control(result, "Name").properties} == {"ApplicationArea", "Visible", "Editable"}


# --------------------------------------------------------------- duplicates --

def test_duplicate_field_id():
    a = table_ext("Alpha", "fields { field(50100; Loyalty; Integer) { } }")
    b = table_ext("Beta", "fields { field(50100; Points; Integer) { } }")
    result = merge([BASE, a, b])
    assert kinds(result) == ["duplicate-field-id"]
    c = result.conflicts[0]
    assert c.code == "ALC0302" and c.values == ("50100",) and {x.name for x in c.apps} == {"Alpha", "Beta"}
    assert len([f for f in result.find("table", 18).fields if f.id == 50100]) == 1


def test_duplicate_field_id_with_the_base():
    (c,) = merge([BASE, table_ext("Alpha", "fields { field(2; Nickname; Text[30]) { } }")]).conflicts
    assert c.kind == "duplicate-field-id"
    assert [x.name for x in c.apps] == ["Base Application", "Alpha"]


def test_duplicate_field_name():
    a = table_ext("Alpha", "fields { field(50100; Loyalty; Integer) { } }")
    b = table_ext("Beta", "fields { field(50200; LOYALTY; Decimal) { } }")
    result = merge([BASE, a, b])
    assert kinds(result) == ["duplicate-field-name"] and result.conflicts[0].code == "ALC0303"
    assert names(result.find("table", 18).fields).count("Loyalty") + names(
        result.find("table", 18).fields).count("LOYALTY") == 1


def test_duplicate_control():
    a = page_ext("Alpha", "layout { addlast(General) { field(Loyalty; Rec.Name) { } } }")
    b = page_ext("Beta", "layout { addfirst(Details) { field(Loyalty; Rec.City) { } } }")
    result = merge([BASE, a, b])
    assert kinds(result) == ["duplicate-control"] and result.conflicts[0].code == "ALC0304"
    assert flat(result.find("page", 21).layout).count("Loyalty") == 1


def test_duplicate_action_and_nested_control():
    a = page_ext("Alpha", "actions { addlast(Processing) { action(Export) { } } }")
    b = page_ext("Beta", "actions { addfirst(Processing) { action(Export) { } } } "
                         "layout { addlast(Content) { group(Extra) { field(City; Rec.City) { } } } }")
    result = merge([BASE, a, b])
    assert {(c.kind, c.element) for c in result.conflicts} == {("duplicate-control", "Export"),
                                                               ("duplicate-control", "City")}
    assert "Extra" not in flat(result.find("page", 21).layout)     # a member with a taken name is not added


def test_duplicate_enum_value_ordinal_and_name():
    a = enum_ext("Alpha", "value(50100; Partner) { }")
    b = enum_ext("Beta", "value(50100; Reseller) { } value(50101; partner) { }")
    result = merge([BASE, a, b])
    assert kinds(result) == ["duplicate-enum-value", "duplicate-enum-value"]
    assert {c.values for c in result.conflicts} == {("50100",), ("partner",)}
    assert all(c.code == "ALC0305" for c in result.conflicts)


def test_key_names_are_per_app():
    # Microsoft's Field Service Integration adds `Key1` and `Key2` to a Base
    # Application table that has its own `Key1` and `Key2`: both keys exist.
    a = table_ext("Alpha", "keys { key(Extra; City) { } }")
    b = table_ext("Beta", "keys { key(Extra; Name) { } }")
    result = merge([BASE, a, b])
    assert result.conflicts == ()
    assert [k.name for k in result.find("table", 18).keys].count("Extra") == 2


# --------------------------------------------------------------------- move --

def test_move_conflict():
    a = page_ext("Alpha", "layout { movefirst(General; Address) }")
    b = page_ext("Beta", "layout { moveafter(City; Address) }")
    result = merge([BASE, a, b])
    assert kinds(result) == ["move"]
    c = result.conflicts[0]
    assert c.code == "ALC0306" and c.element == "Address"
    assert sorted(c.values) == ["moveafter(City)", "movefirst(General)"]


def test_move_to_the_same_place_or_by_a_dependent_is_no_conflict():
    a = page_ext("Alpha", "layout { movefirst(General; Address) }")
    b = page_ext("Beta", "layout { movefirst(General; Address) }")
    assert merge([BASE, a, b]).conflicts == ()
    c = page_ext("Gamma", "layout { moveafter(City; Address) }", deps=(BASE, a))
    result = merge([BASE, a, c])
    assert result.conflicts == ()
    assert flat(result.find("page", 21).layout) == ["Content", "General", "No.", "Name", "Details", "City", "Address"]


def test_move_conflict_last_wins_warns():
    a = page_ext("Alpha", "actions { movefirst(Processing; Print) }")
    b = page_ext("Beta", "actions { movelast(Processing; Post) movefirst(Processing; Post) }")
    result = merge([BASE, a, b], policy="last-wins")
    assert result.conflicts == () and result.warnings == ()    # different actions moved: no conflict


# ---------------------------------------------------------- missing anchor --

def test_missing_anchor_add_goes_to_a_default_location():
    a = page_ext("Alpha", "layout { addafter(Loyalty) { field(Points; Rec.Name) { } } }")
    result = merge([BASE, a])
    assert kinds(result) == ["missing-anchor"]
    c = result.conflicts[0]
    assert (c.code, c.element, c.values) == ("ALC0307", "Loyalty", ("Loyalty",))
    assert flat(result.find("page", 21).layout)[-1] == "Points"       # end of the first area (AL1417)


def test_missing_anchor_when_the_app_that_adds_it_is_absent():
    adds = page_ext("Alpha", "layout { addlast(General) { field(Loyalty; Rec.Name) { } } }")
    uses = page_ext("Beta", "layout { moveafter(Loyalty; City) modify(Loyalty) { Visible = false; } }", deps=(BASE, adds))
    assert merge([BASE, adds, uses]).conflicts == ()
    result = merge([BASE, uses])
    assert kinds(result) == ["missing-dependency", "missing-anchor", "missing-anchor"]
    assert flat(result.find("page", 21).layout) == flat(BASE.objects[1].layout)     # the move is ignored (AL1416)


def test_missing_anchor_for_table_field_modify():
    (c,) = merge([BASE, table_ext("Alpha", "fields { modify(Loyalty) { Caption = 'x'; } }")]).conflicts
    assert (c.kind, c.element) == ("missing-anchor", "Loyalty")


# ------------------------------------------------------------------ objects --

def test_object_id_and_name():
    a = make_app("Alpha", "table 50100 Loyalty { fields { field(1; Id; Integer) { } } }")
    b = make_app("Beta", "table 50100 Points { }  codeunit 50100 Loyalty { }  table 50101 LOYALTY { }")
    result = merge([a, b])
    assert kinds(result) == ["object-id", "object-name"]
    ident, name = result.conflicts
    assert (ident.code, ident.object.id, ident.values) == ("ALC0308", 50100, ("50100",))
    assert (name.code, name.values) == ("ALC0309", ("LOYALTY",))
    assert [(o.kind, o.id) for o in result.objects] == [("table", 50100), ("codeunit", 50100)]


def test_missing_target_without_the_platform_app_is_a_warning():
    # Vendor may be a platform object when the platform's System app is not in the set.
    result = merge([BASE, make_app("Alpha", "tableextension 50100 V extends Vendor { }", deps=(BASE,))])
    assert result.conflicts == ()
    (c,) = result.warnings
    assert (c.kind, c.code, c.object.type, c.object.name, c.object.id) == ("missing-target", "ALC0310", "table",
                                                                          "Vendor", None)
    assert "platform" in c.message


def test_missing_target_with_the_platform_app_is_a_conflict():
    from alc.merge import App
    from alc.merge.apply import PLATFORM_ID
    from alc.appmodel import AppManifest, Version
    system = App(AppManifest(PLATFORM_ID, "System", "Microsoft", Version(29, 0, 0, 0)), ())
    result = merge([BASE, system, make_app("Alpha", "tableextension 50100 V extends Vendor { }", deps=(BASE,))])
    (c,) = result.conflicts
    assert (c.kind, c.code, c.object.name) == ("missing-target", "ALC0310", "Vendor")


def test_moved_out_stubs_declare_nothing():
    old = make_app("Old", """table 50100 Moving { ObsoleteState = Moved; MovedTo = 'x';
        fields { field(1; A; Integer) { } } }""")
    new = make_app("New", "table 50100 Moving { fields { field(1; A; Integer) { } } }")
    result = merge([old, new])
    assert result.conflicts == ()
    assert len(result.find("table", 50100).fields) == 1


def test_entitlements_are_not_unique_objects():
    a = make_app("A", "entitlement Shared { Type = Implicit; }")
    b = make_app("B", "entitlement Shared { Type = Implicit; }")
    assert merge([a, b]).conflicts == ()


# ------------------------------------------------------------ dependencies --

def test_missing_dependency():
    a = page_ext("Alpha", VISIBLE_FALSE)
    (c,) = merge([a]).conflicts[:1]
    assert (c.kind, c.code) == ("missing-dependency", "ALC0311")
    assert [x.name for x in c.apps] == ["Alpha", "Base Application"]


def test_dependency_version():
    a = page_ext("Alpha", VISIBLE_FALSE, deps=((BASE, "2.0.0.0"),))
    (c,) = merge([BASE, a]).conflicts
    assert (c.kind, c.code, c.values) == ("dependency-version", "ALC0312", ("2.0.0.0", "1.0.0.0"))


def test_dependency_cycle_is_reported_and_still_ordered():
    a = make_app("A", "codeunit 50100 A { }", ident="00000000-0000-0000-0000-00000000000a")
    b = make_app("B", "codeunit 50101 B { }", deps=(a,), ident="00000000-0000-0000-0000-00000000000b")
    a = make_app("A", "codeunit 50100 A { }", deps=(b,), ident="00000000-0000-0000-0000-00000000000a")
    result = merge([b, a])
    (c,) = result.conflicts
    assert (c.kind, c.code, c.message) == ("dependency-cycle", "ALC0313", "dependency cycle: `A` --> `B` --> `A`")
    assert result.order == (a.id, b.id)


def test_duplicate_app_keeps_the_higher_version():
    old, new = base_app("1.0.0.0"), base_app("2.0.0.0")
    result = merge([new, old])
    assert kinds(result) == ["duplicate-app"] and result.apps[0].version == "2.0.0.0"


# -------------------------------------------------------------------- codes --

def test_every_kind_has_a_registered_code():
    for kind, code in KIND_CODES.items():
        assert code in CODES and code.startswith("ALC03"), kind
        assert CODES[code].explanation
    assert len(set(KIND_CODES.values())) == len(KIND_CODES)


def test_conflicts_as_json_and_diagnostics():
    result = merge([BASE, page_ext("Alpha", VISIBLE_FALSE), page_ext("Beta", VISIBLE_TRUE)])
    data = result.to_dict()
    assert list(data) == ["apps", "order", "conflicts", "warnings"]
    (c,) = data["conflicts"]
    assert list(c) == ["code", "kind", "object", "element", "property", "apps", "values", "message", "locations"]
    assert [loc["file"].split("/")[0] for loc in c["locations"]] == ["Alpha", "Beta"]  # one per side
    assert c["object"] == {"type": "page", "id": 21, "name": "Customer Card"}
    assert list(c["apps"][0]) == ["id", "name", "publisher", "version"]
    (d,) = result.diagnostics()
    assert d.code == "ALC0301" and d.is_error
    assert d.span is not None and d.span.file.startswith(("Alpha", "Beta"))    # spans point at the modify
    assert len(d.labels) == 1
