"""Fuzzing as a capability of the suite: schemathesis against what the shop serves (run), the verdict (check)."""
