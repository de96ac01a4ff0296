"""Check-ins: when to nudge the user, and delivering the nudges."""
