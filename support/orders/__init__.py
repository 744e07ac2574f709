"""Orders: what the shop answered and stored about orders and stock (check)."""
