"""Access grants: to a user through the API, to a group (membership written in the database,
as no route manages groups). Access shows at once, and goes at once when revoked."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import delete

from testament.models.identity import Group, GroupMember, ProjectAccess
from tests.access.helpers import User, done, fill_project, ok, project_codes, user_id
from tests.acting import project_id, under_the_api
from tests.conftest import make_client
from tests.factories import make_project, unique_code
from tests.live import LiveServer

RESTRICTED_ROLES = ("member", "viewer")


# --- Granting and revoking ----------------------------------------------------------------


@pytest.mark.parametrize("role", RESTRICTED_ROLES)
def test_grant_shows_the_project_and_revoke_hides_it_at_once(
    role: str, server: LiveServer, admin: httpx.Client
) -> None:
    project = fill_project(admin)
    code = project.code
    member_id = user_id(admin, f"{role}@example.com")
    with make_client(server, server.tokens[role]) as client:
        assert client.get(f"/v1/case/{code}").status_code == 404

        done(admin.post(f"/v1/project/{code}/access", json={"member_id": member_id}))
        assert code in set(project_codes(client))
        assert ok(client.get(f"/v1/project/{code}"))["counts"]["cases"] == 1
        case = ok(client.get(f"/v1/case/{code}/{project.numbers['case']}"))
        assert case["title"] == f"Title {project.marker}"
        attachment = ok(client.get(f"/v1/attachment/{project.hashes['attachment']}"))
        assert httpx.get(attachment["url"]).content == project.marker.encode()
        field = ok(client.get(f"/v1/custom_field/{project.case_field_id}"))
        assert field["projects_codes"] == [code]
        parameter = ok(client.get(f"/v1/shared_parameter/{project.shared_parameter_id}"))
        assert parameter["project_codes"] == [code]

        done(admin.request("DELETE", f"/v1/project/{code}/access", json={"member_id": member_id}))
        assert code not in set(project_codes(client))
        assert client.get(f"/v1/project/{code}").status_code == 404
        assert client.get(f"/v1/case/{code}/{project.numbers['case']}").status_code == 404
        assert client.get(f"/v1/attachment/{project.hashes['attachment']}").status_code == 404
        field = ok(client.get(f"/v1/custom_field/{project.case_field_id}"))
        assert field["projects_codes"] == []
        parameter_path = f"/v1/shared_parameter/{project.shared_parameter_id}"
        assert client.get(parameter_path).status_code == 404
        # A URL handed out while access lasted is a capability: it works until it expires.
        assert httpx.get(attachment["url"]).status_code == 200


def test_revoking_one_user_leaves_the_others(
    admin: httpx.Client, server: LiveServer, granted_user: User
) -> None:
    code = make_project(admin, access="none")
    member_id = user_id(admin, "member@example.com")
    for user in (member_id, granted_user.id):
        done(admin.post(f"/v1/project/{code}/access", json={"member_id": user}))
    done(admin.request("DELETE", f"/v1/project/{code}/access", json={"member_id": member_id}))
    with (
        make_client(server, server.tokens["member"]) as member,
        make_client(server, granted_user.token) as granted,
    ):
        assert member.get(f"/v1/project/{code}").status_code == 404
        assert granted.get(f"/v1/project/{code}").status_code == 200


# --- Groups: no route manages them, so membership is written in the database ----------------


def _add_group(server: LiveServer, *members: int) -> tuple[int, str]:
    with under_the_api(server, write=True) as session:
        group = Group(title=f"Team {unique_code()}")
        session.add(group)
        session.flush()
        session.add_all(GroupMember(group_id=group.id, user_id=m) for m in members)
        return group.id, group.hash


def _set_membership(server: LiveServer, group_id: int, user: int, member: bool) -> None:
    with under_the_api(server, write=True) as session:
        if member:
            session.add(GroupMember(group_id=group_id, user_id=user))
        else:
            session.execute(
                delete(GroupMember).where(
                    GroupMember.group_id == group_id, GroupMember.user_id == user
                )
            )


def _grant_group(server: LiveServer, code: str, group_id: int) -> None:
    with under_the_api(server, write=True) as session:
        session.add(ProjectAccess(project_id=project_id(session, code), group_id=group_id))


def test_a_group_project_shows_to_its_members_only(
    admin: httpx.Client, server: LiveServer, granted_user: User
) -> None:
    group_id, group_hash = _add_group(server, granted_user.id)
    code = make_project(admin, access="group", group=group_hash)
    member_id = user_id(admin, "member@example.com")
    with (
        make_client(server, server.tokens["member"]) as member,
        make_client(server, granted_user.token) as granted,
    ):
        assert granted.get(f"/v1/project/{code}").status_code == 200
        assert member.get(f"/v1/project/{code}").status_code == 404
        assert code not in set(project_codes(member))

        _set_membership(server, group_id, member_id, member=True)
        assert code in set(project_codes(member))
        assert member.get(f"/v1/case/{code}").status_code == 200

        _set_membership(server, group_id, member_id, member=False)
        assert member.get(f"/v1/project/{code}").status_code == 404
        assert code not in set(project_codes(member))


def test_a_group_grant_opens_a_restricted_project(admin: httpx.Client, server: LiveServer) -> None:
    member_id = user_id(admin, "member@example.com")
    group_id, _ = _add_group(server)
    code = make_project(admin, access="none")
    _grant_group(server, code, group_id)
    with make_client(server, server.tokens["member"]) as member:
        assert member.get(f"/v1/project/{code}").status_code == 404

        _set_membership(server, group_id, member_id, member=True)
        assert member.get(f"/v1/project/{code}").status_code == 200
        assert code in set(project_codes(member))

        _set_membership(server, group_id, member_id, member=False)
        assert member.get(f"/v1/project/{code}").status_code == 404
