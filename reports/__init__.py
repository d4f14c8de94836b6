"""The monthly analysis report (运行监测分析报告): figures from the published serving copy, narrative by rules,
HTML / PDF / DOCX editions, delivery by mail. A plain library: no Dagster here (orchestration/ calls it)."""
