"""The `build-archive` command: a thin shell over the library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .output import OutputError, write_pages
from .pipeline import check_articles, generate_pages
from .problem import ArchiveError, Severity, has_errors
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
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def render(articles_dir: Path, out_dir: Path, home_file: Path, strict: bool) -> None:
    """Write the generated pages as Markdown files, for any MkDocs-compatible engine."""
    intro = home_file.read_text(encoding="utf-8") if home_file.is_file() else ""
    try:
        generated = generate_pages(articles_dir, SiteText(home_intro=intro), strict=strict,
                                   display_root=Path.cwd())
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
