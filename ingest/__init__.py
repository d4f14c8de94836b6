"""Readers, header maps, validation rules and receipts for the reporting units' files. Knows nothing of Dagster."""
