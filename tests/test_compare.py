"""`alc compare OLD.app NEW.app`: the sync engine's schema diff (what Add would refuse) and
the changes that break dependents, each kind with its code, on packages compiled here
(tests/schemakit.py's shop versions, and a library in two versions below); text, JSON
and SARIF output, exit codes."""

from __future__ import annotations

import json
import os

import pytest

from alc.build.compiler import CompileOptions, compile_project
from alc.cli import main
from alc.deploy.compare import compare_files
from schemakit import CHANGES, shop_apps  # noqa: F401

LIB_1 = """
table 72000 "Lib Doc"
{
    fields
    {
        field(1; "No."; Code[20]) { }
        field(2; Amount; Decimal) { }
        field(3; Status; Enum "Lib Status") { }
    }
    keys { key(PK; "No.") { } key(ByAmount; Amount) { } }
}

enum 72000 "Lib Status"
{
    Extensible = true;
    value(0; Open) { }
    value(1; Released) { }
    value(2; Closed) { }
}

codeunit 72000 "Lib Api"
{
    procedure Post(var Doc: Record "Lib Doc"): Boolean
    begin
        exit(true);
    end;

    procedure Check(No: Code[20])
    begin
    end;

    procedure Gone()
    begin
    end;

    local procedure Helper()
    begin
    end;

    [IntegrationEvent(false, false)]
    procedure OnBeforePost(var Doc: Record "Lib Doc")
    begin
    end;

    [IntegrationEvent(false, false)]
    procedure OnAfterPost(DocNo: Code[20])
    begin
    end;
}

codeunit 72001 "Lib Old" { }

page 72000 "Lib Card"
{
    PageType = Card;
    SourceTable = "Lib Doc";
    layout
    {
        area(Content)
        {
            group(General)
            {
                field("No."; Rec."No.") { }
                field(Amount; Rec.Amount) { }
            }
        }
    }
    actions
    {
        area(Processing)
        {
            action(PostIt) { trigger OnAction() begin end; }
            action(Print) { trigger OnAction() begin end; }
        }
    }
}

query 72000 "Lib Query"
{
    elements { dataitem(Doc; "Lib Doc") { column(No; "No.") { } } }
}
"""

LIB_2_EDITS = [
    ('procedure Post(var Doc: Record "Lib Doc"): Boolean',
     'procedure Post(var Doc: Record "Lib Doc"; Preview: Boolean): Boolean'),
    ("    procedure Gone()\n    begin\n    end;\n\n", ""),
    ("    local procedure Helper()\n    begin\n    end;\n\n", "    procedure Added()\n    begin\n    end;\n\n"),
    ('    [IntegrationEvent(false, false)]\n    procedure OnBeforePost(var Doc: Record "Lib Doc")\n'
     '    begin\n    end;\n\n', ""),
    ("procedure OnAfterPost(DocNo: Code[20])", "procedure OnAfterPost(DocNo: Code[30])"),
    ('codeunit 72001 "Lib Old" { }', 'codeunit 72002 "Lib New" { }'),
    ('query 72000 "Lib Query"', 'query 72000 "Lib Query Two"'),
    ("    value(1; Released) { }\n    value(2; Closed) { }", "    value(3; Closed) { }\n    value(4; Cancelled) { }"),
    (" key(ByAmount; Amount) { }", ""),
    ("                field(Amount; Rec.Amount) { }\n", ""),
    ("            action(Print) { trigger OnAction() begin end; }\n", ""),
]


def _compile(folder: str, key: str, version: str, text: str) -> str:
    project = os.path.join(folder, key)
    os.makedirs(project)
    with open(os.path.join(project, "app.json"), "w", encoding="utf-8") as f:
        json.dump({"id": "5a0b0000-0000-4000-8000-0000000000aa", "name": "Lib", "publisher": "alc tests",
                   "version": version, "idRanges": [{"from": 72000, "to": 72099}], "runtime": "14.0"}, f)
    with open(os.path.join(project, "lib.al"), "w", encoding="utf-8") as f:
        f.write(text)
    out = os.path.join(folder, f"{key}.app")
    result = compile_project(CompileOptions(project=project, out=out, jobs=1))
    assert result.ok, [str(d) for d in result.diagnostics]
    return out


@pytest.fixture(scope="module")
def lib(tmp_path_factory) -> tuple:
    folder = str(tmp_path_factory.mktemp("lib"))
    text = LIB_1
    for old, new in LIB_2_EDITS:
        assert old in text, old
        text = text.replace(old, new)
    return _compile(folder, "lib-1", "1.0.0.0", LIB_1), _compile(folder, "lib-2", "2.0.0.0", text)


SCHEMA = {
    "field-removed": "ALC0571", "type-changed": "ALC0572", "length-decreased": "ALC0573", "key-changed": "ALC0574",
    "id-changed": "ALC0575", "table-renamed": "ALC0576", "table-removed": "ALC0570",
    "per-company-changed": "ALC0577", "field-class-changed": "ALC0578", "field-disabled": "ALC0579",
}


def test_every_schema_change_has_its_code():
    assert set(SCHEMA) == set(CHANGES)


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_what_add_mode_refuses_is_breaking_with_the_sync_message(shop_apps, change):
    from test_deploy_schema import MESSAGES
    changes = compare_files(shop_apps["shop-1"], shop_apps[f"shop-{change}"])
    assert [(c.code, c.message, c.breaking) for c in changes] == [(SCHEMA[change], MESSAGES[change], True)]


def test_additive_changes_are_changes_a_rename_breaks_dependents(shop_apps):
    changes = compare_files(shop_apps["shop-1"], shop_apps["shop-additive"])
    got = [(c.code, c.kind, c.type, c.id, c.element, c.breaking) for c in changes]
    assert got == [
        ("ALC0591", "length-increased", "table", 71000, "Description", False),
        ("ALC0592", "type-widened", "table", 71000, "Quantity", False),
        ("ALC0582", "field-renamed", "table", 71000, "Blocked", True),
        ("ALC0590", "field-added", "table", 71000, "Color", False),
        ("ALC0590", "field-added", "table", 71000, "Rank", False),
        ("ALC0590", "table-added", "table", 71004, None, False)]


def test_a_table_extension_dropping_a_field(shop_apps):
    (c,) = compare_files(shop_apps["plus-1"], shop_apps["plus-2"])
    assert c.to_json() == {"code": "ALC0571", "kind": "field-removed",
                           "object": {"type": "tableextension", "id": 71100, "name": "Plus Item"},
                           "element": "Plus Points",
                           "message": "TableExtension Plus Item :: The field 'Plus Points' cannot be located. "
                                      "Removing fields is not allowed."}


def test_changes_that_break_dependents(lib):
    changes = compare_files(*lib)
    got = sorted((c.code, c.kind, c.type, c.name, c.element or "", c.breaking) for c in changes)
    assert got == sorted([
        ("ALC0583", "key-removed", "table", "Lib Doc", "ByAmount", True),
        ("ALC0587", "enum-value-removed", "enum", "Lib Status", "Released", True),
        ("ALC0587", "enum-value-ordinal-changed", "enum", "Lib Status", "Closed", True),
        ("ALC0590", "enum-value-added", "enum", "Lib Status", "Cancelled", False),
        ("ALC0585", "procedure-signature-changed", "codeunit", "Lib Api", "Post", True),
        ("ALC0584", "procedure-removed", "codeunit", "Lib Api", "Gone", True),
        ("ALC0586", "event-removed", "codeunit", "Lib Api", "OnBeforePost", True),
        ("ALC0586", "event-signature-changed", "codeunit", "Lib Api", "OnAfterPost", True),
        ("ALC0590", "procedure-added", "codeunit", "Lib Api", "Added", False),
        ("ALC0580", "object-removed", "codeunit", "Lib Old", "", True),
        ("ALC0590", "object-added", "codeunit", "Lib New", "", False),
        ("ALC0581", "object-renamed", "query", "Lib Query", "", True),
        ("ALC0588", "control-removed", "page", "Lib Card", "Amount", True),
        ("ALC0589", "action-removed", "page", "Lib Card", "Print", True)])
    post = next(c for c in changes if c.element == "Post")
    assert post.message == ("Codeunit Lib Api :: The signature of the procedure 'Post(var Doc: Record \"Lib Doc\"): "
                            "Boolean' has changed to 'Post(var Doc: Record \"Lib Doc\"; Preview: Boolean): Boolean'. "
                            "Changing the signature of public procedures and events breaks the apps that call or "
                            "subscribe to them.")


def test_same_version_twice_changes_nothing(lib):
    assert compare_files(lib[0], lib[0]) == []


def test_cli_json_text_sarif_and_exit_codes(lib, shop_apps, capsys, tmp_path):
    assert main(["compare", *lib, "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"breaking", "changes"}
    assert len(out["breaking"]) == 11 and len(out["changes"]) == 3
    assert set(out["breaking"][0]) == {"code", "kind", "object", "element", "message"}
    assert main(["compare", lib[0], lib[0]]) == 0
    assert capsys.readouterr().out == "0 breaking changes, 0 other changes\n"
    assert main(["compare", shop_apps["shop-1"], shop_apps["shop-field-removed"]]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{shop_apps['shop-field-removed']}: error ALC0571: Table Shop Item :: The field 'Price' cannot be located. "
        "Removing fields is not allowed.", "1 breaking changes, 0 other changes"]
    assert main(["compare", *lib, "--format", "sarif"]) == 1
    sarif = json.loads(capsys.readouterr().out)
    assert len(sarif["runs"][0]["results"]) == 14
    bad = tmp_path / "bad.app"
    bad.write_bytes(b"not a package")
    assert main(["compare", lib[0], str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("alc: error:") and len(err.strip().splitlines()) == 1
    assert main(["compare", lib[0], str(tmp_path / "missing.app")]) == 2


# ------------------------------------------------ symbols-only packages --
# Business Central's packages carry no alc metadata: compare reads their SymbolReference.json alone. These
# are the lib versions above with alc's metadata left out, and the symbols written as older compilers and the
# platform's System package write them (found comparing 26 public releases of a partner app, Microsoft's
# Business Foundation 25.5/27.2 and System 21/23/25/27 symbols).

LIB_IFACE = """
interface "Lib Sink"
{
    procedure Put(Text: Text): Boolean;
    procedure Flush();
}
"""


def _symbols_only(path: str, out: str, edit=None) -> str:
    """The package at ``path`` without alc's metadata (a Business Central package has none),
    its SymbolReference.json passed through ``edit``."""
    from alc.package.reader import SYMBOLS, read_package
    from alc.package.writer import write_package
    with open(path, "rb") as f:
        package = read_package(f.read())
    raw = package.read(SYMBOLS)
    bom = raw.startswith(b"\xef\xbb\xbf")
    symbols = json.loads(raw[3:] if bom else raw)
    if edit is not None:
        edit(symbols)
    data = json.dumps(symbols).encode("utf-8")
    write_package(out, package.manifest, (b"\xef\xbb\xbf" if bom else b"") + data)
    assert not read_package(open(out, "rb").read()).has_metadata
    return out


def _methods(symbols: dict):
    for kind in ("Codeunits", "Tables", "Pages", "Interfaces"):
        for obj in symbols.get(kind, ()):
            for m in obj.get("Methods", ()):
                yield m
    for ns in symbols.get("Namespaces", ()):
        yield from _methods(ns)


def _old_compiler(symbols: dict) -> None:
    """Procedures without a return value as compilers before runtime 11 wrote them, and an
    interface numbered as the System package numbers them (a hash of the name, not stable)."""
    for m in _methods(symbols):
        m.setdefault("ReturnTypeDefinition", {"Name": "None"})
    for i, obj in enumerate(_all(symbols, "Interfaces")):
        obj["Id"] = -1793506291 + i


def _renumbered(symbols: dict) -> None:
    for i, obj in enumerate(_all(symbols, "Interfaces")):
        obj["Id"] = 1081768359 + i


def _all(symbols: dict, kind: str):
    yield from symbols.get(kind, ())
    for ns in symbols.get("Namespaces", ()):
        yield from _all(ns, kind)


@pytest.fixture(scope="module")
def lib_symbols(lib, tmp_path_factory) -> dict:
    folder = str(tmp_path_factory.mktemp("lib-symbols"))
    text_1 = LIB_1 + LIB_IFACE
    text_2 = text_1.replace("    procedure Flush();\n", "    procedure Flush();\n    procedure Count(): Integer;\n")
    full_1 = _compile(folder, "iface-1", "1.0.0.0", text_1)
    full_2 = _compile(folder, "iface-2", "1.1.0.0", text_2)
    return {
        "old-1": _symbols_only(full_1, os.path.join(folder, "old-1.app"), _old_compiler),
        "new-1": _symbols_only(full_1, os.path.join(folder, "new-1.app"), _renumbered),
        "new-2": _symbols_only(full_2, os.path.join(folder, "new-2.app"), _renumbered),
        "lib-1": _symbols_only(lib[0], os.path.join(folder, "lib-1.app")),
        "lib-2": _symbols_only(lib[1], os.path.join(folder, "lib-2.app")),
    }


def test_symbols_only_same_app_written_by_an_older_compiler_changes_nothing(lib_symbols):
    """`"ReturnTypeDefinition": {"Name": "None"}` is no return value; an interface is known by
    its name, whatever number the symbols give it."""
    assert compare_files(lib_symbols["old-1"], lib_symbols["new-1"]) == []
    changes = compare_files(lib_symbols["old-1"], lib_symbols["new-2"])
    assert [(c.code, c.kind, c.type, c.name, c.element, c.breaking) for c in changes] == [
        ("ALC0590", "procedure-added", "interface", "Lib Sink", "Count", False)]


def test_symbols_only_packages_give_what_compiled_metadata_gives(lib, lib_symbols, shop_apps, tmp_path):
    """The schema read from the symbols (Business Central's packages) finds the same changes
    as the schema read from alc's compiled metadata."""
    def key(changes):
        return sorted((c.code, c.kind, c.type, c.id, c.name, c.element or "", c.message, c.breaking) for c in changes)
    assert key(compare_files(lib_symbols["lib-1"], lib_symbols["lib-2"])) == key(compare_files(*lib))
    for change in sorted(CHANGES) + ["additive"]:
        old = _symbols_only(shop_apps["shop-1"], str(tmp_path / f"old-{change}.app"))
        new = _symbols_only(shop_apps[f"shop-{change}"], str(tmp_path / f"new-{change}.app"))
        assert key(compare_files(old, new)) == key(compare_files(shop_apps["shop-1"], shop_apps[f"shop-{change}"])), \
            change
