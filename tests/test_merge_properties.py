"""Properties of merging (STYLE habit 10): independent extensions give the
same merged objects in any applied order, and merging is idempotent.

Extensions are built as IR. "Independent" means that no two of them claim
the same insertion point (`after X`, `before X`, `first G`, `last G`), move
the same element, anchor on a moved element, add fields or values to the
same table or enum, or add triggers to the same element; they may set the
same property only to the same value.
"""

from __future__ import annotations

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from alc.ir import nodes as ir
from alc.merge import App, merge
from mergekit import make_app

BASE_TEXT = """
table 10 T1 { fields { field(1; F1; Integer) { } field(2; F2; Integer) { } field(3; F3; Integer) { } } }
table 11 T2 { fields { field(1; F1; Integer) { } field(2; F2; Integer) { } } }
enum 12 E1 { Extensible = true; value(0; V0) { } value(1; V1) { } }
enum 13 E2 { Extensible = true; value(0; V0) { } }
page 20 P
{
    layout
    {
        area(Content)
        {
            group(G1) { field(C1; Rec.F1) { } field(C2; Rec.F1) { } field(C3; Rec.F1) { } field(C4; Rec.F1) { } }
            group(G2) { field(C5; Rec.F1) { } field(C6; Rec.F1) { } field(C7; Rec.F1) { } }
        }
    }
    actions { area(Processing) { action(A1) { } action(A2) { } action(A3) { } } }
}
"""
BASE = make_app("Base", BASE_TEXT, ident="00000000-0000-0000-0000-0000000000ba")
CONTROLS = [f"C{i}" for i in range(1, 8)]
GROUPS = ["G1", "G2"]
ACTIONS = ["A1", "A2", "A3"]
PROPS = ["Visible", "Caption", "Editable"]
_TRUE = ir.Values((ir.Literal("boolean", True),))


def _value(n: int) -> ir.Values:
    return ir.Values((ir.Literal("string", f"v{n}"),))


@attrs.define
class Plan:
    """What each extension does, by index."""
    layout: dict = attrs.Factory(dict)      # ext -> [Change]
    actions: dict = attrs.Factory(dict)
    fields: dict = attrs.Factory(dict)      # ext -> [(table, Change or TableField)]
    values: dict = attrs.Factory(dict)      # ext -> [(enum, EnumValue)]

    def put(self, kind: str, ext: int, item) -> None:
        getattr(self, kind).setdefault(ext, []).append(item)


@st.composite
def independent(draw, shared_values: bool = True):
    """(number of extensions, Plan) for mutually independent extensions."""
    k = draw(st.integers(2, 5))
    owner = st.integers(-1, k - 1)           # -1: nobody
    plan = Plan()
    moved = draw(st.sets(st.sampled_from(CONTROLS), max_size=3))
    anchors = [c for c in CONTROLS if c not in moved]
    slots = [(w, c) for c in anchors for w in ("after", "before")] + [(w, g) for g in GROUPS for w in ("first", "last")]
    slots = draw(st.permutations(slots))
    free = []
    for n, (where, anchor) in enumerate(slots):
        ext = draw(owner)
        if ext < 0:
            free.append((where, anchor))
            continue
        members = tuple(ir.Control("field", f"X{ext}_{n}_{i}", ir.Name("F1")) for i in range(draw(st.integers(1, 2))))
        plan.put("layout", ext, ir.Change(f"add{where}", anchor, members=members))
    for target in sorted(moved):
        ext = draw(owner)
        if ext >= 0 and free:
            where, anchor = free.pop()
            plan.put("layout", ext, ir.Change(f"move{where}", anchor, targets=(target,)))
    action_slots = [(w, a) for a in ACTIONS for w in ("after", "before")] + [("first", "Processing"), ("last", "Processing")]
    for n, (where, anchor) in enumerate(action_slots):
        ext = draw(owner)
        if ext >= 0:
            plan.put("actions", ext, ir.Change(f"add{where}", anchor, members=(ir.Action("action", f"Y{ext}_{n}"),)))
    for element in CONTROLS + GROUPS:
        for prop in draw(st.sets(st.sampled_from(PROPS), max_size=2)):
            value = _value(draw(st.integers(0, 3)))
            setters = draw(st.sets(st.integers(0, k - 1), max_size=k if shared_values else 1))
            for ext in setters:
                plan.put("layout", ext, ir.Change("modify", element, properties=(ir.Property(prop, value),)))
        ext = draw(owner)
        if ext >= 0:
            trigger = ir.Trigger("OnAfterValidate", body=ir.Block((ir.Exit(ir.Literal("integer", str(ext))),)))
            plan.put("layout", ext, ir.Change("modify", element, triggers=(trigger,)))
    for table in ("T1", "T2"):
        ext = draw(owner)
        if ext >= 0:
            for i in range(draw(st.integers(1, 3))):
                plan.put("fields", ext, (table, ir.TableField(50000 + 100 * ext + i, f"Z{ext}_{i}", ir.TypeRef("Integer"))))
        for field in ("F1", "F2"):
            ext = draw(owner)
            if ext >= 0:
                plan.put("fields", ext, (table, ir.Change("modify", field, properties=(ir.Property("Caption", _value(ext)),))))
    for enum in ("E1", "E2"):
        ext = draw(owner)
        if ext >= 0:
            plan.put("values", ext, (enum, ir.EnumValue(50000 + ext, f"W{ext}")))
    return k, plan


def build(k: int, plan: Plan) -> list:
    """The base and the extension apps of a plan (every extension depends on the base only)."""
    apps = [BASE]
    for ext in range(k):
        objects = []
        if ext in plan.layout or ext in plan.actions:
            objects.append(ir.PageExtension(70000 + ext, f"PX{ext}", "P", layout=tuple(plan.layout.get(ext, ())),
                                            actions=tuple(plan.actions.get(ext, ()))))
        for n, table in enumerate(("T1", "T2")):
            items = tuple(x for t, x in plan.fields.get(ext, ()) if t == table)
            if items:
                objects.append(ir.TableExtension(70000 + 10 * ext + n, f"TX{ext}{table}", table, fields=items))
        for n, enum in enumerate(("E1", "E2")):
            items = tuple(x for e, x in plan.values.get(ext, ()) if e == enum)
            if items:
                objects.append(ir.EnumExtension(70000 + 10 * ext + n, f"EX{ext}{enum}", enum, values=items))
        app = make_app(f"Ext{ext}", [], deps=(BASE,), ident=f"00000000-0000-0000-0000-{ext:012d}")
        apps.append(App(app.manifest, tuple(objects)))
    return apps


@settings(max_examples=150, deadline=None)
@given(independent(), st.randoms(use_true_random=False))
def test_independent_extensions_commute(case, random):
    k, plan = case
    apps = build(k, plan)
    ids = [a.id for a in apps[1:]]
    first = merge(apps)
    assert first.conflicts == () and first.warnings == (), [c.message for c in first.conflicts]
    random.shuffle(ids)
    again = merge(apps, order=[BASE.id, *ids])
    assert again.conflicts == ()
    assert again.objects == first.objects
    assert merge(list(reversed(apps))).objects == first.objects       # input order never matters


@settings(max_examples=100, deadline=None)
@given(independent(shared_values=False), st.randoms(use_true_random=False))
def test_merging_is_idempotent(case, random):
    k, plan = case
    apps = build(k, plan)
    first = merge(apps)
    again = merge([App(BASE.manifest, first.objects)])
    assert again.conflicts == () and again.objects == first.objects
    empty = App(apps[1].manifest, ())
    assert merge([App(BASE.manifest, first.objects), empty]).objects == first.objects


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(CONTROLS + GROUPS + ["Nowhere"]), st.sampled_from(PROPS),
                          st.integers(0, 2), st.sampled_from(["addafter", "addbefore", "movefirst", "modify"])),
                min_size=1, max_size=12), st.integers(2, 4))
def test_idempotent_even_with_conflicts(ops, k):
    """Whatever the extensions (duplicates, missing anchors, conflicting
    values), the merged objects merge again to themselves."""
    plan = Plan()
    for n, (element, prop, ext, op) in enumerate(ops):
        ext %= k
        if op == "modify":
            change = ir.Change("modify", element, properties=(ir.Property(prop, _value(n)),))
        elif op == "movefirst":
            change = ir.Change("movefirst", "G2", targets=(element,))
        else:
            change = ir.Change(op, element, members=(ir.Control("field", f"N{n % 3}", ir.Name("F1")),))
        plan.put("layout", ext, change)
    first = merge(build(k, plan))
    again = merge([App(BASE.manifest, first.objects)])
    assert again.conflicts == () and again.objects == first.objects
