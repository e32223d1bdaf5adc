"""Generated inputs for the benchmarks, at three sizes (objects in total,
base and extensions together). Each size is generated once per session into
a temporary folder, or reused from ``--generated-dir DIR`` when an earlier
run left it there with the same options.
"""

from __future__ import annotations

import json
import os

import attrs
import pytest

from alc.generate import MANIFEST, clean_output, generate

from .sizes import SIZE_PARAMS, SIZES


def pytest_addoption(parser):
    parser.addoption("--generated-dir", default=None, metavar="DIR",
                     help="keep generated inputs in DIR/<size> and reuse them across runs")


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


def generate_size(size: str, root: str) -> dict:
    """Generate ``size`` into ``root`` unless a run with the same options is already there."""
    options = SIZES[size]
    path = os.path.join(root, MANIFEST)
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
        if manifest.get("options") == attrs.asdict(options) | {"enums": options.enum_count}:
            return manifest
        clean_output(root)
    return generate(root, options)


def read_sources(folder: str) -> tuple:
    out = []
    for dirpath, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".al"):
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8") as f:
                    out.append((path, f.read()))
    return tuple(sorted(out))


@pytest.fixture(scope="session", params=SIZE_PARAMS)
def generated(request, tmp_path_factory) -> Generated:
    size = request.param
    keep = request.config.getoption("--generated-dir")
    root = os.path.join(keep, size) if keep else str(tmp_path_factory.mktemp(f"generated-{size}"))
    os.makedirs(root, exist_ok=True)
    manifest = generate_size(size, root)
    return Generated(size, root, manifest, read_sources(os.path.join(root, "base")))
