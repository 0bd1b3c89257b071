"""Stage 3, resolve: `ref`, `extends`, `ref_group`, refinements, imports and dependency
visibility, into the resolved registry (and its JSON/YAML export)."""
