"""The `build-archive` command: a thin shell over the library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .load import PUBLISHED_FILE
from .output import OutputError, write_pages
from .pipeline import check_articles, generate_pages
from .problem import ArchiveError, Severity, has_errors
from .published import record_published
from .render import SiteText

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
def check(articles_dir: Path, strict: bool) -> None:
    """Report every problem in the articles at once; exit 1 on errors."""
    _, problems = check_articles(articles_dir, display_root=Path.cwd())
    for problem in problems:
        click.echo(str(problem), err=problem.severity is Severity.ERROR)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    sys.exit(1 if has_errors(problems, strict=strict) else 0)


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
def render(articles_dir: Path, out_dir: Path, home_file: Path, site_url: str, site_name: str,
           strict: bool) -> None:
    """Write the generated pages as Markdown, with feeds, data and redirects, for any
    MkDocs-compatible engine."""
    intro = home_file.read_text(encoding="utf-8") if home_file.is_file() else ""
    text = SiteText(home_intro=intro, site_name=site_name, site_url=site_url)
    try:
        generated = generate_pages(articles_dir, text, strict=strict, display_root=Path.cwd())
    except ArchiveError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    for problem in generated.problems:
        click.echo(str(problem), err=True)
    try:
        written = write_pages(generated.pages, generated.files, out_dir)
    except OutputError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"{out_dir}: cannot write the pages: {exc.strerror or exc}", err=True)
        sys.exit(1)
    click.echo(f"wrote {written} pages to {out_dir}", err=True)


@main.command()
@articles_option
def record(articles_dir: Path) -> None:
    """Record every page address as published (in articles/published.yml), so later
    changes of title, slug, date or name keep the old address working.

    Run it after each publication and commit the file; builds never write it.
    """
    try:
        added = record_published(articles_dir, display_root=Path.cwd())
    except ArchiveError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"{articles_dir}: cannot write the record: {exc}", err=True)
        sys.exit(1)
    click.echo(f"recorded {added} new address(es) in {articles_dir / PUBLISHED_FILE}", err=True)
