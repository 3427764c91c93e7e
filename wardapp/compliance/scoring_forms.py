"""The form that sets how one task is scored: its minimum, its deadline, who is scored.

Who is scored is a box for each unit while a task has a few; past ``CHECKS_UP_TO`` (a
province's or the nation's plan, thousands of communes on a task) it is a rule (the leads,
every unit, none) and the codes of the units treated the other way.
"""

import re

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from wardapp.compliance.scoring import SCORED_MODES, PartRow, scored_by_rule, who_is_scored

PERIOD_CHOICES = [SelectChoice("month", _l("mỗi tháng")), SelectChoice("quarter", _l("mỗi quý"))]
CHECKS_UP_TO = 40  # units with a part in a task: a box each up to this many, a rule past it
MODE_CHOICES = [
    SelectChoice("lead", _l("Các đơn vị chủ trì (đơn vị phối hợp không chấm)")),
    SelectChoice("all", _l("Mọi đơn vị, cả chủ trì và phối hợp")),
    SelectChoice("none", _l("Không đơn vị nào (chỉ ghi nhận)")),
]
_CODE_SEPARATORS = re.compile(r"[\s,;]+")


class TaskRuleForm(FlaskForm):
    min_count = IntegerField(
        _l("Số minh chứng tối thiểu"),
        validators=[
            Optional(),
            NumberRange(min=1, max=1000, message=_l("Nhập một số từ 1 đến 1000.")),
        ],
    )
    period = SelectField(_l("Tính theo"), choices=PERIOD_CHOICES, default="month")
    deadline = DateField(_l("Hạn hoàn thành"), validators=[Optional()], format="%Y-%m-%d")
    scored = SelectMultipleField(
        _l("Đơn vị được chấm điểm"),
        coerce=int,
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    # Unticked boxes send nothing, so the form says it sent the list: without this marker
    # an empty list is a request that said nothing about the units, not one unticking all.
    scored_sent = HiddenField()
    # Past CHECKS_UP_TO units: the rule, and the units it does not apply to.
    scored_mode = RadioField(
        _l("Đơn vị được chấm điểm"), choices=MODE_CHOICES, validate_choice=False
    )
    scored_except = TextAreaField(_l("Ngoại lệ: mã đơn vị, mỗi dòng một mã"))

    def __init__(self, task, parts: list[PartRow], *, fresh: bool = False, **kwargs):
        """``parts``: the task's parts held by active units (``parts_of_tasks``). ``fresh``:
        show the task's saved values, not what this request posted (the other tasks' forms
        on a page re-rendered after one task's failed save)."""
        if fresh:
            kwargs["formdata"] = None
        super().__init__(prefix=f"t{task.id}", **kwargs)
        self.task = task
        self.parts = parts
        self.many = len(parts) > CHECKS_UP_TO
        self.who = who_is_scored(parts)
        self._except_ids: list[int] = []
        if not self.many:
            self.scored.choices = [
                SelectChoice(
                    p.unit_id, f"{p.short_name} ({_l('chủ trì') if p.lead else _l('phối hợp')})"
                )
                for p in parts
            ]
        if fresh or not self.is_submitted():
            self.min_count.data = task.min_count
            self.period.data = task.period or "month"
            self.deadline.data = task.deadline
            self.scored.data = [p.unit_id for p in parts if p.scored]
            self.scored_mode.data = self.who.mode
            self.scored_except.data = "\n".join(self.who.exceptions)

    def sent(self) -> dict:
        """The settings this request carried, by ``update_task_rule``'s names: a field the
        request left out keeps its saved value, so a partial post never wipes a rule."""
        posted = self.meta.wrap_formdata(self, request.form) or {}
        values = {
            name: getattr(self, name).data
            for name in ("min_count", "period", "deadline")
            if getattr(self, name).name in posted
        }
        if self.many:
            if self.scored_mode.name in posted:
                values["scored_unit_ids"] = scored_by_rule(
                    self.parts, self.scored_mode.data, self._except_ids
                )
        elif self.scored_sent.name in posted:
            values["scored_unit_ids"] = self.scored.data
        return values

    def validate_scored_mode(self, field):
        if self.many and field.raw_data and field.data not in SCORED_MODES:
            raise ValidationError(_l("Hãy chọn một cách chấm trong danh sách."))

    def validate_scored_except(self, field):
        """Codes in any case, one a line or with commas; each must have a part in the task."""
        if not self.many:
            return
        by_code = {p.code.casefold(): p.unit_id for p in self.parts}
        codes = [c for c in _CODE_SEPARATORS.split(field.data or "") if c]
        unknown = [c for c in codes if c.casefold() not in by_code]
        if unknown:
            shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
            raise ValidationError(
                _l("Các mã này không có phần việc trong nhiệm vụ: %(codes)s.", codes=shown)
            )
        self._except_ids = sorted({by_code[c.casefold()] for c in codes})

    def validate_deadline(self, field):
        year = self.task.plan.year
        if self.task.rule == "deadline" and field.data and field.data.year != year:
            raise ValidationError(_l("Hạn phải nằm trong năm %(y)s của kế hoạch.", y=year))
