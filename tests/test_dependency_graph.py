"""The dependency graph beyond the data-driven cases (`test_dependency_cases.py`): hostile
fetched registries, the limits, published registries that cannot be used, schema URLs and
versions, and the cheap look of the unchanged-input check against the full load.

No outside network: remote archives are served by an `http.server` on 127.0.0.1.
"""

from __future__ import annotations

import http.server
import io
import os
import shutil
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from typed_semconv import pipeline
from typed_semconv.diagnostics.core import Diagnostics, InputError
from typed_semconv.load import dependencies
from typed_semconv.load.dependencies import dependency_folders, load_graph
from typed_semconv.load.manifest_summary import registry_id, semver_key
from typed_semconv.options import GenerateOptions, RegistrySpec, SourceOptions

from conftest import run_cli

CASES = Path(__file__).resolve().parent / "resolution"
PUBLISHED_CASE = CASES / "dependencies-published-registry"


# --- helpers -------------------------------------------------------------------------------


def write_registry(
    folder: Path, name: str, dependencies: list[dict[str, str]] | None = None, key: str = ""
) -> Path:
    """A one-attribute registry `example.test/schemas/<name>/1.0.0` at `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"schema_url": f"https://example.test/schemas/{name}/1.0.0"}
    if dependencies:
        manifest["dependencies"] = dependencies
    (folder / "manifest.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    attribute = {
        "key": key or f"{name}.size",
        "type": "int",
        "stability": "development",
        "brief": f"Size of the {name}.",
    }
    (folder / "defs.yaml").write_text(
        yaml.safe_dump({"file_format": "definition/2", "attributes": [attribute]}),
        encoding="utf-8",
    )
    return folder


def dep(name: str, path: str) -> dict[str, str]:
    return {"schema_url": f"https://example.test/schemas/{name}/1.0.0", "registry_path": path}


def codes(diagnostics: Diagnostics) -> list[str]:
    return [d.code.name for d in diagnostics]


def resolve(registry: str | Path, options: SourceOptions) -> tuple[Any, Diagnostics]:
    diagnostics = Diagnostics()
    try:
        return pipeline.load_resolved([RegistrySpec(str(registry))], options, diagnostics), (
            diagnostics
        )
    except InputError:
        return None, diagnostics


def tgz(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def registry_files(folder: Path, prefix: str) -> dict[str, bytes]:
    return {
        f"{prefix}{p.relative_to(folder).as_posix()}": p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class _Server(http.server.ThreadingHTTPServer):
    routes: dict[str, bytes]
    requests: list[str]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        body = self.server.routes.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Server]:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.routes, httpd.requests = {}, []
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def serve(server: _Server, name: str, body: bytes) -> str:
    server.routes[f"/{name}"] = body
    return f"http://127.0.0.1:{server.server_address[1]}/{name}"


# --- hostile fetched registries --------------------------------------------------------------


def test_a_fetched_registry_never_reads_local_folders(
    server: _Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A downloaded manifest naming `/etc`, `../..` (out of the archive), `file:///etc` or any
    local folder gets one diagnostic each and nothing of them is read; a folder inside the
    same archive is fine."""
    victim = write_registry(tmp_path / "victim", "victim")
    staging = tmp_path / "staging"
    write_registry(
        staging / "model",
        "mill",
        [
            dep("etc", "/etc"),
            dep("up", "../.."),
            dep("file", "file:///etc"),
            dep("victim", str(victim)),
            dep("home", "~"),
            dep("common", "../common"),
        ],
    )
    write_registry(staging / "common", "common")
    url = serve(server, "mill.tar.gz", tgz(registry_files(staging, "")))

    from typed_semconv.load import registry as registry_module
    from typed_semconv.sources import fetch

    fetched: list[str] = []
    loaded: list[str] = []
    real_materialize, real_load = fetch.materialize, registry_module.load_registry

    def spy_materialize(reference: Any, **kwargs: Any) -> Path:
        fetched.append(str(reference))
        return real_materialize(reference, **kwargs)

    def spy_load(root: Path, diagnostics: Diagnostics) -> Any:
        loaded.append(os.path.realpath(root))
        return real_load(root, diagnostics)

    monkeypatch.setattr(fetch, "materialize", spy_materialize)
    monkeypatch.setattr(registry_module, "load_registry", spy_load)
    cache = tmp_path / "cache"
    registry, diagnostics = resolve(f"{url}[model]", SourceOptions(cache_dir=cache))

    assert registry is None
    assert codes(diagnostics) == ["dependency-outside-archive"] * 5
    # One for each refused entry of the downloaded manifest, where it is written.
    assert [d.location.line if d.location else 0 for d in diagnostics] == [2, 4, 6, 8, 10]
    assert all(d.location and d.location.path.endswith("model/manifest.yaml") for d in diagnostics)
    # Only the archive itself and the folder inside it were fetched and read.
    assert fetched[0] == f"{url}[model]"
    assert all(str(cache) in f or f == f"{url}[model]" for f in fetched[1:])
    tree = next(cache.glob("remote-archive/*/tree"))
    assert sorted(loaded) == sorted(
        [os.path.realpath(tree / "model"), os.path.realpath(tree / "common")]
    )
    assert server.requests == ["/mill.tar.gz"]


def test_a_fetched_registry_may_depend_on_its_own_folders_and_remote_ones(
    server: _Server, tmp_path: Path
) -> None:
    weather = tmp_path / "weather"
    write_registry(weather / "model", "weather")
    weather_url = serve(server, "weather.tar.gz", tgz(registry_files(weather, "weather-1.0/")))
    staging = tmp_path / "staging"
    write_registry(
        staging / "model",
        "mill",
        [dep("common", "../common"), dep("weather", f"{weather_url}[model]")],
    )
    write_registry(staging / "common", "common")
    url = serve(server, "mill.tar.gz", tgz(registry_files(staging, "")))
    registry, diagnostics = resolve(f"{url}[model]", SourceOptions(cache_dir=tmp_path / "c"))
    assert registry is not None, list(diagnostics)
    keys = {a.key for a in registry.attributes}
    assert keys == {"mill.size", "common.size", "weather.size"}


def test_the_command_line_refuses_them_without_a_traceback(server: _Server, tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    write_registry(staging / "model", "mill", [dep("etc", "/etc"), dep("up", "../..")])
    url = serve(server, "mill.tar.gz", tgz(registry_files(staging, "")))
    result = run_cli("check", "--registry", f"{url}[model]", "--cache-dir", tmp_path / "cache")
    assert result.returncode == 1
    assert result.stderr.count("[dependency-outside-archive]") == 2
    assert "Traceback" not in result.stderr


# --- limits ----------------------------------------------------------------------------------


def test_a_chain_deeper_than_the_limit_is_diagnosed(tmp_path: Path) -> None:
    depth = dependencies.MAX_DEPTH + 2
    for level in range(depth):
        nxt = [dep(f"r{level + 1}", f"../r{level + 1}")] if level + 1 < depth else None
        write_registry(tmp_path / f"r{level}", f"r{level}", nxt)
    registry, diagnostics = resolve(tmp_path / "r0", SourceOptions(cache_dir=tmp_path / "c"))
    assert registry is None
    assert codes(diagnostics) == ["dependency-too-deep"]
    (problem,) = diagnostics
    assert problem.location is not None
    assert problem.location.path.endswith(f"r{dependencies.MAX_DEPTH}/manifest.yaml")
    assert dependency_folders([tmp_path / "r0"], SourceOptions(cache_dir=tmp_path / "c")) is None


def test_more_registries_than_the_limit_are_diagnosed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dependencies, "MAX_REGISTRIES", 2)
    names = ["a", "b", "c", "d"]
    for name in names:
        write_registry(tmp_path / name, name)
    write_registry(tmp_path / "main", "main", [dep(n, f"../{n}") for n in names])
    options = SourceOptions(cache_dir=tmp_path / "c")
    registry, diagnostics = resolve(tmp_path / "main", options)
    assert registry is None
    assert codes(diagnostics) == ["dependency-too-many"]
    assert dependency_folders([tmp_path / "main"], options) is None


def test_a_dependency_declared_without_a_schema_url_or_path(tmp_path: Path) -> None:
    write_registry(tmp_path / "a", "a")
    write_registry(
        tmp_path / "main",
        "main",
        [{"registry_path": "../a"}, {"schema_url": "https://example.test/schemas/b/1.0.0"}],
    )
    registry, diagnostics = resolve(tmp_path / "main", SourceOptions(cache_dir=tmp_path / "c"))
    assert registry is None
    assert sorted(codes(diagnostics)) == ["dependency-no-path", "dependency-no-schema-url"]


def test_a_dependency_whose_schema_url_has_no_version(tmp_path: Path) -> None:
    folder = write_registry(tmp_path / "a", "a")
    (folder / "manifest.yaml").write_text("schema_url: https://example.test\n", encoding="utf-8")
    write_registry(tmp_path / "main", "main", [dep("a", "../a")])
    registry, diagnostics = resolve(tmp_path / "main", SourceOptions(cache_dir=tmp_path / "c"))
    assert registry is None
    (problem,) = diagnostics
    assert problem.code.name == "dependency-no-schema-url"
    assert problem.location is not None and problem.location.line == 1
    assert "no host or no version" in problem.message


def test_versions_that_are_not_semantic_cannot_be_reconciled(tmp_path: Path) -> None:
    for folder, version in (("c1", "2024-01"), ("c2", "2024-06")):
        write_registry(tmp_path / folder, "c")
        (tmp_path / folder / "manifest.yaml").write_text(
            f"schema_url: https://example.test/schemas/c/{version}\n", encoding="utf-8"
        )
    write_registry(tmp_path / "a", "a", [dep("c", "../c1")])
    write_registry(tmp_path / "b", "b", [dep("c", "../c2")])
    write_registry(tmp_path / "main", "main", [dep("a", "../a"), dep("b", "../b")])
    registry, diagnostics = resolve(tmp_path / "main", SourceOptions(cache_dir=tmp_path / "c"))
    assert registry is None
    (problem,) = diagnostics
    assert problem.code.name == "dependency-version-conflict"
    assert "2024-01" in problem.message and "2024-06" in problem.message
    assert problem.hint is not None and "MAJOR.MINOR.PATCH" in problem.hint


def test_a_registry_path_may_name_the_manifest_file(tmp_path: Path) -> None:
    write_registry(tmp_path / "a", "a")
    write_registry(tmp_path / "main", "main", [dep("a", "../a/manifest.yaml")])
    registry, diagnostics = resolve(tmp_path / "main", SourceOptions(cache_dir=tmp_path / "c"))
    assert registry is not None, list(diagnostics)
    assert {a.key for a in registry.attributes} == {"main.size", "a.size"}


def test_the_hint_of_a_transitive_ref_says_how_to_fix_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES / "dependencies-transitive-ref-not-visible")
    _, diagnostics = resolve("main", SourceOptions())
    (problem,) = diagnostics
    assert problem.hint is not None
    assert "comes with `example.test/schemas/hive`" in problem.hint
    assert "declare `example.test/schemas/weather` in the `dependencies`" in problem.hint


# --- published registries --------------------------------------------------------------------


def published_copy(tmp_path: Path) -> Path:
    root = tmp_path / "case"
    shutil.copytree(PUBLISHED_CASE, root)
    return root


def set_uri(root: Path, uri: str) -> None:
    manifest = root / "published" / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace("resolved_registry_uri: resolved.yaml", f"resolved_registry_uri: {uri}"),
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    "uri",
    ["/etc/passwd", "../main/nursery.yaml", "https://example.test/resolved.yaml", "missing.yaml"],
)
def test_a_resolved_file_outside_the_package_is_refused(tmp_path: Path, uri: str) -> None:
    root = published_copy(tmp_path)
    set_uri(root, uri)
    options = SourceOptions(cache_dir=tmp_path / "c")
    registry, diagnostics = resolve(root / "main", options)
    assert registry is None
    assert codes(diagnostics) == ["published-registry-invalid"]
    (problem,) = diagnostics
    assert problem.location is not None and problem.location.line == 6
    assert dependency_folders([root / "main"], options) is None


def test_a_damaged_resolved_file_is_located(tmp_path: Path) -> None:
    root = published_copy(tmp_path)
    resolved = root / "published" / "resolved.yaml"
    text = resolved.read_text(encoding="utf-8").replace("- base: 6", "- base: 60")
    resolved.write_text(text.replace("file_format: resolved/2.0", "file_format: resolved/9"))
    registry, diagnostics = resolve(root / "main", SourceOptions(cache_dir=tmp_path / "c"))
    assert registry is None
    assert codes(diagnostics) == ["schema-invalid-value"]
    resolved.write_text(text, encoding="utf-8")
    registry, diagnostics = resolve(root / "main", SourceOptions(cache_dir=tmp_path / "c"))
    assert registry is None
    (problem,) = diagnostics
    assert problem.code.name == "published-registry-invalid"
    assert problem.location is not None and "resolved.yaml" in problem.location.path
    assert "outside the attribute catalog" in problem.message


def test_a_published_registry_generates_as_a_project(tmp_path: Path) -> None:
    output = tmp_path / "out"
    result = run_cli(
        "generate",
        "--registry",
        PUBLISHED_CASE / "published",
        "--output",
        output,
        "--package",
        "greenhouse_semconv",
        "-q",
    )
    assert result.returncode == 0, result.stderr
    spans = (output / "greenhouse_semconv" / "spans" / "greenhouse_spans.py").read_text()
    assert "def start_greenhouse_vent_move_span(" in spans
    attributes = output / "greenhouse_semconv" / "attributes" / "greenhouse_attributes.py"
    assert "GREENHOUSE_HEATER_WATTS" in attributes.read_text(encoding="utf-8")


# --- the cheap look against the full load ----------------------------------------------------


def plan(root: Path, output: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """Plan a generation of `root/main`; returns how many times it had to render."""
    calls = []
    real_render = pipeline.render

    def counting(*args: Any) -> Any:
        calls.append(1)
        return real_render(*args)

    monkeypatch.setattr(pipeline, "render", counting)
    options = GenerateOptions(
        registries=(RegistrySpec(str(root / "main")),),
        output=output,
        package="nursery_semconv",
        format=False,
        sources=SourceOptions(cache_dir=output / ".cache"),
    )
    from typed_semconv.output import writing

    diagnostics = Diagnostics()
    write_plan = pipeline.plan_generation(options, diagnostics)
    writing.write(write_plan, diagnostics)
    return len(calls)


def test_unchanged_dependencies_are_recognised_and_changed_ones_are_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = published_copy(tmp_path)
    output = tmp_path / "out"
    assert plan(root, output, monkeypatch) == 1
    assert plan(root, output, monkeypatch) == 0
    resolved = root / "published" / "resolved.yaml"
    resolved.write_text(
        resolved.read_text(encoding="utf-8").replace("Moves a roof vent", "Swings a roof vent"),
        encoding="utf-8",
    )
    assert plan(root, output, monkeypatch) == 1
    spans = output / "nursery_semconv" / "spans" / "greenhouse_spans.py"
    assert "Swings a roof vent" in spans.read_text(encoding="utf-8")


def test_a_resolved_file_the_digest_cannot_see_always_means_a_full_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = published_copy(tmp_path)
    (root / "published" / "resolved.yaml").rename(root / "published" / "resolved.json")
    set_uri(root, "resolved.json")
    output = tmp_path / "out"
    assert plan(root, output, monkeypatch) == 1
    assert plan(root, output, monkeypatch) == 1


def test_the_cheap_look_sees_lower_versions_the_full_load_set_aside(tmp_path: Path) -> None:
    """A folder read only for its manifest (a lower version of a registry used at a higher one)
    is covered as well: changing its dependencies may change the graph."""
    case = CASES / "dependencies-diamond-compatible"
    options = SourceOptions(cache_dir=tmp_path / "c")
    cheap = {os.path.realpath(p) for p in dependency_folders([case / "main"], options) or ()}
    names = {Path(p).name for p in cheap}
    assert names == {"dep_a", "dep_b", "dep_c_v1_1", "dep_c_v1_4"}
    loaded = load_graph([case / "main"], options, Diagnostics())
    assert [Path(r.source.root).name for r in loaded] == ["main", "dep_a", "dep_b", "dep_c_v1_4"]


def test_a_project_without_dependencies_costs_the_cheap_look_nothing(tmp_path: Path) -> None:
    folder = write_registry(tmp_path / "alone", "alone")
    assert dependency_folders([folder], SourceOptions(cache_dir=tmp_path / "c")) == []
    (folder / "manifest.yaml").unlink()
    assert dependency_folders([folder], SourceOptions(cache_dir=tmp_path / "c")) == []


# --- schema URLs and versions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "name", "version"),
    [
        ("https://example.test/schemas/kiln/2.1.0", "example.test/schemas/kiln", "2.1.0"),
        ("https://example.test/schemas/kiln/2.1.0/", "example.test/schemas/kiln", "2.1.0"),
        ("http://example.test:8080/v1", "example.test:8080", "v1"),
        ("acme-registry", "acme-registry", None),
    ],
)
def test_registry_identity(url: str, name: str, version: str | None) -> None:
    identity = registry_id(url)
    assert identity is not None
    assert (identity.name, identity.version) == (name, version)


@pytest.mark.parametrize("url", ["https://example.test", "https:///x/1.0.0", "not a url/1", ""])
def test_schema_urls_without_host_or_version(url: str) -> None:
    assert registry_id(url) is None


def test_semantic_version_precedence() -> None:
    ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0", "v1.2.0"]
    keys = [semver_key(v) for v in ordered]
    assert all(k is not None for k in keys)
    assert sorted(ordered, key=lambda v: semver_key(v)) == ordered  # type: ignore[arg-type, return-value]
    assert semver_key("1.0.0+build.5") == semver_key("1.0.0")
    assert semver_key("1.0") is None and semver_key("01.0.0") is None


def test_a_manifest_the_cheap_look_cannot_read_means_a_full_load(tmp_path: Path) -> None:
    folder = write_registry(tmp_path / "main", "main")
    (folder / "manifest.yaml").write_text(
        "schema_url: https://example.test/schemas/main/1.0.0\ndependencies: 5\n", encoding="utf-8"
    )
    assert dependency_folders([folder], SourceOptions(cache_dir=tmp_path / "c")) is None
    registry, diagnostics = resolve(folder, SourceOptions(cache_dir=tmp_path / "c"))
    assert registry is None and codes(diagnostics) == ["schema-invalid-value"]
