"""Writes of incidents: `correlate` (the due sources), `tickets` (an incident's ticket),
`suppression` (inhibition, maintenance windows), `manage` (link, split, windows by hand)."""
