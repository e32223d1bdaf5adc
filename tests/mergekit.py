"""Small in-memory apps for the merge tests: AL text parsed with
``parse_text`` into :class:`alc.merge.App` s with deterministic ids.

Until `alc compile` writes packages with metadata, this is how the tests
build what a package loader will later give the engine.
"""

from __future__ import annotations

import uuid
from typing import Iterable, Union

from alc import parse_text
from alc.merge import App
from alc.appmodel import AppManifest, Dependency, Version

_NAMESPACE = uuid.UUID("6a1c0000-0000-4000-8000-00000000a1c0")

BASE_AL = """
table 18 Customer
{
    Caption = 'Customer';
    fields
    {
        field(1; "No."; Code[20]) { Caption = 'No.'; }
        field(2; Name; Text[100]) { Caption = 'Name'; trigger OnValidate() begin end; }
        field(3; Address; Text[100]) { Caption = 'Address'; }
        field(4; City; Text[30]) { Caption = 'City'; }
    }
    keys { key(PK; "No.") { Clustered = true; } }
    fieldgroups { fieldgroup(DropDown; "No.", Name) { } }
}

page 21 "Customer Card"
{
    PageType = Card;
    SourceTable = Customer;
    layout
    {
        area(Content)
        {
            group(General)
            {
                field("No."; Rec."No.") { ApplicationArea = All; }
                field(Name; Rec.Name) { ApplicationArea = All; }
                field(Address; Rec.Address) { ApplicationArea = All; }
            }
            group(Details)
            {
                field(City; Rec.City) { ApplicationArea = All; }
            }
        }
    }
    actions
    {
        area(Processing)
        {
            action(Post) { Caption = 'Post'; }
            action(Print) { Caption = 'Print'; }
        }
    }
    trigger OnOpenPage() begin end;
}

page 22 "Customer List"
{
    PageType = List;
    SourceTable = Customer;
    layout { area(Content) { repeater(Lines) { field("No."; Rec."No.") { } } } }
    views { view(All) { Caption = 'All'; } }
}

enum 50000 "Customer Type"
{
    Extensible = true;
    value(0; Person) { }
    value(1; Company) { }
}

report 101 "Customer Report"
{
    dataset
    {
        dataitem(Customer; Customer)
        {
            column(No; "No.") { }
        }
    }
    requestpage
    {
        layout { area(Content) { field(ShowAll; ShowAll) { } } }
    }
    var
        ShowAll: Boolean;
}

permissionset 1000 "Cust Basic"
{
    Assignable = true;
    Permissions = tabledata Customer = R;
}
"""


def app_id(name: str) -> str:
    """A stable GUID for an app name."""
    return str(uuid.uuid5(_NAMESPACE, name))


Dep = Union[App, tuple]


def make_app(name: str, sources: Union[str, Iterable[str]], deps: Iterable[Dep] = (), version: str = "1.0.0.0",
             publisher: str = "Test", ident: str = "", lazy: bool = False) -> App:
    """An App from AL text; ``deps`` are Apps or (App, minimum version) pairs;
    ``lazy`` keeps code bodies as text, as packages do."""
    texts = [sources] if isinstance(sources, str) else list(sources)
    objects = []
    for n, text in enumerate(texts):
        result = parse_text(text, path=f"{name}/{n}.al", lazy_bodies=lazy)
        assert not result.diagnostics, [d.message for d in result.diagnostics]
        objects += result.unit.objects
    dependencies = []
    for dep in deps:
        app, minimum = dep if isinstance(dep, tuple) else (dep, "1.0.0.0")
        m = app.manifest
        dependencies.append(Dependency(m.id, m.name, m.publisher, Version.parse(minimum)))
    manifest = AppManifest(ident or app_id(name), name, publisher, Version.parse(version), dependencies=dependencies)
    return App(manifest, tuple(objects))


def base_app(version: str = "1.0.0.0", lazy: bool = False) -> App:
    return make_app("Base Application", BASE_AL, version=version, publisher="Microsoft", lazy=lazy)


def kinds(result) -> list:
    """The conflict kinds of a merge result, in order."""
    return [c.kind for c in result.conflicts]


def names(nodes) -> list:
    return [n.name for n in nodes]


def flat(controls) -> list:
    """Names of a control or action tree in pre-order."""
    out = []
    for c in controls:
        out.append(c.name)
        out += flat(getattr(c, "controls", ()) or getattr(c, "actions", ()))
    return out
