"""Benchmarks and their deterministic data generators (run as ``python -m bench.<name>``)."""
