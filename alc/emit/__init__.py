"""Emission: a compile's results -> its package (manifest with capabilities and
resolved prerequisites, symbols, metadata, sources); the formats of the entries are
package/'s."""
