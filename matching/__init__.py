"""免申即享 (DESIGN §13): the enterprise's profile, its consent to proactive screening, the screening
against the rules in force, and what it tells the enterprise (matches, expiry warnings)."""
