"""Downloading a remote archive: within size limits, a per-read timeout and an overall
deadline, with a progress line on a terminal."""

from __future__ import annotations

import hashlib
import http.client
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from typed_semconv import __version__
from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Problem
from typed_semconv.sources.limits import Limits, MiB
from typed_semconv.sources.parsing import url_label

_CHUNK = 256 * 1024


class _Meter:
    """A one-line progress display on stderr, at most ten updates a second."""

    def __init__(self, label: str, total: int | None, enabled: bool) -> None:
        self.label = label
        self.total = total
        self.enabled = enabled
        self.shown = False
        self.last = 0.0

    def update(self, received: int, final: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not final and now - self.last < 0.1):
            return
        self.last = now
        done = f"{received / MiB:.1f}"
        size = f" / {self.total / MiB:.1f}" if self.total else ""
        sys.stderr.write(f"\rdownloading {self.label}: {done}{size} MiB")
        sys.stderr.flush()
        self.shown = True

    def close(self, received: int) -> None:
        if self.shown:
            self.update(received, final=True)
            sys.stderr.write("\n")
            sys.stderr.flush()


def download(url: str, target: Path, limits: Limits, progress: bool, display: str) -> str:
    """Download `url` into `target` (a new file); returns the sha256 of the bytes.

    A read gives up after `limits.timeout` seconds of silence, but a server that sends a byte
    now and then never lets it: so the transfer runs in a worker thread that is waited for at
    most `limits.download_deadline` seconds in all. A worker given up on stops at its next read
    and writes nothing more (and, a daemon, never keeps the process alive).
    """
    transfer = _Transfer(url, target, limits, progress, display)
    worker = threading.Thread(target=transfer.run, name="typed-semconv download", daemon=True)
    worker.start()
    worker.join(limits.download_deadline)
    if worker.is_alive():
        transfer.give_up()
        raise _failed(
            display,
            f"it took longer than {limits.download_deadline:g} s",
            "the server sends too slowly; try again later, or download the archive yourself "
            "and give its local path",
        )
    if transfer.error is not None:
        raise transfer.error
    return transfer.digest.hexdigest()


def _failed(display: str, reason: str, hint: str | None = None) -> Problem:
    return Problem(
        catalogue.SOURCE_DOWNLOAD_FAILED, f"cannot download `{display}`: {reason}", hint=hint
    )


class _Transfer:
    """One download, run by a worker thread; its outcome is `digest` or `error`."""

    def __init__(self, url: str, target: Path, limits: Limits, progress: bool, display: str):
        self.url = url
        self.target = target
        self.limits = limits
        self.display = display
        self.digest = hashlib.sha256()
        self.error: Exception | None = None
        self.meter = _Meter(url_label(url), None, progress)
        self.received = 0
        self._given_up = threading.Event()

    def give_up(self) -> None:
        """Called when the deadline passed: the worker stops at its next read."""
        self._given_up.set()
        self.meter.close(self.received)

    def run(self) -> None:
        try:
            self._transfer()
        except Exception as exc:  # handed to the waiting thread, which raises it
            self.error = exc
        finally:
            if not self._given_up.is_set():
                self.meter.close(self.received)

    def _transfer(self) -> None:
        limits = self.limits
        too_large = (
            f"larger than the {limits.max_download_bytes // MiB} MiB limit",
            "registry archives are a few MiB; check the URL",
        )
        headers = {"User-Agent": f"typed-semconv/{__version__}"}
        request = urllib.request.Request(self.url, headers=headers)
        try:
            with (
                urllib.request.urlopen(request, timeout=limits.timeout) as response,
                self.target.open("xb") as out,
            ):
                header = (response.headers.get("Content-Length") or "").strip()
                expected = int(header) if header.isdigit() else None
                if expected is not None and expected > limits.max_download_bytes:
                    raise _failed(self.display, *too_large)
                self.meter.total = expected
                # `read1` returns what has arrived (up to a chunk) rather than wait for a
                # whole chunk, so a slow server is noticed at every read.
                while not self._given_up.is_set() and (chunk := response.read1(_CHUNK)):
                    self.received += len(chunk)
                    if self.received > limits.max_download_bytes:
                        raise _failed(self.display, *too_large)
                    self.digest.update(chunk)
                    out.write(chunk)
                    if not self._given_up.is_set():
                        self.meter.update(self.received)
                if expected is not None and self.received != expected:
                    raise _failed(
                        self.display,
                        f"the connection ended after {self.received} of {expected} bytes",
                        "try again; nothing was cached",
                    )
        except urllib.error.HTTPError as exc:
            raise _failed(self.display, f"HTTP {exc.code} {exc.reason}", "check the URL") from exc
        except urllib.error.URLError as exc:
            raise _failed(self.display, str(exc.reason), "check the URL and the network") from exc
        except (TimeoutError, http.client.HTTPException, OSError, ValueError) as exc:
            raise _failed(
                self.display, f"{type(exc).__name__}: {exc}", "try again; nothing was cached"
            ) from exc
