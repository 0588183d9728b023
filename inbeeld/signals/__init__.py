"""Signals (meldingen) from citizens and partners."""
