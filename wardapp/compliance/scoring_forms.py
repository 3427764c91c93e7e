"""The form that sets how one task is scored: its minimum, its deadline, who is scored."""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

PERIOD_CHOICES = [SelectChoice("month", _l("mỗi tháng")), SelectChoice("quarter", _l("mỗi quý"))]


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

    def __init__(self, task, *, fresh: bool = False, **kwargs):
        """``fresh``: show the task's saved values, not what this request posted (the other
        tasks' forms on a page re-rendered after one task's failed save)."""
        if fresh:
            kwargs["formdata"] = None
        super().__init__(prefix=f"t{task.id}", **kwargs)
        self.task = task
        self.scored.choices = [
            SelectChoice(
                a.unit_id,
                f"{a.unit.short_name} ({_l('chủ trì') if a.role == 'lead' else _l('phối hợp')})",
            )
            for a in sorted(task.assignments, key=lambda a: (a.role != "lead", a.unit_id))
            if a.unit.active
        ]
        if fresh or not self.is_submitted():
            self.min_count.data = task.min_count
            self.period.data = task.period or "month"
            self.deadline.data = task.deadline
            self.scored.data = [a.unit_id for a in task.assignments if a.scored]

    def sent(self) -> dict:
        """The settings this request carried, by ``update_task_rule``'s names: a field the
        request left out keeps its saved value, so a partial post never wipes a rule."""
        posted = self.meta.wrap_formdata(self, request.form) or {}
        values = {
            name: getattr(self, name).data
            for name in ("min_count", "period", "deadline")
            if getattr(self, name).name in posted
        }
        if self.scored_sent.name in posted:
            values["scored_unit_ids"] = self.scored.data
        return values

    def validate_deadline(self, field):
        year = self.task.plan.year
        if self.task.rule == "deadline" and field.data and field.data.year != year:
            raise ValidationError(_l("Hạn phải nằm trong năm %(y)s của kế hoạch.", y=year))
