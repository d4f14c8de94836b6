"""统一社会信用代码 (GB 32100-2015) check characters, as pure functions.

The validator checks codes in SQL (ingest.rules.USCC_VALID_SQL); a unit test keeps the two in step.
"""

from __future__ import annotations

import re

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

ORG_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def check_char(first17: str) -> str:
    """The 18th character for the first 17."""
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def org_check_char(body8: str) -> str:
    """GB 11714 check character (position 17 of a USCC) for the 8-character organisation body."""
    total = sum(ORG_CHARSET.index(c) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def is_valid(code: str | None) -> bool:
    if code is None:
        return False
    code = code.strip().upper()
    return bool(PATTERN.match(code)) and check_char(code[:17]) == code[17]


def make(division: str, body8: str, registration: str = "9", kind: str = "1") -> str:
    """Build a valid code (used by the sample generator and tests)."""
    first17 = registration + kind + division + body8 + org_check_char(body8)
    return first17 + check_char(first17)
