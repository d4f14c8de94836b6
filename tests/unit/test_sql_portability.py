"""The DuckDB-only SQL inventory of docs/SCALE.md: the scanner finds what it should, and the document is current."""

from __future__ import annotations

from bench import sql_portability as sp


def test_constructs_found_in_sql() -> None:
    sql = """
    {{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='report_year') }}
    select uscc, revenue::double as revenue, list_contains(tags, 'x') as tagged, arg_max(v, period) as last_v
    from t
    qualify row_number() over (partition by uscc order by period desc) = 1
    union all by name
    select * exclude (secret) from u where d < current_date - interval 3 month
    """
    got = sp.constructs_in(sql)
    assert got == {
        "cast ::": 1,
        "QUALIFY": 1,
        "* EXCLUDE": 1,
        "list functions": 1,
        "arg_max/arg_min": 1,
        "UNION BY NAME": 1,
        "interval arithmetic": 1,
        "delete+insert": 1,
    }


def test_comments_and_jinja_data_are_not_sql() -> None:
    sql = """
    -- qualify in a line comment
    /* strptime(x) in a block comment */
    {# hash(x) in a Jinja comment #}
    {% for i in range(3) %}{% endfor %}
    {{ return({'industry': {'ceiling': {'Y': 1000}}, 'x': ['a', 'b']}) }}
    select cast(a as varchar) from t
    """
    assert sp.constructs_in(sql) == {}


def test_portable_spellings_are_not_listed() -> None:
    sql = "select max_by(v, p), count_if(x > 0), sum(v) filter (where x) from t group by all"
    assert sp.constructs_in(sql) == {}


def test_replace_section_keeps_the_rest() -> None:
    doc = f"intro\n{sp.START}\nold\n{sp.END}\noutro\n"
    assert sp.replace_section(doc, "new\n") == f"intro\n{sp.START}\nnew\n{sp.END}\noutro\n"


def test_scale_doc_lists_the_current_models() -> None:
    doc = sp.DOC.read_text(encoding="utf-8")
    assert sp.replace_section(doc, sp.current_section()) == doc, (
        "docs/SCALE.md is out of date: .venv/bin/python -m bench.sql_portability --write"
    )
