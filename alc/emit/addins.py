"""Control add-ins in packages, as Microsoft's compiler packs them.

Read from a package the compiler built (Microsoft_System Application
21.0.46256.46853, in the public repository
ROK862/Microsoft-Business-Central-AL-Project; its add-ins are WaitSpinner,
OAuthControlAddIn and SatisfactionSurveyAsync), each control add-in gives,
in declaration order, right after the logo:

- `addin/src/<path>` for each local file of its `Scripts`, `StyleSheets`
  and `Images` (in that order; URLs are not packed; each file once in the
  package), the path as written with `/` separators, less a leading `./`;
- `addin/<Name>.zip`: the add-in as the client loads it, a zip of the same
  files under the same paths, then `manifest.xml`, then its own
  `[Content_Types].xml` (one empty-typed Default per extension);

and after the last one `addin/controladdins.dock`, the docket listing them:
`<ControlAddIn Name=".." Version="" Token=".." FileName="<Name>.zip"
Type="JavaScriptControlAddIn" />` (CRLF, no declaration, no final newline),
whose Token is the first 8 bytes of SHA-256 over the app's name in UTF-8 as
lower-case hex (`System Application` gives a4af7ee0f073bc1a, the token of
all three).

`manifest.xml` (CRLF, two-space indent, no declaration, no final newline):
`Resources` (a `Script`, `StyleSheet` or `Image` per local file), the
`StartupScript` file's text as `<Script><![CDATA[...]]></Script>`,
`ScriptUrls`/`ScriptUrl`, `StyleSheetUrls`/`StyleSheetUrl`, the
`RefreshScript` and `RecreateScript` texts likewise, the sizes that are set
(RequestedHeight, RequestedWidth, MinimumHeight, MinimumWidth,
MaximumHeight, MaximumWidth: OAuthControlAddIn sets RequestedWidth first
and gets RequestedHeight first), the stretch and shrink flags that are true,
as `True` (VerticalShrink, VerticalStretch, HorizontalShrink,
HorizontalStretch), and `<Version>2</Version>`. The real package shows
Resources, Script, ScriptUrls, an empty StyleSheetUrls, RequestedHeight and
RequestedWidth, VerticalStretch and HorizontalStretch, and Version; the
places of the minimum and maximum sizes, the shrink flags, StyleSheetUrl,
RefreshScript and RecreateScript are INFERRED (a third party's
reimplementation that reports byte-identity with the compiler gives them),
as is that a startup, refresh or recreate script is inlined only, not
packed under `addin/src/` unless `Scripts` names it too (as the real
WaitSpinner does). Script texts are copied as read, a UTF-8 BOM dropped.

A path is looked for as the platform documents it (runtime 13 and later):
relative to the project folder first, then relative to the folder of the
control add-in's source file; a file found the second way is packed under
its path from the project folder (INFERRED), so that an unpacked project
finds it again. `*` and `?` in a path's last segment name every matching
file (in name order); a pattern that matches nothing is ALC0465 like a
missing file. The System Application's `EarlyAccessPreviewBanner` names
`startup.js`, which lies beside its source file.

>>> from alc import parse_text
>>> objs = parse_text("controladdin Chart { Scripts = 'js/chart.js', 'https://cdn.example/x.js'; "
...                   "StartupScript = 'js\\\\start.js'; Images = './img/logo.png'; VerticalStretch = true; "
...                   "HorizontalStretch = false; RequestedHeight = 300; }").objects
>>> spec = addin_specs(objs)[0]
>>> [(r.property, r.path, r.entry) for r in spec.files]
[('Scripts', 'js/chart.js', 'addin/src/js/chart.js'), ('StartupScript', 'js\\\\start.js', 'addin/src/js/start.js'), \
('Images', './img/logo.png', 'addin/src/img/logo.png')]
>>> spec.script_urls, spec.sizes, spec.flags
(('https://cdn.example/x.js',), (('RequestedHeight', '300'),), ('VerticalStretch',))
>>> addin_token("System Application")
'a4af7ee0f073bc1a'
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from typing import Iterable, Optional

import attrs

from ..diagnostics import Diagnostic
from ..ir import nodes as ir
from ..package.container import content_types_xml, encode_entry_name, zip_bytes
from ..source import Span
from .layouts import LayoutRef, _find, layout_entry

__all__ = ["AddinSpec", "addin_specs", "read_addin_files", "addin_manifest", "addin_token", "docket",
           "ADDIN_PROPERTIES", "ADDIN_FOLDER", "DOCKET", "INLINE_SCRIPTS"]

ADDIN_FOLDER = "addin/src/"
DOCKET = "addin/controladdins.dock"
ADDIN_PROPERTIES = ("Scripts", "StartupScript", "RecreateScript", "RefreshScript", "StyleSheets", "Images")
RESOURCE_TAGS = {"Scripts": "Script", "StyleSheets": "StyleSheet", "Images": "Image"}
"""The properties whose local files are the add-in's resources, and the manifest element of each."""
INLINE_SCRIPTS = {"StartupScript": "Script", "RefreshScript": "RefreshScript", "RecreateScript": "RecreateScript"}
"""The properties whose file's text the manifest carries, and the element of each."""
SIZES = ("RequestedHeight", "RequestedWidth", "MinimumHeight", "MinimumWidth", "MaximumHeight", "MaximumWidth")
FLAGS = ("VerticalShrink", "VerticalStretch", "HorizontalShrink", "HorizontalStretch")
_KEYS = {p.casefold(): p for p in ADDIN_PROPERTIES + SIZES + FLAGS}
_NL = "\r\n"


class AddinFile(LayoutRef):
    """A file a control add-in names (a LayoutRef whose ``layout`` is the property)."""

    @property
    def property(self) -> str:
        return self.layout


@attrs.frozen
class AddinSpec:
    """What one control add-in puts in the package: its name, the files its
    properties name (declaration order), its script and style sheet URLs, the
    sizes set ((property, value) in manifest order) and the flags set true."""
    name: str
    files: tuple = ()
    script_urls: tuple = ()
    style_urls: tuple = ()
    sizes: tuple = ()
    flags: tuple = ()
    span: Optional[Span] = attrs.field(default=None, eq=False)

    @property
    def order(self) -> tuple:
        """Declaration order across the project (file, then offset)."""
        return ("", 0) if self.span is None else (self.span.file, self.span.start)


def addin_token(app_name: str) -> str:
    """The docket's Token of every add-in of an app."""
    return hashlib.sha256(app_name.encode("utf-8")).hexdigest()[:16]


def _entry(path: str):
    entry = layout_entry(path)
    return None if entry is None else ADDIN_FOLDER + entry[len("layout/"):]


def _text(item) -> str:
    value = getattr(item, "value", None)
    if isinstance(value, bool):
        return "1" if value else "0"
    return "" if value is None else str(value)


def _spec(obj) -> AddinSpec:
    files, script_urls, style_urls = [], [], []
    sizes: dict[str, str] = {}
    flags: set[str] = set()
    for prop in obj.properties:
        key = _KEYS.get(prop.name.casefold()) if isinstance(prop, ir.Property) else None
        if key is None or not isinstance(prop.value, ir.Values):
            continue
        items = [i for i in prop.value.items if isinstance(i, ir.Literal)]
        if key in SIZES:
            if items:
                sizes[key] = _text(items[0])
            continue
        if key in FLAGS:
            if items and _text(items[0]) == "1":
                flags.add(key)
            else:
                flags.discard(key)
            continue
        for item in items:
            path = item.value
            if not isinstance(path, str):
                continue
            if "://" in path:
                if key == "Scripts":
                    script_urls.append(path)
                elif key == "StyleSheets":
                    style_urls.append(path)
                continue
            files.append(AddinFile(obj.kind, obj.name, "addin", key, "", path, _entry(path), prop.span))
    return AddinSpec(obj.name, tuple(files), tuple(script_urls), tuple(style_urls),
                     tuple((k, sizes[k]) for k in SIZES if k in sizes), tuple(f for f in FLAGS if f in flags),
                     obj.span)


def addin_specs(objects: Iterable) -> list:
    """The control add-ins among ``objects``, in declaration order."""
    return [_spec(obj) for obj in objects if isinstance(obj, ir.ControlAddIn) and obj.name]


def _glob(project: str, rel: str) -> list:
    """The files under ``project`` that ``rel`` names (its last segment may hold `*` and `?`), as
    `/`-separated paths from ``project``, in name order."""
    if not any(c in rel for c in "*?"):
        found = _find(project, rel)
        return [] if found is None else [os.path.relpath(found, project).replace(os.sep, "/")]
    folder, _, pattern = rel.rpartition("/")
    here = _find(project, folder, folder=True)
    if here is None:
        return []
    try:
        names = sorted(os.listdir(here))
    except OSError:
        return []
    rel_dir = os.path.relpath(here, project).replace(os.sep, "/")
    prefix = "" if rel_dir == "." else rel_dir + "/"
    return [prefix + n for n in names
            if fnmatch.fnmatch(n.casefold(), pattern.casefold()) and os.path.isfile(os.path.join(here, n))]


def _source_folder(project: str, ref) -> Optional[str]:
    """The control add-in's source folder as a `/`-separated path from the project ('' for the project
    itself), or None when unknown or outside the project."""
    path = ref.span.file if ref.span is not None else ""
    if not path:
        return None
    folder = os.path.dirname(os.path.join(project, path))
    rel = os.path.relpath(folder, project).replace(os.sep, "/")
    if rel == ".":
        return ""
    return None if rel.startswith("../") or rel == ".." or os.path.isabs(rel) else rel


def _locate(project: str, ref) -> list:
    """(entry path, path on disk), both `/`-separated from the project folder, of the files ``ref`` names:
    from the project folder, else from its source file's folder."""
    rel = ref.entry[len(ADDIN_FOLDER):]
    found = _glob(project, rel)
    if found:
        if len(found) == 1 and not any(c in rel for c in "*?"):
            return [(rel, found[0])]      # packed under the path as written (its case), read from the disk's
        return [(f, f) for f in found]
    folder = _source_folder(project, ref)
    if folder:
        beside = layout_entry(folder + "/" + rel)
        if beside is not None:
            return [(f, f) for f in _glob(project, beside[len("layout/"):])]
    return []


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _xml(text).replace('"', "&quot;")


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _list(container: str, item: str, values: Iterable[str]) -> list:
    values = list(values)
    if not values:
        return [f"  <{container} />"]
    return [f"  <{container}>"] + [f"    <{item}>{_xml(v)}</{item}>" for v in values] + [f"  </{container}>"]


def addin_manifest(spec: AddinSpec, resources: Iterable[tuple], inline: dict) -> bytes:
    """The add-in's `manifest.xml`: ``resources`` are (manifest element, path) of its local files,
    ``inline`` the texts of its startup, refresh and recreate scripts by property.

    >>> spec = AddinSpec("A", script_urls=("https://x/y.js",), sizes=(("RequestedHeight", "0"),),
    ...                  flags=("VerticalStretch",))
    >>> print(addin_manifest(spec, [("Script", "js/a.js")], {"StartupScript": "go();"}).decode().replace("\\r", ""))
    <Manifest>
      <Resources>
        <Script>js/a.js</Script>
      </Resources>
      <Script><![CDATA[go();]]></Script>
      <ScriptUrls>
        <ScriptUrl>https://x/y.js</ScriptUrl>
      </ScriptUrls>
      <StyleSheetUrls />
      <RequestedHeight>0</RequestedHeight>
      <VerticalStretch>True</VerticalStretch>
      <Version>2</Version>
    </Manifest>
    """
    resources = list(resources)
    lines = ["<Manifest>"]
    if resources:
        lines += ["  <Resources>"] + [f"    <{tag}>{_xml(path)}</{tag}>" for tag, path in resources]
        lines.append("  </Resources>")
    else:
        lines.append("  <Resources />")
    if "StartupScript" in inline:
        lines.append(f"  <Script>{_cdata(inline['StartupScript'])}</Script>")
    lines += _list("ScriptUrls", "ScriptUrl", spec.script_urls)
    lines += _list("StyleSheetUrls", "StyleSheetUrl", spec.style_urls)
    for prop in ("RefreshScript", "RecreateScript"):
        if prop in inline:
            lines.append(f"  <{prop}>{_cdata(inline[prop])}</{prop}>")
    lines += [f"  <{name}>{_xml(value)}</{name}>" for name, value in spec.sizes]
    lines += [f"  <{flag}>True</{flag}>" for flag in spec.flags]
    lines += ["  <Version>2</Version>", "</Manifest>"]
    return _NL.join(lines).encode("utf-8")


def zip_name(name: str) -> str:
    """The add-in's entry: `addin/<Name>.zip` (a `/` or `\\` in the name as `_`, INFERRED)."""
    return "addin/" + name.replace("/", "_").replace("\\", "_") + ".zip"


def docket(app_name: str, names: Iterable[str]) -> bytes:
    """`addin/controladdins.dock` for the add-ins ``names``.

    >>> print(docket("System Application", ["WaitSpinner"]).decode().replace("\\r", ""))
    <ControlAddInDocket>
      <ControlAddIn Name="WaitSpinner" Version="" Token="a4af7ee0f073bc1a" FileName="WaitSpinner.zip" \
Type="JavaScriptControlAddIn" />
    </ControlAddInDocket>
    """
    token = addin_token(app_name)
    lines = ["<ControlAddInDocket>"]
    for name in names:
        file_name = zip_name(name)[len("addin/"):]
        lines.append(f'  <ControlAddIn Name="{_attr(name)}" Version="" Token="{token}" '
                     f'FileName="{_attr(file_name)}" Type="JavaScriptControlAddIn" />')
    lines.append("</ControlAddInDocket>")
    return _NL.join(lines).encode("utf-8")


def _script_text(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace")


def _read(project: str, spec: AddinSpec, cache: dict) -> tuple[list, dict, list]:
    """(resource entries as (element, path, bytes), inline texts by property, diagnostics) of one add-in."""
    resources: list = []
    inline: dict = {}
    diagnostics: list = []
    seen = set()
    for ref in spec.files:
        what = f"{ref.property} of controladdin `{ref.object_name}`"
        if ref.entry is None:
            diagnostics.append(Diagnostic.error("ALC0465", f"control add-in file `{ref.path}` ({what}) is outside "
                                                           "the project folder", ref.span))
            continue
        try:
            found = _locate(project, ref)
            if not found:
                raise FileNotFoundError
            for rel, disk in found:
                if disk not in cache:
                    with open(os.path.join(project, *disk.split("/")), "rb") as f:
                        cache[disk] = f.read()
                if ref.property in INLINE_SCRIPTS:
                    inline.setdefault(ref.property, _script_text(cache[disk]))
                elif rel.casefold() not in seen:
                    seen.add(rel.casefold())
                    resources.append((RESOURCE_TAGS[ref.property], rel, cache[disk]))
        except OSError:
            diagnostics.append(Diagnostic.error("ALC0465", f"control add-in file `{ref.path}` ({what}) does not "
                                                           "exist", ref.span))
    order = {tag: i for i, tag in enumerate(RESOURCE_TAGS.values())}
    resources.sort(key=lambda r: order[r[0]])      # scripts, then style sheets, then images (stable)
    return resources, inline, diagnostics


def read_addin_files(project: str, specs: Iterable[AddinSpec], app_name: str) -> tuple[dict, list]:
    """The add-in entries of the package (entry name -> bytes, in the order
    the compiler writes them) and the diagnostics: ALC0465 for a file that
    does not exist or leaves the project."""
    entries: dict[str, bytes] = {}
    diagnostics: list[Diagnostic] = []
    names: list[str] = []
    cache: dict[str, bytes] = {}
    packed: set[str] = set()
    for spec in sorted(specs, key=lambda s: s.order):
        resources, inline, diags = _read(project, spec, cache)
        diagnostics.extend(diags)
        for _, rel, data in resources:
            entry = ADDIN_FOLDER + rel
            if entry.casefold() not in packed:
                packed.add(entry.casefold())
                entries[entry] = data
        inner = [(rel, data) for _, rel, data in resources]
        inner.append(("manifest.xml", addin_manifest(spec, [(t, r) for t, r, _ in resources], inline)))
        inner.append(("[Content_Types].xml", content_types_xml(n for n, _ in inner)))
        entries[zip_name(spec.name)] = zip_bytes([(encode_entry_name(n), d) for n, d in inner[:-1]] + inner[-1:])
        names.append(spec.name)
    if names:
        entries[DOCKET] = docket(app_name, names)
    return entries, diagnostics
