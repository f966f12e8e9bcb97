"""vocmine: voice-of-customer text mining, outside-in."""

__version__ = "0.1.0"
