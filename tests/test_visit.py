"""alc.ir.visit: walk, transform and dump over real parses."""

import attrs

from alc import parse_text
from alc.ir import nodes as ir
from alc.ir.visit import dump, expr_text, transform, type_text, walk
from golden import cases_in

SOURCE = """\
codeunit 50100 Visit
{
    var
        Total: Decimal;

    procedure Add(Amount: Decimal)
    begin
        Total += Amount;
        if Total > 100 then
            Total := 100;
    end;

    procedure Keep()
    begin
        Message('unchanged');
    end;
}
"""


def unit():
    return parse_text(SOURCE).unit


def test_walk_visits_every_node_once_parents_first():
    nodes = list(walk(unit()))
    assert type(nodes[0]) is ir.CompilationUnit
    assert type(nodes[1]) is ir.Codeunit
    assert len({id(n) for n in nodes}) == len(nodes)
    names = [n.value for n in nodes if type(n) is ir.Name]
    assert names == ["Total", "Amount", "Total", "Total", "Message"]


def test_walk_reaches_every_node_class_the_goldens_use():
    seen = {type(n) for case in cases_in("syntax") for n in walk(parse_text(case.source).unit)}
    assert set(ir.OBJECT_CLASSES.values()) <= seen
    statements = {ir.Block, ir.Assignment, ir.CallStatement, ir.If, ir.Case, ir.CaseBranch, ir.While,
                  ir.Repeat, ir.For, ir.ForEach, ir.With, ir.Exit, ir.Break, ir.Continue, ir.AssertError}
    assert statements <= seen
    values = {ir.Values, ir.PairValue, ir.NamedValue, ir.Link, ir.TableRelationValue, ir.CalcFormulaValue,
              ir.LinksValue, ir.TableViewValue, ir.Permission, ir.PermissionsValue, ir.ObjectRefValue}
    assert values <= seen


def test_transform_rebuilds_only_the_path_to_a_change():
    before = unit()

    def cap(node):
        if type(node) is ir.Literal and node.value == "100":
            return attrs.evolve(node, value="200")
        return node

    after = transform(before, cap)
    assert after != before
    add_before, keep_before = before.objects[0].procedures
    add_after, keep_after = after.objects[0].procedures
    assert keep_after is keep_before                 # untouched subtree: same object
    assert after.objects[0].variables is before.objects[0].variables
    assert add_after is not add_before
    assert add_after.body.statements[0] is add_before.body.statements[0]
    assert "200" in dump(add_after) and "100" not in dump(add_after)
    assert add_after.span == add_before.span         # evolve keeps spans


def test_transform_sees_children_before_parents():
    order = []
    transform(parse_text("codeunit 1 C { trigger OnRun() begin X := 1; end; }").unit,
              lambda n: order.append(type(n).__name__) or n)
    assert order.index("Literal") < order.index("Assignment") < order.index("Block") < order.index("Trigger")
    assert order[-1] == "CompilationUnit"


def test_transform_can_replace_nodes_in_tuples():
    def drop_messages(node):
        if type(node) is ir.Block:
            kept = tuple(s for s in node.statements
                         if not (type(s) is ir.CallStatement and expr_text(s.expression).startswith("Message(")))
            return attrs.evolve(node, statements=kept) if len(kept) != len(node.statements) else node
        return node

    after = transform(unit(), drop_messages)
    assert after.objects[0].procedures[1].body.statements == ()


def test_dump_omits_spans_and_defaults_and_is_deterministic():
    text = dump(unit())
    assert text == dump(unit())
    assert "span" not in text and "Span(" not in text
    assert "access=public" not in text and "by_ref" not in text and "attributes" not in text


def test_dump_equal_for_equal_ir_whatever_the_layout():
    compact = "codeunit 50100 Visit { var Total: Decimal; procedure Add(Amount: Decimal) begin Total += Amount; " \
              "if Total > 100 then Total := 100; end; procedure Keep() begin Message('unchanged'); end; }"
    assert dump(parse_text(compact).unit.objects[0]) == dump(unit().objects[0])


def test_type_text_round_trips_through_the_parser():
    for t in ["Record \"Sales Header\" temporary", "array[3, 4] of Code[20]",
              "Dictionary of [Code[20], List of [Decimal]]", "Option A,\"B C\",", "Label 'x''y', Locked = true",
              "Codeunit \"Sales-Post\"", "DotNet XmlDocument", "Text[100]"]:
        parsed = parse_text(f"codeunit 1 C {{ var X: {t}; }}").unit.objects[0].variables[0].type
        assert type_text(parsed) == t


def test_dump_of_expressions_and_none():
    assert dump(None) == "<none>"
    assert dump(ir.Binary("=", ir.Name("a"), ir.Binary("and", ir.Name("b"), ir.Name("c")))) == "(= a (and b c))"
    assert dump((ir.Break(), ir.Continue())) == "Break\nContinue"
