"""To-do providers of the foundation apps (later apps register their own in their providers module)."""
