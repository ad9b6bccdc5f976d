"""The pages' small pure helpers: page links, download names, where a login may lead."""

from __future__ import annotations

import pytest

from thidua.web.pages.common import page_numbers, size_text
from thidua.web.pages.files import content_disposition, safe_filename
from thidua.web.pages.login import safe_next


@pytest.mark.parametrize(
    "page,pages,expected",
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 10, [1, 2, 3, None, 10]),
        (6, 12, [1, None, 4, 5, 6, 7, 8, None, 12]),
        (12, 12, [1, None, 10, 11, 12]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
    ],
)
def test_page_links_keep_the_ends_and_the_neighbours(page, pages, expected):
    assert page_numbers(page, pages) == expected


@pytest.mark.parametrize(
    "name,expected",
    [
        ("../../x", "x"),
        ("..\\..\\windows\\evil.exe", "evil.exe"),
        ("Danh sách\r\nSet-Cookie: a=b.xlsx", "Danh sáchSet-Cookie: a=b.xlsx"),
        ('báo "cáo".pdf', "báo 'cáo'.pdf"),
        ("...", "tep"),
        ("", "tep"),
    ],
)
def test_a_download_name_is_the_last_part_without_controls_or_quotes(name, expected):
    assert safe_filename(name) == expected


def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name():
    header = content_disposition("attachment", "Giấy khen Đỗ Thị Thu.pdf")
    assert header == (
        'attachment; filename="Giay khen Do Thi Thu.pdf"; '
        "filename*=UTF-8''Gi%E1%BA%A5y%20khen%20%C4%90%E1%BB%97%20Th%E1%BB%8B%20Thu.pdf"
    )
    assert content_disposition("inline", "<script>.pdf").startswith('inline; filename="script_.pdf"')


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/submissions?q=a", "/submissions?q=a"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/ok\r\nLocation: x", "/"),
        ("", "/"),
    ],
)
def test_after_login_only_a_path_of_this_site(target, expected):
    assert safe_next(target) == expected


def test_sizes_read_as_a_clerk_says_them():
    assert [size_text(n) for n in (0, 512, 6 * 1024, 23 * 1024 * 1024 + 1)] == [
        "—",
        "512 B",
        "6 KB",
        "23 MB",
    ]
