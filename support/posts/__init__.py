"""Posts and comments over GraphQL: arranged and done (arrange), and what was stored and answered (check)."""
