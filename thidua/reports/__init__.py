"""The papers an office sends up: the official list of selected nominees and the results report.

Pure writers: each takes the frozen dataclasses of :mod:`thidua.reports.model` and writes a
.docx (python-docx) or an .xlsx (openpyxl). Nothing here reads the database.
"""
