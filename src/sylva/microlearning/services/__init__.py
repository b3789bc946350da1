"""Every write of the microlearning pillar, one function per use case, by theme."""
