"""What every stage reports through: the diagnostics catalogue (codes, severities, fixes), the
one `Problem` exception, output formats and safe text."""
