"""Old import path of the event log storage, named in dagster.yaml files written before 2026-11-30.

The CLI rewrites the dagster.yaml files it wrote itself (orchestration/lib/instance.py); this alias keeps a
hand-edited one (marker line deleted) loading. The storage lives in orchestration/lib/event_log.py.
"""

from orchestration.lib.event_log import FastSqliteEventLogStorage

__all__ = ["FastSqliteEventLogStorage"]
