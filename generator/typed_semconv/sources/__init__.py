"""Stage 1, sources: turn a registry reference (folder, archive, URL, git) into a local folder,
with the cache and download limits."""
