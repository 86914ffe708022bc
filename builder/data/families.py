"""Which family a component belongs to, decided in ONE place.

`family_of(kind, item)` is the only function the trees, charts and result filters ask. The
component registry (`components/*.yaml`, curated) is the authority: every name a record uses
resolves there. Names outside it (an LLM as a score table prints it, or a test fixture) fall
back to the ordered name patterns of `schema/vocabularies/families.yaml`, whose family labels
follow the registry's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
import yaml

from schema.components import registry
from schema.vocabularies import VOCAB_DIR

FAMILIES_FILE = VOCAB_DIR / "families.yaml"
KINDS = ("encoder", "llm", "generator")


class FamilyRulesError(ValueError):
    """The rule table is malformed; the message names the file, kind and rule."""


@dataclass(frozen=True)
class Rules:
    fallback: str
    rules: tuple[tuple[str, tuple[re.Pattern, ...]], ...]


def parse_rules(data: object, where: str = str(FAMILIES_FILE)) -> dict[str, Rules]:
    if not isinstance(data, dict):
        raise FamilyRulesError(f"{where}: expected a mapping of kinds {', '.join(KINDS)}")
    out: dict[str, Rules] = {}
    for kind in KINDS:
        table = data.get(kind)
        if not isinstance(table, dict) or not isinstance(table.get("fallback"), str):
            raise FamilyRulesError(f"{where}: {kind}: needs `fallback` (a family name) and `rules`")
        rules = []
        for n, rule in enumerate(table.get("rules") or [], 1):
            if not (isinstance(rule, dict) and isinstance(rule.get("family"), str)
                    and isinstance(rule.get("patterns"), list) and rule["patterns"]):
                raise FamilyRulesError(f"{where}: {kind}: rule {n}: needs `family` and a "
                                       "non-empty list of `patterns`")
            compiled = []
            for pattern in rule["patterns"]:
                try:
                    compiled.append(re.compile(str(pattern), re.IGNORECASE))
                except re.error as exc:
                    raise FamilyRulesError(f"{where}: {kind}: rule {n} ({rule['family']}): "
                                           f"pattern {pattern!r} is not a regular expression: "
                                           f"{exc}") from None
            rules.append((rule["family"], tuple(compiled)))
        out[kind] = Rules(table["fallback"], tuple(rules))
    return out


@cache
def rules() -> dict[str, Rules]:
    with open(FAMILIES_FILE, encoding="utf-8") as fh:
        return parse_rules(yaml.safe_load(fh))


def family_of_name(kind: str, name: str, table: dict[str, Rules] | None = None) -> str:
    if table is None:
        entry = registry().resolve(kind, name)
        if entry is not None:
            return entry.family
    spec = (table or rules())[kind]
    for family, patterns in spec.rules:
        if any(p.search(name) for p in patterns):
            return family
    return spec.fallback


def family_of(kind: str, item) -> str:
    """The family of one component: kind is 'encoder', 'llm' or 'generator'; item has `.name`."""
    if kind not in KINDS:
        raise ValueError(f"unknown component kind {kind!r}; one of {', '.join(KINDS)}")
    return family_of_name(kind, item.name)
