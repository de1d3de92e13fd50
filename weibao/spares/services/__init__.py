"""Writes of the spares app: inventory moves, loans and sales (see the submodules)."""
