"""Benchmarks: `make bench` runs each `bench_*.py` and prints one table per benchmark."""
