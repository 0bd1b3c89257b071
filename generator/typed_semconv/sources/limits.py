"""What fetching a registry may cost: bytes, members, seconds."""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024
GiB = 1024 * MiB


@dataclass(frozen=True)
class Limits:
    """Bounds on what a source may cost; the defaults suit real semantic-convention releases
    (about 3 MiB packed, 20 MiB unpacked, a few thousand files)."""

    max_download_bytes: int = 512 * MiB
    max_members: int = 50_000
    max_total_bytes: int = 1 * GiB
    timeout: float = 60.0  # seconds a network read may wait
    # Seconds a whole download may take: a server that sends a byte now and then never lets a
    # read time out, yet must not hold a run for hours. 3 MiB at 10 KiB/s takes 5 minutes.
    download_deadline: float = 600.0
    git_timeout: float = 900.0  # seconds one git command may take


DEFAULT_LIMITS = Limits()
