"""`alc compare OLD.app NEW.app`: will the new version sync, and what does it break? Nothing is deployed.

The schema part is the sync engine's own diff (:func:`alc.deploy.sync.diff`):
what ``sync --mode add`` would refuse, read from the packages' compiled
metadata (alc packages) or from their symbols (any package, Business Central's
included: what SymbolReference.json shows). Then the changes that break apps
depending on the old version, in the spirit of AppSourceCop's rules: removed
or renamed objects, renamed fields, removed keys, removed public procedures
and events or changed signatures, removed enum values (or changed ordinals),
removed page controls and actions (what page extensions anchor on). Each kind
has its code in the deploy band (ALC0570 to ALC0592: ``alc explain``).

``breaking`` lists what breaks (exit 1 when not empty), ``changes`` what does
not (additions, a longer text, Integer to BigInteger).
"""

from __future__ import annotations

from typing import Iterable, Optional

import attrs

from ..diagnostics import Diagnostic
from .sync import diff
from .tables import AppSchema, ExtDef, ExtPart, FieldDef, Snapshot, TableDef, schema_of_objects

__all__ = ["CompareChange", "compare_packages", "compare_files", "SCHEMA_CODES"]

SCHEMA_CODES = {
    "table-removed": "ALC0570", "field-removed": "ALC0571", "type-changed": "ALC0572", "length-decreased": "ALC0573",
    "key-changed": "ALC0574", "field-id-changed": "ALC0575", "table-renamed": "ALC0576",
    "per-company-changed": "ALC0577", "field-class-changed": "ALC0578", "field-disabled": "ALC0579",
    "field-renamed": "ALC0582",
    "table-added": "ALC0590", "field-added": "ALC0590", "length-increased": "ALC0591", "type-widened": "ALC0592",
}
_NO_REMOVAL = {"table", "tableextension", "pageextension", "reportextension", "enumextension",
               "permissionsetextension", "pagecustomization", "profile", "profileextension", "entitlement"}


@attrs.frozen
class CompareChange:
    code: str
    kind: str
    type: str                     # the object's kind (AL keyword)
    id: Optional[int]
    name: str
    element: Optional[str]
    message: str
    breaking: bool

    def to_json(self) -> dict:
        return {"code": self.code, "kind": self.kind, "object": {"type": self.type, "id": self.id, "name": self.name},
                "element": self.element, "message": self.message}

    def diagnostic(self) -> Diagnostic:
        make = Diagnostic.error if self.breaking else Diagnostic.warning
        return make(self.code, self.message)


# ------------------------------------------------------------------ schema --

def _symbol_field(f) -> FieldDef:
    """A FieldDef from a symbol field (type text such as `Code[20]` or `Enum "X"`)."""
    text = f.type.name
    name, _, rest = text.partition("[")
    length = int(rest.rstrip("]")) if rest.rstrip("]").isdigit() else None
    props = {p.name.casefold(): p.value for p in f.properties}
    kind = name.strip().split(" ")[0].casefold()
    options = tuple((props.get("optionmembers") or "").split(",")) if kind == "option" else ()
    subtype = f.type.subtype.name if kind == "enum" and f.type.subtype is not None else None
    return FieldDef(f.id, f.name, kind, length if kind in ("code", "text") else None,
                    {"flowfield": "FlowField", "flowfilter": "FlowFilter"}.get(
                        (props.get("fieldclass") or "").casefold(), "Normal"),
                    (props.get("enabled") or "true").casefold() not in ("false", "0"),
                    props.get("obsoletestate") or "", props.get("initvalue"), options, subtype)


def _schema_from_symbols(app_id: str, objects: list) -> AppSchema:
    tables, exts = [], []
    for o in objects:
        if o.kind == "table":
            props = {p.name.casefold(): p.value for p in getattr(o, "properties", ())}
            if (props.get("tabletype") or "normal").casefold() not in ("normal", "0"):
                continue
            fields = tuple(_symbol_field(f) for f in o.fields)
            key = tuple(o.keys[0].field_names) if o.keys else ((fields[0].name,) if fields else ())
            per_company = (props.get("datapercompany") or "true").casefold() not in ("false", "0")
            tables.append(TableDef(o.id or 0, o.name, per_company, fields, key))
        elif o.kind == "tableextension":
            exts.append(ExtDef(o.id or 0, o.name, o.target, tuple(_symbol_field(f) for f in o.fields)))
    return AppSchema(app_id, tuple(tables), tuple(exts))


def _schema(package) -> AppSchema:
    if package.has_metadata:
        return schema_of_objects(package.app.id, package.ir_objects())
    return _schema_from_symbols(package.app.id, list(package.symbols.objects()))


def _snapshot(schema: AppSchema) -> Snapshot:
    """The schema as the diff takes it; a table extension's part keyed by its target and its id."""
    parts = tuple(ExtPart(e.target.casefold(), e.id, e.target, e.name, e.fields) for e in schema.extensions)
    return Snapshot(schema.app_id, schema.tables, parts)


def _schema_changes(old, new) -> list[CompareChange]:
    a, b = _schema(old), _schema(new)
    ext_ids = {e.name: e.id for e in a.extensions + b.extensions}
    out = []
    for c in diff(_snapshot(a), _snapshot(b)):
        kind, _, name = c.obj.partition(" ")
        code = SCHEMA_CODES[c.kind]
        breaking = c.destructive or c.kind == "field-renamed"
        ident = c.table_id if kind == "Table" else ext_ids.get(name)
        out.append(CompareChange(code, c.kind, kind.lower(), ident, name, c.field, c.text, breaking))
    return out


# ------------------------------------------------------------- dependents --

# Kinds that have no object id in AL: their symbols may still carry a number (a hash of the
# name, which differs between versions), so they are known by name.
_BY_NAME = frozenset(("interface", "profile", "profileextension", "controladdin", "entitlement", "pagecustomization",
                      "dotnet"))


def _key(o) -> tuple:
    return (o.kind, o.id if o.id is not None and o.kind not in _BY_NAME else o.name.casefold())


def _label(o) -> str:
    kind = {"pageextension": "PageExtension", "tableextension": "TableExtension"}.get(o.kind, o.kind.capitalize())
    return f"{kind} {o.name}"


def _type_text(t) -> str:
    if t is None:
        return ""
    sub = f' "{t.subtype.name}"' if getattr(t, "subtype", None) is not None and t.subtype.name else ""
    return f"{t.name}{sub}" + (" temporary" if t.temporary else "")


def _returns(m):
    """The return type, None for a procedure that returns nothing: older compilers write
    `"ReturnTypeDefinition": {"Name": "None"}` in the symbols, newer ones leave it out."""
    t = m.return_type
    return None if t is None or (t.name or "").casefold() in ("", "none") else t


def _signature(m) -> tuple:
    params = tuple((_type_text(p.type).casefold(), p.by_ref) for p in m.parameters)
    return (params, _type_text(_returns(m)).casefold())


def _signature_text(m) -> str:
    params = "; ".join(("var " if p.by_ref else "") + f"{p.name}: {_type_text(p.type)}" for p in m.parameters)
    ret = f": {_type_text(_returns(m))}" if _returns(m) is not None else ""
    return f"{m.name}({params}){ret}"


def _is_event(m) -> bool:
    return any(a.name.casefold() in ("integrationevent", "businessevent", "internalevent") for a in m.attributes)


def _callable(m) -> bool:
    if _is_event(m):
        return not any(a.name.casefold() == "internalevent" for a in m.attributes)
    return m.access == "public"


def _methods(old, new) -> list[CompareChange]:
    out = []
    olds: dict = {}
    for m in getattr(old, "methods", ()):
        if _callable(m):
            olds.setdefault(m.name.casefold(), []).append(m)
    news: dict = {}
    for m in getattr(new, "methods", ()):
        if _callable(m):
            news.setdefault(m.name.casefold(), []).append(m)
    for name, ms in olds.items():
        event = _is_event(ms[0])
        what = "event" if event else "procedure"
        if name not in news:
            out.append(_change("ALC0586" if event else "ALC0584", f"{what}-removed", old, ms[0].name,
                               f"The {what} '{ms[0].name}' cannot be located. Removing public procedures and events "
                               "breaks the apps that call or subscribe to them."))
            continue
        signatures = {_signature(m) for m in news[name]}
        for m in ms:
            if _signature(m) not in signatures:
                out.append(_change("ALC0586" if event else "ALC0585", f"{what}-signature-changed", old, m.name,
                                   f"The signature of the {what} '{_signature_text(m)}' has changed to "
                                   f"'{_signature_text(news[name][0])}'. Changing the signature of public "
                                   "procedures and events breaks the apps that call or subscribe to them."))
    for name, ms in news.items():
        if name not in olds:
            what = "event" if _is_event(ms[0]) else "procedure"
            out.append(_change("ALC0590", f"{what}-added", new, ms[0].name, f"The {what} '{ms[0].name}' is added.",
                               breaking=False))
    return out


def _walk(items: Iterable, attr: str) -> Iterable:
    for i in items:
        yield i
        yield from _walk(getattr(i, attr, ()), attr)


def _controls(page) -> set:
    return {c.name.casefold(): c.name for c in _walk(getattr(page, "controls", ()), "controls") if c.name}


def _actions(page) -> dict:
    found = list(_walk(getattr(page, "actions", ()), "actions"))
    for c in _walk(getattr(page, "controls", ()), "controls"):
        found.extend(_walk(getattr(c, "actions", ()), "actions"))
    return {a.name.casefold(): a.name for a in found if a.name}


def _members(old, new) -> list[CompareChange]:
    out = []
    if old.kind == "enum":
        new_values = {v.name.casefold(): v for v in new.values}
        for v in old.values:
            n = new_values.get(v.name.casefold())
            if n is None:
                out.append(_change("ALC0587", "enum-value-removed", old, v.name,
                                   f"The enum value '{v.name}' cannot be located. Removing enum values is not "
                                   "allowed."))
            elif n.ordinal != v.ordinal:
                out.append(_change("ALC0587", "enum-value-ordinal-changed", old, v.name,
                                   f"The enum value '{v.name}' has changed its ordinal from {v.ordinal} to "
                                   f"{n.ordinal}. Changing the ordinal of enum values is not allowed."))
        old_names = {v.name.casefold() for v in old.values}
        for v in new.values:
            if v.name.casefold() not in old_names:
                out.append(_change("ALC0590", "enum-value-added", new, v.name, f"The enum value '{v.name}' is added.",
                                   breaking=False))
    if old.kind == "table":
        new_keys = {k.name.casefold() for k in new.keys}
        for k in old.keys[1:]:                       # the primary key is the schema diff's
            if k.name.casefold() not in new_keys:
                out.append(_change("ALC0583", "key-removed", old, k.name,
                                   f"The key '{k.name}' cannot be located. Removing or renaming keys is not "
                                   "allowed."))
    if old.kind in ("page", "report"):
        new_controls, new_actions = _controls(new), _actions(new)
        for folded, name in sorted(_controls(old).items()):
            if folded not in new_controls:
                out.append(_change("ALC0588", "control-removed", old, name,
                                   f"The control '{name}' cannot be located. Page extensions that anchor on it or "
                                   "modify it no longer compile."))
        for folded, name in sorted(_actions(old).items()):
            if folded not in new_actions:
                out.append(_change("ALC0589", "action-removed", old, name,
                                   f"The action '{name}' cannot be located. Page extensions that anchor on it or "
                                   "modify it no longer compile."))
    return out


def _change(code: str, kind: str, obj, element: Optional[str], message: str, breaking: bool = True) -> CompareChange:
    return CompareChange(code, kind, obj.kind, obj.id, obj.name, element, f"{_label(obj)} :: {message}", breaking)


def _object_changes(old_pkg, new_pkg) -> list[CompareChange]:
    old = {_key(o): o for o in old_pkg.symbols.objects()}
    new = {_key(o): o for o in new_pkg.symbols.objects()}
    by_name = {(o.kind, o.name.casefold()): o for o in new.values()}
    out = []
    for key, o in old.items():
        n = new.get(key)
        if n is None:
            if o.kind in _NO_REMOVAL:
                continue
            moved = by_name.get((o.kind, o.name.casefold()))
            text = (f"The {o.kind} '{o.name}' has changed its ID from {o.id} to {moved.id}. Changing object IDs is "
                    "not allowed." if moved is not None else
                    f"The {o.kind} '{o.name}' cannot be located. Removing objects breaks the apps that use them.")
            out.append(_change("ALC0580", "object-removed", o, None, text))
            continue
        if n.name != o.name and o.kind != "table":      # a table's rename is the schema diff's
            out.append(_change("ALC0581", "object-renamed", o, None,
                               f"The {o.kind} '{o.name}' has been renamed to '{n.name}'. Renaming objects breaks "
                               "the apps that use them."))
        out.extend(_methods(o, n))
        out.extend(_members(o, n))
    for key, n in new.items():
        if key not in old and n.kind not in ("table", "tableextension"):
            out.append(_change("ALC0590", "object-added", n, None, f"The {n.kind} '{n.name}' is added.",
                               breaking=False))
    return out


def compare_packages(old, new) -> list[CompareChange]:
    """Every change from package ``old`` to ``new``: the schema's (sync rules), then the objects'."""
    return _schema_changes(old, new) + _object_changes(old, new)


def compare_files(old_path: str, new_path: str) -> list[CompareChange]:
    """compare_packages of two .app files; PackageError when one is unreadable."""
    from ..package.reader import read_package
    packages = []
    for path in (old_path, new_path):
        with open(path, "rb") as f:
            packages.append(read_package(f.read()))
    return compare_packages(*packages)
