"""Order events: the worker, the broker link and crafted messages (arrange), and what landed (check)."""
