"""Samples from a file or standard input, read as they come.

The input is JSON lines (one OTLP export request or weaver sample per line, as the Collector's
file exporter writes), or one JSON document (a weaver sample list, or an OTLP request spread over
several lines). Each line is assessed as soon as it is read, so a pipe streams. A line or
document that cannot be read becomes an `InputProblem` and reading goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from typed_semconv.livecheck.otlp_json import SampleError, document_samples
from typed_semconv.livecheck.samples import Batch

MAX_DOCUMENT_CHARS = 64 * 1024 * 1024


@dataclass(frozen=True)
class InputProblem:
    location: str
    message: str


def _samples(document: object, location: str) -> Batch | InputProblem:
    try:
        return Batch(tuple(document_samples(document)), location)
    except SampleError as exc:
        return InputProblem(location, str(exc))


def _parse(text: str, location: str) -> Batch | InputProblem:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return InputProblem(
            location, f"not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        )
    except RecursionError:
        return InputProblem(location, "JSON nests too deeply")
    return _samples(document, location)


def _too_long(location: str) -> InputProblem:
    return InputProblem(location, f"longer than {MAX_DOCUMENT_CHARS} characters; skipped")


def read_input(stream: TextIO, label: str) -> Iterator[Batch | InputProblem]:
    """Batches of samples (origin `label:line`) and problems, in input order."""
    number = 0
    while True:
        line = stream.readline(MAX_DOCUMENT_CHARS + 1)
        if not line:
            return
        number += 1
        location = f"{label}:{number}"
        if len(line) > MAX_DOCUMENT_CHARS:
            yield _too_long(location)
            while line and not line.endswith("\n"):  # skip the rest of the line
                line = stream.readline(MAX_DOCUMENT_CHARS)
            continue
        stripped = line.strip()
        if not stripped:
            continue
        try:
            document = json.loads(stripped)
        except json.JSONDecodeError as exc:
            if exc.pos < len(stripped):
                yield InputProblem(location, f"not JSON: {exc.msg} (column {exc.colno})")
                continue
            # The parser ran out of text: one document spread over several lines.
            rest = stream.read(MAX_DOCUMENT_CHARS + 1 - len(line))
            if len(line) + len(rest) > MAX_DOCUMENT_CHARS:
                yield _too_long(location)
            else:
                yield _parse(line + rest, location)
            return
        except RecursionError:
            yield InputProblem(location, "JSON nests too deeply")
            continue
        yield _samples(document, location)
