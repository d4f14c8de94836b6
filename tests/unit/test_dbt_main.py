"""`sme-dbt` drops the dbt log events no logger writes (orchestration/lib/dbt_main.py): what each logger writes
stays the same, line for line; what it would have dropped is no longer formatted. And the dbt-common internals the
patch replaces are pinned, so that an upgrade fails here rather than change dbt's output unnoticed."""

from __future__ import annotations

import inspect
import io
import json
from importlib import metadata

import pytest
from dbt.adapters.events.types import ConnectionUsed, SQLQuery
from dbt.events.types import DeprecatedModel, JinjaLogInfo, LogTestResult, MainReportVersion
from dbt.tracking import track_behavior_change_warn
from dbt_common.events import event_manager as event_manager_module
from dbt_common.events import logger as dbt_logger
from dbt_common.events.base_types import EventLevel
from dbt_common.events.event_manager import EventManager
from dbt_common.events.functions import env_scrubber
from dbt_common.events.logger import LineFormat, LoggerConfig
from dbt_common.events.types import Note, PrintEvent

from orchestration.lib import dbt_main

CHECKED_AGAINST = {"dbt-core": "1.11.16", "dbt-common": "1.39.0"}


def _events():
    """Events of every level and kind a build fires, in order, with their explicit level where dbt gives one."""
    return [
        (MainReportVersion(version="1.11.16", log_version=3), None),
        (ConnectionUsed(conn_type="duckdb", conn_name="model.x"), None),  # debug
        (SQLQuery(conn_name="model.x", sql="select 1", node_info={}), None),  # debug
        (
            LogTestResult(name="not_null_x", status="pass", index=1, num_models=2, execution_time=0.1, num_failures=0),
            EventLevel.INFO,
        ),
        (
            LogTestResult(name="unique_x", status="warn", index=2, num_models=2, execution_time=0.1, num_failures=3),
            EventLevel.WARN,
        ),
        (
            LogTestResult(name="dyn_debug", status="pass", index=2, num_models=2, execution_time=0.1, num_failures=0),
            EventLevel.DEBUG,
        ),
        (JinjaLogInfo(msg="注意：一条信息"), None),
        (DeprecatedModel(model_name="m", model_version="1", deprecation_date="2020-01-01"), None),  # warn
        (PrintEvent(msg="printed"), None),  # dbt sends print events as errors
        (Note(msg="a note"), EventLevel.DEBUG),
    ]


def _manager(stdout_level: EventLevel, file_level: EventLevel) -> tuple[EventManager, io.StringIO, io.StringIO]:
    """As sme-dbt's loggers are set up under dagster-dbt: JSON on stdout at info, the log file at warn."""
    manager, stdout, file = EventManager(), io.StringIO(), io.StringIO()
    for name, level, stream in (("t_stdout", stdout_level, stdout), ("t_file", file_level, file)):
        manager.add_logger(
            LoggerConfig(
                name=name, line_format=LineFormat.Json, level=level, scrubber=env_scrubber, output_stream=stream
            )
        )
    manager.add_callback(track_behavior_change_warn)
    return manager, stdout, file


def _lines(stream: io.StringIO) -> list[dict]:
    out = []
    for line in stream.getvalue().splitlines():
        d = json.loads(line)
        for k in ("ts", "pid", "thread", "invocation_id"):
            d["info"].pop(k, None)
        out.append(d)
    return out


def _fire_all(stdout_level, file_level) -> tuple[list[dict], list[dict]]:
    manager, stdout, file = _manager(stdout_level, file_level)
    for event, level in _events():
        manager.fire_event(event, level=level)
    return _lines(stdout), _lines(file)


@pytest.fixture
def counted(monkeypatch):
    """Counts the events dbt formats into protobuf messages; undoes the patch afterwards."""
    monkeypatch.setattr(EventManager, "fire_event", EventManager.fire_event)
    monkeypatch.setattr(dbt_logger._Logger, "write_line", dbt_logger._Logger.write_line)
    formatted: list = []
    real = event_manager_module.msg_from_base_event

    def counting(e, level=None):
        formatted.append(type(e).__name__)
        return real(e, level=level)

    monkeypatch.setattr(event_manager_module, "msg_from_base_event", counting)
    return formatted


@pytest.mark.parametrize(
    ("stdout_level", "file_level"),
    [(EventLevel.INFO, EventLevel.WARN), (EventLevel.DEBUG, EventLevel.WARN), (EventLevel.ERROR, EventLevel.DEBUG)],
)
def test_every_logger_writes_the_same_lines(counted, stdout_level, file_level):
    before = _fire_all(stdout_level, file_level)
    formatted_before = len(counted)
    counted.clear()
    dbt_main.drop_unwritten_log_events()
    after = _fire_all(stdout_level, file_level)
    assert after == before
    assert before[0] or before[1]
    debug_written = EventLevel.DEBUG in (stdout_level, file_level)
    # with a logger at debug every event is formatted as before; without, the 4 debug events are not
    assert len(counted) == formatted_before - (0 if debug_written else 4)


def test_with_sme_dbt_s_loggers_debug_events_are_not_formatted(counted):
    dbt_main.drop_unwritten_log_events()
    dbt_main.drop_unwritten_log_events()  # applied once only
    stdout, file = _fire_all(EventLevel.INFO, EventLevel.WARN)
    assert "ConnectionUsed" not in counted and "SQLQuery" not in counted
    assert [d["info"]["name"] for d in stdout] == [
        "MainReportVersion", "LogTestResult", "LogTestResult", "JinjaLogInfo", "DeprecatedModel", "PrintEvent"
    ]  # fmt: skip
    assert [d["info"]["name"] for d in file] == ["LogTestResult", "DeprecatedModel", "PrintEvent"]


def test_another_callback_still_gets_every_event(counted):
    dbt_main.drop_unwritten_log_events()
    manager, _, _ = _manager(EventLevel.INFO, EventLevel.WARN)
    seen = []
    manager.add_callback(lambda msg: seen.append(msg.info.name))
    for event, level in _events():
        manager.fire_event(event, level=level)
    assert seen == [type(e).__name__ for e, _ in _events()]


def test_dbt_common_internals_are_what_the_patch_replaces():
    assert {name: metadata.version(name) for name in CHECKED_AGAINST} == CHECKED_AGAINST, (
        "dbt-core or dbt-common changed version: re-read EventManager.fire_event and _Logger.write_line against "
        "orchestration/lib/dbt_main.drop_unwritten_log_events, then update CHECKED_AGAINST"
    )
    fire = inspect.getsource(EventManager.fire_event)
    assert list(inspect.signature(EventManager.fire_event).parameters) == [
        "self", "e", "level", "node", "force_warn_or_error_handling"
    ]  # fmt: skip
    for used in ("msg_from_base_event(e, level=level)", "for logger in self.loggers:", "logger.write_line(msg)",
                 "for callback in self.callbacks:"):  # fmt: skip
        assert used in fire, used
    write = inspect.getsource(dbt_logger._Logger.write_line)
    for used in ("line = self.create_line(msg)", "if self._python_logger is not None:", "_is_print_event(msg)",
                 "send_to_logger(self._python_logger, level, line)"):  # fmt: skip
        assert used in write, used
    assert dbt_logger._log_level_map[EventLevel.DEBUG] == dbt_logger._log_level_map[EventLevel.TEST] == 10
    assert "log.setLevel(_log_level_map[self.level])" in inspect.getsource(dbt_logger._Logger)
    # the one callback dbt's command line registers, which reads behaviour-change warnings only
    assert 'msg.info.name != "BehaviorChangeEvent"' in inspect.getsource(track_behavior_change_warn)
