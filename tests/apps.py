"""Test helpers: compile the sample projects into a package cache, and make a
small platform ("System") symbols package."""

from __future__ import annotations

import os
import shutil

from alc.build.compiler import CompileOptions, compile_project

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "samples")
SAMPLE_ORDER = ("base", "loyalty", "loyalty-rewards", "shipping")


def compile_samples(cache: str) -> dict:
    """Compile the samples in dependency order into ``cache``; name -> package path."""
    os.makedirs(cache, exist_ok=True)
    out = {}
    for name in SAMPLE_ORDER:
        path = os.path.join(cache, f"{name}.app")
        result = compile_project(CompileOptions(project=os.path.join(SAMPLES, name), package_cache=(cache,),
                                                out=path, jobs=1))
        assert result.ok, [str(d) for d in result.diagnostics]
        out[name] = path
    return out


def write_platform_package(folder: str, tables=("Company", "User", "Field")) -> str:
    """A symbols-only package standing in for Business Central's platform "System" app."""
    from alc.build.project import parse_app_json
    from alc.package import symbols as sym
    from alc.package.manifest import NavxManifest
    from alc.package.writer import write_package
    manifest, diags = parse_app_json('{"id": "8874ed3a-0643-4247-9ced-7a7002f7135d", "name": "System", '
                                     '"publisher": "Microsoft", "version": "29.0.0.0"}')
    assert manifest is not None, diags
    ref = sym.SymbolReference(tables=tuple(sym.Table(id=2000000000 + i, name=n) for i, n in enumerate(tables)))
    path = os.path.join(folder, "Microsoft_System_29.0.0.0.app")
    write_package(path, NavxManifest(app=manifest), ref)
    return path


def copy_cache(src: str, dst: str) -> str:
    shutil.copytree(src, dst)
    return dst
