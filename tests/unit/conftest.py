"""Unit tests: pure logic, no pipeline run, no server (make test-fast). Every test collected here is marked `unit`."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.unit)
