"""The communities' background tasks (one line each, calling services)."""
