"""Stage 4, check: the rules a resolved registry must meet before code is generated (names, span
naming, requirement levels)."""
