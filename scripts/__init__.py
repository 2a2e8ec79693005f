"""The commands `make` runs (scripts/*.py), importable as scripts.<name> by hooks and tests."""
