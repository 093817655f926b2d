"""Show problems to people and to tools: plain lines, GitHub Actions annotations, JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from .problem import Problem, Severity

FORMATS = ("text", "github", "json")


def choose_format(requested: str | None, environ: Mapping[str, str]) -> str:
    """The format asked for; by default annotations under GitHub Actions, else text."""
    if requested:
        return requested
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def count_problems(problems: Sequence[Problem]) -> tuple[int, int]:
    errors = sum(p.severity is Severity.ERROR for p in problems)
    return errors, len(problems) - errors


def format_summary(problems: Sequence[Problem]) -> str:
    errors, warnings = count_problems(problems)
    return f"{errors} error(s), {warnings} warning(s)"


def format_grouped(problems: Sequence[Problem]) -> list[str]:
    """Every error, and each distinct warning once, at its first place, with how many more
    there are like it: for a build's log, where a name missing from a registry in 12,000
    wire stories would otherwise take 12,000 lines. `build-archive check` lists every one."""
    first: dict[object, Problem] = {}
    count: dict[object, int] = {}
    for problem in problems:
        key = problem if problem.severity is Severity.ERROR else problem.message
        first.setdefault(key, problem)
        count[key] = count.get(key, 0) + 1
    return [str(problem) if count[key] == 1 or problem.severity is Severity.ERROR else
            f"{problem} [and {count[key] - 1:,} more like it: `build-archive check` lists every one]"
            for key, problem in first.items()]


def format_annotation(problem: Problem) -> str:
    """A workflow command that GitHub shows on the file's line in a pull request:
    ::error file=articles/a.md,line=3,col=7,title=…::message"""
    properties = ",".join(f"{key}={_escape_property(str(value))}" for key, value in (
        ("file", problem.path), ("line", problem.line), ("col", problem.column),
        ("title", f"build-archive check: {problem.severity.value}")))
    return f"::{problem.severity.value} {properties}::{_escape_data(problem.message)}"


def format_json(problems: Sequence[Problem]) -> str:
    """One JSON document: every problem, and the counts."""
    errors, warnings = count_problems(problems)
    return json.dumps({
        "problems": [{"path": p.path, "line": p.line, "column": p.column,
                      "severity": p.severity.value, "message": p.message} for p in problems],
        "errors": errors,
        "warnings": warnings,
    }, indent=2, ensure_ascii=False)


# GitHub's escaping for workflow commands (actions/toolkit, command.ts).
def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
