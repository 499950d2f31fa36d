"""The index on disk: generations, freshness, vectors, the lexical index."""
