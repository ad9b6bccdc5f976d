"""Configuration: every mistake is one line on stderr; the environment and relative paths."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.support.builders import encode_cp1258
from tests.support.clitools import (
    EXAMPLE_MAIL,
    EXAMPLES,
    OFFICE_ADDRESS,
    assert_one_line_error,
    make_office,
    ok,
    plain_text,
    run_cli,
    run_thidua,
)

EXAMPLE_CONFIG = (EXAMPLES / "thidua.toml").read_text(encoding="utf-8")
EXAMPLE_CAMPAIGN = (EXAMPLES / "campaign.toml").read_text(encoding="utf-8")
SQLITE_LINE = 'url = "sqlite:///var/thidua.db"'
VN = timezone(timedelta(hours=7))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _only_files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


# ------------------------------------------------------------------ the configuration file


def test_missing_config_file(tmp_path):
    result = run_thidua("--config", tmp_path / "khong-co.toml", "submissions")
    line = assert_one_line_error(result, "khong-co.toml", "not found", "--config", "THIDUA_CONFIG")
    assert len(line) > 80  # a long message stays on one line (no wrapping at 80 columns)
    assert _only_files(tmp_path) == set()


def test_default_config_name_when_none_is_given(tmp_path):
    result = run_thidua("submissions", cwd=tmp_path)
    assert_one_line_error(result, "thidua.toml not found")


def test_invalid_toml(tmp_path):
    config = write(tmp_path / "thidua.toml", '[office\nname = "Phòng GD&ĐT"\n')
    assert_one_line_error(
        run_thidua("--config", config, "submissions"), str(config), "not valid TOML", "line 1"
    )
    assert _only_files(tmp_path) == {"thidua.toml"}  # nothing created


def test_unknown_key(tmp_path):
    config = write(tmp_path / "thidua.toml", EXAMPLE_CONFIG.replace("digest_at =", "digest_time ="))
    assert_one_line_error(
        run_thidua("--config", config, "submissions"), "[office] digest_time", "unknown key"
    )


def test_unknown_section(tmp_path):
    config = write(tmp_path / "thidua.toml", EXAMPLE_CONFIG + '\n[mailboxes]\nkind = "imap"\n')
    assert_one_line_error(run_thidua("--config", config, "submissions"), "mailboxes", "unknown key")


def test_bad_mailbox_kind(tmp_path):
    config = write(tmp_path / "thidua.toml", EXAMPLE_CONFIG.replace('kind = "maildir"', 'kind = "pop"'))
    assert_one_line_error(
        run_thidua("--config", config, "run", "--once"), "[mailbox] kind", "'imap'", "'maildir'"
    )


def test_bad_timezone(tmp_path):
    config = write(
        tmp_path / "thidua.toml",
        EXAMPLE_CONFIG.replace('timezone = "Asia/Ho_Chi_Minh"', 'timezone = "Asia/Hue"'),
    )
    assert_one_line_error(
        run_thidua("--config", config, "submissions"), "[office] timezone", "'Asia/Hue'", "Asia/Ho_Chi_Minh"
    )


def test_config_saved_in_a_legacy_encoding(tmp_path):
    config = tmp_path / "thidua.toml"
    config.write_bytes(encode_cp1258('[office]\nname = "Phòng GD&ĐT Phong Điền"\n'))
    assert_one_line_error(run_cli("--config", config, "submissions"), "not UTF-8", "UTF-8 encoding")


def test_config_saved_as_utf8_with_bom_is_read(tmp_path):
    office = make_office(tmp_path / "office")
    office.config.write_bytes(b"\xef\xbb\xbf" + office.config.read_bytes())
    result = ok(office.cli("submissions", "--json"))
    assert result.out.strip() == "[]"


# ------------------------------------------------------------------------- the campaign


@pytest.mark.parametrize(
    "command", [("run", "--once"), ("digest",), ("export", "--round", "q1-2018", "--out", "x.xlsx")]
)
def test_missing_campaign_file(tmp_path, command):
    office = make_office(tmp_path / "office")
    (office.root / "campaign.toml").unlink()
    # the inbox is empty: the mistake is reported even when there is nothing to process
    result = run_thidua("--config", office.config, *command, cwd=tmp_path)
    assert_one_line_error(result, "campaign file", str(office.root / "campaign.toml"), "not found")
    assert not (tmp_path / "x.xlsx").exists()


def test_missing_campaign_file_leaves_waiting_mail_alone(tmp_path):
    office = make_office(tmp_path / "office")
    (office.root / "campaign.toml").unlink()
    delivered = office.deliver(
        (EXAMPLE_MAIL / "03-danh-sach-an-binh.eml").read_bytes(), datetime(2018, 3, 14, 9, 13, tzinfo=VN)
    )
    assert_one_line_error(office.cli("run", "--once"), "campaign file", "not found")
    assert delivered.exists()
    assert not office.outbox.exists() or not list(office.outbox.iterdir())


def test_campaign_deadline_without_timezone(tmp_path):
    office = make_office(
        tmp_path / "office",
        campaign=EXAMPLE_CAMPAIGN.replace("2018-03-15T23:59:59+07:00", "2018-03-15T23:59:59"),
    )
    result = run_thidua("--config", office.config, "run", "--once")
    assert_one_line_error(result, "campaign.toml", "round 2", "'deadline' needs a time zone", "+07:00")


def test_campaign_duplicate_round_id(tmp_path):
    office = make_office(
        tmp_path / "office", campaign=EXAMPLE_CAMPAIGN.replace('id = "q2-2018"', 'id = "q1-2018"')
    )
    result = run_thidua("--config", office.config, "digest")
    assert_one_line_error(result, "round 3", "round id 'q1-2018' is used twice")


def test_campaign_not_valid_toml(tmp_path):
    office = make_office(
        tmp_path / "office", campaign=EXAMPLE_CAMPAIGN.replace('id = "q1-2018"', "id = q1-2018")
    )
    assert_one_line_error(office.cli("run", "--once"), "campaign file", "not valid TOML")


def test_campaign_saved_as_utf8_with_bom_is_read(tmp_path):
    office = make_office(tmp_path / "office")
    campaign = office.root / "campaign.toml"
    campaign.write_bytes(b"\xef\xbb\xbf" + campaign.read_bytes())
    ok(office.cli("export", "--round", "q1-2018", "--out", tmp_path / "x.xlsx"))


def test_unknown_round_for_export(tmp_path):
    office = make_office(tmp_path / "office")
    result = run_thidua(
        "--config", office.config, "export", "--round", "q9-2030", "--out", tmp_path / "x.xlsx"
    )
    assert_one_line_error(result, "no round 'q9-2030'", "known: dang-ky-2017, q1-2018, q2-2018")
    assert not (tmp_path / "x.xlsx").exists()


# --------------------------------------------------------------------------- servers


def test_unreachable_postgresql(tmp_path):
    config = write(
        tmp_path / "thidua.toml",
        EXAMPLE_CONFIG.replace(SQLITE_LINE, 'url = "postgresql+psycopg://postgres@127.0.0.1:1/x"'),
    )
    result = run_thidua("--config", config, "submissions", "--json")
    assert_one_line_error(result, "cannot reach the database", "127.0.0.1:1")
    assert result.out == ""


# ---------------------------------------------------------------------- usage mistakes


def test_mail_file_that_does_not_exist(office, tmp_path):
    result = office.cli("process", tmp_path / "khong-co.eml")
    assert_one_line_error(result, "khong-co.eml", "does not exist", "thidua process --help")


def test_missing_option(office, tmp_path):
    assert_one_line_error(
        office.cli("export", "--out", tmp_path / "x.xlsx"), "--round", "thidua export --help"
    )


def test_unknown_command(office):
    assert_one_line_error(office.cli("gui-thu"), "gui-thu")


def test_export_into_a_folder(office, tmp_path):
    (tmp_path / "out.xlsx").mkdir()
    assert_one_line_error(
        office.cli("export", "--round", "q1-2018", "--out", tmp_path / "out.xlsx"), "cannot write"
    )


# ------------------------------------------------------------------------ environment


def test_thidua_config_picks_the_file(tmp_path):
    office = make_office(tmp_path / "office")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_thidua("submissions", "--json", env={"THIDUA_CONFIG": str(office.config)}, cwd=elsewhere)
    assert ok(result).out.strip() == "[]"
    assert office.database.exists()  # the file's own relative paths were used
    assert list(elsewhere.iterdir()) == []


def test_config_option_wins_over_thidua_config(tmp_path):
    office = make_office(tmp_path / "office")
    broken = write(tmp_path / "broken.toml", "[office\n")
    ok(run_cli("--config", office.config, "submissions", "--json", env={"THIDUA_CONFIG": str(broken)}))
    assert_one_line_error(
        run_cli("submissions", env={"THIDUA_CONFIG": str(broken)}), "broken.toml", "not valid TOML"
    )


def test_office_name_from_the_environment_shows_in_the_reply(registered):
    name = "UBND xã Phong Điền"
    ok(
        registered.cli(
            "process", EXAMPLE_MAIL / "03-danh-sach-an-binh.eml", env={"THIDUA_OFFICE__NAME": name}
        )
    )
    [reply] = registered.replies()
    assert reply["From"].addresses[0].display_name == name
    assert reply["From"].addresses[0].addr_spec == OFFICE_ADDRESS  # the rest of [office] still from the file
    assert f"{name} xin thông báo" in plain_text(reply)
    assert "Phòng GD&ĐT huyện Phong Điền" not in plain_text(reply)


def test_database_url_from_the_environment_moves_the_database(registered):
    moved = {"THIDUA_DATABASE__URL": "sqlite:///khac/thidua-2.db"}  # relative: to the config's folder
    ok(registered.cli("schools", "import", registered.root / "schools.csv", env=moved))
    ok(registered.cli("process", EXAMPLE_MAIL / "03-danh-sach-an-binh.eml", env=moved))
    assert (registered.root / "khac" / "thidua-2.db").exists()
    assert [s["sender"] for s in json.loads(ok(registered.cli("submissions", "--json", env=moved)).out)] == [
        "c2anbinh@example.vn"
    ]
    assert registered.submissions() == []  # the file's own database got nothing


def test_bad_value_in_the_environment_names_the_variable(office):
    result = office.cli("submissions", env={"THIDUA_OFFICE__TIMEZONE": "Mars/Olympus"})
    assert_one_line_error(result, "[office] timezone", "THIDUA_OFFICE__TIMEZONE", "'Mars/Olympus'")


def test_list_in_the_environment_must_be_json(office):
    result = office.cli("digest", "--send", env={"THIDUA_OFFICE__STAFF": "a@pgd.example.vn"})
    assert_one_line_error(result, "THIDUA_OFFICE__STAFF", "JSON")


def test_relative_paths_are_relative_to_the_config_file(tmp_path):
    office = make_office(tmp_path / "office")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    office.deliver(
        (EXAMPLE_MAIL / "03-danh-sach-an-binh.eml").read_bytes(), datetime(2018, 3, 14, 9, 13, tzinfo=VN)
    )
    ok(run_cli("--config", Path("..") / "office" / "thidua.toml", "run", "--once", cwd=cwd))
    assert list(cwd.iterdir()) == []
    assert office.database.exists()
    assert len(list((office.inbox / ".Processed" / "cur").iterdir())) == 1
    assert len(list(office.outbox.glob("*.eml"))) == 1
    assert any(p.is_file() for p in (office.root / "var" / "files").rglob("*"))
