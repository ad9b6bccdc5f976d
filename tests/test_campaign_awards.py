"""[[awards]] in the campaign file: award forms for selection, each with an optional cap per round."""

from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path

import pytest

from thidua.campaign import Award, load_campaign, parse_campaign
from thidua.errors import ConfigError

ROUND = """
[[rounds]]
id = "q1-2018"
deadline = 2018-03-15T23:59:59+07:00
"""


def _campaign(awards: str):
    # top-level keys must come before the first [[table]] in TOML
    text = ROUND + awards if awards.startswith("[[") or not awards else awards + ROUND
    return parse_campaign(tomllib.loads(text), where="campaign.toml")


def test_awards_are_read_with_their_caps():
    campaign = _campaign("""
[[awards]]
id = "gk-chu-tich"
label = "Giấy khen của Chủ tịch UBND"
max = 15

[[awards]]
id = "bk-so"
label = "Bằng khen của Giám đốc Sở"
""")
    assert campaign.awards == (
        Award("gk-chu-tich", "Giấy khen của Chủ tịch UBND", 15),
        Award("bk-so", "Bằng khen của Giám đốc Sở", None),
    )
    assert campaign.award_by_id("bk-so").max is None
    assert campaign.award_by_id("bk") is None


def test_no_awards_is_an_empty_tuple():
    assert _campaign("").awards == ()


def test_label_typed_in_decomposed_unicode_is_kept_composed():
    decomposed = unicodedata.normalize("NFD", "Giấy khen")
    campaign = _campaign(f'[[awards]]\nid = "gk"\nlabel = "{decomposed}"\n')
    assert campaign.awards[0].label == "Giấy khen"


@pytest.mark.parametrize(
    ("awards", "expected"),
    [
        ('[[awards]]\nlabel = "Giấy khen"\n', "award 1 needs an 'id'"),
        ('[[awards]]\nid = "gk"\n', "award 1 needs a 'label'"),
        ('[[awards]]\nid = "gk"\nlabel = "Giấy khen"\nmax = 0\n', "award 1: 'max' must be a positive"),
        ('[[awards]]\nid = "gk"\nlabel = "Giấy khen"\nmax = "15"\n', "'max' must be a positive whole number"),
        ('[[awards]]\nid = "gk"\nlabel = "Giấy khen"\nmax = true\n', "'max' must be a positive whole number"),
        ('[[awards]]\nid = "gk"\nlabel = "A"\n' * 2, "award 2: award id 'gk' is used"),
        ('[[awards]]\nid = "gk"\nlabel = "A"\nmaximum = 3\n', "award 1: unknown key 'maximum'"),
        ('awards = "gk"\n', "'awards' must be a list"),
    ],
)
def test_bad_award_is_one_line_naming_the_file_and_the_award(awards, expected):
    with pytest.raises(ConfigError) as error:
        _campaign(awards)
    message = str(error.value)
    assert expected in message
    assert message.startswith("campaign.toml")
    assert "\n" not in message


def test_example_campaign_declares_award_forms():
    example = Path(__file__).resolve().parents[1] / "examples" / "campaign.toml"
    awards = load_campaign(example).awards
    assert [a.id for a in awards] == ["gk-chu-tich", "bk-giam-doc-so"]
    assert awards[0].max == 15
