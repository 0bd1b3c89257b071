"""`typed-semconv upgrade` on code written against release 1 of a small registry of our own
(tests/fixtures/upgrade): what it rewrites, what it refuses (reported at file:line), and how it
treats files (dry run, --write, idempotence, unparsable files, symbolic links)."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.options import GenerateOptions, RegistrySpec, SourceOptions
from typed_semconv.pipeline import load_checked, upgrade_rules
from typed_semconv.upgrade import project
from typed_semconv.upgrade.rewrite import Rules

from conftest import REPO, CliResult, run_cli

FIXTURES = REPO / "tests" / "fixtures" / "upgrade"
BEFORE, AFTER = FIXTURES / "before", FIXTURES / "after"
PACKAGE = "parcel_semconv"
DIAGNOSTIC = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):\d+: warning: .* \[(?P<code>[a-z-]+)\]$")


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The package of each release, generated once: {"before": folder, "after": folder}."""
    found = {}
    for release, registry in (("before", BEFORE), ("after", AFTER)):
        output = tmp_path_factory.mktemp(f"parcel-{release}")
        result = run_cli(
            "generate", "--registry", registry, "--output", output, "--package", PACKAGE, "-q"
        )
        assert result.returncode == 0, result.stderr
        found[release] = output
    return found


def upgrade(*args: str | Path, cwd: Path | None = None) -> CliResult:
    return run_cli(
        "upgrade", *args, "--package", PACKAGE, "--baseline", BEFORE, "--registry", AFTER, cwd=cwd
    )


def findings(stderr: str) -> set[tuple[int, str]]:
    return {(int(m["line"]), m["code"]) for m in map(DIAGNOSTIC.match, stderr.splitlines()) if m}


def mypy(code: Path, package_root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MYPYPATH": str(package_root)}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir=/dev/null",
            str(code),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=code.parent,
    )


# Everything here has a safe replacement in release 2.
CLEAN = '''\
"""Delivery code written against release 1."""

from __future__ import annotations

from opentelemetry.metrics import Meter
from opentelemetry.trace import Span, Tracer

# The names we record by hand.
from parcel_semconv.attributes import parcel_attributes
from parcel_semconv.attributes.parcel_attributes import (
    PARCEL_COURIER_NAME,  # moved
    PARCEL_ID,
    PARCEL_ROUTE,
    ParcelCarrierValues,
    ParcelTransportValues,
)
from parcel_semconv.metrics.parcel_metrics import create_parcel_sorted
from parcel_semconv.spans import SpanName
from parcel_semconv.spans.parcel_spans import (
    ParcelDeliverSpan,
    ParcelDeliverSpanAttributes,
    SetsParcelRoute,
    start_parcel_deliver_span,
)
import parcel_semconv.attributes.parcel_attributes


def deliver(tracer: Tracer, meter: Meter, route: str) -> ParcelCarrierValues:
    belt = create_parcel_sorted(meter)   # counts belt passes
    with start_parcel_deliver_span(
        tracer,
        name=SpanName("deliver"),
        parcel_id="PX-1",
        parcel_route=route,  # the round
        parcel_weight=1200,
    ) as span:
        span.set_parcel_route(route)
        record_route(span, route)
    belt.add(1, {'parcel.route': route})
    return ParcelCarrierValues.BIKE


def record_route(span: SetsParcelRoute, route: str) -> None:
    span.set_parcel_route(route)


def by_hand(span: Span, route: str) -> ParcelTransportValues:
    span.set_attribute(PARCEL_ROUTE, route)
    span.set_attribute("parcel.route", route)
    span.set_attribute(PARCEL_COURIER_NAME, "Speedy")
    span.set_attribute(parcel_attributes.PARCEL_ROUTE, route)
    span.set_attribute(
        parcel_semconv.attributes.parcel_attributes.PARCEL_COURIER_NAME, "Speedy"
    )
    span.set_attribute("parcel.handling.note.loading", "top shelf")
    span.set_attributes({"parcel.route": route, PARCEL_ID: "PX-1"})
    return ParcelTransportValues.RAIL


def typed(span: ParcelDeliverSpan, route: str) -> ParcelDeliverSpanAttributes:
    values: ParcelDeliverSpanAttributes = {"parcel.id": "PX-1", "parcel.route": route,
                                           "parcel.weight": 1}
    span.set_attributes({"parcel.route": route})
    return values
'''

CLEAN_UPGRADED = '''\
"""Delivery code written against release 1."""

from __future__ import annotations

from opentelemetry.metrics import Meter
from opentelemetry.trace import Span, Tracer

# The names we record by hand.
from parcel_semconv.attributes import parcel_attributes
from parcel_semconv.attributes.parcel_attributes import (
    PARCEL_ID,
    PARCEL_ROUTE_NAME,
    ParcelCarrierValues,
    ParcelTransportModeValues,
)
from parcel_semconv.attributes.courier_attributes import COURIER_NAME  # moved
from parcel_semconv.metrics.parcel_metrics import create_parcel_sorted_count
from parcel_semconv.spans import SpanName
from parcel_semconv.spans.parcel_spans import (
    ParcelDeliverSpan,
    ParcelDeliverSpanAttributes,
    SetsParcelRouteName,
    start_parcel_deliver_span,
)
import parcel_semconv.attributes.parcel_attributes
import parcel_semconv.attributes.courier_attributes


def deliver(tracer: Tracer, meter: Meter, route: str) -> ParcelCarrierValues:
    belt = create_parcel_sorted_count(meter)   # counts belt passes
    with start_parcel_deliver_span(
        tracer,
        name=SpanName("deliver"),
        parcel_id="PX-1",
        parcel_route_name=route,  # the round
        parcel_weight=1200,
    ) as span:
        span.set_parcel_route_name(route)
        record_route(span, route)
    belt.add(1, {'parcel.route.name': route})
    return ParcelCarrierValues.BICYCLE


def record_route(span: SetsParcelRouteName, route: str) -> None:
    span.set_parcel_route_name(route)


def by_hand(span: Span, route: str) -> ParcelTransportModeValues:
    span.set_attribute(PARCEL_ROUTE_NAME, route)
    span.set_attribute("parcel.route.name", route)
    span.set_attribute(COURIER_NAME, "Speedy")
    span.set_attribute(parcel_attributes.PARCEL_ROUTE_NAME, route)
    span.set_attribute(
        parcel_semconv.attributes.courier_attributes.COURIER_NAME, "Speedy"
    )
    span.set_attribute("parcel.handling.remark.loading", "top shelf")
    span.set_attributes({"parcel.route.name": route, PARCEL_ID: "PX-1"})
    return ParcelTransportModeValues.RAIL


def typed(span: ParcelDeliverSpan, route: str) -> ParcelDeliverSpanAttributes:
    values: ParcelDeliverSpanAttributes = {"parcel.id": "PX-1", "parcel.route.name": route,
                                           "parcel.weight": 1}
    span.set_attributes({"parcel.route.name": route})
    return values
'''


def test_every_kind_of_name_is_rewritten_and_nothing_else_changes(tmp_path: Path) -> None:
    code = tmp_path / "delivery.py"
    code.write_text(CLEAN, encoding="utf-8")
    result = upgrade(code, "--write")
    assert result.returncode == 0, result.stderr
    assert code.read_text(encoding="utf-8") == CLEAN_UPGRADED
    assert "upgraded 1 of 1 file(s): 23 rewrite(s); 0 item(s) need a human" in result.stdout


@pytest.mark.slow  # mypy over the two generated packages, three times
def test_upgraded_code_type_checks_against_the_new_package(
    tmp_path: Path, packages: dict[str, Path]
) -> None:
    code = tmp_path / "delivery.py"
    code.write_text(CLEAN, encoding="utf-8")
    assert mypy(code, packages["before"]).returncode == 0
    old_against_new = mypy(code, packages["after"])
    assert old_against_new.returncode == 1  # what the upgrade is for
    assert upgrade(code, "--write").returncode == 0
    checked = mypy(code, packages["after"])
    assert checked.returncode == 0, checked.stdout


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    code = tmp_path / "delivery.py"
    code.write_text(CLEAN, encoding="utf-8")
    result = upgrade("delivery.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert code.read_text(encoding="utf-8") == CLEAN
    assert result.stdout.startswith("--- a/delivery.py\n+++ b/delivery.py\n@@ ")
    assert "-        parcel_route=route,  # the round\n" in result.stdout
    assert "+        parcel_route_name=route,  # the round\n" in result.stdout
    assert "1 of 1 file(s) would change: 23 rewrite(s)" in result.stdout


def test_a_second_run_changes_nothing(tmp_path: Path) -> None:
    code = tmp_path / "delivery.py"
    code.write_text(CLEAN, encoding="utf-8")
    assert upgrade(code, "--write").returncode == 0
    again = upgrade(code)
    assert again.returncode == 0
    assert "0 of 1 file(s) would change: 0 rewrite(s)" in again.stdout
    assert "---" not in again.stdout


UNSAFE = """\
from parcel_semconv.attributes.parcel_attributes import (
    PARCEL_FRAGILE,
    PARCEL_SIZE,
    ParcelCarrierValues,
)
from parcel_semconv.metrics.parcel_metrics import create_parcel_delivery_duration
from parcel_semconv.spans.parcel_spans import start_parcel_deliver_span, start_parcel_scan_span


def unsafe(tracer, span, meter, route):
    span.set_attribute(PARCEL_FRAGILE, True)
    span.set_attribute("parcel.size", "L")
    span.set_attribute("parcel.legacy_code", "A7")
    carrier = ParcelCarrierValues.DRONE
    print(f"parcel.route={route}")
    key = "parcel.route"
    with start_parcel_deliver_span(tracer, name="n", parcel_id="1", parcel_label="x"):
        pass
    with start_parcel_scan_span(tracer, parcel_id="1"):
        pass
    return create_parcel_delivery_duration(meter), carrier, key
"""


def test_what_cannot_be_changed_safely_is_reported_where_it_is_and_left_alone(
    tmp_path: Path,
) -> None:
    code = tmp_path / "unsafe.py"
    code.write_text(UNSAFE, encoding="utf-8")
    result = upgrade(code, "--write")
    assert result.returncode == 0, result.stderr
    assert code.read_text(encoding="utf-8") == UNSAFE
    assert findings(result.stderr) == {
        (2, "upgrade-no-replacement"),  # PARCEL_FRAGILE: obsoleted
        (3, "upgrade-value-changed"),  # PARCEL_SIZE: string -> int
        (6, "upgrade-value-changed"),  # the duration is in s, not ms
        (7, "upgrade-removed"),  # start_parcel_scan_span: the span is gone
        (12, "upgrade-value-changed"),  # "parcel.size"
        (13, "upgrade-removed"),  # "parcel.legacy_code"
        (14, "upgrade-removed"),  # DRONE
        (15, "upgrade-f-string"),
        (16, "upgrade-string-not-rewritten"),
        (17, "upgrade-now-required"),  # parcel_weight= is required now
        (17, "upgrade-no-replacement"),  # parcel_label=: uncategorized
    }
    assert f"{code}:14:15: warning: `DRONE`: member `drone` of `parcel.carrier`" in result.stderr
    assert "8 item(s) need a human" not in result.stdout  # counted, not guessed
    assert "11 item(s) need a human" in result.stdout


def test_a_name_bound_otherwise_in_the_file_is_not_renamed(tmp_path: Path) -> None:
    source = (
        "from parcel_semconv.attributes.parcel_attributes import PARCEL_ROUTE\n"
        "\n"
        "def f(span):\n"
        "    PARCEL_ROUTE = 'mine'\n"
        "    span.set_attribute(PARCEL_ROUTE, 1)\n"
        "\n"
        "PARCEL_ROUTE_NAME = 'taken'\n"
    )
    code = tmp_path / "shadow.py"
    code.write_text(source, encoding="utf-8")
    result = upgrade(code, "--write")
    assert code.read_text(encoding="utf-8") == source
    assert findings(result.stderr) == {(1, "upgrade-name-conflict")}


def test_a_replacement_the_generation_options_leave_out_is_reported(tmp_path: Path) -> None:
    """`courier.name` replaces `parcel.courier_name` in release 2; leaving its namespace out of
    the new package (on the command line, or in [tool.typed-semconv] as `generate` reads it)
    leaves the code alone with a finding instead of a rewrite to a name that does not exist."""
    source = (
        "from parcel_semconv.attributes.parcel_attributes import PARCEL_COURIER_NAME\n"
        "\n"
        "KEY = PARCEL_COURIER_NAME\n"
    )
    code = tmp_path / "keys.py"
    code.write_text(source, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'delivery'\n")
    assert "COURIER_NAME" in upgrade(code, cwd=tmp_path).stdout  # the rewrite, shown

    by_flag = upgrade(code, "--write", "--exclude-namespace", "courier", cwd=tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        "[tool.typed-semconv]\nexclude-namespace = ['courier']\n"
    )
    by_config = upgrade(code, "--write", cwd=tmp_path)

    for result in (by_flag, by_config):
        assert result.returncode == 0, result.stderr
        assert findings(result.stderr) == {(1, "upgrade-not-generated")}, result.stderr
        assert "no attribute constant for `courier.name`" in result.stderr
    assert code.read_text(encoding="utf-8") == source


def test_comments_of_a_removed_import_are_kept(tmp_path: Path) -> None:
    source = (
        "import os\n"
        "# Only used for the legacy dashboards.\n"
        "from parcel_semconv.attributes.parcel_attributes import PARCEL_COURIER_NAME  # moves\n"
        "from parcel_semconv.attributes.courier_attributes import COURIER_NAME\n"
        "\n"
        "KEYS = (PARCEL_COURIER_NAME, COURIER_NAME, os.sep)\n"
    )
    code = tmp_path / "keys.py"
    code.write_text(source, encoding="utf-8")
    # courier_attributes is new in release 2: import it from the new package to begin with.
    result = upgrade(code, "--write")
    assert result.returncode == 0, result.stderr
    assert code.read_text(encoding="utf-8") == (
        "import os\n"
        "# Only used for the legacy dashboards.\n"
        "# moves\n"
        "from parcel_semconv.attributes.courier_attributes import COURIER_NAME\n"
        "\n"
        "KEYS = (COURIER_NAME, COURIER_NAME, os.sep)\n"
    )


def test_an_import_inside_a_block_keeps_the_block_valid(tmp_path: Path) -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from parcel_semconv.attributes.courier_attributes import COURIER_NAME\n"
        "\n"
        "if TYPE_CHECKING:\n"
        "    from parcel_semconv.attributes.parcel_attributes import PARCEL_COURIER_NAME\n"
        "\n"
        "def f() -> None:\n"
        "    from parcel_semconv.attributes.parcel_attributes import PARCEL_COURIER_NAME\n"
        "    print(PARCEL_COURIER_NAME, COURIER_NAME)\n"
    )
    code = tmp_path / "blocks.py"
    code.write_text(source, encoding="utf-8")
    assert upgrade(code, "--write").returncode == 0
    # Each block gets the import it needs; nothing moves between run time and type checking.
    assert code.read_text(encoding="utf-8") == (
        "from typing import TYPE_CHECKING\n"
        "from parcel_semconv.attributes.courier_attributes import COURIER_NAME\n"
        "\n"
        "if TYPE_CHECKING:\n"
        "    from parcel_semconv.attributes.courier_attributes import COURIER_NAME\n"
        "\n"
        "def f() -> None:\n"
        "    from parcel_semconv.attributes.courier_attributes import COURIER_NAME\n"
        "    print(COURIER_NAME, COURIER_NAME)\n"
    )


def test_unparsable_files_are_reported_and_untouched_while_the_others_are_upgraded(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "src" / "broken.py"
    broken.parent.mkdir()
    broken_text = "from parcel_semconv.attributes.parcel_attributes import PARCEL_ROUTE\ndef (:\n"
    broken.write_text(broken_text, encoding="utf-8")
    good = tmp_path / "src" / "good.py"
    good.write_text(
        "from parcel_semconv.attributes.parcel_attributes import PARCEL_ROUTE\n", encoding="utf-8"
    )
    result = upgrade(tmp_path / "src", "--write")
    assert result.returncode == 1
    assert f"{broken}:2:" in result.stderr and "[upgrade-unparsable]" in result.stderr
    assert broken.read_text(encoding="utf-8") == broken_text
    assert "PARCEL_ROUTE_NAME" in good.read_text(encoding="utf-8")


def test_symbolic_links_are_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    text = "from parcel_semconv.attributes.parcel_attributes import PARCEL_ROUTE\n"
    outside.write_text(text, encoding="utf-8")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "link.py").symlink_to(outside)
    (tree / "linked_folder").symlink_to(tmp_path, target_is_directory=True)
    result = upgrade(tree, "--write")
    assert result.returncode == 1
    assert "link.py is a symbolic link; not upgraded [upgrade-file-skipped]" in result.stderr
    assert outside.read_text(encoding="utf-8") == text
    direct = upgrade(tree / "link.py", "--write")
    assert direct.returncode == 1 and outside.read_text(encoding="utf-8") == text


def test_a_named_pipe_is_reported_not_waited_on(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.py"
    os.mkfifo(pipe)
    stuck = []

    def release() -> None:
        """Let a reader that waits for a writer go on (opening succeeds only if one waits)."""
        with contextlib.suppress(OSError):
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
            stuck.append(True)

    timer = threading.Timer(10, release)
    timer.start()
    try:
        diagnostics = Diagnostics()
        plan = project.plan_upgrade([tmp_path], rules(), diagnostics)
    finally:
        timer.cancel()
    assert not stuck, "the upgrade waited on the pipe"
    assert plan.changes == ()
    [problem] = diagnostics
    assert problem.code.name == "upgrade-unparsable"
    assert problem.message == "pipe.py cannot be read: not a regular file; left untouched"


def test_generated_packages_in_the_tree_are_left_alone(
    tmp_path: Path, packages: dict[str, Path]
) -> None:
    project_root = tmp_path / "service"
    result = run_cli(
        "generate", "--registry", BEFORE, "--output", project_root, "--package", PACKAGE, "-q"
    )
    assert result.returncode == 0
    generated = {p: p.read_bytes() for p in (project_root / PACKAGE).rglob("*.py")}
    (project_root / "app.py").write_text(
        "from parcel_semconv.attributes.parcel_attributes import PARCEL_ROUTE\n", encoding="utf-8"
    )
    upgraded = upgrade(project_root, "--write")
    assert upgraded.returncode == 0, upgraded.stderr
    assert {p: p.read_bytes() for p in (project_root / PACKAGE).rglob("*.py")} == generated
    assert "upgraded 1 of 1 file(s)" in upgraded.stdout


def test_write_keeps_the_file_mode_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    code = tmp_path / "script.py"
    code.write_text(
        "#!/usr/bin/env python3\nfrom parcel_semconv.attributes.parcel_attributes import "
        "PARCEL_ROUTE\n",
        encoding="utf-8",
    )
    code.chmod(0o750)
    assert upgrade(code, "--write").returncode == 0
    assert stat.S_IMODE(code.stat().st_mode) == 0o750
    assert sorted(p.name for p in tmp_path.iterdir()) == ["script.py"]


def rules() -> Rules:
    diagnostics = Diagnostics()
    baseline, head = (
        load_checked([RegistrySpec(str(path))], SourceOptions(), diagnostics)
        for path in (BEFORE, AFTER)
    )
    options = GenerateOptions((RegistrySpec(str(AFTER)),), Path("."), PACKAGE)
    return upgrade_rules(baseline, head, options, PACKAGE, diagnostics)


def test_a_file_changed_after_planning_is_not_overwritten(tmp_path: Path) -> None:
    code = tmp_path / "busy.py"
    code.write_text(
        "from parcel_semconv.attributes.parcel_attributes import PARCEL_ROUTE\n", encoding="utf-8"
    )
    diagnostics = Diagnostics()
    plan = project.plan_upgrade([code], rules(), diagnostics)
    assert len(plan.changes) == 1
    code.write_text("# edited meanwhile\n", encoding="utf-8")
    assert project.write(plan, diagnostics) == 0
    assert code.read_text(encoding="utf-8") == "# edited meanwhile\n"
    assert [d.code.name for d in diagnostics] == ["upgrade-file-skipped"]


def test_files_that_mention_nothing_that_changes_are_not_parsed(tmp_path: Path) -> None:
    (tmp_path / "other.py").write_text("def (:\n", encoding="utf-8")  # not even valid Python
    diagnostics = Diagnostics()
    plan = project.plan_upgrade([tmp_path], rules(), diagnostics)
    assert (plan.scanned, plan.parsed, plan.changes) == (1, 0, ())
    assert len(diagnostics) == 0


def test_package_and_registry_come_from_the_projects_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.typed-semconv]\nregistry = ["{AFTER}"]\noutput = "src"\npackage = "{PACKAGE}"\n',
        encoding="utf-8",
    )
    code = tmp_path / "app.py"
    code.write_text(
        "from parcel_semconv.attributes.parcel_attributes import PARCEL_ROUTE\n", encoding="utf-8"
    )
    result = run_cli("upgrade", "app.py", "--baseline", BEFORE, "--write", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "import PARCEL_ROUTE_NAME\n" in code.read_text(encoding="utf-8")


@pytest.mark.parametrize("write", [False, True])
def test_the_baseline_is_required(tmp_path: Path, write: Callable[[], None] | bool) -> None:
    result = run_cli("upgrade", tmp_path, "--registry", AFTER, *(["--write"] if write else []))
    assert result.returncode == 2
    assert "--baseline" in result.stderr


def test_a_block_whose_only_import_goes_keeps_a_statement(tmp_path: Path) -> None:
    source = (
        "from parcel_semconv.attributes import courier_attributes\n"
        "\n"
        "if courier_attributes:\n"
        "    # the old module\n"
        "    from parcel_semconv.attributes import parcel_attributes\n"
        "\n"
        "KEY = parcel_attributes.PARCEL_COURIER_NAME\n"
    )
    code = tmp_path / "block.py"
    code.write_text(source, encoding="utf-8")
    assert upgrade(code, "--write").returncode == 0
    assert code.read_text(encoding="utf-8") == (
        "from parcel_semconv.attributes import courier_attributes\n"
        "\n"
        "if courier_attributes:\n"
        "    # the old module\n"
        "    pass\n"
        "\n"
        "KEY = courier_attributes.COURIER_NAME\n"
    )


def test_names_from_a_star_import_are_reported(tmp_path: Path) -> None:
    source = (
        "from parcel_semconv.attributes.parcel_attributes import *\n"
        "\n"
        "KEYS = (PARCEL_ID, PARCEL_ROUTE)\n"
    )
    code = tmp_path / "star.py"
    code.write_text(source, encoding="utf-8")
    result = upgrade(code, "--write")
    assert code.read_text(encoding="utf-8") == source
    assert findings(result.stderr) == {(3, "upgrade-name-conflict")}
    assert "`PARCEL_ROUTE` comes from `from parcel_semconv" in result.stderr


def test_an_already_imported_replacement_is_not_imported_twice(tmp_path: Path) -> None:
    source = (
        "from parcel_semconv.attributes.parcel_attributes import PARCEL_ROUTE, PARCEL_ROUTE_NAME\n"
        "\n"
        "KEYS = (PARCEL_ROUTE, PARCEL_ROUTE_NAME)\n"
    )
    code = tmp_path / "both.py"
    code.write_text(source, encoding="utf-8")
    assert upgrade(code, "--write").returncode == 0
    assert code.read_text(encoding="utf-8") == (
        "from parcel_semconv.attributes.parcel_attributes import PARCEL_ROUTE_NAME\n"
        "\n"
        "KEYS = (PARCEL_ROUTE_NAME, PARCEL_ROUTE_NAME)\n"
    )
