"""Shared test options: ``pytest --update-goldens`` rewrites golden outputs
(tests/data/syntax/*.txt expected dumps, tests/data/diagnostics/*.stderr) from
what alc produces now, for a human to review with ``git diff``."""

import pytest


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite golden files from the current output instead of comparing")


@pytest.fixture
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")
