"""The shop's health as operators see it: alive, ready, degraded or unready, and nothing more (check)."""
