"""Telling a plain local folder from the other registry references without importing the
fetching machinery (archives, git, HTTP), which a local run never needs."""

from __future__ import annotations

import re

_SPECIAL_REFERENCE = re.compile(r"://|[\[@]|\.(zip|tar\.gz|tgz|git)$")


def plain_folder(reference: str) -> bool:
    """A reference that is just a local folder path: no archive, URL, git ref or sub-folder.

    Such references skip `sources` (and its network and archive imports) entirely.
    """
    return _SPECIAL_REFERENCE.search(reference) is None
