from __future__ import annotations

from pathlib import Path

import pytest

from backcoach.catalogue_files import load_catalogue
from backcoach.core.catalogue import Catalogue

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()
