"""The event log storage keeps one engine per recently used shard (orchestration/lib/event_log.py)."""

from __future__ import annotations

import dagster as dg
import pytest
from sme_testing import dagster_instance, tiny_job

from orchestration.lib.event_log import KEEP_OPEN, FastSqliteEventLogStorage


@pytest.fixture
def instance(tmp_path):
    with dagster_instance(tmp_path / "dagster") as inst:
        yield inst


tiny = tiny_job()


def test_a_run_reuses_one_engine_per_shard_and_keeps_at_most_keep_open(instance):
    storage = instance.event_log_storage
    assert isinstance(storage, FastSqliteEventLogStorage)
    runs = [tiny.execute_in_process(instance=instance) for _ in range(KEEP_OPEN + 2)]
    assert all(r.success for r in runs)
    assert len(storage._keepers) <= KEEP_OPEN
    latest = runs[-1].run_id
    engine = storage._keepers[latest]
    # reading the run's events goes through the kept engine, not a new one
    events = instance.all_logs(latest)
    assert any(e.dagster_event and e.dagster_event.event_type == dg.DagsterEventType.RUN_SUCCESS for e in events)
    assert storage._keepers[latest] is engine
    # every run's events are there, also those of the runs whose engines were closed
    for r in runs:
        assert instance.get_run_by_id(r.run_id).is_success
        assert any(
            e.dagster_event and e.dagster_event.event_type == dg.DagsterEventType.RUN_SUCCESS
            for e in instance.all_logs(r.run_id)
        )


def test_wipe_closes_the_kept_engines_and_the_log_still_works(instance):
    storage = instance.event_log_storage
    first = tiny.execute_in_process(instance=instance)
    assert storage._keepers
    storage.wipe()
    assert first.run_id not in storage._keepers  # (wipe itself reopens the index to empty it)
    assert not instance.all_logs(first.run_id)  # its shard file is gone, not held open by a kept connection
    second = tiny.execute_in_process(instance=instance)
    assert second.success and instance.all_logs(second.run_id)
