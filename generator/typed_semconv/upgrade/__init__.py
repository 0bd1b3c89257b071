"""`typed-semconv upgrade`: rewrite user code from a baseline registry's generated names to the
current one's, or say why not."""
