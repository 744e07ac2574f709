"""Payments and refunds: arranged and done (arrange), and what the provider and the shop recorded (check, receipts)."""
