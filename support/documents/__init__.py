"""Order documents (receipts in object storage): asked for and downloaded (arrange), and what storage
and the shop hold (check)."""
