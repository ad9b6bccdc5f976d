"""The staff's web desk (`thidua web`): the pages under ``pages/`` with their templates and static
files, the JSON API (``api.py``), sign-in, sessions and CSRF (``auth.py``), and the app itself
(``app.py``). What a page does to submissions lives in :mod:`thidua.desk`."""
