"""Where everything is kept: the database (``db``, ``models``, ``repository``, ``migrations``) and the
content-addressed file store (``blobs``). ``drafts`` is what the processing flow hands in to be filed."""
