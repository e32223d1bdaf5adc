"""The build cache of incremental compiles: signed entries under the project's `.alc/` folder.

An entry is a pickled value behind a header: the magic ``ALCBUILD``, the format number and a
keyed BLAKE2b digest of the format, the entry's name and its payload. The digest's key is a
secret of the user (``build.key`` in the user's cache folder, made once, mode 0600), so an
entry that is corrupt, truncated, written by another alc format, renamed, or brought in from
another machine or user (a `.alc/` folder committed or unpacked with a project) fails the
check and is ignored: nothing of it is unpickled. A cache that cannot be read or written is
never an error; the compile does the work instead.

>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> cache = BuildCache(os.path.join(folder, ".alc"), secret=b"k" * 32)
>>> cache.store("state", {"a": 1}), cache.load("state")
(True, {'a': 1})
>>> with open(cache.path("state"), "r+b") as f: _ = f.seek(-1, 2); _ = f.write(b"?")
>>> cache.load("state") is None
True
>>> BuildCache(os.path.join(folder, ".alc"), secret=b"x" * 32).store("s", 1)
True
>>> cache.load("s") is None  # written under another user's key: foreign
True
"""

from __future__ import annotations

import hashlib
import hmac
import io
import operator
import os
import pickle
import struct
import tempfile
import zlib
from typing import Optional

import attrs


__all__ = ["BuildCache", "FORMAT", "code_fingerprint", "digest", "file_digest", "default_cache_dir", "user_secret",
           "dumps_shared", "loads_shared", "compress_shared"]

FORMAT = 2
"""The format of the entries and of the values in them: entries of another format are ignored."""

_MAGIC = b"ALCBUILD"
_HEAD = struct.Struct("<8sI32s")
_IGNORE = "# written by alc: the build cache of incremental compiles (see `alc compile --no-cache`)\n*\n"


_FIRST = operator.itemgetter(0)


class _SharingPickler(pickle.Pickler):
    """Pickles each value of the symbols' small parts (types, parameters, properties, variables...) once:
    an equal one later is pickled as a reference to the first. A project's 1.2 million such parts are
    about 380,000 values, so the pickle is half as large. Every symbol object and part is rebuilt by a
    function made for its class (``_makers``), twice as fast as a generic one."""

    def __init__(self, file):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._first: dict = {}
        self._strings: dict = {}   # each string value once: `ToolTip`, `field`, `local` repeat in every object
        self._plans = _plans()

    def reducer_override(self, obj):
        plan = self._plans.get(type(obj))
        if plan is None:
            return NotImplemented
        maker, values_of, strings_at, shared = plan
        if shared:
            try:
                first = self._first.setdefault(obj, obj)
            except TypeError:      # holds something unhashable
                first = obj
            if first is not obj:
                return _FIRST, ((first,),)
        values = values_of(obj)
        if strings_at:
            strings = self._strings
            values = list(values)
            for i in strings_at:
                value = values[i]
                if value is not None:
                    values[i] = strings.setdefault(value, value)
            values = tuple(values)
        return maker, values


_PLANS: list = []


def _plans() -> dict:
    """class -> (its maker, a function giving its fields' values as a tuple, the positions of its string
    fields, whether equal values are pickled once) for the classes of alc.package.symbols."""
    return _planned()[0]


def _shared_makers() -> frozenset:
    """The makers of the classes whose equal values are pickled once."""
    return _planned()[1]


def _planned() -> tuple:
    if not _PLANS:
        shared, makers = _symbol_classes()
        plans: dict = {}
        for cls, (maker, names) in makers.items():
            types = {f.name: str(f.type) for f in attrs.fields(cls)}
            strings_at = tuple(i for i, name in enumerate(names) if types[name] in ("str", "Optional[str]"))
            values_of = operator.attrgetter(*names) if len(names) > 1 else \
                (lambda obj, get=operator.attrgetter(names[0]): (get(obj),)) if names else (lambda obj: ())
            plans[cls] = (maker, values_of, strings_at, cls in shared)
        _PLANS.append((plans, frozenset(makers[cls][0] for cls in shared)))
    return _PLANS[0]


class _SharingUnpickler(pickle.Unpickler):
    """Gives back equal symbol parts (of the classes ``_SharingPickler`` shares) as one object, across
    every load that passes the same ``equal`` table: the project's symbols decoded from its files'
    pickles take a third of the memory they take when each file's parts are their own."""

    def __init__(self, file, equal: dict):
        super().__init__(file)
        self._equal = equal

    def find_class(self, module: str, name: str):
        found = super().find_class(module, name)
        if module != __name__ or not name.startswith("_make_"):
            return found
        made = self._equal.get(name)
        if made is None:
            made = self._equal[name] = _equal_maker(found) if found in _shared_makers() else found
        return made


def _equal_maker(maker):
    """``maker``, giving back the object it made before for equal arguments."""
    seen: dict = {}

    def make(*args):
        try:
            found = seen.get(args)
        except TypeError:      # holds something unhashable
            return maker(*args)
        if found is None:
            found = seen[args] = maker(*args)
        return found
    return make


def loads_shared(data, equal: dict):
    """``pickle.loads(data)``, the symbol parts equal to one made by an earlier call with the same ``equal``
    (a dict, empty at first, dropped when the loads are over) given back as that one. ``data`` may be
    compressed (``compress_shared``).

    >>> from alc.package.symbols import TypeDef
    >>> equal = {}
    >>> a, b = (loads_shared(dumps_shared([TypeDef("Integer")]), equal)[0] for _ in range(2))
    >>> a == TypeDef("Integer") and a is b
    True
    """
    if data[:1] == b"\x78":     # a zlib stream (a pickle starts with PROTO, 0x80)
        data = zlib.decompress(data)
    return _SharingUnpickler(io.BytesIO(data), equal).load()


def compress_shared(data: bytes) -> bytes:
    """A pickle of ``dumps_shared`` compressed (fast, a third of its size), as ``loads_shared`` reads it.

    >>> from alc.package.symbols import TypeDef
    >>> loads_shared(compress_shared(dumps_shared((TypeDef("Integer"),) * 50)), {})[49] == TypeDef("Integer")
    True
    """
    return zlib.compress(data, 1)


_SHARED_NAMES = ("Property", "TypeDef", "Subtype", "Parameter", "Attribute", "Variable", "Permission", "Key",
                 "EnumValue", "ReportColumn", "QueryColumn", "Module", "FieldModification")
"""The symbol parts that repeat (frozen: equal values are interchangeable); methods, fields and
controls are mostly unique and costly to hash (a control holds its controls)."""

_CLASSES: list = []


def _symbol_classes() -> tuple:
    """(the classes shared, class -> (its maker, its fields)) of alc.package.symbols."""
    if not _CLASSES:
        from ..package import symbols as sym
        makers = {}
        for cls in vars(sym).values():
            if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == sym.__name__:
                names = tuple(f.name for f in attrs.fields(cls))
                makers[cls] = (_maker(cls, names), names)
        _CLASSES.append((frozenset(getattr(sym, name) for name in _SHARED_NAMES), makers))
    return _CLASSES[0]


def _maker(cls, names: tuple):
    """A function of this module that makes a ``cls`` from its fields' values without running its
    __init__ (the converters ran when it was made), named after the class and its fields, so that a
    pickle of a class since changed finds no maker (and is not used)."""
    name = f"_make_{cls.__name__}_{digest(cls.__qualname__, names)[:10]}"
    found = globals().get(name)
    if found is None:
        scope = {"new": object.__new__, "cls": cls}
        scope.update((f"set_{i}", cls.__dict__[n].__set__) for i, n in enumerate(names))
        args = ", ".join(f"a{i}" for i in range(len(names)))
        body = "".join(f"    set_{i}(o, a{i})\n" for i in range(len(names)))
        exec(f"def {name}({args}):\n    o = new(cls)\n{body}    return o\n", scope)   # noqa: S102 (own text)
        found = scope[name]
        found.__module__, found.__qualname__ = __name__, name
        globals()[name] = found
    return found


def __getattr__(name: str):
    """The makers, for the unpickler (made when first asked for)."""
    if name.startswith("_make_"):
        _symbol_classes()
        if name in globals():
            return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def dumps_shared(value) -> bytes:
    """``pickle.dumps(value)``, equal symbol parts pickled once (see _SharingPickler).

    >>> from alc.package.symbols import TypeDef
    >>> pickle.loads(dumps_shared([TypeDef("Integer"), TypeDef("Integer")])) == [TypeDef("Integer")] * 2
    True
    >>> len(dumps_shared([TypeDef("Integer")] * 9 + [TypeDef("Code")])) < len(pickle.dumps(
    ...     [TypeDef("Integer") for _ in range(9)] + [TypeDef("Code")], protocol=pickle.HIGHEST_PROTOCOL))
    True
    """
    out = io.BytesIO()
    _SharingPickler(out).dump(value)
    return out.getvalue()


def digest(*parts) -> str:
    """A hex digest of ``parts`` (strings, bytes, or anything with a stable ``repr``).

    >>> digest("a", b"b", 1) == digest("a", b"b", 1) != digest("ab", b"", 1)
    True
    """
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part if isinstance(part, bytes) else (part if isinstance(part, str) else repr(part)).encode(
            "utf-8", "surrogatepass")
        h.update(struct.pack("<Q", len(data)))
        h.update(data)
    return h.hexdigest()


def file_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


_FINGERPRINT: list = []


def code_fingerprint() -> str:
    """A digest of alc's own code and grammar (the version and every `.py`, `.lark` and data file of
    the package): a cache written by other code is never used, even between two commits of one version."""
    if _FINGERPRINT:
        return _FINGERPRINT[0]
    from ..version import __version__
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{__version__}/{FORMAT}".encode())
    folders = [root]
    try:  # the grammar package (an editable install maps alc.grammar to the tree's grammar/)
        import importlib.util
        spec = importlib.util.find_spec(__name__.split(".")[0] + ".grammar")
        folders += list(spec.submodule_search_locations or []) if spec is not None else []
    except (ImportError, ValueError):
        pass
    for folder in dict.fromkeys(os.path.realpath(f) for f in folders):
        for base, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
            for name in sorted(files):
                if name.endswith((".pyc", ".pyo")):
                    continue
                path = os.path.join(base, name)
                try:
                    with open(path, "rb") as f:
                        data = f.read()
                except OSError:
                    continue
                h.update(os.path.relpath(path, folder).encode("utf-8", "surrogateescape") + b"\0")
                h.update(hashlib.blake2b(data, digest_size=20).digest())
    _FINGERPRINT.append(h.hexdigest())
    return _FINGERPRINT[0]


def default_cache_dir(project: str) -> str:
    """`<project>/.alc`: the cache lives and dies with the project (hidden folders are not compiled)."""
    return os.path.join(project, ".alc")


def user_secret() -> Optional[bytes]:
    """The user's cache key (32 random bytes in ``<user cache>/build.key``, made on first use); None
    when it can be neither read nor made (the compile then runs without a cache)."""
    from .symcache import cache_folder
    path = os.path.join(os.path.dirname(cache_folder()), "build.key")
    for _ in range(2):
        try:
            from ..source import read_regular
            key = read_regular(path, 64)
            if len(key) == 32:
                return key
            os.unlink(path)  # damaged: make a new one (older entries become foreign)
        except FileNotFoundError:
            pass
        except OSError:
            return None
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(os.urandom(32))
        except FileExistsError:
            continue   # another compile made it meanwhile
        except OSError:
            return None
    return None


class BuildCache:
    """Signed entries in one folder: ``load(name)`` gives the value or None, ``store(name, value)``
    writes atomically (a temporary file renamed)."""

    def __init__(self, folder: str, secret: bytes):
        self.folder = folder
        self._secret = secret

    @classmethod
    def open(cls, folder: str) -> Optional["BuildCache"]:
        """The cache in ``folder`` (made, with a `.gitignore` that ignores it, when missing); None
        when the user's key is not available."""
        secret = user_secret()
        return cls(folder, secret) if secret is not None else None

    def path(self, name: str) -> str:
        return os.path.join(self.folder, f"{name}.bin")

    def _mac(self, name: str, payload) -> bytes:
        h = hashlib.blake2b(key=self._secret, digest_size=32)
        h.update(struct.pack("<I", FORMAT) + name.encode("utf-8") + b"\0")
        h.update(payload)
        return h.digest()

    def load(self, name: str):
        """The value stored under ``name``, or None when there is none or it fails any check."""
        from ..source import read_regular
        try:
            data = read_regular(self.path(name))   # a regular file only: a FIFO or a device is never read
        except OSError:
            return None
        if len(data) < _HEAD.size:
            return None
        magic, form, mac = _HEAD.unpack_from(data)
        payload = memoryview(data)[_HEAD.size:]
        if magic != _MAGIC or form != FORMAT or not hmac.compare_digest(mac, self._mac(name, payload)):
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # signed by us yet unreadable (a class alc no longer has): recompute
            return None

    def store(self, name: str, value) -> bool:
        """Write ``value`` under ``name``; False when the cache cannot be written (no error)."""
        try:
            payload = dumps_shared(value)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return False
        try:
            self._prepare()
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(_HEAD.pack(_MAGIC, FORMAT, self._mac(name, payload)))
                    f.write(payload)
                os.replace(tmp, self.path(name))
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            return False
        return True

    def discard(self, name: str) -> None:
        try:
            os.unlink(self.path(name))
        except OSError:
            pass

    def _prepare(self) -> None:
        os.makedirs(self.folder, exist_ok=True)
        ignore = os.path.join(self.folder, ".gitignore")
        if not os.path.exists(ignore):
            with open(ignore, "w", encoding="utf-8") as f:
                f.write(_IGNORE)
