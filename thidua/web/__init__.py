"""The staff's web desk (built on another branch; named here so the import layers know it)."""
