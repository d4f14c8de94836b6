"""`sme-dbt`: dbt's own command line (the `dbt` script's entry point, same arguments, output and exit codes), with
two savings of CPU that change nothing dbt writes:

- dbt's modules are frozen out of the garbage collector's walks. Importing dbt leaves ≈ 0.3 M long-lived objects
  (dbt-core, its adapters, agate, jinja, mashumaro's generated code); Python's cyclic collector walked all of them in
  each full collection a build triggers. Frozen once they are imported (gc.freeze), they are left alone: a `dbt
  build` of the test sample 9.9 → 9.1 s of CPU (2026-12-01, four alternating runs each). The objects a build makes
  are collected as before.
- log events that no logger writes are dropped before they are formatted (`drop_unwritten_log_events`).
"""

from __future__ import annotations

import sys


def drop_unwritten_log_events() -> None:
    """Skip the formatting of dbt log events that no logger will write.

    dbt turns every event into a protobuf message (`msg_from_base_event`) and, for each logger, into a JSON line
    (`create_line`: dict conversion, secret scrubbing, json.dumps) before Python's logging drops the line for its
    level. A `dbt build` of the test sample fires ≈ 6 800 debug events and ≈ 700 info events; our loggers are
    stdout at info (JSON, read by dagster-dbt) and the file at warn (`log_level_file` in dbt_project.yml), so all
    the debug events and, for the file, the info ones were formatted for nothing: ≈ 15 % of the process's CPU.

    Here (dbt-core 1.11, dbt-common's event manager; pinned by tests/unit/test_dbt_main.py):
    - `EventManager.fire_event` returns at once for a debug-level event when no logger is enabled for debug and the
      only callback is dbt's behaviour-change tracker (which looks at warn events only); with `--debug` or a
      debug-level log file every event goes through as before;
    - `_Logger.write_line` returns before `create_line` when its Python logger would drop the line anyway (the same
      `isEnabledFor` test `send_to_logger` meets); print events, which dbt sends as errors, always go through.
    """
    import logging

    from dbt.tracking import track_behavior_change_warn
    from dbt_common.events import logger as dbt_logger
    from dbt_common.events.base_types import EventLevel
    from dbt_common.events.event_manager import EventManager

    if getattr(EventManager.fire_event, "_sme_drops_unwritten", False):
        return
    fire_event, write_line = EventManager.fire_event, dbt_logger._Logger.write_line
    python_level = dbt_logger._log_level_map

    def nobody_writes_debug(manager: EventManager) -> bool:
        return all(cb is track_behavior_change_warn for cb in manager.callbacks) and not any(
            lg._python_logger is not None and lg._python_logger.isEnabledFor(logging.DEBUG) for lg in manager.loggers
        )

    def fire_written_event(self, e, level=None, node=None, force_warn_or_error_handling=False):
        if (
            not force_warn_or_error_handling
            and (level or e.level_tag()) == EventLevel.DEBUG
            and nobody_writes_debug(self)
        ):
            return
        fire_event(self, e, level=level, node=node, force_warn_or_error_handling=force_warn_or_error_handling)

    def write_written_line(self, msg):
        out = self._python_logger
        if out is None or (
            not dbt_logger._is_print_event(msg) and not out.isEnabledFor(python_level[EventLevel(msg.info.level)])
        ):
            return
        write_line(self, msg)

    fire_written_event._sme_drops_unwritten = True  # type: ignore[attr-defined]
    EventManager.fire_event = fire_written_event  # type: ignore[method-assign]
    dbt_logger._Logger.write_line = write_written_line  # type: ignore[method-assign]


def main() -> None:
    from dbt.cli.main import cli

    from warehouse.db import freeze_long_lived_objects  # loaded by dbt's process anyway (warehouse/dbt_home.py)

    drop_unwritten_log_events()
    freeze_long_lived_objects()
    sys.exit(cli())


if __name__ == "__main__":
    main()
