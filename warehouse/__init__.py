"""Paths, connections, raw-table DDL, the load manifest, publish and rollback. Knows nothing of Dagster."""
