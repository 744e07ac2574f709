"""The catalogue: products a scenario starts with (arrange) and what the shop shows and caches of them (check)."""
