"""The Dagster definitions; the code location is orchestration.defs.definitions."""
