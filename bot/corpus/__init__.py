"""Reading articles and turning them into passages: sources, Unicode text, sentences, chunks."""
