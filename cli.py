"""The command line: `pressroom export | formats | list | serve`, thin doors onto the exporters."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click

from .articles import Library, PressroomError, read_article
from .locations import default_content_dir


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pressroom")
def main() -> None:
    """Pressroom turns articles into editions people keep: PDF, EPUB, HTML and plug-ins."""


class ExportCommand(click.Command):
    """`export`, whose edition options are the ones the registered exporters declare."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        return [*super().get_params(ctx)[:-1], *_edition_flags(), super().get_params(ctx)[-1]]


def _edition_flags() -> list[click.Option]:
    from .exporters import declared_options

    flags = []
    for option in declared_options().values():
        flag = "--" + option.name.replace("_", "-")
        if option.choices is None:
            default = {True: "  [default: on]", False: "  [default: off]", None: ""}[option.default]
            flags.append(click.Option([f"{flag}/--no-{flag[2:]}", option.name], default=None,
                                      help=option.help + default))
        else:
            flags.append(click.Option([flag, option.name], type=click.Choice(list(option.choices)), default=None,
                                      help=f"{option.help}  [default: {option.default}]"))
    return flags


@main.command("export", cls=ExportCommand, context_settings={"ignore_unknown_options": False})
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-f", "--format", "formats", multiple=True, metavar="FORMAT",
              help="An edition to write (repeatable); all registered formats when not given.")
@click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default="the current folder", help="Folder to write the editions to.")
@click.option("--strict", is_flag=True, help="Fail an article that has warnings instead of exporting it.")
def export_command(sources: tuple[Path, ...], formats: tuple[str, ...], output_dir: Path, strict: bool,
                   **edition_options) -> None:
    """Write DIR/<slug>.<ext> for every SOURCE and format."""
    from .exporters import chosen_options, load_exporters, plan_editions

    try:
        chosen = list(formats) or list(load_exporters())
        options = chosen_options(edition_options)
        plan_editions(chosen, options)  # an unknown format or an impossible option stops here
    except PressroomError as error:
        _fail(error)
    jobs = [(source, chosen, output_dir, options, strict) for source in sources]
    failures = 0
    for outcome in _run_jobs(jobs):
        for line in outcome.messages:
            click.echo(line, err=True)
        for path in outcome.written:
            click.echo(str(path))
        failures += outcome.failed
    if failures:
        sys.exit(1)


@dataclass(frozen=True)
class ExportOutcome:
    """What exporting one source did: files written, messages for stderr, whether it failed."""

    written: list[Path]
    messages: list[str]
    failed: bool


def export_source(source: Path, chosen: list[str], output_dir: Path, options, strict: bool) -> ExportOutcome:
    """Read one source and write each chosen edition of it."""
    from .exporters import export_set

    written: list[Path] = []
    messages: list[str] = []
    try:
        article = read_article(source)
        messages += [f"warning: {warning}" for warning in article.warnings]
        if strict and article.warnings:
            raise PressroomError(f"{source}: not exported, because of the warnings above (--strict)")
        editions = export_set(article, chosen, options).values()
        warnings = [warning for edition in editions for warning in edition.warnings]
        messages += [f"warning: {warning}" for warning in warnings]
        if strict and warnings:
            raise PressroomError(f"{source}: not written, because of the warnings above (--strict)")
        for edition in editions:
            written += write_edition(output_dir, edition)
    except PressroomError as error:
        return ExportOutcome(written, messages + [f"error: {error}"], True)
    return ExportOutcome(written, messages, False)


def _warm_worker(chosen: list[str], options) -> None:
    """Load the engines once in each batch worker; its export workers fork from it warm."""
    from .exporters import plan_editions, prepare_engines

    prepare_engines(plan_editions(chosen, options), many=True)


def _run_jobs(jobs: list[tuple]):
    """Yield each job's outcome in order; several sources are exported in parallel, one per core."""
    if len(jobs) == 1:
        yield export_source(*jobs[0])
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = min(len(jobs), os.cpu_count() or 1)
    # Forkserver: the pool's workers fork their own export workers, which a threaded parent must not.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver"),
                             initializer=_warm_worker, initargs=(jobs[0][1], jobs[0][3])) as pool:
        futures = [pool.submit(export_source, *job) for job in jobs]
        with click.progressbar(futures, label=f"Exporting {len(jobs)} articles", file=sys.stderr) as bar:
            for future in bar:
                yield future.result()


@main.command("formats")
def formats_command() -> None:
    """List the registered exporters."""
    from .exporters import load_exporters

    for name, exporter in load_exporters().items():
        click.echo(f"{name}\t{exporter.label}\t.{exporter.extension}\t{exporter.media_type}")


@main.command("list")
@click.option("--content", "content_dir", type=click.Path(file_okay=False, path_type=Path),
              default=default_content_dir, show_default="content/ in the checkout, else in the user data folder")
def list_command(content_dir: Path) -> None:
    """List the articles of a content folder."""
    entries = Library(content_dir).entries()
    if not entries:
        click.echo(f"No articles in {content_dir}: add a .txt or .md file there.", err=True)
    for entry in entries:
        if entry.article:
            click.echo(f"{entry.slug}\t{entry.article.title}\t{entry.article.word_count} words")
        else:
            click.echo(f"{entry.slug}\tcannot be read: {entry.error}")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--content", "content_dir", type=click.Path(file_okay=False, path_type=Path),
              default=default_content_dir, show_default="content/ in the checkout, else in the user data folder")
def serve_command(host: str, port: int, content_dir: Path) -> None:
    """Serve the web UI with waitress (a production WSGI server)."""
    import waitress

    from .app import create_app

    app = create_app({"CONTENT_DIR": str(content_dir)})
    click.echo(f"Pressroom is serving {content_dir} on http://{host}:{port}/ (Ctrl+C stops it)")
    waitress.serve(app, host=host, port=port, threads=4, ident="Pressroom")


def write_edition(output_dir: Path, edition) -> list[Path]:
    """Write every file of `edition` under `output_dir`, each atomically; the paths written."""
    written = []
    for file in edition.files:
        target = output_dir / file.name
        write_atomically(target, file.data)
        written.append(target)
    return written


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` so that a reader never sees a partial file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _fail(error: PressroomError) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(error.exit_code)
