"""Test helpers shared by every app: factories, personas and a real browser."""
