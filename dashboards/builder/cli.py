"""The command line of a bundle generator: write the bundle tree and the generated dbt files, or --check them."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from dashboards.builder.bundle import Bundle, stale_files, write_tree


def main(bundle: Bundle, bundle_dir: Path, extra_files: dict[Path, str], argv: list[str] | None = None,
         description: str = "") -> int:  # fmt: skip
    """bundle_dir is replaced by the rendered bundle; extra_files (absolute path -> text) are written alongside."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--check", action="store_true", help="exit 1 if dashboards/bundle/ differs from the spec")
    args = ap.parse_args(argv)
    files = bundle.render()
    if args.check:
        diff = stale_files(bundle_dir, files) if bundle_dir.exists() else sorted(files)
        diff += [
            os.path.relpath(p)
            for p, text in extra_files.items()
            if not p.exists() or p.read_text(encoding="utf-8") != text
        ]
        if diff:
            print("dashboards/bundle/ is out of date; run dashboards/build_bundle.py:", *diff[:20], sep="\n  ")
            return 1
        return 0
    write_tree(bundle_dir, files)
    for p, text in extra_files.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files under {bundle_dir}")
    for p in extra_files:
        print(f"wrote {p}")
    return 0
