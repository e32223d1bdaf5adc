"""Incremental compiles: what a compile keeps in the build cache (:mod:`.cache`) and when it may use it.

Three layers, each keyed by everything its results depend on:

- **the whole build**: the digest of alc's code, app.json, the options, the dependency packages'
  contents, and every file of the project (and of its resource folders and logo). When nothing of
  that changed and the package written last time is still there, byte for byte, the compile is
  over: its diagnostics are those of last time (the package-cache scan and the dependency
  resolution are redone, they are cheap and may say new things).
- **each file's phase one** (parse, symbols, metadata and source entries, packed; object headers,
  capabilities, resources, diagnostics), keyed by the file's content and path, app.json, the
  preprocessor symbols and the options.
- **each file's phase two** (the object rules and the code analysis), keyed by the file's phase-one
  key, app.json, the options and the dependencies, and valid for the *declaration surface* of the
  build that wrote the state (the symbols of every file of the project: each file's ``declarations``
  digest). When the surface changed, the declarations that changed are diffed (``_changed``: the
  names and numbers of the objects and members added, removed or changed) and only the files that
  mention one of them (``FileRecord.names``: every word, quoted name, string and number of the file,
  hashed) run phase two again: AL binds every name a file's checks look up by its spelling in the file
  (bare field names of a page's `Rec` and of `with` statements included), objects by name or by
  number, namespaces by their parts. Where a name or number finds another object now (an object
  added, removed, renamed, renumbered, moved to another namespace), what mentions it may mean
  something else to files that do not name it (a page extension's `Rec` is the page's source table),
  so the names of the objects of every file that mentions it count as changed too, to a fixpoint; and
  where an object's header changed, so did all its members (an extension given another target adds
  its fields to another table).

Besides: the project's SymbolReference.json entry, keyed by the surface; and the compressed form of
the other entries (layouts, translations...) by their content, so unchanged ones are not compressed
again. The package is always assembled from the same per-file results in the same order, cached or
not, so an incremental build writes the same bytes as a cold one.

The per-file records are one signed entry (``state``); a build that changed few files writes only a
``delta`` on it. A process that compiles again (`alc compile --watch`) keeps the state it wrote, and
the symbols it unpickled, in memory while the files on disk are as it left them.
"""

from __future__ import annotations

import array
import os
import re
import zlib
from typing import Iterable, Optional, Sequence

import attrs

from ..source import MAX_SOURCE_SIZE, read_regular
from .cache import BuildCache, FORMAT, code_fingerprint, digest, file_digest

__all__ = ["FileRecord", "BuildState", "StateDelta", "WholeBuild", "Incremental", "project_files", "forget", "mentions",
           "mentioned"]


@attrs.frozen
class FileRecord:
    """A file's cached results: phase one (``result``, its symbols pickled apart in ``symbols``) and,
    when ``checks_key`` is set, phase two's diagnostics."""
    key: str
    result: object            # workers.FileResult, symbols=()
    symbols: object           # its symbols: a tuple (pickled with the state, parts shared) or pickled bytes
    declarations: str
    checks_key: str = ""
    checks: tuple = ()
    names: Optional[bytes] = None   # what the file mentions (mentions()); None: unknown, depends on everything
    json: bytes = b""               # its objects' JSON in SymbolReference.json, NUL-separated, compressed; b"": none


@attrs.frozen
class WholeBuild:
    """The last build: its key, the package it wrote and what it reported."""
    key: str
    output: Optional[str]
    output_digest: str
    diagnostics: tuple        # before the warning policy, without the fresh ones (scan, resolution)
    objects: tuple
    files: int
    bytes: int


@attrs.frozen
class BuildState:
    context: str
    files: dict = attrs.Factory(dict)          # path -> FileRecord
    symbols_key: str = ""
    symbols_entry: object = None               # PackedEntry of SymbolReference.json
    packed: dict = attrs.Factory(dict)         # digest of an entry's bytes -> PackedEntry
    generation: str = ""                       # names this state for the deltas written on it
    complete: bool = False                     # every file of the build that wrote it has its record
    verified: frozenset = frozenset()          # package.writer.verified_key of entries that passed the budgets


@attrs.frozen
class StateDelta:
    """What changed since the state ``base``: records (None: the file is gone), the symbols entry,
    compressed entries. A build that changed a few files writes this, not the whole state again."""
    base: str
    files: dict
    symbols_key: str
    symbols_entry: object
    packed: dict
    complete: bool = False
    verified: frozenset = frozenset()


_SKIP_DIRS = ("__pycache__",)


def project_files(roots: Iterable[str], skip: Sequence[str] = ()) -> list:
    """Every file under ``roots`` (hidden folders and files left out), sorted; ``skip``: files and
    folders left out (the package written, the build cache)."""
    skipped = {os.path.abspath(s) for s in skip}
    out = []
    for root in roots:
        if os.path.isfile(root):
            out.append(root)
            continue
        for base, dirs, files in os.walk(root):
            absolute = os.path.abspath(base)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS
                             and os.path.join(absolute, d) not in skipped)
            for name in sorted(files):
                if not name.startswith(".") and os.path.join(absolute, name) not in skipped:
                    out.append(os.path.join(base, name))
    return out


def _relative(path: str, folder: str) -> str:
    """``os.path.relpath(path, folder)``, without its cost for a path ``folder`` joined with a name."""
    prefix = folder if folder.endswith(os.sep) else folder + os.sep
    if path.startswith(prefix) and os.sep + ".." + os.sep not in path and os.sep + "." + os.sep not in path:
        return path[len(prefix):]
    return os.path.relpath(path, folder)


_LARGE = 256 * 1024 * 1024


def _read(path: str, max_size: Optional[int] = _LARGE) -> Optional[bytes]:
    """The bytes of a regular file; None for anything else (a FIFO, a device: never read), or when
    it cannot be read or is larger than ``max_size``."""
    try:
        return read_regular(path, max_size)
    except OSError:
        return None


def _other_digest(path: str):
    """What stands for a project file that is no source in the whole build's key: its digest, or for a
    file too large to read on every compile its size and times of change; None when it is no regular file."""
    data = _read(path)
    if data is not None:
        return file_digest(data)
    try:
        st = os.stat(path)
    except OSError:
        return None
    import stat
    return ("large", st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) if stat.S_ISREG(st.st_mode) else None


class Incremental:
    """One compile's use of the build cache."""

    STATE = "state"
    DELTA = "delta"
    WHOLE = "build"

    def __init__(self, store: BuildCache, options, manifest, app_json: bytes, defines: frozenset,
                 dependencies: Sequence, paths: Sequence[str], include_source: bool):
        self.store = store
        self.manifest = manifest
        self.paths = list(paths)
        deps = tuple((os.path.abspath(p.path), _package_digest(p.path)) for p in dependencies)
        license = _read(options.license, MAX_SOURCE_SIZE) if options.runtime and options.license else None
        self.options_key = digest(code_fingerprint(), FORMAT, app_json, sorted(defines), options.runtime,
                                  include_source, options.code_analysis, license)
        self.deps_key = digest(deps)
        self.content: dict = {}                  # path -> digest of its bytes (None: unreadable)
        for path in self.paths:
            data = _read(path, MAX_SOURCE_SIZE)
            self.content[path] = file_digest(data) if data is not None else None
        self._state: Optional[BuildState] = None
        self._base: Optional[BuildState] = None
        self._loaded = False
        self._used_packed: dict = {}
        self._keys: dict = {}
        self._checks_base = ""
        self._names: dict = {}                   # path -> fresh_names(path)
        self._verified: Optional[set] = None
        self._json: dict = {}

    # -- the whole build ----------------------------------------------------------------------------

    def whole_key(self, project: str, out: str) -> str:
        """The key of the whole build: options, dependencies, and every file it may read."""
        roots = [project]
        for folder in getattr(self.manifest, "resource_folders", ()) or ():
            parts = [p for p in folder.replace("\\", "/").split("/") if p not in ("", ".")]
            roots.append(os.path.join(project, *parts))
        if getattr(self.manifest, "logo", None):
            roots.append(os.path.join(project, *[p for p in self.manifest.logo.replace("\\", "/").split("/")
                                                 if p not in ("", ".")]))
        listing = []
        for path in project_files(roots, skip=[out, self.store.folder]):
            known = self.content.get(path, False)
            listing.append((_relative(path, project), known if known is not False else _other_digest(path)))
        return digest(self.options_key, self.deps_key, os.path.abspath(project), listing)

    def reuse(self, key: str, out: str) -> Optional[WholeBuild]:
        """Last build's record when its key is ``key`` and the package it wrote is still at ``out``."""
        whole = self.store.load(self.WHOLE)
        if not isinstance(whole, WholeBuild) or whole.key != key:
            return None
        if whole.output is not None:
            if os.path.abspath(whole.output) != os.path.abspath(out):
                return None
            data = _read(out, None)
            if data is None or file_digest(data) != whole.output_digest:
                return None
        return whole

    def remember(self, key: str, out: Optional[str], diagnostics: Sequence, objects: tuple, files: int,
                 size: int, data: Optional[bytes] = None) -> None:
        """Keep this build's record; ``data``: the bytes of the package written to ``out``."""
        if data is None and out is not None:
            data = _read(out, None)
        if out is not None and data is None:
            return
        self.store.store(self.WHOLE, WholeBuild(key, out, file_digest(data) if data is not None else "",
                                                tuple(diagnostics), objects, files, size))

    # -- per file -----------------------------------------------------------------------------------

    @property
    def state(self) -> BuildState:
        """The last build's state (its delta applied), or an empty one."""
        if not self._loaded:
            self._loaded = True
            stamp = self._stamp()
            kept = _KEPT.get(self.store.folder)
            if kept is not None and kept[0] == stamp and stamp is not None:
                base, state = kept[1], kept[2]      # this process wrote it (alc compile --watch): as it is
            else:
                base, state = self._load()
            if base is not None and base.context == self.options_key:
                self._base, self._state = base, state
        return self._state or BuildState(self.options_key)

    def _load(self) -> tuple:
        base = self.store.load(self.STATE)
        if not isinstance(base, BuildState):
            return None, None
        state = base
        delta = self.store.load(self.DELTA)
        if isinstance(delta, StateDelta) and delta.base == base.generation:
            files = dict(base.files)
            for path, record in delta.files.items():
                if record is None:
                    files.pop(path, None)
                else:
                    files[path] = record
            state = attrs.evolve(base, files=files, symbols_key=delta.symbols_key, symbols_entry=delta.symbols_entry,
                                 packed={**base.packed, **delta.packed}, complete=delta.complete,
                                 verified=delta.verified)
        return base, state

    def _stamp(self) -> Optional[tuple]:
        """What identifies the state's files on disk as this process last wrote them."""
        out = []
        for name in (self.STATE, self.DELTA):
            try:
                st = os.stat(self.store.path(name))
                out.append((st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns))
            except OSError:
                out.append(None)
        return tuple(out) if out[0] is not None else None

    def symbols_of(self, record) -> tuple:
        """A cached file's symbols (unpickled once per process for a record that keeps them pickled)."""
        from .cache import loads_shared
        if type(record.symbols) is tuple:
            return record.symbols
        found = _SYMBOLS.get(id(record))
        if found is not None and found[0] is record:
            return found[1]
        symbols = loads_shared(record.symbols, {})
        _SYMBOLS[id(record)] = (record, symbols)
        return symbols

    def file_key(self, path: str) -> Optional[str]:
        key = self._keys.get(path, False)
        if key is False:
            content = self.content.get(path)
            key = self._keys[path] = digest(self.options_key, path, content) if content is not None else None
        return key

    def cached(self) -> dict:
        """path -> FileRecord of the files whose phase one is cached."""
        from ..memory import gc_paused
        import gc
        with gc_paused():          # a state of 8,000 files is many objects: no collection while it loads,
            files = self.state.files
            gc.freeze()            # and none walks it after (compile_project unfreezes at its end)
        out = {}
        for path in self.paths:
            record = files.get(path)
            key = self.file_key(path)
            if record is not None and key is not None and record.key == key:
                out[path] = record
        return out

    def project_symbols(self, ref, files: dict) -> bytes:
        """The project's SymbolReference.json (``ref``: its symbols, targets named): the JSON of the
        objects of cached files as kept with their records, the others' written anew (and kept)."""
        from ..package.symbols_json import write_symbols
        written: dict = {}
        for f in files.values():
            if f.record is not None and f.record.json:
                parts = zlib.decompress(f.record.json).split(b"\0")
                if len(parts) == len(f.result.symbols):
                    written.update(zip(map(id, f.result.symbols), parts))
        data = write_symbols(ref, written)
        for path, f in files.items():
            if f.record is None:
                parts = [written.get(id(o)) for o in f.result.symbols]
                if None not in parts:
                    self._json[path] = zlib.compress(b"\0".join(parts), 1)
        return data

    def json_of(self, path: str) -> bytes:
        """The JSON of a file read anew, from ``project_symbols`` (b"" when it did not run)."""
        return self._json.get(path, b"")

    def fresh_names(self, path: str) -> tuple:
        """(whether the file still has the content this build read first, what it mentions)."""
        found = self._names.get(path)
        if found is None:
            data = _read(path, MAX_SOURCE_SIZE)
            if data is None or file_digest(data) != self.content.get(path):
                return False, None
            found = self._names[path] = (True, mentions(data))
        return found

    def surface(self, declarations: Sequence[str], platform: bool) -> str:
        """The declaration surface: the project's declarations (in file order), its dependencies, app.json."""
        self._checks_base = digest(self.options_key, self.deps_key, platform)
        return digest(self._checks_base, declarations)

    def checks_key(self, path: str) -> str:
        """What a file's phase two depends on besides the project's declarations (after ``surface``)."""
        return digest(self.file_key(path), self._checks_base)

    def reusable_checks(self, cached: dict, files: dict, surface: str) -> dict:
        """path -> phase two's diagnostics of the cached files whose checks still hold on ``surface``
        (``files``: path -> the build's compiler._File, with its symbols)."""
        state = self.state
        changed: Optional[frozenset] = frozenset()
        if state.symbols_key != surface:
            changed = self._changed(files) if state.complete else None
            if changed is None:
                return {}
        hashes = _hashes(changed)
        out = {}
        for path, record in cached.items():
            if not record.checks_key or record.checks_key != self.checks_key(path):
                continue
            if hashes and (record.names is None or _mentions_any(record.names, hashes)):
                continue
            out[path] = record.checks
        return out

    def _changed(self, files: dict) -> Optional[frozenset]:
        """The names and numbers of the declarations that differ between the last build and this one,
        closed over the objects of files that mention an object found otherwise now (see the module's doc)."""
        from collections import Counter
        old_files = self.state.files
        before: Counter = Counter()
        after: Counter = Counter()
        for path in dict.fromkeys([*old_files, *files]):
            old, new = old_files.get(path), files.get(path)
            if old is not None and new is not None and old.declarations == new.declarations:
                continue
            if old is not None:
                try:
                    _facts(path, self.symbols_of(old), old.result.headers, before)
                except Exception:
                    return None
            if new is not None:
                _facts(path, new.result.symbols, new.result.headers, after)
        differ = (before - after) + (after - before)
        names = set()
        objects = set()
        for path, found, words, _ in differ:
            names.update(words)
            objects.update(found)
        # A namespace that appears or goes: its last part (`using Microsoft.Sales.Foo` names `foo`).
        for space in _namespaces(old_files.values()) ^ _namespaces(files.values()):
            objects.add(space.rsplit(".", 1)[-1])
            names.add(space.rsplit(".", 1)[-1])
        if objects:
            self._close_over(objects, names, files)
        return frozenset(names)

    def _close_over(self, objects: set, names: set, files: dict) -> None:
        """Add the names and ids of the objects declared in files that mention a changed object, to a fixpoint."""
        old_files = self.state.files
        declared = {}
        for path in dict.fromkeys([*old_files, *files]):
            words = set()
            for source in (old_files.get(path), files.get(path)):
                if source is not None:
                    for h in source.result.headers:
                        words.update(_object_words(h.name, h.namespace, h.id))
            record = old_files.get(path)
            if path not in files:
                mention = record.names if record is not None else None
            elif record is not None and record.key == self.file_key(path):
                mention = record.names
            else:
                mention = self.fresh_names(path)[1]
            declared[path] = (mention, words)
        pending = set(objects)
        while pending:
            found = set()
            hashes = _hashes(pending)
            for path, (mention, words) in list(declared.items()):
                if mention is None or _mentions_any(mention, hashes):
                    found |= words
                    del declared[path]
            pending = found - objects
            objects |= found
            names |= found

    @property
    def verified(self) -> set:
        """The keys of the compressed entries known to pass the readers' budgets (package.writer.write_package
        adds this build's)."""
        if self._verified is None:
            self._verified = set(self.state.verified)
        return self._verified

    def packed(self, entries: dict) -> dict:
        """``entries`` with bytes values compressed, through the cache of compressed entries."""
        from ..package.container import pack_entry
        known = self.state.packed
        out = {}
        for name, data in entries.items():
            if isinstance(data, (bytes, bytearray)):
                key = file_digest(bytes(data))
                packed = known.get(key)
                if packed is None or packed.size != len(data):
                    packed = pack_entry(bytes(data))
                self._used_packed[key] = packed
                data = packed
            out[name] = data
        return out

    def save(self, records: dict, symbols_key: str, symbols_entry, complete: bool = False) -> None:
        """Keep this build's per-file records: as a delta on the state last written, when few files
        changed; else as a new state."""
        verified = frozenset(self.verified)
        if len(verified) > 4 * len(records) + 1000:   # grown over many builds: measured again, once
            verified = frozenset()
        base = self._base
        if base is not None:
            changed = {p: r for p, r in records.items() if base.files.get(p) is not r}
            changed.update((p, None) for p in base.files if p not in records)
            if len(changed) <= max(32, len(records) // 8):
                fresh = {k: v for k, v in self._used_packed.items() if k not in base.packed}
                if self.store.store(self.DELTA, StateDelta(base.generation, changed, symbols_key, symbols_entry,
                                                           fresh, complete, verified)):
                    self._keep(base, BuildState(self.options_key, records, symbols_key, symbols_entry,
                                                {**base.packed, **fresh}, base.generation, complete, verified))
                return
        generation = digest(os.urandom(16))
        state = BuildState(self.options_key, files=records, symbols_key=symbols_key, symbols_entry=symbols_entry,
                           packed=dict(self._used_packed), generation=generation, complete=complete,
                           verified=verified)
        if self.store.store(self.STATE, state):
            self.store.discard(self.DELTA)
            self._keep(state, state)

    def _keep(self, base: BuildState, state: BuildState) -> None:
        """Remember the state just written, for the next compile in this process (`--watch`)."""
        _KEPT[self.store.folder] = (self._stamp(), base, state)
        kept = {id(r) for r in state.files.values()}
        for key in [k for k in _SYMBOLS if k not in kept]:
            del _SYMBOLS[key]


_TOKENS = re.compile(r'"(?:[^"\n]|"")*"|\'(?:[^\'\n]|\'\')*\'|\w+')
_WORD = re.compile(r"\w+")


def mentions(data: bytes) -> Optional[bytes]:
    """What a source file mentions: every word, number, quoted name and string of it (comments too;
    the words inside quotes too), folded as the symbol table folds names, as the sorted CRC-32s of their
    UTF-8 (4 bytes each; two names that share one only make a file run its checks once too often).
    None when the file cannot be decoded (then it depends on everything).

    >>> names = mentions(b'field(7; "Phone No."; Text[30]) // CUSTOMER')
    >>> mentioned(names, {"phone no.", "customer"}), mentioned(names, {"7"}), mentioned(names, {"name"})
    (True, True, False)
    """
    from ..source import decode
    try:
        text = decode(data).casefold()
    except ValueError:
        return None
    words = set()
    for token in set(_TOKENS.findall(text)):
        quote = token[0]
        if quote == '"' or quote == "'":
            inner = token[1:-1].replace(quote + quote, quote)
            words.add(inner)
            words.update(_number(w) for w in _WORD.findall(inner))
        else:
            words.add(_number(token))
    return array.array("I", sorted({_hash(w) for w in words})).tobytes()


def mentioned(names: bytes, words) -> bool:
    """Whether a file that mentions ``names`` (from :func:`mentions`) mentions one of ``words`` (folded)."""
    return _mentions_any(names, _hashes(words))


def _hashes(words) -> frozenset:
    return frozenset(_hash(word) for word in words)


def _mentions_any(names: bytes, hashes: frozenset) -> bool:
    """Whether ``names`` holds one of ``hashes``: a pass over the file's few hundred names, however many
    changed (a change that reaches many objects names thousands)."""
    return not hashes.isdisjoint(memoryview(names).cast("I"))


def _hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8", "surrogatepass"))


def _number(word: str) -> str:
    """A number as the symbols write it (no leading zeros); any other word as it is."""
    return str(int(word)) if word.isascii() and word.isdigit() and len(word) < 40 else word


_VALUE_PARTS = frozenset({"Property", "TypeDef", "Subtype", "Parameter", "Attribute", "Module"})
_WHOLE_OBJECT_KINDS = frozenset({"interface"})   # a member added makes each implementer incomplete


def _object_words(name, namespace, number) -> set:
    """The folded names and the number an object is found by."""
    from ..semantic.model import fold
    words = {fold(name or "")}
    if namespace:
        words.add(fold(f"{namespace}.{name}"))
    if number is not None:
        words.add(str(number))
    words.discard("")
    return words


def _namespaces(files) -> set:
    """Every namespace the files' objects are in, and every prefix of it, folded."""
    from ..semantic.model import fold
    out = set()
    for f in files:
        for h in f.result.headers:
            if h.namespace:
                parts = fold(h.namespace).split(".")
                out.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return out


def _target_words(target) -> set:
    from ..semantic.model import fold
    return {fold(target), fold(target.rsplit("#", 1)[-1])} - {""} if target else set()


def _is_member(value) -> bool:
    return attrs.has(type(value)) and type(value).__name__ not in _VALUE_PARTS


def _split(node) -> tuple:
    """(the node's own fields, its member nodes)."""
    own, children = [], []
    for field in attrs.fields(type(node)):
        value = getattr(node, field.name)
        if isinstance(value, tuple) and value and _is_member(value[0]):
            children.extend(value)
        elif _is_member(value):
            children.append(value)
        else:
            own.append((field.name, value))
    return own, children


def _facts(path: str, symbols, headers, out) -> None:
    """Count the declaration facts of a file into ``out``: (path, the folded names and numbers objects
    are found by that it concerns, the names and numbers it concerns, its text); two builds' facts
    differ where their declarations do.

    An object's header (kind, id, name, namespace, target) is a fact of its own: when it differs, names
    resolve to other objects (the first set). Its members' facts hold the header too, so that all of
    them differ with it (an extension given another target adds its fields to another table); they
    concern the member's name and number (a member without a name: its strings, else the object).
    The object's other fields (properties...) concern the object's names and target."""
    from ..semantic.model import fold
    for h in headers:
        found = _object_words(h.name, h.namespace, h.id)
        out[(path, frozenset(found), frozenset(found | _target_words(h.target)),
             repr((h.kind, h.id, h.name, h.namespace, h.target, h.moved, h.moves_out)))] += 1
    for obj in symbols:
        target = getattr(obj, "target", None)
        whole = frozenset(_object_words(obj.name, obj.namespace, getattr(obj, "id", None)) | _target_words(target))
        header = (obj.kind, getattr(obj, "id", None), obj.name, obj.namespace, target)
        own, children = _split(obj)
        out[(path, frozenset(), whole, repr((header, own)))] += 1
        stack = list(children)
        while stack:
            node = stack.pop()
            own, children = _split(node)
            words = set()
            name = getattr(node, "name", None)
            if isinstance(name, str) and name:
                words.add(fold(name))
            else:
                for key, value in own:
                    if key != "kind":
                        for text in (value if isinstance(value, tuple) else (value,)):
                            if isinstance(text, str) and text:
                                words.add(fold(text))
            for key in ("id", "ordinal"):
                number = getattr(node, key, None)
                if type(number) is int:
                    words.add(str(number))
            if not words or obj.kind in _WHOLE_OBJECT_KINDS:
                words |= whole
            out[(path, frozenset(), frozenset(words), repr((header, type(node).__name__, own)))] += 1
            stack.extend(children)


_PACKAGE_DIGESTS: dict = {}
_KEPT: dict = {}        # cache folder -> (stamp of its state files, base, state) as this process last wrote them
_SYMBOLS: dict = {}     # id(FileRecord) -> (the record, its symbols unpickled), for the records in _KEPT


def forget() -> None:
    """Drop what this process keeps of the states it wrote (the next compile reads them from disk)."""
    _KEPT.clear()
    _SYMBOLS.clear()


def _package_digest(path: str) -> str:
    """The digest of a dependency package's bytes (memoized by path, size and time of change)."""
    try:
        st = os.stat(path)
    except OSError:
        return ""
    memo = (os.path.abspath(path), st.st_size, st.st_mtime_ns, st.st_ino)
    found = _PACKAGE_DIGESTS.get(memo)
    if found is None:
        data = _read(path, None)
        found = _PACKAGE_DIGESTS[memo] = file_digest(data) if data is not None else ""
    return found
