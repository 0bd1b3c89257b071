"""Stage 6, output: render the Python view through the templates, format it, and write the
package atomically with its ownership record."""
