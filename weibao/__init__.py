"""Weibao (维保): the service desk of a maintenance provider for machine-room monitoring."""
