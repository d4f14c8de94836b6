"""Load files into the raw layer: read → find header → check in SQL → one transaction per file.

Accounting, always: rows_read = rows_loaded + rows_quarantined + rows_skipped, where rows_read
counts every row below the header row. A file that cannot be used at all is `rejected` with a
file-level quarantine record, and all its data rows count as quarantined.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from ingest.contract import REASON_CODES, SOURCES, TEMPLATES, Template
from ingest.headers import find_header_row, guess_source
from ingest.reader import CellTable, UnreadableFile, read_cells
from ingest.rules import (
    FORMULA_MARK,
    NFKC_MACRO,
    USCC_VALID_MACRO,
    checked_sql,
    duplicates_sql,
    normalise_cells_sql,
)
from ingest.rules import q as _q


@dataclass
class FileError:
    row: int | None
    column: str | None
    header: str | None
    code: str
    message: str
    value: str | None


@dataclass
class FileResult:
    file: str
    source: str | None
    status: str  # loaded | partial | rejected | duplicate
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    header_row: int | None = None
    encoding: str | None = None
    sheet: str | None = None
    sheets_passed: list[str] = field(default_factory=list)  # the workbook's other sheets, each with why
    unrecognised_columns: list[str] = field(default_factory=list)
    message: str = ""
    errors: list[FileError] = field(default_factory=list)
    load_id: int | None = None
    sha256: str | None = None
    size_bytes: int | None = None
    receipt: str | None = None
    warnings: int = 0

    def to_json(self) -> dict:
        d = asdict(self)
        return d


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def prepare_reference(con: duckdb.DuckDBPyConnection) -> None:
    """The SQL macros the rules use (GB 32100 check character, NFKC of full-width characters)."""
    con.execute(USCC_VALID_MACRO)
    con.execute(NFKC_MACRO)


def _file_level(result: FileResult, code: str, message: str, rows: int = 0) -> FileResult:
    result.status = "rejected"
    result.message = message
    result.rows_read = rows
    result.rows_quarantined = rows
    result.errors = [FileError(None, None, None, code, message, None)]
    return result


def check_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    source: str | None,
    work_dir: Path,
    today: dt.date | None = None,
) -> tuple[FileResult, str | None, Template | None]:
    """Read and check one file into the temp table `__checked`. Writes nothing outside temp tables."""
    today = today or dt.date.today()
    result = FileResult(file=path.name, source=source, status="loaded")
    prepare_reference(con)
    try:
        cells: CellTable = read_cells(con, path, "__cells", work_dir, source)
    except UnreadableFile as exc:
        return _file_level(result, "file_unreadable", str(exc)), source, None
    result.encoding, result.sheet, result.sheets_passed = cells.encoding, cells.sheet, cells.sheets_passed
    if source is None:
        source = guess_source(cells.preview, TEMPLATES)
        result.source = source
        if source is None:
            return _file_level(result, "header_not_found", "未找到表头行：无法识别为任何一种报送模板"), None, None
    template = TEMPLATES[source]
    found = find_header_row(cells.preview, template)
    total_rows = con.execute("SELECT count(*) FROM __cells").fetchone()[0]
    if found is None:
        return (
            _file_level(
                result,
                "header_not_found",
                f"未找到表头行：前{len(cells.preview)}行中没有「{template.title}」模板的列名",
                total_rows,
            ),
            source,
            None,
        )
    header_idx, header = found
    # __line of the header row (preview rows are in file order, csv lines may include continuation lines)
    header_line = con.execute(
        "SELECT __line FROM (SELECT __line, row_number() OVER (ORDER BY __line) AS n FROM __cells) WHERE n = ?",
        [header_idx + 1],
    ).fetchone()[0]
    result.header_row = header_line
    result.unrecognised_columns = header.unrecognised
    data_rows = con.execute("SELECT count(*) FROM __cells WHERE __line > ?", [header_line]).fetchone()[0]
    missing = [f for f in template.fields if f.required and f.name not in header.matches]
    if missing:
        names = "、".join(f"「{f.header}」" for f in missing)
        return _file_level(result, "column_missing", f"缺少必填列：{names}，整个文件未加载", data_rows), source, None
    header_cells = cells.preview[header_idx]
    header_width = max((j + 1 for j, c in enumerate(header_cells) if c not in (None, "") and str(c).strip()), default=0)
    normalise = normalise_cells_sql("__cells", header)
    if normalise:
        con.execute(normalise)
    sql = checked_sql(
        template, "__cells", header, header_line, cells.width, today.isoformat(), header_width=header_width
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE __checked AS {sql}")
    con.execute(duplicates_sql(template, "__checked", "__cells", header))
    # The whole raw row, as header → text, only for the rows that go to quarantine (a formula without a cached
    # value as its formula text).
    pairs = ", ".join(
        f"{{'k': {_q(m.header)}, 'v': ltrim(c.c{m.index}, {_q(FORMULA_MARK)})}}"
        for m in sorted(header.matches.values(), key=lambda m: m.index)
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE __bad_raw AS
            SELECT c.__line, to_json(map_from_entries(list_filter([{pairs}], lambda e: e.v IS NOT NULL)))::VARCHAR AS raw
            FROM __cells c SEMI JOIN (SELECT __line FROM __checked WHERE len(__errors) > 0) b ON b.__line = c.__line"""
    )
    result.rows_read = data_rows
    counts = con.execute(
        """SELECT count(*) FILTER (WHERE __skip IS NULL AND len(__errors) = 0),
                  count(*) FILTER (WHERE __skip IS NULL AND len(__errors) > 0),
                  count(*) FILTER (WHERE __skip IS NOT NULL)
           FROM __checked"""
    ).fetchone()
    result.rows_loaded, result.rows_quarantined, result.rows_skipped = counts
    result.skipped = dict(
        con.execute("SELECT __skip, count(*) FROM __checked WHERE __skip IS NOT NULL GROUP BY 1 ORDER BY 1").fetchall()
    )
    result.status = "loaded" if result.rows_quarantined == 0 else ("partial" if result.rows_loaded else "rejected")
    return result, source, template


def collect_errors(con: duckdb.DuckDBPyConnection, template: Template, limit: int | None = None) -> list[FileError]:
    headers = {f.name: f.header for f in template.fields}
    sql = """SELECT __line, e.column, e.code, e.message, e.value
             FROM (SELECT __line, unnest(__errors) AS e FROM __checked WHERE len(__errors) > 0)
             ORDER BY __line"""
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    rows = con.execute(sql).fetchall()
    return [FileError(r[0], r[1], headers.get(r[1], r[1]), r[2], r[3], r[4]) for r in rows]


class Loader:
    """Loads the files of one run into the build database; one transaction per file."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        archive_dir: Path,
        receipts_dir: Path,
        work_dir: Path,
        run_id: str | None = None,
    ):
        self.con = con
        self.run_id = run_id
        self.archive_dir = archive_dir
        self.receipts_dir = receipts_dir
        self.work_dir = work_dir
        self._registry_state: tuple | None = None
        self._registry_ready = False

    def _next_load_id(self) -> int:
        return self.con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM raw.load_manifest").fetchone()[0]

    def _known(self, digest: str) -> tuple[int, str, str | None] | None:
        return self.con.execute(
            "SELECT load_id, file_name, archived_path FROM raw.load_manifest WHERE sha256 = ? AND status <> 'duplicate' "
            "ORDER BY load_id LIMIT 1",
            [digest],
        ).fetchone()

    def load_file(self, path: Path, source: str) -> FileResult:
        from ingest.receipts import write_receipt

        started = dt.datetime.now()
        # When the file landed: its modification time in the inbox (a copy or upload keeps or sets it), capped at
        # the load start (a clock skew or a future mtime must not put the arrival after the load).
        received = min(dt.datetime.fromtimestamp(path.stat().st_mtime), started)
        digest, size = sha256_of(path), path.stat().st_size
        known = self._known(digest)
        con = self.con
        if known and known[2] and not Path(known[2]).exists():
            # This very file was committed by a run that died before it could archive the file and write
            # its receipt: finish that work instead of recording the file as a duplicate of itself.
            return self._finish_interrupted(path, known[0], Path(known[2]))
        if known:
            result = FileResult(file=path.name, source=source, status="duplicate", sha256=digest, size_bytes=size)
            result.message = f"与已处理的文件「{known[1]}」（批次 {known[0]}）内容完全相同，未重复加载"
            template = None
        else:
            result, source_checked, template = check_file(con, path, source, self.work_dir)
            result.sha256, result.size_bytes = digest, size
        if template is not None and source == "operating":
            self._registry_ready = self._registry_names()
        con.execute("BEGIN TRANSACTION")
        try:
            load_id = self._next_load_id()
            result.load_id = load_id
            archived = self.archive_dir / source / f"{load_id:06d}__{path.name}"
            if template is not None and result.status != "rejected":
                names = ", ".join(template.names)
                con.execute(
                    f"INSERT INTO raw.{source} (load_id, source_file, source_row, {names}) "
                    f"SELECT {load_id}, ?, __line, {names} FROM __checked WHERE __skip IS NULL AND len(__errors) = 0",
                    [path.name],
                )
            if template is not None:
                headers = {f.name: f.header for f in template.fields}
                con.execute("CREATE OR REPLACE TEMP TABLE __headers (name VARCHAR, header VARCHAR)")
                con.executemany("INSERT INTO __headers VALUES (?, ?)", list(headers.items()))
                con.execute(
                    f"""INSERT INTO raw.quarantine
                        SELECT {load_id}, ?, ?, q.__line, q.e.column, coalesce(h.header, q.e.column), q.e.code,
                               q.e.message, q.e.value, b.raw
                        FROM (SELECT __line, unnest(__errors) AS e FROM __checked WHERE len(__errors) > 0) q
                        LEFT JOIN __headers h ON h.name = q.e.column
                        LEFT JOIN __bad_raw b ON b.__line = q.__line""",
                    [source, path.name],
                )
                if source == "operating":
                    result.warnings = self._name_warnings(load_id, path.name)
            elif result.status == "rejected":
                err = result.errors[0]
                con.execute(
                    "INSERT INTO raw.quarantine VALUES (?, ?, ?, NULL, NULL, NULL, ?, ?, NULL, NULL)",
                    [load_id, source, path.name, err.code, err.message],
                )
            con.execute(
                "INSERT INTO raw.load_manifest (load_id, source, file_name, archived_path, sha256, size_bytes, encoding, "
                "sheet, header_row, rows_read, rows_loaded, rows_quarantined, rows_skipped, skipped_detail, status, "
                "status_message, started_at, finished_at, run_id, received_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    load_id,
                    source,
                    path.name,
                    str(archived),
                    digest,
                    size,
                    result.encoding,
                    result.sheet,
                    result.header_row,
                    result.rows_read,
                    result.rows_loaded,
                    result.rows_quarantined,
                    result.rows_skipped,
                    json.dumps(result.skipped, ensure_ascii=False),
                    result.status,
                    result.message or None,
                    started,
                    dt.datetime.now(),
                    self.run_id,
                    received,
                ],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        # After the commit: the receipt, then the file leaves the inbox. A crash before the move leaves the
        # file in the inbox; the next run finds its load committed but not archived and finishes both steps.
        if template is not None:
            result.errors = collect_errors(con, template)
        result.receipt = str(write_receipt(self.receipts_dir / source, result, template))
        archived.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), archived)
        return result

    def _finish_interrupted(self, path: Path, load_id: int, archived: Path) -> FileResult:
        """Write the receipt of a committed load from the manifest and quarantine, then archive the file."""
        from ingest.receipts import write_receipt

        con = self.con
        cols = [
            "file_name",
            "source",
            "status",
            "rows_read",
            "rows_loaded",
            "rows_quarantined",
            "rows_skipped",
            "skipped_detail",
            "header_row",
            "encoding",
            "sheet",
            "status_message",
            "sha256",
            "size_bytes",
        ]
        row = dict(
            zip(
                cols,
                con.execute(f"SELECT {', '.join(cols)} FROM raw.load_manifest WHERE load_id = ?", [load_id]).fetchone(),
                strict=True,
            )
        )
        result = FileResult(
            file=row["file_name"],
            source=row["source"],
            status=row["status"],
            rows_read=row["rows_read"],
            rows_loaded=row["rows_loaded"],
            rows_quarantined=row["rows_quarantined"],
            rows_skipped=row["rows_skipped"],
            skipped=json.loads(row["skipped_detail"] or "{}"),
            header_row=row["header_row"],
            encoding=row["encoding"],
            sheet=row["sheet"],
            message=row["status_message"] or "",
            load_id=load_id,
            sha256=row["sha256"],
            size_bytes=row["size_bytes"],
        )
        result.errors = [
            FileError(*r)
            for r in con.execute(
                """SELECT source_row, column_name, column_header, code, message, raw_value FROM raw.quarantine
                   WHERE load_id = ? ORDER BY source_row NULLS FIRST, column_name""",
                [load_id],
            ).fetchall()
        ]
        result.warnings = con.execute("SELECT count(*) FROM raw.load_warnings WHERE load_id = ?", [load_id]).fetchone()[
            0
        ]
        template = (
            TEMPLATES.get(result.source) if result.header_row is not None and result.status != "rejected" else None
        )
        result.receipt = str(write_receipt(self.receipts_dir / result.source, result, template))
        archived.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), archived)
        return result

    def _registry_names(self) -> bool:
        """The registry's latest name per code, as a temp table kept for the whole run (one per connection).

        Rebuilt only when raw.enterprises has changed since; called outside a file's transaction, so a rolled-back
        load never takes the table with it. Returns False while the registry is empty.
        """
        state = self.con.execute("SELECT count(*), max(load_id), sum(load_id) FROM raw.enterprises").fetchone()
        if not state[0]:
            return False
        if state != self._registry_state:
            self.con.execute(
                "CREATE OR REPLACE TEMP TABLE __registry_names AS "
                "SELECT uscc, arg_max(name, load_id) AS name FROM raw.enterprises GROUP BY uscc"
            )
            self._registry_state = state
        return True

    def _name_warnings(self, load_id: int, file_name: str) -> int:
        """A company name that differs from the registry's latest name: a warning, not a rejection."""
        if not self._registry_ready:
            return 0
        self.con.execute(
            """INSERT INTO raw.load_warnings
               SELECT ?, ?, c.__line, 'name', 'name_mismatch',
                      '企业名称与企业基本信息库不一致（库中为「' || e.name || '」）', c.name
               FROM __checked c JOIN __registry_names e ON e.uscc = c.uscc
               WHERE c.__skip IS NULL AND len(c.__errors) = 0 AND c.name IS NOT NULL AND c.name <> e.name""",
            [load_id, file_name],
        )
        return self.con.execute("SELECT count(*) FROM raw.load_warnings WHERE load_id = ?", [load_id]).fetchone()[0]


def pending_files(inbox_dir: Path) -> list[Path]:
    """Files waiting in one source's inbox, oldest first: a later file supersedes an earlier one."""
    if not inbox_dir.is_dir():
        return []
    files = [p for p in inbox_dir.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def load_source(
    con: duckdb.DuckDBPyConnection,
    source: str,
    inbox_dir: Path,
    archive_dir: Path,
    receipts_dir: Path,
    work_dir: Path,
    progress=None,
    run_id: str | None = None,
) -> list[FileResult]:
    if source not in SOURCES:
        raise ValueError(source)
    loader = Loader(con, archive_dir, receipts_dir, work_dir, run_id)
    results = []
    files = pending_files(inbox_dir)
    if not files:
        return results
    with _one_checkpoint(con):
        for path in files:
            r = loader.load_file(path, source)
            results.append(r)
            if progress:
                progress(
                    f"{source}: {r.file} → {r.status}，读取{r.rows_read}行，加载{r.rows_loaded}，隔离{r.rows_quarantined}，跳过{r.rows_skipped}"
                )
    return results


@contextlib.contextmanager
def _one_checkpoint(con: duckdb.DuckDBPyConnection):
    """Checkpoint every 256 MB of WAL and once after the batch, instead of at every file's commit.

    By default a commit that inserts many rows skips the WAL and checkpoints the whole database (seconds at
    province scale, for every file). During the batch each commit is written to the WAL and made durable there
    (a crash replays it on the next open); rows not yet checkpointed stay in memory, hence the 256 MB bound
    rather than one checkpoint at the very end (1.9 GB peak for the province's operating files).
    """
    names = ("checkpoint_threshold", "auto_checkpoint_skip_wal_threshold")
    before = {n: con.execute("SELECT current_setting(?)", [n]).fetchone()[0] for n in names}
    con.execute("SET checkpoint_threshold = '256MB'")
    con.execute("SET auto_checkpoint_skip_wal_threshold = 1000000000000")
    try:
        yield
    finally:
        for n, v in before.items():
            con.execute(f"SET {n} = {_q(str(v))}" if isinstance(v, str) else f"SET {n} = {int(v)}")
    try:
        con.execute("CHECKPOINT")
    except duckdb.TransactionException:
        pass  # another connection is writing: the WAL stays until a later checkpoint, and is durable meanwhile


def code_names() -> dict[str, str]:
    return REASON_CODES
