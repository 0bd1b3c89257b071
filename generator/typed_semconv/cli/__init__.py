"""The command line, its one option table, `[tool.typed-semconv]` configuration and the build
hook; it calls `pipeline`, which wires the stages."""
