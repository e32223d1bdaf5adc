"""Generated inputs for the benchmarks, at three sizes (objects in total,
base and extensions together), and their compiled packages. Each size is
generated and compiled once per session into a temporary folder, or reused
from ``--generated-dir DIR`` when an earlier run left it there with the same
options (:mod:`benchmarks.inputs`).
"""

from __future__ import annotations

import os

import attrs
import pytest

from .inputs import Compiled, compile_size, generate_size, prepare, read_sources
from .sizes import SIZE_PARAMS, trusting

__all__ = ["Generated", "generate_size", "read_sources"]


def pytest_addoption(parser):
    parser.addoption("--generated-dir", default=None, metavar="DIR",
                     help="keep generated inputs in DIR/<size> and reuse them across runs")
    parser.addoption("--w1-packages", default=None, metavar="DIR",
                     help="the BCApps packages alc built (python -m benchmarks.corpus): bench_check_w1_command "
                          "checks the W1 Base Application with the non-test apps among them")


def pytest_benchmark_update_machine_info(config, machine_info):
    """Memory, library versions and the load average, for benchmarks/report.py."""
    from importlib.metadata import PackageNotFoundError, version
    versions = {}
    for name in ("alc", "lark", "attrs", "networkx", "pytest", "pytest-benchmark"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            pass
    with open("/proc/meminfo") as f:
        total = next(int(line.split()[1]) for line in f if line.startswith("MemTotal:"))
    machine_info["memory_gb"] = round(total / 2**20, 1)
    machine_info["libraries"] = versions
    machine_info["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]


@attrs.frozen
class Generated:
    """One generated object graph, with the base app's sources read into memory."""
    size: str
    root: str
    manifest: dict
    base_sources: tuple           # ((path, text), ...), sorted by path

    @property
    def base_bytes(self) -> int:
        return sum(len(text.encode("utf-8")) for _, text in self.base_sources)

    @property
    def base_objects(self) -> int:
        return sum(self.manifest["apps"][0]["objects"].values())


def _root(request, tmp_path_factory, size: str) -> str:
    keep = request.config.getoption("--generated-dir")
    root = os.path.join(keep, size) if keep else str(tmp_path_factory.mktemp(f"generated-{size}"))
    os.makedirs(root, exist_ok=True)
    return root


@pytest.fixture(scope="session", params=SIZE_PARAMS)
def generated(request, tmp_path_factory) -> Generated:
    """One size, generated; while it is in use, the 100k size's packages are read as trusted
    (:func:`benchmarks.sizes.trusting`: its base is over the default limits)."""
    size = request.param
    with trusting(size):
        root = _root(request, tmp_path_factory, size)
        manifest = generate_size(size, root)
        yield Generated(size, root, manifest, read_sources(os.path.join(root, "base")))


@pytest.fixture(scope="session")
def compiled(generated) -> Compiled:
    """The packages of ``generated``: the base and every extension."""
    return compile_size(generated.root, generated.manifest)


@pytest.fixture(scope="session")
def check_10k(request, tmp_path_factory) -> Compiled:
    """The `check-10k` size, generated and compiled (bench_check.py only)."""
    return prepare("check-10k", _root(request, tmp_path_factory, "check-10k"))[1]
