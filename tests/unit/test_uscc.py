import random

import duckdb
import pytest

from ingest import uscc
from ingest.rules import USCC_VALID_MACRO


@pytest.mark.parametrize("code", ["91420100MA4K00010R", "91350100M000100Y43"])
def test_published_examples_pass(code):
    assert uscc.is_valid(code)


def test_known_bad_example_fails():
    # DOMAIN_RULES §5: hard-coded as an exception in one public validator, but its check character is wrong.
    assert not uscc.is_valid("91350203M0001QAY9B")


def test_org_code_check_character_of_worked_example():
    assert uscc.org_check_char("MA4K0001") == "0"


def test_any_single_changed_character_is_caught():
    code = "91420100MA4K00010R"
    for i in range(18):
        for c in uscc.CHARSET:
            if c != code[i]:
                changed = code[:i] + c + code[i + 1 :]
                assert not uscc.is_valid(changed), changed


def test_sql_macro_agrees_with_python():
    rng = random.Random(7)
    codes = []
    for _ in range(500):
        body = "".join(rng.choice(uscc.CHARSET) for _ in range(8))
        good = uscc.make("4201" + f"{rng.randrange(100):02d}", body)
        codes.append(good)
        i = rng.randrange(18)
        codes.append(good[:i] + rng.choice(uscc.CHARSET) + good[i + 1 :])
    codes += ["91350203M0001QAY9B", "9142010OMA4K00010R", "short", "91420100MA4K00010r".upper()]
    con = duckdb.connect()
    con.execute(USCC_VALID_MACRO)
    got = con.execute("SELECT c, coalesce(uscc_ok(c), false) FROM unnest(?) t(c)", [codes]).fetchall()
    assert len(got) == len(codes)
    for code, ok in got:
        assert ok == uscc.is_valid(code), code
