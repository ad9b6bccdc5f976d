"""Reports built from the filed submissions for the office (the consolidated workbook, later more)."""
