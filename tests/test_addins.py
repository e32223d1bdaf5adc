"""Control add-ins in packages, in the shape of a package Microsoft's compiler
built (Microsoft_System Application 21: `addin/src/<path>` per script, style
sheet and image, `addin/<Name>.zip` with `manifest.xml` and its own
`[Content_Types].xml`, `addin/controladdins.dock`); our own projects only."""

import hashlib
import io
import json
import zipfile

from alc.build.compiler import CompileOptions, compile_project
from alc.cli import main
from alc.package.reader import read_package

APP = {"id": "5a1b2c3d-0000-4000-8000-00000000ad01", "name": "Add-in Demo", "publisher": "alc tests",
       "version": "1.0.0.0", "idRanges": [{"from": 50800, "to": 50849}], "runtime": "12.0"}

SPINNER = """controladdin "Demo Spinner"
{
    RequestedHeight = 120;
    RequestedWidth = 90;
    HorizontalStretch = true;
    VerticalStretch = true;
    Scripts = 'https://cdn.example.com/lib/knock.js', 'AddIns\\js\\Spinner.js';
    StartupScript = 'AddIns\\js\\Spinner.js';
    StyleSheets = 'AddIns/css/spin.css';
    Images = 'AddIns/img/spin.gif';

    procedure Wait(Seconds: Integer);
    event Ready();
}
"""

CALLBACK = """controladdin DemoCallback
{
    Scripts = 'AddIns\\js\\Callback.js';
    RequestedWidth = 0;
    RequestedHeight = 0;
    HorizontalStretch = false;
    VerticalStretch = false;

    event Done(Result: Text);
}
"""

FULL = """controladdin DemoFull
{
    MaximumWidth = 800;
    MinimumHeight = 10;
    MaximumHeight = 600;
    MinimumWidth = 20;
    HorizontalShrink = true;
    VerticalShrink = true;
    Scripts = 'AddIns/js/Callback.js';
    StartupScript = 'AddIns/js/start.js';
    RefreshScript = 'AddIns/js/refresh.js';
    RecreateScript = 'AddIns/js/recreate.js';
    StyleSheets = 'https://cdn.example.com/a.css', 'AddIns/css/spin.css';
}
"""

FILES = {
    "AddIns/js/Spinner.js": b"var s = 1;\r\nMicrosoft.Dynamics.NAV.InvokeExtensibilityMethod('Ready');\r\n",
    "AddIns/js/Callback.js": b"function Done(r) { }\r\n",
    "AddIns/js/start.js": b"\xef\xbb\xbfif (a ]]> b) start();\n",
    "AddIns/js/refresh.js": b"refresh();",
    "AddIns/js/recreate.js": b"recreate();",
    "AddIns/css/spin.css": b".spin { }",
    "AddIns/img/spin.gif": b"GIF89a....",
}


def _project(root, sources, files=FILES, app=APP):
    root.mkdir(parents=True, exist_ok=True)
    (root / "app.json").write_text(json.dumps(app))
    for rel, text in sources.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def _compile(project, out, jobs=1):
    return compile_project(CompileOptions(project=str(project), package_cache=(), out=str(out), jobs=jobs))


def _inner(pkg, name):
    with zipfile.ZipFile(io.BytesIO(pkg.read(name))) as z:
        return {n: z.read(n) for n in z.namelist()}, z.namelist()


def _crlf(*lines):
    return "\r\n".join(lines).encode("utf-8")


TOKEN = hashlib.sha256(APP["name"].encode("utf-8")).hexdigest()[:16]


def test_entries_manifests_and_docket(tmp_path):
    project = _project(tmp_path / "p", {"src/A/Spinner.ControlAddIn.al": SPINNER,
                                        "src/B/Callback.ControlAddIn.al": CALLBACK})
    out = tmp_path / "p.app"
    result = _compile(project, out)
    assert result.ok, result.diagnostics
    pkg = read_package(str(out))
    names = [n for n in pkg.entries if n.startswith("addin/")]
    # Per add-in in declaration order: its scripts, style sheets and images, then its zip; the docket last.
    assert names == ["addin/src/AddIns/js/Spinner.js", "addin/src/AddIns/css/spin.css", "addin/src/AddIns/img/spin.gif",
                     "addin/Demo Spinner.zip", "addin/src/AddIns/js/Callback.js", "addin/DemoCallback.zip",
                     "addin/controladdins.dock"]
    assert pkg.read("addin/src/AddIns/img/spin.gif") == FILES["AddIns/img/spin.gif"]
    files, order = _inner(pkg, "addin/Demo Spinner.zip")
    assert order == ["AddIns/js/Spinner.js", "AddIns/css/spin.css", "AddIns/img/spin.gif", "manifest.xml",
                     "[Content_Types].xml"]
    assert files["AddIns/css/spin.css"] == FILES["AddIns/css/spin.css"]
    spinner = FILES["AddIns/js/Spinner.js"].decode()
    assert files["manifest.xml"] == _crlf(
        "<Manifest>", "  <Resources>", "    <Script>AddIns/js/Spinner.js</Script>",
        "    <StyleSheet>AddIns/css/spin.css</StyleSheet>", "    <Image>AddIns/img/spin.gif</Image>", "  </Resources>",
        f"  <Script><![CDATA[{spinner}]]></Script>", "  <ScriptUrls>",
        "    <ScriptUrl>https://cdn.example.com/lib/knock.js</ScriptUrl>", "  </ScriptUrls>", "  <StyleSheetUrls />",
        "  <RequestedHeight>120</RequestedHeight>", "  <RequestedWidth>90</RequestedWidth>",
        "  <VerticalStretch>True</VerticalStretch>", "  <HorizontalStretch>True</HorizontalStretch>",
        "  <Version>2</Version>", "</Manifest>")
    assert files["[Content_Types].xml"] == (
        '\ufeff<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="js" ContentType="" /><Default Extension="css" ContentType="" />'
        '<Default Extension="gif" ContentType="" /><Default Extension="xml" ContentType="" /></Types>').encode()
    files, order = _inner(pkg, "addin/DemoCallback.zip")
    assert order == ["AddIns/js/Callback.js", "manifest.xml", "[Content_Types].xml"]
    # Sizes set to 0 are written, in their own order; false flags are not.
    assert files["manifest.xml"] == _crlf(
        "<Manifest>", "  <Resources>", "    <Script>AddIns/js/Callback.js</Script>", "  </Resources>",
        "  <ScriptUrls />", "  <StyleSheetUrls />", "  <RequestedHeight>0</RequestedHeight>",
        "  <RequestedWidth>0</RequestedWidth>", "  <Version>2</Version>", "</Manifest>")
    assert pkg.read("addin/controladdins.dock") == _crlf(
        "<ControlAddInDocket>",
        f'  <ControlAddIn Name="Demo Spinner" Version="" Token="{TOKEN}" FileName="Demo Spinner.zip" '
        'Type="JavaScriptControlAddIn" />',
        f'  <ControlAddIn Name="DemoCallback" Version="" Token="{TOKEN}" FileName="DemoCallback.zip" '
        'Type="JavaScriptControlAddIn" />',
        "</ControlAddInDocket>")
    types = pkg.read("[Content_Types].xml").decode("utf-8-sig")
    assert types.endswith('<Default Extension="zip" ContentType="" /><Default Extension="dock" ContentType="" />'
                          '</Types>')


def test_inline_scripts_sizes_and_flags(tmp_path):
    project = _project(tmp_path / "p", {"Full.ControlAddIn.al": FULL})
    out = tmp_path / "p.app"
    assert _compile(project, out).ok
    pkg = read_package(str(out))
    # Startup, refresh and recreate scripts are inlined only.
    assert [n for n in pkg.entries if n.startswith("addin/")] == [
        "addin/src/AddIns/js/Callback.js", "addin/src/AddIns/css/spin.css", "addin/DemoFull.zip",
        "addin/controladdins.dock"]
    files, order = _inner(pkg, "addin/DemoFull.zip")
    assert order == ["AddIns/js/Callback.js", "AddIns/css/spin.css", "manifest.xml", "[Content_Types].xml"]
    assert files["manifest.xml"] == _crlf(
        "<Manifest>", "  <Resources>", "    <Script>AddIns/js/Callback.js</Script>",
        "    <StyleSheet>AddIns/css/spin.css</StyleSheet>", "  </Resources>",
        # the BOM is dropped and `]]>` split across two sections
        "  <Script><![CDATA[if (a ]]]]><![CDATA[> b) start();\n]]></Script>",
        "  <ScriptUrls />", "  <StyleSheetUrls>", "    <StyleSheetUrl>https://cdn.example.com/a.css</StyleSheetUrl>",
        "  </StyleSheetUrls>", "  <RefreshScript><![CDATA[refresh();]]></RefreshScript>",
        "  <RecreateScript><![CDATA[recreate();]]></RecreateScript>",
        "  <MinimumHeight>10</MinimumHeight>", "  <MinimumWidth>20</MinimumWidth>",
        "  <MaximumHeight>600</MaximumHeight>", "  <MaximumWidth>800</MaximumWidth>",
        "  <VerticalShrink>True</VerticalShrink>", "  <HorizontalShrink>True</HorizontalShrink>",
        "  <Version>2</Version>", "</Manifest>")


def test_an_add_in_without_files(tmp_path):
    source = "controladdin Urls { Scripts = 'https://x.example/a.js'; }"
    project = _project(tmp_path / "p", {"U.ControlAddIn.al": source}, files={})
    out = tmp_path / "p.app"
    assert _compile(project, out).ok
    pkg = read_package(str(out))
    assert [n for n in pkg.entries if n.startswith("addin/")] == ["addin/Urls.zip", "addin/controladdins.dock"]
    files, order = _inner(pkg, "addin/Urls.zip")
    assert order == ["manifest.xml", "[Content_Types].xml"]
    assert files["manifest.xml"].startswith(_crlf("<Manifest>", "  <Resources />", "  <ScriptUrls>"))


def test_entry_order_around_add_ins(tmp_path):
    # logo, translations, add-ins, navigation, layouts (logo .. navigation: the System Application 21;
    # logo, Translations, navigation, layout: Business Foundation 24/25).
    app = dict(APP, logo="logo.png", features=["TranslationFile"])
    sources = {"Spinner.ControlAddIn.al": SPINNER,
               "R.Report.al": "report 50800 \"Demo R\" { UsageCategory = ReportsAndAnalysis; ApplicationArea = All; "
                              "RDLCLayout = 'R.rdl'; dataset { dataitem(I; Integer) { column(N; Number) { } } } }"}
    project = _project(tmp_path / "p", sources, files=dict(FILES, **{"logo.png": b"png", "R.rdl": b"<Report/>"}),
                       app=app)
    out = tmp_path / "p.app"
    result = _compile(project, out)
    assert result.ok, result.diagnostics
    groups = []
    for n in read_package(str(out)).entries:
        head = n.split("/")[0]
        if head not in ("src", "metadata") and (not groups or groups[-1] != head):
            groups.append(head)
    assert groups == ["NavxManifest.xml", "DocComments.xml", "entitlement", "SymbolReference.json",
                      "MediaIdListing.xml", "logo", "Translations", "addin", "navigation.xml", "layout",
                      "[Content_Types].xml"]


def test_unpack_gives_back_inlined_scripts_and_the_same_bytes(tmp_path):
    project = _project(tmp_path / "p", {"src/A/Spinner.ControlAddIn.al": SPINNER, "Full.ControlAddIn.al": FULL})
    one, two = tmp_path / "one.app", tmp_path / "two.app"
    assert _compile(project, one).ok and _compile(project, two, jobs=2).ok
    assert one.read_bytes() == two.read_bytes()
    folder = tmp_path / "u"
    assert main(["unpack", str(one), str(folder)]) == 0
    # start.js is in no addin/src entry: unpack takes it from the add-in's manifest (its BOM is not kept).
    assert (folder / "AddIns" / "js" / "start.js").read_bytes() == FILES["AddIns/js/start.js"][3:]
    assert (folder / "AddIns" / "js" / "recreate.js").read_bytes() == b"recreate();"
    assert (folder / "AddIns" / "js" / "Spinner.js").read_bytes() == FILES["AddIns/js/Spinner.js"]
    again = tmp_path / "again.app"
    assert _compile(folder, again).ok
    assert again.read_bytes() == one.read_bytes()


def test_a_missing_inline_script_is_an_error(tmp_path):
    files = {k: v for k, v in FILES.items() if k != "AddIns/js/refresh.js"}
    project = _project(tmp_path / "p", {"Full.ControlAddIn.al": FULL}, files=files)
    result = _compile(project, tmp_path / "p.app")
    errors = [(d.code, d.span.line) for d in result.diagnostics if d.is_error]
    assert errors == [("ALC0465", FULL.splitlines().index("    RefreshScript = 'AddIns/js/refresh.js';") + 1)]
    assert not (tmp_path / "p.app").exists()
