"""Benchmarks: each prints its figures with the targets; none asserts wall time."""
