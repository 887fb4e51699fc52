"""The terminal coach: the full-screen session player, with its view, keys and clock."""
