"""The `build-archive` command: a thin shell over the library."""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
import time
from pathlib import Path

import click

from . import __version__
from .cache import forget_cache, read_cache, write_cache
from .importer import ArticleExistsError, ImportOptions, create_article, plan_import, write_articles
from .load import PUBLISHED_FILE
from .output import OutputError, staged_output
from .pipeline import Generated, check_articles, generate_pages
from .problem import ArchiveError, Severity, has_errors
from .published import record_published
from .record import FieldMap
from .render import SiteText
from .report import FORMATS, choose_format, format_annotation, format_grouped, format_json, format_summary
from .scaffold import ArticleDraft

articles_option = click.option(
    "--articles", "articles_dir", type=click.Path(path_type=Path), default=Path("articles"),
    show_default=True, help="The folder of article files and registries.")


@click.group()
@click.version_option(__version__)
def main() -> None:
    """Build a cross-linked news archive from a folder of articles."""


@main.command()
@articles_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "output_format", type=click.Choice(FORMATS),
              help="text: path:line:col lines; github: these lines and GitHub Actions annotations "
                   "(the default when GITHUB_ACTIONS=true); json: one JSON document on stdout, for tools.")
def check(articles_dir: Path, strict: bool, output_format: str | None) -> None:
    """Report every problem in the articles at once; exit 1 on errors."""
    _, problems = check_articles(articles_dir, display_root=Path.cwd())
    output_format = choose_format(output_format, os.environ)
    if output_format == "json":
        click.echo(format_json(problems))
    for problem in problems if output_format != "json" else ():
        click.echo(str(problem), err=problem.severity is Severity.ERROR)
        if output_format == "github":  # the log keeps the plain line; the annotation marks the file
            click.echo(format_annotation(problem))
    click.echo(format_summary(problems), err=True)
    sys.exit(1 if has_errors(problems, strict=strict) else 0)


@main.command()
@click.argument("title")
@articles_option
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD; today if left out.")
@click.option("--place", "places", multiple=True, help="A place the story is about (repeat for more).")
@click.option("--actor", "actors", multiple=True, help="A person or group in the story (repeat for more).")
@click.option("--source", default="", help="Who published it, e.g. Reuters.")
@click.option("--byline", "byline", multiple=True, help="An author (repeat for more).")
@click.option("--dateline", default="", help="The place the story was filed from.")
@click.option("--summary", default="", help="One sentence shown under the title and in lists.")
@click.option("--url", default="", help="Address of the original story.")
@click.option("--slug", default="", help="Fix the page address instead of deriving it from the title.")
def new(title: str, articles_dir: Path, date: dt.datetime | None, places: tuple[str, ...],
        actors: tuple[str, ...], source: str, byline: tuple[str, ...], dateline: str,
        summary: str, url: str, slug: str) -> None:
    """Start a new article file with complete front-matter; never replaces a file."""
    draft = ArticleDraft(
        title=" ".join(title.split()), date=(date.date() if date else dt.date.today()),
        source=source, byline=byline, dateline=dateline, places=places, actors=actors,
        summary=summary, url=url, slug=slug,
        body="Write the story here, one blank line between paragraphs.\n",
    )
    try:
        created = create_article(articles_dir, draft)
    except (ArticleExistsError, ValueError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    for name in created.unknown:
        click.echo(f"warning: {name} is not in the registry yet: add it to "
                   f"{articles_dir}/{name.split()[0]}s.yml (see the Editor's guide)", err=True)
    click.echo(str(articles_dir / created.path))


@main.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@articles_option
@click.option("--format", "input_format", type=click.Choice(["jsonl", "csv", "text"]),
              help="How the files are written; guessed from the name (.jsonl, .csv, .gz; "
                   "anything else is wire copy).")
@click.option("--field", "fields", multiple=True, metavar="FIELD=NAME[,NAME…]",
              help="Which export field feeds an article field, e.g. --field actors=people,orgs.")
@click.option("--title", default="", help="Headline for wire copy that has none.")
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), help="Date for copy that has none.")
@click.option("--source", default="", help="Source for stories that name none, e.g. Reuters.")
@click.option("--propose/--no-propose", default=True, show_default=True,
              help="Add the registry's places and actors named in the text.")
@click.option("--dry-run", is_flag=True, help="Report what would be written; write nothing.")
def import_(files: tuple[Path, ...], articles_dir: Path, input_format: str | None,
            fields: tuple[str, ...], title: str, date: dt.datetime | None, source: str,
            propose: bool, dry_run: bool) -> None:
    """Turn wire copy, JSON Lines or CSV files into new article files.

    Existing files are never overwritten; records without a title, date or body
    are listed with their line and reason. Exits 1 if any record was rejected.
    """
    try:
        field_map = FieldMap.parse(fields)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--field") from exc
    if title and len(files) > 1:
        raise click.BadParameter("a headline names one story: import the files one by one",
                                 param_hint="--title")
    options = ImportOptions(fields=field_map, format=input_format or "", title=title,
                            date=date.date() if date else None, source=source, propose=propose)
    plan = plan_import(files, articles_dir, options, display_root=Path.cwd())
    for rejection in plan.rejected:
        click.echo(f"{rejection.file}:{rejection.line}: error: {rejection.reason}: {rejection.hint}",
                   err=True)
    if dry_run:
        for article in plan.articles:
            click.echo(f"{articles_dir / article.path} (from {article.origin})")
    else:
        written = write_articles(plan, articles_dir)
        for path in written.written:
            click.echo(str(articles_dir / path))
        for path in written.existing:
            click.echo(f"{articles_dir / path}: error: a file of this name appeared during the "
                       "import; it was left as it is", err=True)
    proposed = sum(bool(a.proposed) for a in plan.articles)
    click.echo(plan.summary().replace(" imported", " would be imported" if dry_run else " imported", 1),
               err=True)
    if proposed:
        click.echo(f"{proposed} article(s) have places or actors proposed from their text: "
                   "confirm them in the front-matter", err=True)
    sys.exit(1 if plan.rejected else 0)


@main.command()
@articles_option
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Folder to write the generated Markdown pages into.")
@click.option("--home", "home_file", type=click.Path(path_type=Path), default=Path("docs/index.md"),
              show_default=True, help="Hand-written home page text to put above the generated part.")
@click.option("--site-url", envvar="SITE_URL", default="http://127.0.0.1:8000/", show_default=True,
              help="Where the site is published: feeds, citations and redirects use it "
                   "(default from $SITE_URL).")
@click.option("--site-name", default="News archive", show_default=True,
              help="The archive's name, for feeds and citations.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Render every page from scratch, and keep no cache for the next run.")
def render(articles_dir: Path, out_dir: Path, home_file: Path, site_url: str, site_name: str,
           strict: bool, no_cache: bool) -> None:
    """Write the generated pages as Markdown, with feeds, data and redirects, for any
    MkDocs-compatible engine. A run after the first renders only the pages that changed,
    from a cache kept beside the folder (.OUT.build-archive-cache)."""
    started = time.perf_counter()
    # Millions of objects read from the cache and made by the generation live to the
    # end of this command; the cycle collector would walk them all, for nothing.
    gc.disable()
    intro = home_file.read_text(encoding="utf-8") if home_file.is_file() else ""
    text = SiteText(site_name=site_name, site_url=site_url)
    previous = None if no_cache else read_cache(out_dir, articles_dir)

    def generate(previous: Generated | None, folder: Path) -> Generated:
        return generate_pages(articles_dir, text, home_intro=intro, strict=strict, display_root=Path.cwd(),
                              previous=previous, write_to=folder, reused=not no_cache)

    try:
        with staged_output(out_dir, remove_in_background=True) as staging:
            generated = generate(previous, staging.folder)
            if previous is not None and not staging.keep(generated.pages.keys() - generated.changed):
                generated = generate(None, staging.folder)  # pages of the last run are missing
            written = staging.finish([*generated.pages, *generated.files])
            forget_cache(out_dir)  # it describes the output about to be replaced
    except ArchiveError as exc:
        click.echo("\n".join(format_grouped(exc.problems)), err=True)
        sys.exit(1)
    except OutputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"{out_dir}: cannot write the pages: {exc.strerror or exc}", err=True)
        sys.exit(1)
    del previous  # what this generation did not take over from it, before keeping this one
    for line in format_grouped(generated.problems):
        click.echo(line, err=True)
    if not no_cache:
        write_cache(out_dir, articles_dir, generated)
    left = staging.removed()
    if left is not None:
        click.echo(f"warning: the output this run replaced could not be removed: delete {left} by hand", err=True)
    rendered = len(generated.changed)
    click.echo(f"wrote {written} files to {out_dir}: {rendered} pages rendered, {len(generated.pages) - rendered} "
               f"kept from the last run, in {time.perf_counter() - started:.1f} s", err=True)
    # The process ends here: freeing the generations' millions of objects one by one, as
    # Python does on the way out, would take a second more on a large archive.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


@main.command()
@click.option("--archive", "archives", type=click.Choice(["reuters", "synthetic"]), multiple=True,
              help="Which archive to build (repeat for both; both when left out).")
@click.option("--articles", "count", type=int, default=0,
              help="Build only this many articles (all of Reuters, 20,000 synthetic by default).")
@click.option("--reuters", "reuters_file", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="The Reuters-21578 JSON Lines file, if not in ../shared/corpora/.")
@click.option("--keep", "keep_dir", type=click.Path(path_type=Path),
              help="Keep the archives and sites in this folder instead of deleting them.")
def bench(archives: tuple[str, ...], count: int, reuters_file: Path | None, keep_dir: Path | None) -> None:
    """Build large archives and print a table of times, memory and sizes."""
    from . import benchmark

    if reuters_file:
        benchmark.REUTERS = reuters_file
    archives = archives or ("reuters", "synthetic")
    if "reuters" in archives and not benchmark.REUTERS.is_file():
        click.echo(f"{benchmark.REUTERS}: the Reuters-21578 file is missing: pass --reuters PATH "
                   "or --archive synthetic", err=True)
        sys.exit(1)
    try:
        rows = benchmark.run_benchmark(Path.cwd(), archives=archives, count=count, keep=keep_dir)
    except RuntimeError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(benchmark.format_table(rows))


@main.command()
@articles_option
def record(articles_dir: Path) -> None:
    """Record every page address as published (in articles/published.yml), so later
    changes of title, slug, date or name keep the old address working.

    Run it after each publication and commit the file; builds never write it.
    """
    try:
        recorded = record_published(articles_dir, display_root=Path.cwd())
    except ArchiveError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"{articles_dir}: cannot write the record: {exc}", err=True)
        sys.exit(1)
    for old, new in recorded.moved:
        click.echo(f"{articles_dir / old} → {articles_dir / new}: its published addresses now "
                   "belong to the new file", err=True)
    click.echo(f"recorded {recorded.added} new address(es) in {articles_dir / PUBLISHED_FILE}", err=True)
