"""Warnings under control: --nowarn, --warnaserror[+|-][:CODES], #pragma warning, app.json
suppressWarnings and ruleSetPath, ruleset files with includedRuleSets, and their precedence."""

import json
import os

import pytest

from alc.cli import main
from alc.diagnostics import Diagnostic, Severity
from alc.build.ruleset import RuleSet, RuleSetError, WarningPolicy, load_ruleset
from alc.source import SourceFile

# Two warnings of ALC0221 (platform tables without the platform package) and one ALC0411 (an unknown
# feature in app.json); no errors.
CODEUNIT = """codeunit 60800 "Warn Demo"
{
    var
        Company: Record Company;
#pragma warning disable ALC0221
        Session: Record "Active Session";
#pragma warning restore ALC0221
        Other: Record "Session Event";
}
"""


def _project(tmp_path, source=CODEUNIT, **app):
    folder = tmp_path / "proj"
    folder.mkdir()
    manifest = {"id": "11111111-0000-4000-8000-0000000000c1", "name": "Warn Demo", "publisher": "alc tests",
                "version": "1.0.0.0", "idRanges": [{"from": 60800, "to": 60899}], "features": ["NoSuchFeature"]}
    manifest.update(app)
    (folder / "app.json").write_text(json.dumps(manifest))
    (folder / "Demo.Codeunit.al").write_text(source)
    return folder


def _write(path, data):
    path.write_text(json.dumps(data))
    return str(path)


def _compile_json(capsys, folder, *extra):
    code = main(["compile", "--project", str(folder), "--out", str(folder / "out.app"), "-j", "1",
                 "--format", "json", *extra])
    report = json.loads(capsys.readouterr().out)
    seen = sorted((d["code"], d["severity"], d["line"]) for d in report["diagnostics"])
    return code, seen, report["suppressed"]


# -------------------------------------------------------------- end to end --

def test_pragma_suppresses_between_disable_and_restore(tmp_path, capsys):
    code, seen, suppressed = _compile_json(capsys, _project(tmp_path))
    assert code == 0
    assert seen == [("ALC0221", "warning", 4), ("ALC0221", "warning", 8), ("ALC0411", "warning", 1)]
    assert suppressed == {"total": 1, "by": {"pragma": 1}}


def test_warnaserror_fails_the_build_and_writes_nothing(tmp_path, capsys):
    folder = _project(tmp_path)
    code, seen, _ = _compile_json(capsys, folder, "/warnaserror+")
    assert code == 1 and not (folder / "out.app").exists()
    assert {s for _, s, _ in seen} == {"error"}


def test_warnaserror_for_some_codes_and_exemptions(tmp_path, capsys):
    folder = _project(tmp_path)
    code, seen, _ = _compile_json(capsys, folder, "--warnaserror+:ALC0411")
    assert code == 1 and ("ALC0411", "error", 1) in seen and ("ALC0221", "warning", 4) in seen
    code, seen, _ = _compile_json(capsys, folder, "--warnaserror", "--warnaserror-:alc0221")
    assert code == 1 and ("ALC0411", "error", 1) in seen and ("ALC0221", "warning", 4) in seen


def test_nowarn_spellings_and_app_json_suppress_warnings(tmp_path, capsys):
    folder = _project(tmp_path, suppressWarnings=["ALC0411"])
    code, seen, suppressed = _compile_json(capsys, folder, "/nowarn:ALC0221")
    assert code == 0 and seen == []
    assert suppressed == {"total": 4, "by": {"nowarn": 3, "suppressWarnings": 1}}  # nowarn comes first
    code, seen, _ = _compile_json(capsys, folder, "--nowarn", "alc0221,ALC9999", "--warnaserror")
    assert code == 0 and seen == []  # nowarn wins over warnaserror


def test_ruleset_from_app_json_and_the_command_line(tmp_path, capsys):
    folder = _project(tmp_path, ruleSetPath="rules/project.ruleset.json")
    (folder / "rules").mkdir()
    _write(folder / "rules" / "project.ruleset.json",
           {"name": "Project", "rules": [{"id": "ALC0221", "action": "Error", "justification": "platform apps"},
                                         {"id": "ALC0411", "action": "Hidden"}]})
    code, seen, suppressed = _compile_json(capsys, folder)
    assert code == 1 and seen == [("ALC0221", "error", 4), ("ALC0221", "error", 8)]
    assert suppressed["by"] == {"pragma": 1, "ruleset": 1}
    other = _write(tmp_path / "other.ruleset.json", {"name": "Other", "rules": [{"id": "ALC0221", "action": "Info"}]})
    code, seen, _ = _compile_json(capsys, folder, "--ruleset", other)  # the command line's ruleset wins
    assert code == 0 and seen == [("ALC0221", "info", 4), ("ALC0221", "info", 8), ("ALC0411", "warning", 1)]


def test_bad_ruleset_is_one_message_and_exit_2(tmp_path, capsys):
    folder = _project(tmp_path, ruleSetPath="broken.ruleset.json")
    (folder / "broken.ruleset.json").write_text('{"name": "X", "rules": [{"id": "ALC0221", "action": "Loud"}]}')
    assert main(["compile", "--project", str(folder), "--out", str(tmp_path / "o.app")]) == 2
    out = capsys.readouterr().out
    assert "error ALC0414: ruleset" in out and "must be one of Error, Warning" in out and "Traceback" not in out
    assert main(["compile", "--project", str(folder), "--ruleset", str(tmp_path / "none.json")]) == 2
    assert "no such ruleset file" in capsys.readouterr().err
    assert main(["compile", "--project", str(folder), "--warnaserror=*"]) == 2


# ----------------------------------------------------------------- rulesets --

def test_included_rulesets(tmp_path):
    """Included rules take the include's action unless it is Default; the file's own rules win;
    the stricter generalAction applies."""
    (tmp_path / "shared").mkdir()
    _write(tmp_path / "shared" / "team.ruleset.json",
           {"name": "Team", "generalAction": "Warning",
            "rules": [{"id": "A1", "action": "Error"}, {"id": "A2", "action": "Hidden"}],
            "includedRuleSets": [{"path": "strict.ruleset.json", "action": "Default"}]})
    _write(tmp_path / "shared" / "strict.ruleset.json",
           {"name": "Strict", "generalAction": "Error", "rules": [{"id": "A3", "action": "Info"}]})
    _write(tmp_path / "quiet.ruleset.json", {"name": "Quiet", "rules": [{"id": "B1", "action": "Error"}]})
    root = _write(tmp_path / "root.ruleset.json",
                  {"name": "Root", "rules": [{"id": "a2", "action": "Warning"}],
                   "includedRuleSets": [{"path": "shared/team.ruleset.json"},
                                        {"path": "quiet.ruleset.json", "action": "None"}]})
    rs = load_ruleset(root)
    assert rs.rules == {"A1": "error", "A2": "warning", "A3": "info", "B1": "none"}
    assert rs.general == "error"


def test_ruleset_that_includes_itself(tmp_path):
    _write(tmp_path / "a.json", {"name": "A", "includedRuleSets": [{"path": "b.json"}]})
    _write(tmp_path / "b.json", {"name": "B", "includedRuleSets": [{"path": "a.json"}]})
    with pytest.raises(RuleSetError, match="includes itself: .*a.json --> .*b.json --> .*a.json"):
        load_ruleset(str(tmp_path / "a.json"))


# --------------------------------------------------------------- precedence --

def _warn(code, at=0, text="x\ny\nz\n", severity=Severity.WARNING):
    return Diagnostic(code, severity, "m", SourceFile("p.al", text).span(at, at + 1))


def _policy(rules=None, general=None, **kw):
    ruleset = RuleSet("test", rules or {}, general) if rules is not None or general else None
    return WarningPolicy(ruleset=ruleset, **{k: frozenset(v) if isinstance(v, set) else v for k, v in kw.items()})


@pytest.mark.parametrize("policy, expected", [
    (_policy(), "warning"),
    (_policy(nowarn={"W1"}, as_error={"W1"}), "nowarn"),
    (_policy(suppress_warnings={"W1"}, warnaserror=True), "suppressWarnings"),
    (_policy(as_error={"W1"}, rules={"W1": "hidden"}), "error"),
    (_policy(not_as_error={"W1"}, rules={"W1": "error"}), "warning"),
    (_policy(warnaserror=True, rules={"W1": "warning"}), "warning"),
    (_policy(warnaserror=True, rules={"W1": "default"}, general="info"), "error"),
    (_policy(rules={"W1": "none"}), "ruleset"),
    (_policy(general="error"), "error"),
], ids=["default", "nowarn-beats-warnaserror-code", "suppresswarnings-beats-warnaserror",
        "warnaserror-code-beats-ruleset", "warnaserror-minus-beats-ruleset", "ruleset-rule-beats-warnaserror",
        "warnaserror-beats-generalaction", "ruleset-none", "generalaction"])
def test_precedence(policy, expected):
    out = policy.apply([_warn("W1")])
    got = out.suppressed[0][0] if out.suppressed else str(out.diagnostics[0].severity)
    assert got == expected


def test_errors_are_never_changed():
    out = _policy(nowarn={"E1"}, rules={"E1": "hidden"}).apply([_warn("E1", severity=Severity.ERROR)])
    assert out.suppressed == () and out.diagnostics[0].is_error


def test_pragma_without_codes_disables_everything_until_restore():
    text = "X1\n#pragma warning disable\nX2\n#pragma warning restore ALC0001\nX3\n#pragma warning restore\nX4\n"
    ds = [_warn(code, text.index(at), text) for code in ("ALC0001", "ALC0002") for at in ("X1", "X2", "X3", "X4")]
    out = WarningPolicy().apply(ds)
    assert sorted((d.code, d.location()[1]) for d in out.diagnostics) == [
        ("ALC0001", 1), ("ALC0001", 5), ("ALC0001", 7), ("ALC0002", 1), ("ALC0002", 7)]
    assert [d.location()[1] for _, d in out.suppressed] == [3, 3, 5]
