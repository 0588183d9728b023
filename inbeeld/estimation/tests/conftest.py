from __future__ import annotations

from pathlib import Path

import pytest

from inbeeld.estimation import CaptureTable, read_csv

DATA = Path(__file__).resolve().parent / "data"
SHARED_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "mse"
DATASETS = ("UKdat", "UKdat_5", "Artificial_3")


def load(name: str) -> CaptureTable:
    return read_csv(DATA / f"{name}.csv")


@pytest.fixture(scope="session")
def uk() -> CaptureTable:
    return load("UKdat")


@pytest.fixture(scope="session")
def uk5() -> CaptureTable:
    return load("UKdat_5")


@pytest.fixture(scope="session")
def artificial() -> CaptureTable:
    return load("Artificial_3")
