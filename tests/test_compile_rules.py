"""Every semantic rule has a failing sample under tests/data/compile/<case>/,
with the expected diagnostics written inline (`// ALC0xxx` on the line of the
primary span); the test compiles the case against the sample packages and
asserts the exact set of (file, line, code)."""

import os
import re

import pytest

from alc.build.compiler import CompileOptions, compile_project

from apps import compile_samples, copy_cache, write_platform_package

DATA = os.path.join(os.path.dirname(__file__), "data", "compile")
CASES = sorted(d for d in os.listdir(DATA) if os.path.isdir(os.path.join(DATA, d)))
MARK = re.compile(r"//\s*(ALC\d{4}(?:\s*,\s*ALC\d{4})*)")


@pytest.fixture(scope="session")
def sample_cache(tmp_path_factory):
    """The samples' packages (no platform package)."""
    cache = str(tmp_path_factory.mktemp("alpackages"))
    compile_samples(cache)
    return cache


@pytest.fixture(scope="session")
def platform_cache(sample_cache, tmp_path_factory):
    """The samples' packages plus a platform System package: unresolved names are errors."""
    cache = copy_cache(sample_cache, str(tmp_path_factory.mktemp("withsystem") / "cache"))
    write_platform_package(cache, tables=("Company",))
    return cache


def expected(case_dir: str) -> set:
    out = set()
    for root, _, files in os.walk(case_dir):
        for name in files:
            if not name.endswith(".al"):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8") as f:
                for lineno, line in enumerate(f, 1):
                    m = MARK.search(line)
                    if m:
                        for code in re.split(r"\s*,\s*", m.group(1)):
                            out.add((name, lineno, code))
    return out


def actual(result) -> set:
    out = set()
    for d in result.diagnostics:
        assert d.span is not None and d.span.source is not None, d
        out.add((os.path.basename(d.span.file), d.span.line, d.code))
    return out


@pytest.mark.parametrize("case", CASES)
def test_rule_case(case, sample_cache, platform_cache, tmp_path):
    """Against the platform package, except the `platform` case, which shows the warnings without it."""
    case_dir = os.path.join(DATA, case)
    cache = sample_cache if case == "platform" else platform_cache
    result = compile_project(CompileOptions(project=case_dir, package_cache=(cache,),
                                            out=str(tmp_path / "out.app"), jobs=1))
    assert actual(result) == expected(case_dir)
    has_errors = any(d.is_error for d in result.diagnostics)
    assert (result.output is None) == has_errors
    assert not os.path.exists(tmp_path / "out.app") or not has_errors


def test_platform_references_are_errors_with_a_system_package(platform_cache, tmp_path):
    case_dir = os.path.join(DATA, "platform")
    result = compile_project(CompileOptions(project=case_dir, package_cache=(platform_cache,),
                                            out=str(tmp_path / "o.app"), jobs=1))
    got = {(d.span.line, d.code) for d in result.diagnostics}
    assert got == {(5, "ALC0220")}  # Company resolves; "Active Session" is now an error
    assert result.output is None


def test_every_semantic_code_has_a_failing_sample():
    codes = {code for case in CASES for (_, _, code) in expected(os.path.join(DATA, case))}
    semantic = {f"ALC02{n:02d}" for n in range(1, 22)}
    assert semantic <= codes, sorted(semantic - codes)
