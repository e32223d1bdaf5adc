"""Emission: IR objects -> package entries (metadata documents)."""
