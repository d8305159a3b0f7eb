"""The import on two cores: a worker process reads, checks and plans the records and
builds their rows while the importing process writes them. Forced on here with tiny
thresholds (batches of two records; a worker from three records on), on PostgreSQL
too, where imports otherwise stay in one process."""

from __future__ import annotations

import inspect
import io
import multiprocessing
import os
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner
from django.db import connection, transaction

from peerladder.catalogue.models import Case, Revision
from peerladder.cli.interchange import import_
from peerladder.interchange import importer, pipeline
from peerladder.interchange.parsers import iter_jsonl
from peerladder.interchange.pipeline import ImportWorkerError
from peerladder.interchange.problems import InvalidFile
from tests.interchange import test_import
from tests.interchange.records import (
    database_state,
    export,
    foundation_record,
    jsonl,
    load_records,
    numbered_records,
    wiki_record,
)

pytestmark = pytest.mark.django_db


def records(count: int, prefix: str = "case") -> list[dict[str, Any]]:
    return numbered_records(count, prefix, authors=3)


@pytest.fixture
def two_processes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Imports of three records or more use a worker; returns the worker's process ids."""
    monkeypatch.setattr(importer, "BATCH", 2)
    monkeypatch.setattr(importer, "TWO_PROCESSES_FROM", 3)
    monkeypatch.setattr(importer, "TWO_PROCESSES_ON", (connection.vendor,))
    started: list[int] = []
    enter = pipeline.Worker.__enter__

    def spy(self: pipeline.Worker) -> pipeline.Worker:
        worker = enter(self)
        assert self.process.pid is not None
        started.append(self.process.pid)
        return worker

    monkeypatch.setattr(pipeline.Worker, "__enter__", spy)
    return started


def no_worker_left(started: list[int]) -> bool:
    """The workers have ended and been reaped (none is left running or a zombie)."""
    for pid in started:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        return False
    return not multiprocessing.active_children()


def import_file(data: bytes, **options: Any) -> importer.ImportReport:
    """As ``peerladder import`` reads a JSON Lines file: line by line."""
    return importer.import_records(iter_jsonl(io.BytesIO(data), name="cases.jsonl"), **options)


def mixed_records() -> list[dict[str, Any]]:
    """New cases, one relating to another of the file, and a change to a stored one."""
    changed = foundation_record()
    changed["name"] = "Wikimedia Foundation, Inc."
    return [*records(5), wiki_record(), changed]


def imported(two: bool, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What importing mixed_records() over a stored case leaves, rolled back after."""
    with transaction.atomic():
        load_records([foundation_record()])
        monkeypatch.setattr(importer, "TWO_PROCESSES_FROM", 3 if two else 10**9)
        report = import_file(jsonl(mixed_records()))
        state = {
            "summary": report.summary(),
            "plans": report.plans,
            "export": export("jsonl"),
            "revisions": list(
                Revision.objects.order_by("case__slug", "number").values_list(
                    "case__slug", "number", "action", "summary", "author__username", "snapshot"
                )
            ),
        }
        transaction.set_rollback(True)
    return state


def test_two_processes_leave_what_one_process_leaves(two_processes, monkeypatch):
    one = imported(False, monkeypatch)
    assert two_processes == []

    two = imported(True, monkeypatch)

    assert len(two_processes) == 1, "the worker did not run"
    assert two == one
    assert one["summary"] == "7 records: created 6, updated 1, 0 unchanged"
    assert no_worker_left(two_processes)


def test_rows_too_large_for_a_slot_go_through_the_pipe_with_the_same_result(
    two_processes, monkeypatch
):
    through_memory = imported(True, monkeypatch)
    taken: list[tuple[int, int]] = []
    take = pipeline.Slots.take
    monkeypatch.setattr(
        pipeline.Slots, "take", lambda self, *at: taken.append(at) or take(self, *at)
    )
    monkeypatch.setattr(pipeline, "SLOT_BYTES", 16)  # smaller than any batch's rows

    through_pipe = imported(True, monkeypatch)

    assert taken == []
    assert through_pipe == through_memory
    assert len(two_processes) == 2 and no_worker_left(two_processes)


def test_shared_slots_hand_over_values_across_a_fork_in_turn_and_refuse_a_large_one():
    import pickle

    context = multiprocessing.get_context("fork")
    slots = pipeline.Slots(context, 2, 64)
    values = [[(number, "x" * number)] for number in range(5)]
    receiving, sending = context.Pipe(duplex=False)
    parent = os.getpid()

    def put_all() -> None:
        for value in values:
            packed = pickle.dumps(value)
            sending.send(slots.put(packed, alive=lambda: os.getppid() == parent))
        os._exit(0)

    def where() -> tuple[int, int]:
        assert receiving.poll(10), "the child wrote nothing"
        return receiving.recv()

    child = context.Process(target=put_all, daemon=True)
    child.start()
    # Two slots for five values: the child goes on only as this process takes them.
    waiting = [where(), where()]
    assert not receiving.poll(0.5), "a value was written over one not yet taken"
    taken = []
    for _ in values:
        taken.append(slots.take(*waiting.pop(0)))
        if len(taken) <= 3:
            waiting.append(where())
    child.join(10)

    assert child.exitcode == 0
    assert taken == values
    assert slots.put(b"y" * 65, alive=lambda: True) is None  # too large: the pipe's
    slots.close()


def test_a_worker_waiting_for_a_slot_stops_when_the_importer_is_gone():
    slots = pipeline.Slots(multiprocessing.get_context("fork"), 1, 64)
    assert slots.put(b"first", alive=lambda: True) == (0, 5)

    with pytest.raises(SystemExit):
        slots.put(b"second", alive=lambda: False)  # no slot free, and nobody to free one
    slots.close()


def test_a_small_import_stays_in_one_process(two_processes):
    report = load_records(records(2))

    assert report.created == 2
    assert two_processes == []


def test_a_problem_names_its_line_and_field(two_processes):
    bad = records(9)
    bad[6]["sector"] = "astrology"
    bad[7]["placements"][0]["sources"] = ["https://example.org/not-listed"]

    with pytest.raises(InvalidFile) as caught:
        import_file(jsonl(bad))

    lines = [problem.line() for problem in caught.value.problems]
    assert len(lines) == 2
    assert lines[0].startswith("cases.jsonl:7: sector")
    assert lines[1].startswith("cases.jsonl:8: placements[0].sources[0]")
    assert Case.objects.count() == 0
    assert two_processes and no_worker_left(two_processes)


def test_a_problem_found_late_rolls_back_every_batch_written(two_processes):
    load_records([foundation_record()])
    before = database_state()
    late = records(11)
    late[-1]["relations"] = [{"type": "governed_by", "target": "nowhere"}]
    unreadable = b"{not json\n"

    with pytest.raises(InvalidFile) as caught:
        import_file(jsonl(late) + unreadable)

    assert [problem.where for problem in caught.value.problems] == [
        "cases.jsonl:12",
        "cases.jsonl:11",
    ]
    assert "nowhere" in caught.value.problems[1].line()
    assert database_state() == before
    assert two_processes and no_worker_left(two_processes)


def test_a_slug_taken_while_writing_is_reported_and_rolled_back(two_processes, monkeypatch):
    # As if another writer had stored the case after the worker checked the record.
    existing = pipeline.Worker.answer

    def answer(self: pipeline.Worker, body: Any) -> None:
        if isinstance(body, pipeline.Answer):
            body.existing = ({}, {})
        existing(self, body)

    load_records([foundation_record()])
    before = database_state()
    monkeypatch.setattr(pipeline.Worker, "answer", answer)
    clash = records(4)
    clash[3] = foundation_record()

    with pytest.raises(InvalidFile) as caught:
        import_file(jsonl(clash))

    assert caught.value.problems[0].line().startswith("cases.jsonl:3")
    assert "taken" in caught.value.problems[0].line()
    assert database_state() == before


def fail_in_worker(monkeypatch: pytest.MonkeyPatch, failure: Callable[[], None]) -> None:
    """Make the worker fail when it builds the rows of its second batch (the module is
    copied into the forked worker with the patch)."""
    built = pipeline.case_rows
    calls = {"count": 0}

    def case_rows(**options: Any) -> Any:
        calls["count"] += 1
        if calls["count"] == 2:
            failure()
        return built(**options)

    monkeypatch.setattr(pipeline, "case_rows", case_rows)


def test_an_error_in_the_worker_surfaces_and_writes_nothing(two_processes, monkeypatch):
    def failure() -> None:
        raise ValueError("the worker tripped over something")

    fail_in_worker(monkeypatch, failure)
    before = database_state()

    with pytest.raises(ImportWorkerError) as caught:
        import_file(jsonl(records(8)))

    assert "worker process failed" in str(caught.value)
    assert "ValueError: the worker tripped over something" in str(caught.value)
    assert database_state() == before
    assert no_worker_left(two_processes)


def test_a_worker_that_dies_surfaces_and_writes_nothing(two_processes, monkeypatch):
    fail_in_worker(monkeypatch, lambda: os._exit(3))
    before = database_state()

    with pytest.raises(ImportWorkerError) as caught:
        import_file(jsonl(records(8)))

    assert "ended unexpectedly (exit code 3)" in str(caught.value)
    assert database_state() == before
    assert no_worker_left(two_processes)


def test_ctrl_c_while_writing_stops_the_worker_and_writes_nothing(two_processes):
    before = database_state()
    seen: list[int] = []

    def on_progress(count: int) -> None:
        seen.append(count)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_file(jsonl(records(12)), on_progress=on_progress)

    assert database_state() == before
    assert two_processes and no_worker_left(two_processes)


def test_progress_counts_every_record_once(two_processes):
    seen: list[int] = []

    report = import_file(jsonl(records(7)), on_progress=seen.append)

    assert report.created == 7
    assert sum(seen) == 7
    assert two_processes


# Each test of test_import.py again, with the worker taking every import of three or
# more records (the dry runs stay in one process: they write nothing).
IMPORT_TESTS = [
    test
    for name, test in inspect.getmembers(test_import, inspect.isfunction)
    if name.startswith("test_") and not inspect.signature(test).parameters
]


@pytest.mark.parametrize("test", IMPORT_TESTS, ids=lambda test: test.__name__)
def test_the_import_tests_pass_with_a_worker(test, monkeypatch):
    monkeypatch.setattr(importer, "TWO_PROCESSES_FROM", 1)
    monkeypatch.setattr(importer, "TWO_PROCESSES_ON", (connection.vendor,))
    monkeypatch.setattr(importer, "BATCH", 1)
    test()


def test_a_slug_given_twice_is_refused_though_its_first_case_is_written(two_processes):
    twice = records(6)
    twice[5]["slug"] = "case-0"

    with pytest.raises(InvalidFile) as caught:
        import_file(jsonl(twice))

    assert [problem.line() for problem in caught.value.problems] == [
        "cases.jsonl:6: slug 'case-0' appears twice in the file; first at cases.jsonl:1"
    ]
    assert Case.objects.count() == 0


def test_the_command_reports_a_failed_worker_and_exits_1(two_processes, monkeypatch, tmp_path):
    def failure() -> None:
        raise ValueError("the worker tripped over something")

    fail_in_worker(monkeypatch, failure)
    path = tmp_path / "cases.jsonl"
    path.write_bytes(jsonl(records(8)))

    result = CliRunner().invoke(import_, [str(path)])

    assert result.exit_code == 1
    assert "Error: the import's worker process failed; nothing was imported." in result.stderr
    assert "ValueError: the worker tripped over something" in result.stderr
    assert Case.objects.count() == 0
    assert no_worker_left(two_processes)


def test_only_sqlite_imports_use_a_worker_unless_told(two_processes, monkeypatch):
    monkeypatch.setattr(importer, "TWO_PROCESSES_ON", ("sqlite",))

    report = import_file(jsonl(records(4)))

    assert report.created == 4
    assert len(two_processes) == (1 if connection.vendor == "sqlite" else 0)


def test_packed_rows_come_back_equal_whatever_their_values():
    import datetime as dt
    import pickle

    from peerladder.catalogue.bulk import CaseRows
    from peerladder.interchange.pipeline import _packed

    shared = "the same string in two rows"
    tables = (
        [(1, "name", None, 2.5, True, shared), (2, "é", -1, 0.0, False, shared)],
        [(1, "DE", 0)],
        [(1, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))],  # as PostgreSQL's rows hold
        [],
    )
    rows, packed = _packed(CaseRows([1, 2], tables))

    assert rows.tables == () and rows.case_ids == [1, 2]
    assert pickle.loads(packed) == tables  # noqa: S301 (our own bytes)
