"""Benchmarks of the project, one module per subject: `python -m bench NAME`."""
