"""``flask wardapp …``: set up, seed the demo, create users, import a plan, back up."""

import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade

from wardapp.core.roles import Role
from wardapp.extensions import db

group = AppGroup("wardapp", help="wardapp: set up, seed, import, accounts.")


def init_app(app):
    from wardapp.offline.commands import import_outbox_command
    from wardapp.ops.commands import (
        backup_command,
        fsck_command,
        hash_photos_command,
        migrate_media_command,
        restore_command,
    )
    from wardapp.organisation.commands import import_users_command, merge_units_command
    from wardapp.places.commands import import_places_command
    from wardapp.plans.commands import (
        export_plan_command,
        import_plan_command,
        seed_plan_command,
    )

    group.add_command(seed_plan_command)
    group.add_command(import_plan_command)
    group.add_command(export_plan_command)
    group.add_command(import_places_command)
    group.add_command(import_outbox_command)
    group.add_command(backup_command)
    group.add_command(restore_command)
    group.add_command(fsck_command)
    group.add_command(merge_units_command)
    group.add_command(import_users_command)
    group.add_command(migrate_media_command)
    group.add_command(hash_photos_command)
    app.cli.add_command(group)


@group.command("init")
@with_appcontext
def init_command():
    """Bring the database to the newest schema and load the shipped plan."""
    from wardapp.places.services import places_from_tasks
    from wardapp.plans.seed import load_shipped_plan, seed_plan

    upgrade()
    seed_plan(db.session, load_shipped_plan())
    places_from_tasks(db.session)
    db.session.commit()
    click.echo("Database ready; shipped plan loaded.")


@group.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", "display_name", help="Display name (defaults to the username).")
@click.option("--unit", "unit_code", help="Unit code, required for officers (e.g. tho-xuong).")
@click.password_option()
@with_appcontext
def create_user_command(username, role, display_name, unit_code, password):
    """Create an account; the password must pass the same policy as on the admin's page."""
    from flask_babel import force_locale
    from sqlalchemy import select

    from wardapp.auth import services
    from wardapp.auth.passwords import WeakPassword
    from wardapp.units.models import Unit

    unit = None
    if unit_code:
        unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
        if unit is None:
            raise click.ClickException(f"No unit with code {unit_code!r}.")
    if role == Role.OFFICER and unit is None:
        raise click.ClickException("An officer needs --unit.")
    if services.find_user(username):
        raise click.ClickException(f"User {username!r} already exists.")
    try:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # no request to ask
            services.create_user(
                None,
                username=username,
                password=password,
                display_name=display_name or username,
                role=role,
                unit=unit,
            )
    except WeakPassword as refused:
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    click.echo(f"Created {role} {username}.")


@group.command("demo")
@click.option("--evidence/--no-evidence", default=True, help="Also make a year of demo evidence.")
@click.option(
    "--current-year/--no-current-year",
    default=True,
    help="Also load the same plan for this year, with evidence up to today.",
)
@with_appcontext
def demo_command(evidence, current_year):
    """Load the plan, the demo accounts (password wardapp-demo) and a year of demo evidence."""
    from wardapp import demo
    from wardapp.places.services import places_from_tasks

    summary = demo.seed(with_evidence=evidence, current_year=current_year)
    made = places_from_tasks(db.session)
    db.session.commit()
    click.echo(summary)
    if made:
        click.echo(f"{made} place(s) made from the tasks' place lists.")


@group.command("remind")
@click.option(
    "--now",
    "moment",
    help="Run the pass as of this local moment, e.g. 2024-03-14T08:00 (default: now).",
)
@with_appcontext
def remind_command(moment):
    """Send the reminders due now (or as of --now): each one once, however often it runs."""
    from datetime import datetime

    from wardapp.core.i18n import city_tz, now_local
    from wardapp.reminders.services import run_pass

    if moment:
        try:
            when = datetime.fromisoformat(moment)
        except ValueError:
            raise click.BadParameter(
                "a local date and time such as 2024-03-14T08:00", param_hint="--now"
            ) from None
        when = when.replace(tzinfo=city_tz()) if when.tzinfo is None else when.astimezone(city_tz())
    else:
        when = now_local()
    result = run_pass(when)
    db.session.commit()
    click.echo(f"Reminders as of {when:%Y-%m-%d %H:%M}: {result.line()}.")


@group.command("mail-digest")
@click.option("--now", "moment", help="As of this local moment (default: now).")
@with_appcontext
def mail_digest_command(moment):
    """Send the day's e-mail digests due now (needs WARDAPP_MAIL_HOST); each user's once a day."""
    from datetime import datetime

    from wardapp.core.i18n import city_tz, now_local
    from wardapp.notifications import mail

    if not mail.configured():
        raise click.ClickException("No SMTP server: set WARDAPP_MAIL_HOST.")
    when = datetime.fromisoformat(moment).replace(tzinfo=city_tz()) if moment else now_local()
    sent = mail.send_digests(when)
    db.session.commit()
    click.echo(f"E-mail digests sent: {sent}.")


@group.command("worker")
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    help="Tasks run at once (default: the JOBS_WORKER_THREADS setting).",
)
@click.option(
    "--periodic/--no-periodic",
    default=True,
    help="Also queue the periodic tasks (each minute runs once however many workers do).",
)
@with_appcontext
def worker_command(threads, periodic):
    """Run background jobs (exports, remade copies, reminders) until Ctrl-C or SIGTERM."""
    import logging

    from wardapp import jobs

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    count = threads or app.config["JOBS_WORKER_THREADS"]
    click.echo(f"Worker started: {count} thread(s), queue {jobs.queue(app).describe()}.")
    sys.stdout.flush()
    try:
        jobs.run_worker(app, threads=count, periodic=periodic)
    except KeyboardInterrupt:  # Ctrl-C before the consumer took over the signal: nothing runs
        pass
    click.echo("Worker stopped.")
