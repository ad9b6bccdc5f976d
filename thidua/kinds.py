"""The kinds of document a school sends: what the form recogniser names a file, and what a
campaign's round may ask for. Kept at the bottom so both can use it."""

# ``publicity``: articles and photos for the office's website (seed 03: "gửi bài viết, hình ảnh minh
# họa"), accepted as they are, never asked to be re-sent as a form.
KINDS = ("registration", "nomination_list", "report", "publicity", "evidence", "unknown")
