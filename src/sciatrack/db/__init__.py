"""Database backends of our own (see each one\x27s module)."""
