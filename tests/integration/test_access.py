"""Access: the analysts' SQL is read-only and closed to files; no personal data leaves the build database;
secrets are private; no default password exists anywhere in the repository.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from corpus.homes import golden_home
from sme_testing import ROOT, sme

from ingest.contract import TEMPLATES

CORPUS = ROOT / "tests" / "corpus"


@pytest.fixture(scope="module")
def golden(tmp_path_factory) -> Path:
    return golden_home(tmp_path_factory)


@pytest.fixture(scope="module")
def home(golden) -> Path:
    return golden / "home"


# ----------------------------------------------------------------------------- sme-monitor sql
REFUSED = [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_csv_auto('/etc/hostname')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM read_blob('/etc/hostname')",
    "SELECT * FROM read_parquet('/tmp/x.parquet')",
    "SELECT * FROM read_json('/tmp/x.json')",
    "SELECT * FROM glob('/etc/*')",
    "SELECT * FROM '/etc/passwd'",
    "COPY (SELECT 1) TO '{out}/copy.csv'",
    "COPY audit.load_manifest TO '{out}/manifest.csv'",
    "EXPORT DATABASE '{out}/export'",
    "ATTACH '{out}/other.duckdb' AS other",
    "ATTACH ':memory:' AS scratch",
    "INSTALL httpfs",
    "LOAD httpfs",
    "LOAD '/tmp/evil.duckdb_extension'",
    "INSERT INTO audit.load_manifest (load_id) VALUES (-1)",
    "UPDATE audit.load_manifest SET file_name = 'x'",
    "DELETE FROM audit.quarantine",
    "CREATE TABLE marts.x AS SELECT 1",
    "CREATE VIEW marts.v AS SELECT 1",
    "DROP TABLE audit.quarantine",
    "SET enable_external_access = true",
    "RESET enable_external_access",
    "PRAGMA enable_external_access = true",
]


def test_sql_command_works_read_only(home):
    proc = sme(home, "sql", "SELECT count(*) AS n FROM audit.load_manifest", "--format", "json", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["n"] > 0


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "COPY (SELECT 1) TO '{out}/copy.csv'",
        "ATTACH '{out}/other.duckdb' AS other",
    ],
)
def test_sql_command_refuses_files_one_shot(home, tmp_path, sql):
    proc = sme(home, "sql", sql.format(out=tmp_path), timeout=120)
    assert proc.returncode == 1 and "查询失败" in proc.stderr, (proc.stdout, proc.stderr)
    assert not list(tmp_path.iterdir()), "a file was written"


def test_sql_shell_refuses_every_file_write_and_extension_statement(home, tmp_path):
    """All statements through one interactive shell: each refused, and nothing changes afterwards."""
    statements = [s.format(out=tmp_path) for s in REFUSED]
    script = "".join(s + ";\n" for s in statements) + "SELECT 'still-alive' AS probe;\n\\q\n"
    before = (home / "warehouse" / "serving.duckdb").read_bytes()
    proc = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "sme-monitor"), "sql"],
        input=script,
        text=True,
        capture_output=True,
        timeout=180,
        cwd=ROOT,
        env={**os.environ, "SME_HOME": str(home), "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}"},
    )
    failures = [line for line in proc.stderr.splitlines() if line.startswith("查询失败")]
    assert len(failures) == len(statements), "\n".join(failures) + "\n---\n" + proc.stdout[-2000:]
    assert "still-alive" in proc.stdout
    assert not list(tmp_path.iterdir()), "a file was written"
    assert (home / "warehouse" / "serving.duckdb").read_bytes() == before


def test_serving_connection_cannot_reenable_access(home):
    from warehouse.db import connect_serving
    from warehouse.paths import Paths

    con = connect_serving(Paths(home))
    try:
        assert con.execute("SELECT current_setting('enable_external_access')").fetchone()[0] is False
        assert con.execute("SELECT current_setting('lock_configuration')").fetchone()[0] is True
        with pytest.raises(duckdb.Error):
            con.execute("SET lock_configuration = false")
    finally:
        con.close()


# ----------------------------------------------------------------------------- personal data
def personal_values(home: Path) -> list[str]:
    """Every contact name and phone that was sent: from the corpus files and from the sample's enterprises files."""
    values = set()
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    values |= set(expected["personal"]["contact_name"]) | set(expected["personal"]["contact_phone"])
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    try:
        for name, phone in con.execute("SELECT contact_name, contact_phone FROM raw.enterprises").fetchall():
            values |= {name, phone}
        labels = {TEMPLATES["enterprises"].field(c).header for c in ("contact_name", "contact_phone")}
        for (raw,) in con.execute(
            "SELECT raw_record FROM raw.quarantine WHERE source = 'enterprises' AND raw_record IS NOT NULL"
        ).fetchall():
            for k, v in json.loads(raw).items():
                if k in labels or k.lower() in ("contact_name", "contact_phone"):
                    values.add(v)
    finally:
        con.close()
    return sorted(v.strip() for v in values if v and len(v.strip()) >= 3)


def test_input_really_carried_personal_data(home):
    values = personal_values(home)
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    n = con.execute("SELECT count(*) FROM raw.enterprises WHERE contact_phone IS NOT NULL").fetchone()[0]
    con.close()
    assert n > 0 and len(values) > 20, "the test would prove nothing without personal data in the input"


def test_serving_copy_holds_no_personal_data(home):
    values = personal_values(home)
    pattern = "|".join(re.escape(v) for v in values)
    con = duckdb.connect(str(home / "warehouse" / "serving.duckdb"), read_only=True)
    try:
        cols = {r[0] for r in con.execute("SELECT lower(column_name) FROM duckdb_columns()").fetchall()}
        assert not cols & {"contact_name", "contact_phone", "联系人", "联系电话", "raw_record"}
        hits = {}
        for schema, table in con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall():
            n = con.execute(
                f'SELECT count(*) FROM "{schema}"."{table}" t WHERE regexp_matches(CAST(t AS VARCHAR), ?)', [pattern]
            ).fetchone()[0]
            if n:
                hits[f"{schema}.{table}"] = n
    finally:
        con.close()
    assert not hits, f"personal data found in the serving copy: {hits}"


def test_receipts_hold_no_personal_data(home):
    import openpyxl

    values = personal_values(home)
    receipts = list((home / "receipts").rglob("*.回执.xlsx"))
    assert len(receipts) > 10
    found = []
    for p in receipts:
        wb = openpyxl.load_workbook(p, read_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for cell in row:
                    if cell and any(v in str(cell) for v in values):
                        found.append((p.name, ws.title, cell))
        wb.close()
    assert not found, found[:5]


def test_shifted_row_does_not_echo_the_phone_number(home):
    """The corpus row shifted by an unquoted comma is quarantined; the cell outside the table is not shown."""
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    rows = con.execute(
        "SELECT code, raw_value, message FROM raw.quarantine WHERE source_file = 'ent_shifted_row.csv' "
        "AND column_name = '(多余列)'"
    ).fetchall()
    con.close()
    assert rows and all(r[0] == "inconsistent" and r[1] is None and "个人信息" in r[2] for r in rows)


# ----------------------------------------------------------------------------- secrets
def test_superset_secrets_are_created_private(tmp_path):
    """Superset's secret key and the credentials file are created mode 600 in a 700 folder, whatever the umask."""
    script = (
        "import os, sys\n"
        "os.umask(0)\n"
        f"sys.path.insert(0, {str(ROOT / 'dashboards')!r})\n"
        "import superset_config, provision\n"
        "provision.write_credentials({'someone': 'generated-for-test'})\n"
    )
    env = {**os.environ, "SME_HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    if proc.returncode != 0 and ("ModuleNotFoundError" in proc.stderr or "No such file" in proc.stderr):
        pytest.skip(f"dashboards/ not importable here: {proc.stderr[-300:]}")
    assert proc.returncode == 0, proc.stderr
    sup = tmp_path / "superset"
    assert stat.S_IMODE(sup.stat().st_mode) == 0o700
    for name in ("secret_key", "credentials"):
        assert stat.S_IMODE((sup / name).stat().st_mode) == 0o600, name


def _provisioned_superset_homes() -> list[Path]:
    homes = {Path(os.environ["SME_HOME"]) / "superset"} if os.environ.get("SME_HOME") else set()
    homes.add(ROOT / "var" / "superset")
    return [h for h in homes if h.is_dir()]


def test_provisioned_superset_secrets_are_private():
    homes = _provisioned_superset_homes()
    if not homes:
        pytest.skip("Superset has not been provisioned under $SME_HOME/superset here (make demo / make serve does it)")
    checked = 0
    for sup in homes:
        assert not stat.S_IMODE(sup.stat().st_mode) & 0o077, f"{sup} is open to other users"
        for p in sup.iterdir():
            if p.is_file() and re.search(r"secret|credential|password|token|\.env$|key$", p.name, re.I):
                assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
                checked += 1
    if not checked:
        pytest.skip("no secret or credential file in the provisioned Superset folder yet")


def test_pipeline_state_is_not_world_writable(home):
    for p in [
        home / "warehouse" / "serving.duckdb",
        home / "warehouse" / "build.duckdb",
        *home.joinpath("receipts").rglob("*"),
        *home.joinpath("archive").rglob("*"),
    ]:
        assert not p.stat().st_mode & stat.S_IWOTH, p


# ----------------------------------------------------------------------------- no default password
PASSWORD_PATTERNS = [
    (r"\badmin\s*[:/]\s*admin\b", "admin:admin"),
    (r"(?i)\bpass(word|wd)?\b\s*[=:]\s*[\"'](?!\s*[\"'])(?![{$<])[^\"'\n]{2,}[\"']", "literal password"),
    (r"(?i)^\s*pass(word|wd)?\s*:\s*(?![\"']?\s*$)(?![\"']?[{$<])(?!X{4,})\S+", "yaml password"),
    (r"(?i)secret_key\s*=\s*[\"'][^\"']+[\"']", "literal SECRET_KEY"),
    (r"(?i)--password[ =](?![\"']?[$<{])\S+", "password on a command line"),
    (r"(?i)(create-admin|fab create-admin)[^\n]*\s-p\s+(?![$\"'<{])\S+", "superset create-admin -p"),
    (r"://[^/\s:@'\"]+:(?![$<{])[^/\s:@'\"]+@", "credentials in a URI"),
    (r"(?i)\b(changeme|admin123|password123|passw0rd|p@ssw0rd)\b", "well-known default"),
]
SELF = Path(__file__).resolve()


def repo_text_files() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    files = []
    for rel in sorted(set(out)):
        p = ROOT / rel
        if p.is_file() and p.resolve() != SELF and p.stat().st_size < 5_000_000:
            files.append(p)
    return files


def test_no_default_password_anywhere_in_the_repository():
    hits = []
    files = repo_text_files()
    assert len(files) > 50
    for p in files:
        try:
            text = p.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for pattern, what in PASSWORD_PATTERNS:
            for m in re.finditer(pattern, text, re.M):
                line = text.count("\n", 0, m.start()) + 1
                hits.append(f"{p.relative_to(ROOT)}:{line}: {what}: {m.group(0)[:80]}")
    assert not hits, "\n".join(hits)


@pytest.mark.parametrize(
    "text",
    [
        "superset fab create-admin -u admin -p admin",
        'PASSWORD = "superset"',
        "password: admin123",
        "duckdb://analyst:secret@host/db",
        "admin:admin",
        "SECRET_KEY = 'thisISaSECRET_1234'",
    ],
)
def test_password_patterns_catch_the_usual_defaults(text):
    assert any(re.search(p, text, re.M) for p, _ in PASSWORD_PATTERNS), text
