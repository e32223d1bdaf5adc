"""The one-step fast paths of the lexer (`Name = value;` properties and
plain element headers) must give exactly what the grammar gives: the same
IR and the same spans, on every sample and on tricky forms."""

import glob
import os

import attrs
import pytest

from alc.source import SourceFile
from alc.syntax.api import driver
from alc.syntax.lower import Lowering
from alc.syntax.parse import Driver

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = sorted(glob.glob(os.path.join(ROOT, "samples", "**", "*.al"), recursive=True))

TRICKY = r"""
table 50100 "Fast Paths"
{
    Caption = 'Fast', Comment = 'with ''quotes''', Locked = true, MaxLength = 20;
    DataClassification = CustomerContent;
    fields
    {
        field(1; "No."; Code[20]) { Caption = 'No.'; }
        field(2; Type; Option) { OptionMembers = " ",Item,"G/L Account"; }
        field(3; "Big"; BigInteger) { InitValue = 10000L; MinValue = -1; }
        field(4; When; Date) { InitValue = 0D; }
        field(5; Status; Enum "Fast Status") { }
        field(6; Amount; Decimal) { DecimalPlaces = 0 : 5; AutoFormatType = 1; }
        field(7; Flag; Boolean) { InitValue = true; Editable = false; }
    }
    keys { key(PK; "No.", Type) { Clustered = true; } }
}

page 50100 "Fast Page"
{
    SourceTable = "Fast Paths";
    layout
    {
        area(Content)
        {
            group()
            {
                field("No."; Rec."No.") { ApplicationArea = All; }
                field(Type; Rec.Type) { }
                field(Computed; Rec.Amount * 2) { }
                field("This"; this) { }
                field(Flagged; true) { }
                part(Lines; "Fast Lines") { }
            }
        }
    }
    actions { area(Processing) { action(Go) { Image = Post; } actionref(GoRef; Go) { } } }
}
"""


def parse_both(text: str):
    src = SourceFile("fast.al", text)
    out = []
    for drv in (driver(), Driver(Lowering(), simple_properties=False)):
        diags: list = []
        lexer = drv.new_lexer(src, frozenset(), diags)
        drv.transformer.begin_file(src, diags, lexer)
        out.append((tuple(drv.parse_items(lexer)), [(d.code, d.span.start) for d in diags]))
    return out


def spans(x, out):
    if isinstance(x, tuple) and not hasattr(x, "_fields"):
        for item in x:
            spans(item, out)
    elif attrs.has(type(x)):
        span = getattr(x, "span", None)
        out.append((type(x).__name__, span[1] if span else None, span[2] if span else None))
        for f in attrs.fields(type(x)):
            if f.name != "span":
                spans(getattr(x, f.name), out)
    return out


@pytest.mark.parametrize("text", [TRICKY] + [open(p, encoding="utf-8").read() for p in SAMPLES],
                         ids=["tricky"] + [os.path.relpath(p, ROOT) for p in SAMPLES])
def test_fast_paths_equal_the_grammar(text):
    (fast, fast_diags), (slow, slow_diags) = parse_both(text)
    assert fast == slow
    assert spans(fast, []) == spans(slow, [])
    assert fast_diags == slow_diags == []


def test_a_syntax_error_on_a_fast_token_is_a_diagnostic():
    (fast, diags), _ = parse_both("codeunit 1 A { var X: Label 'a' Comment = 'b'; }")
    assert diags and diags[0][0] == "ALC0101"
