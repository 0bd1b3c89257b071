"""Expected output of the generator, compared byte for byte by tests/test_golden.py.

This file makes `golden.conftest` a module of its own, so it never takes the place of
tests/conftest.py under the plain name `conftest`.
"""
