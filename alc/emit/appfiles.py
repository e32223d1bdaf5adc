"""The small XML entries every package of Microsoft's compiler carries,
each in the shape real packages show (Coval BC18, ALProject1, the
Microsoft_Application package): `entitlement/<app id>.xml`,
`MediaIdListing.xml` (and `logo/<file>`), and the project's XML permission
sets under `perm/`.

>>> print(entitlement_xml("e9c55fd6-4013-4947-b206-0c614d25c731", [(3, 50000, 16)]).decode("utf-8-sig")
...       .replace("\\r", ""))
<?xml version="1.0" encoding="utf-8"?>
<Entitlement MetadataVersion="130000" Name="e9c55fd6-4013-4947-b206-0c614d25c731" Type="Implicit" \
xmlns="urn:schemas-microsoft-com:dynamics:NAV:MetaObjects">
  <ObjectEntitlements>
    <Permission Type="3" ID="50000" Value="16" />
  </ObjectEntitlements>
</Entitlement>
"""

from __future__ import annotations

import hashlib
import os
import uuid
from typing import Iterable, Optional


__all__ = ["object_entitlements", "entitlement_xml", "entitlement_name", "media_id_listing_xml", "logo_id",
           "permission_set_files", "resource_files", "MEDIA_ID_LISTING", "ENTITLEMENT_TYPES", "RESOURCES_FOLDER"]

MEDIA_ID_LISTING = "MediaIdListing.xml"
_NL = "\r\n"
_BOM = b"\xef\xbb\xbf"

ENTITLEMENT_TYPES = {"table": ((0, 15), (1, 16)), "report": ((3, 16),), "codeunit": ((5, 16),),
                     "xmlport": ((6, 16),), "page": ((8, 16),), "query": ((9, 16),)}
"""The implicit entitlement of each object an app declares: read, insert,
modify and delete of its tables' data (TableData 0, value 15) and execute of
the object (value 16), by object type number (Table 1, Report 3, Codeunit 5,
XmlPort 6, Page 8, Query 9)."""

_LOGO_NAMESPACE = uuid.UUID("0c6d1f7e-3b2a-5d4c-8e9f-1a2b3c4d5e6f")
"""Namespace of the logo ids alc derives (real compilers draw a random one per build)."""


def object_entitlements(objects: Iterable) -> list[tuple]:
    """((type, file, offset), id, value) for each object that has an implicit
    entitlement; sorting the keys gives the order of the entry (by type,
    then the objects' order in the project)."""
    out = []
    for obj in objects:
        kinds = ENTITLEMENT_TYPES.get(obj.kind)
        oid = getattr(obj, "id", None)
        if not kinds or oid is None:
            continue
        span = getattr(obj, "span", None)
        where = (span.file, span.start) if span is not None else ("", 0)
        for type_number, value in kinds:
            out.append(((type_number,) + where, oid, value))
    return out


def entitlement_name(app_id: str) -> str:
    return f"entitlement/{app_id}.xml"


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def entitlement_xml(app_id: str, permissions: Iterable[tuple]) -> bytes:
    """`entitlement/<app id>.xml` from (type, id, value) triples (BOM, CRLF, no final newline)."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<Entitlement MetadataVersion="130000" Name="{_attr(app_id)}" Type="Implicit" '
             'xmlns="urn:schemas-microsoft-com:dynamics:NAV:MetaObjects">']
    perms = [f'    <Permission Type="{t}" ID="{i}" Value="{v}" />' for t, i, v in permissions]
    if perms:
        lines += ["  <ObjectEntitlements>"] + perms + ["  </ObjectEntitlements>"]
    else:
        lines.append("  <ObjectEntitlements />")
    lines.append("</Entitlement>")
    return _BOM + _NL.join(lines).encode("utf-8")


def logo_id(app_id: str, logo: bytes) -> uuid.UUID:
    """The id alc gives an app's logo: derived from the app and the image,
    so the same inputs give the same package."""
    return uuid.uuid5(_LOGO_NAMESPACE, f"{app_id}/{hashlib.sha256(logo).hexdigest()}")


def media_id_listing_xml(logo_file: str = "", logo_guid: Optional[uuid.UUID] = None) -> bytes:
    """`MediaIdListing.xml` (BOM, CRLF, no final newline).

    >>> media_id_listing_xml().decode("utf-8-sig").replace("\\r", "").splitlines()[0]
    '<MediaIdListing LogoFileName="" LogoId="" xmlns="http://schemas.microsoft.com/navx/2016/mediaidlisting">'
    """
    head = (f'<MediaIdListing LogoFileName="{_attr(logo_file)}" LogoId="{logo_guid or ""}" '
            'xmlns="http://schemas.microsoft.com/navx/2016/mediaidlisting">')
    return _BOM + _NL.join([head, "  <MediaSetIds />", "</MediaIdListing>"]).encode("utf-8")


def permission_set_files(project: str) -> tuple[dict, list]:
    """The project's XML permission sets (`.xml` files whose root element is
    `PermissionSets`), as the compiler packs them: `perm/file<N>_<file name>`
    in path order. Returns (entry name -> bytes, paths of malformed files)."""
    import defusedxml
    import defusedxml.ElementTree as SafeET
    from xml.etree.ElementTree import ParseError
    found = []
    for root, dirs, files in os.walk(project):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(".xml"):
                found.append(os.path.join(root, name))
    entries: dict[str, bytes] = {}
    broken = []
    for path in sorted(found):
        try:
            with open(path, "rb") as f:
                data = f.read()
            if b"PermissionSets" not in data:
                continue
            tag = SafeET.fromstring(data).tag
        except (OSError, ParseError, defusedxml.DefusedXmlException):
            broken.append(path)
            continue
        if tag.rsplit("}", 1)[-1] == "PermissionSets":
            entries[f"perm/file{len(entries)}_{os.path.basename(path)}"] = data
    return entries, broken


RESOURCES_FOLDER = "resources/"
RESOURCE_LIMITS = (16 * 1024 * 1024, 256 * 1024 * 1024, 256)
"""Largest resource file, largest total, most files (Microsoft's limits,
devenv-app-resources.md)."""


def resource_files(project: str, folders: Iterable[str]) -> tuple[dict, list]:
    """The files of app.json's `resourceFolders` (subfolders included), each
    named by its path from its resource folder, as `NavApp.GetResource`
    names it: (entry name -> bytes, sorted by name; problems as messages for
    ALC0466). Packed as `resources/<name>` (INFERRED: no real package with
    resources was at hand)."""
    found: dict[str, tuple[str, str]] = {}
    problems: list[str] = []
    for folder in folders:
        base = os.path.join(project, *[p for p in folder.replace("\\", "/").split("/") if p not in ("", ".")])
        if not os.path.isdir(base):
            problems.append(f"resource folder `{folder}` does not exist")
            continue
        for root, dirs, files in os.walk(base):
            dirs.sort()
            for file in sorted(files):
                path = os.path.join(root, file)
                name = os.path.relpath(path, base).replace(os.sep, "/")
                if name.casefold() in found:
                    problems.append(f"resource `{name}` is in two resource folders")
                    continue
                found[name.casefold()] = (name, path)
    entries: dict[str, bytes] = {}
    total = 0
    for key in sorted(found):
        name, path = found[key]
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as exc:
            problems.append(f"resource `{name}` cannot be read: {exc.strerror or exc}")
            continue
        if len(data) > RESOURCE_LIMITS[0]:
            problems.append(f"resource `{name}` is {len(data)} bytes, over the limit of 16 MB")
        total += len(data)
        entries[RESOURCES_FOLDER + name] = data
    if total > RESOURCE_LIMITS[1]:
        problems.append(f"the resources take {total} bytes, over the limit of 256 MB")
    if len(entries) > RESOURCE_LIMITS[2]:
        problems.append(f"the app has {len(entries)} resource files, over the limit of 256")
    return entries, problems
