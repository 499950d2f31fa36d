"""qabot: answers questions about articles with the exact passages that answer them."""

__version__ = "0.1.0"
