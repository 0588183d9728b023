"""`inbeeld estimate`: dark-number estimate (MSE) of a capture-history CSV file.

Thin wrapper around :mod:`inbeeld.estimation`; numpy and the engine are imported inside
``run`` so that other subcommands and ``--help`` stay fast.

Exit codes: 0 = estimate printed; 2 = bad input or arguments (one line on stderr naming
the problem and, for the CSV, the line); 1 = the table is valid but no estimate exists
for the model (e.g. lists that never overlap), one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inbeeld.estimation.table import CaptureTable

METHODS = ("stepwise", "fixed", "main", "bic", "auto", "dga", "lcmcr")
BAYESIAN_METHODS = ("dga", "lcmcr")
LCMCR_OPTIONS = ("latent_classes", "burnin", "samples", "thinning")
BIC_METHODS = ("bic", "auto")
SPARSEMSE_METHODS = ("stepwise", "fixed", "main")

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

DEFAULT_BOOTSTRAP = 1000

EXIT_OK = 0
EXIT_NO_ESTIMATE = 1
EXIT_BAD_INPUT = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "estimate",
        help="estimate the total number of victims from overlapping lists (MSE)",
        description=(
            "Multiple Systems Estimation: SparseMSE's stepwise method (default), BIC over "
            "hierarchical models, dga's graph averaging or LCMCR's latent classes, each as "
            "its R package; --compare shows them side by side. "
            "FILE.csv has one 0/1 column per list and a 'count' column, one row per "
            "observed pattern of lists."
        ),
    )
    parser.add_argument("file", metavar="FILE.csv", help="capture-history table (CSV)")
    parser.add_argument(
        "--method",
        choices=METHODS,
        default=None,
        help="stepwise selection (default, SparseMSE), a fixed model (--model), main effects "
        "only, the best BIC over all hierarchical models (bic, MultipleSystemsEstimation), "
        "auto (bic up to 5 lists, stepwise above), Bayesian averaging over decomposable "
        "graphs (dga, 3 to 5 lists), latent classes (lcmcr, LCMCR)",
    )
    parser.add_argument(
        "--model",
        default=None,
        metavar="A:B,C:D",
        help="two-list interactions of a fixed model (implies --method fixed)",
    )
    parser.add_argument(
        "--bootstrap",
        type=int,
        default=None,
        metavar="N",
        help="bootstrap replicates for the BCa interval (default 1000; 0 = model-conditional "
        "interval only); not for the Bayesian methods, whose interval is a posterior one",
    )
    parser.add_argument(
        "--seed", type=int, default=1234, metavar="S", help="random seed (default 1234)"
    )
    parser.add_argument(
        "--p-threshold",
        type=float,
        default=0.02,
        metavar="P",
        help="stepwise: add interactions while their p-value is below P (default 0.02)",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="run every method that applies (stepwise, bic, dga, lcmcr) and show their "
        "estimates and intervals side by side, with what the spread means",
    )
    parser.add_argument(
        "--strata",
        default=None,
        metavar="COLUMN",
        help="the file has one more column COLUMN (e.g. form of exploitation, age band): "
        "estimate per value of it, and the total",
    )
    parser.add_argument(
        "--format", choices=("json", "text"), default="text", help="output (default text)"
    )
    parser.add_argument(
        "--plot", default=None, metavar="OUT.png|OUT.svg", help="also draw a picture"
    )
    parser.add_argument("--lang", choices=("nl", "en"), default="nl", help="report language")
    parser.add_argument(
        "--max-order",
        type=int,
        default=None,
        metavar="K",
        help="bic: interactions of at most K lists (default as MultipleSystemsEstimation: "
        "2 for 3 lists, 3 for 4 and 5, 2 for 6)",
    )
    parser.add_argument(
        "--top-models",
        type=int,
        default=None,
        metavar="M",
        help="bic: the bootstrap refits the M best models (default: all for 3 lists, 20 for "
        "4, 100 for 5 and 6)",
    )
    parser.add_argument(
        "--delta",
        type=float,
        default=None,
        metavar="D",
        help="dga: the hyper-Dirichlet prior per cell (default 2^-lists, as dga advises)",
    )
    parser.add_argument(
        "--missing-max",
        type=int,
        default=None,
        metavar="M",
        help="dga: the grid of unseen numbers runs from 0 to M (default 10 × observed)",
    )
    lcmcr = parser.add_argument_group("lcmcr (defaults: the LCMCR help examples)")
    lcmcr.add_argument("--latent-classes", type=int, metavar="K", help="classes K (10)")
    lcmcr.add_argument(
        "--alpha-prior", default=None, metavar="A,B", help="Gamma prior of α (0.25,0.25)"
    )
    lcmcr.add_argument("--burnin", type=int, metavar="B", help="burn-in sweeps (10000)")
    lcmcr.add_argument("--samples", type=int, metavar="S", help="posterior draws kept (1000)")
    lcmcr.add_argument("--thinning", type=int, metavar="T", help="sweeps per draw kept (100)")
    parser.add_argument(
        "--replicates",
        choices=("skip", "sparsemse"),
        default="skip",
        help="a bootstrap replicate without an estimate is left out (skip, default) or, as "
        "in SparseMSE, kept with the large value of R's unconverged fit (sparsemse)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="W",
        help="processes for the bootstrap (default: automatic, all cores when the bootstrap "
        "is long enough; the results never depend on it)",
    )
    parser.set_defaults(handler=run)


def fail(code: int, message: str) -> int:
    print(f"inbeeld estimate: error: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    method = args.method or ("fixed" if args.model else "stepwise")
    problem = _argument_problem(args, method)
    if problem:
        return fail(EXIT_BAD_INPUT, problem)
    # Validation needs only the standard library: bad input is reported before numpy loads.
    from inbeeld.estimation.limits import UnsupportedTableError, check_lists
    from inbeeld.estimation.table import TableError, read_csv

    if args.strata is not None:
        return _run_strata(args, method)
    try:
        table = read_csv(args.file)
        check_lists(table.n_lists, method)
    except TableError as error:
        where = f", line {error.line}" if error.line is not None else ""
        return fail(EXIT_BAD_INPUT, f"{args.file}{where}: {error.problem}")
    except UnsupportedTableError as error:
        return fail(EXIT_BAD_INPUT, f"{args.file}: {error}")
    if args.plot:
        problem = _plot_problem(args.plot)
        if problem:
            return fail(EXIT_BAD_INPUT, problem)
    # The fits are many small matrix products: BLAS threads only add synchronisation (they
    # doubled the CPU time of bic); set before numpy loads, unless the user chose.
    for variable in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(variable, "1")
    if args.compare:
        return _run_compare(args, table)
    from inbeeld.estimation import ModelSpecError, NoEstimateError, estimate

    model = [term for term in (args.model or "").split(",") if term.strip()]
    try:
        result = estimate(
            table,
            method=method,
            model=model,
            bootstrap=DEFAULT_BOOTSTRAP if args.bootstrap is None else args.bootstrap,
            seed=args.seed,
            p_threshold=args.p_threshold,
            workers=args.workers,
            replicates=args.replicates,
            **_method_options(args, method),
        )
    except ModelSpecError as error:
        return fail(EXIT_BAD_INPUT, f"--model: {error}")
    except NoEstimateError as error:
        return fail(EXIT_NO_ESTIMATE, f"{args.file}: no estimate: {error}")
    except ValueError as error:  # an option the method does not take (e.g. auto → stepwise)
        return fail(EXIT_BAD_INPUT, str(error))
    if args.plot:
        from inbeeld.estimation.plot import save_plot

        try:
            save_plot(result, args.plot, args.lang)
        except OSError as error:
            return fail(EXIT_BAD_INPUT, f"--plot: cannot write {args.plot}: {error.strerror}")
    if args.format == "json":
        print(json.dumps(_json_safe(result.to_dict() | {"file": args.file}), ensure_ascii=False))
    else:
        from inbeeld.estimation.report import render

        sys.stdout.write(render(result, args.lang, source=args.file))
    return EXIT_OK


def _run_strata(args: argparse.Namespace, method: str) -> int:
    from inbeeld.estimation.limits import UnsupportedTableError, check_lists
    from inbeeld.estimation.strata import estimate_strata, read_strata, render
    from inbeeld.estimation.table import TableError

    try:
        lists, strata = read_strata(args.file, args.strata)
        check_lists(len(lists), method)
    except TableError as error:
        where = f", line {error.line}" if error.line is not None else ""
        return fail(EXIT_BAD_INPUT, f"{args.file}{where}: {error.problem}")
    except UnsupportedTableError as error:
        return fail(EXIT_BAD_INPUT, f"{args.file}: {error}")
    for variable in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(variable, "1")
    options = _method_options(args, method)
    if method not in BAYESIAN_METHODS:
        options["bootstrap"] = DEFAULT_BOOTSTRAP if args.bootstrap is None else args.bootstrap
        options["workers"] = args.workers
    if method in SPARSEMSE_METHODS:
        options["replicates"] = args.replicates
        options["p_threshold"] = args.p_threshold
    if method == "fixed":
        options["model"] = [term for term in (args.model or "").split(",") if term.strip()]
    outcome = estimate_strata(lists, strata, method=method, seed=args.seed, **options)
    if args.format == "json":
        data = outcome.to_dict() | {"file": args.file, "strata_column": args.strata}
        print(json.dumps(_json_safe(data), ensure_ascii=False))
    else:
        sys.stdout.write(render(outcome, args.lang, source=args.file))
    if outcome.total is None:
        return fail(EXIT_NO_ESTIMATE, f"{args.file}: no total: a stratum has no estimate")
    return EXIT_OK


def _run_compare(args: argparse.Namespace, table: CaptureTable) -> int:
    from inbeeld.estimation.compare import compare, render

    comparison = compare(
        table,
        bootstrap=DEFAULT_BOOTSTRAP if args.bootstrap is None else args.bootstrap,
        seed=args.seed,
        workers=args.workers,
    )
    if args.plot:
        from inbeeld.estimation.plot import save_comparison_plot

        try:
            save_comparison_plot(comparison, args.plot, args.lang)
        except OSError as error:
            return fail(EXIT_BAD_INPUT, f"--plot: cannot write {args.plot}: {error.strerror}")
    if args.format == "json":
        data = comparison.to_dict(args.lang) | {"file": args.file}
        print(json.dumps(_json_safe(data), ensure_ascii=False))
    else:
        sys.stdout.write(render(comparison, args.lang, source=args.file))
    if not comparison.estimated:
        return fail(EXIT_NO_ESTIMATE, f"{args.file}: no method has an estimate")
    return EXIT_OK


def _argument_problem(args: argparse.Namespace, method: str) -> str | None:
    if args.bootstrap is not None and args.bootstrap < 0:
        return "--bootstrap must be 0 or more"
    if args.bootstrap is not None and method in BAYESIAN_METHODS:
        return f"--bootstrap does not apply to --method {method} (a posterior interval)"
    for option, value in (("--delta", args.delta), ("--missing-max", args.missing_max)):
        if value is not None and method != "dga":
            return f"{option} applies to --method dga, not --method {method}"
        if value is not None and not value > 0:
            return f"{option} must be more than 0"
    if args.seed < 0:
        return "--seed must be 0 or more"
    if args.workers is not None and args.workers < 1:
        return "--workers must be 1 or more"
    if not 0 <= args.p_threshold <= 1:
        return "--p-threshold must be between 0 and 1"
    if args.compare and (args.method or args.model):
        return "--compare runs every method; leave out --method and --model"
    if args.strata is not None and (args.compare or args.plot):
        return "--strata gives a table per stratum; it does not combine with --compare or --plot"
    if args.model and method != "fixed":
        return f"--model needs --method fixed, not --method {method}"
    for option, value in (("--max-order", args.max_order), ("--top-models", args.top_models)):
        if value is not None and method not in BIC_METHODS:
            return f"{option} applies to --method bic or auto, not --method {method}"
        if value is not None and value < 1:
            return f"{option} must be 1 or more"
    problem = _lcmcr_problem(args, method)
    if problem:
        return problem
    if args.replicates != "skip" and method not in SPARSEMSE_METHODS:
        return f"--replicates {args.replicates} applies to the SparseMSE methods, not {method}"
    if args.plot and not args.plot.lower().endswith((".png", ".svg")):
        return f"--plot: file must end in .png or .svg: {args.plot}"
    return None


def _method_options(args: argparse.Namespace, method: str) -> dict[str, Any]:
    """The keyword arguments of ``estimate`` that only some methods take."""
    if method in BIC_METHODS:
        return {"max_order": args.max_order, "top_models": args.top_models}
    if method == "dga":
        return {"delta": args.delta, "missing_max": args.missing_max}
    if method == "lcmcr":
        options: dict[str, Any] = {name: getattr(args, name) for name in LCMCR_OPTIONS}
        if args.alpha_prior:
            first, second = args.alpha_prior.split(",")
            options["alpha_prior"] = (float(first), float(second))
        return options
    return {}


def _lcmcr_problem(args: argparse.Namespace, method: str) -> str | None:
    given = [name for name in LCMCR_OPTIONS if getattr(args, name) is not None]
    if args.alpha_prior is not None:
        given.append("alpha_prior")
    if given and method != "lcmcr":
        option = "--" + given[0].replace("_", "-")
        return f"{option} applies to --method lcmcr, not --method {method}"
    lowest = {"latent_classes": 2, "burnin": 0, "samples": 1, "thinning": 1}
    for name, least in lowest.items():
        value = getattr(args, name)
        if value is not None and value < least:
            return f"--{name.replace('_', '-')} must be {least} or more"
    if args.alpha_prior is not None:
        parts = args.alpha_prior.split(",")
        try:
            values = [float(part) for part in parts]
        except ValueError:
            values = []
        if len(values) != 2 or not all(v > 0 for v in values):
            return "--alpha-prior must be two numbers above 0, like 0.25,0.25"
    return None


def _plot_problem(path: str) -> str | None:
    """Why the picture cannot be written to ``path`` (None: it can), found before any work."""
    target = Path(path)
    if target.is_dir():
        return f"--plot: {path} is a directory"
    existed = target.exists()
    try:
        with target.open("ab"):
            pass
    except OSError as error:
        return f"--plot: cannot write {path}: {error.strerror or error}"
    if not existed:
        target.unlink()
    return None


def _json_safe(value: Any) -> Any:
    """Replace NaN/inf (not valid JSON) by null, recursively."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value
