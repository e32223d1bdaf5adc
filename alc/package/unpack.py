"""`alc unpack APP DIR`: a package with source back into a project folder.

The folder gets `app.json` rebuilt from `NavxManifest.xml` (the mapping
BcContainerHelper's `Extract-AppFileToFolder -generateAppJson` uses), the
source files (`src/<path>` -> `<path>`), the report layouts (`layout/<path>`
-> `<path>`, where the reports name them), control add-in files
(`addin/src/<path>` -> `<path>`; the startup, refresh and recreate
scripts the compiler only inlines in `addin/<Name>.zip` -> the paths the
add-ins' sources name), resources (`resources/<name>` -> the
first resource folder), the translation files
(`Translations/`), the logo (where app.json names it) and the XML
permission sets (`perm/file<N>_<name>` -> `XmlPermissionSets/<N>/<name>`).
What the compiler derives from these (symbols, metadata,
the manifest, content types...) is not written: compiling the folder makes
it again, and for a package alc wrote, the same bytes.

The folder is written under a temporary name next to DIR and renamed into
place, so a failure leaves nothing behind; DIR must not exist or be empty.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from typing import Optional

import attrs

from ..appmodel import AppManifest, ResourceExposurePolicy
from .errors import PackageError

__all__ = ["UnpackResult", "unpack_package", "app_json_of", "project_files", "inline_scripts"]


@attrs.frozen
class UnpackResult:
    folder: str
    files: tuple            # relative paths written, app.json first
    skipped: tuple          # entries not written (derived by the compiler)


def _put(d: dict, key: str, value) -> None:
    if value not in ("", None, (), []):
        d[key] = value


def app_json_of(app: AppManifest) -> dict:
    """The app.json of a manifest: every field the manifest carries, so that
    reading it back gives the same manifest.

    >>> from alc.appmodel import Version
    >>> app_json_of(AppManifest("0f3b2c1a-0000-4000-8000-000000000001", "Hello", "Me", Version(1, 0, 0, 0)))
    {'id': '0f3b2c1a-0000-4000-8000-000000000001', 'name': 'Hello', 'publisher': 'Me', 'version': '1.0.0.0', \
'resourceExposurePolicy': {'allowDebugging': False, 'allowDownloadingSource': False, \
'includeSourceInSymbolFile': False, 'applyToDevExtension': False}}
    """
    d: dict = {"id": app.id, "name": app.name, "publisher": app.publisher, "version": str(app.version)}
    for key, value in (("brief", app.brief), ("description", app.description),
                       ("privacyStatement", app.privacy_statement), ("EULA", app.eula), ("help", app.help),
                       ("url", app.url), ("logo", app.logo),
                       ("contextSensitiveHelpUrl", app.context_sensitive_help_url),
                       ("helpBaseUrl", app.help_base_url), ("applicationInsightsKey", app.application_insights_key),
                       ("applicationInsightsConnectionString", app.application_insights_connection_string)):
        _put(d, key, value)
    _put(d, "dependencies", [{"id": x.id, "name": x.name, "publisher": x.publisher, "version": str(x.version)}
                             for x in app.dependencies])
    _put(d, "internalsVisibleTo", [{"id": m.id, "name": m.name, "publisher": m.publisher}
                                   for m in app.internals_visible_to])
    _put(d, "platform", str(app.platform) if app.platform else None)
    _put(d, "application", str(app.application) if app.application else None)
    _put(d, "runtime", app.runtime)
    _put(d, "target", app.target)
    _put(d, "idRanges", [{"from": r.start, "to": r.end} for r in app.id_ranges])
    for key, value in (("features", app.features), ("preprocessorSymbols", app.preprocessor_symbols),
                       ("suppressWarnings", app.suppress_warnings), ("supportedLocales", app.supported_locales),
                       ("screenshots", app.screenshots), ("keyVaultUrls", app.key_vault_urls),
                       ("resourceFolders", app.resource_folders)):
        _put(d, key, list(value))
    if app.propagate_dependencies:
        d["propagateDependencies"] = True
    p = app.resource_exposure_policy
    legacy = ResourceExposurePolicy(True, True, True, False)
    if app.show_my_code and p == legacy:
        d["showMyCode"] = True      # the legacy flag alone gives exactly this policy
    else:
        if app.show_my_code:
            d["showMyCode"] = True
        d["resourceExposurePolicy"] = {"allowDebugging": p.allow_debugging,
                                       "allowDownloadingSource": p.allow_downloading_source,
                                       "includeSourceInSymbolFile": p.include_source_in_symbol_file,
                                       "applyToDevExtension": p.apply_to_dev_extension}
    if app.source.repository_url or app.source.commit:
        d["source"] = {k: v for k, v in (("repositoryUrl", app.source.repository_url),
                                         ("commit", app.source.commit)) if v}
    if app.build.by or app.build.url:
        d["build"] = {k: v for k, v in (("by", app.build.by), ("url", app.build.url)) if v}
    return d


_FOLDERS = (("src/", ""), ("layout/", ""), ("addin/src/", ""), ("Translations/", "Translations/"))
_PERM = re.compile(r"^perm/file(\d+)_(.+)$")


def _target(name: str, app: Optional[AppManifest]) -> Optional[str]:
    """The project path of one entry, or None for entries the compiler derives."""
    for prefix, folder in _FOLDERS:
        if name.startswith(prefix) and len(name) > len(prefix):
            return folder + name[len(prefix):]
    if name.startswith("logo/") and "/" not in name[5:]:
        logo = (app.logo if app is not None else "").replace("\\", "/")
        parts = [p for p in logo.split("/") if p not in ("", ".")]
        if parts and ".." not in parts and not logo.startswith("/") and ":" not in logo:
            return "/".join(parts)
        return name
    if name.startswith("resources/") and len(name) > len("resources/"):
        # A resource is named by its path from its resource folder: any one folder gives it back.
        folders = app.resource_folders if app is not None else ()
        base = [p for p in (folders[0] if folders else "Resources").replace("\\", "/").split("/")
                if p not in ("", ".")]
        if ".." not in base:
            return "/".join(base + [name[len("resources/"):]])
    m = _PERM.match(name)
    if m and "/" not in m.group(2):
        # The compiler packs the N-th XML permission set file (in path order) as
        # perm/file<N>_<name>: this folder gives the files back in that order.
        return f"XmlPermissionSets/{int(m.group(1)):04d}/{m.group(2)}"
    return None


def project_files(entries, app: Optional[AppManifest] = None) -> tuple[dict, list]:
    """Project path -> entry name for the entries that come from the project
    folder (sources, layouts, translations, the logo, XML permission sets),
    and the names of the others."""
    files: dict[str, str] = {}
    skipped = []
    seen: dict[str, str] = {}
    for name in entries:
        rel = _target(name, app)
        if rel is None:
            skipped.append(name)
            continue
        key = rel.casefold()
        if key == "app.json" or key in seen:
            raise PackageError("ALC0427", f"entries `{seen.get(key, 'app.json')}` and `{name}` would both "
                                          f"be written to `{rel}`")
        seen[key] = name
        files[rel] = name
    return files, skipped


_ADDIN = re.compile(r'\bcontroladdin\s+("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)', re.IGNORECASE)
_INLINE = re.compile(r"\b(StartupScript|RefreshScript|RecreateScript)\s*=\s*'((?:[^']|'')*)'", re.IGNORECASE)
_INLINE_TAGS = {"startupscript": "Script", "refreshscript": "RefreshScript", "recreatescript": "RecreateScript"}
_MANIFEST_LIMIT = 16 * 1024 * 1024


def _inline_paths(package) -> dict:
    """Control add-in name (casefolded) -> {manifest element: project path} of the scripts its source names
    in StartupScript, RefreshScript and RecreateScript (a text scan of the sources)."""
    out: dict = {}
    for name in package.entries:
        if not (name.startswith("src/") and name.lower().endswith(".al")):
            continue
        text = package.read(name).decode("utf-8-sig", errors="replace")
        if "controladdin" not in text.lower():
            continue
        found = list(_ADDIN.finditer(text))
        for i, m in enumerate(found):
            block = text[m.end():found[i + 1].start() if i + 1 < len(found) else len(text)]
            paths = out.setdefault(m.group(1).strip('"').replace('""', '"').casefold(), {})
            for p in _INLINE.finditer(block):
                rel = p.group(2).replace("''", "'").replace("\\", "/")
                parts = [x for x in rel.split("/") if x not in ("", ".")]
                if (parts and ".." not in parts and not rel.startswith("/") and ":" not in rel
                        and not any(c in rel for c in "*?")):
                    paths.setdefault(_INLINE_TAGS[p.group(1).casefold()], "/".join(parts))
    return out


def inline_scripts(package) -> dict:
    """Project path -> bytes of the control add-in scripts a package carries only inside its add-ins'
    manifests (`addin/<Name>.zip`: startup, refresh and recreate scripts the compiler inlines), at the
    paths the add-ins' sources name."""
    import io
    import zipfile
    import defusedxml.ElementTree as SafeET
    paths = None
    out: dict = {}
    for name in package.entries:
        if not (name.startswith("addin/") and name.lower().endswith(".zip") and "/" not in name[6:]):
            continue
        if paths is None:
            paths = _inline_paths(package)
        wanted = paths.get(name[6:-4].casefold())
        if not wanted:
            continue
        try:
            with zipfile.ZipFile(io.BytesIO(package.read(name))) as z:
                info = z.getinfo("manifest.xml")
                if info.file_size > _MANIFEST_LIMIT:
                    continue
                root = SafeET.fromstring(z.read(info))
        except Exception:   # a damaged add-in zip: its scripts are not given back, the rest is
            continue
        for tag, rel in wanted.items():
            node = root.find(tag)
            if node is not None and node.text is not None:
                out.setdefault(rel, node.text.encode("utf-8"))
    return out


def unpack_package(package, folder: str) -> UnpackResult:
    """Write ``package`` (a read_package result) as a project into ``folder``.
    PackageError ALC0435 when the package carries no source, ALC0436 when
    the folder cannot be written (or holds files already)."""
    if package.runtime_package and not package.has_source:
        raise PackageError("ALC0435", "this is a runtime package without source: it cannot be unpacked into a "
                                      "project", package.path)
    if not package.has_source:
        raise PackageError("ALC0435", "the package carries no source (`src/`): only a package with its source "
                                      "can be unpacked into a project", package.path)
    files, skipped = project_files(package.entries, package.app)
    target = os.path.abspath(folder)
    if os.path.exists(target) and (not os.path.isdir(target) or os.listdir(target)):
        raise PackageError("ALC0436", f"`{folder}` exists and is not an empty folder")
    parent = os.path.dirname(target)
    tmp: Optional[str] = None
    inlined: list = []
    try:
        os.makedirs(parent, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix="." + os.path.basename(target) + ".", suffix=".tmp", dir=parent)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o777 & ~mask)  # mkdtemp makes 0700; a project is an ordinary folder
        _write(os.path.join(tmp, "app.json"),
               (json.dumps(app_json_of(package.app), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        for rel, name in files.items():
            _write(os.path.join(tmp, *rel.split("/")), package.read(name))
        written = {rel.casefold() for rel in files}
        for rel, data in inline_scripts(package).items():
            if rel.casefold() not in written and rel.casefold() != "app.json":
                written.add(rel.casefold())
                inlined.append(rel)
                _write(os.path.join(tmp, *rel.split("/")), data)
        for folder in package.app.resource_folders:   # every folder app.json names exists, if empty
            parts = [p for p in folder.replace("\\", "/").split("/") if p not in ("", ".")]
            if parts and ".." not in parts and ":" not in folder and not folder.startswith("/"):
                os.makedirs(os.path.join(tmp, *parts), exist_ok=True)
        if os.path.isdir(target):
            os.rmdir(target)
        os.rename(tmp, target)
        tmp = None
    except OSError as exc:
        raise PackageError("ALC0436", f"cannot write `{folder}`: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return UnpackResult(folder, ("app.json",) + tuple(files) + tuple(inlined), tuple(skipped))


def _write(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
