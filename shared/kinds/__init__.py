"""Monitor kinds: one module per kind declaring its `KIND` (see base.py)."""
