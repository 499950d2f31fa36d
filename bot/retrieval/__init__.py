"""From a question to an answer: classification, fused retrieval, the verdict, evaluation."""
