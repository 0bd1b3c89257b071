"""Stage 2, load: discover files, read YAML with locations, validate the raw schemas and build
the definition model (v1 and v2 files, manifests, dependencies, published registries)."""
