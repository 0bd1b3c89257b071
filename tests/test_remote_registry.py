"""Remote registries end to end through the command line: fetched once over (loopback) HTTP into
the cache, then used offline; pins and missing cache entries end in diagnostics."""

from __future__ import annotations

import hashlib
import http.server
import io
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, run_cli


class _Server(http.server.ThreadingHTTPServer):
    payload = b""
    requests = 0


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.requests += 1
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.server.payload)))
        self.end_headers()
        self.wfile.write(self.server.payload)

    def log_message(self, *args: object) -> None:
        pass


def release_archive() -> bytes:
    """Our small registry laid out like a release tarball: `registry-1.0.0/model/...`."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.add(REPO / "tests" / "fixtures" / "small", arcname="registry-1.0.0/model")
    return buffer.getvalue()


@pytest.fixture
def server() -> Iterator[_Server]:
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.payload = release_archive()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def url(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/registry-1.0.0.tar.gz[model]"


def test_fetched_once_then_generated_offline_from_the_cache(
    server: _Server, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = run_cli(
        "generate",
        "--registry",
        url(server),
        "--cache-dir",
        cache,
        "--output",
        tmp_path / "a",
        "--package",
        "pottery",
        "-q",
    )
    assert first.returncode == 0, first.stderr
    assert server.requests == 1
    second = run_cli(
        "generate",
        "--registry",
        url(server),
        "--cache-dir",
        cache,
        "--offline",
        "--output",
        tmp_path / "b",
        "--package",
        "pottery",
        "-q",
    )
    assert second.returncode == 0, second.stderr
    assert server.requests == 1
    produced = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.py"))
    assert produced and all(
        (tmp_path / "a" / p).read_bytes() == (tmp_path / "b" / p).read_bytes() for p in produced
    )


def test_offline_without_a_cache_entry_is_a_clear_error(server: _Server, tmp_path: Path) -> None:
    result = run_cli(
        "check", "--registry", url(server), "--cache-dir", tmp_path / "empty", "--offline"
    )
    assert result.returncode == 1
    assert "[source-offline-missing]" in result.stderr
    assert "Traceback" not in result.stderr
    assert server.requests == 0


def test_a_pinned_registry_in_pyproject_is_verified(server: _Server, tmp_path: Path) -> None:
    good = hashlib.sha256(server.payload).hexdigest()
    for pin, expected in ((good, 0), ("0" * 64, 1)):
        project = tmp_path / f"project-{expected}"
        project.mkdir()
        (project / "pyproject.toml").write_text(
            "[tool.typed-semconv]\n"
            f'registry = [{{source = "{url(server)}", sha256 = "{pin}"}}]\n'
            f'cache-dir = "cache"\noutput = "src"\npackage = "pottery"\n',
            encoding="utf-8",
        )
        result = run_cli("generate", "-q", cwd=project)
        assert result.returncode == expected, result.stderr
        if expected:
            assert "[source-checksum-mismatch]" in result.stderr
            assert not (project / "src").exists()
