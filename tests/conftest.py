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
        pytest.fail(
            f"reference data not found at {path}: clone with ../shared beside the repository "
            "or set LOD_UNIONI_SHARED_DATA"
        )
    return path


@pytest.fixture(scope="session")
def seeds_dir(shared_data) -> Path:
    return shared_data.parent / "seeds"


@pytest.fixture(scope="session")
def card_records(shared_data, seeds_dir, tmp_path_factory) -> Path:
    """The two records exactly as the importer makes them from the seed cards, with no hand edits.

    ``records/`` holds the bundled records after the data steward's edits (see each record's
    provenance.edits); tests about what the CARDS say (the importer, the findings of
    ``lod-unioni reconcile`` on the card values) read this folder instead. Written once per session
    (per xdist worker) with the importer API, in a temporary folder.
    """
    from lod_unioni.cards import import_cards

    cards = sorted(seeds_dir.glob("*.txt"))
    assert len(cards) == 2, f"expected the two ITALIAE seed cards in {seeds_dir}"
    out = tmp_path_factory.mktemp("card-records") / "records"
    import_cards(cards, sources_dir=shared_data, out_dir=out)
    return out
