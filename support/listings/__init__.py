"""Listings the shop pages through: checks of their pages at the edges."""
