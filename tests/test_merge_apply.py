"""What each kind of delta does to the merged objects, and provenance."""

import attrs

from alc.ir import nodes as ir
from alc.ir.serialize import from_json, to_json
from alc.merge import App, app_deltas, build_graph, merge
from mergekit import BASE_AL, base_app, flat, make_app, names

BASE = base_app()


def only(text, deps=(BASE,), name="Ext"):
    result = merge([BASE, make_app(name, text, deps=deps)])
    assert result.conflicts == (), [c.message for c in result.conflicts]
    return result


def layout(result, page=21):
    return flat(result.find("page", page).layout)


def actions(result, page=21):
    return flat(result.find("page", page).actions)


# ----------------------------------------------------------------- tables --

def test_tableextension_adds_fields_keys_and_fieldgroup_members():
    result = only("""tableextension 50100 X extends Customer {
        fields { field(50100; Loyalty; Integer) { } field(50101; Tier; Code[10]) { } }
        keys { key(ByLoyalty; Loyalty, "No.") { } }
        fieldgroups { addlast(DropDown; Loyalty) addlast(Brick; "No.", Tier) } }""")
    table = result.find("table", 18)
    assert names(table.fields) == ["No.", "Name", "Address", "City", "Loyalty", "Tier"]
    assert names(table.keys) == ["PK", "ByLoyalty"]
    assert [(g.name, g.fields) for g in table.fieldgroups] == [("DropDown", ("No.", "Name", "Loyalty")),
                                                               ("Brick", ("No.", "Tier"))]


def test_extensions_name_their_target_by_id():
    """`extends 18` merges into table 18 like `extends Customer`, in source order with it."""
    result = only("""tableextension 50100 X extends 18 { fields { field(50100; Loyalty; Integer) { } } }
        tableextension 50101 Y extends Customer { fields { field(50101; Tier; Code[10]) { } } }
        pageextension 50100 Z extends 21 { layout { addafter(Name) { field(Loyalty; Rec.Loyalty) { } } } }""")
    assert names(result.find("table", 18).fields) == ["No.", "Name", "Address", "City", "Loyalty", "Tier"]
    assert layout(result) == ["Content", "General", "No.", "Name", "Loyalty", "Address", "Details", "City"]


def test_an_extension_of_an_id_nobody_declares_is_a_missing_target():
    """(A warning without the platform app in the set: the target may be a platform object.)"""
    result = merge([BASE, make_app("Ext", "tableextension 50100 X extends 99 { }", deps=(BASE,))])
    assert [(c.kind, c.values) for c in result.warnings] == [("missing-target", ("99",))]


def test_tableextension_declares_a_new_fieldgroup():
    ext = make_app("Ext", "tableextension 50100 X extends Customer { fields { field(50100; Loyalty; Integer) { } } }",
                   deps=(BASE,))
    group = ir.FieldGroup("Brick", ("No.", "Loyalty"))
    ext = App(ext.manifest, (attrs.evolve(ext.objects[0], fieldgroups=(group,)),))
    result = merge([BASE, ext])
    assert result.conflicts == ()
    assert [(g.name, g.fields) for g in result.find("table", 18).fieldgroups][-1] == ("Brick", ("No.", "Loyalty"))


def test_tableextension_modifies_field_properties():
    result = only("tableextension 50100 X extends Customer { fields { modify(City) { Caption = 'Town'; "
                  "ToolTip = 'Where'; } } }")
    city = result.find("table", 18).fields[3]
    assert [(p.name, p.value.items[0].value) for p in city.properties] == [("Caption", "Town"), ("ToolTip", "Where")]


def test_untouched_objects_keep_their_identity():
    result = only("tableextension 50100 X extends Customer { fields { field(50100; Loyalty; Integer) { } } }")
    base = {(o.kind, o.id): o for o in BASE.objects}
    assert result.find("page", 21) is base[("page", 21)]
    assert result.find("table", 18).fields[0] is base[("table", 18)].fields[0]


# ------------------------------------------------------------------ pages --

def test_pageextension_add_operations():
    result = only("""pageextension 50100 X extends "Customer Card" { layout {
        addfirst(General) { field(A1; Rec.Name) { } field(A2; Rec.Name) { } }
        addlast(General) { field(Z1; Rec.Name) { } field(Z2; Rec.Name) { } }
        addafter(Name) { field(N1; Rec.Name) { } field(N2; Rec.Name) { } }
        addbefore(Name) { field(B1; Rec.Name) { } field(B2; Rec.Name) { } }
        addlast(Content) { group(Extra) { field(E1; Rec.Name) { } } }
        addfirst(Extra) { field(E0; Rec.Name) { } } } }""")
    assert layout(result) == ["Content", "General", "A1", "A2", "No.", "B1", "B2", "Name", "N1", "N2", "Address",
                              "Z1", "Z2", "Details", "City", "Extra", "E0", "E1"]


def test_pageextension_views():
    result = only("""pageextension 50100 X extends "Customer List" {
        views { addfirst { view(Mine) { } } addlast { view(Last) { } } addafter(All) { view(AfterAll) { } } } }""")
    assert names(result.find("page", 22).views) == ["Mine", "All", "AfterAll", "Last"]


def test_a_standard_area_the_page_lacks_is_created():
    # Every page can take actions in the standard areas, declared or not (as Business Central does).
    result = merge([BASE, make_app("Ext", """pageextension 50100 X extends "Customer List" {
        actions { addfirst(Processing) { action(Go) { } } } }""", deps=(BASE,))])
    assert result.conflicts == ()
    assert actions(result, 22) == ["Processing", "Go"]


def test_promoted_category_groups_exist_on_every_page():
    result = merge([BASE, make_app("Ext", """pageextension 50100 X extends "Customer List" {
        actions { addlast(Category_Process) { actionref(GoRef; Go) { } } } }""", deps=(BASE,))])
    assert result.conflicts == ()
    assert actions(result, 22) == ["Promoted", "Category_Process", "GoRef"]


def test_an_unknown_area_is_still_a_missing_anchor():
    result = merge([BASE, make_app("Ext", """pageextension 50100 X extends "Customer List" {
        actions { addfirst(Elsewhere) { action(Go) { } } } }""", deps=(BASE,))])
    assert [c.kind for c in result.conflicts] == ["missing-anchor"]
    assert actions(result, 22) == ["Go"]


def test_pageextension_actions_addafter_group_and_modify():
    result = only("""pageextension 50100 X extends "Customer Card" { actions {
        addafter(Post) { group(More) { action(Archive) { } } }
        addbefore(Post) { action(Check) { } }
        modify(Print) { Caption = 'Print It'; } } }""")
    assert actions(result) == ["Processing", "Check", "Post", "More", "Archive", "Print"]
    assert result.find("page", 21).actions[0].actions[-1].properties[0].value.items[0].value == "Print It"


def test_pageextension_moves():
    result = only("""pageextension 50100 X extends "Customer Card" { layout {
        movelast(Details; "No.", Name)
        movebefore(City; Address)
        movefirst(Content; Details) }
        actions { moveafter(Print; Post) } }""")
    assert layout(result) == ["Content", "Details", "Address", "City", "No.", "Name", "General"]
    assert actions(result) == ["Processing", "Print", "Post"]
    page = result.find("page", 21)
    assert result.provenance.moved_by(page, "control", "Name").name == "Ext"
    assert result.provenance.element(page, "control", "Name").name == "Base Application"


def test_pageextension_modifies_object_properties_and_adds_triggers():
    result = only("""pageextension 50100 X extends "Customer Card" { Caption = 'Client';
        layout { modify(Name) { trigger OnAfterValidate() begin end; } } }""")
    page = result.find("page", 21)
    assert page.get_property("Caption").value.items[0].value == "Client"
    assert result.provenance.property(page, "object", None, "caption").name == "Ext"
    name = page.layout[0].controls[0].controls[1]
    assert [t.name for t in name.triggers] == ["OnAfterValidate"]


# ------------------------------------------------------ enums, reports, sets --

def test_enum_values_follow_dependency_order():
    first = make_app("Zeta", "enumextension 50100 Z extends \"Customer Type\" { value(50100; Partner) { } }",
                     deps=(BASE,))
    second = make_app("Alpha", "enumextension 50200 A extends \"Customer Type\" { value(50200; Reseller) { } }",
                      deps=(BASE, first))
    result = merge([second, BASE, first])
    assert result.conflicts == ()
    assert names(result.find("enum", 50000).values) == ["Person", "Company", "Partner", "Reseller"]
    assert [a.name for a in result.apps] == ["Base Application", "Zeta", "Alpha"]


def test_reportextension_adds_columns_and_dataitems():
    result = only("""reportextension 50100 X extends "Customer Report" { dataset {
        add(Customer) { column(CustName; Name) { } }
        addlast(Customer) { dataitem(Ledger; "Cust. Ledger Entry") { column(Amount; Amount) { } } } }
        rendering { layout(Extended) { Type = RDLC; } } }""")
    report = result.find("report", 101)
    customer = report.dataset[0]
    assert names(customer.children) == ["No", "CustName", "Ledger"]
    assert names(customer.children[2].children) == ["Amount"]
    assert names(report.rendering) == ["Extended"]
    assert result.provenance.element(report, "dataset", "amount").name == "Ext"


def test_permissionsetextension_adds_permissions():
    result = only("""permissionsetextension 50100 X extends "Cust Basic" {
        Permissions = tabledata Customer = RM, table Customer = X; }""")
    perms = result.find("permissionset", 1000).get_property("Permissions").value.permissions
    assert [(p.kind, p.target, p.rights) for p in perms] == [("tabledata", "Customer", "RM"), ("table", "Customer", "X")]


# ---------------------------------------------------------------- results --

def test_result_objects_and_order():
    ext = make_app("Ext", ["tableextension 50100 X extends Customer { }", "codeunit 50100 Helper { }"], deps=(BASE,))
    result = merge([ext, BASE])
    assert [(o.kind, o.id) for o in result.objects] == [(o.kind, o.id) for o in BASE.objects] + [("codeunit", 50100)]
    assert result.order == (BASE.id, ext.id)
    assert result.provenance.owner(result.objects[-1]).name == "Ext"


def test_ties_are_broken_by_app_id():
    apps = [make_app(f"E{i}", f"codeunit {50100 + i} C{i} {{ }}", deps=(BASE,), ident=f"{i:08d}-0000-0000-0000-000000000000")
            for i in (3, 1, 2)]
    assert merge([*apps, BASE]).order[1:] == tuple(f"{i:08d}-0000-0000-0000-000000000000" for i in (1, 2, 3))


def test_package_metadata_merges_like_source():
    """Apps rebuilt from the IR JSON packages carry give the same merge."""
    base = base_app(lazy=True)
    ext = make_app("Ext", """pageextension 50100 X extends "Customer Card" {
        layout { addafter(Name) { field(Loyalty; Rec.Name) { } } modify(City) { Visible = false; } }
        trigger OnOpenPage() begin Message('x'); end; }""", deps=(base,), lazy=True)
    packaged = [App(a.manifest, from_json(to_json(a.objects))) for a in (base, ext)]
    assert merge(packaged).objects == merge([base, ext]).objects


def test_deltas_are_in_source_order():
    ext = make_app("Ext", """tableextension 50100 X extends Customer {
        fields { modify(Name) { Caption = 'N'; } field(50100; F; Integer) { } } }""", deps=(BASE,))
    assert [(d.section, d.op) for d in app_deltas(ext)] == [("field", "modify"), ("field", "add")]


def test_graph_verbs():
    a = make_app("A", "codeunit 50100 A { }", deps=(BASE,))
    b = make_app("B", "codeunit 50101 B { }", deps=(a,))
    graph, conflicts = build_graph(x.manifest for x in (BASE, a, b))
    assert conflicts == []
    assert graph.dependencies(b.id) == (a.id,) and graph.dependents(BASE.id) == (a.id,)
    assert graph.depends_on(b.id, BASE.id) and graph.is_ancestor(BASE.id, b.id)
    assert not graph.depends_on(BASE.id, b.id) and graph.related(b.id, BASE.id)


def test_application_field_is_an_implicit_dependency():
    base = attrs.evolve(BASE, manifest=attrs.evolve(BASE.manifest, id="437dbf0e-84ff-417a-965d-ed2bb9650972"))
    ext = make_app("Ext", "tableextension 50100 X extends Customer { }", ident="00000000-0000-0000-0000-000000000001")
    ext = attrs.evolve(ext, manifest=attrs.evolve(ext.manifest, application=base.manifest.version))
    result = merge([ext, base])
    assert result.conflicts == () and result.order == (base.id, ext.id)
    (missing,) = merge([ext]).conflicts[:1]
    assert missing.kind == "missing-dependency" and "application" in missing.message


def test_a_missing_application_is_a_warning_when_nothing_of_it_is_extended():
    """Without Microsoft's packages, an app that extends only objects of the set is still checked."""
    own = make_app("Own", """table 50100 Points { fields { field(1; Id; Integer) { } } }
        tableextension 50101 MorePoints extends Points { fields { field(2; More; Integer) { } } }""",
                   ident="00000000-0000-0000-0000-000000000002")
    own = attrs.evolve(own, manifest=attrs.evolve(own.manifest, application=BASE.manifest.version))
    result = merge([own])
    assert result.conflicts == ()
    (warning,) = result.warnings
    assert warning.kind == "missing-dependency" and warning.message.endswith(
        "it extends none of the application's objects, so the rest is checked without it")
    assert [f.name for f in result.find("table", 50100).fields] == ["Id", "More"]
    other = make_app("Other", "tableextension 50102 X extends Customer { }",
                     ident="00000000-0000-0000-0000-000000000003")
    other = attrs.evolve(other, manifest=attrs.evolve(other.manifest, application=BASE.manifest.version))
    assert [c.kind for c in merge([other]).conflicts] == ["missing-dependency"]  # it does extend the application


def test_base_source_is_conflict_free():
    assert merge([base_app()]).conflicts == ()
    assert BASE_AL.count("table 18") == 1
