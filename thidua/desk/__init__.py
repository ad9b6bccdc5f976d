"""Staff operations on the filed submissions (built on another branch; named here so the import layers know it)."""
