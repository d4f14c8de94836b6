"""A small serving DuckDB with the mart tables and columns the boards read.

Stand-in until the real pipeline (`tests/conftest.py::run_pipeline`) can build the demo sample in
the test session; the column names follow issue 3 and the helpers' `_*__models.yml`. Deterministic
(setseed), ~300 enterprises over 18 months in the 17 市州. Written to a temporary file, checkpointed
and moved into place with os.replace, like the pipeline's publish.
"""

from __future__ import annotations

import os
from pathlib import Path

REGIONS = [
    ("420100", "武汉市"), ("420200", "黄石市"), ("420300", "十堰市"), ("420500", "宜昌市"), ("420600", "襄阳市"),
    ("420700", "鄂州市"), ("420800", "荆门市"), ("420900", "孝感市"), ("421000", "荆州市"), ("421100", "黄冈市"),
    ("421200", "咸宁市"), ("421300", "随州市"), ("422800", "恩施土家族苗族自治州"), ("429004", "仙桃市"),
    ("429005", "潜江市"), ("429006", "天门市"), ("429021", "神农架林区"),
]

SQL = r"""
SELECT setseed(0.42);
CREATE MACRO h(x) AS (hash(x) % 1000003)::BIGINT;
CREATE SCHEMA marts;
CREATE SCHEMA audit;
CREATE TABLE audit.publish_log AS SELECT now() AS published_at, 'fake' AS note;
CREATE TABLE marts.regions (region_code VARCHAR, region_name VARCHAR);
INSERT INTO marts.regions VALUES {regions};
CREATE TABLE marts.industries AS
  SELECT * FROM (VALUES ('B','采矿业',true),('C','制造业',true),('D','电力、热力、燃气及水生产和供应业',true),
                        ('E','建筑业',false),('F','批发和零售业',false),('I','信息传输、软件和信息技术服务业',false),
                        ('M','科学研究和技术服务业',false)) t(section_code, section_name, is_industrial);

CREATE TABLE marts.enterprises AS
WITH base AS (
  SELECT i, (SELECT list(region_code ORDER BY region_code) FROM marts.regions)[1 + (i % 17)] AS region_code,
         ['C','C','C','F','I','E','B','D','M'][1 + (i * 7 % 9)] AS section_code,
         ['micro','small','small','medium','medium','large'][1 + (i * 5 % 6)] AS size_class_computed
  FROM range(300) t(i)
)
SELECT '91420' || lpad(i::VARCHAR, 13, '0') AS uscc, '湖北测试企业' || i || '有限公司' AS enterprise_name,
       b.region_code, r.region_name, b.section_code, ind.section_name, b.size_class_computed,
       b.size_class_computed AS size_class_reported, (b.section_code IN ('B','C','D') AND i % 3 = 0) AS is_above_scale,
       CASE WHEN i % 29 = 0 THEN '小巨人' WHEN i % 11 = 0 THEN '专精特新' WHEN i % 5 = 0 THEN '创新型' END AS current_title,
       CASE WHEN i % 5 = 0 THEN 2022 + (i % 3) END AS title_year,
       '集群' || (i % 4) AS cluster_name, '产业链' || (i % 6) AS chain_name
FROM base b JOIN marts.regions r USING (region_code) JOIN marts.industries ind USING (section_code);

CREATE TABLE marts.enterprise_profiles AS
SELECT e.uscc, y AS profile_year, e.enterprise_name, e.region_code, e.region_name, e.section_code,
       coalesce(CASE WHEN y < e.title_year THEN (CASE WHEN e.current_title = '小巨人' THEN '专精特新' END)
                     ELSE e.current_title END, '无') AS current_title
FROM marts.enterprises e, range(2022, 2026) t(y);
UPDATE marts.enterprises SET current_title = '无' WHERE current_title IS NULL;

CREATE TABLE marts.enterprise_months AS
WITH m AS (
  SELECT e.*, (DATE '2024-01-01' + INTERVAL (k) MONTH)::DATE AS period, k
  FROM marts.enterprises e, range(18) t(k)
  WHERE NOT (h(e.uscc || k) % 23 = 0)
), v AS (
  SELECT *, (50 + (h(uscc) % 400)) * (1 + 0.04 * (k // 12)) * (0.85 + random() * 0.3) AS rev
  FROM m
)
SELECT uscc, period, year(period)::INTEGER AS report_year, month(period)::INTEGER AS report_month,
       region_code, region_name, section_code,
       CASE WHEN section_code IN ('B','C','D') THEN '工业' WHEN section_code = 'F' THEN '批发零售业'
            WHEN section_code = 'I' THEN '信息传输计算机服务和软件业' WHEN section_code = 'E' THEN '建筑业'
            ELSE '社会服务业' END AS industry_group,
       size_class_computed AS size_class, 'ytd_difference' AS month_derivation, false AS is_prev_month_missing,
       rev * month(period) AS revenue_ytd, rev AS revenue_month, rev * month(period) * 0.97 AS main_revenue_ytd,
       rev * month(period) * (0.78 + random() * 0.12) AS cost_ytd,
       rev * month(period) * (random() * 0.2 - 0.04) AS profit_ytd,
       CASE WHEN period >= DATE '2025-01-01' THEN 0.04 + random() * 0.06 - 0.03 END AS revenue_ytd_yoy,
       CASE WHEN period >= DATE '2025-01-01' THEN random() * 0.2 - 0.08 END AS revenue_month_yoy,
       NULL::DOUBLE AS cost_per_100_revenue,
       random() > 0.8 AS is_loss_making,
       rev * 20 AS total_assets, rev * 20 * (0.3 + random() * 0.6) AS total_liabilities,
       (20 + h(uscc) % 200)::BIGINT AS employees, (h(uscc || period) % 8)::BIGINT AS vacancies,
       rev * month(period) * 0.03 AS rd_expense_ytd, rev * 0.02 AS power_use, 50 + random() * 45 AS capacity_utilisation_pct,
       rev * 0.3 AS financing_demand,
       ['好转','持平','恶化'][1 + (h(uscc || period || 'o') % 3)] AS sent_overall
FROM v;

CREATE TABLE marts.tier_assessments AS
SELECT e.uscc, y AS assessment_year, y - 1 AS data_year, t.tier, 'v2022' AS rule_version, true AS is_primary_version,
       e.enterprise_name, e.region_code, e.section_code, e.size_class_computed AS size_class, e.current_title,
       (e.current_title = t.tier) AS holds_tier, 40 + (h(e.uscc || t.tier) % 60) AS total_points,
       (h(e.uscc || t.tier || y) % 4 = 0) AS eligible,
       CASE WHEN h(e.uscc || t.tier || y) % 4 = 0 THEN NULL
            ELSE ['营业收入未达标','研发费用占比不足','主营业务收入占比不足','资产负债率过高','发明专利不足'][1 + h(e.uscc) % 5]
                 || CASE WHEN h(e.uscc || y) % 2 = 0 THEN '；研发人员占比不足' ELSE '' END END AS failed_conditions,
       greatest(0, 60 - (40 + (h(e.uscc || t.tier) % 60))) AS points_missing,
       40 + (h(e.uscc || t.tier) % 60) AS total_score
FROM marts.enterprises e, range(2023, 2026) r(y), (VALUES ('创新型'), ('专精特新'), ('小巨人')) t(tier);

CREATE TABLE marts.cultivation_pool AS
SELECT t.uscc, assessment_year, data_year, tier AS target,
       CASE WHEN eligible THEN '符合条件未认定' WHEN points_missing <= 10 THEN '差10分以内' ELSE '差一项条件' END AS pool_type,
       rule_version, t.enterprise_name, t.region_code, r.region_name, t.section_code, t.size_class, t.current_title,
       eligible AS is_eligible, 1 AS failed_condition_count, points_missing, coalesce(failed_conditions, '') AS missing_conditions,
       total_score, 1500.0 AS revenue_annualised
FROM marts.tier_assessments t JOIN marts.regions r USING (region_code)
WHERE NOT holds_tier AND (eligible OR points_missing <= 10 OR failed_conditions NOT LIKE '%；%');

CREATE TABLE marts.scale_entries AS
SELECT uscc, 2025 AS year, '小进规' AS event_type FROM marts.enterprises WHERE is_above_scale AND h(uscc) % 4 = 0;

CREATE TABLE marts.arrears_progress AS
SELECT d AS as_of, d = DATE '2025-06-30' AS is_latest_ledger, r.region_code, r.region_name, dt.debtor_type,
       (3 + h(r.region_code || dt.debtor_type) % 10)::BIGINT AS cases,
       a AS amount, a * p AS repaid, a * (1 - p) AS outstanding, (h(r.region_code) % 3)::BIGINT AS cases_cleared,
       p AS clearance_rate, 2::BIGINT AS undisputed_cases, a * 0.7 AS undisputed_amount,
       a * 0.7 * least(1, p + 0.1) AS undisputed_repaid, least(1, p + 0.1) AS undisputed_clearance_rate,
       a * 0.7 * (1 - least(1, p + 0.1)) AS undisputed_unpaid, (CASE WHEN p + 0.1 < 1 THEN 1 ELSE 0 END)::BIGINT AS undisputed_unpaid_cases,
       1::BIGINT AS disputed_cases, a * 0.3 AS disputed_amount, a * 0.3 * p * 0.5 AS disputed_repaid,
       p * 0.5 AS disputed_clearance_rate, 0::BIGINT AS litigation_cases, 0.0 AS litigation_amount,
       1::BIGINT AS overdue_cases, a * (1 - p) * 0.5 AS overdue_outstanding, a * 0.01 AS late_interest_est
FROM marts.regions r, (VALUES ('机关'), ('事业单位'), ('国有大型企业'), ('民营大型企业')) dt(debtor_type),
     (VALUES (DATE '2025-03-31'), (DATE '2025-04-30'), (DATE '2025-05-31'), (DATE '2025-06-30')) ds(d),
     LATERAL (SELECT 100.0 + h(r.region_code || dt.debtor_type) % 500 AS a,
                     least(1.0, 0.55 + 0.1 * month(d) / 6 + (h(r.region_code) % 30) / 100.0) AS p);

CREATE TABLE marts.arrears_cases AS
SELECT 'AR' || lpad(i::VARCHAR, 5, '0') AS case_id, DATE '2025-06-30' AS as_of,
       '91420' || lpad((i % 300)::VARCHAR, 13, '0') AS creditor_uscc, '湖北测试企业' || (i % 300) || '有限公司' AS creditor_name,
       '某债务单位' || (i % 40) AS debtor_name,
       ['机关','事业单位','国有大型企业','民营大型企业'][1 + i % 4] AS debtor_type,
       (SELECT list(region_code ORDER BY region_code) FROM marts.regions)[1 + (i % 17)] AS region_code,
       NULL::VARCHAR AS region_name, 10.0 + i % 90 AS amount, (10.0 + i % 90) * (i % 3) / 3 AS repaid,
       (10.0 + i % 90) * (1 - (i % 3) / 3) AS outstanding, i % 5 = 0 AS is_disputed, i % 5 <> 0 AS is_undisputed,
       i % 3 <> 2 AS is_overdue, (i * 37 % 500)::BIGINT AS days_overdue,
       ['未到期','1–30天','31–90天','91–180天','181–365天','>365天'][1 + i % 6] AS ageing_bucket,
       (i % 6)::INTEGER AS ageing_bucket_order, 0.5 * (i % 7) AS late_interest_est, '部分清偿' AS status
FROM range(400) t(i);
UPDATE marts.arrears_cases c SET region_name = r.region_name FROM marts.regions r WHERE r.region_code = c.region_code;

CREATE TABLE marts.financing_applications AS
SELECT 'FR' || lpad(i::VARCHAR, 6, '0') AS record_id, e.uscc, (DATE '2024-01-01' + INTERVAL (i % 18) MONTH)::DATE AS month,
       e.region_code, e.region_name, e.section_code, e.size_class_computed AS size_class,
       ['信用贷款','抵押贷款','担保贷款','股权融资'][1 + i % 4] AS channel,
       CASE WHEN i % 4 = 0 THEN '拒绝' WHEN i % 9 = 0 THEN '审批中' ELSE '获批' END AS decision,
       50.0 + i % 300 AS amount_applied,
       CASE WHEN i % 4 = 0 OR i % 9 = 0 THEN 0 ELSE (50.0 + i % 300) * 0.8 END AS amount_approved,
       3.2 + (i % 20) / 10.0 AS rate_pct, i % 3 = 0 AS is_inclusive_small_micro,
       CASE WHEN i % 4 = 0 THEN ['抵押物不足','经营状况不佳','征信问题','额度已满'][1 + i % 5 % 4] END AS refusal_reason,
       i % 9 <> 0 AS is_decided, i % 4 <> 0 AND i % 9 <> 0 AS is_approved, i % 4 = 0 AS is_refused,
       i % 9 = 0 AND i % 4 <> 0 AS is_pending, i % 4 = 2 AS is_guaranteed, false AS is_qualified_equity
FROM range(1500) t(i) JOIN marts.enterprises e ON e.uscc = '91420' || lpad((i % 300)::VARCHAR, 13, '0');

CREATE TABLE marts.financing_summary AS
WITH base AS (
  SELECT month, region_code, any_value(region_name) AS region_name, size_class, channel, false AS is_all_channels,
         count(*)::BIGINT AS applications, count(DISTINCT uscc)::BIGINT AS applicant_firms,
         count(*) FILTER (is_decided)::BIGINT AS decided, count(*) FILTER (is_approved)::BIGINT AS approved,
         count(*) FILTER (is_refused)::BIGINT AS refused, count(*) FILTER (is_pending)::BIGINT AS pending,
         sum(amount_applied) AS amount_applied, sum(amount_approved) AS amount_approved,
         sum(rate_pct * amount_approved) / nullif(sum(amount_approved), 0) AS weighted_avg_rate_pct,
         sum(amount_approved) FILTER (is_guaranteed) / nullif(sum(amount_approved), 0) AS guarantee_share,
         sum(amount_approved) FILTER (is_inclusive_small_micro) / nullif(sum(amount_approved), 0) AS inclusive_share
  FROM marts.financing_applications GROUP BY month, region_code, size_class, channel
), tot AS (
  SELECT month, region_code, any_value(region_name) AS region_name, size_class, '全部' AS channel, true AS is_all_channels,
         sum(applications)::BIGINT, sum(applicant_firms)::BIGINT, sum(decided)::BIGINT, sum(approved)::BIGINT,
         sum(refused)::BIGINT, sum(pending)::BIGINT, sum(amount_applied), sum(amount_approved),
         sum(weighted_avg_rate_pct * amount_approved) / nullif(sum(amount_approved), 0),
         sum(guarantee_share * amount_approved) / nullif(sum(amount_approved), 0),
         sum(inclusive_share * amount_approved) / nullif(sum(amount_approved), 0)
  FROM base GROUP BY month, region_code, size_class
)
SELECT b.*, b.approved / nullif(b.decided, 0) AS approval_rate, b.amount_approved / nullif(b.amount_applied, 0) AS approved_to_applied,
       NULL::VARCHAR AS top_refusal_reasons,
       CASE WHEN b.is_all_channels THEN b.amount_applied * 1.6 END AS financing_demand,
       CASE WHEN b.is_all_channels THEN b.applicant_firms END AS firms_with_demand,
       CASE WHEN b.is_all_channels THEN b.amount_approved / (b.amount_applied * 1.6) END AS obtained_to_demand
FROM (SELECT * FROM base UNION ALL SELECT * FROM tot) b;

CREATE TABLE marts.problem_signals AS
WITH cats AS (SELECT * FROM (VALUES ('financing','融资难融资贵'),('labour','用工难用工贵'),('orders','订单不足'),
                                    ('arrears','账款拖欠'),('raw_materials','原材料涨价')) c(category_code, category_name))
SELECT (DATE '2024-01-01' + INTERVAL (k) MONTH)::DATE AS month, r.region_code, r.region_name, s.section_code, s.section_name,
       c.category_code, c.category_name, 40::BIGINT AS reporting_firms,
       (h(r.region_code || c.category_code || k) % 14)::BIGINT AS citing_firms, 0::BIGINT AS citing_firms_from_text,
       (h(r.region_code || c.category_code || k) % 14) / 40.0 AS share, NULL::DOUBLE AS prev3_mean_share,
       3::BIGINT AS prev3_months_with_data, ((h(r.region_code || c.category_code || k) % 14) - 5) / 40.0 AS share_change_vs_prev3,
       (h(r.region_code || c.category_code || k) % 14) >= 10 AS is_alert
FROM marts.regions r, cats c, range(18) t(k), (SELECT * FROM marts.industries WHERE section_code IN ('C','F')) s;

CREATE TABLE marts.enterprise_alerts AS
SELECT uscc, period, 'debt_ratio_high' AS alert_code, '资产负债率过高' AS alert_name,
       total_liabilities / total_assets AS metric_value, 0.85 AS threshold,
       '资产负债率 ' || round(100 * total_liabilities / total_assets, 1) || '% > 85%' AS evidence,
       region_code, region_name, section_code, size_class
FROM marts.enterprise_months WHERE total_liabilities / total_assets > 0.85;

CREATE TABLE marts.sentiment_index AS
WITH cells AS (
  SELECT region_code, region_name FROM marts.regions UNION ALL SELECT '420000', '湖北省'
), groups AS (SELECT * FROM (VALUES ('全部'), ('工业'), ('批发零售业'), ('建筑业')) g(industry_group)),
ind AS (SELECT * FROM (VALUES ('composite','composite','综合景气指数'),('sub_index','operations','综合经营指数'),
                              ('sub_index','market','市场指数'),('sub_index','cost','成本指数'),
                              ('item','overall','生产经营总体'),('item','demand','市场需求'),('item','cost','成本')) i(indicator_level, indicator_code, indicator_name))
SELECT (DATE '2024-01-01' + INTERVAL (k) MONTH)::DATE AS month, c.region_code, c.region_name, g.industry_group,
       i.indicator_level, i.indicator_code, i.indicator_name, NULL::VARCHAR AS sub_index_code, 30::BIGINT AS respondents,
       10::BIGINT AS n_up, 12::BIGINT AS n_same, 8::BIGINT AS n_down, 0.33 AS share_up, 0.4 AS share_same, 0.27 AS share_down,
       88 + (h(c.region_code || g.industry_group || i.indicator_code || k) % 25) AS index_value,
       (88 + (h(c.region_code || g.industry_group || i.indicator_code || k) % 25)) - 100 AS distance_from_line
FROM cells c, groups g, ind i, range(18) t(k);

CREATE TABLE marts.plan_targets AS
SELECT '十四五' AS plan, t.target_id, t.target_name, t.target_name AS target_name_en, t.kind AS target_kind, '>=' AS comparator,
       t.unit, y AS year, true AS is_plan_year, t.target AS target_value, NULL::DOUBLE AS baseline_value,
       t.target * (y - 2020) / 5.0 AS expected_value,
       CASE WHEN y <= 2025 THEN t.target * (y - 2020) / 5.0 * (0.8 + (h(t.target_id) % 40) / 100.0) END AS actual,
       CASE WHEN t.target_id IN ('T01','T12') THEN 'official' ELSE 'computed' END AS source, t.kind AS source_kind,
       NULL::DOUBLE AS computed_value, NULL::DOUBLE AS official_value, false AS is_placeholder, NULL::DOUBLE AS prev_year_actual,
       CASE WHEN y <= 2025 THEN (y - 2020) / 5.0 * (0.8 + (h(t.target_id) % 40) / 100.0) END AS progress,
       CASE WHEN y <= 2025 THEN (0.8 + (h(t.target_id) % 40) / 100.0) >= 1 END AS on_track,
       y = 2025 AS is_latest_actual, '测试口径' AS note
FROM (VALUES ('T01','新增注册企业（2021—2025年累计）',1000000.0,'户','cumulative'),
             ('T03','规模以上工业企业总数',18000.0,'家','end_state'),
             ('T04','专精特新“小巨人”企业（省级及以上）',2000.0,'家','end_state'),
             ('T05','“专精特新”入库企业（培育库）',10000.0,'家','end_state'),
             ('T11','每年小微企业进规（小进规）',1400.0,'家/年','annual'),
             ('T12','省级中小企业公共服务示范平台',100.0,'个','end_state')) t(target_id, target_name, target, unit, kind),
     range(2021, 2026) r(y);
"""


def build_fake_serving(path: Path) -> Path:
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    if tmp.exists():
        tmp.unlink()
    regions = ", ".join(f"('{c}', '{n}')" for c, n in REGIONS)
    con = duckdb.connect(str(tmp))
    try:
        con.execute(SQL.replace("{regions}", regions))
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, path)
    return path


if __name__ == "__main__":
    import sys

    print(build_fake_serving(Path(sys.argv[1])))
