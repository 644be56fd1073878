"""Read CIN census XML files, streaming, and load them (python manage.py import_cin_census).

The file is read with lxml's `iterparse` (reader.py): each <Child> is handed over when its end
tag is read, checked against the schema (xml_schema.py), turned into a `ChildRecord`, and then
cleared and detached from the tree, so a file of 100,000 children needs the memory of one child
plus a few batches of records. Every element is validated; each problem is an `Issue` naming
the file, the line, the child's LAchildID, the element and the reason.

Nothing is written unless every file is clean: the files are loaded in one transaction (in
order of their reference dates, so the newest file's values win), batches are written while
reading, and the transaction is rolled back if any error turns up anywhere, including a file
that ends too soon. See import_writer.py for how records become rows.
"""

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from iro_service.derived import store_derived
from iro_service.planner_statistics import analyze_after_commit

from .import_writer import CensusWriter, ImportSummary
from .issues import Issue
from .models import CensusImport
from .reader import (  # noqa: F401 - the reader's names are part of this module's interface
    ChildRecord,
    Header,
    PlanRecord,
    S47Record,
    iter_child_elements,
    read_children,
    read_header,
)

MAX_ISSUES = 10_000
BATCH_SIZE = 2_000


class CensusRefused(Exception):
    """The files had errors; nothing was written."""

    def __init__(self, issues: list[Issue], more: int = 0):
        self.issues, self.more = issues, more
        super().__init__(f"{len(issues) + more} error(s); nothing was imported")


@dataclass
class _Source:
    name: str
    source: object
    header: Header


def _open(source):
    if isinstance(source, str | Path):
        return open(source, "rb")  # noqa: SIM115 - closed by the caller
    if hasattr(source, "seek"):
        source.seek(0)
    return source


def _headers(sources, issues: list[Issue]) -> list[_Source]:
    found = []
    for source in sources:
        name = str(source) if isinstance(source, str | Path) else getattr(source, "name", "file")
        handle = _open(source)
        try:
            header = read_header(handle, name, issues)
        finally:
            if handle is not source:
                handle.close()
        if header is not None:
            found.append(_Source(name, source, header))
    return sorted(found, key=lambda found: found.header.reference_date)


def import_census(
    sources, *, district_name: str = "Not recorded", user=None, batch_size: int = BATCH_SIZE
) -> ImportSummary:
    """Load census files, all or nothing. Raises CensusRefused listing every error."""
    issues: list[Issue] = []
    files = _headers(sources, issues)
    summary = ImportSummary()
    with transaction.atomic():
        writer = CensusWriter(
            district_name=district_name, user=user, summary=summary, issues=issues
        )
        for found in files:
            writer.reason = f"CIN census import ({Path(found.name).name})"
            _load_file(found, writer, issues, batch_size)
        if issues:  # leaving the block with the exception rolls everything back
            raise CensusRefused(issues[:MAX_ISSUES], max(0, len(issues) - MAX_ISSUES))
        # The bulk writes send no signals: the derived rows (plans' reviews, initial conferences' due dates) are stored here, once, from
        # what was written (all of them: a rewrite whose cost is linear whatever the planner's
        # statistics, which describe the tables before this import until it commits).
        store_derived()
        analyze_after_commit()  # a refused file leaves no statistics of rows that never were
        for found in files:
            CensusImport.objects.create(
                file_name=Path(found.name).name[:200],
                collection_year=found.header.year,
                reference_date=found.header.reference_date,
                imported_by=user,
                district=writer.district,
                summary=summary.as_dict(),
            )
    return summary


def _batches(records: Iterator[ChildRecord], issues: list[Issue], size: int) -> Iterator[list]:
    """Batches of valid records, read and checked in a second thread while this one waits on
    the database. At most two batches wait in the queue, so memory stays bounded. Once any
    error is found the rest is still read, for its errors, but no more batches are handed on.
    """
    handoff: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def put(item) -> None:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def produce() -> None:
        batch: list[ChildRecord] = []
        try:
            for record in records:
                if stop.is_set():
                    return
                if issues:
                    batch = []
                    continue
                batch.append(record)
                if len(batch) >= size:
                    put(batch)
                    batch = []
            if batch and not issues:
                put(batch)
        except BaseException as error:  # handed to the reading thread, raised there
            put(error)
        finally:
            put(_DONE)

    reader = threading.Thread(target=produce, name="census-reader", daemon=True)
    reader.start()
    try:
        while (item := handoff.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()


_DONE = object()


def _load_file(found: _Source, writer: CensusWriter, issues: list[Issue], batch_size: int):
    handle = _open(found.source)
    try:
        records = read_children(handle, found.name, issues, reference=found.header.reference_date)
        for batch in _batches(records, issues, batch_size):
            if not issues:
                writer.write(batch, reference=found.header.reference_date, file=found.name)
    finally:
        if handle is not found.source:
            handle.close()
