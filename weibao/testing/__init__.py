"""Test helpers shared by the suites of every app: factories and fixtures."""
