"""Parsing on one core, in-process (`parse_source`, not the process pool of
`alc parse`): full parsing and declarations only (``lazy_bodies=True``).

Two inputs:

- the generated base application (``bench_parse_base``);
- the W1 Base Application of microsoft/BCApps (``bench_parse_w1``), side by
  side with tree-sitter-al, the C parser of AL, in the same run on the same
  files: tree-sitter-al first, then alc full and declarations only, each with
  the compiled accelerator (alc/syntax/_accel.pyx) and in pure Python. Each
  alc benchmark stores ``cpu_ratio_to_tree_sitter`` (its median CPU time over
  tree-sitter-al's) in ``extra_info``; the targets are at most 2 for
  declarations only and at most 4 for full parsing. The folder is
  ``$ALC_BENCH_W1`` (default /tmp/cc-bcapps/src/Layers/W1/BaseApp); tree-sitter-al
  is installed into the environment by ``setup-tree-sitter-al VENV``
  (a tool of the project's shared folder). Without either, these benchmarks
  are skipped with the reason. Files are read and decoded beforehand: the
  timings are the parse alone (tree-sitter-al gets the bytes, alc the text).
  ``$ALC_BENCH_W1_ROUNDS`` sets the rounds (default 3).

    python -m pytest benchmarks/bench_parse.py -k w1 --benchmark-only

``extra_info`` carries the input size and the throughput: ``mb_per_s`` is
bytes / median wall seconds; ``cpu_mb_per_s`` is bytes / median CPU seconds
of the process, steadier when other work shares the machine; and, for the
generated base, the peak memory of a process parsing it (:mod:`benchmarks.memory`).
"""

from __future__ import annotations

import os

import pytest

from alc import parse_source
from alc.source import SourceFile
from alc.syntax.files import project_symbols, walk_sources
from alc.syntax.parse import accelerator

from .measure import CpuClock, finish

ROUNDS = {"1k": 5, "10k": 3, "100k": 1}
W1_ROUNDS = int(os.environ.get("ALC_BENCH_W1_ROUNDS", "3"))
W1_DEFAULT = "/tmp/cc-bcapps/src/Layers/W1/BaseApp"
TARGETS = {"full": 4.0, "declarations": 2.0}


def _parse_all(sources: tuple, lazy: bool, accelerated=None, symbols=()) -> int:
    diagnostics = 0
    for path, text in sources:
        diagnostics += len(parse_source(SourceFile(path, text), symbols, lazy_bodies=lazy,
                                        accelerated=accelerated).diagnostics)
    return diagnostics


@pytest.mark.parametrize("mode", ["full", "declarations"])
def bench_parse_base(benchmark, generated, mode):
    lazy = mode == "declarations"
    sources = generated.base_sources
    _parse_all(sources[:1], lazy)      # builds the parser tables outside the timing
    clock = CpuClock()
    benchmark.group = f"parse {generated.size}"
    diagnostics = benchmark.pedantic(clock.wrap(_parse_all), args=(sources, lazy), rounds=ROUNDS[generated.size],
                                     iterations=1)
    assert diagnostics == 0
    size, objects = generated.base_bytes, generated.base_objects
    median = benchmark.stats.stats.median
    finish(benchmark, clock, ("parse", {"root": generated.root, "lazy": lazy}),
           files=len(sources), objects=objects, bytes=size, lines=sum(text.count("\n") for _, text in sources),
           mb_per_s=round(size / 1e6 / median, 3), cpu_mb_per_s=round(size / 1e6 / clock.median, 3),
           objects_per_s=round(objects / median, 1), accelerated=accelerator() is not None)


# -- the W1 Base Application against tree-sitter-al ---------------------------------

class W1:
    """The W1 files, read once per session; tree-sitter-al's median CPU time once measured."""

    def __init__(self, folder: str):
        paths = walk_sources(folder)
        self.symbols = project_symbols(paths[0]) if paths else frozenset()
        self.data = tuple((path, open(path, "rb").read()) for path in paths)
        self.sources = tuple((source.path, source.text) for source in
                             (SourceFile.from_bytes(path, data) for path, data in self.data))
        self.bytes = sum(len(data) for _, data in self.data)
        self.tree_sitter_cpu = None


@pytest.fixture(scope="module")
def w1():
    folder = os.environ.get("ALC_BENCH_W1", W1_DEFAULT)
    if not os.path.isdir(folder):
        pytest.skip(f"no W1 Base Application at {folder} (set ALC_BENCH_W1)")
    return W1(folder)


def _tree_sitter_parser():
    try:
        import tree_sitter
        import tree_sitter_al
    except ImportError:
        pytest.skip("tree-sitter-al is not installed here (setup-tree-sitter-al VENV installs it)")
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_al.language()))


def _tree_sitter_all(parser, data: tuple) -> int:
    errors = 0
    for _, content in data:
        errors += parser.parse(content).root_node.has_error
    return errors


# Tree-sitter-al first: the alc benchmarks divide by its median.
W1_CASES = [
    pytest.param("tree-sitter-al", None, id="tree-sitter-al"),
    pytest.param("full", True, id="alc-full-compiled"),
    pytest.param("declarations", True, id="alc-declarations-compiled"),
    pytest.param("full", False, id="alc-full-pure-python"),
    pytest.param("declarations", False, id="alc-declarations-pure-python"),
]


@pytest.mark.parametrize("mode,accelerated", W1_CASES)
def bench_parse_w1(benchmark, w1, mode, accelerated):
    benchmark.group = "parse W1 Base Application"
    clock = CpuClock()
    info = dict(files=len(w1.data), bytes=w1.bytes)
    if mode == "tree-sitter-al":
        parser = _tree_sitter_parser()
        errors = benchmark.pedantic(clock.wrap(_tree_sitter_all), args=(parser, w1.data), rounds=W1_ROUNDS,
                                    iterations=1)
        w1.tree_sitter_cpu = clock.median
        info["files_with_errors"] = errors
    else:
        if accelerated and accelerator() is None:
            pytest.skip("the compiled accelerator is not built here (or ALC_PURE_PYTHON is set)")
        lazy = mode == "declarations"
        _parse_all(w1.sources[:1], lazy, accelerated, w1.symbols)   # parser tables built outside the timing
        info["diagnostics"] = benchmark.pedantic(clock.wrap(_parse_all), args=(w1.sources, lazy, accelerated,
                                                                               w1.symbols),
                                                 rounds=W1_ROUNDS, iterations=1)
        info["accelerated"] = accelerated
        if w1.tree_sitter_cpu:
            ratio = clock.median / w1.tree_sitter_cpu
            info.update(cpu_ratio_to_tree_sitter=round(ratio, 2), target_ratio=TARGETS[mode],
                        target_met=ratio <= TARGETS[mode])
    median = benchmark.stats.stats.median
    finish(benchmark, clock, None, mb_per_s=round(w1.bytes / 1e6 / median, 3),
           cpu_mb_per_s=round(w1.bytes / 1e6 / clock.median, 3), **info)
