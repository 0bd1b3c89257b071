"""`typed-semconv diff`: the changes between two resolved registries (weaver's schema-change
categories) and their formats."""
