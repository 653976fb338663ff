"""The command line: `pressroom export | book | periodical | send | formats | list | search | index | worker |
serve | users | tokens | audit`, thin doors onto the exporters, the catalogue, periodicals, delivery and the accounts."""

from __future__ import annotations

import atexit
import gc
import os
import sys
from pathlib import Path

import click

from . import settings
from .articles import PressroomError
from .output import SourceExport, export_source, prepare_batch_process, refuse_if_strict, write_files
from .locations import default_content_dir

PAGE_THREADS = 2  # server threads that never make an edition
# One instance of each path type for every option: each one made looks up click's translations of
# its words, 1-2 ms of a cold command for the twenty options that take a path.
FOLDER = click.Path(file_okay=False, path_type=Path)
FILE = click.Path(dir_okay=False, path_type=Path)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pressroom")
def main() -> None:
    """Pressroom turns articles into editions people keep: PDF, EPUB, HTML and plug-ins."""
    # The last step at exit (handlers run last-registered first): the interpreter then lets its
    # modules go without the collector walking all they hold once more, 20 ms of a short command
    # spent on memory the system takes back anyway.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    context = click.get_current_context()
    if not isinstance(main.commands.get(context.invoked_subcommand or ""), ExportCommand):
        resume_collector()


def resume_collector() -> None:
    """Let the collector run again when `pressroom.__main__` paused it while the command loaded, first
    freezing what loading made (it lives until the command ends), so that no walk of the collector
    visits it. Export commands resume it once their options, the exporters' own, are loaded."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


class ExportCommand(click.Command):
    """`export`, whose edition options are the ones the registered exporters declare."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        return [*super().get_params(ctx)[:-1], *_edition_flags(), super().get_params(ctx)[-1]]

    def invoke(self, ctx: click.Context):
        resume_collector()
        return super().invoke(ctx)


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
    flags.append(click.Option(["--icc", "icc"], metavar="FILE", type=FILE,
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


# The options several commands share, declared once; each command says what its own help adds.
def formats_option(command):
    return click.option("-f", "--format", "formats", multiple=True, metavar="FORMAT",
                        help="An edition to write (repeatable); every format but those made on request when not "
                             "given (see `pressroom formats`).")(command)


def output_option(what: str = "Folder to write the editions to.", default: Path | None = Path(".")):
    return click.option("-o", "--output", "output_dir", type=FOLDER,
                        default=default, show_default="the current folder" if default else False, help=what)


def strict_option(what: str):
    return click.option("--strict", is_flag=True, help=f"Fail {what} that has warnings instead of exporting it.")


def skip_bad_option(when: str = ""):
    return click.option("--skip-bad", is_flag=True, help=f"{when}Leave out an article that cannot be read, with a "
                                                         "warning, instead of failing the book.")


def allow_host_option(what: str, environment: str = ""):
    return click.option("--allow-host", "allowed_hosts", multiple=True, metavar="HOST",
                        help=f"{what} from HOST even though it is on a loopback, private or other non-public "
                             f"address (repeatable).{environment}")


def queue_option(what: str, required: bool = False):
    return click.option("--queue", "queue_url", default=lambda: settings.text("PRESSROOM_QUEUE") or None,
                        metavar="URL", required=required,
                        help=f"{what} (redis://[:password@]host:port/db; give a password in PRESSROOM_QUEUE, "
                             "not here).  [env: PRESSROOM_QUEUE]")


def content_option(command):
    return click.option("--content", "content_dir", type=FOLDER,
                        default=default_content_dir,
                        show_default="content/ in the checkout, else in the user data folder")(command)


@main.command("export", cls=ExportCommand, context_settings={"ignore_unknown_options": False})
@click.argument("sources", nargs=-1, required=True)
@formats_option
@output_option()
@strict_option("an article")
@queue_option("Export on the workers of this Redis queue instead of here")
@click.option("--book", "book_title", metavar="TITLE",
              help="Bind the SOURCES, in order, into one book with this title: DIR/<title-slug>.<ext>.")
@skip_bad_option("With --book: ")
@allow_host_option("Fetch")
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
@formats_option
@output_option()
@skip_bad_option()
@strict_option("the book")
@allow_host_option("Fetch the manifest's web addresses")
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
        refuse_if_strict(strict, warnings + edition_warnings, book.source_path, "the book is not written")
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


def _run_jobs(jobs: list[SourceExport]):
    """Yield each job's outcome in order; several sources are exported in parallel, one per core,
    under one progress bar."""
    from .execution import run_on_pool

    if len(jobs) == 1:
        yield from run_on_pool(export_source, jobs)
        return
    with click.progressbar(length=len(jobs), label=f"Exporting {len(jobs)} articles", file=sys.stderr) as bar:
        yield from run_on_pool(export_source, jobs, prepare_batch_process, (jobs[0].formats, jobs[0].options),
                               progress=lambda done: bar.update(done - bar.pos))


@main.command("send", cls=ExportCommand, context_settings={"ignore_unknown_options": False})
@click.argument("source", metavar="SOURCE|SLUG")
@click.option("--to", "recipient", required=True, metavar="ADDRESS",
              help="The address to send the edition to: a Kindle's name@kindle.com, a PocketBook's, anyone's.")
@click.option("-f", "--format", "format_name", default="epub", show_default=True, metavar="FORMAT",
              help="The edition to send.")
@content_option
@queue_option("Make and send the edition on the workers of this Redis queue, with their mail settings")
@allow_host_option("Fetch")
def send_command(source: str, recipient: str, format_name: str, content_dir: Path, queue_url: str | None,
                 allowed_hosts: tuple[str, ...], **edition_options) -> None:
    """Send the edition of SOURCE, or of the library's article or book SLUG, to ADDRESS as an e-mail attachment.

    A SOURCE is an article file or a web address, as `export` takes. The mail server is
    PRESSROOM_SMTP_URL and the sender PRESSROOM_MAIL_FROM (a queue's workers use their own).
    """
    from .delivery import checked_address, mail_server, send_edition, sender_address
    from .execution import export_set
    from .exporters import plan_editions

    if _print_settings(edition_options) and queue_url:
        raise click.UsageError("--icc and --custom-trim apply to editions made here; a queue's workers read "
                               "PRESSROOM_PRINT_ICC and PRESSROOM_PRINT_TRIM from their own settings")
    try:
        address = checked_address(recipient)
        if not queue_url:  # the settings checked before anything is made
            mail_server()
            sender_address()
    except PressroomError as error:
        _fail(error)
    chosen, options = _planned((format_name,), edition_options)
    try:
        publication = _publication(source, content_dir, allowed_hosts)
        for warning in publication.warnings:
            click.echo(f"warning: {warning}", err=True)
        if queue_url:
            from .articles import Book
            from .jobs.sending import send_on_queue

            if isinstance(publication, Book):
                raise click.UsageError("a book is made and sent here; leave out --queue")
            _warn_of_password_shown(queue_url)
            send_on_queue(queue_url, publication, format_name, options, address, lambda line: click.echo(line, err=True))
            click.echo(f"sent the {format_name} edition of {source} to {address}")
            return
        made = export_set(publication, chosen, options)[format_name]
        for warning in made.warnings:
            click.echo(f"warning: {warning}", err=True)
        (plan,) = plan_editions(chosen, options)
        click.echo(f"sent {send_edition(publication.title, plan, made, address)} to {address}")
    except PressroomError as error:
        _fail(error)


def _publication(source: str, content_dir: Path, allowed_hosts: tuple[str, ...]):
    """The article a file or web address holds, else the library's article or book of that slug."""
    from .articles import Library, read_book
    from .articles.library.shelf import Shelf
    from .articles.readers.sources import is_web_address, read_source

    if is_web_address(source) or Path(source).exists():
        return read_source(source, allowed_hosts)
    article = Library(content_dir).find(source)
    if article is not None:
        return article
    books = Shelf(content_dir)
    if books.exists(source):
        return read_book(books.manifest(source), within=content_dir)
    raise PressroomError(f"{source}: there is no such file, and no article or book of that slug in {content_dir} "
                         f"(`pressroom list --content {content_dir}` lists the articles)")


@main.command("periodical")
@click.argument("definition", metavar="FILE.yaml", type=FILE)
@content_option
@output_option("Also write the issue's editions (the periodical's formats) to this folder.", default=None)
@allow_host_option("Fetch feeds and pages")
def periodical_command(definition: Path, content_dir: Path, output_dir: Path | None,
                       allowed_hosts: tuple[str, ...]) -> None:
    """Make an issue of the periodical FILE.yaml now: every item its feeds have that no earlier issue
    held, bound as a book of the library (a part per feed), sent where the file says."""
    from .periodicals.definition import read_periodical
    from .periodicals.issue import make_issue
    from .periodicals.publishing import publish_issue

    try:
        periodical = read_periodical(definition)
        outcome = make_issue(periodical, content_dir, allowed_hosts)
        for missing in outcome.missing_feeds:
            click.echo(f"warning: a feed is missing from the issue: {missing}", err=True)
        for notice in outcome.notices:
            click.echo(f"warning: {notice}", err=True)
        published = publish_issue(periodical, outcome.manifest, content_dir, output_dir) if outcome.manifest else None
    except PressroomError as error:
        _fail(error)
    if outcome.manifest:
        click.echo(str(outcome.manifest))
    if published:
        for warning in published.warnings:
            click.echo(f"warning: {warning}", err=True)
        for path in published.written:
            click.echo(str(path))
        for address in published.sent:
            click.echo(f"sent to {address}")
    click.echo(outcome.summary, err=True)
    if published and published.problems:
        for problem in published.problems:
            click.echo(f"error: {problem}", err=True)
        sys.exit(1)


@main.command("formats")
def formats_command() -> None:
    """List the registered exporters."""
    from .exporters import load_exporters

    for name, exporter in load_exporters().items():
        click.echo(f"{name}\t{exporter.label}\t.{exporter.extension}\t{exporter.media_type}")


@main.command("list")
@content_option
@click.option("--search", "search", default="", metavar="Q", help="Only the articles matching Q: words, "
              "\"a phrase\", prefix*; best matches first.")
@click.option("--author", default="", metavar="NAME", help="Only the articles by NAME (as the article writes it).")
@click.option("--lang", "language", default="", metavar="CODE", help="Only the articles in this language (en, fr...).")
@click.option("--limit", default=None, type=click.IntRange(1), metavar="N", help="At most N articles.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line, with every field the catalogue has.")
def list_command(content_dir: Path, search: str, author: str, language: str, limit: int | None,
                 as_json: bool) -> None:
    """List the articles of a content folder, from its catalogue."""
    from .catalogue.search import Filters

    _print_listing(content_dir, Filters(search=search, author=author, language=language), limit, as_json)


@main.command("search")
@click.argument("query")
@content_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1), metavar="N",
              help="At most N articles.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
def search_command(query: str, content_dir: Path, limit: int, as_json: bool) -> None:
    """Find articles by QUERY (words, "a phrase", prefix*) in titles, authors and text; best first."""
    from .catalogue.search import Filters

    _print_listing(content_dir, Filters(search=query), limit, as_json, snippets=True)


@main.command("index")
@content_option
@click.option("--rebuild", is_flag=True, help="Read every file again, not only the ones that changed.")
def index_command(content_dir: Path, rebuild: bool) -> None:
    """Bring the catalogue of a content folder up to date with its files."""
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label=f"Indexing {total:,} files", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        report = _opened_catalogue(content_dir, walk=False).walk(rebuild, progress)
    except PressroomError as error:
        _fail(error)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(f"{report.added:,} added, {report.changed:,} read again, {report.removed:,} removed, "
               f"{report.unchanged:,} unchanged", err=True)


def _opened_catalogue(content_dir: Path, walk: bool = True):
    """The catalogue of `content_dir`, walked if its last walk is older than $PRESSROOM_WALK_SECONDS."""
    from .catalogue.library import Catalogue

    catalogue = Catalogue(content_dir)
    if walk:
        catalogue.refresh()
    return catalogue


def _print_listing(content_dir: Path, filters, limit: int | None, as_json: bool, snippets: bool = False) -> None:
    import json

    try:
        catalogue = _opened_catalogue(content_dir)
        found = catalogue.listing(filters, per_page=limit or max(catalogue.count(), 1), facets=False)
    except PressroomError as error:
        _fail(error)
    if not found.hits and not filters.given:
        click.echo(f"No articles in {content_dir}: add a .txt or .md file there.", err=True)
    elif not found.hits:
        click.echo("No article matches.", err=True)
    for hit in found.hits:
        if as_json:
            record = {name: value.isoformat() if hasattr(value, "isoformat") else value
                      for name, value in vars(hit).items() if name != "snippet"}
            if snippets:
                record["snippet"] = "".join(text for text, _ in hit.snippet)
            click.echo(json.dumps(record, ensure_ascii=False))
        elif hit.error:
            click.echo(f"{hit.slug}\tcannot be read: {hit.error}")
        else:
            click.echo(f"{hit.slug}\t{hit.title}\t{hit.words} words")
            if snippets and hit.snippet:
                click.echo("\t" + "".join(f"[{text}]" if matched else text for text, matched in hit.snippet))


@main.command("worker")
@queue_option("The Redis queue to take export jobs from", required=True)
@click.option("--processes", default=os.cpu_count() or 1, show_default="one per core", type=click.IntRange(1, 256),
              help="Jobs run at once; each export still runs in a limited process of its own.")
@content_option
@click.option("--beat", is_flag=True, help="Also run the schedules of the periodicals in periodicals/ beside the "
                                           "content folder (one worker with --beat per deployment).")
def worker_command(queue_url: str, processes: int, content_dir: Path, beat: bool) -> None:
    """Run export jobs from a queue (any number of machines may run workers)."""
    from .jobs.queue import redacted
    from .jobs.worker import run_worker

    _warn_of_password_shown(queue_url)
    click.echo(f"Pressroom worker: {processes} processes on {redacted(queue_url)}"
               f"{', with the periodicals schedule' if beat else ''} (Ctrl+C stops it)", err=True)
    try:
        run_worker(queue_url, processes, content_dir, beat)
    except PressroomError as error:
        _fail(error)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; the server answers to this name (and localhost for a loopback "
                   "address) unless PRESSROOM_TRUSTED_HOSTS lists the names it is reached by.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@content_option
@queue_option("Hand exports to the workers of this Redis queue instead of this server's own processes")
@allow_host_option("Let pages added by address come", "  [env: PRESSROOM_FETCH_ALLOWED_HOSTS, names separated by "
                   "commas; not the Host names the server answers to]")
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
    try:  # the folder as it is now, before the first page; pages look again every few seconds
        catalogue = _opened_catalogue(content_dir, walk=False)
        catalogue.walk()
    except PressroomError as error:
        _fail(error)
    if not _loopback(host) and not _account_store(catalogue).any():
        _fail(PressroomError(f"--host {host} is reached from other computers, and there is no account yet, so "
                             "anyone could change the library: make one first with `pressroom users add NAME "
                             f"--role admin --content {content_dir}`, then serve again"))
    try:  # the settings of sign-in and proxies are read here
        app = create_app({"CONTENT_DIR": str(content_dir), "TRUSTED_HOSTS": hosts, "QUEUE_URL": queue_url,
                          "ALLOWED_FETCH_HOSTS": allowed_hosts_from_environment() + allowed_hosts})
    except PressroomError as error:
        _fail(error)
    click.echo(f"Pressroom is serving {content_dir} on http://{host}:{port}/ (Ctrl+C stops it)")
    # Threads beyond the export and import slots answer ordinary pages while editions are made and pages fetched.
    threads = app.config["EXPORT_SLOTS"] + app.config["IMPORT_SLOTS"] + PAGE_THREADS
    waitress.serve(app, host=host, port=port, threads=threads, ident="Pressroom")


def _loopback(host: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def _account_store(catalogue):
    from .accounts.store import AccountStore

    return AccountStore(catalogue.engine)


def _accounts(content_dir: Path):
    try:
        return _account_store(_opened_catalogue(content_dir, walk=False))
    except PressroomError as error:
        _fail(error)


def _new_password() -> str:
    """A new password typed twice at a prompt, or read from standard input's first line when it is not a terminal."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@main.group("users")
def users_group() -> None:
    """Accounts of the web UI and the API (the password is typed at a prompt or read from standard input)."""


@users_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["reader", "editor", "admin"]), required=True,
              help="reader: browse and download; editor: also add, replace, delete, books; admin: also accounts.")
@content_option
def users_add(name: str, role: str, content_dir: Path) -> None:
    """Add the account NAME."""
    accounts = _accounts(content_dir)
    try:
        accounts.add(name, role, _new_password())
        accounts.record("(command line)", "added the account", name)
    except PressroomError as error:
        _fail(error)
    click.echo(f"added {name} ({role})")


@users_group.command("list")
@content_option
def users_list(content_dir: Path) -> None:
    """List the accounts: name, role, since when."""
    for account in _accounts(content_dir).accounts():
        click.echo(f"{account.name}\t{account.role}\t{account.created:%Y-%m-%d}")


@users_group.command("remove")
@click.argument("name")
@content_option
def users_remove(name: str, content_dir: Path) -> None:
    """Remove the account NAME and its tokens."""
    accounts = _accounts(content_dir)
    try:
        accounts.remove(name)
        accounts.record("(command line)", "removed the account", name)
    except PressroomError as error:
        _fail(error)
    click.echo(f"removed {name}")


@users_group.command("passwd")
@click.argument("name")
@content_option
def users_passwd(name: str, content_dir: Path) -> None:
    """Give the account NAME a new password (its sessions end)."""
    accounts = _accounts(content_dir)
    try:
        accounts.set_password(name, _new_password())
        accounts.record("(command line)", "changed the password of", name)
    except PressroomError as error:
        _fail(error)
    click.echo(f"changed the password of {name}")


@main.group("tokens")
def tokens_group() -> None:
    """API tokens (sent as `Authorization: Bearer TOKEN`)."""


@tokens_group.command("create")
@click.argument("account")
@click.option("--role", type=click.Choice(["reader", "editor", "admin"]), default=None,
              help="The token's role, at most the account's.  [default: the account's]")
@click.option("--expires", "days", type=click.IntRange(1, 3650), default=None, metavar="DAYS",
              help="Expire after DAYS days.  [default: never]")
@click.option("--label", default="", help="What uses the token, to tell it apart in lists.")
@content_option
def tokens_create(account: str, role: str | None, days: int | None, label: str, content_dir: Path) -> None:
    """Make a token of ACCOUNT and print it, this once (only its hash is kept)."""
    accounts = _accounts(content_dir)
    try:
        token, secret = accounts.create_token(account, role, days, label)
        accounts.record("(command line)", "made a token", f"{account} {token.name}")
    except PressroomError as error:
        _fail(error)
    click.echo(f"token {token.name} of {account}, {token.role}; shown this once:", err=True)
    click.echo(secret)


@tokens_group.command("list")
@click.option("--account", default=None, help="Only this account's tokens.")
@content_option
def tokens_list(account: str | None, content_dir: Path) -> None:
    """List the tokens (never their secrets): number, account, role, label, expiry, last use, state."""
    for token in _accounts(content_dir).tokens(account):
        expires = f"{token.expires:%Y-%m-%d}" if token.expires else "never"
        used = f"{token.last_used:%Y-%m-%d %H:%M}" if token.last_used else "never"
        click.echo(f"{token.id}\t{token.account}\t{token.role}\t{token.label}\texpires {expires}\tused {used}\t"
                   f"{'revoked' if token.revoked else 'valid'}")


@tokens_group.command("revoke")
@click.argument("number", type=int)
@content_option
def tokens_revoke(number: int, content_dir: Path) -> None:
    """Revoke the token NUMBER (as `tokens list` shows it)."""
    accounts = _accounts(content_dir)
    try:
        token = accounts.revoke(number)
        accounts.record("(command line)", "revoked a token", f"{token.account} {token.name}")
    except PressroomError as error:
        _fail(error)
    click.echo(f"revoked {token.name} of {token.account}")


@main.command("audit")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000), metavar="N",
              help="The latest N entries.")
@content_option
def audit_command(limit: int, content_dir: Path) -> None:
    """Who added, replaced, deleted or bound what, and when, newest first (times in UTC)."""
    for entry in _accounts(content_dir).audit(limit):
        who = f"{entry.account} with {entry.token}" if entry.token else entry.account
        click.echo(f"{entry.at:%Y-%m-%d %H:%M:%S}\t{who}\t{entry.action}\t{entry.target}")


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
