"""What runs around a commit: the pre-commit hook and the GitHub Actions workflow."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT, write_files

BIN = Path(sys.executable).parent
WORKFLOW = ROOT / ".github/workflows/site.yml"


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})))


def test_the_workflow_passes_actionlint():
    result = run(str(BIN / "actionlint"), "-no-color", "-oneline", str(WORKFLOW), cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_broken_workflow(tmp_path: Path):
    broken = WORKFLOW.read_text().replace("needs: build", "needs: biuld")
    (tmp_path / "site.yml").write_text(broken)
    result = run(str(BIN / "actionlint"), "-no-color", "-oneline", str(tmp_path / "site.yml"), cwd=tmp_path)
    assert result.returncode == 1 and "biuld" in result.stdout


def test_the_workflow_checks_and_builds_pull_requests_and_deploys_main():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    build = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in build]
    assert "build-archive check" in runs and "mkdocs build --strict" in runs
    build_step = next(step for step in build if step.get("run") == "mkdocs build --strict")
    assert "steps.pages.outputs.base_url" in build_step["env"]["SITE_URL"]
    uses = [step.get("uses", "").split("@")[0] for step in build]
    assert "actions/configure-pages" in uses and "actions/upload-pages-artifact" in uses
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and "pull_request" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_the_hook_definition_is_valid_for_pre_commit():
    for command in (("validate-manifest", ".pre-commit-hooks.yaml"), ("validate-config", ".pre-commit-config.yaml")):
        result = run(str(BIN / "pre-commit"), *command, cwd=ROOT)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_hook_stops_a_commit_of_a_broken_article(tmp_path: Path):
    repo = tmp_path / "repo"
    repo.mkdir()
    installed = (ROOT / ".venv/.installed").stat().st_mtime
    for name in ("Makefile", "pyproject.toml", "constraints.txt", ".pre-commit-config.yaml"):
        shutil.copy(ROOT / name, repo / name)
        os.utime(repo / name, (installed - 1, installed - 1))  # make: the environment is up to date
    shutil.copytree(ROOT / "articles", repo / "articles")
    (repo / ".venv").symlink_to(ROOT / ".venv")
    (repo / ".gitignore").write_text(".venv\n")
    env = {"PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "Editor",
           "GIT_AUTHOR_EMAIL": "editor@example.org", "GIT_COMMITTER_NAME": "Editor",
           "GIT_COMMITTER_EMAIL": "editor@example.org", "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    for command in (("git", "init", "-q"), ("pre-commit", "install"), ("git", "add", "."),
                    ("git", "commit", "-q", "-m", "The archive")):
        result = run(*command, cwd=repo, env=env)
        assert result.returncode == 0, result.stdout + result.stderr

    write_files(repo, {"articles/2016/bad.md": "---\ntitle: Libya: the battle\ndate: 2016-01-01\n---\nText\n"})
    run("git", "add", ".", cwd=repo, env=env)
    result = run("git", "commit", "-q", "-m", "A broken article", cwd=repo, env=env)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "check the news archive's articles" in output and "Failed" in output
    assert "articles/2016/bad.md:2:" in output and "quoted" in output
    assert run("git", "log", "--oneline", cwd=repo).stdout.count("\n") == 1
