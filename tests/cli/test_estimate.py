"""`inbeeld estimate` as a subprocess: guards, input formats, wording, replicate policy.

The stable interface (BRIEF): bad input gives one line on stderr naming the problem and,
for the file, the line, exit code 2, and nothing on stdout.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

INBEELD = str(Path(sys.executable).with_name("inbeeld"))
DATA = Path(__file__).resolve().parents[2] / "inbeeld" / "estimation" / "tests" / "data"


def estimate_cli(*args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [INBEELD, "estimate", *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def refused(done: subprocess.CompletedProcess[str], fragment: str) -> bool:
    lines = done.stderr.strip().splitlines()
    return done.returncode == 2 and done.stdout == "" and len(lines) == 1 and fragment in lines[0]


def write_singles(path: Path, n_lists: int) -> Path:
    rows = [",".join(f"L{i}" for i in range(n_lists)) + ",count"]
    rows += [
        ",".join("1" if j == i else "0" for j in range(n_lists)) + ",5" for i in range(n_lists)
    ]
    rows.append(",".join("1" if j < 2 else "0" for j in range(n_lists)) + ",3")
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize("n_lists", [20, 25])
def test_too_many_lists_get_one_line_and_exit_2(tmp_path, n_lists):
    done = estimate_cli(str(write_singles(tmp_path / "wide.csv", n_lists)))
    assert refused(done, f"{n_lists} lists is more than the 12")


def test_unwritable_plot_path_is_refused_before_the_work(tmp_path, monkeypatch, capsys):
    from inbeeld.cli import estimate as command
    from inbeeld.cli import main

    def must_not_run(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the estimate ran although the picture cannot be written")

    import inbeeld.estimation

    monkeypatch.setattr(inbeeld.estimation, "estimate", must_not_run, raising=False)
    target = tmp_path / "no-such-folder" / "omvang.png"
    code = main(["estimate", str(DATA / "UKdat.csv"), "--plot", str(target)])
    assert code == command.EXIT_BAD_INPUT
    assert "--plot: cannot write" in capsys.readouterr().err
    assert not target.exists()


def test_a_directory_as_plot_path_is_refused(tmp_path):
    done = estimate_cli(str(DATA / "Artificial_3.csv"), "--plot", str(tmp_path) + "/x.png/")
    assert done.returncode == 2


def test_tab_separated_file_is_read(tmp_path):
    path = tmp_path / "uk.tsv"
    path.write_text((DATA / "UKdat.csv").read_text().replace(",", "\t"))
    done = estimate_cli(str(path), "--bootstrap", "0", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["estimate"] == pytest.approx(11417.9911, rel=1e-6)


def test_windows_1252_file_is_read_and_an_unknown_byte_named_with_its_line(tmp_path):
    good = tmp_path / "lijsten.csv"
    good.write_bytes("Politie;Zorgcoördinator;count\n1;0;40\n0;1;30\n1;1;6\n".encode("cp1252"))
    done = estimate_cli(str(good), "--bootstrap", "0")
    assert done.returncode == 0 and "Zorgcoördinator" in done.stdout
    bad = tmp_path / "kapot.csv"
    bad.write_bytes(b"A;B;count\n1;0;40\n0;1;\x8130\n")
    assert refused(estimate_cli(str(bad)), "line 3: cannot read the text")


def test_the_reading_words_a_bootstrap_interval_as_what_it_is():
    done = estimate_cli(str(DATA / "Artificial_3.csv"), "--bootstrap", "50")
    assert done.returncode == 0, done.stderr
    assert "waarschijnlijkheid" not in done.stdout
    assert "95%-bootstrapinterval" in done.stdout and "geen kans" in done.stdout
    conditional = estimate_cli(str(DATA / "Artificial_3.csv"), "--bootstrap", "0", "--lang", "en")
    assert "interval given the chosen model" in conditional.stdout
    assert "too narrow" in conditional.stdout


def test_replicates_sparsemse_keeps_every_replicate():
    args = [str(DATA / "Artificial_3.csv"), "--format", "json", "--workers", "1"]
    skipped = json.loads(estimate_cli(*args).stdout)
    kept = json.loads(estimate_cli(*args, "--replicates", "sparsemse").stdout)
    assert skipped["skipped_replicates"] == 3 and skipped["replicate_policy"] == "skip"
    assert kept["skipped_replicates"] == 0 and kept["replicate_policy"] == "sparsemse"
    assert kept["ci_high"] != skipped["ci_high"]


def test_bic_json_has_the_contract_keys_and_the_method_parameters():
    done = estimate_cli(
        str(DATA / "Artificial_3.csv"), "--method", "bic", "--bootstrap", "200", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    for key in ("estimate", "observed", "ci_low", "ci_high", "model", "method", "bootstrap"):
        assert key in data
    assert data["method"] == "bic" and data["interval"] == "bca"
    assert data["estimate"] == pytest.approx(539.0939, rel=1e-6)
    assert data["parameters"] == {"requested_method": "bic", "max_order": 2, "top_models": 4}
    assert data["diagnostics"]["model_string"] == "[1,2,3]"
    assert [entry["model"] for entry in data["top_models"]][:2] == ["[1,2,3]", "[13,23]"]


def test_auto_uses_stepwise_for_six_lists():
    done = estimate_cli(
        str(DATA / "UKdat.csv"), "--method", "auto", "--bootstrap", "0", "--format", "json"
    )
    data = json.loads(done.stdout)
    assert data["method"] == "stepwise" and data["parameters"]["requested_method"] == "auto"
    assert data["estimate"] == pytest.approx(11417.9911, rel=1e-6)


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--max-order", "2"], "--max-order applies to --method bic or auto"),
        (["--method", "bic", "--top-models", "0"], "--top-models must be 1 or more"),
        (["--method", "bic", "--replicates", "sparsemse"], "applies to the SparseMSE methods"),
    ],
)
def test_method_options_are_checked(args, problem):
    assert refused(estimate_cli(str(DATA / "Artificial_3.csv"), *args), problem)


def test_bic_refuses_seven_lists_before_any_work(tmp_path):
    done = estimate_cli(str(write_singles(tmp_path / "seven.csv", 7)), "--method", "bic")
    assert refused(done, "method bic needs 2 to 6 lists, this table has 7")


def test_dga_gives_a_posterior_interval_with_its_quantiles():
    done = estimate_cli(str(DATA / "Artificial_3.csv"), "--method", "dga", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["method"] == "dga" and data["interval"] == "posterior"
    assert (data["ci_low"], data["estimate"], data["ci_high"]) == (96, 268, 831)
    assert data["posterior_quantiles"] == {"0.025": 96, "0.5": 268, "0.975": 831}
    assert data["posterior_mean"] == pytest.approx(298.7, abs=0.05)
    assert data["parameters"]["delta"] == 0.125 and data["bootstrap"] == 0
    text = estimate_cli(str(DATA / "Artificial_3.csv"), "--method", "dga", "--delta", "1")
    assert "95%-posteriorinterval" in text.stdout and "met 95% kans" in text.stdout


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--method", "dga", "--bootstrap", "100"], "--bootstrap does not apply to --method dga"),
        (["--delta", "0.5"], "--delta applies to --method dga"),
        (["--method", "dga", "--missing-max", "0"], "--missing-max must be more than 0"),
    ],
)
def test_dga_options_are_checked(args, problem):
    assert refused(estimate_cli(str(DATA / "Artificial_3.csv"), *args), problem)


def test_dga_refuses_six_lists():
    done = estimate_cli(str(DATA / "UKdat.csv"), "--method", "dga")
    assert refused(done, "method dga needs 3 to 5 lists, this table has 6")


def test_lcmcr_runs_with_short_settings_and_is_reproducible():
    args = [str(DATA / "Artificial_3.csv"), "--method", "lcmcr", "--format", "json"]
    short = ["--burnin", "500", "--samples", "100", "--thinning", "5", "--seed", "3"]
    first = json.loads(estimate_cli(*args, *short).stdout)
    again = json.loads(estimate_cli(*args, *short).stdout)
    assert first["method"] == "lcmcr" and first["interval"] == "posterior"
    assert first["posterior_draws"] == again["posterior_draws"]
    assert len(first["posterior_draws"]) == 100
    assert first["ci_low"] <= first["estimate"] <= first["ci_high"]
    assert first["parameters"]["burnin"] == 500 and first["seed"] == 3


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--burnin", "10"], "--burnin applies to --method lcmcr"),
        (["--method", "lcmcr", "--latent-classes", "1"], "--latent-classes must be 2 or more"),
        (["--method", "lcmcr", "--alpha-prior", "0.25"], "--alpha-prior must be two numbers"),
    ],
)
def test_lcmcr_options_are_checked(args, problem):
    assert refused(estimate_cli(str(DATA / "Artificial_3.csv"), *args), problem)


def test_compare_prints_every_method_side_by_side_with_the_spread(tmp_path):
    picture = tmp_path / "vergelijking.png"
    args = [str(DATA / "Artificial_3.csv"), "--compare", "--bootstrap", "200"]
    done = estimate_cli(*args, "--format", "json", "--plot", str(picture), "--lang", "en")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [row["method"] for row in data["methods"]] == ["stepwise", "bic", "dga", "lcmcr"]
    kinds = {row["method"]: row["interval"] for row in data["methods"]}
    assert kinds == {"stepwise": "bca", "bic": "bca", "dga": "posterior", "lcmcr": "posterior"}
    estimates = [row["estimate"] for row in data["methods"]]
    assert data["spread"]["lowest"] == min(estimates)
    assert data["spread"]["highest"] == max(estimates)
    assert "Report the range, not one number" in data["reading"]
    assert picture.read_bytes().startswith(b"\x89PNG")
    text = estimate_cli(*args)
    assert "Noem daarom de bandbreedte" in text.stdout and "soort interval" in text.stdout


def test_compare_marks_methods_that_do_not_apply():
    done = estimate_cli(
        str(DATA / "UKdat.csv"), "--compare", "--bootstrap", "20", "--format", "json"
    )
    rows = {row["method"]: row for row in json.loads(done.stdout)["methods"]}
    assert rows["bic"]["problem"] == "not_applicable" and rows["dga"]["problem"] == "not_applicable"
    assert rows["stepwise"]["estimate"] == pytest.approx(11417.9911, rel=1e-6)


def test_compare_takes_no_method():
    done = estimate_cli(str(DATA / "UKdat.csv"), "--compare", "--method", "dga")
    assert refused(done, "--compare runs every method")


STRATA = (
    "Politie;Zorg;Opvang;vorm;count\n1;0;0;seksueel;40\n0;1;0;seksueel;30\n0;0;1;seksueel;20\n"
    "1;1;0;seksueel;8\n1;0;1;seksueel;5\n0;1;1;seksueel;4\n1;1;1;seksueel;2\n"
    "1;0;0;arbeid;25\n0;1;0;arbeid;15\n1;1;0;arbeid;6\n"
)


def test_strata_give_a_row_per_stratum_and_the_total(tmp_path):
    path = tmp_path / "strata.csv"
    path.write_text(STRATA)
    done = estimate_cli(str(path), "--strata", "vorm", "--bootstrap", "100", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [row["stratum"] for row in data["strata"]] == ["seksueel", "arbeid"]
    assert data["total"]["estimate"] == pytest.approx(sum(r["estimate"] for r in data["strata"]))
    assert data["total"]["interval"] == "bootstrap-percentile"
    assert data["strata"][1]["lists_left_out"] == ["Opvang"]
    text = estimate_cli(str(path), "--strata", "vorm", "--bootstrap", "50")
    assert "totaal (som van de strata)" in text.stdout and "arbeid: Opvang" in text.stdout


def test_a_category_column_without_strata_gets_a_hint(tmp_path):
    path = tmp_path / "strata.csv"
    path.write_text(STRATA)
    assert refused(estimate_cli(str(path)), "--strata vorm")
    assert refused(estimate_cli(str(path), "--strata", "soort"), "no column 'soort' for --strata")
