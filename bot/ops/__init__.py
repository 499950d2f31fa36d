"""Running for real: metrics and the health check."""
