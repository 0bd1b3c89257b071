"""A synthetic registry whose shape follows v1.44.0 (per scale unit: ~940 attributes, ~170 enums,
~540 metrics, ~110 spans), for measuring how generation time grows with registry size."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

WORDS = (
    "alpha",
    "bravo",
    "cargo",
    "delta",
    "ember",
    "fjord",
    "gamma",
    "harbor",
    "ion",
    "jetty",
    "kernel",
    "lumen",
    "matrix",
    "nova",
    "orbit",
    "pulse",
    "quartz",
    "relay",
    "sonar",
    "tensor",
    "umbra",
    "vector",
    "wharf",
    "xenon",
    "yield",
    "zenith",
)
TYPES = ("string", "int", "double", "boolean", "string[]", "int[]")
INSTRUMENTS = ("counter", "updowncounter", "histogram", "gauge")


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def write_synthetic_registry(root: Path, scale: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.yaml").write_text(
        "schema_url: https://example.com/schemas/synthetic/1.0.0\n", encoding="utf-8"
    )
    namespaces = 90 * scale
    for index in range(namespaces):
        namespace = f"{WORDS[index % len(WORDS)]}{index}"
        attributes = []
        keys = []
        for position in range(10 + (index % 3)):
            key = f"{namespace}.{rng.choice(WORDS)}{position}.value"
            keys.append(key)
            attribute: dict[str, object] = {
                "id": key,
                "stability": "development",
                "brief": _sentence(rng, 12),
                "note": _sentence(rng, 30),
                "examples": ["example"],
            }
            if position % 5 == 0:
                attribute["type"] = {
                    "members": [
                        {
                            "id": f"{word}_{m}",
                            "value": f"{word}-{m}",
                            "stability": "development",
                            "brief": _sentence(rng, 4),
                        }
                        for m, word in enumerate(WORDS[:6])
                    ]
                }
            else:
                attribute["type"] = TYPES[position % len(TYPES)]
                if attribute["type"] != "string":
                    attribute.pop("examples")
            attributes.append(attribute)
        groups: list[dict[str, object]] = [
            {
                "id": f"registry.{namespace}",
                "type": "attribute_group",
                "brief": _sentence(rng, 6),
                "attributes": attributes,
            }
        ]
        for metric in range(6):
            groups.append(
                {
                    "id": f"metric.{namespace}.m{metric}",
                    "type": "metric",
                    "metric_name": f"{namespace}.m{metric}.total",
                    "instrument": INSTRUMENTS[metric % len(INSTRUMENTS)],
                    "unit": "{item}",
                    "stability": "development",
                    "brief": _sentence(rng, 10),
                    "attributes": [{"ref": k} for k in keys[:4]],
                }
            )
        if index % 4 == 0:
            for span in range(5):
                groups.append(
                    {
                        "id": f"span.{namespace}.s{span}",
                        "type": "span",
                        "span_kind": "client",
                        "stability": "development",
                        "brief": _sentence(rng, 10),
                        "attributes": [
                            {"ref": k, "requirement_level": "required" if n == 0 else "recommended"}
                            for n, k in enumerate(keys[:8])
                        ],
                    }
                )
        folder = root / namespace
        folder.mkdir(exist_ok=True)
        (folder / "registry.yaml").write_text(
            yaml.safe_dump({"groups": groups}, sort_keys=False), encoding="utf-8"
        )
