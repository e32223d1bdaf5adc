"""`app.json`: read and validate a project's manifest into a frozen model.

Every field Business Central uses is read (see APP-FORMAT.md §2.3). A bad
field gives one diagnostic that names it and points at it in the text; the
model is returned only when there are no errors.

>>> m, diags = parse_app_json('''{"id": "0F3B2C1A-0000-4000-8000-000000000001",
...   "name": "Hello", "publisher": "Me", "version": "1.0.0.0",
...   "idRanges": [{"from": 50100, "to": 50149}]}''')
>>> m.id, str(m.version), m.id_ranges[0].contains(50100), diags
('0f3b2c1a-0000-4000-8000-000000000001', '1.0.0.0', True, [])
>>> _, diags = parse_app_json('{"id": "0f3b2c1a-0000-4000-8000-000000000001", "name": "X", '
...                           '"publisher": "Me", "version": "1.0"}', path="app.json")
>>> from alc.diagnostics import render_concise
>>> print(render_concise(diags, cwd="."))
app.json(1,80): error ALC0405: `version` must be Major.Minor.Build.Revision, got `1.0`
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring
from typing import Any, Callable, Optional

from ..appmodel import (KNOWN_FEATURES, MAX_INT32, TARGETS, AppManifest, BuildInfo, Dependency, IdRange, Module,
                        ResourceExposurePolicy, SourceInfo, Version, guid_from_hex,
                        normalize_guid)
from ..diagnostics import Diagnostic
from ..budget import SMALL_JSON, BudgetError, check as budget_check
from ..source import MAX_SOURCE_SIZE, SourceFile, Span, read_problem, read_regular

__all__ = ["Version", "IdRange", "Dependency", "Module", "ResourceExposurePolicy", "SourceInfo", "BuildInfo",
           "AppManifest", "parse_app_json", "load_app_json", "normalize_guid", "guid_from_hex",
           "KNOWN_FEATURES", "TARGETS"]

_RUNTIME_RE = re.compile(r"^[0-9]{1,5}\.[0-9]{1,5}$")
_SYMBOL_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# ------------------------------------------------------------------ reading --

def load_app_json(path: str) -> tuple[Optional[AppManifest], list[Diagnostic]]:
    """Read and validate an app.json file (see :func:`parse_app_json`)."""
    try:
        data = read_regular(path, MAX_SOURCE_SIZE)
    except OSError as exc:
        reason = read_problem(exc)
        return None, [Diagnostic.error("ALC0400", f"cannot read `{path}`: {reason}", Span(SourceFile(path, ""), 0, 0))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Diagnostic.error("ALC0400", f"app.json is not UTF-8 text (byte {exc.start})",
                                       Span(SourceFile(path, ""), 0, 0))]
    return parse_app_json(text, path)


def parse_app_json(text: str, path: str = "app.json") -> tuple[Optional[AppManifest], list[Diagnostic]]:
    """Validate app.json text: (model or None when there are errors, diagnostics)."""
    source = SourceFile(path, text.lstrip("\ufeff"))
    try:
        budget_check(source.text.encode("utf-8", "surrogatepass"), SMALL_JSON, "app.json")
        data = json.loads(source.text)
    except json.JSONDecodeError as exc:
        return None, [Diagnostic.error("ALC0401", f"app.json is not valid JSON: {exc.msg}",
                                       Span(source, exc.pos, exc.pos))]
    except BudgetError as exc:
        return None, [Diagnostic.error("ALC0401", str(exc), Span(source, 0, 0))]
    except (RecursionError, ValueError) as exc:  # a number past Python's digit limit
        return None, [Diagnostic.error("ALC0401", f"app.json is not valid JSON: {str(exc).split(';')[0]}",
                                       Span(source, 0, 0))]
    checker = _Checker(source, _positions(source.text))
    if not isinstance(data, dict):
        checker.error("ALC0403", (), f"app.json must hold a JSON object, got {_kind(data)}")
        return None, checker.diagnostics
    manifest = checker.manifest(data)
    if any(d.is_error for d in checker.diagnostics):
        return None, checker.diagnostics
    return manifest, checker.diagnostics


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return {str: "a string", list: "an array", dict: "an object", type(None): "null"}.get(type(value), "a value")


def _show(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


_ABSENT = object()


# The keys app.json may hold (Business Central's schema), per place: `()` the top level, else the
# array or object they stand in. Any other key is reported with the nearest known one as help.
_KNOWN_KEYS: dict = {
    (): frozenset((
        "$schema", "id", "name", "publisher", "version", "brief", "description", "privacyStatement", "EULA",
        "help", "url", "logo", "contextSensitiveHelpUrl", "helpBaseUrl", "dependencies", "internalsVisibleTo",
        "screenshots", "platform", "application", "runtime", "target", "idRange", "idRanges", "features",
        "preprocessorSymbols", "suppressWarnings", "supportedLocales", "showMyCode", "resourceExposurePolicy",
        "keyVaultUrls", "applicationInsightsKey", "applicationInsightsConnectionString", "resourceFolders",
        "propagateDependencies", "source", "build", "ruleSetPath", "test")),
    "dependencies": frozenset(("id", "appId", "name", "publisher", "version")),
    "internalsVisibleTo": frozenset(("id", "appId", "name", "publisher")),
    "idRanges": frozenset(("from", "to")),
    "idRange": frozenset(("from", "to")),
    "resourceExposurePolicy": frozenset(("allowDebugging", "allowDownloadingSource", "includeSourceInSymbolFile",
                                         "applyToDevExtension")),
    "source": frozenset(("repositoryUrl", "commit")),
    "build": frozenset(("by", "url")),
}


class _Checker:
    """Field-by-field validation; every problem becomes one diagnostic."""

    def __init__(self, source: SourceFile, positions: dict):
        self.source = source
        self.positions = positions
        self.diagnostics: list[Diagnostic] = []

    def span(self, path: tuple) -> Span:
        while path not in self.positions and path:
            path = path[:-1]
        start, end = self.positions.get(path, (0, 0))
        return Span(self.source, start, end)

    def error(self, code: str, path: tuple, message: str, help: Optional[str] = None) -> None:
        self.diagnostics.append(Diagnostic.error(code, message, self.span(path), help=help))

    def warning(self, code: str, path: tuple, message: str, help: Optional[str] = None) -> None:
        self.diagnostics.append(Diagnostic.warning(code, message, self.span(path), help=help))

    # -- typed getters: return the value, or _ABSENT after reporting ----------

    def get(self, obj: dict, path: tuple, key: str, types: tuple, what: str, required: bool = False) -> Any:
        if key not in obj or obj[key] is None:
            if required:
                where = f"`{_show(path)}` " if path else "app.json "
                self.error("ALC0402", path, f"{where}has no `{key}`",
                           help=f"add `\"{key}\"` to {'the entry' if path else 'app.json'}")
            return _ABSENT
        value = obj[key]
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            self.error("ALC0403", path + (key,), f"`{_show(path + (key,))}` must be {what}, got {_kind(value)}")
            return _ABSENT
        return value

    def string(self, obj: dict, path: tuple, key: str, required: bool = False) -> str:
        value = self.get(obj, path, key, (str,), "a string", required)
        return "" if value is _ABSENT else value

    def boolean(self, obj: dict, path: tuple, key: str) -> Optional[bool]:
        value = self.get(obj, path, key, (bool,), "true or false")
        return None if value is _ABSENT else value

    def guid(self, obj: dict, path: tuple, key: str, required: bool = False) -> Optional[str]:
        value = self.get(obj, path, key, (str,), "a GUID string", required)
        if value is _ABSENT:
            return None
        try:
            return normalize_guid(value)
        except ValueError:
            self.error("ALC0404", path + (key,), f"`{_show(path + (key,))}` must be a GUID "
                       f"(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got `{value}`")
            return None

    def version(self, obj: dict, path: tuple, key: str, required: bool = False) -> Optional[Version]:
        value = self.get(obj, path, key, (str,), "a version string", required)
        if value is _ABSENT:
            return None
        try:
            return Version.parse(value)
        except ValueError:
            self.error("ALC0405", path + (key,),
                       f"`{_show(path + (key,))}` must be Major.Minor.Build.Revision, got `{value}`")
            return None

    def strings(self, obj: dict, path: tuple, key: str, check: Optional[Callable] = None) -> tuple:
        items = self.get(obj, path, key, (list,), "an array of strings")
        if items is _ABSENT:
            return ()
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, str):
                self.error("ALC0403", path + (key, i), f"`{_show(path + (key, i))}` must be a string, got {_kind(item)}")
            elif check is None or check(path + (key, i), item):
                out.append(item)
        return tuple(out)

    def objects(self, obj: dict, path: tuple, key: str):
        items = self.get(obj, path, key, (list,), "an array of objects")
        if items is _ABSENT:
            return
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield path + (key, i), item
            else:
                self.error("ALC0403", path + (key, i), f"`{_show(path + (key, i))}` must be an object, got {_kind(item)}")

    # -- the manifest ------------------------------------------------------

    def unknown_keys(self, d: dict) -> None:
        """Warn about keys app.json does not have (`dependecies`), naming the nearest known key."""
        places: list = [((), d)]
        for key in _KNOWN_KEYS:
            value = d.get(key) if key else None
            if isinstance(value, dict):
                places.append(((key,), value))
            elif isinstance(value, list):
                places += [((key, i), item) for i, item in enumerate(value) if isinstance(item, dict)]
        for path, obj in places:
            known = _KNOWN_KEYS[path[0] if path else ()]
            for key in obj:
                if key not in known:
                    near = _nearest(key, known)
                    where = f"in `{_show(path)}`" if path else "in app.json"
                    self.warning("ALC0415", path + (key,), f"unknown key `{key}` {where}",
                                 help=f"did you mean `{near}`?" if near else None)

    def manifest(self, d: dict) -> Optional[AppManifest]:
        p: tuple = ()
        self.unknown_keys(d)
        app_id = self.guid(d, p, "id", required=True)
        name = self.string(d, p, "name", required=True)
        publisher = self.string(d, p, "publisher", required=True)
        version = self.version(d, p, "version", required=True)
        for key, value in (("name", name), ("publisher", publisher)):
            if key in d and isinstance(d[key], str) and not value.strip():
                self.error("ALC0410", (key,), f"`{key}` must not be empty")
        fields = dict(
            brief=self.string(d, p, "brief"), description=self.string(d, p, "description"),
            privacy_statement=self.string(d, p, "privacyStatement"), eula=self.string(d, p, "EULA"),
            help=self.string(d, p, "help"), url=self.string(d, p, "url"), logo=self.string(d, p, "logo"),
            context_sensitive_help_url=self.string(d, p, "contextSensitiveHelpUrl"),
            help_base_url=self.string(d, p, "helpBaseUrl"),
            application_insights_key=self.string(d, p, "applicationInsightsKey"),
            application_insights_connection_string=self.string(d, p, "applicationInsightsConnectionString"),
            dependencies=self.dependencies(d, app_id),
            internals_visible_to=self.modules(d),
            platform=self.version(d, p, "platform"),
            application=self.version(d, p, "application"),
            runtime=self.runtime(d),
            target=self.target(d),
            id_ranges=self.id_ranges(d),
            features=self.strings(d, p, "features", self.feature),
            preprocessor_symbols=self.strings(d, p, "preprocessorSymbols", self.symbol),
            suppress_warnings=self.strings(d, p, "suppressWarnings"),
            rule_set_path=self.string(d, p, "ruleSetPath"),
            supported_locales=self.strings(d, p, "supportedLocales"),
            screenshots=self.strings(d, p, "screenshots"),
            key_vault_urls=self.strings(d, p, "keyVaultUrls"),
            resource_folders=self.strings(d, p, "resourceFolders"),
            propagate_dependencies=bool(self.boolean(d, p, "propagateDependencies")),
            source=self.source_info(d), build=self.build_info(d),
        )
        show, policy = self.exposure(d)
        if app_id is None or version is None or any(x.is_error for x in self.diagnostics):
            return None
        features = tuple(_canonical_feature(f) for f in fields.pop("features"))
        return AppManifest(app_id, name, publisher, version, features=features, show_my_code=show,
                           resource_exposure_policy=policy, **fields)

    def dependencies(self, d: dict, own_id: Optional[str]) -> tuple:
        out: list[Dependency] = []
        seen: dict[str, tuple] = {}
        for path, dep in self.objects(d, (), "dependencies"):
            dep_id = self.guid(dep, path, "id") if "id" in dep else None
            legacy = self.guid(dep, path, "appId") if "appId" in dep else None
            if "id" not in dep and "appId" not in dep:
                self.error("ALC0402", path, f"`{_show(path)}` has no `id`",
                           help="give the GUID of the app this one depends on as `id`")
            elif dep_id and legacy and dep_id != legacy:
                self.error("ALC0410", path + ("appId",), f"`{_show(path)}` has `id` and `appId` with different GUIDs")
            dep_id = dep_id or legacy
            # Real projects omit name or publisher; the id identifies the app.
            name = self.string(dep, path, "name")
            publisher = self.string(dep, path, "publisher")
            version = self.version(dep, path, "version", required=True)
            if dep_id is None or version is None:
                continue
            if dep_id in seen:
                self.error("ALC0412", path, f"`{_show(path)}` repeats the dependency on `{name}` ({dep_id}) "
                           f"already given in `{_show(seen[dep_id])}`")
                continue
            if dep_id == own_id:
                self.error("ALC0413", path, f"`{_show(path)}` names this app itself")
                continue
            seen[dep_id] = path
            out.append(Dependency(dep_id, name, publisher, version))
        return tuple(out)

    def modules(self, d: dict) -> tuple:
        out = []
        for path, mod in self.objects(d, (), "internalsVisibleTo"):
            key = "id" if "id" in mod else "appId"
            mod_id = self.guid(mod, path, key, required=True)
            name, publisher = self.string(mod, path, "name"), self.string(mod, path, "publisher")
            if mod_id is not None:
                out.append(Module(mod_id, name, publisher))
        return tuple(out)

    def runtime(self, d: dict) -> Optional[str]:
        value = self.get(d, (), "runtime", (str,), "a version string such as \"13.0\"")
        if value is _ABSENT:
            return None
        if not _RUNTIME_RE.match(value):
            self.error("ALC0405", ("runtime",), f"`runtime` must be Major.Minor, got `{value}`")
            return None
        return value

    def target(self, d: dict) -> Optional[str]:
        value = self.get(d, (), "target", (str,), "a string")
        if value is _ABSENT:
            return None
        for t in TARGETS:
            if t.casefold() == value.casefold():
                return t
        self.error("ALC0410", ("target",), f"`target` must be `Cloud` or `OnPrem`, got `{value}`")
        return None

    def id_ranges(self, d: dict) -> tuple:
        ranges: list[tuple[tuple, IdRange]] = []
        if "idRange" in d and "idRanges" in d:
            self.error("ALC0408", ("idRange",), "app.json has both `idRange` and `idRanges`",
                       help="move the range of `idRange` into `idRanges`")
        if "idRange" in d:
            legacy = self.get(d, (), "idRange", (dict,), "an object with `from` and `to`")
            if legacy is not _ABSENT:
                rng = self.id_range(("idRange",), legacy)
                if rng is not None:
                    ranges.append((("idRange",), rng))
        if d.get("idRanges") == [] and "idRange" not in d:
            # A warning, not an error: Microsoft's compiler builds such apps (BCApps has two, one of them
            # with test codeunits), and then checks no object id against a range.
            self.warning("ALC0416", ("idRanges",), "`idRanges` is empty: no object id is checked against a range",
                         help='give the ranges of the app, such as [{"from": 50100, "to": 50149}]')
        for path, item in self.objects(d, (), "idRanges"):
            rng = self.id_range(path, item)
            if rng is not None:
                ranges.append((path, rng))
        # A sweep in order of `from` finds the ranges in any overlap (n log n, so that thousands of
        # ranges stay fast); only those are compared pairwise, each reported at its first overlap.
        involved: set = set()
        furthest = None
        for k in sorted(range(len(ranges)), key=lambda k: ranges[k][1].start):
            if furthest is not None and ranges[k][1].start <= ranges[furthest][1].end:
                involved.update((k, furthest))
            if furthest is None or ranges[k][1].end > ranges[furthest][1].end:
                furthest = k
        seen: list = []
        for k in sorted(involved):
            path, rng = ranges[k]
            for other_path, other in seen:
                if rng.overlaps(other):
                    self.error("ALC0407", path, f"`{_show(path)}` ({rng.start}..{rng.end}) overlaps "
                               f"`{_show(other_path)}` ({other.start}..{other.end})")
                    break
            seen.append(ranges[k])
        return tuple(r for _, r in ranges)

    def id_range(self, path: tuple, item: dict) -> Optional[IdRange]:
        start = self.get(item, path, "from", (int,), "an integer", required=True)
        end = self.get(item, path, "to", (int,), "an integer", required=True)
        if start is _ABSENT or end is _ABSENT:
            return None
        if not (1 <= start <= end <= MAX_INT32):
            self.error("ALC0406", path, f"`{_show(path)}` is not a valid range: from {start} to {end}",
                       help=f"`from` and `to` must satisfy 1 <= from <= to <= {MAX_INT32}")
            return None
        return IdRange(start, end)

    def feature(self, path: tuple, value: str) -> bool:
        if _canonical_feature(value) not in KNOWN_FEATURES:
            self.warning("ALC0411", path, f"unknown feature `{value}`",
                         help="known features: " + ", ".join(KNOWN_FEATURES))
        return True

    def symbol(self, path: tuple, value: str) -> bool:
        if _SYMBOL_RE.match(value):
            return True
        self.error("ALC0410", path, f"`{_show(path)}` must be an identifier, got `{value}`")
        return False

    def exposure(self, d: dict) -> tuple[bool, ResourceExposurePolicy]:
        show = self.boolean(d, (), "showMyCode")
        raw = self.get(d, (), "resourceExposurePolicy", (dict,), "an object")
        if raw is _ABSENT:
            flag = bool(show)
            return flag, ResourceExposurePolicy(flag, flag, flag, False)
        if show is not None:
            self.warning("ALC0409", ("showMyCode",), "`showMyCode` is ignored because `resourceExposurePolicy` is set",
                         help="remove `showMyCode`; `resourceExposurePolicy` replaces it")
        p = ("resourceExposurePolicy",)
        policy = ResourceExposurePolicy(*(bool(self.boolean(raw, p, k)) for k in (
            "allowDebugging", "allowDownloadingSource", "includeSourceInSymbolFile", "applyToDevExtension")))
        return bool(show), policy

    def source_info(self, d: dict) -> SourceInfo:
        raw = self.get(d, (), "source", (dict,), "an object")
        if raw is _ABSENT:
            return SourceInfo()
        return SourceInfo(self.string(raw, ("source",), "repositoryUrl"), self.string(raw, ("source",), "commit"))

    def build_info(self, d: dict) -> BuildInfo:
        raw = self.get(d, (), "build", (dict,), "an object")
        if raw is _ABSENT:
            return BuildInfo()
        return BuildInfo(self.string(raw, ("build",), "by"), self.string(raw, ("build",), "url"))


def _nearest(key: str, known) -> Optional[str]:
    """The known key closest to ``key`` (case aside), if any is close.

    >>> _nearest("dependecies", _KNOWN_KEYS[()]), _nearest("IdRanges", _KNOWN_KEYS[()]), _nearest("zzz", {"id"})
    ('dependencies', 'idRanges', None)
    """
    import difflib
    by_fold = {k.casefold(): k for k in sorted(known)}
    found = difflib.get_close_matches(key.casefold(), list(by_fold), n=1, cutoff=0.6)
    return by_fold[found[0]] if found else None


def _canonical_feature(name: str) -> str:
    for known in KNOWN_FEATURES:
        if known.casefold() == name.casefold():
            return known
    return name


# ----------------------------------------------------- positions in the text --

_WS = re.compile(r"[ \t\r\n]*")
_SCALAR = re.compile(r"-?[0-9][0-9.eE+-]*|true|false|null")


def _positions(text: str) -> dict:
    """Map each JSON path to the (start, end) offsets of its key (object
    members) or value (array items). ``text`` is known to be valid JSON."""
    out: dict = {}

    def value(i: int, path: tuple) -> int:
        i = _WS.match(text, i).end()
        c = text[i]
        if c == "{":
            out.setdefault(path, (i, i + 1))
            i = _WS.match(text, i + 1).end()
            if text[i] == "}":
                return i + 1
            while True:
                key_start = i
                key, i = scanstring(text, i + 1)
                out[path + (key,)] = (key_start, i)
                i = _WS.match(text, i).end() + 1          # the ':'
                i = _WS.match(text, value(i, path + (key,))).end()
                if text[i] == "}":
                    return i + 1
                i = _WS.match(text, i + 1).end()         # the ','
        if c == "[":
            out.setdefault(path, (i, i + 1))
            i = _WS.match(text, i + 1).end()
            n = 0
            if text[i] == "]":
                return i + 1
            while True:
                start = _WS.match(text, i).end()
                i = _WS.match(text, value(start, path + (n,))).end()
                out.setdefault(path + (n,), (start, start + 1))
                n += 1
                if text[i] == "]":
                    return i + 1
                i += 1
        if c == '"':
            return scanstring(text, i + 1)[1]
        return _SCALAR.match(text, i).end()

    try:
        value(0, ())
    except (IndexError, ValueError, AttributeError, RecursionError):
        pass  # positions are a convenience; a diagnostic then points at 1,1
    return out
