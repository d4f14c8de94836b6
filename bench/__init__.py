"""Province-scale benchmark: `make bench` (python -m bench.run). Not part of `make test`."""
