"""``/admin/users/import``: accounts from a file, previewed, then made with their one-time
sign-in links and a printable sheet of them."""

import base64
import binascii
import json
import re
import secrets
import tempfile
from pathlib import Path

from flask import abort, current_app, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wardapp.audit.services import record
from wardapp.core.access import allow
from wardapp.core.roles import ADMINS, ROLE_LABELS
from wardapp.organisation.accounts import AccountImportError, check_file, make_accounts
from wardapp.organisation.blueprint import bp
from wardapp.organisation.forms import MAX_ACCOUNTS_FILE, AccountConfirmForm, AccountImportForm
from wardapp.organisation.sheet import sheet_docx

SHEET_NAME = re.compile(r"^[0-9a-f]{32}$")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def sheets_folder() -> Path:
    """Beside the background exports: ``EXPORT_DIR``, else next to the media folder."""
    configured = current_app.config.get("EXPORT_DIR")
    root = (
        Path(configured) if configured else Path(current_app.config["MEDIA_DIR"]).parent / "exports"
    )
    return root / "account-sheets"


def _suffix(filename: str) -> str:
    return ".csv" if filename.lower().endswith(".csv") else ".xlsx"


def _checked(data: bytes, filename: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"accounts{_suffix(filename)}"
        path.write_bytes(data)
        return check_file(path)


def _page(form, *, errors=(), checked=None, confirm=None, status=200):
    return render_template(
        "organisation/account_import.html",
        form=form,
        errors=list(errors),
        checked=checked,
        confirm=confirm,
        role_labels=ROLE_LABELS,
    ), status


@bp.route("/admin/users/import", methods=["GET", "POST"])
@allow(*ADMINS)
def account_import():
    """Upload: every row checked; a preview of what would be made, or every bad row."""
    form = AccountImportForm()
    if not form.validate_on_submit():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        return _page(form, errors=errors, status=422 if errors else 200)
    upload = form.file.data
    data = upload.read()
    try:
        checked = _checked(data, upload.filename or "")
    except AccountImportError as exc:
        return _page(form, errors=exc.messages, status=422)
    confirm = AccountConfirmForm(
        formdata=None,
        data={"content": base64.b64encode(data).decode("ascii"), "filename": upload.filename},
    )
    return _page(form, checked=checked, confirm=confirm)


@bp.post("/admin/users/import/confirm")
@allow(*ADMINS)
def account_import_confirm():
    """The previewed file, checked again and made: accounts, links, the printable sheet."""
    form = AccountConfirmForm()
    if not form.validate_on_submit():
        return _page(AccountImportForm(formdata=None), errors=[_("Hãy chọn lại tệp.")], status=400)
    try:
        data = base64.b64decode(form.content.data, validate=True)
    except (binascii.Error, ValueError):
        return _page(AccountImportForm(formdata=None), errors=[_("Hãy chọn lại tệp.")], status=400)
    if len(data) > MAX_ACCOUNTS_FILE:
        return _page(
            AccountImportForm(formdata=None), errors=[_("Tệp quá lớn (tối đa 2 MB).")], status=413
        )
    filename = form.filename.data or ""
    try:
        checked = _checked(data, filename)
    except AccountImportError as exc:
        return _page(AccountImportForm(formdata=None), errors=exc.messages, status=422)
    made = make_accounts(current_user, checked)
    batch = secrets.token_hex(16)
    folder = sheets_folder()
    folder.mkdir(parents=True, exist_ok=True)
    # The links exist nowhere else (only their hashes are kept): the sheet and the list the
    # result page shows, in the exports folder, for admins only.
    (folder / f"{batch}.docx").write_bytes(
        sheet_docx(made, current_app.config["SIGN_IN_LINK_HOURS"])
    )
    listed = [
        {
            "username": m.user.username,
            "display_name": m.user.display_name,
            "unit": m.user.unit.short_name if m.user.unit else "",
            "link": m.link,
        }
        for m in made
    ]
    (folder / f"{batch}.json").write_text(
        json.dumps({"made": listed, "existing": len(checked.existing)}, ensure_ascii=False),
        encoding="utf-8",
    )
    record(
        current_user,
        "user.import",
        object_type="user",
        filename=filename[:200],
        made=[m.user.username for m in made],
        existing=len(checked.existing),
        batch=batch,
    )
    return redirect(url_for("organisation.account_batch", name=batch), code=303)


def _batch_file(name: str, suffix: str) -> Path:
    if not SHEET_NAME.fullmatch(name):
        abort(404)
    path = sheets_folder() / f"{name}{suffix}"
    if not path.is_file():
        abort(404)
    return path


@bp.get("/admin/users/import/<name>")
@allow(*ADMINS)
def account_batch(name: str):
    """What an import made: each new account's link, and the printable sheet."""
    batch = json.loads(_batch_file(name, ".json").read_text(encoding="utf-8"))
    return render_template(
        "organisation/account_made.html", made=batch["made"], existing=batch["existing"], sheet=name
    )


@bp.get("/admin/users/import/sheets/<name>.docx")
@allow(*ADMINS)
def account_sheet(name: str):
    path = _batch_file(name, ".docx")
    record(current_user, "user.import_sheet", object_type="user", sheet=name)
    return send_file(path, mimetype=DOCX, as_attachment=True, download_name="tai-khoan.docx")
