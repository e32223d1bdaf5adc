"""`alc inspect` text output: a package's identity, dependencies, capabilities,
objects, entitlement objects, implicit entitlements and resources (layouts,
add-in files, translations, logo...).

>>> from alc.appmodel import AppManifest, Version
>>> from alc.package.manifest import NavxManifest
>>> from alc.package.symbols import SymbolReference, TableExtension
>>> from alc.package.reader import read_package
>>> from alc.package.writer import write_package
>>> app = AppManifest("0f3b2c1a-0000-4000-8000-000000000001", "Hello", "Me", Version(1, 0, 0, 0))
>>> ext = TableExtension(id=50100, name="Cust Ext", target="Customer")
>>> pkg = read_package(write_package(None, NavxManifest(app), SymbolReference(table_extensions=(ext,))))
>>> text = render_text(pkg).splitlines()
>>> print(text[text.index("objects (1):") + 1])
  tableextension 50100 "Cust Ext" extends Customer
>>> text[-1]
'resources (0):'
>>> list(to_json(pkg))[:5]
['id', 'name', 'publisher', 'version', 'package_id']
"""

from __future__ import annotations

from .altext import name as al_name
from .reader import Package

__all__ = ["render_text", "to_json", "entitlements", "resources", "implicit_entitlements"]


def entitlements(package: Package) -> list[dict]:
    """The package's entitlement objects (symbol files do not list them): name and properties,
    from alc's metadata, else from the source files in the package."""
    names: list = []
    try:
        if package.has_metadata:   # the index names the kinds: only entitlements are decoded
            objs = [package.decode_object(e) for e in package.metadata_index() if e.get("kind") == "entitlement"]
        elif package.has_source:
            objs = _source_entitlements(package)
        else:
            return []
    except Exception:  # noqa: BLE001 - a damaged part is reported by the commands that need it
        return []
    for o in objs:
        props = {p.name: _value_text(p) for p in o.properties}
        names.append({"name": o.name, "type": props.get("Type", ""), "role": props.get("RoleType", ""),
                      "object_entitlements": props.get("ObjectEntitlements", ""),
                      "id": props.get("Id", "")})
    return names


def _source_entitlements(package: Package) -> list:
    from ..source import SourceFile
    from ..syntax.api import parse_source
    out = []
    for entry in package.source_files:
        if not entry.lower().endswith(".al"):
            continue
        text = package.read(entry).decode("utf-8-sig", errors="replace")
        if "entitlement" in text.lower():
            out += [o for o in parse_source(SourceFile(entry, text), lazy_bodies=True).objects
                    if o.kind == "entitlement"]
    return out


def _value_text(prop) -> str:
    from ..printer.props import value_lines
    return " ".join(line.strip() for line in value_lines(prop.name, prop.value, 0))


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def render_text(package: Package) -> str:
    a = package.app
    lines = [f"{a.name} {a.version} by {a.publisher}",
             f"  app id:          {a.id}",
             f"  package id:      {package.package_id}"]
    if a.runtime or a.platform or a.application or a.target:
        facts = [f"{k} {v}" for k, v in (("runtime", a.runtime), ("platform", a.platform),
                                         ("application", a.application), ("target", a.target)) if v]
        lines.append(f"  built for:       {', '.join(facts)}")
    rp = package.manifest.runtime_package
    lines.append(f"  runtime package: {_yes(rp is not None)}"
                 + (f" (platform {rp.platform})" if rp is not None and rp.platform else ""))
    lines.append(f"  source:          {_yes(package.has_source)}"
                 + (f" ({len(package.source_files)} files)" if package.has_source else ""))
    if package.signed:
        lines.append("  signed:          yes")
    lines.append(f"dependencies ({len(a.dependencies)}):")
    lines.extend(f"  {d.name} {d.version} by {d.publisher} ({d.id})" for d in a.dependencies)
    if package.manifest.capabilities:
        lines.append("capabilities: " + ", ".join(package.manifest.capabilities))
    objects = list(package.symbols.objects())
    lines.append(f"objects ({len(objects)}):")
    for o in objects:
        ident = f" {o.id}" if o.id is not None else ""
        target = f" extends {al_name(o.target)}" if o.is_extension and o.target else ""
        space = f"{o.namespace}." if o.namespace else ""
        lines.append(f"  {o.kind}{ident} {space}{al_name(o.name)}{target}")
    found = entitlements(package)
    if found:
        lines.append(f"entitlements ({len(found)}):")
        for e in found:
            facts = ", ".join(f"{k} {e[k]}" for k in ("type", "role", "id") if e[k])
            lines.append(f"  {al_name(e['name'])}" + (f" ({facts})" if facts else "")
                         + (f": {e['object_entitlements']}" if e["object_entitlements"] else ""))
    implicit = implicit_entitlements(package)
    if implicit:
        lines.append(f"implicit entitlements ({len(implicit)}):")
        lines.extend(f"  {_PERMISSION_TYPES.get(t, t)} {i}: {_rights(v)}" for t, i, v in implicit)
    found = resources(package)
    lines.append(f"resources ({len(found)}):")
    lines.extend(f"  {kind:<12} {name} ({size} bytes)" for kind, name, size in found)
    return "\n".join(lines)


_PERMISSION_TYPES = {0: "tabledata", 1: "table", 3: "report", 5: "codeunit", 6: "xmlport", 8: "page", 9: "query",
                     10: "system"}
_RESOURCE_KINDS = (("layout/", "layout"), ("addin/", "addin"), ("resources/", "resource"),
                   ("Translations/", "translation"), ("logo/", "logo"), ("perm/", "permissions"),
                   ("entitlement/", "entitlement"), ("DocComments.xml", "doccomments"),
                   ("navigation.xml", "navigation"), ("MediaIdListing.xml", "media"))


def _rights(value: int) -> str:
    """`RIMD`-style letters of an entitlement value (1 read, 2 insert, 4 modify, 8 delete, 16 execute)."""
    return "".join(letter for bit, letter in ((1, "R"), (2, "I"), (4, "M"), (8, "D"), (16, "X")) if value & bit)


def resources(package: Package) -> list[tuple[str, str, int]]:
    """(kind, entry, size) of every resource the package carries: layouts,
    add-in files, translations, logo, permission sets, entitlements, doc
    comments, navigation and media listing."""
    out = []
    for name in package.entries:
        for prefix, kind in _RESOURCE_KINDS:
            if name == prefix or (prefix.endswith("/") and name.startswith(prefix)):
                size = package.container.size(name) if package.container is not None else 0
                out.append((kind, name, size))
                break
    return out


def implicit_entitlements(package: Package) -> list[tuple[int, int, int]]:
    """(type, id, value) of the package's `entitlement/*.xml` permissions."""
    import re
    from .errors import PackageError
    out = []
    for name in package.entries:
        if name.startswith("entitlement/"):
            try:
                text = package.read(name).decode("utf-8-sig", errors="replace")
            except PackageError:
                continue
            out.extend((int(t), int(i), int(v)) for t, i, v in
                       re.findall(r'<Permission\s+Type="(\d+)"\s+ID="(\d+)"\s+Value="(\d+)"', text))
    return out


def to_json(package: Package) -> dict:
    """The `alc inspect --format json` document: the package's own JSON with its
    `package_id` (the GUID of the package header) after the version, and its entitlements."""
    out = {}
    for key, value in package.to_json().items():
        out[key] = value
        if key == "version":
            out["package_id"] = str(package.package_id)
    out["entitlements"] = entitlements(package)
    return out
