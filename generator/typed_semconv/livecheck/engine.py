"""The checker: one sample in, its findings out (and the statistics updated).

What an attribute key of a given value type gets (missing, template, deprecated, not stable,
wrong type, bad name) does not depend on the value or the signal, so it is worked out once per
key and type and reused; only the enum check looks at the value. A span is matched to a span
definition by its name (static names, then name patterns rendered from its own attributes) and,
when the name matches none or several, by its kind and attributes; the finding context says
which definition was assumed and how.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from typed_semconv.livecheck import findings as ids
from typed_semconv.livecheck.cardinality import high_cardinality_parts
from typed_semconv.livecheck.findings import Finding, FindingKind, SignalType
from typed_semconv.livecheck.index import (
    RegistryIndex,
    Requirement,
    SignalDefinition,
    SpanDefinition,
    build_index,
    render_name,
)
from typed_semconv.livecheck.samples import (
    SCALAR_TYPES,
    Attribute,
    Attributes,
    Batch,
    LogRecord,
    Metric,
    Resource,
    Sample,
    SampleAttribute,
    Span,
    SpanEvent,
    SpanLink,
)
from typed_semconv.livecheck.settings import LiveCheckSettings
from typed_semconv.livecheck.statistics import Statistics
from typed_semconv.model import Attribute as Definition
from typed_semconv.model import Deprecation, Group, Instrument, PrimitiveType, Registry, Stability

NAME_FORMAT = re.compile(r"^[a-z][a-z0-9]*([._][a-z0-9]+)*$")
INSTRUMENTS = frozenset(instrument.value for instrument in Instrument)
MAX_CACHED_KEYS = 100_000
_ARRAYS = frozenset(t for t in PrimitiveType if t.value.endswith("[]"))
_REQUIREMENT_FINDINGS: Mapping[str, FindingKind] = {
    "required": ids.REQUIRED_ATTRIBUTE_NOT_PRESENT,
    "conditionally_required": ids.CONDITIONALLY_REQUIRED_ATTRIBUTE_NOT_PRESENT,
    "recommended": ids.RECOMMENDED_ATTRIBUTE_NOT_PRESENT,
    "opt_in": ids.OPT_IN_ATTRIBUTE_NOT_PRESENT,
}
_REQUIREMENT_WORDS = {
    "required": "required",
    "conditionally_required": "conditionally required",
    "recommended": "recommended",
    "opt_in": "opt-in",
}

_SCALARS = frozenset(SCALAR_TYPES.values())
Part = tuple[FindingKind, str, Mapping[str, Any]]  # a finding before it knows its signal
_Key = TypeVar("_Key", bound=Hashable)
_Value = TypeVar("_Value")


def _remember(cache: dict[_Key, _Value], key: _Key, value: _Value) -> _Value:
    """Keep `value` under `key`; a full cache is emptied first, so that input with ever new
    keys (names made of ids, say) cannot grow it without bound."""
    if len(cache) >= MAX_CACHED_KEYS:
        cache.clear()
    cache[key] = value
    return value


def compatible(sample_type: str | None, expected: PrimitiveType) -> bool:
    """Whether a value of `sample_type` is a valid value of a registry type. An int is a valid
    double (as it is for the generated setters' `float`), an empty array any array."""
    if sample_type is None or expected is PrimitiveType.ANY or sample_type == expected.value:
        return True
    if expected is PrimitiveType.DOUBLE:
        return sample_type == "int"
    if expected is PrimitiveType.DOUBLE_ARRAY:
        return sample_type == "int[]" or sample_type == "[]"
    return sample_type == "[]" and expected in _ARRAYS


@dataclass(frozen=True, slots=True)
class _Verdict:
    """What an attribute key with a value of one type gets, whatever the value and signal."""

    parts: tuple[Part, ...]
    enum_values: frozenset[Any] | None
    seen_as: str
    in_registry: bool


def _deprecation_part(what: str, name: str, deprecation: Deprecation, key: str) -> Part:
    context: dict[str, Any] = {key: name, "deprecation_reason": deprecation.reason}
    if deprecation.note:
        context["deprecation_note"] = deprecation.note.strip()
    message = f"{what} `{name}` is deprecated ({deprecation.reason})"
    if deprecation.renamed_to:
        context["replacement"] = deprecation.renamed_to
        message += f"; use `{deprecation.renamed_to}` instead"
    elif deprecation.note:
        message += f": {deprecation.note.strip()}"
    return ids.DEPRECATED, message, context


def _stability_part(what: str, name: str, stability: Stability, key: str) -> Part | None:
    if stability is Stability.STABLE:
        return None
    return (
        ids.NOT_STABLE,
        f"{what} `{name}` is {stability.value}, not stable",
        {key: name, "stability": stability.value},
    )


def _definition_parts(key: str, sample_type: str | None, definition: Definition) -> list[Part]:
    parts: list[Part] = []
    if definition.deprecation is not None:
        parts.append(_deprecation_part("attribute", key, definition.deprecation, "attribute_key"))
    stability = _stability_part("attribute", key, definition.stability, "attribute_key")
    if stability is not None:
        parts.append(stability)
    expected = definition.type
    if not compatible(sample_type, expected.primitive):
        parts.append(
            (
                ids.TYPE_MISMATCH,
                f"attribute `{key}` has a {sample_type} value; the registry's type is "
                f"{expected.describe()}",
                {
                    "attribute_key": key,
                    "attribute_type": sample_type,
                    "expected": expected.describe(),
                },
            )
        )
    return parts


def _name_parts(key: str, index: RegistryIndex) -> list[Part]:
    """Naming findings for a key the registry does not define."""
    parts: list[Part] = []
    if "." not in key:
        parts.append(
            (
                ids.MISSING_NAMESPACE,
                f"attribute `{key}` has no namespace (name it `<namespace>.{key}`)",
                {"attribute_key": key},
            )
        )
    if not NAME_FORMAT.match(key):
        parts.append(
            (
                ids.INVALID_FORMAT,
                f"attribute `{key}` is not lower-case words joined by `.` or `_`",
                {"attribute_key": key},
            )
        )
    namespaces = key.split(".")
    prefixes = [".".join(namespaces[:end]) for end in range(1, len(namespaces))]
    for prefix in prefixes:
        if prefix in index.attribute_namespaces:
            parts.append(
                (
                    ids.ILLEGAL_NAMESPACE,
                    f"attribute `{key}` uses the registry attribute `{prefix}` as its namespace",
                    {"attribute_key": key, "namespace": prefix},
                )
            )
            break
    known = [prefix for prefix in prefixes if prefix in index.known_namespaces]
    if known:
        parts.append(
            (
                ids.EXTENDS_NAMESPACE,
                f"attribute `{key}` adds to the registry's namespace `{known[-1]}`",
                {"attribute_key": key, "namespace": known[-1]},
            )
        )
    return parts


def attribute_verdict(key: str, sample_type: str | None, index: RegistryIndex) -> _Verdict:
    definition = index.attributes.get(key)
    if definition is not None:
        members = definition.type.members
        return _Verdict(
            tuple(_definition_parts(key, sample_type, definition)),
            frozenset(m.value for m in members)
            if members is not None
            and sample_type in _SCALARS
            and compatible(sample_type, definition.type.primitive)
            else None,
            key,
            True,
        )
    template = index.template_of(key)
    if template is not None:
        parts: list[Part] = [
            (
                ids.TEMPLATE_ATTRIBUTE,
                f"attribute `{key}` is an instance of the template attribute `{template.key}`",
                {"attribute_key": key, "template": template.key},
            )
        ]
        parts += _definition_parts(key, sample_type, template)
        return _Verdict(tuple(parts), None, template.key, True)
    parts = [
        (
            ids.MISSING_ATTRIBUTE,
            f"attribute `{key}` is not defined in the registry",
            {"attribute_key": key},
        ),
        *_name_parts(key, index),
    ]
    return _Verdict(tuple(parts), None, key, False)


@dataclass(frozen=True)
class SpanMatch:
    definition: SpanDefinition
    matched_by: str  # "name", "name, kind and attributes", "kind and attributes"
    also_possible: tuple[str, ...] = ()

    @property
    def by_name(self) -> bool:
        return self.matched_by.startswith("name")


def _overlap(
    definition: SpanDefinition, kind: str, keys: frozenset[str]
) -> tuple[int, int, int, int]:
    """How well a span with `kind` and attribute `keys` fits a definition (higher is better)."""
    return (
        int(definition.kind is None or definition.kind == kind),
        len(keys & definition.required),
        len(keys & definition.keys),
        -len(definition.keys - keys),
    )


def _plausible(definition: SpanDefinition, kind: str, keys: frozenset[str]) -> bool:
    """A span without a matching name is taken for a definition of its kind only when it has
    at least half of the definition's required attributes (a missing one is then reported)."""
    if not definition.required or definition.kind not in (None, kind):
        return False
    return 2 * len(keys & definition.required) >= len(definition.required)


def _best(
    candidates: Sequence[SpanDefinition], kind: str, keys: frozenset[str], matched_by: str
) -> SpanMatch:
    ranked = sorted(candidates, key=lambda d: (_overlap(d, kind, keys), d.group.id), reverse=True)
    best = ranked[0]
    if len(ranked) == 1:
        return SpanMatch(best, matched_by)
    score = _overlap(best, kind, keys)
    tied = tuple(d.group.id for d in ranked[1:] if _overlap(d, kind, keys) == score)
    others = tied or tuple(d.group.id for d in ranked[1:])
    how = "name, kind and attributes" if matched_by == "name" else matched_by
    return SpanMatch(best, how, others)


class LiveChecker:
    """Assesses samples against one registry; keeps the statistics of everything it saw.

    Not thread-safe: a source that receives samples on several threads takes a lock.
    """

    def __init__(
        self, registry: Registry | RegistryIndex, settings: LiveCheckSettings | None = None
    ) -> None:
        self.index = registry if isinstance(registry, RegistryIndex) else build_index(registry)
        self.settings = settings or LiveCheckSettings()
        self.statistics = Statistics(self.index)
        self._verdicts: dict[tuple[str, str | None], _Verdict] = {}
        self._span_matches: dict[tuple[str, frozenset[str]], SpanMatch | None] = {}
        self._missing_cache: dict[tuple[str, frozenset[str]], tuple[Requirement, ...]] = {}
        self._span_parts_cache: dict[tuple[str, str, frozenset[str]], list[Part]] = {}

    # --- entry points ----------------------------------------------------------------------------

    def assess(self, sample: Sample, origin: str | None = None) -> list[Finding]:
        """The findings of one sample and of everything it holds, after filters and overrides."""
        out: list[Finding] = []
        if isinstance(sample, Span):
            self._span(sample, origin, out)
        elif isinstance(sample, Metric):
            self._metric(sample, origin, out)
        elif isinstance(sample, LogRecord):
            self._log(sample, origin, out)
        elif isinstance(sample, Resource):
            self._entity("resource", "", [], out)
            self._attributes(sample.attributes, "resource", None, origin, out)
        elif isinstance(sample, SpanEvent):
            self._event(sample.name, sample.attributes, "span_event", ("span", None), origin, out)
        elif isinstance(sample, SpanLink):
            self._entity("span_link", "", [], out)
            self._attributes(sample.attributes, "span", None, origin, out)
        elif isinstance(sample, Attribute):
            self._attributes((sample.attribute,), None, None, origin, out)
        return out

    def assess_batch(self, batch: Batch) -> list[Finding]:
        out: list[Finding] = []
        for sample in batch.samples:
            out += self.assess(sample, batch.origin)
        return out

    # --- entities --------------------------------------------------------------------------------

    def _entity(
        self, sample_type: str, sample_name: str, found: list[Finding], out: list[Finding]
    ) -> None:
        """Apply filters and overrides, count the entity, and add what is kept to `out`."""
        if self.settings.changes_findings:
            kept = [f for f in map(self.settings.apply, found) if f is not None]
        else:
            kept = found
        self.statistics.entity(sample_type, kept)
        out += kept

    def _verdict(self, attribute: SampleAttribute) -> _Verdict:
        cache_key = (attribute.name, attribute.type)
        verdict = self._verdicts.get(cache_key)
        if verdict is None:
            verdict = attribute_verdict(attribute.name, attribute.type, self.index)
            _remember(self._verdicts, cache_key, verdict)
        return verdict

    def _attributes(
        self,
        attributes: Attributes,
        signal_type: SignalType | None,
        signal_name: str | None,
        origin: str | None,
        out: list[Finding],
    ) -> None:
        statistics = self.statistics
        signal = (signal_type, signal_name)
        for attribute in attributes:
            verdict = self._verdict(attribute)
            parts: Sequence[Part] = verdict.parts
            if verdict.enum_values is not None and attribute.value not in verdict.enum_values:
                not_a_member: Part = (
                    ids.UNDEFINED_ENUM_VARIANT,
                    f"attribute `{attribute.name}` has the value {attribute.value!r}, "
                    "which is not a member of its enum",
                    {"attribute_key": attribute.name, "attribute_value": attribute.value},
                )
                parts = (*parts, not_a_member)
            found = self._found(parts, signal, "attribute", attribute.name, origin)
            if verdict.in_registry:
                statistics.registry_attributes[verdict.seen_as] += 1
            else:
                statistics.non_registry_attributes[verdict.seen_as] += 1
            self._entity("attribute", attribute.name, found, out)

    def _signal_parts(self, what: str, name: str, group: Group, key: str) -> Iterable[Part]:
        if group.deprecation is not None:
            yield _deprecation_part(what, name, group.deprecation, key)
        stability = _stability_part(what, name, group.stability, key)
        if stability is not None:
            yield stability

    def _missing(
        self, definition: SignalDefinition, attributes: Attributes
    ) -> tuple[Requirement, ...]:
        """The requirements of `definition` that attributes with these keys leave unmet."""
        present = frozenset(a.name for a in attributes)
        cache_key = (definition.group.id, present)
        missing = self._missing_cache.get(cache_key)
        if missing is None:
            missing = tuple(
                requirement
                for requirement in definition.requirements
                if not (
                    any(name.startswith(requirement.key + ".") for name in present)
                    if requirement.is_template
                    else requirement.key in present
                )
            )
            _remember(self._missing_cache, cache_key, missing)
        return missing

    def _requirements(
        self, definition: SignalDefinition, attributes: Attributes, where: str
    ) -> Iterable[Part]:
        for requirement in self._missing(definition, attributes):
            kind = _REQUIREMENT_FINDINGS[requirement.level]
            yield (
                kind,
                f"{_REQUIREMENT_WORDS[requirement.level]} attribute `{requirement.key}` is not "
                f"present on {where}",
                {"attribute_key": requirement.key},
            )

    def _found(
        self,
        parts: Iterable[Part],
        signal: tuple[SignalType | None, str | None],
        sample_type: str,
        sample_name: str,
        origin: str | None,
    ) -> list[Finding]:
        signal_type, signal_name = signal
        return [
            Finding(
                kind.id,
                kind.level,
                message,
                context,
                signal_type,
                signal_name,
                sample_type,
                sample_name,
                origin,
            )
            for kind, message, context in parts
        ]

    # --- spans -----------------------------------------------------------------------------------

    def match_span(self, span: Span) -> SpanMatch | None:
        """The span definition a span is taken to be, and how it was chosen (None: none fits)."""
        values = {a.name: a.value for a in span.attributes}
        index = self.index
        named = [
            *index.spans_by_static_name.get(span.name, ()),
            *(
                d
                for d in index.patterned_spans
                if render_name(d.pattern or (), values) == span.name
            ),
        ]
        keys = frozenset(values)
        if named:
            return _best(named, span.kind, keys, "name")
        cache_key = (span.kind, keys)
        if cache_key in self._span_matches:
            return self._span_matches[cache_key]
        candidates = [d for d in index.spans if _plausible(d, span.kind, keys)]
        match = _best(candidates, span.kind, keys, "kind and attributes") if candidates else None
        return _remember(self._span_matches, cache_key, match)

    def _span_parts(self, span: Span, match: SpanMatch) -> Iterable[Part]:
        definition = match.definition
        assumed: dict[str, Any] = {
            "span_name": span.name,
            "span_definition": definition.group.id,
            "matched_by": match.matched_by,
        }
        if match.also_possible:
            assumed["also_possible"] = list(match.also_possible)
        if not match.by_name and definition.naming is not None:
            if definition.pattern is not None:
                values = {a.name: a.value for a in span.attributes}
                expected = render_name(definition.pattern, values)
                rule = f"the name pattern `{definition.naming}`, here `{expected}`"
            else:
                expected = definition.naming
                rule = f"the static name `{expected}`"
            yield (
                ids.SPAN_NAME_MISMATCH,
                f"span `{span.name}` looks like `{definition.group.id}` (by its "
                f"{match.matched_by}), whose name is {rule}",
                {**assumed, "expected": expected},
            )
        if definition.kind is not None and span.kind and definition.kind != span.kind:
            yield (
                ids.SPAN_KIND_MISMATCH,
                f"span `{span.name}` is a {span.kind} span; `{definition.group.id}` is "
                f"{definition.kind}",
                {**assumed, "span_kind": span.kind, "expected": definition.kind},
            )
        yield from self._signal_parts(
            "span", definition.group.id, definition.group, "span_definition"
        )
        where = f"span `{span.name}` (taken as `{definition.group.id}`"
        where += (
            f", also possible: {', '.join(match.also_possible)})" if match.also_possible else ")"
        )
        for kind, message, context in self._requirements(definition, span.attributes, where):
            yield kind, message, {**context, **assumed}

    def _cached_span_parts(self, span: Span, match: SpanMatch) -> list[Part]:
        """What a span gets for its definition; reused for spans of the same name, kind and
        keys unless a name pattern renders its expected name from the values."""
        if not match.by_name and match.definition.pattern is not None:
            return list(self._span_parts(span, match))
        cache_key = (span.name, span.kind, frozenset(a.name for a in span.attributes))
        parts = self._span_parts_cache.get(cache_key)
        if parts is None:
            parts = _remember(
                self._span_parts_cache, cache_key, list(self._span_parts(span, match))
            )
        return parts

    def _span(self, span: Span, origin: str | None, out: list[Finding]) -> None:
        signal: tuple[SignalType, str | None] = ("span", span.name)
        match = self.match_span(span)
        parts: list[Part] = []
        if match is not None:
            self.statistics.registry_spans[match.definition.group.id] += 1
            parts += self._cached_span_parts(span, match)
        else:
            self.statistics.non_registry_spans[span.name] += 1
        if match is None or match.definition.static_name != span.name:
            suspicious = high_cardinality_parts(span.name)
            if suspicious:
                parts.append(
                    (
                        ids.HIGH_CARDINALITY_SPAN_NAME,
                        f"span name `{span.name}` holds {', '.join(suspicious)}; span names "
                        "should be low-cardinality (move the value to an attribute)",
                        {"span_name": span.name, "suspicious": list(suspicious)},
                    )
                )
        self._entity("span", span.name, self._found(parts, signal, "span", span.name, origin), out)
        self._attributes(span.attributes, "span", span.name, origin, out)
        for event in span.events:
            self._event(event.name, event.attributes, "span_event", signal, origin, out)
        for link in span.links:
            self._entity("span_link", "", [], out)
            self._attributes(link.attributes, "span", span.name, origin, out)

    # --- events and logs -------------------------------------------------------------------------

    def _event(
        self,
        name: str,
        attributes: Attributes,
        sample_type: str,
        signal: tuple[SignalType, str | None],
        origin: str | None,
        out: list[Finding],
    ) -> None:
        parts: list[Part] = []
        if name:
            definition = self.index.events.get(name)
            if definition is None:
                self.statistics.non_registry_events[name] += 1
                parts.append(
                    (
                        ids.MISSING_EVENT,
                        f"event `{name}` is not defined in the registry",
                        {"event_name": name},
                    )
                )
            else:
                self.statistics.registry_events[name] += 1
                parts += self._signal_parts("event", name, definition.group, "event_name")
                parts += self._requirements(definition, attributes, f"event `{name}`")
        found = self._found(parts, signal, sample_type, name, origin)
        self._entity(sample_type, name, found, out)
        self._attributes(attributes, signal[0], signal[1], origin, out)

    def _log(self, log: LogRecord, origin: str | None, out: list[Finding]) -> None:
        self._event(
            log.event_name, log.attributes, "log", ("log", log.event_name or None), origin, out
        )

    # --- metrics ---------------------------------------------------------------------------------

    def _metric_parts(self, metric: Metric, definition: SignalDefinition | None) -> Iterable[Part]:
        name = metric.name
        if definition is None:
            yield (
                ids.MISSING_METRIC,
                f"metric `{name}` is not defined in the registry",
                {"metric_name": name},
            )
            if not NAME_FORMAT.match(name):
                yield (
                    ids.INVALID_FORMAT,
                    f"metric `{name}` is not lower-case words joined by `.` or `_`",
                    {"metric_name": name},
                )
            return
        group = definition.group
        expected_instrument = group.instrument.value if group.instrument else None
        if metric.instrument not in INSTRUMENTS:
            yield (
                ids.UNEXPECTED_INSTRUMENT,
                f"metric `{name}` is a {metric.instrument}, which no registry instrument describes",
                {"metric_name": name, "instrument": metric.instrument},
            )
        elif expected_instrument is not None and metric.instrument != expected_instrument:
            yield (
                ids.UNEXPECTED_INSTRUMENT,
                f"metric `{name}` is a {metric.instrument}; the registry's instrument is "
                f"{expected_instrument}",
                {
                    "metric_name": name,
                    "instrument": metric.instrument,
                    "expected": expected_instrument,
                },
            )
        if group.unit is not None and metric.unit != group.unit:
            yield (
                ids.UNIT_MISMATCH,
                f"metric `{name}` has the unit `{metric.unit}`; the registry's unit is "
                f"`{group.unit}`",
                {"metric_name": name, "unit": metric.unit, "expected": group.unit},
            )
        yield from self._signal_parts("metric", name, group, "metric_name")

    def _metric(self, metric: Metric, origin: str | None, out: list[Finding]) -> None:
        signal: tuple[SignalType, str | None] = ("metric", metric.name)
        definition = self.index.metrics.get(metric.name)
        if definition is None:
            self.statistics.non_registry_metrics[metric.name] += 1
        else:
            self.statistics.registry_metrics[metric.name] += 1
        parts = list(self._metric_parts(metric, definition))
        self._entity(
            "metric", metric.name, self._found(parts, signal, "metric", metric.name, origin), out
        )
        for point in metric.data_points:
            point_parts = (
                list(
                    self._requirements(
                        definition, point.attributes, f"a data point of `{metric.name}`"
                    )
                )
                if definition is not None
                else []
            )
            found = self._found(point_parts, signal, point.type, metric.name, origin)
            self._entity(point.type, metric.name, found, out)
            self._attributes(point.attributes, "metric", metric.name, origin, out)
