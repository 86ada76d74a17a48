"""Shared fixtures.

The real registry files (ISTAT, IPA, OntoPiA, Ministry, PA digitale 2026) live in ``../shared/data``
beside the checkout (or where ``LOD_UNIONI_SHARED_DATA`` points). They are never copied into the
repository. A missing folder is an error, not a skip: those tests must run in CI.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _shared_data() -> Path:
    env = os.environ.get("LOD_UNIONI_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = _shared_data()
    if not (path / "README.md").is_file():
        pytest.fail(f"reference data not found at {path}: clone with ../shared beside the repository "
                    "or set LOD_UNIONI_SHARED_DATA")
    return path


@pytest.fixture(scope="session")
def seeds_dir(shared_data) -> Path:
    return shared_data.parent / "seeds"
