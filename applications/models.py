"""Applications, their review and determinations: built by the filing and review issues."""
