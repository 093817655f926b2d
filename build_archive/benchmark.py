"""`build-archive bench`: how the archive builds at scale, as a table.

For each archive (Reuters-21578 imported with the importer, and the synthetic one)
it measures, each step in a fresh process so that peak memory is the step's own:
generation alone (beside a minimal reference generator, the yardstick its target was
set against), `mkdocs build` with and without search for this project and for bare
MkDocs over the same generated pages, the site's size, what a reader downloads for a
first search, and an editor's preview under `mkdocs serve`, from a save to the reload.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .benchmark_preview import retitled
from .benchmark_reference import TARGET_SHARE
from .load import RACY_NS
from .pagefind_format import UnknownLayout
from .parallel import map_in_workers
from .search import COMMON_WORDS_FILE
from .synthetic import write_synthetic_archive
from .word_index import PARALLEL_FROM_PARTS, part_words

# Next to the project, as the team's corpora are; `bench --reuters PATH` names another.
REUTERS = Path("../shared/corpora/reuters-21578/reuters21578.jsonl.gz")
GIB = 1024 ** 3


@dataclass(frozen=True)
class Step:
    seconds: float
    peak_bytes: int
    output: str = ""

    @property
    def search_peak_bytes(self) -> int:
        """Pagefind's own peak, which a build with search reports."""
        found = re.findall(r"Pagefind peaked at ([\d,]+) MiB", self.output)
        return int(found[-1].replace(",", "")) * 1024 ** 2 if found else 0


@dataclass(frozen=True)
class Row:
    archive: str
    articles: int
    generation: Step
    generation_again: Step  # `render --out` again after one story was retitled, from the cache of the first
    reference: Step  # the minimal reference generator over the same articles, run right after generation
    reference_yaml: float  # seconds of it spent parsing front-matter with PyYAML's C loader
    ours_no_search: Step
    ours_search: Step
    bare_no_search: Step
    bare_search: Step
    preview_edit: float  # seconds from a save to the reload under `mkdocs serve` (the median of three edits)
    preview_pages: int  # pages MkDocs built again in that rebuild
    preview_slowest: float  # seconds for the slowest of the three
    pages: int
    site_bytes: int
    first_search_bytes: int


# Linux counts a child's peak memory from the size of the process that forked it, so
# each step is started by this small launcher rather than by the benchmark itself.
_LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
print(f"STEP {time.perf_counter() - start:.3f} {usage.ru_maxrss * 1024} {os.waitstatus_to_exitcode(status)}")
"""


def run_step(command: list[str], cwd: Path) -> Step:
    """Run a command; its wall time and its peak resident memory."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    # The disk first writes out what earlier steps left in memory (hundreds of megabytes
    # of pages and sites), which would otherwise slow this step's own writing.
    os.sync()
    result = subprocess.run([sys.executable, "-c", _LAUNCHER, *command], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    found = re.findall(r"^STEP (\S+) (\d+) (-?\d+)$", result.stdout, re.M)
    if not found or found[-1][2] != "0":
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}")
    seconds, peak, _ = found[-1]
    return Step(float(seconds), int(peak), result.stdout)


def prepare_synthetic(articles_dir: Path, count: int) -> int:
    # 400 places and 600 actors for 20,000 articles; a smaller trial run gets fewer.
    return write_synthetic_archive(articles_dir, articles=count, places=min(400, max(5, count // 50)),
                                   actors=min(600, max(8, count // 33)))


def prepare_reuters(articles_dir: Path, count: int) -> int:
    """Import the Reuters stories with the project's importer: places, people and orgs."""
    from .importer import ImportOptions, plan_import, write_articles
    from .record import FieldMap

    articles_dir.mkdir(parents=True, exist_ok=True)
    options = ImportOptions(fields=FieldMap.parse(["actors=people,orgs"]), source="Reuters", propose=False)
    plan = plan_import([REUTERS.resolve()], articles_dir, options)
    articles = plan.articles[:count] if count else plan.articles
    written = write_articles(type(plan)(articles, plan.rejected), articles_dir)
    print(f"  imported {len(written.written)} stories; {plan.summary().splitlines()[0]}", flush=True)
    return len(written.written)


def _project(root: Path, project_root: Path, *, plugin: bool, search: bool, docs: Path | None = None) -> Path:
    """A copy of the site configuration, with this project's plugin (and its Pagefind
    search), or bare MkDocs over the generated pages (and Material's own search)."""
    config = (project_root / "mkdocs.yml").read_text(encoding="utf-8")
    plugins = ["  - search"] if search and not plugin else []
    if plugin:
        plugins.append(f"  - archive:\n      articles_dir: articles\n      search_index: {str(search).lower()}")
    config = re.sub(r"^plugins:\n(?:  .*\n|    .*\n)+", "plugins:\n" + "\n".join(plugins) + "\n" if plugins
                    else "plugins: []\n", config, flags=re.M)
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(docs or project_root / "docs", root / "docs", dirs_exist_ok=True)
    shutil.copytree(project_root / "overrides", root / "overrides", dirs_exist_ok=True)  # the theme's custom_dir
    return root


def _dir_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def first_search_bytes(site: Path) -> int:
    """What a browser downloads to answer a reader's first search, by engine.

    Material's search: its worker script and the whole search_index.json. Pagefind: its
    script (the gzipped copy the search page fetches, when there is one), entry, the
    language's WebAssembly, metadata, and (an upper bound for one word) the largest part
    of the word index that a search fetches: the commonest words, which the search page
    leaves out of a search, are alone in their parts, and those are not counted."""
    pagefind = site / "pagefind"
    if pagefind.is_dir():
        script = "pagefind.js.gz" if (pagefind / "pagefind.js.gz").is_file() else "pagefind.js"
        wasm = max((p.stat().st_size for p in pagefind.glob("wasm.*")), default=0)
        total = wasm + sum(p.stat().st_size for pattern in (script, "pagefind-entry.json", "pagefind.*.pf_meta")
                           for p in pagefind.glob(pattern))
        common_file = pagefind / COMMON_WORDS_FILE
        common = set(json.loads(common_file.read_text(encoding="utf-8"))) if common_file.is_file() else set()
        parts = sorted((pagefind / "index").glob("*")) if (pagefind / "index").is_dir() else []
        searched = map_in_workers(_searched_part_size, [(path, common) for path in parts],
                                  parallel_from=PARALLEL_FROM_PARTS)
        return total + max(searched, default=0)
    index = site / "search" / "search_index.json"
    if not index.is_file():
        return 0
    workers = site / "assets" / "javascripts" / "workers"
    return index.stat().st_size + sum(p.stat().st_size for p in workers.glob("search*.js"))


def _searched_part_size(part: tuple[Path, set[str]]) -> int:
    """A part's size, or 0 when a search never fetches it (it holds only common words)."""
    path, common = part
    try:
        if common and set(part_words(path)) <= common:
            return 0
    except UnknownLayout:
        pass  # counted, as an upper bound should
    return path.stat().st_size


def bench_archive(name: str, prepare: Callable[[Path, int], int], count: int, work: Path,
                  project_root: Path) -> Row:
    print(f"{name}: preparing the archive", flush=True)
    ours = _project(work / "ours", project_root, plugin=True, search=False)
    start = time.perf_counter()
    articles = prepare(ours / "articles", count)
    print(f"  {articles} articles ready in {time.perf_counter() - start:.1f} s", flush=True)
    # Files younger than a clock tick or two are read again by the next generation: an
    # archive just written would make the generation after one edit read thousands.
    time.sleep(RACY_NS / 1e9)
    python = sys.executable

    print(f"{name}: generation alone", flush=True)
    render = [python, "-m", "build_archive", "render", "--out", str(work / "pages"),
              "--articles", "articles", "--home", "docs/index.md"]
    generation = run_step(render, ours)
    pages = sum(1 for _ in (work / "pages").rglob("*.md"))
    print(f"{name}: the minimal reference generator", flush=True)
    reference = run_step([python, "-m", "build_archive.benchmark_reference", "articles", str(work / "reference")],
                         ours)
    reference_yaml = float(re.findall(r"^REFERENCE (\S+)$", reference.output, re.M)[-1])
    print(f"{name}: generation again, after a story is retitled", flush=True)
    stories = sorted((ours / "articles").rglob("*.md"))
    # A title of its own: the preview retitles another story later, maybe in the same month,
    # and two stories of a month with the same title would ask for the same address.
    story, text = retitled(stories[len(stories) // 5], "Retitled before the second generation")
    story.write_text(text, encoding="utf-8")
    generation_again = run_step(render, ours)
    print("  " + re.findall(r"^wrote .*$", generation_again.output, re.M)[-1], flush=True)

    def mkdocs(project: Path, site: str) -> Step:
        print(f"{name}: mkdocs build in {project.name} → {site}", flush=True)
        return run_step([python, "-m", "mkdocs", "build", "--site-dir", str(work / site)], project)

    ours_no_search = mkdocs(ours, "site-ours")
    ours_search_project = _project(work / "ours-search", project_root, plugin=True, search=True)
    os.symlink(ours / "articles", ours_search_project / "articles")
    ours_search = mkdocs(ours_search_project, "site-ours-search")
    bare_docs = work / "pages"
    for extra in (project_root / "docs").rglob("*"):
        if extra.is_file() and extra.name != "index.md":  # the home page is generated
            target = bare_docs / extra.relative_to(project_root / "docs")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(extra, target)
    bare_no_search = mkdocs(_project(work / "bare", project_root, plugin=False, search=False,
                                     docs=bare_docs), "site-bare")
    bare_search = mkdocs(_project(work / "bare-search", project_root, plugin=False, search=True,
                                  docs=bare_docs), "site-bare-search")

    print(f"{name}: preview: a story retitled, one given a place, one added", flush=True)
    files = sorted((ours / "articles").rglob("*.md"))
    edited = [str(files[len(files) * k // 4]) for k in (1, 2, 3)]
    # A preview keeps the search index of its first build, so its project has no search.
    preview = run_step([python, "-m", "build_archive.benchmark_preview", str(ours), *edited], ours)
    seconds, rebuilt, slowest = re.search(r"PREVIEW (\S+) (\d+) (\S+)", preview.output).groups()
    site = work / "site-ours-search"
    row = Row(name, articles, generation, generation_again, reference, reference_yaml,
              ours_no_search, ours_search, bare_no_search, bare_search,
              float(seconds), int(rebuilt), float(slowest), pages, _dir_bytes(site), first_search_bytes(site))
    return row


def format_table(rows: list[Row]) -> str:
    def mib(n: int) -> str:
        return f"{n / 1024 ** 2:,.0f} MiB"

    header = ("| archive | articles | pages | generation | reference generator (its YAML) | generation ÷ reference "
              f"(target ≤ {TARGET_SHARE:.2f}) | generation after one edit (÷ reference) | build, no search (bare) | "
              "build, search (bare) | peak memory, search (bare) | search indexing | site | "
              "first search | preview after one edit |")
    lines = [header, "|" + "---|" * header.count(" | ") + "---|"]
    for r in rows:
        lines.append(
            f"| {r.archive} | {r.articles:,} | {r.pages:,} | {r.generation.seconds:.1f} s, "
            f"{mib(r.generation.peak_bytes)} | {r.reference.seconds:.1f} s ({r.reference_yaml:.1f} s) "
            f"| {r.generation.seconds / r.reference.seconds:.2f} "
            f"| {r.generation_again.seconds:.1f} s, {mib(r.generation_again.peak_bytes)} "
            f"({r.generation_again.seconds / r.reference.seconds:.2f}) "
            f"| {r.ours_no_search.seconds:.0f} s ({r.bare_no_search.seconds:.0f} s) "
            f"| {r.ours_search.seconds:.0f} s ({r.bare_search.seconds:.0f} s) "
            f"| {mib(r.ours_search.peak_bytes)} ({mib(r.bare_search.peak_bytes)}) "
            f"| {mib(r.ours_search.search_peak_bytes)} "
            f"| {mib(r.site_bytes)} | {r.first_search_bytes / 1024:,.0f} KiB "
            f"| {r.preview_edit:.1f} s, {r.preview_pages} pages (slowest {r.preview_slowest:.1f} s) |")
    return "\n".join(lines)


def run_benchmark(project_root: Path, *, archives: tuple[str, ...] = ("reuters", "synthetic"),
                  count: int = 0, keep: Path | None = None) -> list[Row]:
    preparers = {"reuters": prepare_reuters, "synthetic": prepare_synthetic}
    rows = []
    started = time.perf_counter()
    work_root = Path(tempfile.mkdtemp(prefix="archive-bench-")) if keep is None else keep
    try:
        for name in archives:
            size = count or (0 if name == "reuters" else 20_000)
            rows.append(bench_archive(name, preparers[name], size, work_root / name, project_root))
            print(json.dumps(_as_json(rows[-1])), flush=True)
    finally:
        if keep is None:
            shutil.rmtree(work_root, ignore_errors=True)
    load = os.getloadavg()
    print(f"\nmachine: {os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
          f"(1/5/15 min); benchmark took {time.perf_counter() - started:.0f} s\n", flush=True)
    return rows


def _as_json(row: Row) -> dict:
    result = {}
    for key, value in row.__dict__.items():
        result[key] = {"seconds": round(value.seconds, 2), "peak_bytes": value.peak_bytes} \
            if isinstance(value, Step) else value
    return result
