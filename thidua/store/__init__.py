"""Where everything is kept: the database (``db``, ``models``, ``migrations``), one module of
functions on a Session per subject (``schools``, ``submissions``, ``replies``, ``ledger``,
``digest``, ``export``; shared value rules in ``values``), and the content-addressed file store
(``blobs``). ``drafts`` is what the processing flow hands in to be filed."""
