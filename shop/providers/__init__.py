"""Adapters for the third-party HTTP providers the shop calls: email now, card payments next."""
