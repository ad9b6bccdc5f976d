"""`make desk`: the staff desk over `make demo`'s mails, on http://127.0.0.1:8080 with a demo account.

Runs the demo first when demo/ has not been made yet. The demo account (user ``demo``, role admin)
is created, or its password set again, on every run. Plain HTTP on this machine only: the session
cookie is not marked Secure here (``[web] cookie_secure = false`` through the environment); a real
installation serves the desk behind the office's HTTPS reverse proxy (see the README).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo"
USERNAME = "demo"
PASSWORD = "demo-thidua-2018"
LISTEN = os.environ.get("THIDUA_WEB__LISTEN", "127.0.0.1:8080")


def demo_account(settings) -> None:
    from thidua.desk.passwords import hash_password
    from thidua.intake.app import App
    from thidua.store import accounts

    app = App(settings)
    office = settings.office.code
    with app.db.session() as session:
        password_hash = hash_password(PASSWORD)
        if accounts.find_user(session, office, USERNAME) is None:
            accounts.add_user(session, office, USERNAME, "admin", password_hash, display_name="Tài khoản thử")
        else:
            accounts.set_password(session, office, USERNAME, password_hash)
            accounts.set_disabled(session, office, USERNAME, False)
    app.db.dispose()


def main() -> None:
    if not (DEMO / "var" / "thidua.db").exists():
        subprocess.run([sys.executable, str(ROOT / "examples" / "run_demo.py")], check=True)
    os.environ["THIDUA_WEB__COOKIE_SECURE"] = "false"
    os.environ["THIDUA_WEB__LISTEN"] = LISTEN
    import uvicorn

    from thidua.config import load_settings
    from thidua.web.app import create_app

    settings = load_settings(DEMO / "thidua.toml")
    demo_account(settings)
    host, port = settings.web.host, settings.web.port
    print(f"\nBàn làm việc của phòng: http://{host}:{port}/")
    print(f"Tên đăng nhập: {USERNAME}   Mật khẩu: {PASSWORD}   (Ctrl+C để dừng)\n", flush=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


if __name__ == "__main__":
    main()
