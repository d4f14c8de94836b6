"""`sme-monitor services check`: the systemd units in deploy/ and their environment file.

Structural checks (what the units must say: the environment file, loopback addresses, gunicorn for Superset, a
stop within 15 s, every ${VAR} defined in the environment file) and, where `systemd-analyze` exists, `systemd-analyze
verify` on the units rendered for this checkout (the units name /opt/sme-monitor and /etc/sme-monitor/…).
"""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from warehouse.paths import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
UNIT_ROOT = "/opt/sme-monitor"
UNIT_ENV = "/etc/sme-monitor/sme-monitor.env"
REQUIRED_ENV = (
    "SME_ROOT", "SME_HOME", "DAGSTER_HOME", "BIND_ADDRESS", "DAGSTER_PORT", "SUPERSET_PORT", "DOCS_PORT",
    "SME_MAX_SERVING_AGE_HOURS", "SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM",
)  # fmt: skip
SECRET_KEYS = ("SMTP_PASSWORD",)
SERVICES = ("sme-dagster-daemon", "sme-dagster-webserver", "sme-superset", "sme-dbt-docs")
VAR = re.compile(r"\$\{(\w+)\}")


def parse_env(path: Path) -> tuple[dict[str, str], list[str]]:
    env, problems = {}, []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        m = re.fullmatch(r"([A-Z_][A-Z0-9_]*)=(.*)", s)
        if not m:
            problems.append(f"{path.name}:{n}: 不是 KEY=value 行：{s}")
            continue
        key, value = m.groups()
        if "#" in value or "${" in value:
            problems.append(f"{path.name}:{n}: {key} 的值含有 # 或 ${{}}（systemd 不展开也不当注释）")
        env[key] = value
    return env, problems


def check_env(path: Path, example: bool = True) -> list[str]:
    env, problems = parse_env(path)
    problems += [f"{path.name}: 缺少 {k}" for k in REQUIRED_ENV if k not in env]
    for k in ("SME_ROOT", "SME_HOME", "DAGSTER_HOME"):
        if k in env and not env[k].startswith("/"):
            problems.append(f"{path.name}: {k} 必须是绝对路径")
    ports = [env.get(k, "") for k in ("DAGSTER_PORT", "SUPERSET_PORT", "DOCS_PORT")]
    if not all(p.isdigit() and 0 < int(p) < 65536 for p in ports) or len(set(ports)) != len(ports):
        problems.append(f"{path.name}: 端口必须是互不相同的 1–65535 的整数：{ports}")
    if example:
        if env.get("BIND_ADDRESS") != "127.0.0.1":
            problems.append(f"{path.name}: 示例中 BIND_ADDRESS 必须为 127.0.0.1")
        problems += [f"{path.name}: 示例中 {k} 必须留空（不要提交密码）" for k in SECRET_KEYS if env.get(k)]
    return problems


def check_unit(path: Path, env: dict[str, str]) -> list[str]:
    cp = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    cp.optionxform = str
    try:
        cp.read_string(path.read_text())
    except configparser.Error as exc:
        return [f"{path.name}: 无法解析：{exc}"]
    problems = []
    if not cp.has_section("Unit") or not cp.get("Unit", "Description", fallback=""):
        problems.append(f"{path.name}: 缺少 [Unit] Description")
    if path.suffix == ".service":
        svc = cp["Service"] if cp.has_section("Service") else {}
        if svc.get("EnvironmentFile") != UNIT_ENV:
            problems.append(f"{path.name}: EnvironmentFile 应为 {UNIT_ENV}")
        start = svc.get("ExecStart", "")
        if not start:
            problems.append(f"{path.name}: 缺少 ExecStart")
        stop = svc.get("TimeoutStopSec", "")
        if not stop.isdigit() or int(stop) > 15:
            problems.append(f"{path.name}: TimeoutStopSec 必须 ≤ 15")
        if svc.get("KillMode") not in ("mixed", "control-group"):
            problems.append(f"{path.name}: KillMode 应为 mixed 或 control-group（停止时不留子进程）")
        if "0.0.0.0" in path.read_text():
            problems.append(f"{path.name}: 不得绑定 0.0.0.0")
        if path.stem != "sme-dagster-daemon" and "${BIND_ADDRESS}" not in start:
            problems.append(f"{path.name}: 监听地址应取自 ${{BIND_ADDRESS}}")
        if path.stem == "sme-superset" and ("gunicorn" not in start or "superset run" in start):
            problems.append(f"{path.name}: Superset 必须由 gunicorn 运行，而不是 Flask 开发服务器")
        problems += [f"{path.name}: 环境文件中没有 {v}" for v in VAR.findall(path.read_text()) if v not in env]
    if cp.has_section("Install") and not cp.get("Install", "WantedBy", fallback=""):
        problems.append(f"{path.name}: [Install] 缺少 WantedBy")
    return problems


def systemd_verify(units: list[Path], env_file: Path) -> tuple[bool | None, str]:
    """`systemd-analyze verify` on the units rendered for this checkout; None when systemd-analyze is missing."""
    exe = shutil.which("systemd-analyze")
    if exe is None:
        return None, "systemd-analyze 不可用：只做了结构检查"
    with tempfile.TemporaryDirectory() as tmp:
        rendered = []
        for u in units:
            text = u.read_text().replace(UNIT_ENV, str(env_file)).replace(UNIT_ROOT, str(PROJECT_ROOT))
            (Path(tmp) / u.name).write_text(text)
            rendered.append(str(Path(tmp) / u.name))
        proc = subprocess.run([exe, "verify", "--man=no", *rendered], capture_output=True, text=True, timeout=120)
    out = (proc.stdout + proc.stderr).strip()
    return proc.returncode == 0, out


def check(env_file: Path | None = None) -> tuple[list[str], str]:
    example = env_file is None
    env_file = env_file or DEPLOY / "sme-monitor.env.example"
    problems = check_env(env_file, example=example)
    env, _ = parse_env(env_file)
    units = sorted(DEPLOY.glob("*.service")) + sorted(DEPLOY.glob("*.target"))
    missing = [s for s in SERVICES if not (DEPLOY / f"{s}.service").exists()]
    problems += [f"缺少单元 {s}.service" for s in missing]
    for u in units:
        problems += check_unit(u, env)
    ok, out = systemd_verify(units, env_file)
    if ok is False:
        problems.append("systemd-analyze verify 报错：\n" + out)
    note = "systemd-analyze verify：通过" if ok else ("" if ok is False else out)
    return problems, note
