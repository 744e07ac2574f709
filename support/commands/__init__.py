"""Commands of the project that are not scenarios: make bench, make isolation."""
