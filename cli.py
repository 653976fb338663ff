"""The command line: `pressroom export | book | formats | list | serve`, thin doors onto the exporters."""

from __future__ import annotations

import atexit
import gc
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from . import settings
from .articles import PressroomError
from .files import write_atomically
from .locations import default_content_dir

PAGE_THREADS = 2  # server threads that never make an edition


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pressroom")
def main() -> None:
    """Pressroom turns articles into editions people keep: PDF, EPUB, HTML and plug-ins."""
    # The last step at exit (handlers run last-registered first): the interpreter then lets its
    # modules go without the collector walking all they hold once more, 20 ms of a short command
    # spent on memory the system takes back anyway.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


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
            default = {True: "  [default: on]", False: "  [default: off]",
                       None: "  [default: when the print edition is made too]"}[option.default]
            flags.append(click.Option([f"{flag}/--no-{flag[2:]}", option.name], default=None,
                                      help=option.help + default))
        else:
            flags.append(click.Option([flag, option.name], type=click.Choice(list(option.choices)), default=None,
                                      help=f"{option.help}  [default: {option.default}]"))
    # Print-ready editions read these as settings, never as options (a web form or a queued job could
    # name a path on the server); given here, they are the settings of this run.
    flags.append(click.Option(["--icc", "icc"], metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
                              help="The CMYK printer profile of print-ready editions.  [env: PRESSROOM_PRINT_ICC]"))
    flags.append(click.Option(["--custom-trim", "custom_trim"], metavar="WxH",
                              help="A trim size of print-ready editions other than the offered ones, in inches "
                                   "(5.06x7.81) or millimetres (140x216mm).  [env: PRESSROOM_PRINT_TRIM]"))
    return flags


def _print_settings(edition_options: dict) -> bool:
    """Make --icc and --custom-trim the settings of this run (the exporter checks them); whether either was given."""
    icc, custom_trim = edition_options.pop("icc", None), edition_options.pop("custom_trim", None)
    if icc is not None:
        settings.set_for_this_run("PRESSROOM_PRINT_ICC", str(icc.resolve()))
    if custom_trim is not None:
        settings.set_for_this_run("PRESSROOM_PRINT_TRIM", custom_trim)
        edition_options["trim"] = edition_options.get("trim") or "custom"
    return icc is not None or custom_trim is not None


@main.command("export", cls=ExportCommand, context_settings={"ignore_unknown_options": False})
@click.argument("sources", nargs=-1, required=True)
@click.option("-f", "--format", "formats", multiple=True, metavar="FORMAT",
              help="An edition to write (repeatable); all registered formats when not given.")
@click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default="the current folder", help="Folder to write the editions to.")
@click.option("--strict", is_flag=True, help="Fail an article that has warnings instead of exporting it.")
@click.option("--queue", "queue_url", default=lambda: settings.text("PRESSROOM_QUEUE") or None, metavar="URL",
              help="Export on the workers of this Redis queue (redis://[:password@]host:port/db) instead of "
                   "here.  [env: PRESSROOM_QUEUE]")
@click.option("--book", "book_title", metavar="TITLE",
              help="Bind the SOURCES, in order, into one book with this title: DIR/<title-slug>.<ext>.")
@click.option("--skip-bad", is_flag=True, help="With --book: leave out an article that cannot be read, with a "
                                               "warning, instead of failing the book.")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="HOST",
              help="Fetch from HOST even though it is on a loopback, private or other non-public address "
                   "(repeatable).")
@click.option("--lang", "language", callback=lambda ctx, param, value: _language_tag(value), metavar="TAG",
              help="The language of the text (a BCP 47 tag such as de, fr or pt-BR), over what the source "
                   "declares; when neither says, it is detected from the text.")
def export_command(sources: tuple[str, ...], formats: tuple[str, ...], output_dir: Path, strict: bool,
                   queue_url: str | None, book_title: str | None, skip_bad: bool, allowed_hosts: tuple[str, ...],
                   language: str | None, **edition_options) -> None:
    """Write DIR/<slug>.<ext> for every SOURCE and format.

    A SOURCE is an article file (.txt, .md, a saved web page .html/.htm/.xhtml/.html.gz) or the
    http(s) address of a web page, which is fetched with its images (and nothing else ever is).
    """
    if _print_settings(edition_options) and queue_url:
        raise click.UsageError("--icc and --custom-trim apply to exports made here; a queue's workers read "
                               "PRESSROOM_PRINT_ICC and PRESSROOM_PRINT_TRIM from their own settings")
    chosen, options = _planned(formats, edition_options)
    if book_title is not None:
        from .articles import book_of_sources

        if queue_url:
            raise click.UsageError("--book makes the book here; it cannot be combined with --queue")
        _export_book(lambda: book_of_sources(book_title, list(sources), skip_bad, allowed_hosts, language), chosen,
                     options, output_dir, strict)
        return
    if queue_url and language:
        raise click.UsageError("--lang applies to exports made here; on a queue, declare the language with "
                               "'lang:' in each article's front matter")
    if queue_url:
        _warn_of_password_shown(queue_url)
        _export_on_queue(queue_url, sources, chosen, options, output_dir, strict, allowed_hosts)
        return
    jobs = [SourceExport(source, chosen, output_dir, options, strict, allowed_hosts, language) for source in sources]
    failures = 0
    for outcome in _run_jobs(jobs):
        for line in outcome.messages:
            click.echo(line, err=True)
        for path in outcome.written:
            click.echo(str(path))
        failures += outcome.failed
    if failures:
        sys.exit(1)


@main.command("book", cls=ExportCommand, context_settings={"ignore_unknown_options": False})
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option("-f", "--format", "formats", multiple=True, metavar="FORMAT",
              help="An edition to write (repeatable); all registered formats when not given.")
@click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default="the current folder", help="Folder to write the editions to.")
@click.option("--skip-bad", is_flag=True, help="Leave out an article that cannot be read, with a warning, "
                                               "instead of failing the book.")
@click.option("--strict", is_flag=True, help="Fail the book if it has warnings instead of exporting it.")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="HOST",
              help="Fetch the manifest's web addresses from HOST even though it is on a loopback, private or "
                   "other non-public address (repeatable).")
@click.option("--lang", "language", callback=lambda ctx, param, value: _language_tag(value), metavar="TAG",
              help="The language of the book and of every article in it (a BCP 47 tag such as de, fr or pt-BR), "
                   "over what they declare; an article that does not say is detected from its text.")
def book_command(manifest: Path, formats: tuple[str, ...], output_dir: Path, skip_bad: bool, strict: bool,
                 allowed_hosts: tuple[str, ...], language: str | None, **edition_options) -> None:
    """Write DIR/<book-slug>.<ext> for the book that MANIFEST (a BOOK.yaml) describes, in every format.

    The manifest lists article files (relative to it) or the http(s) addresses of web pages, which
    are fetched with their images like an address given to `export`.
    """
    from .articles import read_book

    _print_settings(edition_options)
    chosen, options = _planned(formats, edition_options)
    _export_book(lambda: read_book(manifest, skip_bad=skip_bad, allowed_hosts=allowed_hosts, language=language),
                 chosen, options, output_dir, strict)


def _language_tag(value: str | None) -> str | None:
    """--lang's value, checked: a BCP 47 tag."""
    if value is None:
        return None
    from .articles.readers.front_matter import LANGUAGE_TAG

    if not LANGUAGE_TAG.match(value):
        raise click.BadParameter(f"{value!r} is not a language tag; use a BCP 47 tag such as en, fr or pt-BR")
    return value


def _planned(formats: tuple[str, ...], edition_options: dict) -> tuple[list[str], object]:
    """The formats to make (all when none is named) and the chosen options, checked before any work."""
    from .exporters import chosen_options, default_formats, plan_editions

    try:
        chosen = list(formats) or default_formats()
        options = chosen_options(edition_options)
        plan_editions(chosen, options)  # an unknown format or an impossible option stops here
    except PressroomError as error:
        _fail(error)
    return chosen, options


def _export_book(read, chosen: list[str], options, output_dir: Path, strict: bool) -> None:
    """Read a book with `read` and write each chosen edition of it: all of them, or none."""
    from .execution import export_set

    try:
        book = read()
        warnings = list(book.warnings)
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)
        editions = export_set(book, chosen, options).values()
        edition_warnings = [warning for edition in editions for warning in edition.warnings]
        for warning in edition_warnings:
            click.echo(f"warning: {warning}", err=True)
        if strict and (warnings or edition_warnings):
            raise PressroomError(f"{book.source_path}: the book is not written, because of the warnings above (--strict)")
    except PressroomError as error:
        _fail(error)
    for edition in editions:
        for path in write_files(output_dir, edition.files):
            click.echo(str(path))


def _export_on_queue(url: str, sources, chosen: list[str], options, output_dir: Path, strict: bool,
                     allowed_hosts: tuple[str, ...]) -> None:
    from .jobs.submit import export_on_queue

    report = _QueueProgress()
    try:
        batch = export_on_queue(url, sources, chosen, options, output_dir, strict, write_files, report, allowed_hosts)
    except PressroomError as error:
        report.close()
        _fail(error)
    report.close()
    if batch.failed:
        click.echo(f"error: {len(batch.failed)} of {len(sources)} articles not exported: {', '.join(batch.failed)}",
                   err=True)
        sys.exit(1)


class _QueueProgress:
    """A queued batch's progress bar and messages, on standard error; written paths on standard output."""

    def __init__(self) -> None:
        self.bar = None

    def started(self, jobs: int) -> None:
        self.bar = click.progressbar(length=jobs, label=f"Exporting {jobs} articles on the queue", file=sys.stderr)
        self.bar.__enter__()

    def finished_one(self) -> None:
        self.bar.update(1)

    def message(self, line: str) -> None:
        click.echo(line, err=True)

    def wrote(self, path: Path) -> None:
        click.echo(str(path))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@dataclass(frozen=True)
class ExportOutcome:
    """What exporting one source did: files written, messages for stderr, whether it failed."""

    written: list[Path]
    messages: list[str]
    failed: bool


@dataclass(frozen=True)
class SourceExport:
    """One source to export: a file or a web address, the formats and options, where to write."""

    source: str
    formats: list[str]
    output_dir: Path
    options: object
    strict: bool
    allowed_hosts: tuple[str, ...] = ()
    language: str | None = None


def export_source(job: SourceExport) -> ExportOutcome:
    """Read one source (a file, or a web address to fetch) and write each chosen edition of it."""
    from .articles.readers.sources import read_source
    from .execution import export_set

    source, chosen, output_dir, options, strict = job.source, job.formats, job.output_dir, job.options, job.strict
    written: list[Path] = []
    messages: list[str] = []
    try:
        article = read_source(source, job.allowed_hosts, job.language)
        messages += [f"warning: {warning}" for warning in article.warnings]
        if strict and article.warnings:
            raise PressroomError(f"{source}: not exported, because of the warnings above (--strict)")
        editions = export_set(article, chosen, options).values()
        warnings = [warning for edition in editions for warning in edition.warnings]
        messages += [f"warning: {warning}" for warning in warnings]
        if strict and warnings:
            raise PressroomError(f"{source}: not written, because of the warnings above (--strict)")
        for edition in editions:
            written += write_files(output_dir, edition.files)
    except PressroomError as error:
        return ExportOutcome(written, messages + [f"error: {error}"], True)
    return ExportOutcome(written, messages, False)


def _warm_worker(chosen: list[str], options) -> None:
    """Load the engines once in each batch worker; its export workers fork from it warm."""
    from .exporters import plan_editions, prepare_engines

    prepare_engines(plan_editions(chosen, options), many=True)


def _run_jobs(jobs: list[SourceExport]):
    """Yield each job's outcome in order; several sources are exported in parallel, one per core,
    under one progress bar."""
    from .execution import run_on_pool

    if len(jobs) == 1:
        yield from run_on_pool(export_source, jobs)
        return
    with click.progressbar(length=len(jobs), label=f"Exporting {len(jobs)} articles", file=sys.stderr) as bar:
        yield from run_on_pool(export_source, jobs, _warm_worker, (jobs[0].formats, jobs[0].options),
                               progress=lambda done: bar.update(done - bar.pos))


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
    from .articles import Library

    entries = Library(content_dir).entries()
    if not entries:
        click.echo(f"No articles in {content_dir}: add a .txt or .md file there.", err=True)
    for entry in entries:
        if entry.article:
            click.echo(f"{entry.slug}\t{entry.article.title}\t{entry.article.word_count} words")
        else:
            click.echo(f"{entry.slug}\tcannot be read: {entry.error}")


@main.command("worker")
@click.option("--queue", "queue_url", default=lambda: settings.text("PRESSROOM_QUEUE") or None, metavar="URL", required=True,
              help="The Redis queue to take export jobs from (redis://[:password@]host:port/db).  "
                   "[env: PRESSROOM_QUEUE]")
@click.option("--processes", default=os.cpu_count() or 1, show_default="one per core", type=click.IntRange(1, 256),
              help="Jobs run at once; each export still runs in a limited process of its own.")
def worker_command(queue_url: str, processes: int) -> None:
    """Run export jobs from a queue (any number of machines may run workers)."""
    from .jobs.queue import redacted
    from .jobs.worker import run_worker

    _warn_of_password_shown(queue_url)
    click.echo(f"Pressroom worker: {processes} processes on {redacted(queue_url)} (Ctrl+C stops it)", err=True)
    try:
        run_worker(queue_url, processes)
    except PressroomError as error:
        _fail(error)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; the server answers to this name (and localhost for a loopback "
                   "address) unless PRESSROOM_TRUSTED_HOSTS lists the names it is reached by.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--content", "content_dir", type=click.Path(file_okay=False, path_type=Path),
              default=default_content_dir, show_default="content/ in the checkout, else in the user data folder")
@click.option("--queue", "queue_url", default=lambda: settings.text("PRESSROOM_QUEUE") or None, metavar="URL",
              help="Hand exports to the workers of this Redis queue instead of this server's own processes.  "
                   "[env: PRESSROOM_QUEUE]")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="HOST",
              help="Let pages added by address come from HOST even though it is on a loopback, private or other "
                   "non-public address (repeatable; not the Host names the server answers to).  "
                   "[env: PRESSROOM_FETCH_ALLOWED_HOSTS, names separated by commas]")
def serve_command(host: str, port: int, content_dir: Path, queue_url: str | None,
                  allowed_hosts: tuple[str, ...]) -> None:
    """Serve the web UI with waitress (a production WSGI server)."""
    import waitress

    from .app import create_app
    from .articles.webimport.fetching import allowed_hosts_from_environment
    from .web.security import trusted_hosts

    hosts = trusted_hosts(host)
    if hosts is None:
        raise click.UsageError(f"--host {host} listens on every interface, so Pressroom cannot tell which names "
                               "it is reached by: list them in PRESSROOM_TRUSTED_HOSTS (e.g. "
                               "PRESSROOM_TRUSTED_HOSTS=press.example.org,10.0.0.5)")
    if queue_url:
        from .jobs.queue import check_reachable

        _warn_of_password_shown(queue_url)
        try:
            check_reachable(queue_url)
        except PressroomError as error:
            _fail(error)
    app = create_app({"CONTENT_DIR": str(content_dir), "TRUSTED_HOSTS": hosts, "QUEUE_URL": queue_url,
                      "ALLOWED_FETCH_HOSTS": allowed_hosts_from_environment() + allowed_hosts})
    click.echo(f"Pressroom is serving {content_dir} on http://{host}:{port}/ (Ctrl+C stops it)")
    # Threads beyond the export and import slots answer ordinary pages while editions are made and pages fetched.
    threads = app.config["EXPORT_SLOTS"] + app.config["IMPORT_SLOTS"] + PAGE_THREADS
    waitress.serve(app, host=host, port=port, threads=threads, ident="Pressroom")


def write_files(output_dir: Path, files) -> list[Path]:
    """Write the files of an edition under `output_dir`, each atomically; the paths written."""
    written = []
    for file in files:
        target = output_dir / file.name
        write_atomically(target, file.data)
        written.append(target)
    return written


def _warn_of_password_shown(queue_url: str) -> None:
    """Warn when --queue was given a password on the command line, where other users see it (`ps`)."""
    from urllib.parse import urlsplit

    source = click.get_current_context().get_parameter_source("queue_url")
    if source is click.core.ParameterSource.COMMANDLINE and urlsplit(queue_url).password:
        click.echo("warning: the --queue address holds a password, which other users of this machine can see "
                   "(in `ps`); set it in PRESSROOM_QUEUE instead", err=True)


def _fail(error: PressroomError) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(error.exit_code)
