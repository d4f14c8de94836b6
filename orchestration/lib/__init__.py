"""Helpers for the definitions and the CLI. Only event_log.py and run_summary.py import Dagster (the CLI's
`run` imports them after Dagster is loaded anyway)."""
