"""InBeeld: the regional approach to human trafficking in one open system."""

__version__ = "0.1.0"
