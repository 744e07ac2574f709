"""Hostile input and the published API description: arranging the probes and checking the refusals."""
