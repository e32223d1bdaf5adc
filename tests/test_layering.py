"""The layering of alc: its stages flow one way.

Every module of alc/ belongs to one stage; a module may import modules of its
own stage and of the stages below it, never of a stage above. The imports are
read with ``ast`` (function-local imports included, relative ones resolved),
so an import put inside a function to dodge a cycle counts like any other.

``python tests/test_layering.py`` prints the stages, their modules and the
imports between stages.
"""

from __future__ import annotations

import ast
import collections
import pathlib
import re
from typing import Iterable, Optional


ROOT = pathlib.Path(__file__).resolve().parent.parent / "alc"

# The stages, lowest first (written here once). A name covers that module or
# that folder with everything in it; `alc` covers only alc/__init__.py.
STAGES = (
    ("ground", ("alc.version", "alc.source", "alc.diagnostics", "alc.appmodel", "alc.memory", "alc.output",
                "alc.budget")),
    ("ir", ("alc.ir", "alc.printer")),
    ("syntax", ("alc.syntax",)),
    ("package", ("alc.package",)),
    ("merge", ("alc.merge",)),
    ("semantic", ("alc.semantic",)),
    ("emit", ("alc.emit",)),
    ("build", ("alc.build",)),
    ("deploy", ("alc.deploy",)),
    ("generate", ("alc.generate",)),
    ("api", ("alc", "alc.cli", "alc.__main__")),
)


def discover(root: pathlib.Path) -> dict[str, pathlib.Path]:
    """Dotted module name -> file, for every .py file under ``root`` (a package folder)."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = (root.name,) + path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def imports(name: str, path: pathlib.Path, known: Iterable[str]) -> list[tuple[int, str]]:
    """(line, module) for every import of a module in ``known`` anywhere in the
    file. ``from P import x`` is an import of ``P.x`` when that is a module,
    else of ``P``."""
    known = set(known)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _deepest_known(alias.name, known)
                if target:
                    found.append((node.lineno, target))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                target = f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module
                if target in known:
                    found.append((node.lineno, target))
    return sorted(set(found))


def _deepest_known(dotted: str, known: set) -> Optional[str]:
    parts = dotted.split(".")
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in known:
            return ".".join(parts[:n])
    return None


def stage_of(module: str, stages=STAGES) -> Optional[int]:
    """The index of the stage whose most specific name covers ``module``."""
    best, best_len = None, -1
    for index, (_, names) in enumerate(stages):
        for n in names:
            covers = module == n or ("." in n and module.startswith(n + "."))
            if covers and len(n) > best_len:
                best, best_len = index, len(n)
    return best


def check(root: pathlib.Path = ROOT, stages=STAGES) -> tuple[list[str], list[str]]:
    """(modules no stage covers, upward imports as messages)."""
    modules = discover(root)
    unassigned = [m for m in modules if stage_of(m, stages) is None]
    upward = []
    for name, path in modules.items():
        own = stage_of(name, stages)
        for line, target in imports(name, path, modules):
            other = stage_of(target, stages)
            if own is not None and other is not None and other > own:
                upward.append(f"{path.relative_to(root.parent)}:{line}: {name} ({stages[own][0]}) imports "
                              f"{target} ({stages[other][0]})")
    return unassigned, upward


# ------------------------------------------------------------ the real tree --

def test_every_module_of_alc_has_a_stage():
    unassigned, _ = check()
    assert unassigned == []


def test_no_module_imports_a_stage_above_its_own():
    _, upward = check()
    assert upward == [], "\n".join(upward)


def test_every_stage_name_is_a_module_or_folder_of_alc():
    modules = discover(ROOT)
    names = [n for _, ns in STAGES for n in ns]
    assert len(names) == len(set(names)) and len({s for s, _ in STAGES}) == len(STAGES)
    assert [n for n in names if n not in modules] == []


def test_the_readme_shows_the_same_stages_in_the_same_order():
    readme = (ROOT.parent / "README.md").read_text(encoding="utf-8")
    line = re.search(r"^Stages, lowest first: (.*?)\.\s", readme, re.M | re.S)
    assert line, "README.md: no `Stages, lowest first:` line"
    assert re.findall(r"\b([a-z]+) \(", line.group(1)) == [name for name, _ in STAGES]


# ---------------------------------------------------- the checker itself -----

def _tree(tmp_path: pathlib.Path, files: dict[str, str]) -> pathlib.Path:
    root = tmp_path / "alc"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


STAGES3 = (("ground", ("alc.source",)), ("ir", ("alc.ir",)), ("syntax", ("alc.syntax",)),
           ("api", ("alc",)))


def test_the_checker_finds_a_function_local_upward_import(tmp_path):
    root = _tree(tmp_path, {
        "__init__.py": "from .syntax.api import parse\n",
        "source.py": "",
        "ir/__init__.py": "",
        "ir/nodes.py": "from ..source import Span\n\n\ndef parse(self):\n    from ..syntax.api import parse\n"
                       "    return parse(self)\n",
        "syntax/__init__.py": "",
        "syntax/api.py": "from ..ir import nodes\nimport alc.source\n\n\ndef parse(x):\n    return x\n",
    })
    unassigned, upward = check(root, STAGES3)
    assert unassigned == []
    assert upward == ["alc/ir/nodes.py:5: alc.ir.nodes (ir) imports alc.syntax.api (syntax)"]


def test_the_checker_resolves_from_imports_of_modules_and_of_names(tmp_path):
    root = _tree(tmp_path, {
        "__init__.py": "",
        "source.py": "from alc import syntax\nfrom . import ir\n",
        "ir/__init__.py": "from .nodes import Span\n",
        "ir/nodes.py": "Span = object\n",
        "syntax/__init__.py": "",
        "other.py": "",
    })
    assert imports("alc.source", root / "source.py", discover(root)) == [(1, "alc.syntax"), (2, "alc.ir")]
    assert imports("alc.ir", root / "ir" / "__init__.py", discover(root)) == [(1, "alc.ir.nodes")]
    unassigned, upward = check(root, STAGES3)
    assert unassigned == ["alc.other"]
    assert [u.split(": ", 1)[1] for u in upward] == ["alc.source (ground) imports alc.syntax (syntax)",
                                                     "alc.source (ground) imports alc.ir (ir)"]


def test_alc_itself_covers_only_its_init():
    assert stage_of("alc") == len(STAGES) - 1
    assert stage_of("alc.syntax.lower.code") == 2 and stage_of("alc.nowhere") is None


def _report() -> str:
    modules = discover(ROOT)
    by_stage = collections.defaultdict(list)
    for m in modules:
        by_stage[stage_of(m)].append(m)
    edges = collections.Counter()
    for name, path in modules.items():
        for _, target in imports(name, path, modules):
            a, b = stage_of(name), stage_of(target)
            if a is not None and b is not None and a != b:
                edges[(STAGES[a][0], STAGES[b][0])] += 1
    lines = [f"{'stage':<9} {'modules':>7}  names"]
    for index, (stage, names) in enumerate(STAGES):
        lines.append(f"{stage:<9} {len(by_stage[index]):>7}  {', '.join(names)}")
    lines.append(f"{'(none)':<9} {len(by_stage[None]):>7}  {', '.join(by_stage[None])}")
    lines.append("\nimports between stages (module -> module pairs):")
    for (a, b), n in sorted(edges.items(), key=lambda e: ([s for s, _ in STAGES].index(e[0][0]), e[0][1])):
        lines.append(f"  {a} -> {b}: {n}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(_report())
