"""Benchmarks of thidua: ``python -m bench`` (or ``make bench``). See ``python -m bench --help``."""
