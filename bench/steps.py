"""Per-step timings of the latest Dagster run in $DAGSTER_HOME (printed as JSON); run outside the timings."""

from __future__ import annotations

import json
import sys


def main() -> int:
    from dagster import DagsterInstance, RunsFilter

    instance = DagsterInstance.get()
    runs = instance.get_run_records(filters=RunsFilter(), limit=1)
    if not runs:
        print("{}")
        return 0
    run = runs[0]
    stats = instance.get_run_step_stats(run.dagster_run.run_id)
    out = {
        "run_id": run.dagster_run.run_id,
        "run_start": run.start_time,
        "run_end": run.end_time,
        "steps": [
            {
                "step": s.step_key,
                "status": s.status.value if s.status else None,
                "start": s.start_time,
                "end": s.end_time,
                "seconds": round(s.end_time - s.start_time, 2) if s.start_time and s.end_time else None,
            }
            for s in sorted(stats, key=lambda s: s.start_time or 0)
        ],
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
