"""Multi-case golden files, tree-sitter style.

A file holds cases, each a ``=== title`` line, AL source, a ``---`` line and
the expected output::

    === a table with one field
    // symbols: CLEAN27
    table 50100 T { fields { field(1; A; Integer) { } } }
    ---
    Table 50100 T
      ...

Lines before the first ``===`` are a free comment. ``// name: value`` lines
at the top of a case's source are metadata (``symbols``, ``xfail``); they
stay in the source, where AL reads them as comments.

>>> cases = parse_cases("x.txt", "note\\n=== one\\n// xfail: bug\\ncodeunit 1 A { }\\n---\\nCodeunit 1 A\\n")
>>> [(c.title, c.source, c.expected, c.meta) for c in cases]
[('one', '// xfail: bug\\ncodeunit 1 A { }', 'Codeunit 1 A', {'xfail': 'bug'})]
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

DATA = Path(__file__).parent / "data"
_HEADER = re.compile(r"^=== (.+)$")
_META = re.compile(r"^//\s*(\w+):\s*(.*)$")


@attrs.frozen
class Case:
    path: str
    title: str
    source: str
    expected: str
    line: int                    # line of the `===` header in the file
    meta: dict = attrs.field(factory=dict)

    @property
    def id(self) -> str:
        return f"{Path(self.path).stem}: {self.title}"

    @property
    def symbols(self) -> tuple:
        return tuple(self.meta.get("symbols", "").replace(",", " ").split())


def parse_cases(path: str, text: str) -> list[Case]:
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if _HEADER.match(line)]
    cases = []
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(lines)
        body = lines[start + 1:stop]
        if "---" not in body:
            raise ValueError(f"{path}:{start + 1}: case has no `---` line")
        sep = body.index("---")
        source = "\n".join(body[:sep]).strip("\n")
        expected = "\n".join(body[sep + 1:]).strip("\n")
        meta = {}
        for line in body[:sep]:
            m = _META.match(line)
            if not m:
                break
            meta[m.group(1)] = m.group(2).strip()
        cases.append(Case(path, _HEADER.match(lines[start]).group(1).strip(), source, expected,
                          start + 1, meta))
    titles = [c.title for c in cases]
    duplicates = {t for t in titles if titles.count(t) > 1}
    if duplicates:
        raise ValueError(f"{path}: duplicate case titles {sorted(duplicates)}")
    return cases


def read_cases(path: Path) -> list[Case]:
    return parse_cases(str(path), path.read_text(encoding="utf-8"))


def cases_in(folder: str) -> list[Case]:
    return [case for path in sorted((DATA / folder).glob("*.txt")) for case in read_cases(path)]


def rewrite_case(case: Case, actual: str) -> None:
    """Replace the expected output of ``case`` in its file (other cases untouched)."""
    path = Path(case.path)
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line == f"=== {case.title}")
    stop = next((i for i in range(start + 1, len(lines)) if _HEADER.match(lines[i])), len(lines))
    sep = lines.index("---", start + 1, stop)
    tail = [""] if stop < len(lines) else []
    lines[sep + 1:stop] = actual.splitlines() + tail
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
