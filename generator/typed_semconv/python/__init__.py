"""Stage 5, python: the Python view of a resolved registry; every module path, name, type and
literal the templates print is decided here."""
