"""The only package that knows Dagster: assets, checks, jobs, schedule, sensor, resources and the CLI."""
