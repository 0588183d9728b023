"""`inbeeld estimate` run for real, as a subprocess of the installed console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA

INBEELD = Path(sys.executable).with_name("inbeeld")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(INBEELD), "estimate", *args], capture_output=True, text=True, timeout=120
    )


def test_json_output_follows_the_stable_contract():
    done = run_cli(str(DATA / "UKdat_5.csv"), "--format", "json", "--bootstrap", "40")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["estimate"] == pytest.approx(11312.9903, rel=1e-4)
    assert data["observed"] == 2744
    assert data["model"] == ["LA:NG", "NG:GP", "PFNCA:GP", "LA:PFNCA", "GO:GP", "NG:GO"]
    assert data["method"] == "stepwise"
    assert data["bootstrap"] == 40
    assert data["interval"] == "bca"
    assert data["ci_low"] < data["estimate"] < data["ci_high"]
    assert data["seconds"] >= 0
    assert data["seed"] == 1234


def test_without_bootstrap_the_interval_is_model_conditional():
    done = run_cli(str(DATA / "UKdat.csv"), "--format", "json", "--bootstrap", "0")
    data = json.loads(done.stdout)
    assert data["interval"] == "model-conditional"
    assert data["ci_low"] == pytest.approx(9977.28, rel=1e-4)
    assert data["ci_high"] == pytest.approx(13145.66, rel=1e-4)


def test_fixed_model_and_main_effects():
    fixed = run_cli(
        str(DATA / "UKdat_5.csv"),
        "--format",
        "json",
        "--bootstrap",
        "0",
        "--method",
        "fixed",
        "--model",
        "LA:NG,NG:GP",
    )
    assert json.loads(fixed.stdout)["model"] == ["LA:NG", "NG:GP"]
    main = run_cli(
        str(DATA / "UKdat_5.csv"), "--format", "json", "--bootstrap", "0", "--method", "main"
    )
    assert json.loads(main.stdout)["estimate"] == pytest.approx(13444.1312, rel=1e-4)


def test_text_report_in_dutch_and_english():
    dutch = run_cli(str(DATA / "Artificial_3.csv"), "--bootstrap", "0")
    assert dutch.returncode == 0
    assert "Geschat totaal" in dutch.stdout and "539" in dutch.stdout
    english = run_cli(str(DATA / "Artificial_3.csv"), "--bootstrap", "0", "--lang", "en")
    assert "Estimated total" in english.stdout


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_is_written(tmp_path, suffix):
    target = tmp_path / f"estimate{suffix}"
    done = run_cli(str(DATA / "Artificial_3.csv"), "--bootstrap", "30", "--plot", str(target))
    assert done.returncode == 0, done.stderr
    head = target.read_bytes()[:200]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in head or b"<?xml" in head


BAD_FILES = [
    ("A,B,count\n1,0,3\n0,2,4\n1,1,1\n", "line 3", "expected 0 or 1"),
    ("A,B,count\n1,0,3\n0,1,-4\n1,1,1\n", "line 3", "negative count"),
    ("A,B,count\n1,0,3\n0,1,4.5\n1,1,1\n", "line 3", "not a whole number"),
    ("A,count\n1,3\n", "line 1", "at least two list columns"),
    ("A,B,total\n1,0,3\n", "line 1", "missing 'count'"),
    ("A,B,count\n1,0,3\n0,1,4\n1,0,1\n", "line 4", "duplicate pattern"),
    ("", "line 1", "empty file"),
]


@pytest.mark.parametrize(("text", "line", "problem"), BAD_FILES)
def test_bad_input_gives_one_line_and_exit_code_2(tmp_path, text, line, problem):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    done = run_cli(str(path), "--format", "json")
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert line in done.stderr and problem in done.stderr


def test_unreadable_file_gives_exit_code_2(tmp_path):
    done = run_cli(str(tmp_path / "missing.csv"))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "cannot read file" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_bad_model_gives_exit_code_2():
    done = run_cli(str(DATA / "UKdat_5.csv"), "--model", "LA:XX", "--bootstrap", "0")
    assert done.returncode == 2
    assert "unknown list 'XX'" in done.stderr
    assert done.stdout == ""


def test_no_estimate_gives_exit_code_1(tmp_path):
    path = tmp_path / "disjoint.csv"
    path.write_text("A,B,C,count\n1,0,0,40\n0,1,0,30\n0,0,1,20\n")
    done = run_cli(str(path), "--bootstrap", "0")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "no estimate" in done.stderr


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--seed", "-1"], "--seed must be 0 or more"),
        (["--bootstrap", "-5"], "--bootstrap must be 0 or more"),
        (["--method", "main", "--model", "LA:NG"], "--model needs --method fixed"),
        (["--plot", "out.jpg"], "must end in .png or .svg"),
    ],
)
def test_bad_arguments_give_exit_code_2(args, problem):
    done = run_cli(str(DATA / "UKdat_5.csv"), *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert problem in done.stderr
