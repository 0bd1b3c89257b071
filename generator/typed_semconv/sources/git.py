"""Cloning a git repository at a tag, branch or commit, without prompting for credentials and
within a time limit per command; links are checked out as plain files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Problem
from typed_semconv.sources.limits import Limits
from typed_semconv.sources.parsing import RegistryReference, is_local_git, redact

_COMMITISH = re.compile(r"^[0-9a-fA-F]{4,40}$")


def clone(url: str, reference: RegistryReference, tree: Path, limits: Limits) -> str:
    """Clone `url` at `reference.ref` into `tree` (without its .git folder); returns the
    commit. Shallow for a tag or branch; a full clone and checkout for a commit."""
    git = shutil.which("git")
    if git is None:
        raise Problem(
            catalogue.SOURCE_GIT_FAILED,
            f"cannot fetch `{reference.display}`: git is not installed (not found on PATH)",
            hint="install git, or use a release archive (.tar.gz / .zip) instead",
        )
    # Links are checked out as small text files: a repository cannot point outside itself.
    base = [git, "-c", "core.symlinks=false", "-c", "advice.detachedHead=false"]
    ref = reference.ref
    branch = ["--branch", ref] if ref else []
    shallow = _run_git(
        [*base, "clone", "--quiet", "--depth", "1", *branch, "--", url, str(tree)], limits
    )
    if shallow.returncode != 0:
        if ref is None or not _COMMITISH.fullmatch(ref):
            raise _git_failed(reference, shallow)
        shutil.rmtree(tree, ignore_errors=True)
        full = _run_git([*base, "clone", "--quiet", "--no-checkout", "--", url, str(tree)], limits)
        if full.returncode != 0:
            raise _git_failed(reference, full)
        # `ref` never starts with `-` (see _check_ref), so it cannot be read as an option.
        found = _run_git(
            [git, "-C", str(tree), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
            limits,
        )
        if found.returncode != 0:
            raise Problem(
                catalogue.SOURCE_GIT_FAILED,
                f"cannot fetch `{reference.display}`: no tag, branch or commit `{ref}`",
                hint="check the ref after `@` (git ls-remote <url> lists tags and branches)",
            )
        checkout = _run_git(
            [*base, "-C", str(tree), "checkout", "--quiet", "--detach", found.stdout.strip()],
            limits,
        )
        if checkout.returncode != 0:
            raise _git_failed(reference, checkout)
    head = _run_git([git, "-C", str(tree), "rev-parse", "HEAD"], limits)
    if head.returncode != 0:
        raise _git_failed(reference, head)
    shutil.rmtree(tree / ".git")
    return head.stdout.strip()


def _run_git(command: list[str], limits: Limits) -> _GitResult:
    timeout = limits.git_timeout
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GCM_INTERACTIVE": "never"}
    try:
        result = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return _GitResult(124, "", f"git took longer than {timeout:.0f} s")
    except OSError as exc:
        return _GitResult(127, "", f"cannot run git: {exc}")
    return _GitResult(result.returncode, result.stdout, result.stderr)


@dataclass(frozen=True)
class _GitResult:
    returncode: int
    stdout: str
    stderr: str


def _git_failed(reference: RegistryReference, result: _GitResult) -> Problem:
    lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    serious = [line for line in lines if not line.startswith(("warning:", "hint:"))]
    detail = redact(" / ".join((serious or lines)[-3:]))
    detail = detail or f"git exited with status {result.returncode}"
    hint = "check the URL and the ref after `@`"
    if is_local_git(reference.location) or reference.location.startswith("file:"):
        hint += " (a local repository path must exist)"
    else:
        hint += "; private repositories need credentials git can use without prompting"
    return Problem(
        catalogue.SOURCE_GIT_FAILED, f"cannot fetch `{reference.display}`: {detail}", hint=hint
    )
