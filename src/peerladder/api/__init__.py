"""The JSON API: one Ninja router per area, mounted at /api/."""
