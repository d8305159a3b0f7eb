"""A large import on two cores: records read, checked and turned into rows in a worker
process, written by the process that started it.

The importer (:mod:`peerladder.interchange.importer`) holds the one connection that
writes, inside the import's transaction; a writer *thread* would only take turns
with it for the interpreter's lock. So :class:`Worker` forks a process that reads
the records (JSON Lines are parsed there, a line at a time), plans them with the
same :class:`~peerladder.interchange.plan.Planner` and builds each batch's rows
with :func:`~peerladder.catalogue.bulk.case_rows`, while the importer writes the
batch before. The worker never touches the database: for each batch it asks the
importer (a few batches ahead, so it need not wait) for what only the database
knows, and the importer answers between its writes:

- ``("lookup", Lookup)`` → :class:`Answer`: the existing cases the batch names by
  slug or Wikidata id, the accounts of the placement authors it names (created
  inside the import's transaction), and ids reserved for its new rows — or none
  once a problem has been found, after which the worker only checks.
- ``("batch", Batch)``: the batch's plans, problems and rows, to write. The rows'
  tables travel beside the message, in memory both processes share (:class:`Slots`).
- ``("targets", set)`` → the set of those relation targets that are stored cases.
- ``("done", problems)``: the problems of relations, found at the end.
- ``("error", traceback)``: the worker failed; :meth:`Worker.messages` raises
  :class:`ImportWorkerError` with it.

The worker ignores Ctrl-C (the importer's rollback handles it), and dies with the
importer: it is killed when the importer leaves :class:`Worker` for any reason,
and by the kernel if the importer dies first. A worker that dies by itself is
noticed within a fraction of a second.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import mmap
import multiprocessing
import pickle
import queue
import signal
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, NamedTuple

from django.db.models import Model

from peerladder.catalogue.bulk import CaseRows, case_rows
from peerladder.catalogue.models import Case, Placement, Source
from peerladder.catalogue.table_writer import table_writer
from peerladder.interchange.plan import Existing, Planner, RecordPlan, lookup_keys
from peerladder.interchange.problems import LocatedProblem

__all__ = [
    "AccountRef",
    "Answer",
    "Batch",
    "ImportWorkerError",
    "Lookup",
    "Slots",
    "Worker",
    "WorkerSetup",
    "available",
    "batches",
    "relations_of",
]

# Batches the worker asks about ahead of the one it plans, and batches of rows it may
# have built and not yet handed over: enough slack that neither process waits on the
# other for a batch that happens to be slow. (With 2 and 4, a million-case import kept
# the worker off the processor for about 8 s of the 100 s of batches, though it was
# the slower side; with 8 and 8, about 5 s.)
LOOKAHEAD = 8
SEND_AHEAD = 8
# How often the importer checks that a silent worker is still alive (seconds).
POLL = 0.2
# Shared memory for the rows of batches on their way to the importer: a slot per batch
# that may be waiting (SEND_AHEAD in the queue, one being sent, one being read), each
# far larger than a batch of 1,000 typical cases (about 1.7 MB); a larger batch's rows
# go through the pipe instead. Only the pages written to take memory.
SLOTS = SEND_AHEAD + 2
SLOT_BYTES = 16 << 20
ID_MODELS: tuple[type[Model], ...] = (Case, Source, Placement)


class ImportWorkerError(RuntimeError):
    """The import's worker process failed or died; the import wrote nothing."""


class AccountRef(NamedTuple):
    """An account as the rows need it (see :class:`peerladder.catalogue.bulk.Account`)."""

    pk: int
    username: str


@dataclass(frozen=True)
class WorkerSetup:
    """What the worker needs to know beside the records."""

    account: AccountRef  # the importing account
    summary: str  # of the new cases' first revision
    batch: int  # records per batch


@dataclass
class Lookup:
    """What a batch names that only the database knows about, and how many new rows
    of each of ``ID_MODELS`` it could make at most (valid records make no more)."""

    slugs: list[str]
    wikidata: list[str]
    authors: list[str]
    most: tuple[int, ...]


@dataclass
class Answer:
    existing: Existing
    accounts: dict[str, AccountRef]  # the authors named for the first time
    ids: tuple[Sequence[int], ...] | None  # per ID_MODELS; None: build no rows


@dataclass
class Batch:
    size: int  # records read, for the progress bar
    planned: list[tuple[str, str, str]]  # where, slug, action of each valid record
    problems: list[LocatedProblem]
    first: str  # where the batch starts, named by a problem found while writing it
    rows: CaseRows | None = None  # None: nothing to write (a problem was found)
    later: list[RecordPlan] = field(default_factory=list)  # updates, and creates with relations
    case_ids: dict[str, int] = field(default_factory=dict)  # of the new cases with relations
    # The rows' tables packed (see ``_packed``), when too large for a slot ...
    packed: bytes | None = None
    # ... or, usually, in a slot of the shared memory: (slot, length).
    slot: tuple[int, int] | None = None


def available() -> bool:
    """Whether this process can start the worker (it is forked, so it inherits the
    records and the configuration without a second start-up)."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


def batches(records: Iterable[tuple[str, Any]], size: int) -> Iterator[list[tuple[str, Any]]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


def relations_of(plan: RecordPlan) -> list[dict[str, Any]]:
    """The relations a plan adds: all of a new case's, an existing case's new ones."""
    if plan.action == "create":
        return list(plan.record.get("relations") or [])
    return plan.new_relations


class Slots:
    """Memory shared with the forked worker, in which it leaves each batch's packed
    rows for the importer: a ring of ``count`` slots of ``size`` bytes, used in turn.

    Sending 1.7 MB through a pipe cost both processes a copy into and out of the
    kernel, and the worker's sending thread a wait for the interpreter's lock after
    each 64 KB the pipe took; here the worker copies the bytes once and the importer
    reads them where they are. A semaphore counts the free slots, so the worker never
    writes over rows the importer has not read."""

    def __init__(self, context: Any, count: int, size: int) -> None:
        self.count, self.size = count, size
        self.memory = mmap.mmap(-1, count * size)  # anonymous, so shared across fork
        self.free = context.Semaphore(count)
        self.turn = 0  # the next slot to use (each process keeps its own)

    def put(self, data: bytes, *, alive: Callable[[], bool]) -> tuple[int, int] | None:
        """In the worker: leave ``data`` in the next slot; None when it does not fit
        (send it in the message). Waits for a free slot while ``alive()``."""
        if len(data) > self.size:
            return None
        while not self.free.acquire(timeout=POLL):
            if not alive():
                raise SystemExit(1)
        slot = self.turn
        self.turn = (slot + 1) % self.count
        start = slot * self.size
        self.memory[start : start + len(data)] = data
        return slot, len(data)

    def take(self, slot: int, length: int) -> Any:
        """In the importer: the value packed in ``slot``, which is then free again."""
        start = slot * self.size
        with memoryview(self.memory) as view:
            try:
                # Written by the worker this process forked, never by anyone else.
                return pickle.loads(view[start : start + length])  # noqa: S301
            finally:
                self.free.release()

    def close(self) -> None:
        self.memory.close()


class Worker:
    """The worker process over ``records``, started on entering the block and killed,
    if still running, on leaving it."""

    def __init__(self, records: Iterable[tuple[str, Any]], setup: WorkerSetup) -> None:
        context = multiprocessing.get_context("fork")
        self.inbox, outbox = context.Pipe(duplex=False)
        inbox, self.outbox = context.Pipe(duplex=False)
        self.ends = (inbox, outbox)  # the worker's
        self.slots = Slots(context, SLOTS, SLOT_BYTES)
        self.process = context.Process(
            target=_work,
            args=(records, outbox, inbox, setup, self.slots),
            name="peerladder-import-worker",
            daemon=True,
        )

    def __enter__(self) -> Worker:
        self.process.start()
        for end in self.ends:  # so that a dead worker reads as the end of its pipe
            end.close()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
            if self.process.is_alive():  # pragma: no cover - it ignores only SIGINT
                self.process.kill()
        self.process.join()
        self.inbox.close()
        self.outbox.close()
        self.slots.close()

    def messages(self) -> Iterator[tuple[str, Any]]:
        """The worker's messages, in order; raises ImportWorkerError if it fails."""
        while True:
            while not self.inbox.poll(POLL):
                if not self.process.is_alive() and not self.inbox.poll(0):
                    raise self._ended()
            kind, body = self._receive()
            yield kind, body

    def _receive(self) -> tuple[str, Any]:
        try:
            # From the worker this process forked, over a pipe of its own.
            kind, body = pickle.loads(self.inbox.recv_bytes())  # noqa: S301
        except (EOFError, OSError):
            raise self._ended() from None
        if kind == "batch" and body.rows is not None:
            # Rows come with a slot of the shared memory, or packed in the message (from
            # the worker this process forked, as every message).
            tables = (
                self.slots.take(*body.slot) if body.slot is not None else pickle.loads(body.packed)  # noqa: S301
            )
            body.rows, body.slot, body.packed = replace(body.rows, tables=tables), None, None
        if kind == "error":
            raise ImportWorkerError(
                f"the import's worker process failed; nothing was imported.\n{body}"
            )
        return kind, body

    def answer(self, body: Any) -> None:
        try:
            self.outbox.send_bytes(pickle.dumps(body, pickle.HIGHEST_PROTOCOL))
        except OSError:  # a broken pipe: the worker is gone; it may have said why
            while self.inbox.poll(0):
                self._receive()
            raise self._ended() from None

    def _ended(self) -> ImportWorkerError:
        self.process.join(5)
        return ImportWorkerError(
            "the import's worker process ended unexpectedly "
            f"(exit code {self.process.exitcode}); nothing was imported"
        )


# -- the worker process ----------------------------------------------------------------


def _die_with_parent() -> None:
    """Ask Linux to kill this process when the importer dies, even by SIGKILL."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class _Channel:
    """The worker's ends of the pipes, each served by a thread, so that neither process
    blocks on a full pipe while the other waits for it: messages are pickled here and
    sent by one thread (at most SEND_AHEAD waiting), answers received by another."""

    def __init__(self, outbox: Connection, inbox: Connection) -> None:
        self.outbox, self.inbox = outbox, inbox
        self.sending: queue.Queue[bytes | None] = queue.Queue(SEND_AHEAD)
        self.answers: queue.Queue[tuple[Any, bool]] = queue.Queue()
        self.sender = threading.Thread(target=self._send_all, daemon=True)
        self.receiver = threading.Thread(target=self._receive_all, daemon=True)
        self.sender.start()
        self.receiver.start()

    def _send_all(self) -> None:
        while (data := self.sending.get()) is not None:
            try:
                self.outbox.send_bytes(data)
            except OSError:  # the importer is gone
                return

    def _receive_all(self) -> None:
        while True:
            try:
                answer = pickle.loads(self.inbox.recv_bytes())  # noqa: S301 - from the importer
                self.answers.put((answer, True))
            except (EOFError, OSError):
                self.answers.put((None, False))
                return

    def send(self, kind: str, body: Any) -> None:
        data = pickle.dumps((kind, body), pickle.HIGHEST_PROTOCOL)
        while True:
            try:
                self.sending.put(data, timeout=POLL)
                return
            except queue.Full:
                if not self.sender.is_alive():
                    raise SystemExit(1) from None

    def receive(self) -> Any:
        body, alive = self.answers.get()
        if not alive:
            raise SystemExit(1)  # the importer is gone
        return body

    def close(self) -> None:
        """Send what is waiting, then stop."""
        if self.sender.is_alive():
            self.sending.put(None)
            self.sender.join()


def _work(
    records: Iterable[tuple[str, Any]],
    outbox: Connection,
    inbox: Connection,
    setup: WorkerSetup,
    slots: Slots,
) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    channel = _Channel(outbox, inbox)
    try:
        _plan(records, channel, setup, slots)
    except SystemExit:
        raise
    except BaseException:
        channel.send("error", traceback.format_exc())
        channel.close()
        raise SystemExit(1) from None
    channel.close()


def _lookup(batch: Sequence[tuple[str, Any]]) -> Lookup:
    slugs, wikidata = lookup_keys(batch)
    authors: set[str] = set()
    cases = sources = placements = 0
    for _, record in batch:
        if not isinstance(record, dict):
            continue
        cases += 1
        sources += _length(record.get("sources"))
        raw_placements = record.get("placements")
        placements += _length(raw_placements)
        for raw in raw_placements if isinstance(raw_placements, list | tuple) else ():
            if isinstance(raw, dict):
                # A placement may give its sources in full: each may be a new source.
                sources += _length(raw.get("sources"))
                if isinstance(raw.get("author"), str):
                    authors.add(raw["author"])
    return Lookup(slugs, wikidata, sorted(authors), (cases, sources, placements))


def _length(value: Any) -> int:
    return len(value) if isinstance(value, list | tuple) else 0


class _Reserved:
    """Hands out the ids the importer reserved for a batch."""

    def __init__(self, ids: tuple[Sequence[int], ...]) -> None:
        self.left = {model: iter(block) for model, block in zip(ID_MODELS, ids, strict=True)}

    def __call__(self, model: type[Model], count: int) -> list[int]:
        taken = list(islice(self.left[model], count))
        if len(taken) < count:
            raise RuntimeError(f"a batch needs more new {model.__name__} ids than reserved")
        return taken


def _packed(rows: CaseRows) -> tuple[CaseRows, bytes]:
    """``rows`` without their tables, and the tables pickled without a memo (the
    pickler's "fast" mode: rows are flat tuples of plain values, never cyclic). On a
    batch of 1,000 cases that takes 1.5 ms against marshal's 3.3 ms and default
    pickling's 2.7 ms, in the worker, which is the slower of the two processes; the
    importer reads it back in 1.8 ms (marshal: 1.5 ms)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(rows.tables)
    return replace(rows, tables=()), buffer.getvalue()


def _plan(
    records: Iterable[tuple[str, Any]], channel: _Channel, setup: WorkerSetup, slots: Slots
) -> None:
    planner = Planner(default_author=setup.account.username)
    writer = table_writer()  # only to put values in the database's form
    accounts: dict[str, AccountRef] = {}
    upcoming = batches(records, setup.batch)
    asked: deque[list[tuple[str, Any]]] = deque()

    def ask() -> None:
        batch = next(upcoming, None)
        if batch is not None:
            channel.send("lookup", _lookup(batch))
            asked.append(batch)

    for _ in range(LOOKAHEAD):
        ask()
    failed = False
    while asked:
        batch = asked.popleft()
        ask()
        answer: Answer = channel.receive()
        accounts.update(answer.accounts)
        plans, problems = planner.plan(batch, answer.existing)
        failed = failed or bool(problems) or answer.ids is None
        message = Batch(
            size=len(batch),
            planned=[(plan.where, plan.slug, plan.action) for plan in plans],
            problems=problems,
            first=batch[0][0],
        )
        if not failed and answer.ids is not None:
            creates = [plan for plan in plans if plan.action == "create"]
            rows = case_rows(
                author=setup.account,
                cases=[plan.new for plan in creates if plan.new is not None],
                authors=accounts,
                summary=setup.summary,
                writer=writer,
                reserve_ids=_Reserved(answer.ids),
            )
            message.rows, packed = _packed(rows)
            message.slot = slots.put(packed, alive=channel.sender.is_alive)
            if message.slot is None:
                message.packed = packed
            for plan, case_id in zip(creates, rows.case_ids, strict=True):
                if plan.record.get("relations"):
                    message.case_ids[plan.slug] = case_id
            message.later = [
                replace(plan, new=None)  # its rows are built
                for plan in plans
                if plan.action == "update" or relations_of(plan)
            ]
        channel.send("batch", message)
    channel.send("targets", planner.targets_outside())
    known: set[str] = channel.receive()
    channel.send("done", planner.finish(known))
