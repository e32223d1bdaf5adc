"""DocComments.xml, entitlements, MediaIdListing.xml and the logo, and XML
permission sets in packages, in the shape real packages show; unpack gives
them back."""

import io
import json
import re
import uuid
import zipfile

from alc.cli import main
from alc.build.compiler import CompileOptions, compile_project
from alc.emit.doccomments import object_members
from alc.package.reader import read_package
from alc.syntax.api import parse_source
from alc.source import SourceFile

APP = {"id": "5a1b2c3d-0000-4000-8000-00000000dd01", "name": "Files Demo", "publisher": "alc tests",
       "version": "1.0.0.0", "idRanges": [{"from": 50700, "to": 50799}], "runtime": "14.0"}

SOURCES = {
    "Conv.Codeunit.al": """/// <summary>
/// Converts text.
/// </summary>
codeunit 50700 "Text Conv."
{
    /// <summary>
    /// Converts <paramref name="Value"/>.   
    /// </summary>
    /// <param name="Value">The text.</param>
    /// <returns>The result.</returns>
    [Obsolete('Use the other one', '24.0')]
    procedure Convert(var Value: Text[30]; Cust: Record "Demo Cust."; Kind: Enum "Demo Kind";
                      Other: Codeunit "Text Conv."; L: List of [Text]): Code[20]
    begin
    end;

    /// <summary>Tries.</summary>
    [TryFunction]
    procedure TryIt()
    begin
    end;

    procedure Undocumented()
    begin
    end;
}
""",
    "Cust.Table.al": """/// <summary>A customer.</summary>
table 50700 "Demo Cust."
{
    fields
    {
        /// <summary>The number.</summary>
        field(1; "No."; Code[20]) { }
        field(2; Name; Text[50]) { }
    }
}
""",
    "Kind.Enum.al": """enum 50700 "Demo Kind"
{
    /// <summary>The first kind.</summary>
    value(0; First) { }
}
""",
    "Intf.Interface.al": """/// <summary>A provider.</summary>
interface "Demo Prov."
{
    /// <summary>Gets it.</summary>
    procedure Get(Key: Text): Boolean;
}
""",
    "Addin.ControlAddIn.al": """controladdin DemoAddIn
{
    Scripts = 'js/main.js', 'https://cdn.example.com/lib.js';
    StartupScript = 'js\\start.js';
    StyleSheets = './css/style.css';
    Images = 'img/logo.png', 'js/main.js';
    /// <summary>Ready.</summary>
    event Ready();
}
""",
    "List.Page.al": "page 50700 \"Demo Custs\" { SourceTable = \"Demo Cust.\"; }",
    "Print.Report.al": "report 50701 \"Demo Print\" { }",
    "Exp.XmlPort.al": "xmlport 50702 \"Demo Exp\" { schema { textelement(Root) { } } }",
    "Q.Query.al": "query 50703 \"Demo Q\" { elements { dataitem(C; \"Demo Cust.\") { column(No; \"No.\") { } } } }",
}


ADDIN_FILES = {"js/main.js": b"function main() {}", "js/start.js": b"main();", "css/style.css": b"body {}",
               "img/logo.png": b"\x89PNG fake"}


def _project(root, app=APP, sources=SOURCES, addin_files=ADDIN_FILES):
    root.mkdir(parents=True, exist_ok=True)
    (root / "app.json").write_text(json.dumps(app))
    for name, text in sources.items():
        (root / name).write_text(text)
    for rel, data in addin_files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def _compile(project, out):
    return compile_project(CompileOptions(project=str(project), package_cache=(), out=str(out), jobs=1))


def _members(text):
    return [(m.name, m.lines) for o in parse_source(SourceFile("x.al", text), lazy_bodies=True).objects
            for m in object_members(o)]


def test_doc_comment_member_names():
    names = [n for n, _ in _members(SOURCES["Conv.Codeunit.al"])]
    assert names == ["O:Codeunit::Text Conv#",
                     "M:Codeunit::Text Conv#.Convert(Text[30]@,Demo Cust#,Enum::Demo Kind,Codeunit::Text Conv#,List)"
                     ":Code[20]",
                     "M:Codeunit::Text Conv#.TryIt:Boolean"]
    assert [n for n, _ in _members(SOURCES["Cust.Table.al"])] == ["O:Table::Demo Cust#", "F:Table::Demo Cust#.No#"]
    assert [n for n, _ in _members(SOURCES["Kind.Enum.al"])] == ["E:Enum::Demo Kind.First"]
    # Interfaces and control add-ins have no kind, and keep their dots.
    assert [n for n, _ in _members(SOURCES["Intf.Interface.al"])] == ["O:.Demo Prov.",
                                                                      "M:.Demo Prov..Get(Text):Boolean"]
    assert [n for n, _ in _members(SOURCES["Addin.ControlAddIn.al"])] == ["EV:.DemoAddIn.Ready"]


def test_doc_comment_lines_are_kept_as_written():
    lines = dict(_members(SOURCES["Conv.Codeunit.al"]))
    convert = next(v for k, v in lines.items() if ".Convert(" in k)
    assert convert == ("<summary>", 'Converts <paramref name="Value"/>.   ', "</summary>",
                       '<param name="Value">The text.</param>', "<returns>The result.</returns>")


def test_package_files(tmp_path):
    project = _project(tmp_path / "p")
    out = tmp_path / "p.app"
    result = _compile(project, out)
    assert result.ok, result.diagnostics
    pkg = read_package(str(out))
    names = list(pkg.entries)
    entitlement = f"entitlement/{APP['id']}.xml"
    # The order real packages have: sources, DocComments, entitlement, symbols, MediaIdListing.
    order = [n for n in names if not n.startswith(("src/", "metadata/"))]
    # The add-in's scripts, style sheets and images, its zip, then the docket (Microsoft_System Application 21);
    # the startup script is only inlined in the zip's manifest.
    assert order == ["NavxManifest.xml", "DocComments.xml", entitlement, "SymbolReference.json", "MediaIdListing.xml",
                     "addin/src/js/main.js", "addin/src/css/style.css", "addin/src/img/logo.png",
                     "addin/DemoAddIn.zip", "addin/controladdins.dock", "[Content_Types].xml"]
    assert pkg.read("addin/src/js/main.js") == ADDIN_FILES["js/main.js"]
    docs = pkg.read("DocComments.xml").decode("utf-8")
    assert docs.startswith('<?xml version="1.0"?>\r\n<doc>\r\n    <application>\r\n        <id>' + APP["id"])
    assert docs.endswith("    </members>\r\n</doc>\r\n")
    # Runtime 14: current compilers' names (a Code field with its length).
    assert ('        <member name="F:Table::Demo Cust#.No#[20]">\r\n            <summary>The number.</summary>\r\n'
            '        </member>\r\n') in docs
    assert docs.count("<member ") == 9
    ent = pkg.read(entitlement).decode("utf-8-sig")
    assert re.findall(r'Type="(\d+)" ID="(\d+)" Value="(\d+)"', ent) == [
        ("0", "50700", "15"), ("1", "50700", "16"), ("3", "50701", "16"), ("5", "50700", "16"), ("6", "50702", "16"),
        ("8", "50700", "16"), ("9", "50703", "16")]
    assert ent.startswith('<?xml version="1.0" encoding="utf-8"?>\r\n<Entitlement MetadataVersion="130000" '
                          f'Name="{APP["id"]}" Type="Implicit"')
    media = pkg.read("MediaIdListing.xml")
    assert media == ('\ufeff<MediaIdListing LogoFileName="" LogoId="" '
                     'xmlns="http://schemas.microsoft.com/navx/2016/mediaidlisting">\r\n  <MediaSetIds />\r\n'
                     '</MediaIdListing>').encode("utf-8")


PERMS = """<?xml version="1.0" encoding="utf-8"?>
<PermissionSets>
  <PermissionSet RoleID="FILES DEMO" RoleName="Files Demo">
    <Permission><ObjectID>50700</ObjectID><ObjectType>5</ObjectType><ExecutePermission>1</ExecutePermission>
    </Permission>
  </PermissionSet>
</PermissionSets>"""


def test_logo_and_xml_permission_sets(tmp_path):
    png = b"\x89PNG\r\n\x1a\nnot really an image"
    project = _project(tmp_path / "p", app=dict(APP, logo="./Images/Logo.png"))
    (project / "Images").mkdir()
    (project / "Images" / "Logo.png").write_bytes(png)
    (project / "extensionsPermissionSet.xml").write_text(PERMS)
    (project / "other.xml").write_text("<Settings/>")                 # not a permission set: not packed
    (project / "sub").mkdir()
    (project / "sub" / "more.xml").write_text(PERMS)
    out = tmp_path / "p.app"
    assert _compile(project, out).ok
    pkg = read_package(str(out))
    assert pkg.read("logo/Logo.png") == png
    assert [n for n in pkg.entries if n.startswith("perm/")] == ["perm/file0_extensionsPermissionSet.xml",
                                                                 "perm/file1_more.xml"]
    media = pkg.read("MediaIdListing.xml").decode("utf-8-sig")
    logo_id = re.search(r'LogoFileName="Logo.png" LogoId="([0-9a-f-]{36})"', media).group(1)
    again = tmp_path / "again.app"
    assert _compile(project, again).ok and again.read_bytes() == out.read_bytes()   # the logo id is stable
    types = pkg.read("[Content_Types].xml").decode("utf-8-sig")
    assert '<Default Extension="png" ContentType="" />' in types
    # Unpack gives them back, and the rebuild is identical.
    folder = tmp_path / "u"
    assert main(["unpack", str(out), str(folder)]) == 0
    assert (folder / "Images" / "Logo.png").read_bytes() == png
    assert (folder / "XmlPermissionSets" / "0000" / "extensionsPermissionSet.xml").read_text() == PERMS
    rebuilt = tmp_path / "rebuilt.app"
    assert _compile(folder, rebuilt).ok
    assert rebuilt.read_bytes() == out.read_bytes()
    assert uuid.UUID(logo_id).version == 5                      # derived, not drawn at random


def test_a_missing_add_in_file_is_an_error_at_its_property(tmp_path):
    files = {k: v for k, v in ADDIN_FILES.items() if k != "css/style.css"}
    project = _project(tmp_path / "p", addin_files=files)
    result = _compile(project, tmp_path / "p.app")
    errors = [d for d in result.diagnostics if d.is_error]
    assert [d.code for d in errors] == ["ALC0465"]
    line = SOURCES["Addin.ControlAddIn.al"].splitlines().index("    StyleSheets = './css/style.css';") + 1
    assert errors[0].span.line == line and "./css/style.css" in errors[0].message


def test_add_in_files_beside_the_source_file_and_wildcards(tmp_path):
    # The platform looks in the project folder first, then beside the control add-in's source file (runtime 13);
    # `*` and `?` name every matching file. A file found beside the source is packed under its project path.
    addin = """controladdin Beside
{
    Scripts = 'lib/*.js';
    StartupScript = 'start.js';
    Images = 'img/logo.png';
}
"""
    project = _project(tmp_path / "p", sources={},
                       addin_files={"src/addin/Beside.ControlAddIn.al": addin.encode(), "src/addin/start.js": b"go();", "img/logo.png": b"png",
                                    "src/addin/img/logo.png": b"other", "lib/b.js": b"b", "lib/a.js": b"a",
                                    "lib/c.css": b"c"})
    result = _compile(project, tmp_path / "p.app")
    assert not [d for d in result.diagnostics if d.is_error], result.diagnostics
    with zipfile.ZipFile(tmp_path / "p.app") as z:
        names = [n for n in z.namelist() if n.startswith("addin/")]
        assert names == ["addin/src/lib/a.js", "addin/src/lib/b.js", "addin/src/img/logo.png", "addin/Beside.zip",
                         "addin/controladdins.dock"]
        assert z.read("addin/src/img/logo.png") == b"png"        # the project folder comes first
        with zipfile.ZipFile(io.BytesIO(z.read("addin/Beside.zip"))) as inner:
            assert b"<Script><![CDATA[go();]]></Script>" in inner.read("manifest.xml")   # found beside the source
    (project / "src" / "addin" / "start.js").unlink()
    for f in ("a.js", "b.js"):
        (project / "lib" / f).unlink()
    result = _compile(project, tmp_path / "q.app")
    assert sorted((d.code, d.span.line) for d in result.diagnostics if d.is_error) == [("ALC0465", 3), ("ALC0465", 4)]


def test_logo_and_add_in_files_are_found_without_regard_to_case(tmp_path):
    # Projects come from Windows: W1 apps name `ExtensionLogo.png` for `extensionlogo.png`, and a control
    # add-in names `...\\Taxinformation.css` for `TaxInformation.css`. The entries keep the names as written.
    addin = "controladdin Cased { StyleSheets = '.\\Styles\\Main.CSS'; }"
    project = _project(tmp_path / "p", app=dict(APP, logo="ExtensionLogo.png"), sources={"a.al": addin},
                       addin_files={"extensionlogo.png": b"png", "styles/main.css": b"body {}"})
    out = tmp_path / "p.app"
    result = _compile(project, out)
    assert not [d for d in result.diagnostics if d.is_error], result.diagnostics
    pkg = read_package(str(out))
    assert pkg.read("logo/ExtensionLogo.png") == b"png" and pkg.read("addin/src/Styles/Main.CSS") == b"body {}"


def test_inspect_lists_resources_and_entitlements(tmp_path, capsys):
    entitlement = 'entitlement "Demo Ent" { Type = Role; RoleType = Local; ObjectEntitlements = "Demo"; }'
    project = _project(tmp_path / "p", sources=dict(SOURCES, **{"Ent.Entitlement.al": entitlement}))
    out = tmp_path / "p.app"
    assert _compile(project, out).ok
    assert main(["inspect", str(out)]) == 0
    text = capsys.readouterr().out
    assert "entitlements (1):\n  \"Demo Ent\" (type Role, role Local): Demo\n" in text
    assert "implicit entitlements (7):" in text and "  tabledata 50700: RIMD" in text and "  query 50703: X" in text
    assert re.search(r"  addin +addin/src/js/main.js \(18 bytes\)", text)
    assert re.search(r"  doccomments +DocComments.xml", text)
    assert main(["inspect", str(out), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"kind": "addin", "entry": "addin/src/css/style.css", "size": 7} in doc["resources"]
    assert {"type": 0, "id": 50700, "value": 15} in doc["implicit_entitlements"]


def test_missing_logo_and_broken_permission_set(tmp_path):
    project = _project(tmp_path / "p", app=dict(APP, logo="logo.png"))
    (project / "bad.xml").write_text("<PermissionSets><PermissionSet>")
    out = tmp_path / "p.app"
    result = _compile(project, out)
    assert sorted(d.code for d in result.diagnostics if d.is_error) == ["ALC0463", "ALC0464"]
    assert not out.exists()


def test_resource_folders(tmp_path, capsys):
    project = _project(tmp_path / "p", app=dict(APP, resourceFolders=["Resources", "More"]))
    for rel, data in (("Resources/Images/a.png", b"png"), ("Resources/Templates/t.txt", b"text"),
                      ("More/data.json", b"{}")):
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_bytes(data)
    out = tmp_path / "p.app"
    assert _compile(project, out).ok
    pkg = read_package(str(out))
    # Named by their path from their resource folder, as NavApp.GetResource reads them.
    assert [n for n in pkg.entries if n.startswith("resources/")] == [
        "resources/Images/a.png", "resources/Templates/t.txt", "resources/data.json"]
    assert pkg.read("resources/Templates/t.txt") == b"text"
    folder = tmp_path / "u"
    assert main(["unpack", str(out), str(folder)]) == 0
    assert (folder / "Resources" / "Images" / "a.png").read_bytes() == b"png"
    rebuilt = tmp_path / "rebuilt.app"
    assert _compile(folder, rebuilt).ok and rebuilt.read_bytes() == out.read_bytes()
    assert main(["inspect", str(out)]) == 0
    assert re.search(r"  resource +resources/data.json \(2 bytes\)", capsys.readouterr().out)


def test_resource_folder_problems(tmp_path):
    project = _project(tmp_path / "p", app=dict(APP, resourceFolders=["Missing", "A", "B"]))
    for rel in ("A/x.txt", "B/X.txt"):
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text("x")
    result = _compile(project, tmp_path / "p.app")
    messages = sorted(d.message for d in result.diagnostics if d.code == "ALC0466")
    assert messages == ["resource `X.txt` is in two resource folders", "resource folder `Missing` does not exist"]


def test_unpack_round_trip_and_workers_give_the_same_bytes(tmp_path):
    """Every resource kind in one project: one process or two workers, and
    compile -> unpack -> compile, give the same bytes."""
    app = dict(APP, features=["TranslationFile"], logo="logo.png", resourceFolders=["Res"])
    sources = dict(SOURCES, **{f"C{i}.Codeunit.al": f"codeunit {50710 + i} C{i} {{ var L: Label 'Text {i}'; }}"
                               for i in range(20)})
    project = _project(tmp_path / "p", app=app, sources=sources)
    (project / "logo.png").write_bytes(b"\x89PNG logo")
    (project / "Res").mkdir()
    (project / "Res" / "r.txt").write_text("resource")
    (project / "perms.xml").write_text(PERMS)
    one, two = tmp_path / "one.app", tmp_path / "two.app"
    assert compile_project(CompileOptions(project=str(project), package_cache=(), out=str(one), jobs=1)).ok
    assert compile_project(CompileOptions(project=str(project), package_cache=(), out=str(two), jobs=2)).ok
    assert one.read_bytes() == two.read_bytes()
    names = set(read_package(str(one)).entries)
    assert {"Translations/Files Demo.g.xlf", "logo/logo.png", "resources/r.txt", "perm/file0_perms.xml",
            "addin/src/js/main.js", "DocComments.xml", "MediaIdListing.xml"} <= names
    folder = tmp_path / "u"
    assert main(["unpack", str(one), str(folder)]) == 0
    again = tmp_path / "again.app"
    assert _compile(folder, again).ok
    assert again.read_bytes() == one.read_bytes()
