"""Microlearning pages, by use case. Thin: forms in, services and queries out."""
