"""People: the scenario's cast and their passes (arrange, passes), and their accounts as stored (check)."""
