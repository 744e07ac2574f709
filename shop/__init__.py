"""The shop: the web service the acceptance suite exists to prove.

Thin HTTP entry points (`shop.web`) over service functions (`shop.users`, ...) over adapters
(`shop.db`, `shop.cache`, `shop.messaging`), wired once by `shop.bootstrap`.
"""
