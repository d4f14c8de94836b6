"""Helpers for the definitions and the CLI. Only event_log.py imports Dagster at module level."""
