"""Code analysis (alc/semantic/code): the switch, the built-in API data, and
binding cases that must give no diagnostic (the failing cases are in
tests/data/compile/code)."""

import json
import os

import pytest

from alc.build.compiler import CompileOptions, compile_project
from alc.semantic.code.bind import check_code
from alc.semantic.code.builtins import builtins
from alc.semantic.model import SymbolTable
from alc.syntax.api import parse_text

from apps import compile_samples

DATA = os.path.join(os.path.dirname(__file__), "data", "compile", "code")


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("codecache"))
    compile_samples(folder)
    return folder


def test_no_code_analysis_binds_nothing_but_checks_syntax(cache, tmp_path):
    on = compile_project(CompileOptions(project=DATA, package_cache=(cache,), out=str(tmp_path / "a.app"), jobs=1))
    off = compile_project(CompileOptions(project=DATA, package_cache=(cache,), out=str(tmp_path / "b.app"), jobs=1,
                                         code_analysis=False))
    assert {d.code for d in on.diagnostics} >= {"ALC0230", "ALC0231", "ALC0232", "ALC0233"}
    assert on.output is None and on.code["bodies"] == 28 and on.code["references"] > 100
    assert not off.diagnostics and off.output and os.path.isfile(off.output) and off.code == {}


def test_syntax_errors_in_bodies_are_reported_once_with_code_analysis(cache, tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    (project / "app.json").write_text(json.dumps({"id": "11111111-0000-4000-8000-0000000000aa", "name": "P",
                                                  "publisher": "t", "version": "1.0.0.0"}))
    (project / "a.al").write_text("codeunit 50100 A { trigger OnRun() begin if then; end; }")
    for analysis in (True, False):
        result = compile_project(CompileOptions(project=str(project), package_cache=(cache,), jobs=1,
                                                out=str(tmp_path / "o.app"), code_analysis=analysis))
        assert [(d.code, d.span.line) for d in result.diagnostics] == [("ALC0101", 1)]


def _bind(text: str) -> list:
    diags, _ = check_code(parse_text(text).unit.objects, SymbolTable([]))
    return [(d.code, d.message) for d in diags]


def test_unknown_objects_are_never_guessed():
    # Records of tables alc does not know, `with` on them, and pages without a known source table: nothing reported.
    assert _bind("""codeunit 50100 A {
        var R: Record "Not Known";
        procedure P() begin R.Whatever := 1; R.Anything(1, 2); R.SetRange(NoField, 1);
            with R do Foo := Bar; end; }""") == []
    assert _bind("""codeunit 50100 T { procedure H(var P: TestPage "Any Page")
        begin P.FindFirstField("Display Name", 'x'); P.OK().Invoke(); P.Next.Invoke();
            if P.Back.Visible() then; end; }""") == []
    assert _bind("""page 50100 P { SourceTable = "Not Known";
        trigger OnOpenPage() begin "Some Field" := 1; SetSelectionFilter(Rec); end; }""") == []


def test_scopes_that_bind():
    assert _bind("""codeunit 50100 A {
        var G: Integer; Lbl: Label 'x';
        procedure P(Par: Integer) Ret: Integer
        var L: Integer; Arr: array[2] of Integer;
        begin L := G + Par + Arr[1]; Ret := L; Message(Lbl); this.G := 1; Q; Q(); exit(StrLen(Format(Today)));
            Page.Run(0); Session.LogMessage('a', 'b', Verbosity::Normal, DataClassification::SystemMetadata,
                TelemetryScope::All, 'c', 'd');
            if CurrentClientType = ClientType::Web then; end;
        procedure Q() begin end; }""") == []


def test_builtins_data_comes_from_the_reference():
    api = builtins()
    assert "MicrosoftDocs" in api.source
    for name in ("message", "error", "confirm", "strsubstno", "format", "evaluate", "calcdate", "today",
                 "workdate", "round", "abs", "power", "copystr", "strlen", "strpos", "uppercase", "delchr",
                 "padstr", "selectstr", "incstr", "convertstr", "companyname", "userid", "tenantid", "guiallowed",
                 "commit", "sleep", "random", "randomize", "createguid", "isnullguid", "date2dmy"):
        assert api.is_global(name), name
    for name in ("get", "findfirst", "setrange", "validate", "testfield", "calcfields", "modifyall", "fieldno"):
        assert api.method("record", name), name
    assert api.method("record", "findfirst")[0][2] == "Boolean"
    assert api.method("codeunit", "run")
    assert not api.is_global("nosuchmethod") and not api.method("record", "nosuchmethod")


def test_cli_prints_help_and_has_the_switch(cache, tmp_path, capsys):
    from alc.cli import main
    code = main(["compile", "--project", DATA, "--packagecachepath", cache, "--out", str(tmp_path / "a.app")])
    out = capsys.readouterr().out
    assert code == 1
    assert "error ALC0230: `Nmae` is not a field of record `Demo Customer`\n    help: did you mean `Name`?" in out
    code = main(["compile", "--project", DATA, "--packagecachepath", cache, "--out", str(tmp_path / "b.app"),
                 "--no-code-analysis"])
    assert code == 0 and "ALC023" not in capsys.readouterr().out


def test_arguments_after_a_field_bind_in_the_callers_scope(cache, tmp_path):
    # A value argument of SetRange whose name the caller declares is the caller's: `Kind` is the caller's
    # variable (a record), not the table's procedure `Kind` returning an Integer (a W1 test app does this);
    # a name the caller does not declare still finds the record's field (`SetRange(Command, Command)`).
    project = tmp_path / "p"
    project.mkdir()
    (project / "app.json").write_text(json.dumps({"id": "11111111-0000-4000-8000-0000000000ab", "name": "P",
                                                  "publisher": "t", "version": "1.0.0.0"}))
    src = """table 50100 Ctx { fields { field(1; Command; Text[30]) { } }
        procedure Kind() K: Integer begin end; }
    table 50101 Other { fields { field(1; Name; Text[30]) { } } }
    codeunit 50100 A {
        var Kind: Record Other; C: Record Ctx;
        procedure P() begin C.SetRange(Command, Kind.Name); C.SetFilter(Command, '%1', Kind.Name);
            C.LoadFields(Command); C.SetRange(Command, Command); end; }"""

    def codes(text):
        (project / "a.al").write_text(text)
        result = compile_project(CompileOptions(project=str(project), package_cache=(cache,), jobs=1,
                                                out=str(tmp_path / "o.app")))
        return [(d.code, d.span.line) for d in result.diagnostics]
    assert codes(src) == []
    # ... while the field argument itself is the record's.
    assert codes(src.replace("C.SetRange(Command, Kind", "C.SetRange(Commnd, Kind")) == [("ALC0230", 6)]


def test_type_rules_accept_the_conversions_al_allows():
    # Implicit conversions AL performs, and types alc does not judge (Variant, unknown records, generics).
    assert _bind("""codeunit 50100 A {
        var I: Integer; D: Decimal; B: BigInteger; T: Text; C: Code[20]; Ch: Char; G: Guid; V: Variant;
            O: Option A,B; Dt: Date; Tm: Time; Dtm: DateTime; Du: Duration; R: Record "Not Known"; L: List of [Text];
            Lbl: Label 'x';
        procedure P(var Q: Integer; S: Text): Boolean
        begin I := D; D := I; B := I; I := Ch; T := Ch; T := C; C := T; T := Lbl; T := G; G := T; V := R; I := V;
            I := O; O := I; Du := I; Dt := Today; Tm := Time; Dtm := CurrentDateTime; I := Dt - Dt; Dt := Dt + 1;
            Dtm := Dtm + Du; T := T + Ch + C; D := I * D / 2; I := I div 2 mod 3; I := -I;
            if (I = Ch) and (T = C) and (G = T) and (O = 1) and (V = I) then;
            if V then; while R.Next() <> 0 do; repeat until L.Contains(T);
            P(I, T); P(Q, 'x'); P(V, V); Evaluate(I, T); L.Add(T); L.Get(1, T); I := StrLen(T) + L.Count;
            case I of 1, 2..3: ; O::B: ; Ch: ; end; case true of I > 1: ; V: ; end;
            exit(I > 0); end; }""") == []


def test_type_rules_report_what_is_certainly_wrong():
    codes = [c for c, _ in _bind("""codeunit 50100 A {
        var I: Integer; T: Text; Bo: Boolean; Dt: Date; Dtm: DateTime;
        procedure P(var Q: Integer; S: Text)
        begin I := T; T := I; Bo := I; Dt := Dtm; if I then; while T do; I := T * 2; Bo := Bo and I;
            P(1, T); P(I, I); exit(1);
            case I of 'ab': ; end; end; }""")]
    assert codes == ["ALC0235", "ALC0235", "ALC0235", "ALC0235", "ALC0239", "ALC0239", "ALC0250", "ALC0250",
                     "ALC0238", "ALC0237", "ALC0252", "ALC0251"]


def test_mutation_generator_drops_only_arguments_no_overload_can_miss():
    import random
    from benchmarks.mutation import mutants
    text = """codeunit 50100 A {
        procedure P(A: Integer; B: Integer) var I: Integer; T: Text;
        begin P(1, 2); T := CopyStr(T, 1, 2); I := StrLen(T); I := 5; Q(I, 2); end;
        procedure Q(var X: Integer) begin end;
        procedure Q(X: Integer; Y: Integer) begin end; }"""
    objects = parse_text(text).unit.objects
    trace: dict = {}
    assert check_code(objects, SymbolTable([]), trace=trace)[0] == []
    found = mutants("a.al", text, objects, random.Random(1), trace)
    dropped = sorted(text[m.start - 12:m.end + 1] for m in found["argument"])
    # `P(1, 2)` and `StrLen(T)` lose an argument no overload can miss; CopyStr's third is optional and
    # Q has an overload with one parameter fewer.
    assert [d.rsplit("(", 1)[0].split()[-1] for d in dropped] == ["P", "StrLen"]
    texts = [m.apply(text) for m in found["text"]]
    assert len(texts) == 2 and all("Format(" in t for t in texts)   # I := StrLen(T); I := 5 (T := ... is Text)
    assert [check_code(parse_text(t).unit.objects, SymbolTable([]))[0][0].code for t in texts] == ["ALC0235"] * 2
