"""Header normalisation and matching (INPUTS.md: strip spaces, full/half width, 其中 prefixes, case, units)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.contract import MONEY_UNITS, Field, Template

_UNIT = re.compile(r"^(?P<base>.*?)\((?P<unit>[^()]*)\)$")
_PREFIX = re.compile(r"^其中[:]?")


def normalise(text: object) -> str:
    """Canonical form of a header cell: NFKC (full-width → half-width), no spaces, no 其中 prefix, lower case."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = re.sub(r"\s+", "", s)
    s = _PREFIX.sub("", s)
    return s.lower()


def split_unit(normalised: str) -> tuple[str, str | None]:
    """'营业收入累计(万元)' → ('营业收入累计', '万元')."""
    m = _UNIT.match(normalised)
    if m:
        return m.group("base"), m.group("unit")
    return normalised, None


@dataclass(frozen=True)
class ColumnMatch:
    field: Field
    index: int  # 0-based column position in the sheet
    header: str  # as written in the file
    scale: float  # multiply to reach the contract unit (万元 for money)


@dataclass(frozen=True)
class HeaderMap:
    matches: dict[str, ColumnMatch]  # field name → match
    unrecognised: list[str]  # headers that matched nothing (reported, not loaded)

    @property
    def count(self) -> int:
        return len(self.matches)


def _field_keys(template: Template) -> dict[str, Field]:
    keys: dict[str, Field] = {}
    for f in template.fields:
        base, _ = split_unit(normalise(f.header))
        keys[base] = f
        keys[f.name.lower()] = f
    return keys


def match_headers(cells: list[object], template: Template) -> HeaderMap:
    """Map the cells of one candidate header row to the template's fields."""
    keys = _field_keys(template)
    matches: dict[str, ColumnMatch] = {}
    unrecognised: list[str] = []
    for index, cell in enumerate(cells):
        norm = normalise(cell)
        if not norm:
            continue
        base, unit = split_unit(norm)
        field = keys.get(base) or keys.get(norm)
        scale = 1.0
        if field is not None and unit is not None and field.money:
            if unit not in MONEY_UNITS:
                field = None  # an unknown money unit cannot be scaled safely
            else:
                scale = MONEY_UNITS[unit]
        if field is None or field.name in matches:
            unrecognised.append(str(cell).strip())
            continue
        matches[field.name] = ColumnMatch(field, index, str(cell).strip(), scale)
    return HeaderMap(matches, unrecognised)


def find_header_row(rows: list[list[object]], template: Template, max_scan: int = 30) -> tuple[int, HeaderMap] | None:
    """The first row (0-based) with the most recognised headers; None if no row has at least two."""
    best: tuple[int, HeaderMap] | None = None
    for i, row in enumerate(rows[:max_scan]):
        hm = match_headers(row, template)
        if hm.count >= 2 and (best is None or hm.count > best[1].count):
            best = (i, hm)
    return best


def guess_source(rows: list[list[object]], templates: dict[str, Template]) -> str | None:
    """The template whose headers the file matches best (used when the source is not given)."""
    scored = []
    for name, tpl in templates.items():
        found = find_header_row(rows, tpl)
        if found:
            required = sum(1 for f in tpl.fields if f.required and f.name in found[1].matches)
            scored.append((found[1].count / len(tpl.fields), required, name))
    if not scored:
        return None
    return max(scored)[2]
