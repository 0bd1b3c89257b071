"""The default templates render in black's style, so generation can skip black: black must leave
every generated module exactly as it is (for our example, the edge registry and the three real
registries). `needs_black` must send a module through black when a layout rule does not cover it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import black
import pytest
from black.mode import TargetVersion

from typed_semconv import pipeline
from typed_semconv.diagnostics.core import Diagnostics
from typed_semconv.options import GenerateOptions, RegistrySpec
from typed_semconv.output import formatting, layout

from conftest import REAL_VERSIONS, REPO, real_registry, run_cli

MODE = black.Mode(line_length=layout.LINE_LENGTH, target_versions={TargetVersion.PY310})


def unformatted_modules(root: Path) -> list[str]:
    return [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*.py"))
        if black.format_str(text := path.read_text(encoding="utf-8"), mode=MODE) != text
    ]


def test_the_committed_example_is_black_formatted() -> None:
    assert unformatted_modules(REPO / "generated") == []


def test_the_edge_registry_output_is_black_formatted(tmp_path: Path) -> None:
    result = run_cli(
        "generate",
        "--registry",
        REPO / "tests" / "fixtures" / "edge",
        "--output",
        tmp_path,
        "--package",
        "edge_semconv",
        "-q",
    )
    assert result.returncode == 0, result.stderr
    assert unformatted_modules(tmp_path) == []


@pytest.mark.slow
@pytest.mark.parametrize("version", REAL_VERSIONS)
def test_real_registry_output_is_black_formatted(
    version: str, generated_real: Callable[[str], Path]
) -> None:
    assert unformatted_modules(generated_real(version)) == []


def test_layout_rules_match_black_for_long_names() -> None:
    long = "x" * 60
    top_level = [
        layout.def_line(0, f"set_{long}", ["self", "value: int"], "None") + "\n    pass",
        layout.call_line(0, "@deprecated", '"' + "d" * 120 + '"') + "\ndef f() -> None:\n    pass",
        layout.assign_line(0, f"{long.upper()}: Final", f'"{long}.{long}"'),
    ]
    nested = [
        layout.def_line(4, f"set_{long}{long}", ["self", "key: str", "value: int"], "None")
        + "\n        pass",
        layout.assign_line(4, f'attributes["{long}"]', f"plain_value({long})"),
        layout.assign_line(4, f'attributes["{long}"]', long + long),
    ]
    for source in [*top_level, *("class C:\n" + line for line in nested)]:
        assert black.format_str(source + "\n", mode=MODE) == source + "\n", source
    # A target too long even for `target = (`: no rule covers it, so black must format it.
    uncovered = layout.assign_line(4, f'attributes["{long}.{long}"]', f"plain_value({long})")
    assert formatting.needs_black("class C:\n" + uncovered + "\n")


def test_a_long_line_outside_the_rules_goes_through_black() -> None:
    uncovered = 'X = call_with_a_long_name("' + "a" * 50 + '", "' + "b" * 50 + '")\n'
    assert formatting.needs_black(uncovered)
    assert not formatting.needs_black('"""' + "d" * 200 + '"""\n')
    assert not formatting.needs_black('    description="' + "d" * 200 + '",\n')


@pytest.mark.slow
@pytest.mark.parametrize("version", REAL_VERSIONS)
def test_the_default_templates_never_need_black_on_a_real_registry(
    version: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Running black is most of a generation's time: a template line outside the layout rules
    (such as a long signature) would send every module holding it through black."""
    sent: list[str] = []
    monkeypatch.setattr(formatting, "format_module", lambda path, text: sent.append(path) or text)
    options = GenerateOptions((RegistrySpec(str(real_registry(version))),), tmp_path, "semconv")
    diagnostics = Diagnostics()
    folders = pipeline.fetch(options.registries, options.sources, diagnostics)
    files = pipeline.render(options, folders, diagnostics)
    assert files and not diagnostics.has_errors
    assert sent == []
