"""Problems found in the input, and the one exception the project raises."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in the input; line and column are 1-based."""

    path: str
    line: int
    column: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity.value}: {self.message}"


def report_order(problem: Problem) -> tuple:
    """The order problems are reported in, by file and line: the order comparing them
    gives, as a sort key, so that sorting a large archive's tens of thousands of warnings
    does not build two tuples at every comparison."""
    return problem.path, problem.line, problem.column, problem.severity, problem.message


def error(path: str, line: int, column: int, message: str) -> Problem:
    return Problem(path, line, column, Severity.ERROR, message)


def warning(path: str, line: int, column: int, message: str) -> Problem:
    return Problem(path, line, column, Severity.WARNING, message)


def has_errors(problems: Iterable[Problem], *, strict: bool = False) -> bool:
    """True when the problems must stop a build; with strict, warnings stop it too."""
    return any(strict or p.severity is Severity.ERROR for p in problems)


def format_problems(problems: Iterable[Problem]) -> str:
    return "\n".join(str(p) for p in sorted(problems, key=report_order))


class ArchiveError(Exception):
    """Raised when the input has errors; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(sorted(problems, key=report_order))
        super().__init__(format_problems(self.problems))
