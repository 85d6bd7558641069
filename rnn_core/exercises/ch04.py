"""Self-checks for the exercises of chapter 4."""
