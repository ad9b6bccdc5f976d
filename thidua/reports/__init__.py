"""The papers an office sends up: the consolidated workbook, the official list of selected nominees
and the results report.

The writers take the frozen dataclasses of :mod:`thidua.reports.model` and write a .docx
(python-docx) or an .xlsx (openpyxl); the figures come from the store.
"""
