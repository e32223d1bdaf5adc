"""Report layouts in packages: every kind of layout is packed as
`layout/<path>` in declaration order, recorded in symbols and metadata, and a
missing layout file is an error at its property."""

import json
import os
import zipfile

from alc.cli import main
from alc.build.compiler import CompileOptions, compile_project
from alc.package.reader import read_package

APP = {"id": "5a1b2c3d-0000-4000-8000-00000000aa01", "name": "Layout Demo", "publisher": "alc tests",
       "version": "1.0.0.0", "idRanges": [{"from": 50300, "to": 50399}], "runtime": "14.0"}

TABLE = """table 50300 "Demo Doc"
{
    fields
    {
        field(1; "No."; Code[20]) { }
        field(2; Amount; Decimal) { }
    }
}
"""

REPORT = """report 50300 "Demo Doc Print"
{
    RDLCLayout = './Layouts/DemoDoc.rdl';
    WordLayout = 'Layouts\\DemoDoc.docx';
    ExcelLayout = 'DemoDoc.xlsx';
    DefaultLayout = RDLC;

    dataset
    {
        dataitem(Doc; "Demo Doc")
        {
            column(No; "No.") { }
            column(Amount; Amount) { }
        }
    }

    rendering
    {
        layout(Summary)
        {
            Type = RDLC;
            LayoutFile = './Layouts/Summary.rdlc';
            Caption = 'Summary';
        }
        layout(Letter)
        {
            Type = Word;
            LayoutFile = './Layouts/Letter.docx';
        }
        layout(Custom)
        {
            Type = Custom;
            LayoutFile = './Layouts/Custom.txt';
            MimeType = 'Application/Text';
        }
    }
}
"""

EXTENSION = """reportextension 50301 "Demo Doc Print Ext" extends "Demo Doc Print"
{
    rendering
    {
        layout(Extra)
        {
            Type = Excel;
            LayoutFile = './Layouts/Extra.xlsx';
        }
        layout(Again)
        {
            Type = RDLC;
            LayoutFile = './layouts/demodoc.RDL';
        }
    }
}
"""

FILES = {"Layouts/DemoDoc.rdl": b"<Report>rdl</Report>", "Layouts/DemoDoc.docx": b"PK docx",
         "DemoDoc.xlsx": b"PK xlsx", "Layouts/Summary.rdlc": b"<Report>summary</Report>",
         "Layouts/Letter.docx": b"PK letter", "Layouts/Custom.txt": b"custom text",
         "Layouts/Extra.xlsx": b"PK extra"}

EXPECTED_ENTRIES = ["layout/Layouts/DemoDoc.rdl", "layout/Layouts/DemoDoc.docx", "layout/DemoDoc.xlsx",
                    "layout/Layouts/Summary.rdlc", "layout/Layouts/Letter.docx", "layout/Layouts/Custom.txt",
                    "layout/Layouts/Extra.xlsx"]


def make_project(root, files=FILES, report=REPORT, extension=EXTENSION):
    root.mkdir(parents=True, exist_ok=True)
    (root / "app.json").write_text(json.dumps(APP))
    src = root / "src"
    src.mkdir(exist_ok=True)
    (src / "DemoDoc.Table.al").write_text(TABLE)
    (src / "DemoDocPrint.Report.al").write_text(report)
    if extension:
        (src / "DemoDocPrintExt.ReportExt.al").write_text(extension)
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def build(project, out, jobs=1):
    return compile_project(CompileOptions(project=str(project), package_cache=(), out=str(out), jobs=jobs))


def test_every_kind_of_layout_is_packed_in_declaration_order(tmp_path):
    project = make_project(tmp_path / "p")
    out = tmp_path / "p.app"
    result = build(project, out)
    assert result.ok, result.diagnostics
    pkg = read_package(str(out))
    layouts = [n for n in pkg.entries if n.startswith("layout/")]
    assert layouts == EXPECTED_ENTRIES
    for entry in EXPECTED_ENTRIES:
        rel = entry[len("layout/"):]
        assert pkg.read(entry) == FILES[rel]
    # Layouts come after symbols and metadata, before [Content_Types].xml, as in real packages.
    names = list(pkg.entries)
    assert names.index("SymbolReference.json") < names.index(EXPECTED_ENTRIES[0])
    assert names[-1] == "[Content_Types].xml"
    types = pkg.read("[Content_Types].xml").decode("utf-8-sig")
    for ext in ("rdl", "docx", "xlsx", "rdlc", "txt"):
        assert f'<Default Extension="{ext}" ContentType="" />' in types


def test_layouts_keep_the_path_as_written(tmp_path):
    """A path in a subfolder keeps its folders under layout/ (the BcContainerHelper
    issue #1992 package: 'src/Layout/X.rdlc' -> layout/src/Layout/X.rdlc)."""
    report = REPORT.replace("'./Layouts/DemoDoc.rdl'", "'src/Layout/Master Document.rdlc'")
    files = dict(FILES)
    files["src/Layout/Master Document.rdlc"] = files.pop("Layouts/DemoDoc.rdl")
    project = make_project(tmp_path / "p", files=files, report=report, extension=None)
    out = tmp_path / "p.app"
    assert build(project, out).ok
    with zipfile.ZipFile(out) as z:
        raw = [n for n in z.namelist() if n.startswith("layout/")]
    assert raw[0] == "layout/src/Layout/Master%20Document.rdlc"


def test_symbols_and_metadata_record_each_layout(tmp_path):
    project = make_project(tmp_path / "p")
    out = tmp_path / "p.app"
    assert build(project, out).ok
    pkg = read_package(str(out))
    report = next(o for o in pkg.symbols.objects() if o.kind == "report")
    props = {p.name: p.value for p in report.properties}
    assert props["RDLCLayout"] == "./Layouts/DemoDoc.rdl" and props["WordLayout"] == "Layouts\\DemoDoc.docx"
    assert props["ExcelLayout"] == "DemoDoc.xlsx"
    assert [(x.name, {p.name: p.value for p in x.properties}["LayoutFile"]) for x in report.layouts] == [
        ("Summary", "./Layouts/Summary.rdlc"), ("Letter", "./Layouts/Letter.docx"), ("Custom", "./Layouts/Custom.txt")]
    ext = next(o for o in pkg.symbols.objects() if o.kind == "reportextension")
    assert [x.name for x in ext.layouts] == ["Extra", "Again"]
    raw = json.loads(pkg.read("SymbolReference.json").decode("utf-8-sig"))
    layouts = raw["Reports"][0]["Layouts"]
    assert layouts[0]["Name"] == "Summary"
    # Properties, then Name, as in real symbol files (Business Foundation 24/25, ALProject12's report extension).
    assert all(list(x) == ["Properties", "Name"] for x in layouts + raw["ReportExtensions"][0]["Layouts"])
    assert [p["Name"] for p in layouts[1]["Properties"]] == ["Type", "LayoutFile"]
    assert {"Name": "Type", "Value": "RDLC"} in layouts[0]["Properties"]
    irs = {o.kind: o for o in pkg.ir_objects()}
    assert [x.name for x in irs["report"].rendering] == ["Summary", "Letter", "Custom"]
    assert [x.name for x in irs["reportextension"].rendering] == ["Extra", "Again"]


def test_a_missing_layout_is_an_error_at_its_property(tmp_path, capsys):
    files = {k: v for k, v in FILES.items() if k != "Layouts/Letter.docx"}
    project = make_project(tmp_path / "p", files=files)
    out = tmp_path / "p.app"
    result = build(project, out)
    errors = [d for d in result.diagnostics if d.is_error]
    assert [d.code for d in errors] == ["ALC0460"]
    d = errors[0]
    assert "./Layouts/Letter.docx" in d.message and "Letter" in d.message and "Demo Doc Print" in d.message
    line = REPORT.splitlines().index("            LayoutFile = './Layouts/Letter.docx';") + 1
    assert d.span.file.endswith("DemoDocPrint.Report.al") and (d.span.line, d.span.col) == (line, 13)
    assert not out.exists()
    code = main(["compile", "--project", str(project), "--out", str(out), "--packagecachepath", str(tmp_path)])
    err = capsys.readouterr()
    assert code == 1
    assert f"DemoDocPrint.Report.al({line},13): error ALC0460: layout file `./Layouts/Letter.docx`" in err.out + err.err


def test_a_missing_property_layout_and_a_path_outside_the_project(tmp_path):
    report = REPORT.replace("'DemoDoc.xlsx'", "'Missing.xlsx'").replace("'./Layouts/Custom.txt'", "'../Custom.txt'")
    project = make_project(tmp_path / "p", report=report, extension=None)
    result = build(project, tmp_path / "p.app")
    found = sorted((d.code, d.span.line) for d in result.diagnostics if d.is_error)
    lines = report.splitlines()
    assert found == [("ALC0460", lines.index("    ExcelLayout = 'Missing.xlsx';") + 1),
                     ("ALC0461", lines.index("            LayoutFile = '../Custom.txt';") + 1)]


def test_same_layouts_same_bytes_with_one_or_more_workers(tmp_path):
    project = make_project(tmp_path / "p")
    # Enough files that the compile is shared among workers.
    for i in range(20):
        (project / "src" / f"C{i}.Codeunit.al").write_text(f"codeunit {50310 + i} C{i} {{ }}")
    a, b = tmp_path / "a.app", tmp_path / "b.app"
    assert build(project, a, jobs=1).ok and build(project, b, jobs=2).ok
    assert a.read_bytes() == b.read_bytes()
    assert [n for n in read_package(str(a)).entries if n.startswith("layout/")] == EXPECTED_ENTRIES


def test_reports_layouts_come_before_report_extensions(tmp_path):
    """As in a real package holding both: the reports' layouts first, then the
    report extensions', whatever the order of the files."""
    project = make_project(tmp_path / "p", extension=None)
    (project / "src" / "A_First.ReportExt.al").write_text(EXTENSION)
    out = tmp_path / "p.app"
    assert build(project, out).ok
    assert [n for n in read_package(str(out)).entries if n.startswith("layout/")] == EXPECTED_ENTRIES
