"""Words that make up company and person names (sample/data/names.json)."""

from __future__ import annotations

from sample.world.common import read_data_json

_NAMES = read_data_json("names.json")
ZIHAO: list[str] = list(_NAMES["zihao"])  # 字号 syllables (one character, or a whole word)
SURNAMES: list[str] = list(_NAMES["surnames"])
GIVEN: list[str] = list(_NAMES["given"])
