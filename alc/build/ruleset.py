"""Warnings under control, as the AL compiler does it: `--nowarn`, `--warnaserror[+|-][:CODES]`,
`#pragma warning disable/restore` in source, app.json `suppressWarnings`, and ruleset files
(`--ruleset FILE` or app.json `ruleSetPath`, with `includedRuleSets`).

Precedence, first match wins (the compiler's, which follows Roslyn's). An error the compiler reports
as an error is never changed; for a warning (or info):

1. `--nowarn CODE` or app.json `suppressWarnings`: suppressed;
2. `#pragma warning disable [CODE, ...]` before it in its file (to the `restore` or the end): suppressed;
3. `--warnaserror+:CODE`: an error; `--warnaserror-:CODE`: left as it is (steps 4-6 skipped);
4. a rule of the ruleset for its code: Error, Warning, Info, or Hidden/None (suppressed); Default: go on;
5. `--warnaserror+` (all warnings): an error;
6. the ruleset's `generalAction`.

Suppressed diagnostics are kept, with the reason, so that reports can count them.

>>> from alc.diagnostics import Diagnostic
>>> from alc.source import SourceFile
>>> src = SourceFile("a.al", "x\\n#pragma warning disable ALC0221\\ny\\n#pragma warning restore\\nz")
>>> ds = [Diagnostic.warning("ALC0221", "w", src.span(i, i + 1)) for i in (0, 34, 60)]
>>> out = WarningPolicy(warnaserror=True).apply(ds)
>>> [(d.location()[1], str(d.severity)) for d in out.diagnostics], [r for r, _ in out.suppressed]
([(1, 'error'), (5, 'error')], ['pragma'])
"""

from __future__ import annotations

import os
import re
from typing import Iterable, Optional, Sequence

import attrs

from ..budget import SMALL_JSON, loads as budget_loads
from ..diagnostics import Diagnostic, Severity
from ..source import read_problem, read_regular

__all__ = ["WarningPolicy", "RuleSet", "RuleSetError", "Applied", "load_ruleset", "parse_codes",
           "parse_warnaserror", "ACTIONS"]

ACTIONS = ("error", "warning", "info", "hidden", "none", "default")
_STRICTNESS = {"none": 0, "hidden": 1, "info": 2, "warning": 3, "error": 4}
_PRAGMA_RE = re.compile(r"^[ \t]*#[ \t]*pragma[ \t]+warning[ \t]+(disable|restore)\b([^\n]*)",
                        re.MULTILINE | re.IGNORECASE)
_CODE_SPLIT = re.compile(r"[\s,;]+")


class RuleSetError(ValueError):
    """A ruleset file that cannot be used: one line naming the file and the problem."""


def parse_codes(values: Iterable[str]) -> frozenset[str]:
    """Codes from `--nowarn` values: comma, semicolon or space separated, any case.

    >>> sorted(parse_codes(["alc0221, AL0432;AA0005"]))
    ['AA0005', 'AL0432', 'ALC0221']
    """
    return frozenset(c.upper() for v in values for c in _CODE_SPLIT.split(v) if c)


def parse_warnaserror(specs: Iterable[str]) -> tuple[Optional[bool], frozenset, frozenset]:
    """`+`, `-`, `+:CODES`, `-:CODES` (the spellings of `--warnaserror`), in order, last one wins:
    (all warnings as errors?, codes as errors, codes not as errors).

    >>> parse_warnaserror(["+", "-:ALC0221"])
    (True, frozenset(), frozenset({'ALC0221'}))
    """
    general: Optional[bool] = None
    as_error: set = set()
    not_as_error: set = set()
    for spec in specs:
        sign, _, codes = spec.partition(":")
        if sign not in ("+", "-"):
            raise ValueError(f"--warnaserror takes `+`, `-`, `+:CODES` or `-:CODES`, got `{spec}`")
        if not codes:
            general = sign == "+"
            continue
        for code in parse_codes([codes]):
            (as_error if sign == "+" else not_as_error).add(code)
            (not_as_error if sign == "+" else as_error).discard(code)
    return general, frozenset(as_error), frozenset(not_as_error)


@attrs.frozen
class RuleSet:
    """A ruleset with its includes folded in: code -> action, and the general action."""
    name: str = ""
    rules: dict = attrs.field(factory=dict)
    general: Optional[str] = None
    path: str = ""


MAX_INCLUDE_DEPTH = 32
"""How deep `includedRuleSets` may nest (real rulesets include one or two files, one level deep)."""
MAX_RULESET_FILES = 256
"""How many distinct files one ruleset may read in all, its includes' includes counted."""


def load_ruleset(path: str) -> RuleSet:
    """Read a `*.ruleset.json` file and the files it includes (paths relative to the including file).

    An included file's rules take the include's `action` unless it is `Default`; the including file's
    own rules override them; the stricter `generalAction` of the file and its includes applies.
    Every file is read once (a file included by many is not read again: a chain of files each including
    the next twice would otherwise read the last one 2^n times), within the budget of small JSON files,
    and only when it is a regular file; includes nest at most :data:`MAX_INCLUDE_DEPTH` levels."""
    return _load(os.path.abspath(path), (), None, {})


def _load(path: str, chain: tuple, via: Optional[str], seen: dict) -> RuleSet:
    where = f"ruleset `{_shown(path)}`" + (f" (included by `{_shown(via)}`)" if via else "")
    if path in chain:
        raise RuleSetError(f"{where} includes itself: " + " --> ".join(_shown(p) for p in chain + (path,)))
    if len(chain) > MAX_INCLUDE_DEPTH:
        raise RuleSetError(f"{where}: includes nest more than {MAX_INCLUDE_DEPTH} levels deep")
    if path in seen:
        return seen[path]
    if len(seen) >= MAX_RULESET_FILES:
        raise RuleSetError(f"{where}: more than {MAX_RULESET_FILES} ruleset files included in all")
    seen[path] = _read(path, chain, via, where, seen)
    return seen[path]


def _shown(path: str) -> str:
    """A path in a message: control characters and undecodable bytes escaped, at most 300 characters."""
    text = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= 300 else text[:150] + "..." + text[-150:]


def _read(path: str, chain: tuple, via: Optional[str], where: str, seen: dict) -> RuleSet:
    try:
        raw = read_regular(path, SMALL_JSON.max_size)
        data = budget_loads(raw, SMALL_JSON, where)
    except OSError as exc:
        raise RuleSetError(f"cannot read {where}: {read_problem(exc)}") from None
    except ValueError as exc:   # BudgetError (over the budget, not UTF-8, not JSON), or a NUL in the path
        message = str(exc)
        raise RuleSetError(message if message.startswith(where) else f"cannot read {where}: {message}") from None
    if not isinstance(data, dict):
        raise RuleSetError(f"{where} must hold a JSON object")
    rules: dict = {}
    general = _action(data.get("generalAction"), f"{where}: `generalAction`", allow_none=True)
    folder = os.path.dirname(path)
    for i, inc in enumerate(_list(data, "includedRuleSets", where)):
        if not isinstance(inc, dict) or not isinstance(inc.get("path"), str):
            raise RuleSetError(f"{where}: `includedRuleSets[{i}]` needs a `path` string")
        action = _action(inc.get("action", "Default"), f"{where}: `includedRuleSets[{i}].action`")
        included = _load(os.path.normpath(os.path.join(folder, inc["path"])), chain + (path,), path, seen)
        for code, rule_action in included.rules.items():
            rules[code] = rule_action if action == "default" else action
        if included.general is not None and (general is None or _STRICTNESS[included.general] > _STRICTNESS[general]):
            general = included.general
    for i, rule in enumerate(_list(data, "rules", where)):
        if not isinstance(rule, dict) or not isinstance(rule.get("id"), str) or not rule["id"].strip():
            raise RuleSetError(f"{where}: `rules[{i}]` needs an `id` string")
        rules[rule["id"].strip().upper()] = _action(rule.get("action"), f"{where}: `rules[{i}].action`")
    name = data.get("name") if isinstance(data.get("name"), str) else ""
    return RuleSet(name, rules, general if general != "default" else None, path)


def _list(data: dict, key: str, where: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise RuleSetError(f"{where}: `{key}` must be an array")
    return value


def _action(value, where: str, allow_none: bool = False) -> Optional[str]:
    if value is None and allow_none:
        return None
    if not isinstance(value, str) or value.casefold() not in ACTIONS:
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        raise RuleSetError(f"{where} must be one of Error, Warning, Info, Hidden, None, Default; got {shown}")
    return value.casefold()


@attrs.frozen
class Applied:
    """What a policy made of a list of diagnostics: those to report, and (reason, diagnostic) for
    each suppressed one; the reason is `nowarn`, `suppressWarnings`, `pragma` or `ruleset`."""
    diagnostics: tuple
    suppressed: tuple

    def counts(self) -> dict:
        out: dict = {}
        for reason, _ in self.suppressed:
            out[reason] = out.get(reason, 0) + 1
        return out


@attrs.frozen
class WarningPolicy:
    nowarn: frozenset = frozenset()
    suppress_warnings: frozenset = frozenset()     # app.json `suppressWarnings`
    warnaserror: Optional[bool] = None
    as_error: frozenset = frozenset()
    not_as_error: frozenset = frozenset()
    ruleset: Optional[RuleSet] = None

    @classmethod
    def from_options(cls, nowarn: Sequence[str] = (), warnaserror: Sequence[str] = (),
                     ruleset: Optional[str] = None) -> "WarningPolicy":
        """From the command line's values; raises ValueError (RuleSetError) on a bad value."""
        general, as_error, not_as_error = parse_warnaserror(warnaserror)
        return cls(parse_codes(nowarn), frozenset(), general, as_error, not_as_error,
                   load_ruleset(ruleset) if ruleset else None)

    def for_project(self, manifest, project: str) -> "WarningPolicy":
        """With the project's app.json: `suppressWarnings`, and `ruleSetPath` unless a ruleset was given."""
        ruleset = self.ruleset
        if ruleset is None and getattr(manifest, "rule_set_path", ""):
            ruleset = load_ruleset(os.path.join(project, manifest.rule_set_path))
        return attrs.evolve(self, suppress_warnings=parse_codes(manifest.suppress_warnings), ruleset=ruleset)

    @property
    def is_default(self) -> bool:
        return self == WarningPolicy()

    def apply(self, diagnostics: Iterable[Diagnostic]) -> Applied:
        kept: list = []
        suppressed: list = []
        pragmas = _Pragmas()
        for d in diagnostics:
            if d.is_error:
                kept.append(d)
                continue
            reason, severity = self._decide(d, pragmas)
            if reason is not None:
                suppressed.append((reason, d))
            else:
                kept.append(d if severity is d.severity else attrs.evolve(d, severity=severity))
        return Applied(tuple(kept), tuple(suppressed))

    def _decide(self, d: Diagnostic, pragmas: "_Pragmas") -> tuple[Optional[str], Severity]:
        code = d.code.upper()
        if code in self.nowarn:
            return "nowarn", d.severity
        if code in self.suppress_warnings:
            return "suppressWarnings", d.severity
        if pragmas.disabled(d, code):
            return "pragma", d.severity
        if code in self.as_error:
            return None, Severity.ERROR
        if code in self.not_as_error:
            return None, d.severity
        rules = self.ruleset.rules if self.ruleset is not None else {}
        action = rules.get(code, "default")
        if action == "default":
            if self.warnaserror and d.severity is Severity.WARNING:
                return None, Severity.ERROR
            action = (self.ruleset.general if self.ruleset is not None else None) or "default"
        if action in ("hidden", "none"):
            return "ruleset", d.severity
        return None, {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}.get(
            action, d.severity)


class _Pragmas:
    """`#pragma warning disable/restore` of each file, read once per file when a diagnostic needs them."""

    def __init__(self) -> None:
        self._files: dict = {}

    def disabled(self, d: Diagnostic, code: str) -> bool:
        if d.span is None or d.span.source is None:
            return False
        source = d.span.source
        events = self._files.get(id(source))
        if events is None:
            events = self._files[id(source)] = _pragma_events(source.text)
        if not events:
            return False
        everything, codes, exceptions = False, set(), set()   # disable (all|codes) and restore (codes)
        for offset, disable, listed in events:
            if offset > d.span.start:
                break
            if disable and listed:
                codes |= listed
                exceptions -= listed
            elif disable:
                everything, codes, exceptions = True, set(), set()
            elif listed:
                codes -= listed
                exceptions |= listed
            else:
                everything, codes, exceptions = False, set(), set()
        return code in codes or (everything and code not in exceptions)


def _pragma_events(text: str) -> list:
    """(offset, disable?, codes) of each `#pragma warning` line, in order.

    >>> [(at, off, sorted(codes)) for at, off, codes in
    ...  _pragma_events("#pragma warning disable AL0432, AA0005 // old\\n#pragma warning restore")]
    [(0, True, ['AA0005', 'AL0432']), (46, False, [])]
    """
    if "pragma" not in text:
        return []
    return [(m.start(), m.group(1).lower() == "disable", parse_codes([m.group(2).split("//", 1)[0]]))
            for m in _PRAGMA_RE.finditer(text)]
