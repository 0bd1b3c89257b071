"""Registry references made into folders (`typed_semconv.sources`): parsing, local and remote
archives, git repositories, the cache, offline mode and hostile archives.

No outside network: remote archives are served by an `http.server` on 127.0.0.1 that counts its
requests, and git repositories are made in tmp with `git init`. Archives hold the tiny registry
in `tests/fixtures/sources/mill` (a flour mill) or the real v1.44.0 model when it is present.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import io
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tarfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from typed_semconv.diagnostics.core import Diagnostics, InputError, Problem
from typed_semconv.options import RegistrySpec, SourceOptions
from typed_semconv.sources.cache import CACHE_ENV, METADATA_NAME, default_cache_dir
from typed_semconv.sources.fetch import materialize
from typed_semconv.sources.limits import Limits
from typed_semconv.sources.parsing import RegistryReference, SourceKind, parse_reference

from conftest import real_registry

MILL = Path(__file__).resolve().parent / "fixtures" / "sources" / "mill"
GIT = shutil.which("git")
SMALL_LIMITS = Limits(max_members=20, max_total_bytes=1024 * 1024, max_download_bytes=8 * 1024**2)


# --- helpers -------------------------------------------------------------------------------


def tree_files(root: Path) -> dict[str, bytes]:
    """Every file below `root` (relative POSIX path -> bytes)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def folder_members(folder: Path, prefix: str) -> dict[str, bytes]:
    return {f"{prefix}{name}": data for name, data in tree_files(folder).items()}


def make_tgz(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return path


def make_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in files.items():
            zipped.writestr(name, data)
    return path


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cache_entries(cache: Path) -> list[Path]:
    """The complete or partial entries of a cache (its staging folder is not an entry)."""
    if not cache.exists():
        return []
    return sorted(
        entry for kind in cache.iterdir() if kind.name != "tmp" for entry in kind.iterdir()
    )


def assert_no_leftovers(cache: Path) -> None:
    assert cache_entries(cache) == []
    staging = cache / "tmp"
    assert not staging.exists() or list(staging.iterdir()) == []


def source_error(call: Callable[[], object]) -> Problem:
    with pytest.raises(Problem) as raised:
        call()
    return raised.value


# --- a loopback HTTP server ----------------------------------------------------------------


@dataclass
class Route:
    body: bytes
    # ok | truncated (Content-Length, closed early) | unsized (no length, closed early)
    # | stall (half the body, then wait for `release`)
    # | trickle (the body one byte at a time) | trickle-headers (the headers so)
    mode: str = "ok"
    status: int = 200
    sent: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


@dataclass
class ArchiveServer:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def serve(self, name: str, body: bytes, mode: str = "ok", status: int = 200) -> str:
        self.routes[f"/{name}"] = Route(body, mode, status)
        return f"{self.base}/{name}"


class _Handler(http.server.BaseHTTPRequestHandler):
    owner: ArchiveServer

    def do_GET(self) -> None:
        self.owner.requests.append(self.path)
        route = self.owner.routes.get(self.path)
        if route is None or route.status != 200:
            self.send_error(route.status if route else 404)
            return
        if route.mode.startswith("trickle"):
            self.trickle(route)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if route.mode != "unsized":
            self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        body = route.body if route.mode == "ok" else route.body[: len(route.body) // 2]
        self.wfile.write(body)
        self.wfile.flush()
        route.sent.set()
        if route.mode == "stall":
            route.release.wait(30)
        self.close_connection = True

    def trickle(self, route: Route) -> None:
        """One byte every 50 ms (each read sees data long before it would time out), for at
        most a minute, or until the test is over."""
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(route.body)}\r\n\r\n".encode()
        if route.mode == "trickle":
            self.wfile.write(head)
            self.wfile.flush()
        route.sent.set()
        slow = route.body if route.mode == "trickle" else head + route.body
        for index in range(min(len(slow), 1200)):
            if route.release.is_set():
                break
            try:
                self.wfile.write(slow[index : index + 1])
                self.wfile.flush()
            except OSError:  # the client gave up
                break
            time.sleep(0.05)
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[ArchiveServer]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    owner = ArchiveServer(f"http://127.0.0.1:{httpd.server_address[1]}")
    httpd.RequestHandlerClass = type("Handler", (_Handler,), {"owner": owner})
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield owner
    finally:
        for route in owner.routes.values():
            route.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy for loopback, and no cache location inherited from the environment."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ALL_PROXY", raising=False)
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.delenv(CACHE_ENV, raising=False)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def mill_tgz(tmp_path: Path) -> Path:
    """The mill registry as a release tarball: `mill-0.1.0/model/...` plus a README."""
    files = folder_members(MILL, "mill-0.1.0/model/")
    files["mill-0.1.0/README.md"] = b"# mill\n"
    return make_tgz(tmp_path / "mill-0.1.0.tar.gz", files)


# --- parsing -------------------------------------------------------------------------------

VALID = [
    ("models", SourceKind.LOCAL_FOLDER, "models", None, None),
    ("models[sub/dir]", SourceKind.LOCAL_FOLDER, "models", None, "sub/dir"),
    ("./x/./y[./a//b/]", SourceKind.LOCAL_FOLDER, "./x/./y", None, "a/b"),
    ("dist/semconv.zip", SourceKind.LOCAL_ARCHIVE, "dist/semconv.zip", None, None),
    ("semconv.TGZ[model]", SourceKind.LOCAL_ARCHIVE, "semconv.TGZ", None, "model"),
    ("file:///srv/semconv.tar.gz", SourceKind.LOCAL_ARCHIVE, "/srv/semconv.tar.gz", None, None),
    (
        "https://host/semconv-1.44.0.tar.gz[model]",
        SourceKind.REMOTE_ARCHIVE,
        "https://host/semconv-1.44.0.tar.gz",
        None,
        "model",
    ),
    ("http://[::1]:8080/a.zip[m]", SourceKind.REMOTE_ARCHIVE, "http://[::1]:8080/a.zip", None, "m"),
    (
        "https://host/semantic-conventions.git@v1.44.0[model]",
        SourceKind.GIT,
        "https://host/semantic-conventions.git",
        "v1.44.0",
        "model",
    ),
    (
        "https://host/x.github.io/r.git",
        SourceKind.GIT,
        "https://host/x.github.io/r.git",
        None,
        None,
    ),
    ("git+https://host/org/repo@main", SourceKind.GIT, "https://host/org/repo", "main", None),
    ("git+https://host/org/repo[m]", SourceKind.GIT, "https://host/org/repo", None, "m"),
    (
        "ssh://git@host/org/repo.git@feature/x[a/b]",
        SourceKind.GIT,
        "ssh://git@host/org/repo.git",
        "feature/x",
        "a/b",
    ),
    ("ssh://git@host/org/repo@v2", SourceKind.GIT, "ssh://git@host/org/repo", "v2", None),
    ("file:///srv/r.git@0a1b2c3", SourceKind.GIT, "file:///srv/r.git", "0a1b2c3", None),
    ("/srv/repos/r.git@v1[model]", SourceKind.GIT, "/srv/repos/r.git", "v1", "model"),
    ("../r.git", SourceKind.GIT, "../r.git", None, None),
]


@pytest.mark.parametrize(("text", "kind", "location", "ref", "subfolder"), VALID)
def test_parse_reference(
    text: str, kind: SourceKind, location: str, ref: str | None, subfolder: str | None
) -> None:
    reference = parse_reference(text)
    assert reference == RegistryReference(kind, location, ref, subfolder)
    assert parse_reference(str(reference)) == reference  # the written form round-trips


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("models\n[x]", "control characters"),
        ("x.zip[a", "without a closing"),
        ("x.zip]", "without an opening"),
        ("[model]", "needs a location"),
        ("x.zip[]", "is empty"),
        ("x.zip[../up]", "`..`"),
        ("x.zip[a/../../b]", "`..`"),
        ("x.zip[/abs]", "must be relative"),
        ("x.zip[C:/abs]", "must be relative"),
        ("x.zip[a\\b]", "contains `\\`"),
        ("r.git@", "nothing after `@`"),
        ("r.git@-uupload-pack=evil", "must not start with `-`"),
        ("https://h/r.git@--upload-pack=x", "must not start with `-`"),
        ("r.git@a..b", "not a valid git"),
        ("r.git@v1 x", "not a valid git"),
        ("/srv/r.git@v1:x", "not a valid git"),
        ("git@github.com:org/repo.git", "scp-like"),
        ("ftp://host/x.zip", "unsupported URL scheme"),
        ("git+ext://x", "unsupported git URL scheme"),
        ("https://host/page", "cannot tell"),
    ],
)
def test_parse_reference_rejects(text: str, needle: str) -> None:
    error = source_error(lambda: parse_reference(text))
    assert error.code.name == "source-invalid"
    assert needle in error.message + (error.hint or "")


def test_messages_hide_url_passwords() -> None:
    reference = parse_reference("https://user:s3cret@host/r.git@v1")
    assert "s3cret" not in reference.display
    assert "s3cret" in str(reference)  # the reference itself keeps what git needs
    assert "tok123" not in parse_reference("https://tok123@host/r.git").display
    assert parse_reference("ssh://git@host/r.git").display == "ssh://git@host/r.git"


def test_with_base_anchors_only_relative_local_locations(tmp_path: Path) -> None:
    assert parse_reference("models[m]").with_base(tmp_path) == RegistryReference(
        SourceKind.LOCAL_FOLDER, str(tmp_path / "models"), None, "m"
    )
    absolute = parse_reference(f"{tmp_path}/r.git@v1")
    assert absolute.with_base(Path("/elsewhere")) == absolute
    remote = parse_reference("https://host/a.zip")
    assert remote.with_base(tmp_path) == remote


def test_default_cache_dir_precedence(tmp_path: Path) -> None:
    home_default = default_cache_dir({})
    assert home_default == Path.home() / ".cache" / "typed-semconv"
    assert default_cache_dir({"XDG_CACHE_HOME": "/x/cache"}) == Path("/x/cache/typed-semconv")
    assert default_cache_dir({"XDG_CACHE_HOME": "relative"}) == home_default
    both = {"XDG_CACHE_HOME": "/x/cache", CACHE_ENV: str(tmp_path / "mine")}
    assert default_cache_dir(both) == tmp_path / "mine"


# --- local folders and archives ------------------------------------------------------------


def test_local_folder_passes_through(tmp_path: Path, cache: Path) -> None:
    assert materialize(str(MILL), cache_dir=cache) == MILL
    assert materialize(f"{MILL}[grain]", cache_dir=cache) == MILL / "grain"
    assert not cache.exists()  # nothing is copied
    missing = source_error(lambda: materialize(str(tmp_path / "nope"), cache_dir=cache))
    assert missing.code.name == "source-not-found"
    sub = source_error(lambda: materialize(f"{MILL}[kiln]", cache_dir=cache))
    assert sub.code.name == "source-subfolder-missing"
    assert "`grain`" in (sub.hint or "")


def test_local_folders_need_no_archive_git_or_http_machinery(tmp_path: Path) -> None:
    """A registry folder that depends on another local folder: `check` reads both without
    importing what archives, git repositories and downloads need."""
    registry = tmp_path / "registry"
    shutil.copytree(MILL, registry)
    (registry / "manifest.yaml").write_text(
        "schema_url: https://example.test/schemas/bakery/1.0.0\n"
        "dependencies:\n"
        "  - schema_url: https://example.test/schemas/mill/1.0.0\n"
        f"    registry_path: {MILL}\n"
    )
    shutil.rmtree(registry / "grain")  # the dependency's definitions are not redefined
    (registry / "bakery.yaml").write_text(
        "file_format: definition/2\nattributes:\n  - key: bakery.oven\n    type: string\n"
        "    stability: development\n    brief: The oven a loaf is baked in.\n"
    )
    machinery = ("tarfile", "urllib.request", "http.client", "ssl")
    script = (
        "import sys\n"
        "from typed_semconv.cli.commands import main\n"
        "try:\n"
        "    main(['check', '--registry', sys.argv[1], '-q'])\n"
        "except SystemExit as exit:\n"
        f"    print(exit.code, *sorted(m for m in {machinery!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(registry)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.stdout.split() == ["0"], result.stdout + result.stderr


def test_local_folder_subfolder_may_not_leave_through_a_link(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "out").symlink_to(tmp_path)
    error = source_error(lambda: materialize(f"{registry}[out]", cache_dir=tmp_path / "c"))
    assert error.code.name == "source-subfolder-outside"


def test_local_archive_is_extracted_once(tmp_path: Path, cache: Path, mill_tgz: Path) -> None:
    model = materialize(f"{mill_tgz}[model]", cache_dir=cache)
    assert model.name == "model" and model.parent.name == "mill-0.1.0"
    assert tree_files(model) == tree_files(MILL)
    assert model.is_relative_to(cache)
    (entry,) = cache_entries(cache)
    assert materialize(f"{mill_tgz}[model]", cache_dir=cache) == model
    assert cache_entries(cache) == [entry]
    # Without a sub-folder, the single top folder is the registry root.
    assert materialize(str(mill_tgz), cache_dir=cache) == model.parent
    # A changed archive is a new entry.
    make_tgz(mill_tgz, folder_members(MILL, "model/"))
    assert tree_files(materialize(f"{mill_tgz}[model]", cache_dir=cache)) == tree_files(MILL)
    assert len(cache_entries(cache)) == 2


def test_local_zip_and_pin(tmp_path: Path, cache: Path) -> None:
    archive = make_zip(tmp_path / "mill.zip", folder_members(MILL, "model/"))
    pin = sha256_of(archive)
    folder = materialize(f"{archive}[model]", cache_dir=cache, sha256=f"sha256:{pin.upper()}")
    assert tree_files(folder) == tree_files(MILL)
    wrong = source_error(
        lambda: materialize(str(archive), cache_dir=tmp_path / "c2", sha256="0" * 64)
    )
    assert wrong.code.name == "source-checksum-mismatch"
    assert pin in wrong.message
    assert not (tmp_path / "c2").exists()


def test_a_cache_folder_that_cannot_be_made(tmp_path: Path, mill_tgz: Path) -> None:
    """A cache below a plain file cannot be created (not even by root): a diagnostic naming
    the cache, and the file is left as it was."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file\n")
    error = source_error(lambda: materialize(f"{mill_tgz}[model]", cache_dir=blocker / "cache"))
    assert error.code.name == "source-cache-error"
    assert str(blocker / "cache") in error.message
    assert "--cache-dir" in (error.hint or "")
    assert blocker.read_text() == "a file\n"


def test_pin_must_be_a_digest_of_an_archive(cache: Path) -> None:
    assert source_error(lambda: materialize("x.zip", sha256="abc")).code.name == "source-invalid"
    on_git = source_error(lambda: materialize("/srv/r.git@v1", sha256="a" * 64))
    assert on_git.code.name == "source-invalid"
    assert "commit" in (on_git.hint or "")


def test_not_an_archive(tmp_path: Path, cache: Path) -> None:
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"this is not an archive at all")
    assert source_error(lambda: materialize(str(fake), cache_dir=cache)).code.name == (
        "source-archive-invalid"
    )
    assert_no_leftovers(cache)


# --- remote archives -----------------------------------------------------------------------


def test_download_then_cache_hit(server: ArchiveServer, cache: Path, mill_tgz: Path) -> None:
    url = server.serve("mill-0.1.0.tar.gz", mill_tgz.read_bytes())
    model = materialize(f"{url}[model]", cache_dir=cache)
    assert tree_files(model) == tree_files(MILL)
    assert server.requests == ["/mill-0.1.0.tar.gz"]
    assert materialize(f"{url}[model]", cache_dir=cache) == model
    assert materialize(url, cache_dir=cache) == model.parent
    assert server.requests == ["/mill-0.1.0.tar.gz"]  # no second request
    (entry,) = cache_entries(cache)
    assert entry.parent.name == "remote-archive"
    metadata = (entry / METADATA_NAME).read_text()
    assert sha256_of(mill_tgz) in metadata and url in metadata
    assert list((cache / "tmp").iterdir()) == []  # the download itself is not kept


def test_cache_dir_from_environment(
    server: ArchiveServer, tmp_path: Path, mill_tgz: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "env-cache"))
    url = server.serve("m.tar.gz", mill_tgz.read_bytes())
    assert materialize(f"{url}[model]").is_relative_to(tmp_path / "env-cache")


@pytest.mark.slow
def test_real_registry_release_archives(server: ArchiveServer, tmp_path: Path) -> None:
    """GitHub-style release archives of the real model: `[model]` is found in the top folder."""
    model = real_registry("v1.44.0")
    files = folder_members(model, "semantic-conventions-1.44.0/model/")
    files["semantic-conventions-1.44.0/README.md"] = b"readme\n"
    expected = tree_files(model)
    for name, maker in (("v1.44.0.tar.gz", make_tgz), ("v1.44.0.zip", make_zip)):
        url = server.serve(name, maker(tmp_path / name, files).read_bytes())
        folder = materialize(f"{url}[model]", cache_dir=tmp_path / "cache")
        assert folder.parts[-2:] == ("semantic-conventions-1.44.0", "model")
        assert tree_files(folder) == expected


def test_sha256_pin(server: ArchiveServer, tmp_path: Path, mill_tgz: Path) -> None:
    url = server.serve("mill.tar.gz", mill_tgz.read_bytes())
    pin = sha256_of(mill_tgz)
    bad = "f" * 64
    # Mismatch on download: error, nothing cached.
    error = source_error(lambda: materialize(url, cache_dir=tmp_path / "c1", sha256=bad))
    assert error.code.name == "source-checksum-mismatch"
    assert pin in error.message and bad in error.message
    assert_no_leftovers(tmp_path / "c1")
    # Match: cached; the cached digest is checked against later pins without a request.
    cache = tmp_path / "c2"
    materialize(url, cache_dir=cache, sha256=pin)
    materialize(url, cache_dir=cache, sha256=pin)
    assert len(server.requests) == 2
    cached = source_error(lambda: materialize(url, cache_dir=cache, sha256=bad))
    assert cached.code.name == "source-checksum-mismatch"
    assert "cached" in cached.message
    assert len(server.requests) == 2


def test_offline(server: ArchiveServer, cache: Path, mill_tgz: Path) -> None:
    url = server.serve("mill.tar.gz", mill_tgz.read_bytes())
    missing = source_error(lambda: materialize(f"{url}[model]", cache_dir=cache, offline=True))
    assert missing.code.name == "source-offline-missing"
    assert f"{url}[model]" in missing.message
    assert str(cache) in missing.message
    assert "without --offline" in (missing.hint or "")
    assert server.requests == []
    online = materialize(f"{url}[model]", cache_dir=cache)
    assert materialize(f"{url}[model]", cache_dir=cache, offline=True) == online
    assert len(server.requests) == 1


def test_missing_subfolder_in_archive(server: ArchiveServer, cache: Path, mill_tgz: Path) -> None:
    url = server.serve("mill.tar.gz", mill_tgz.read_bytes())
    error = source_error(lambda: materialize(f"{url}[models]", cache_dir=cache))
    assert error.code.name == "source-subfolder-missing"
    assert "`models`" in error.message
    assert "`model`" in (error.hint or "")


def test_half_entry_is_never_trusted(server: ArchiveServer, cache: Path, mill_tgz: Path) -> None:
    url = server.serve("mill.tar.gz", mill_tgz.read_bytes())
    materialize(url, cache_dir=cache)
    (entry,) = cache_entries(cache)
    (entry / METADATA_NAME).unlink()  # as if an entry were left incomplete
    shutil.rmtree(entry / "tree" / "mill-0.1.0" / "model" / "grain")
    folder = materialize(f"{url}[model]", cache_dir=cache)
    assert len(server.requests) == 2
    assert tree_files(folder) == tree_files(MILL)
    assert cache_entries(cache) == [entry]


@pytest.mark.parametrize(
    ("mode", "code"),
    [("truncated", "source-download-failed"), ("unsized", "source-archive-invalid")],
)
def test_interrupted_download_leaves_nothing(
    server: ArchiveServer, cache: Path, mill_tgz: Path, mode: str, code: str
) -> None:
    url = server.serve("mill.tar.gz", mill_tgz.read_bytes(), mode=mode)
    error = source_error(lambda: materialize(url, cache_dir=cache))
    assert error.code.name == code
    assert_no_leftovers(cache)
    assert source_error(lambda: materialize(url, cache_dir=cache, offline=True)).code.name == (
        "source-offline-missing"
    )


def test_killed_download_is_never_trusted(
    server: ArchiveServer, cache: Path, mill_tgz: Path
) -> None:
    """A run killed mid-download leaves only its staging folder: never used, swept when old."""
    url = server.serve("mill.tar.gz", mill_tgz.read_bytes(), mode="stall")
    script = (
        "import sys; from pathlib import Path; "
        "from typed_semconv.sources.fetch import materialize; "
        "materialize(sys.argv[1], cache_dir=Path(sys.argv[2]))"
    )
    process = subprocess.Popen([sys.executable, "-c", script, url, str(cache)])
    try:
        assert server.routes["/mill.tar.gz"].sent.wait(20)
        deadline = time.monotonic() + 20
        while not list(cache.glob("tmp/*/download")):  # the child is reading the body
            assert time.monotonic() < deadline, "the download never started"
            time.sleep(0.02)
    finally:
        process.kill()
        process.wait()
    assert cache_entries(cache) == []
    (leftover,) = (cache / "tmp").iterdir()
    server.routes["/mill.tar.gz"].mode = "ok"
    assert tree_files(materialize(f"{url}[model]", cache_dir=cache)) == tree_files(MILL)
    assert len(server.requests) == 2
    assert leftover.exists()  # recent: it might belong to a run still going
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(leftover, (day_ago, day_ago))
    other = server.serve("again.tar.gz", mill_tgz.read_bytes())
    materialize(other, cache_dir=cache)
    assert not leftover.exists()


def test_download_errors(server: ArchiveServer, cache: Path, tmp_path: Path) -> None:
    not_found = source_error(lambda: materialize(f"{server.base}/nope.zip", cache_dir=cache))
    assert not_found.code.name == "source-download-failed"
    assert "404" in not_found.message
    big = server.serve("big.zip", os.urandom(64 * 1024))
    limits = Limits(max_download_bytes=16 * 1024)
    too_big = source_error(lambda: materialize(big, cache_dir=cache, limits=limits))
    assert too_big.code.name == "source-download-failed"
    assert "limit" in too_big.message
    assert_no_leftovers(cache)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused = f"http://127.0.0.1:{port}/x.zip"
    closed = source_error(lambda: materialize(refused, cache_dir=cache))
    assert closed.code.name == "source-download-failed"


@pytest.mark.slow  # waits for the download deadline
@pytest.mark.parametrize("mode", ["trickle", "trickle-headers"])
def test_a_server_that_trickles_is_given_up_at_the_deadline(
    server: ArchiveServer, cache: Path, mill_tgz: Path, mode: str
) -> None:
    """A byte every 50 ms never lets a read time out; the overall deadline ends the download
    (here after one second; a minute of trickling is all the server would send)."""
    url = server.serve("mill.tar.gz", mill_tgz.read_bytes(), mode=mode)
    limits = Limits(timeout=5, download_deadline=1)

    error = source_error(lambda: materialize(url, cache_dir=cache, limits=limits))

    assert error.code.name == "source-download-failed"
    assert error.message == f"cannot download `{url}`: it took longer than 1 s"
    assert error.hint is not None and "too slowly" in error.hint
    assert server.routes["/mill.tar.gz"].sent.is_set()
    assert cache_entries(cache) == []


def test_progress_only_when_asked(
    server: ArchiveServer, tmp_path: Path, mill_tgz: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.serve("mill.tar.gz", mill_tgz.read_bytes())
    materialize(url, cache_dir=tmp_path / "quiet")  # stderr is not a terminal here
    assert capsys.readouterr().err == ""
    materialize(url, cache_dir=tmp_path / "loud", progress=True)
    err = capsys.readouterr().err
    assert "downloading mill.tar.gz" in err and err.endswith("\n")


def test_fetching_reports_every_failure(tmp_path: Path, cache: Path) -> None:
    """A run tries every registry reference, and reports each that cannot be made a folder."""
    from typed_semconv.pipeline import fetch

    options = SourceOptions(cache_dir=cache)
    diagnostics = Diagnostics()
    assert fetch([RegistrySpec(str(MILL))] * 2, options, diagnostics) == [MILL, MILL]
    references = [str(tmp_path / "a"), "https://h/page", str(MILL)]
    with pytest.raises(InputError):
        fetch([RegistrySpec(r) for r in references], options, diagnostics)
    assert [d.code.name for d in diagnostics] == ["source-invalid", "source-not-found"]


# --- hostile archives ----------------------------------------------------------------------


def _tar_member(
    tar: tarfile.TarFile, name: str, kind: bytes = tarfile.REGTYPE, **extra: str
) -> None:
    info = tarfile.TarInfo(name)
    info.type = kind
    data = b"pwned\n" if kind == tarfile.REGTYPE else b""
    info.size = len(data)
    for key, value in extra.items():
        setattr(info, key, value)
    tar.addfile(info, io.BytesIO(data) if data else None)


def hostile_tar(path: Path, outside: Path, case: str) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        _tar_member(tar, "pkg/model/ok.yaml")
        if case == "parent":
            _tar_member(tar, "pkg/../../../../../../evil")
        elif case == "absolute":
            _tar_member(tar, str(outside / "evil"))
        elif case == "symlink":
            _tar_member(tar, "pkg/model/link", tarfile.SYMTYPE, linkname=str(outside))
            _tar_member(tar, "pkg/model/link/evil")
        elif case == "hardlink":
            _tar_member(tar, "pkg/model/hard", tarfile.LNKTYPE, linkname="/etc/passwd")
        elif case == "fifo":
            _tar_member(tar, "pkg/model/pipe", tarfile.FIFOTYPE)
        elif case == "device":
            _tar_member(tar, "pkg/model/dev", tarfile.CHRTYPE)
        elif case == "many":
            for index in range(SMALL_LIMITS.max_members + 5):
                _tar_member(tar, f"pkg/model/f{index}.yaml")
        elif case == "bomb":
            info = tarfile.TarInfo("pkg/model/zeros.yaml")
            info.size = 8 * SMALL_LIMITS.max_total_bytes
            tar.addfile(info, _Zeros(info.size))
    return path


class _Zeros(io.RawIOBase):
    """`size` zero bytes, read lazily (so that the bomb is never held in memory)."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), self.left)
        buffer[:count] = bytes(count)
        self.left -= count
        return count


def hostile_zip(path: Path, outside: Path, case: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("pkg/model/ok.yaml", b"ok\n")
        if case == "parent":
            zipped.writestr("pkg/../../../../../../evil", b"pwned\n")
        elif case == "absolute":
            zipped.writestr(zipfile.ZipInfo(str(outside / "evil")), b"pwned\n")
        elif case == "drive":
            zipped.writestr("C:/evil", b"pwned\n")
        elif case == "symlink":
            info = zipfile.ZipInfo("pkg/model/link")
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zipped.writestr(info, str(outside))
        elif case == "fifo":
            info = zipfile.ZipInfo("pkg/model/pipe")
            info.external_attr = (stat.S_IFIFO | 0o644) << 16
            zipped.writestr(info, b"")
        elif case == "many":
            for index in range(SMALL_LIMITS.max_members + 5):
                zipped.writestr(f"pkg/model/f{index}.yaml", b"x")
        elif case == "bomb":
            with zipped.open("pkg/model/zeros.yaml", "w", force_zip64=True) as stream:
                chunk = bytes(1024 * 1024)
                for _ in range(8 * SMALL_LIMITS.max_total_bytes // len(chunk)):
                    stream.write(chunk)
    # `writestr` keeps member names as given, `..` and absolute ones included.
    return path


HOSTILE = [
    ("tar", "parent"),
    ("tar", "absolute"),
    ("tar", "symlink"),
    ("tar", "hardlink"),
    ("tar", "fifo"),
    ("tar", "device"),
    ("tar", "many"),
    ("tar", "bomb"),
    ("zip", "parent"),
    ("zip", "absolute"),
    ("zip", "drive"),
    ("zip", "symlink"),
    ("zip", "fifo"),
    ("zip", "many"),
    ("zip", "bomb"),
]


@pytest.mark.parametrize(("form", "case"), HOSTILE)
def test_hostile_archive_is_refused(tmp_path: Path, form: str, case: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    archive = (
        hostile_tar(tmp_path / "hostile.tar.gz", outside, case)
        if form == "tar"
        else hostile_zip(tmp_path / "hostile.zip", outside, case)
    )
    cache = tmp_path / "deep" / "er" / "cache"
    error = source_error(lambda: materialize(str(archive), cache_dir=cache, limits=SMALL_LIMITS))
    assert error.code.name == "source-unsafe-archive", error
    assert "refusing" in error.message
    assert list(outside.iterdir()) == []
    assert [p for p in tmp_path.rglob("*evil*")] == []
    assert_no_leftovers(cache)


def test_hostile_remote_archive_leaves_no_entry(server: ArchiveServer, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    url = server.serve("evil.zip", hostile_zip(tmp_path / "e.zip", outside, "parent").read_bytes())
    cache = tmp_path / "cache"
    error = source_error(lambda: materialize(url, cache_dir=cache))
    assert error.code.name == "source-unsafe-archive"
    assert_no_leftovers(cache)
    assert list(outside.iterdir()) == []


def test_limits_count_bytes_written(tmp_path: Path) -> None:
    """Many members each small enough: the total written is what is limited."""
    files = {f"pkg/f{index}.bin": bytes(300 * 1024) for index in range(5)}
    archive = make_zip(tmp_path / "wide.zip", files)
    limits = Limits(max_total_bytes=1024 * 1024)
    error = source_error(lambda: materialize(str(archive), cache_dir=tmp_path / "c", limits=limits))
    assert error.code.name == "source-unsafe-archive"
    assert "unpacks to more than" in error.message


# --- git -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Repos:
    work: Path
    bare: Path
    v1: str  # commit of tag v1 (the mill registry under model/)
    main: str  # a later commit on main (adds model/extra.yaml)
    feature: str  # head of branch feature/x (adds model/feature.yaml)


def git(*args: str | Path, cwd: Path) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.test",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.test",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    command = ["git", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *map(str, args)]
    return subprocess.run(
        command, cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> Repos:
    if GIT is None:
        pytest.skip("git is not installed")
    root = tmp_path_factory.mktemp("git")
    work = root / "work"
    shutil.copytree(MILL, work / "model")
    (work / "model" / "escape").symlink_to("/etc")
    git("-c", "init.defaultBranch=main", "init", "--quiet", work, cwd=root)
    git("add", "-A", cwd=work)
    git("commit", "--quiet", "-m", "v1", cwd=work)
    git("tag", "-a", "v1", "-m", "v1", cwd=work)
    v1 = git("rev-parse", "HEAD", cwd=work)
    (work / "model" / "extra.yaml").write_text("# later on main\n")
    git("add", "-A", cwd=work)
    git("commit", "--quiet", "-m", "main", cwd=work)
    main = git("rev-parse", "HEAD", cwd=work)
    git("checkout", "--quiet", "-b", "feature/x", v1, cwd=work)
    (work / "model" / "feature.yaml").write_text("# on the branch\n")
    git("add", "-A", cwd=work)
    git("commit", "--quiet", "-m", "feature", cwd=work)
    feature = git("rev-parse", "HEAD", cwd=work)
    git("checkout", "--quiet", "main", cwd=work)
    bare = root / "mill.git"
    git("clone", "--quiet", "--bare", work, bare, cwd=root)
    return Repos(work, bare, v1, main, feature)


def registry_names(folder: Path) -> set[str]:
    return set(tree_files(folder))


def test_git_by_tag_branch_and_commit(repos: Repos, cache: Path) -> None:
    v1_names = set(tree_files(MILL)) | {"escape"}
    by_tag = materialize(f"{repos.bare}@v1[model]", cache_dir=cache)
    assert registry_names(by_tag) == v1_names
    assert tree_files(by_tag)["grain/registry.yaml"] == (MILL / "grain/registry.yaml").read_bytes()
    by_branch = materialize(f"file://{repos.bare}@feature/x[model]", cache_dir=cache)
    assert registry_names(by_branch) == v1_names | {"feature.yaml"}
    by_commit = materialize(f"git+file://{repos.work}@{repos.v1[:10]}[model]", cache_dir=cache)
    assert registry_names(by_commit) == v1_names
    default = materialize(f"{repos.bare}[model]", cache_dir=cache)
    assert registry_names(default) == v1_names | {"extra.yaml"}
    for folder in (by_tag, by_branch, by_commit, default):
        assert not (folder.parent / ".git").exists()
        assert folder.is_relative_to(cache)
    entries = cache_entries(cache)
    assert len(entries) == 4
    commits = {json.loads((e / METADATA_NAME).read_text())["commit"] for e in entries}
    assert commits == {repos.v1, repos.main, repos.feature}


def test_git_links_are_plain_files(repos: Repos, cache: Path) -> None:
    escape = materialize(f"{repos.bare}@v1[model]", cache_dir=cache) / "escape"
    assert not escape.is_symlink()
    assert escape.read_text() == "/etc"


def test_git_cache_hit_and_offline(repos: Repos, cache: Path) -> None:
    remote = "https://127.0.0.1:9/semantic-conventions.git@v1.44.0[model]"
    missing = source_error(lambda: materialize(remote, cache_dir=cache, offline=True))
    assert missing.code.name == "source-offline-missing"
    assert remote in missing.message and str(cache) in missing.message
    # A local repository needs no network: offline, it is still cloned (once).
    reference = f"file://{repos.bare}@feature/x[model]"
    first = materialize(reference, cache_dir=cache, offline=True)
    (first / "marker").write_text("kept")  # proves the second call reuses the entry
    assert materialize(reference, cache_dir=cache, offline=True) == first
    assert materialize(reference, cache_dir=cache) == first
    assert (first / "marker").exists()


@pytest.mark.parametrize(
    ("suffix", "needle"),
    [("@no-such-tag", "no-such-tag"), ("@deadbeef", "no tag, branch or commit `deadbeef`")],
)
def test_git_bad_ref(repos: Repos, cache: Path, suffix: str, needle: str) -> None:
    error = source_error(lambda: materialize(f"{repos.bare}{suffix}", cache_dir=cache))
    assert error.code.name == "source-git-failed"
    assert needle in error.message
    assert_no_leftovers(cache)


def test_git_unknown_repository(tmp_path: Path, cache: Path) -> None:
    if GIT is None:
        pytest.skip("git is not installed")
    for reference in (f"{tmp_path}/missing.git@v1", f"file://{tmp_path}/missing.git"):
        error = source_error(functools.partial(materialize, reference, cache_dir=cache))
        assert error.code.name == "source-git-failed"
        assert "missing.git" in error.message
    assert_no_leftovers(cache)


def test_git_subfolder_missing(repos: Repos, cache: Path) -> None:
    error = source_error(lambda: materialize(f"{repos.bare}@v1[models]", cache_dir=cache))
    assert error.code.name == "source-subfolder-missing"
    assert "`model`" in (error.hint or "")


@pytest.mark.parametrize("planted", ["fifo", "link"])
def test_a_planted_metadata_file_is_never_followed_or_waited_on(
    tmp_path: Path, cache: Path, mill_tgz: Path, planted: str
) -> None:
    """A cache entry whose metadata was replaced by a pipe (which would block a reader) or by
    a link to a file elsewhere is not trusted: the run neither hangs nor reads through it."""
    model = materialize(f"{mill_tgz}[model]", cache_dir=cache)
    (entry,) = cache_entries(cache)
    metadata = entry / METADATA_NAME
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps(json.loads(metadata.read_text())), encoding="utf-8")
    metadata.unlink()
    if planted == "fifo":
        os.mkfifo(metadata)
    else:
        metadata.symlink_to(outside)
    script = (
        "import sys; from pathlib import Path; "
        "from typed_semconv.sources.fetch import materialize; "
        "print(materialize(sys.argv[1], cache_dir=Path(sys.argv[2])))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, f"{mill_tgz}[model]", str(cache)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    again = Path(run.stdout.strip())
    assert tree_files(again) == tree_files(model)
    if again.is_relative_to(entry):  # rebuilt in place: the planted file is gone
        assert metadata.is_file() and not metadata.is_symlink()
