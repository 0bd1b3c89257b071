"""Where each item of the baseline registry went in the head registry.

A rename is followed through the head's `deprecated: {reason: renamed, renamed_to: ...}` records
(and the baseline's, for an item the head no longer has), link after link, so `a -> b -> c` lands
on `c`. A move is refused, never guessed, when nothing names a replacement, when the chain
breaks, or when the replacement records different values (another type, unit or instrument).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Protocol, TypeVar

from typed_semconv.diagnostics import catalogue
from typed_semconv.diagnostics.core import Code
from typed_semconv.diff.compare import signal_name, signals
from typed_semconv.model import Attribute, Deprecation, Group, GroupKind, Registry, Stability


@dataclass(frozen=True)
class Refusal:
    """Why a use of an item cannot be rewritten safely: a diagnostic code and a sentence."""

    code: Code
    reason: str


Fate = str | Refusal  # the head's id of the item, or why there is none


class _Deprecated(Protocol):
    @property
    def deprecation(self) -> Deprecation | None: ...


_Entry = TypeVar("_Entry", bound=_Deprecated)


def _follow(
    what: Callable[[str], str], start: str, head: dict[str, _Entry], baseline: dict[str, _Entry]
) -> Fate:
    """The id `start` leads to in the head, following renames; a Refusal when none does.
    `what` names an id in messages."""
    current, seen = start, [start]
    while True:
        entry = head.get(current)
        if entry is None:
            old = baseline.get(current)
            target = old.deprecation.renamed_to if old and old.deprecation else None
            if target is None or target in seen:
                return Refusal(
                    catalogue.UPGRADE_REMOVED, f"{what(current)} is not in the new registry"
                )
        else:
            deprecation = entry.deprecation
            if deprecation is None:
                return current
            target = deprecation.renamed_to
            if target is None:
                note = f": {deprecation.note}" if deprecation.note else ""
                return Refusal(
                    catalogue.UPGRADE_NO_REPLACEMENT,
                    f"{what(current)} is deprecated with no replacement{note}",
                )
            if target in seen:
                return Refusal(
                    catalogue.UPGRADE_REMOVED,
                    f"the renames of {what} `{start}` go round in a circle",
                )
        seen.append(target)
        current = target


class Migration:
    def __init__(self, baseline: Registry, head: Registry) -> None:
        self.baseline_attributes = {a.key: a for a in baseline.attributes}
        self.head_attributes = {a.key: a for a in head.attributes}
        self.baseline_metrics = signals(baseline, GroupKind.METRIC)
        self.head_metrics = signals(head, GroupKind.METRIC)
        self.baseline_spans = {g.id: g for g in signals(baseline, GroupKind.SPAN).values()}
        head_spans = signals(head, GroupKind.SPAN)
        # Span renames may name the span's type or its group id.
        self.head_spans = {**head_spans, **{g.id: g for g in head_spans.values()}}
        self.attribute = cache(self._attribute)
        self.metric = cache(self._metric)
        self.span = cache(self._span)

    def _attribute(self, key: str) -> Fate:
        fate = _follow(_named("attribute"), key, self.head_attributes, self.baseline_attributes)
        if isinstance(fate, Refusal):
            return fate
        old, new = self.baseline_attributes.get(key), self.head_attributes[fate]
        if old is not None and _value_type(old) != _value_type(new):
            became = f"was renamed to `{fate}`, whose values are" if fate != key else "now takes"
            return Refusal(
                catalogue.UPGRADE_VALUE_CHANGED,
                f"`{key}` {became} {new.type.describe()}, not {old.type.describe()}: "
                "check the values written with it",
            )
        return fate

    def member(self, key: str, member_id: str) -> tuple[str, str] | Refusal:
        """The head's (attribute key, member id) of an enum member."""
        fate = self.attribute(key)
        if isinstance(fate, Refusal):
            return fate
        members = {m.id: m for m in self.head_attributes[fate].type.members or ()}
        if not members:
            return Refusal(catalogue.UPGRADE_VALUE_CHANGED, f"`{fate}` is no enum any more")
        old = self.baseline_attributes.get(key)
        old_members = {m.id: m for m in (old.type.members or ())} if old else {}
        member = _follow(lambda id_: f"member `{id_}` of `{fate}`", member_id, members, old_members)
        if isinstance(member, Refusal):
            return member
        return fate, member

    def _metric(self, name: str) -> Fate:
        fate = _follow(_named("metric"), name, self.head_metrics, self.baseline_metrics)
        if isinstance(fate, Refusal):
            return fate
        old, new = self.baseline_metrics.get(name), self.head_metrics[fate]
        if old is not None and (old.instrument, old.unit) != (new.instrument, new.unit):
            became = f"was renamed to `{fate}`, a" if fate != name else "is now a"
            return Refusal(
                catalogue.UPGRADE_VALUE_CHANGED,
                f"metric `{name}` {became} {_instrument(new)}, not a {_instrument(old)}: "
                "the recorded values must change too",
            )
        return fate

    def _span(self, group_id: str) -> Fate:
        """The head's group id of the span `group_id` of the baseline."""
        old = self.baseline_spans.get(group_id)
        if old is None:
            return Refusal(catalogue.UPGRADE_REMOVED, f"span `{group_id}` is unknown")
        baseline = {signal_name(g): g for g in self.baseline_spans.values()}
        fate = _follow(_named("span"), signal_name(old), self.head_spans, baseline)
        return fate if isinstance(fate, Refusal) else self.head_spans[fate].id

    def attribute_is_stable(self, key: str) -> bool:
        attribute = self.head_attributes.get(key)
        return _stable(attribute) if attribute else False

    def metric_is_stable(self, name: str) -> bool:
        metric = self.head_metrics.get(name)
        return _stable(metric) if metric else False


def _named(kind: str) -> Callable[[str], str]:
    return lambda id_: f"{kind} `{id_}`"


def _value_type(attribute: Attribute) -> tuple[str, bool]:
    return attribute.type.primitive.value, attribute.type.is_template


def _instrument(group: Group) -> str:
    instrument = group.instrument.value if group.instrument else "metric"
    return f"{instrument} in {group.unit or '(no unit)'}"


def _stable(item: Attribute | Group) -> bool:
    return item.stability is Stability.STABLE and item.deprecation is None
