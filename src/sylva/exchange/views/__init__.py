"""Exchange pages, thin: forms in, services and queries out (one module per area)."""
