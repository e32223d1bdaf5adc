"""`NavxManifest.xml`: write it from an AppManifest, read it back safely.

The layout follows real alc output (APP-FORMAT.md §2.1): namespace
``http://schemas.microsoft.com/navx/2015/manifest``, an `App` element with the
identity and metadata attributes, then `IdRanges`, `Dependencies`,
`InternalsVisibleTo`, ... `Build`. alc adds three elements of its own, which
other readers ignore: `Capabilities`, `Prerequisites` (the base objects an
extension needs) and `RuntimePackage` (the platform version a runtime package
was built for).

Reading uses defusedxml: a DOCTYPE, entity declarations or external
references are rejected before anything is expanded.

>>> from alc.appmodel import AppManifest, Version
>>> app = AppManifest("0f3b2c1a-0000-4000-8000-000000000001", "Hello", "Me", Version(1, 0, 0, 0))
>>> m = read_manifest(write_manifest(NavxManifest(app, capabilities=("codeAdds",))))
>>> m.app == app, m.capabilities
(True, ('codeAdds',))
"""

from __future__ import annotations

import re
from typing import Optional
from xml.etree import ElementTree as ET

import attrs
import defusedxml
import defusedxml.ElementTree as SafeET

from ..appmodel import (KNOWN_FEATURES, AppManifest, BuildInfo, Dependency, IdRange, Module, ResourceExposurePolicy,
                        SourceInfo, Version, normalize_guid)
from .errors import DEFAULT_LIMITS, Limits, PackageError

__all__ = ["NAMESPACE", "NavxManifest", "Prerequisite", "RuntimePackageInfo", "ManifestBuild",
           "write_manifest", "read_manifest"]

NAMESPACE = "http://schemas.microsoft.com/navx/2015/manifest"
_NS = "{" + NAMESPACE + "}"


@attrs.frozen
class Prerequisite:
    """A base object an extension needs: `Table` `Customer` (id when known)."""
    object_type: str
    name: str
    id: Optional[int] = None


@attrs.frozen
class RuntimePackageInfo:
    """Marks an alc runtime package: no source (unless asked), built for one platform."""
    platform: Optional[Version] = None
    includes_source: bool = False


@attrs.frozen
class ManifestBuild:
    """`Build/@Timestamp` and `@CompilerVersion` (`@By` and `@Url` are the
    app's ``build``). alc writes no timestamp, to keep builds reproducible."""
    timestamp: str = ""
    compiler_version: str = ""


@attrs.frozen
class NavxManifest:
    app: AppManifest
    capabilities: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    prerequisites: tuple[Prerequisite, ...] = attrs.field(default=(), converter=tuple)
    runtime_package: Optional[RuntimePackageInfo] = None
    build: Optional[ManifestBuild] = None


# ------------------------------------------------------------------ writing --

def _bool(value: bool) -> str:
    return "True" if value else "False"


def _lower_bool(value: bool) -> str:
    return "true" if value else "false"


def _sub(parent: ET.Element, tag: str, **attrs_: str) -> ET.Element:
    return ET.SubElement(parent, tag, {k: v for k, v in attrs_.items() if v is not None})


def write_manifest(manifest: NavxManifest) -> bytes:
    """NavxManifest.xml as UTF-8 bytes (no BOM, no XML declaration, indented, CRLF, like alc.exe)."""
    a = manifest.app
    root = ET.Element("Package", {"xmlns": NAMESPACE})
    app_attrs = {
        "Id": a.id, "Name": a.name, "Publisher": a.publisher, "Brief": a.brief, "Description": a.description,
        "Version": str(a.version), "CompatibilityId": "0.0.0.0", "PrivacyStatement": a.privacy_statement,
        "ApplicationInsightsKey": a.application_insights_key or None,
        "ApplicationInsightsConnectionString": a.application_insights_connection_string or None,
        "EULA": a.eula, "Help": a.help, "HelpBaseUrl": a.help_base_url,
        "ContextSensitiveHelpUrl": a.context_sensitive_help_url or None, "Url": a.url, "Logo": a.logo,
        "Platform": str(a.platform) if a.platform else None,
        "Application": str(a.application) if a.application else None,
        "Runtime": a.runtime, "Target": a.target, "ShowMyCode": _bool(a.show_my_code),
        "PropagateDependencies": _bool(True) if a.propagate_dependencies else None,
    }
    _sub(root, "App", **app_attrs)
    ranges = _sub(root, "IdRanges")
    for r in a.id_ranges:
        _sub(ranges, "IdRange", MinObjectId=str(r.start), MaxObjectId=str(r.end))
    deps = _sub(root, "Dependencies")
    for d in a.dependencies:
        _sub(deps, "Dependency", Id=d.id, Name=d.name, Publisher=d.publisher, MinVersion=str(d.version),
             CompatibilityId="0.0.0.0")
    ivt = _sub(root, "InternalsVisibleTo")
    for m in a.internals_visible_to:
        _sub(ivt, "Module", Id=m.id, Name=m.name, Publisher=m.publisher)
    _texts(root, "ScreenShots", "ScreenShot", a.screenshots)
    _texts(root, "SupportedLocales", "SupportedLocale", a.supported_locales, attr="Local")
    _texts(root, "Features", "Feature", [f.upper() for f in a.features])
    _texts(root, "PreprocessorSymbols", "PreprocessorSymbol", a.preprocessor_symbols)
    _texts(root, "SuppressWarnings", "SuppressWarning", a.suppress_warnings)
    p = a.resource_exposure_policy
    _sub(root, "ResourceExposurePolicy", AllowDebugging=_lower_bool(p.allow_debugging),
         AllowDownloadingSource=_lower_bool(p.allow_downloading_source),
         IncludeSourceInSymbolFile=_lower_bool(p.include_source_in_symbol_file),
         ApplyToDevExtension=_lower_bool(p.apply_to_dev_extension))
    _texts(root, "KeyVaultUrls", "KeyVaultUrl", a.key_vault_urls)
    _sub(root, "Source", RepositoryUrl=a.source.repository_url or None, Commit=a.source.commit or None)
    b = manifest.build
    _sub(root, "Build", By=a.build.by or None, Url=a.build.url or None,
         Timestamp=(b.timestamp or None) if b else None, CompilerVersion=(b.compiler_version or None) if b else None)
    _sub(root, "AlternateIds")
    _texts(root, "ResourceFolders", "ResourceFolder", a.resource_folders)
    _texts(root, "Capabilities", "Capability", manifest.capabilities)
    pre = _sub(root, "Prerequisites")
    for q in manifest.prerequisites:
        _sub(pre, "Object", Type=q.object_type, Name=q.name, Id=None if q.id is None else str(q.id))
    rp = manifest.runtime_package
    if rp is not None:
        _sub(root, "RuntimePackage", Platform=str(rp.platform) if rp.platform else None,
             IncludesSource=_bool(rp.includes_source))
    # Laid out as real packages have it: two-space indents, CRLF line ends, no final newline.
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="unicode", short_empty_elements=True).replace("\n", "\r\n").encode("utf-8")


def _texts(root: ET.Element, tag: str, item: str, values, attr: Optional[str] = None) -> None:
    parent = _sub(root, tag)
    for v in values:
        if attr:
            _sub(parent, item, **{attr: v})
        else:
            _sub(parent, item).text = v


# ------------------------------------------------------------------ reading --

def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(root: ET.Element, name: str) -> Optional[ET.Element]:
    for el in root:
        if _local(el.tag) == name:
            return el
    return None


class _Root:
    """The manifest's root with its children by local name (the first of each), found once:
    the readers below ask for a dozen of them."""

    def __init__(self, root: ET.Element):
        self.root = root
        self.first: dict = {}
        for el in root:
            self.first.setdefault(_local(el.tag), el)

    def __iter__(self):
        return iter(self.root)

    def child(self, name: str) -> Optional[ET.Element]:
        return self.first.get(name)


def _children(root, name: str, item: str) -> list[ET.Element]:
    parent = root.child(name) if type(root) is _Root else _child(root, name)
    return [] if parent is None else [el for el in parent if _local(el.tag) == item]


def read_manifest(data: bytes, limits: Limits = DEFAULT_LIMITS) -> NavxManifest:
    """Parse NavxManifest.xml bytes; PackageError on unsafe or malformed XML."""
    if len(data) > limits.max_xml_size:
        raise PackageError("ALC0425", f"NavxManifest.xml is {len(data)} bytes, over the limit of {limits.max_xml_size}")
    try:
        root = _plain_root(data)
        if root is None:
            root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden) as exc:
        raise PackageError("ALC0429", f"NavxManifest.xml contains a forbidden XML construct: {type(exc).__name__}") \
            from None
    except (ET.ParseError, ValueError, LookupError) as exc:  # LookupError: an unknown encoding declared
        raise PackageError("ALC0428", f"NavxManifest.xml is not well-formed XML: {exc}") from None
    if _local(root.tag) != "Package":
        raise PackageError("ALC0428", f"NavxManifest.xml has root `{_local(root.tag)}`, expected `Package`")
    root = _Root(root)
    app = root.child("App")
    if app is None:
        raise PackageError("ALC0428", "NavxManifest.xml has no `App` element")
    return NavxManifest(
        app=_read_app(root, app),
        capabilities=tuple(el.text or "" for el in _children(root, "Capabilities", "Capability")),
        prerequisites=tuple(Prerequisite(el.get("Type", ""), el.get("Name", ""),
                                         _int(el, "Id", "Prerequisites/Object") if el.get("Id") else None)
                            for el in _children(root, "Prerequisites", "Object")),
        runtime_package=_read_runtime(root),
        build=_read_build(root),
    )


_UTF8_DECLARATION = re.compile(rb'(?:\xef\xbb\xbf)?<\?xml(?:\s+version\s*=\s*"1\.0")?'
                               rb'(?:\s+encoding\s*=\s*"utf-8")?\s*\?>', re.IGNORECASE)


def _plain_root(data: bytes) -> Optional[ET.Element]:
    """The root of a manifest that cannot hold what defusedxml guards against, parsed by
    ElementTree's C parser (defusedxml's is its pure-Python twin, several times slower):
    UTF-8 (no declaration, or one naming UTF-8 or none) without `<!` anywhere, so without a
    DTD, hence without entities or external references. None for anything else, and for
    anything the C parser refuses: then defusedxml parses it and says what is wrong.

    >>> _plain_root(b'<Package><App Id="x"/></Package>')[0].get("Id")
    'x'
    >>> _plain_root(b'<!DOCTYPE p [<!ENTITY e "x">]><p>&e;</p>') is None
    True
    >>> _plain_root('<?xml version="1.0" encoding="utf-16"?><p/>'.encode("utf-16")) is None
    True
    >>> _plain_root(b'<?xml version="1.0" encoding="latin-1"?><p/>') is None
    True
    >>> _plain_root(b'<?xml version="1.0" encoding="UTF-8"?><p/>').tag
    'p'
    """
    if b"<!" in data or b"\x00" in data:
        return None
    declared = data[:5].lower() == b"<?xml" or data[:3] == b"\xef\xbb\xbf"
    if (_UTF8_DECLARATION.match(data) is None) if declared else data[:1] != b"<":
        return None
    try:
        return ET.fromstring(data)
    except (ET.ParseError, ValueError, LookupError):
        return None


def _guid(el: ET.Element, attr: str, where: str) -> str:
    value = el.get(attr)
    if value is None:
        raise PackageError("ALC0432", f"NavxManifest.xml: `{where}` has no `{attr}`")
    try:
        return normalize_guid(value)
    except ValueError:
        raise PackageError("ALC0432", f"NavxManifest.xml: `{where}/@{attr}` is not a GUID: `{value[:80]}`") from None


def _version(el: ET.Element, attr: str, where: str, required: bool = False) -> Optional[Version]:
    value = el.get(attr)
    if not value:
        if required:
            raise PackageError("ALC0432", f"NavxManifest.xml: `{where}` has no `{attr}`")
        return None
    try:
        return Version.parse(value)
    except ValueError:
        raise PackageError("ALC0432", f"NavxManifest.xml: `{where}/@{attr}` is not a version: `{value[:80]}`") \
            from None


def _int(el: ET.Element, attr: str, where: str) -> int:
    value = el.get(attr, "")
    try:
        return int(value)
    except ValueError:
        raise PackageError("ALC0432", f"NavxManifest.xml: `{where}/@{attr}` is not an integer: `{value[:80]}`") \
            from None


def _flag(el: Optional[ET.Element], attr: str) -> bool:
    return el is not None and (el.get(attr) or "").strip().casefold() in ("true", "1")


def _feature(text: str) -> str:
    for known in KNOWN_FEATURES:
        if known.casefold() == text.casefold():
            return known
    return text


def _read_app(root: _Root, app: ET.Element) -> AppManifest:
    g = app.get
    ranges = []
    for el in _children(root, "IdRanges", "IdRange"):
        ranges.append(IdRange(_int(el, "MinObjectId", "IdRange"), _int(el, "MaxObjectId", "IdRange")))
    deps = tuple(Dependency(_guid(el, "Id", "Dependency"), el.get("Name", ""), el.get("Publisher", ""),
                            _version(el, "MinVersion", "Dependency") or Version(0, 0, 0, 0))
                 for el in _children(root, "Dependencies", "Dependency"))
    modules = tuple(Module(_guid(el, "Id", "Module"), el.get("Name", ""), el.get("Publisher", ""))
                    for el in _children(root, "InternalsVisibleTo", "Module"))
    policy_el = root.child("ResourceExposurePolicy")
    show = _flag(app, "ShowMyCode")
    if policy_el is None:
        policy = ResourceExposurePolicy(show, show, show, False)
    else:
        policy = ResourceExposurePolicy(*(_flag(policy_el, k) for k in (
            "AllowDebugging", "AllowDownloadingSource", "IncludeSourceInSymbolFile", "ApplyToDevExtension")))
    source_el, build_el = root.child("Source"), root.child("Build")
    texts = lambda name, item: tuple(el.text or "" for el in _children(root, name, item))  # noqa: E731
    return AppManifest(
        id=_guid(app, "Id", "App"), name=g("Name", ""), publisher=g("Publisher", ""),
        version=_version(app, "Version", "App", required=True),
        brief=g("Brief", ""), description=g("Description", ""), privacy_statement=g("PrivacyStatement", ""),
        eula=g("EULA", ""), help=g("Help", ""), url=g("Url", ""), logo=g("Logo", ""),
        context_sensitive_help_url=g("ContextSensitiveHelpUrl", ""), help_base_url=g("HelpBaseUrl", ""),
        application_insights_key=g("ApplicationInsightsKey", ""),
        application_insights_connection_string=g("ApplicationInsightsConnectionString", ""),
        dependencies=deps, internals_visible_to=modules,
        platform=_version(app, "Platform", "App"), application=_version(app, "Application", "App"),
        runtime=g("Runtime") or None, target=g("Target") or None, id_ranges=tuple(ranges),
        features=tuple(_feature(t) for t in texts("Features", "Feature")),
        preprocessor_symbols=texts("PreprocessorSymbols", "PreprocessorSymbol"),
        suppress_warnings=texts("SuppressWarnings", "SuppressWarning"),
        supported_locales=tuple(el.get("Local", el.text or "") for el in _children(root, "SupportedLocales",
                                                                                     "SupportedLocale")),
        screenshots=texts("ScreenShots", "ScreenShot"), key_vault_urls=texts("KeyVaultUrls", "KeyVaultUrl"),
        resource_folders=texts("ResourceFolders", "ResourceFolder"),
        show_my_code=show, resource_exposure_policy=policy,
        propagate_dependencies=_flag(app, "PropagateDependencies"),
        source=SourceInfo(source_el.get("RepositoryUrl", ""), source_el.get("Commit", "")) if source_el is not None
        else SourceInfo(),
        build=BuildInfo(build_el.get("By", ""), build_el.get("Url", "")) if build_el is not None else BuildInfo(),
    )


def _read_runtime(root: _Root) -> Optional[RuntimePackageInfo]:
    el = root.child("RuntimePackage")
    if el is None:
        return None
    return RuntimePackageInfo(_version(el, "Platform", "RuntimePackage"), _flag(el, "IncludesSource"))


def _read_build(root: _Root) -> Optional[ManifestBuild]:
    el = root.child("Build")
    if el is None or not (el.get("Timestamp") or el.get("CompilerVersion")):
        return None
    return ManifestBuild(el.get("Timestamp", ""), el.get("CompilerVersion", ""))
