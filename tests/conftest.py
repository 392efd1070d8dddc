"""Shared fixtures: the shared GEM corpus (when present) and an output folder for artefacts."""

from __future__ import annotations

import os
import shutil
import tarfile
import warnings
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest
from hypothesis import settings

import corridors

# CI runs the property-based tests with a fixed seed sequence (reproducible); locally they explore.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "tests" / "output"


def shared_data_dir() -> Path:
    """``$CORRIDORS_SHARED_DATA`` or ``<repo>/../shared/data`` (where CI puts the shared material)."""
    env = os.environ.get("CORRIDORS_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


GEM_TARBALL = shared_data_dir() / "gem-pipeline-routes.tar.gz"


@pytest.fixture(scope="session")
def gem_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The GEM pipeline-route corpus, extracted once per test session (skips when absent)."""
    if not GEM_TARBALL.exists():
        pytest.skip(f"shared GEM corpus not present at {GEM_TARBALL}")
    out = tmp_path_factory.mktemp("gem")
    with tarfile.open(GEM_TARBALL) as tar:
        tar.extractall(out, filter="data")
    return out


@pytest.fixture(scope="session")
def gem_sample(gem_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], gpd.GeoDataFrame]:
    """``gem_sample(every)``: every ``every``-th GEM file (in name order) read into one frame."""

    def read(every: int) -> gpd.GeoDataFrame:
        out = tmp_path_factory.mktemp(f"gem-every-{every}")
        for f in sorted(gem_dir.rglob("*.geojson"))[::every]:
            shutil.copy(f, out / f.name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return corridors.read(out, on_error="skip")

    return read


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """``tests/output/``: screenshots, maps and figures a person should look at after a run."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT
