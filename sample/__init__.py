"""Sample data: the files county bureaus, banks and the arrears office would send, written into an inbox.

Not part of the load path: `ingest/` never imports this package (tests/unit/test_layout.py checks it).

    generate(out_dir, preset="demo", seed=2021, *, progress=None, n_enterprises=None, months=None) -> dict
    generate_increment(out_dir, seed=2021, *, progress=None, n_enterprises=None) -> dict

See `sample.generate` for the presets and what `_sample_expected.json` records.
"""

from sample.generate import PRESETS, REASON_CODES, generate, generate_increment

__all__ = ["PRESETS", "REASON_CODES", "generate", "generate_increment"]
