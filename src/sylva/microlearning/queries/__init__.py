"""Reads of the microlearning pillar, by use case."""
