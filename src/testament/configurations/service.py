"""Configuration rules: groups and their configurations, titles unique per project and group,
lookups for runs, and find-or-create by titles for reporters."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from testament.access.context import ProjectContext
from testament.configurations.schemas import TITLE_MAX
from testament.configurations.schemas import Configuration as ConfigurationSchema
from testament.configurations.schemas import ConfigurationGroup as GroupSchema
from testament.kit import audit
from testament.kit import repository as numbered
from testament.kit.errors import Invalid
from testament.kit.numbering import next_project_number
from testament.models.configurations import Configuration, ConfigurationGroup


def ids_for_numbers(
    session: Session, project_id: int, numbers: Collection[int], field: str = "configurations"
) -> dict[int, int]:
    """Configuration number -> global id (a query per thousand numbers); any unknown number is
    a 422 naming `field`."""
    wanted = set(numbers)
    found = numbered.ids_for_numbers(session, Configuration, project_id, wanted)
    unknown = sorted(wanted - found.keys())
    if unknown:
        listed = ", ".join(str(n) for n in unknown)
        raise Invalid.field(field, f"Configuration(s) {listed} not found in this project.")
    return found


def numbers_for_ids(session: Session, ids: Collection[int]) -> dict[int, int]:
    """Global configuration id -> the number clients see, in one query."""
    return numbered.numbers_for_ids(session, Configuration, ids)


def list_groups(session: Session, project_id: int) -> list[GroupSchema]:
    """Every group of the project with its configurations, both by id: two queries."""
    groups = session.scalars(
        select(ConfigurationGroup)
        .where(ConfigurationGroup.project_id == project_id)
        .order_by(ConfigurationGroup.number)
    ).all()
    members: dict[int, list[ConfigurationSchema]] = defaultdict(list)
    if groups:
        rows = session.execute(
            select(Configuration.group_id, Configuration.number, Configuration.title)
            .where(Configuration.project_id == project_id)
            .order_by(Configuration.number)
        )
        for group_id, number, title in rows:
            members[group_id].append(ConfigurationSchema(id=number, title=title))
    return [GroupSchema(id=g.number, title=g.title, configurations=members[g.id]) for g in groups]


def create_group(session: Session, ctx: ProjectContext, title: str) -> ConfigurationGroup:
    """A new group; a title already used in the project is a 422 naming `title`."""
    project_id = ctx.project.id
    if _group_by_title(session, project_id, title) is not None:
        raise Invalid.field("title", _group_taken(title))
    group = _insert_group(session, ctx, title)
    if group is None:
        raise Invalid.field("title", _group_taken(title))
    return group


def create_configuration(
    session: Session, ctx: ProjectContext, group_number: int, title: str
) -> Configuration:
    """A new configuration in group `group_number` (422 naming `group_id` when there is no such
    group); a title already used in the group is a 422 naming `title`."""
    project_id = ctx.project.id
    group = numbered.by_number(session, ConfigurationGroup, project_id, group_number)
    if group is None:
        raise Invalid.field(
            "group_id", f"Configuration group {group_number} not found in this project."
        )
    if _configuration_in(session, group.id, title) is not None:
        raise Invalid.field("title", _configuration_taken(group.title, title))
    configuration = _insert_configuration(session, ctx, group, title)
    if configuration is None:
        raise Invalid.field("title", _configuration_taken(group.title, title))
    return configuration


def find_or_create(
    session: Session,
    ctx: ProjectContext,
    group_title: str,
    title: str,
    *,
    field: str = "configurations",
) -> int:
    """The global id of configuration `title` in the group titled `group_title`, creating the
    group and the configuration when missing. Titles match exactly; a title that could not be
    stored (empty, too long, holding NUL) is a 422 naming `field`."""
    for label, value in (("group title", group_title), ("title", title)):
        if not 1 <= len(value) <= TITLE_MAX or "\x00" in value:
            raise Invalid.field(
                field,
                f"A configuration {label} must be 1 to {TITLE_MAX} characters long, without NUL.",
            )
    project_id = ctx.project.id
    group = _group_by_title(session, project_id, group_title)
    if group is None:
        # None: another request created it meanwhile; it is committed, so it is found now.
        group = _insert_group(session, ctx, group_title) or _group_by_title(
            session, project_id, group_title
        )
        assert group is not None
    found = _configuration_in(session, group.id, title)
    if found is not None:
        return found
    configuration = _insert_configuration(session, ctx, group, title)
    if configuration is not None:
        return configuration.id
    found = _configuration_in(session, group.id, title)
    assert found is not None
    return found


def _group_by_title(session: Session, project_id: int, title: str) -> ConfigurationGroup | None:
    return session.scalar(
        select(ConfigurationGroup).where(
            ConfigurationGroup.project_id == project_id, ConfigurationGroup.title == title
        )
    )


def _configuration_in(session: Session, group_id: int, title: str) -> int | None:
    return session.scalar(
        select(Configuration.id).where(
            Configuration.group_id == group_id, Configuration.title == title
        )
    )


def _insert_group(session: Session, ctx: ProjectContext, title: str) -> ConfigurationGroup | None:
    """Insert a group; None when the title was taken concurrently (nothing written then)."""
    project_id = ctx.project.id
    try:
        # Inside the savepoint, so a lost race gives the number back too.
        with session.begin_nested():
            group = ConfigurationGroup(
                project_id=project_id,
                number=next_project_number(session, project_id, "configuration_group"),
                title=title,
            )
            session.add(group)
            session.flush()
    except IntegrityError:
        return None
    audit.created(
        session,
        ctx.actor,
        "configuration_group",
        group.number,
        project_id=project_id,
        changes={"title": title},
    )
    return group


def _insert_configuration(
    session: Session, ctx: ProjectContext, group: ConfigurationGroup, title: str
) -> Configuration | None:
    """Insert a configuration; None when the title was taken concurrently."""
    project_id = ctx.project.id
    try:
        with session.begin_nested():
            configuration = Configuration(
                project_id=project_id,
                number=next_project_number(session, project_id, "configuration"),
                group_id=group.id,
                title=title,
            )
            session.add(configuration)
            session.flush()
    except IntegrityError:
        return None
    audit.created(
        session,
        ctx.actor,
        "configuration",
        configuration.number,
        project_id=project_id,
        changes={"title": title, "group_id": group.number},
    )
    return configuration


def _group_taken(title: str) -> str:
    return f"A configuration group titled {title!r} already exists in this project."


def _configuration_taken(group_title: str, title: str) -> str:
    return f"Group {group_title!r} already has a configuration titled {title!r}."
