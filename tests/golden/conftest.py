"""The golden package is generated code, not tests: it has modules named `test_*.py` (the
registry has a `test` namespace) that pytest must not collect."""

collect_ignore = ["edge"]
