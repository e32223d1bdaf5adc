"""Capabilities and prerequisites computed from IR objects."""

from alc import parse_text
from alc.package.capabilities import CAPABILITIES, capabilities, prerequisites
from alc.package.manifest import Prerequisite

SOURCE = '''
table 50100 T { fields { field(1; A; Integer) { } } }
tableextension 50101 TE extends Customer { fields { modify(Name) { Caption = 'N'; } } }
tableextension 50102 TE2 extends customer { keys { key(K; "No.") { } } }
page 50103 P { }
pageextension 50104 PE extends "Customer Card" { trigger OnOpenPage() begin end; }
report 50105 R { }
reportextension 50106 RE extends "Customer - List" { }
query 50107 Q { }
xmlport 50108 X { }
enum 50109 E { }
enumextension 50110 EE extends "Payment Method Type" { }
permissionset 50111 PS { }
permissionsetextension 50112 PSE extends "D365 BASIC" { }
profile PR { }
profileextension PRE extends "ORDER PROCESSOR" { }
controladdin CA { }
'''


def test_every_kind_maps_to_a_capability():
    objects = parse_text(SOURCE).objects
    assert capabilities(objects) == CAPABILITIES


def test_only_what_is_there():
    assert capabilities(parse_text("page 50100 P { }").objects) == ("uiAdds",)
    assert capabilities([]) == ()
    ext = parse_text("pageextension 50100 X extends Y { }").objects
    assert capabilities(ext) == ("uiChanges",)


def test_prerequisites_are_the_extension_targets_once_each():
    assert prerequisites(parse_text(SOURCE).objects) == (
        Prerequisite("Enum", "Payment Method Type"), Prerequisite("Page", "Customer Card"),
        Prerequisite("PermissionSet", "D365 BASIC"), Prerequisite("Profile", "ORDER PROCESSOR"),
        Prerequisite("Report", "Customer - List"), Prerequisite("Table", "Customer"))
