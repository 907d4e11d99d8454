"""The `surgeplan` command: parse, read, call a service, print. No rules live here.

Exit codes: 0 success, 1 a hard rule is violated (`check`), 2 an input cannot be read,
3 the hard rules conflict. Every command that takes a SCENARIO uses the built-in 2020
scenario when none is given.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.live import Live
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from surgeplan.advise import advice_csv, advise, candidates
from surgeplan.checker import Assignment, read_assignments
from surgeplan.checker import check as check_plan
from surgeplan.compile import Replan
from surgeplan.curtois.bench import BenchRow, parse_selection, run_benchmark
from surgeplan.engine import Progress as SolveProgress
from surgeplan.engine import ProgressCallback, SolveOptions, Status
from surgeplan.engine.solve import Formulation
from surgeplan.executor import ExecutorError, executor_for
from surgeplan.reports.calendar import officer_calendars, site_calendars
from surgeplan.reports.diff import diff_plans
from surgeplan.reports.exports import csv_text, write_atomic
from surgeplan.reports.html.format import gap_percent
from surgeplan.reports.workbook import plan_workbook
from surgeplan.scenario.errors import InputError
from surgeplan.scenario.load import load_with_warnings
from surgeplan.scenario.model import Scenario
from surgeplan.scenario.pins import Pin, load_pins
from surgeplan.scenario.schema import schema_json
from surgeplan.server.commands import admin_app, audit_app, serve
from surgeplan.service import (
    BUILTIN,
    PlanOutcome,
    ReplanOutcome,
    plan,
    replan,
    write_plan,
    write_replan,
)

app = typer.Typer(
    help="Plan and track surge deployments: optimal rotations, checked plans, reports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
scenario_app = typer.Typer(help="Work with scenario bundles.", no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")
bench_app = typer.Typer(help="Measure the engine on public benchmarks.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")
app.command("serve")(serve)
app.add_typer(admin_app, name="admin")
app.add_typer(audit_app, name="audit")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

ScenarioArg = Annotated[
    Path | None,
    typer.Argument(
        help="scenario.yaml or bundle folder (default: the built-in 2020 scenario)",
        show_default=False,
    ),
]


def _fail(error: InputError) -> NoReturn:
    err.print(
        f"[bold red]Cannot read the input[/] ({len(error.issues)} problem(s)):", highlight=False
    )
    for line in error.render().splitlines():
        err.print(f"  {line}", markup=False, highlight=False)
    raise typer.Exit(2)


def _load(path: Path | None) -> Scenario:
    """The scenario at `path` (the built-in if None); its warnings on stderr, its errors
    as exit code 2."""
    try:
        scenario, warnings = load_with_warnings(path if path is not None else BUILTIN)
    except InputError as exc:
        _fail(exc)
    for issue in warnings:
        err.print(f"[yellow]warning[/]: {issue}", highlight=False)
    return scenario


def _read_plan(path: Path, scenario: Scenario) -> tuple[Assignment, ...]:
    """The plan file's assignments for `scenario`; its errors as exit code 2."""
    try:
        return read_assignments(path, scenario)
    except InputError as exc:
        _fail(exc)


class _LiveProgress:
    """Renders solver progress (stage, incumbent, bound, gap, elapsed) in place."""

    def __init__(self, live: Live) -> None:
        self.live = live

    def __call__(self, event: SolveProgress) -> None:
        gap = (
            0.0
            if event.objective == event.bound
            else 100 * abs(event.objective - event.bound) / max(abs(event.objective), 1)
        )
        shown = event.objective / 100 if event.stage == "cost" else event.objective
        bound = event.bound / 100 if event.stage == "cost" else event.bound
        unit = "$" if event.stage == "cost" else ""
        self.live.update(
            f"[bold]{event.stage}[/]  incumbent {unit}{shown:,.2f}  bound {unit}{bound:,.2f}  "
            f"gap {gap_percent(gap)}  elapsed {event.elapsed:.1f}s  "
            "[dim](Ctrl-C keeps the best plan)[/]"
        )


def _print_plan(outcome: PlanOutcome, data: dict[str, Any], target: Path) -> None:
    scenario, result = outcome.scenario, outcome.result
    table = Table(
        title=f"{scenario.name}: officer-{scenario.period}s per site", title_justify="left"
    )
    for column in (
        "site",
        "deployed",
        "required",
        "short",
        "weighted",
        "cost USD",
    ):
        table.add_column(column, justify="left" if column == "site" else "right")
    coverage, shortfall = data["coverage_by_site"], data["shortfall_by_site"]
    costs = data["cost_by_site"]
    for site in scenario.sites:
        c, s = coverage[site.site_id], shortfall[site.site_id]
        table.add_row(
            site.site_id,
            str(c["deployed"]),
            str(c["required"]),
            str(s["officers"]),
            str(s["weighted"]),
            f"{float(costs.get(site.site_id, 0)):,.2f}",
        )
    out.print(table)
    gaps = [result.gap_pct(tier) for tier in ("shortfall", "cost")]
    gap_text = " / ".join("n/a" if g is None else gap_percent(g) for g in gaps)
    status = result.status.value + (" (interrupted)" if result.interrupted else "")
    out.print(
        f"status [bold]{status}[/]  shortfall {outcome.report.shortfall}  "
        f"cost ${outcome.report.cost_usd:,}  solve {result.seconds:.1f}s  "
        f"gap shortfall / cost {gap_text}  "
        f"checked {'yes' if outcome.report.feasible else 'NO'}",
        highlight=False,
    )
    out.print(
        f"wrote {target}/assignments.csv, rotations.csv, summary.json, explanations.csv, "
        "report.html",
        highlight=False,
    )


TimeLimit = Annotated[float, typer.Option(min=0.1, help="seconds for the whole solve")]
Workers = Annotated[int, typer.Option(min=1, help="CP-SAT search workers")]
Seed = Annotated[int, typer.Option(help="random seed")]
Quiet = Annotated[bool, typer.Option(help="no live progress")]
PinsOption = Annotated[
    Path | None, typer.Option("--pins", help="pins.csv: person_id,period_start,site_id (HOME)")
]


RayAddress = Annotated[
    str | None,
    typer.Option(
        "--ray-address",
        help="run the solves on this Ray cluster (host:port from `ray start --head`; "
        "needs the extra surgeplan\\[ray]) instead of local processes",
    ),
]


@contextmanager
def _executor_errors() -> Iterator[None]:
    """Ray missing or unreachable: the reason and the fix, exit 2."""
    try:
        yield
    except ExecutorError as exc:
        err.print(f"[bold red]Cannot run the solves:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None


def _bar() -> Progress:
    """A progress bar over a batch of solves, on stderr, shown only on a terminal."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not err.is_terminal,
    )


def _print_conflicts(outcome: PlanOutcome) -> None:
    """The hard rules conflict: one sentence per conflicting set (exit code 3 follows)."""
    err.print("[bold red]The hard rules conflict:[/]")
    for conflict in outcome.conflicts:
        note = "" if conflict.minimal else " (time ran out: it may name more than it needs)"
        err.print(f"  - {conflict.sentence}{note}", markup=False, highlight=False)
    if not outcome.conflicts:
        err.print(
            "  no plan satisfies them all, and no smaller conflicting set was found in the "
            "time given (check pins against leave, rotation and rest rules, and the budget).",
            highlight=False,
        )


def _solve_live(quiet: bool, run: Callable[[ProgressCallback | None], PlanOutcome]) -> PlanOutcome:
    """Run a solve with live progress on a terminal; refuse to write when there is no plan."""
    if quiet or not err.is_terminal:
        outcome = run(None)
    else:
        with Live("building the model…", console=err, transient=True) as live:
            outcome = run(_LiveProgress(live))
    if outcome.result.status is Status.INFEASIBLE:
        _print_conflicts(outcome)
        raise typer.Exit(3)
    if outcome.result.solution is None:
        err.print(
            f"[bold red]No plan found[/] ({outcome.result.status.value}); give more --time-limit"
        )
        raise typer.Exit(1)
    return outcome


@app.command("plan")
def plan_command(
    scenario: ScenarioArg = None,
    out_dir: Annotated[Path, typer.Option("--out", help="folder for the plan files")] = Path(
        "out/plan"
    ),
    time_limit: TimeLimit = 60,
    workers: Workers = 2,
    seed: Seed = 0,
    formulation: Annotated[
        Formulation,
        typer.Option(
            help="model: auto (per-period for shortfall, rotations for cost), periods or rotations"
        ),
    ] = "auto",
    pins_csv: PinsOption = None,
    quiet: Quiet = False,
) -> None:
    """Compute an optimal deployment plan, check it independently and write it."""
    loaded = _load(scenario)
    pins = _pins(pins_csv, loaded)
    options = SolveOptions(
        time_limit=time_limit, workers=workers, seed=seed, formulation=formulation
    )
    outcome = _solve_live(quiet, lambda progress: plan(loaded, options, progress, Replan(pins)))
    data = write_plan(outcome, out_dir)
    _print_plan(outcome, data, out_dir)


def _pins(path: Path | None, scenario: Scenario) -> tuple[Pin, ...]:
    try:
        return load_pins(path, scenario) if path is not None else ()
    except InputError as exc:
        _fail(exc)


@app.command("replan")
def replan_command(
    scenario: ScenarioArg = None,
    previous_csv: Annotated[
        Path, typer.Option("--previous", help="the plan in force (assignments.csv)")
    ] = Path("out/plan/assignments.csv"),
    since: Annotated[
        datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="first period that may change")
    ] = datetime(2020, 2, 3),
    out_dir: Annotated[Path, typer.Option("--out", help="folder for the new plan")] = Path(
        "out/replan"
    ),
    max_changes: Annotated[
        int | None, typer.Option(min=0, help="hard cap on changed person-periods")
    ] = None,
    pins_csv: PinsOption = None,
    compare_fresh: Annotated[
        bool,
        typer.Option(
            "--compare-fresh",
            help="also plan the changed scenario from scratch (same time) and say how many "
            "officers that would move",
        ),
    ] = False,
    time_limit: TimeLimit = 60,
    workers: Workers = 2,
    seed: Seed = 0,
    quiet: Quiet = False,
) -> None:
    """Re-plan after a change: the past frozen, the fewest officers moved; impact.csv says who."""
    loaded = _load(scenario)
    previous = _read_plan(previous_csv, loaded)
    pins = _pins(pins_csv, loaded)
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed)
    holder: list[ReplanOutcome] = []

    def run(progress: ProgressCallback | None) -> PlanOutcome:
        holder.append(
            replan(
                loaded, previous, since.date(), options, pins, max_changes, progress, compare_fresh
            )
        )
        return holder[0].outcome

    outcome = _solve_live(quiet, run)
    data = write_replan(holder[0], out_dir)
    _print_plan(outcome, data, out_dir)
    moved, fresh = holder[0].moved, holder[0].fresh
    out.print(
        f"{moved.officers} officers get new orders; "
        f"{moved.person_periods} person-periods change; see impact.csv",
        highlight=False,
    )
    if fresh is not None:
        out.print(
            f"a fresh plan in the same time would give new orders to {fresh.officers} "
            f"officers ({fresh.person_periods} person-periods; shortfall {fresh.shortfall}, "
            f"cost ${fresh.cost_usd:,})",
            highlight=False,
        )


def _split_check_args(paths: list[Path]) -> tuple[Path | None, Path]:
    if len(paths) == 1:
        return None, paths[0]
    if len(paths) == 2:
        return paths[0], paths[1]
    err.print("give [SCENARIO] ASSIGNMENTS_CSV (one or two paths)")
    raise typer.Exit(2)


@app.command("advise")
def advise_command(
    scenario: ScenarioArg = None,
    out_dir: Annotated[Path, typer.Option("--out", help="folder for advice.csv")] = Path(
        "out/advice"
    ),
    time_limit: Annotated[
        float, typer.Option(min=0.1, help="seconds for each candidate's solve")
    ] = 20,
    jobs: Annotated[int, typer.Option(min=1, help="candidates solved at once")] = 2,
    baseline_limit: Annotated[
        float | None,
        typer.Option(
            "--baseline-time-limit",
            min=0.1,
            help="seconds for the plan every candidate starts from (default: 3 × --time-limit)",
        ),
    ] = None,
    seed: Seed = 0,
    ray_address: RayAddress = None,
) -> None:
    """What would reduce the shortfall: one-step relaxations, each re-solved and checked."""
    loaded = _load(scenario)
    options = SolveOptions(time_limit=time_limit, workers=1, seed=seed)
    total = len(candidates(loaded)) + 1
    with _bar() as bar, _executor_errors():
        task = bar.add_task("candidates", total=total)
        base, found = advise(
            loaded,
            options,
            executor_for(jobs, ray_address),
            lambda _: bar.advance(task),
            SolveOptions(baseline_limit or 3 * time_limit, workers=jobs, seed=seed),
        )
    write_atomic(out_dir / "advice.csv", advice_csv(base, found))
    table = Table(
        title=f"shortfall now {base.shortfall} (capacity floor {base.floor}), "
        f"cost ${base.cost_usd:,}",
        title_justify="left",
    )
    for column in ("rank", "change", "shortfall after", "floor after", "cost Δ USD"):
        table.add_column(column)
    for rank, option in enumerate(found, start=1):
        table.add_row(
            str(rank),
            option.change,
            str(option.shortfall),
            str(option.floor),
            f"{option.cost_usd - base.cost_usd:+,}",
        )
    out.print(table)
    out.print(f"wrote {out_dir}/advice.csv", highlight=False)


@app.command("sweep")
def sweep_command(
    scenario: ScenarioArg = None,
    vary: Annotated[
        list[str] | None,
        typer.Option(
            "--vary",
            help="RULE=V1,V2,… (rotation_min, rotation_max, rest_min, deployed_max, "
            "budget_usd); repeat for a grid",
        ),
    ] = None,
    replicates: Annotated[int, typer.Option(min=1, help="solves of each variant")] = 1,
    attrition: Annotated[
        float, typer.Option(min=0, max=1, help="chance each officer is lost, per replicate")
    ] = 0.0,
    demand_noise: Annotated[
        float, typer.Option(min=0, help="sd of demand noise, as a share of each demand row")
    ] = 0.0,
    out_dir: Annotated[Path, typer.Option("--out", help="folder for the sweep files")] = Path(
        "out/sweep"
    ),
    time_limit: Annotated[float, typer.Option(min=0.1, help="seconds for each solve")] = 20,
    jobs: Annotated[int, typer.Option(min=1, help="solves at once (local processes)")] = 2,
    seed: Seed = 0,
    ray_address: RayAddress = None,
) -> None:
    """Many solves of rule variants, with seeded attrition and demand noise: runs.csv,
    summary.csv (means and 95% intervals) and sweep.html (shortfall against cost)."""
    from surgeplan.reports.sweep import (
        SUMMARY_HEAD,
        runs_csv,
        summary_csv,
        summary_rows,
        sweep_html,
    )
    from surgeplan.sweep import Design, SweepError, parse_vary, summarise, sweep, variants

    loaded = _load(scenario)
    design = Design(replicates, attrition, demand_noise, seed)
    try:
        varies = [parse_vary(v) for v in vary or ()]
        total = len(variants(loaded, varies)) * replicates
    except SweepError as exc:
        err.print(f"[bold red]Cannot sweep:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    options = SolveOptions(time_limit=time_limit, workers=1, seed=seed)
    with _bar() as bar, _executor_errors():
        task = bar.add_task("solves", total=total)
        chosen, runs = sweep(
            loaded,
            varies,
            design,
            options,
            executor_for(jobs, ray_address),
            lambda: bar.advance(task),
        )
    summaries = summarise(chosen, runs)
    note = (
        f"{len(runs)} solves of {time_limit:g} s each ({replicates} per variant; attrition "
        f"{attrition:g}, demand noise {demand_noise:g}, seeds {seed}–{seed + replicates - 1}). "
        "Shortfalls of time-limited solves are upper bounds; runs.csv keeps each bound."
    )
    write_atomic(out_dir / "runs.csv", runs_csv(chosen, runs))
    write_atomic(out_dir / "summary.csv", summary_csv(summaries))
    write_atomic(out_dir / "sweep.html", sweep_html(f"Sweep of {loaded.name}", summaries, note))
    table = Table(title=note, title_justify="left")
    for column in SUMMARY_HEAD:
        table.add_column(column)
    for row in summary_rows(summaries):
        table.add_row(*row)
    out.print(table)
    unchecked = sum(1 for r in runs if not r.checked)
    if unchecked:
        err.print(f"[bold red]{unchecked} solve(s) found no plan that keeps every rule[/]")
    out.print(f"wrote {out_dir}/runs.csv, summary.csv and sweep.html", highlight=False)


@app.command("check")
def check_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="[SCENARIO] ASSIGNMENTS_CSV: scenario (default built-in) and the plan to check",
            show_default=False,
        ),
    ],
    ledger: Annotated[Path | None, typer.Option(help="write the full objective ledger CSV")] = None,
) -> None:
    """Check any plan file against a scenario: hard rules and the objective ledger."""
    scenario_path, plan_path = _split_check_args(paths)
    scenario = _load(scenario_path)
    assignments = _read_plan(plan_path, scenario)
    report = check_plan(scenario, assignments)
    for v in report.violations:
        out.print(f"[red]VIOLATION[/] {v.rule}: {v.scope}: {v.message}", highlight=False)
    table = Table(title="objective ledger", title_justify="left")
    for column in ("tier", "rule", "entries", "amount", "penalty"):
        table.add_column(column)
    totals: dict[tuple[str, str], tuple[int, Decimal, Decimal]] = {}
    for e in report.ledger:
        count, amount, penalty = totals.get((e.tier, e.rule), (0, Decimal(0), Decimal(0)))
        totals[e.tier, e.rule] = (count + 1, amount + e.amount, penalty + e.penalty)
    for (tier, rule), (count, amount, penalty) in totals.items():
        table.add_row(tier, rule, str(count), str(amount), str(penalty))
    out.print(table)
    tiers = {e.tier for e in report.ledger}  # fairness and requests print only when on
    soft = "".join(f"{t} {report.tier_total(t)}  " for t in ("fairness", "requests") if t in tiers)
    out.print(
        f"shortfall {report.shortfall}  cost ${report.cost_usd:,}  {soft}"
        f"violations {len(report.violations)}",
        highlight=False,
    )
    if ledger is not None:
        write_atomic(
            ledger,
            csv_text(
                ("tier", "rule", "scope", "amount", "weight", "penalty"),
                ((e.tier, e.rule, e.scope, e.amount, e.weight, e.penalty) for e in report.ledger),
            ),
        )
    raise typer.Exit(0 if report.feasible else 1)


@app.command("diff")
def diff_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="[SCENARIO] PLAN_A PLAN_B (assignments.csv files)", show_default=False),
    ],
) -> None:
    """Compare two plans: officers with different orders, sites, every objective tier."""
    if len(paths) not in (2, 3):
        err.print("give [SCENARIO] PLAN_A PLAN_B")
        raise typer.Exit(2)
    loaded = _load(paths[0] if len(paths) == 3 else None)
    a, b = (_read_plan(p, loaded) for p in paths[-2:])
    result = diff_plans(loaded, a, b, check_plan(loaded, a), check_plan(loaded, b))
    tiers = Table(title="objective tiers (checker)", title_justify="left")
    for column in ("tier", "A", "B", "B − A"):
        tiers.add_column(column, justify="left" if column == "tier" else "right")
    for name, before, after in result.tiers:
        tiers.add_row(name, f"{before:,}", f"{after:,}", f"{after - before:+,}")
    tiers.add_row(
        "hard violations",
        *map(str, result.violations),
        f"{result.violations[1] - result.violations[0]:+}",
    )
    out.print(tiers)
    if result.sites:
        sites = Table(title="officer-periods per site", title_justify="left")
        for column in ("site", "A", "B"):
            sites.add_column(column)
        for site, before_n, after_n in result.sites:
            sites.add_row(site, str(before_n), str(after_n))
        out.print(sites)
    officers = Table(
        title=f"{len(result.officers)} officers with different orders", title_justify="left"
    )
    for column in ("officer", "periods", "A", "B", "cost Δ USD"):
        officers.add_column(column)
    for row in result.officers:
        officers.add_row(
            f"{row[1]} ({row[0]})", str(row[2]), str(row[3]), str(row[4]), f"{row[9]:+,}"
        )
    out.print(officers)


@app.command("export")
def export_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="[SCENARIO] ASSIGNMENTS_CSV", show_default=False),
    ],
    out_dir: Annotated[Path, typer.Option("--out", help="folder for the exports")] = Path(
        "out/export"
    ),
) -> None:
    """Export a plan as plan.xlsx and iCalendar files per officer and per site."""
    scenario_path, plan_path = _split_check_args(paths)
    loaded = _load(scenario_path)
    assignments = _read_plan(plan_path, loaded)
    stretches = check_plan(loaded, assignments).stretches
    write_atomic(out_dir / "plan.xlsx", plan_workbook(loaded, assignments, stretches))
    officers = officer_calendars(loaded, stretches)
    for person_id, text in officers.items():
        write_atomic(out_dir / "calendars" / "officers" / f"{person_id}.ics", text)
    sites = site_calendars(loaded, stretches)
    for site_id, text in sites.items():
        write_atomic(out_dir / "calendars" / "sites" / f"{site_id}.ics", text)
    out.print(
        f"wrote {out_dir}/plan.xlsx, {len(officers)} officer and {len(sites)} site "
        "calendars (.ics)",
        highlight=False,
    )


@app.command("validate")
def validate_command(scenario: ScenarioArg = None) -> None:
    """Validate a scenario and say what it holds."""
    loaded = _load(scenario)
    out.print(
        f"[green]valid[/]: {loaded.name}: {len(loaded.people)} people, "
        f"{len(loaded.bases)} bases, {len(loaded.sites)} sites, "
        f"{len(loaded.period_starts())} {loaded.period}s from {loaded.start} to "
        f"{loaded.end}, {len(loaded.demand)} demand rows",
        highlight=False,
    )


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of a scenario document."""
    sys.stdout.write(schema_json() + "\n")


@scenario_app.command("export-default")
def export_default(
    target: Annotated[Path, typer.Argument(help="folder to write the bundle into")],
    force: Annotated[bool, typer.Option(help="overwrite files that exist")] = False,
) -> None:
    """Write the built-in 2020 scenario as an editable bundle."""
    files = sorted(p for p in BUILTIN.iterdir() if p.is_file())
    clashes = [f.name for f in files if (target / f.name).exists()]
    if clashes and not force:
        err.print(
            f"{target} already holds {', '.join(clashes)}; use --force to overwrite",
            highlight=False,
        )
        raise typer.Exit(2)
    target.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copyfile(f, target / f.name)
    out.print(
        f"wrote {len(files)} files to {target}; edit them, then "
        f"`surgeplan plan {target}/scenario.yaml`",
        highlight=False,
    )


@bench_app.command("curtois")
def bench_curtois(
    folder: Annotated[Path, typer.Argument(help="folder with Instance1.txt … Instance24.txt")],
    out_dir: Annotated[Path, typer.Option("--out", help="folder for results and rosters")],
    instances: Annotated[str, typer.Option(help="numbers and ranges, e.g. 1-24 or 1,3")] = "1-24",
    time_limit: Annotated[float, typer.Option(min=0.1, help="seconds per instance")] = 60,
    workers: Annotated[int, typer.Option(min=1, help="CP-SAT search workers")] = 2,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
) -> None:
    """Solve Curtois & Qu instances; write results.csv, results.md and one roster each."""
    try:
        numbers = parse_selection(instances)
    except ValueError as exc:
        err.print(f"--instances: {exc}", highlight=False)
        raise typer.Exit(2) from None
    missing = [n for n in numbers if not (folder / f"Instance{n}.txt").is_file()]
    if missing:
        err.print(
            f"{folder}: no Instance{missing[0]}.txt (missing: {missing}); give the "
            "folder holding the instances",
            highlight=False,
        )
        raise typer.Exit(2)
    options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed)
    with _bar() as bar:
        task = bar.add_task("instances", total=len(numbers))

        def done(row: BenchRow) -> None:
            bar.advance(task)
            out.print(
                f"{row.instance}: {row.objective} (best known {row.best_known}, gap "
                f"{row.gap_pct}%) {row.status} {row.seconds:.1f}s checked={row.checked}",
                highlight=False,
            )

        try:
            run_benchmark(folder, numbers, options, out_dir, done)
        except InputError as exc:
            _fail(exc)
    out.print(f"wrote {out_dir}/results.csv, results.md and the rosters", highlight=False)


@app.command("track")
def track_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="[SCENARIO OUTCOMES_CSV]: none for the built-in scenario with SIMULATED outcomes",
            show_default=False,
        ),
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="folder for tracking files")] = Path(
        "out/tracking"
    ),
    plan_csv: Annotated[
        Path | None, typer.Option("--plan", help="assignments.csv to set beside the outcomes")
    ] = None,
) -> None:
    """Measure a campaign's aggregate outcomes against its target, with honest statistics."""
    given = paths or []
    if len(given) not in (0, 2):
        err.print("give SCENARIO OUTCOMES_CSV, or nothing for the built-in scenario")
        raise typer.Exit(2)
    scenario_path, outcomes = (given[0], given[1]) if given else (None, None)
    assignments = _read_plan(plan_csv, _load(scenario_path)) if plan_csv is not None else None
    try:
        from surgeplan.tracking import track  # SciPy is heavy: load it for this command only

        data = track(scenario_path, outcomes, out_dir, assignments)
    except InputError as exc:
        _fail(exc)
    for site in data.get("sites", []):
        sentence = site.get("sentence") if isinstance(site, dict) else None
        if sentence:
            out.print(f"- {sentence}", highlight=False)
    out.print(f"wrote {out_dir}/tracking.json and tracking.html", highlight=False)
