"""Great Expectations suites for the newly loaded batch of each source. Knows nothing of Dagster."""
