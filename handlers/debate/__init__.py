"""Both sides of a debate: the shipped, validated debate map and its pure domain rules."""
