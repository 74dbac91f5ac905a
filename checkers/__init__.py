"""buddy-raise checkers package."""
