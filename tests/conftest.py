"""Shared fixtures: the sample catalog, its linker and consultant, and the ../shared data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
GUANGDONG = SHARED_DATA / "catalogs" / "guangdong_2021" / "policy.jsonl"
NAMES = SHARED_DATA / "catalogs" / "sichuan_guangan_names" / "items.jsonl"
SAMPLE = ROOT / "catalog" / "sample_city"


def need_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} absent: ../shared/data is not beside the repository")
    return path


@pytest.fixture(scope="session")
def catalog():
    from shouwen_core.catalog import load_catalog

    return load_catalog(SAMPLE)


@pytest.fixture(scope="session")
def linker(catalog):
    from shouwen_core.linker import Linker

    linker = Linker(catalog)
    if linker.dense is not None:
        # The dense index fills in the background (vectors cached under .models/vectors after the
        # first run); tests wait for it so that every test sees the same, hybrid, linker.
        linker.dense.wait()
    return linker


@pytest.fixture(scope="session")
def consultant(catalog, linker):
    from shouwen_core.consult import Consultant

    return Consultant(catalog, linker)
