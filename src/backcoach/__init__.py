"""backcoach: safe, explainable exercise coaching for back pain."""

__version__ = "0.1.0"
