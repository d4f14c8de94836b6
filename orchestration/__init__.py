"""The only package that knows Dagster.

defs/  the Dagster definitions: assets, checks, the `nightly` job, schedule, sensor, resources, and the code
       location (defs/definitions.py);
lib/   plain helpers the definitions and the CLI use: the dbt project (location, fingerprint, executable,
       manifest), the incremental-build state, the Dagster instance's dagster.yaml and event log storage;
cli.py the `sme-monitor` command; only `run` imports Dagster.
"""
