"""`did you mean ...?` hints: one rule for how close a known name must be to a misspelt one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# difflib's similarity ratio a candidate needs: `breif` -> `brief` (0.8), `strng` -> `string`
# (0.91) and `kiln.cone_x` -> `kiln.cone` pass, unrelated names of similar length do not.
CUTOFF = 0.7


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The known name most like `name`, if any is close enough."""
    found = difflib.get_close_matches(name, list(candidates), n=1, cutoff=CUTOFF)
    return found[0] if found else None


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the candidate most like `name`, or None when none is close."""
    found = closest(name, candidates)
    return f"did you mean `{found}`?" if found is not None else None
