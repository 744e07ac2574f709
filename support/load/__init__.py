"""Load on the shop: many customers at the same moment, and the figures that say how it held up."""
