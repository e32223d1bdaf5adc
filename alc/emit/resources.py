"""The entries of a package besides manifest, symbols, metadata and sources:
what Microsoft's compiler adds from the project and its objects. Report
layouts (``layout/``, emit.layouts), control add-ins (``addin/``,
emit.addins), translations (``Translations/``: the
generated `<App name>.g.xlf` with the `TranslationFile` feature, emit.xliff,
and the project's translated `.xlf` files), `DocComments.xml`
(emit.doccomments), the implicit entitlements, `MediaIdListing.xml` and the
logo, and XML permission sets (emit.appfiles). Each kind has its own module;
this one gathers them for the compiler: a compile worker collects what its
objects give (:func:`share_resources`), the compiler adds the project's
files (:func:`project_resources`).
"""

from __future__ import annotations

import os
from typing import Callable, Iterable, Optional

import attrs

from ..diagnostics import Diagnostic
from ..source import SourceFile, Span
from .addins import addin_specs, read_addin_files
from .appfiles import (MEDIA_ID_LISTING, entitlement_name, entitlement_xml, logo_id, media_id_listing_xml,
                       object_entitlements, permission_set_files, resource_files)
from .doccomments import (DOC_COMMENTS, doc_comments_xml, dotnet_types, modern_runtime, name_dotnet,
                          object_members)
from .layouts import _find, read_layouts, report_layouts
from .navigation import NAVIGATION, navigation_items, navigation_xml, page_captions, translated_texts
from .xliff import generated_name, keyed_units, merge_units, xliff_document

__all__ = ["ShareResources", "share_resources", "project_resources", "translation_units", "translation_files",
           "TRANSLATIONS_FOLDER", "generated_translation", "translation_features"]

TRANSLATIONS_FOLDER = "Translations"


@attrs.frozen
class ShareResources:
    """What a share of the project's objects gives the package besides
    metadata: layout references, keyed trans-units, documented members and
    entitlements, each with a key that orders them across shares."""
    layouts: tuple = ()
    translations: tuple = ()
    docs: tuple = ()            # ((file, offset), DocMember)
    entitlements: tuple = ()    # ((type, file, offset), id, value)
    navigation: tuple = ()      # (NavItems, NavChanges)
    addins: tuple = ()          # control add-ins (AddinSpec)
    dotnet: tuple = ()          # (alias casefolded, full .NET name) of the DotNet types declared
    pages: tuple = ()           # (name, id, caption) of the pages (navigation.xml)


def share_resources(objects: Iterable, manifest) -> ShareResources:
    objects = list(objects)
    modern = modern_runtime(getattr(manifest, "runtime", None))
    docs = []
    for obj in objects:
        span = getattr(obj, "span", None)
        key = (span.file, span.start) if span is not None else ("", 0)
        docs.extend(((key, i), m) for i, m in enumerate(object_members(obj, modern)))
    items, changes = navigation_items(objects)
    return ShareResources(layouts=tuple(report_layouts(objects)), translations=translation_units(objects, manifest),
                          docs=tuple(docs), entitlements=tuple(object_entitlements(objects)),
                          navigation=(tuple(items), tuple(changes)), addins=tuple(addin_specs(objects)),
                          dotnet=tuple(dotnet_types(objects)), pages=tuple(page_captions(objects)))


def _feature(manifest, name: str) -> bool:
    return any(f.casefold() == name.casefold() for f in getattr(manifest, "features", ()))


def translation_features(manifest) -> tuple[bool, bool]:
    """(GenerateLockedTranslations, GenerateCaptions) of an app."""
    return _feature(manifest, "GenerateLockedTranslations"), _feature(manifest, "GenerateCaptions")


def translation_units(objects: Iterable, manifest) -> tuple:
    """The keyed trans-units of ``objects`` when the app generates its
    translation file (`TranslationFile` feature), else nothing."""
    if not _feature(manifest, "TranslationFile"):
        return ()
    return keyed_units(objects, locked=_feature(manifest, "GenerateLockedTranslations"),
                       captions=_feature(manifest, "GenerateCaptions"))


def generated_translation(manifest, keyed: Iterable) -> tuple[str, bytes]:
    """The generated file's entry name and bytes."""
    return generated_name(manifest.name), xliff_document(manifest.name, merge_units(keyed))


def _folder(project: str, name: str) -> Optional[str]:
    exact = os.path.join(project, name)
    if os.path.isdir(exact):
        return exact
    try:
        found = next((n for n in sorted(os.listdir(project)) if n.casefold() == name.casefold()), None)
    except OSError:
        return None
    return os.path.join(project, found) if found and os.path.isdir(os.path.join(project, found)) else None


def translation_files(project: str, replaced: Optional[str] = None) -> tuple[dict, list]:
    """The project's `Translations/*.xlf` files (entry name -> bytes, sorted
    by name) and diagnostics: ALC0462 for a file that is not well-formed XML
    (or uses DTDs or entities). ``replaced``: the entry name of a file the
    build generates anew (its old copy is neither read nor checked)."""
    import defusedxml
    import defusedxml.ElementTree as SafeET
    from xml.etree.ElementTree import ParseError
    folder = _folder(project, TRANSLATIONS_FOLDER)
    entries: dict[str, bytes] = {}
    diagnostics: list[Diagnostic] = []
    if folder is None:
        return entries, diagnostics
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if not name.lower().endswith(".xlf") or not os.path.isfile(path):
            continue
        if replaced is not None and f"{TRANSLATIONS_FOLDER}/{name}".casefold() == replaced.casefold():
            continue
        try:
            with open(path, "rb") as f:
                data = f.read()
            SafeET.fromstring(data)
        except OSError as exc:
            diagnostics.append(Diagnostic.error("ALC0462", f"cannot read translation file: {exc.strerror or exc}",
                                                Span(SourceFile(path, ""), 0, 0)))
            continue
        except (ParseError, defusedxml.DefusedXmlException) as exc:
            diagnostics.append(Diagnostic.error("ALC0462", f"translation file is not valid XLIFF: {exc}",
                                                Span(SourceFile(path, ""), 0, 0)))
            continue
        entries[f"{TRANSLATIONS_FOLDER}/{name}"] = data
    return entries, diagnostics


def _file_span(path: str) -> Span:
    return Span(SourceFile(path, ""), 0, 0)


def _logo(project: str, manifest) -> tuple[dict, bytes, list]:
    """`logo/<file>` and MediaIdListing.xml; ALC0463 when the logo app.json names is missing."""
    if not manifest.logo:
        return {}, media_id_listing_xml(), []
    rel = manifest.logo.replace("\\", "/")
    path = os.path.normpath(os.path.join(project, *[p for p in rel.split("/") if p not in ("", ".")]))
    name = os.path.basename(path)
    if not os.path.isfile(path):   # projects come from Windows: `ExtensionLogo.png` finds `extensionlogo.png`
        rel_path = os.path.relpath(path, project).replace(os.sep, "/")
        found = None if rel_path.startswith("../") else _find(project, rel_path)
        path = found or path
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        return {}, media_id_listing_xml(), [Diagnostic.error(
            "ALC0463", f"logo file `{manifest.logo}` cannot be read: {exc.strerror or exc}",
            _file_span(os.path.join(project, "app.json")))]
    return {f"logo/{name}": data}, media_id_listing_xml(name, logo_id(manifest.id, data)), []


def project_resources(project: str, manifest, shares: Iterable[ShareResources] = (),
                      resolve: Optional[Callable[[str, str], Optional[int]]] = None) -> tuple[dict, list]:
    """Entry name -> bytes of the package's resources, and the diagnostics
    about them (a missing layout or logo, a broken translation or permission
    set file). ``resolve(kind, name)`` gives the id of a table or page of the
    app or its dependencies (navigation.xml names pages' source tables and the
    pages that page extensions change)."""
    shares = [s for s in shares if s is not None]
    layouts = [r for s in shares for r in s.layouts]
    entries, diagnostics = read_layouts(project, layouts)
    addins, diags = read_addin_files(project, [a for s in shares for a in s.addins], manifest.name)
    entries.update(addins)
    diagnostics.extend(diags)
    docs = [m for _, m in sorted((d for s in shares for d in s.docs), key=lambda d: d[0])]
    docs = name_dotnet(docs, [t for s in shares for t in s.dotnet])
    entries[DOC_COMMENTS] = doc_comments_xml(manifest, docs)
    perms = [(t, i, v) for (t, *_), i, v in sorted((e for s in shares for e in s.entitlements), key=lambda e: e[0])]
    entries[entitlement_name(manifest.id)] = entitlement_xml(manifest.id, perms)
    xml_perms, broken = permission_set_files(project)
    entries.update(xml_perms)
    diagnostics.extend(Diagnostic.error("ALC0464", "XML permission set file is not valid XML", _file_span(p))
                       for p in broken)
    logo, media, diags = _logo(project, manifest)
    diagnostics.extend(diags)
    entries[MEDIA_ID_LISTING] = media
    files, problems = resource_files(project, manifest.resource_folders)
    entries.update(files)
    diagnostics.extend(Diagnostic.error("ALC0466", p, _file_span(os.path.join(project, "app.json"))) for p in problems)
    generate = _feature(manifest, "TranslationFile")
    files, diags = translation_files(project, generated_name(manifest.name) if generate else None)
    diagnostics.extend(diags)
    items = [i for s in shares if s.navigation for i in s.navigation[0]]
    changes = [c for s in shares if s.navigation for c in s.navigation[1]]
    texts = translated_texts(files) if items or changes else None
    navigation = navigation_xml(manifest, items, changes, resolve or (lambda kind, name: None), texts,
                                [p for s in shares for p in s.pages])
    if navigation is not None:
        entries[NAVIGATION] = navigation
    entries.update(logo)
    if generate and not _feature(manifest, "ExcludeGeneratedTranslations"):
        name, data = generated_translation(manifest, [t for s in shares for t in s.translations])
        files[name] = data
    for name in sorted(files):
        entries[name] = files[name]
    return entries, diagnostics
