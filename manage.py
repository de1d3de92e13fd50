#!/usr/bin/env python
"""Weibao's manage.py; the same entry point is installed as the `weibao` command."""

from weibao.__main__ import main

if __name__ == "__main__":
    main()
