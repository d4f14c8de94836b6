"""A bundle: datasets, charts in slice-id order, native filters and boards; rendered to the files of a Superset
import bundle and to dbt exposures, written to disk or checked against what is committed."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from dashboards.builder import superset
from dashboards.builder.model import Board, Chart, Dataset, NativeFilter


def dump(obj: dict) -> str:
    return yaml.safe_dump(obj, allow_unicode=True, sort_keys=False, width=1000)


@dataclass
class Bundle:
    database_name: str
    datasets: list[Dataset]
    charts: list[Chart]  # slice id = position + 1: append new charts at the end
    filters: dict[str, NativeFilter]
    boards: list[Board]
    timestamp: str = "2026-01-01T00:00:00+00:00"
    _ids: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for kind, keys in (("dataset", [d.key for d in self.datasets]), ("chart", [c.key for c in self.charts]),
                           ("board", [b.key for b in self.boards])):  # fmt: skip
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            if dupes:
                raise ValueError(f"duplicate {kind} keys: {dupes}")
        self._ids = {c.key: i for i, c in enumerate(self.charts, 1)}
        for c in self.charts:
            self.dataset(c.ds)
        for b in self.boards:
            for key in [*b.chart_keys, *(k for keys in b.excluded.values() for k in keys)]:
                self.chart(key)
            unknown = set(b.filters) - set(self.filters)
            if unknown:
                raise KeyError(f"board {b.key}: unknown filters {sorted(unknown)}")

    @cached_property
    def _datasets(self) -> dict[str, Dataset]:
        return {d.key: d for d in self.datasets}

    @cached_property
    def _charts(self) -> dict[str, Chart]:
        return {c.key: c for c in self.charts}

    def dataset(self, key: str) -> Dataset:
        return self._datasets[key]

    def chart(self, key: str) -> Chart:
        return self._charts[key]

    def chart_id(self, c: Chart) -> int:
        return self._ids[c.key]

    def board_datasets(self, b: Board) -> list[Dataset]:
        """The datasets a board queries: its charts', then its value filters'."""
        keys = [self.chart(k).ds for k in b.chart_keys]
        keys += [self.filters[f].ds.key for f in b.filters if self.filters[f].ds is not None]
        return [self.dataset(k) for k in dict.fromkeys(keys)]

    def render(self) -> dict[str, str]:
        """The bundle's files: path under the bundle folder -> YAML text."""
        db = self.database_name
        files = {
            "metadata.yaml": dump({"version": "1.0.0", "type": "Dashboard", "timestamp": self.timestamp}),
            f"databases/{db}.yaml": dump(superset.database_yaml(db)),
        }
        for d in self.datasets:
            files[f"datasets/{db}/sme_{d.key}.yaml"] = dump(superset.dataset_yaml(d))
        for c in self.charts:
            files[f"charts/{c.key}.yaml"] = dump(superset.chart_yaml(self, c))
        for b in self.boards:
            files[f"dashboards/{b.slug}.yaml"] = dump(superset.dashboard_yaml(self, b))
        return files


def stale_files(folder: Path, files: dict[str, str], pattern: str = "*.yaml") -> list[str]:
    """Paths (relative to folder) that are missing, extra or different on disk."""
    existing = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob(pattern)}
    extra_or_missing = sorted(set(existing) ^ set(files))
    return extra_or_missing + sorted(k for k in files if existing.get(k) not in (None, files[k]))


def write_tree(folder: Path, files: dict[str, str]) -> None:
    """Replace folder by exactly these files."""
    if folder.exists():
        shutil.rmtree(folder)
    for rel, text in files.items():
        p = folder / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
