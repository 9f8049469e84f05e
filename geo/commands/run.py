"""``geo run CONFIG.toml``, ``geo demo`` and ``geo demo generate``: the whole lägesbild from one file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from geo import i18n
from geo.commands._common import check_lang, console, lang_option

__all__ = ["demo", "generate", "register", "run_command"]

demo_app = typer.Typer(
    name="demo",
    help=(
        "Värnamo-demon (syntetiska demodata): kör hela lägesbilden på demovärlden, eller skapa en ny "
        "demovärld.\n\n"
        "Example: geo demo   |   geo demo generate --seed 7 --out /tmp/demo"
    ),
    invoke_without_command=True,
    no_args_is_help=False,
)


def _run(
    config_path: Path,
    out: Path | None,
    lang: str | None = None,
    as_of: str | None = None,
    store: str | None = None,
    demo_store: bool = False,
) -> None:
    import datetime as dt

    from geo.config import load_config
    from geo.pipeline import run

    config = load_config(config_path)
    if lang is not None:
        if lang not in {"sv", "en"}:
            from geo.errors import ConfigError

            raise ConfigError(f"--lang must be sv or en, got '{lang}'")
        config = config.model_copy(update={"run": config.run.model_copy(update={"lang": lang})})
    day = None
    if as_of is not None:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError as err:
            from geo.errors import ConfigError

            raise ConfigError(f"--as-of must be a date YYYY-MM-DD, got '{as_of}'") from err
    if demo_store:  # the demo keeps its runs in the output folder, with the week before as the first one
        from geo.pipeline_store import keep_previous_week
        from geo.rhythm.asof import resolve_period

        folder = out if out is not None else config.output.dir
        store = store or str(folder / "lagesbild-arkiv.gpkg")
        last_week = i18n.gettext("Förra veckans lägesbild ...", config.run.lang)
        with console.status(last_week) as status:
            keep_previous_week(
                resolve_period(config, as_of=day), store, progress=lambda msg: status.update(f"{msg} ...")
            )
    with console.status("Lägesbild ...") as status:
        result = run(
            config, progress=lambda msg: status.update(f"{msg} ..."), out_dir=out, as_of=day, store=store
        )
    console.print(result.summary, highlight=False, markup=False, soft_wrap=True)


def _lang(lang: str | None) -> str | None:
    if lang is not None and lang not in {"sv", "en"}:
        from geo.errors import ConfigError

        raise ConfigError(f"--lang must be sv or en, got '{lang}'")
    return lang


def _as_of(as_of: str | None) -> dt.date | None:
    if as_of is None:
        return None
    try:
        return dt.date.fromisoformat(as_of)
    except ValueError as err:
        from geo.errors import ConfigError

        raise ConfigError(f"--as-of must be a date YYYY-MM-DD, got '{as_of}'") from err


def run_command(
    config: Path = typer.Argument(
        ..., help="Run configuration (TOML); see data/demo/demo.toml for every key."
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Output folder (default: [output] dir in the config)."
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="Language of the maps: sv or en (default: [run] lang)."
    ),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="Lägesbild as of this date YYYY-MM-DD: the [period] weeks (default 4) whole ISO weeks "
        "(Monday–Sunday, local time) before it.",
    ),
    store: str | None = typer.Option(
        None,
        "--store",
        help="Keep the run in this store (FILE.gpkg or postgresql://...; default [store] path): hot-spot "
        "ids follow the places and changes.csv says what changed since the previous kept run.",
    ),
    county: str | None = typer.Option(
        None,
        "--county",
        help="Run every municipality of this county (län) code, e.g. 06 (Jönköpings län); all: the country.",
    ),
    municipalities: str | None = typer.Option(
        None, "--municipalities", help="Run these municipalities: codes separated by commas, e.g. 0683,0662."
    ),
    areas: Path | None = typer.Option(
        None, "--areas", help="Run each polygon of this file (name, code, optional population) as an area."
    ),
    population: Path | None = typer.Option(
        None, "--population", help="CSV of inhabitants per area code (code,population): reports per 1,000."
    ),
    workers: int | None = typer.Option(
        None, "--workers", min=1, help="Dask worker processes of the local cluster (default: the cores)."
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="An existing Dask scheduler, tcp://HOST:8786, in place of a local cluster."
    ),
) -> None:
    """Run a whole lägesbild described in one TOML file: read, find hot-spots, plan, draw the maps.

    Kör en hel lägesbild enligt en TOML-fil: källor och kolumner, studieområde, period, lager, metodparametrar
    och utdata. Felaktiga nycklar ger ett fel som namnger filen och nyckeln.

    With --county, --municipalities or --areas the export is split by area and each area's lägesbild runs
    on Dask into OUT/<kod>-<namn>/, with OUT/overview.csv and OUT/overview.html over all of them; an area
    that fails is reported and the others finish (exit code 1 only when every area failed).

    Example: geo run data/demo/demo.toml --out maps   |   geo run lagesbild.toml --as-of 2026-11-02   |
    geo run lan.toml --county 06 --workers 2 --out lan
    """
    if county is not None or municipalities is not None or areas is not None:
        from geo.commands.region import run_region_command

        run_region_command(
            config,
            out,
            county=county,
            municipalities=municipalities,
            areas=areas,
            population=population,
            workers=workers,
            scheduler=scheduler,
            lang=_lang(lang),
            as_of=_as_of(as_of),
            store=store,
        )
        return
    _run(config, out, lang, as_of, store)


@demo_app.callback()
def demo(
    ctx: typer.Context,
    out: Path = typer.Option(Path("maps"), "--out", help="Output folder for the maps and proposals."),
    lang: str | None = typer.Option(None, "--lang", help="Language of the maps: sv or en (default: sv)."),
) -> None:
    """Run the Värnamo demo (geo run on data/demo/demo.toml), writing maps and proposals into maps/.

    Kör Värnamo-demon (syntetiska demodata) och skriver kartor och förslag i maps/.

    Example: geo demo
    """
    if ctx.invoked_subcommand is not None:
        return
    from geo.demo import DEMO_DIR

    config = DEMO_DIR / "demo.toml"
    if not config.exists():
        from geo.errors import ConfigError

        raise ConfigError(
            f"{config}: the demo world is missing; create it with: geo demo generate --out {DEMO_DIR}"
        )
    _run(config, out, lang, demo_store=True)


@demo_app.command("generate")
def generate(
    out: Path = typer.Option(..., "--out", help="Folder to write the demo world into."),
    seed: int = typer.Option(683, "--seed", help="Random seed; the same seed gives byte-identical files."),
    noise: float = typer.Option(
        1.0, "--noise", min=0.0, help="Background incidents (1 = demo, 0 = planted only)."
    ),
    lang: str = lang_option(),
) -> None:
    """Create the Värnamo demo world (syntetiska demodata) with its planted truth (truth.json).

    Skapar demovärlden: gator, lampor, tre års polisanmälningar, invånarrapporter, trygghetsvandringar,
    hastighetsmätningar och den planterade sanningen. Samma frö ger byte för byte samma filer.

    Example: geo demo generate --seed 683 --out data/demo
    """
    from geo.io.outputs.demo import generate_world

    check_lang(lang)
    with console.status(i18n.gettext("Skapar demovärld ...", lang)):
        paths = generate_world(seed, out, noise=noise)
    for role, p in paths.items():
        console.print(f"  {role}: {p}")
    world = i18n.gettext(
        "Demovärld (syntetiska demodata) med frö %(seed)s i %(out)s", lang, seed=seed, out=str(out)
    )
    console.print(world)


def register(app: typer.Typer) -> None:
    """Add ``geo run`` and ``geo demo`` (with ``geo demo generate``) to the app."""
    app.command("run")(run_command)
    app.add_typer(demo_app, name="demo")
