"""What the report says of each task: a deadline met or not and by whom, the units that met a
minimum and those that did not, the tasks with nothing to report in one paragraph, and the
accepted explanations."""

from __future__ import annotations

from flask_babel import gettext as _

from wardapp.compliance.exports.docx_parts import JUSTIFY, add_para
from wardapp.compliance.picture import Picture
from wardapp.core.i18n import fmt_date
from wardapp.core.text import export_safe


def task_name(task) -> str:
    return _("NV%(n)s – %(t)s", n=task.number, t=task.short_title)


def _names(cells, names: dict[int, str], verdict: str) -> list[str]:
    return [names[c.unit_id] for c in cells if c.verdict == verdict]


def _deadline_text(task, cells, names: dict[int, str], picture: Picture, accepted: int) -> str:
    """Whether the deadline was met, unit by unit, in words a report states."""
    deadline = fmt_date(task.deadline)
    if task.deadline is None:
        return _("Chưa đặt hạn hoàn thành; đã duyệt %(a)s minh chứng.", a=accepted)
    if not picture.period.contains(task.deadline):
        return _(
            "Hạn hoàn thành %(d)s, ngoài kỳ báo cáo: được đánh giá trong kỳ chứa hạn; "
            "trong kỳ này đã duyệt %(a)s minh chứng.",
            d=deadline,
            a=accepted,
        )
    scored = [c for c in cells if c.verdict != "unscored"]
    if not scored:
        return _(
            "Hạn hoàn thành %(d)s, chưa đến hạn tại ngày %(t)s; đã duyệt %(a)s minh chứng.",
            d=deadline,
            t=fmt_date(picture.counted_to),
            a=accepted,
        )
    met, unmet = _names(scored, names, "met"), _names(scored, names, "unmet")
    pending = _names(scored, names, "pending")
    parts = [_("Hạn hoàn thành %(d)s.", d=deadline)]
    if met:
        parts.append(_("Hoàn thành đúng hạn (%(n)s đơn vị): %(u)s.", n=len(met), u=", ".join(met)))
    if unmet:
        parts.append(
            _(
                "Không hoàn thành đúng hạn (%(n)s đơn vị): %(u)s.",
                n=len(unmet),
                u=", ".join(unmet),
            )
        )
    if pending:
        parts.append(
            _(
                "Có minh chứng trước hạn đang chờ duyệt (%(n)s đơn vị): %(u)s.",
                n=len(pending),
                u=", ".join(pending),
            )
        )
    parts.append(_("Đã duyệt %(a)s minh chứng.", a=accepted))
    return " ".join(parts)


def _scored_text(task, cells, names: dict[int, str], accepted: int) -> str:
    scored = [c for c in cells if c.verdict != "unscored"]
    groups = {v: ", ".join(_names(scored, names, v)) or "—" for v in ("met", "unmet", "pending")}
    return _(
        "Yêu cầu: %(w)s. Đã duyệt %(a)s minh chứng. Đạt (%(nm)s đơn vị): %(m)s. "
        "Chưa đạt (%(nu)s đơn vị): %(u)s. Chờ duyệt: %(p)s.",
        w=task.when_text,
        a=accepted,
        nm=sum(c.verdict == "met" for c in scored),
        m=groups["met"],
        nu=sum(c.verdict == "unmet" for c in scored),
        u=groups["unmet"],
        p=groups["pending"],
    )


def task_results(document, picture: Picture) -> None:
    """A paragraph per task that has a result to state; the tasks recorded only, with no
    accepted evidence in the period, in one closing paragraph rather than a line each."""
    names = {u.id: u.short_name for u in picture.units}
    idle = []
    number = 0
    for task in picture.tasks:
        cells = [c for u in picture.units if (c := picture.cell(task.id, u.id)) is not None]
        accepted = sum(c.accepted for c in cells)
        scored = [c for c in cells if c.verdict != "unscored"]
        if task.rule == "deadline":
            text = _deadline_text(task, cells, names, picture, accepted)
        elif scored:
            text = _scored_text(task, cells, names, accepted)
        elif accepted == 0:
            idle.append(task)
            continue
        else:
            text = _(
                "Yêu cầu: %(w)s. Nhiệm vụ chỉ ghi nhận, không chấm điểm trong kỳ; đã duyệt "
                "%(a)s minh chứng.",
                w=task.when_text,
                a=accepted,
            )
        number += 1
        _task_heading(document, number, task_name(task))
        add_para(document, text, align=JUSTIFY, indent_first=10)
    if idle:
        number += 1
        _task_heading(document, number, _("Các nhiệm vụ chưa có minh chứng được duyệt"))
        add_para(
            document,
            _(
                "%(n)s nhiệm vụ chỉ ghi nhận, không chấm điểm trong kỳ và chưa có minh chứng "
                "nào được duyệt:",
                n=len(idle),
            ),
            align=JUSTIFY,
            indent_first=10,
        )
        for task in idle:
            add_para(document, f"- {task_name(task)}.", align=JUSTIFY, indent_first=10)


def _task_heading(document, number: int, title: str) -> None:
    add_para(
        document,
        _("2.%(i)s. %(t)s", i=number, t=title),
        bold=True,
        italic=True,
        align=JUSTIFY,
        before=6,
        indent_first=10,
    )


def explanations(document, picture: Picture) -> None:
    """The accepted explanations (giải trình) the period's cells met, one a line."""
    add_para(document, _("3. Giải trình của các đơn vị"), bold=True, before=6, indent_first=10)
    found = picture.explanations()
    if not found:
        add_para(document, _("Không có giải trình nào được chấp nhận trong kỳ."), indent_first=10)
        return
    add_para(
        document,
        _(
            "%(n)s giải trình được chấp nhận; các phần việc đó ghi là “có giải trình”, "
            "không tính là đạt:",
            n=len(found),
        ),
        align=JUSTIFY,
        indent_first=10,
    )
    for unit, task, x in found:
        add_para(
            document,
            _(
                "- %(u)s, nhiệm vụ %(t)s, kỳ %(p)s: %(r)s",
                u=unit.short_name,
                t=task.number,
                p=x.period,
                r=export_safe(x.reason),
            ),
            align=JUSTIFY,
            indent_first=10,
        )
