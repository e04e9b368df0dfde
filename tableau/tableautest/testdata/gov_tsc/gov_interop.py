"""Drives the emulator's governance resources with tableauserverclient (TSC).

Usage: python gov_interop.py URL PAT_NAME PAT_SECRET WORKBOOK_ID HOOK_URL
Prints one "ok <step>" line per step and exits non-zero on the first failure.
"""
import sys
from datetime import time

import tableauserverclient as TSC

url, pat_name, pat_secret, workbook_id, hook_url = sys.argv[1:6]


def step(name):
    print("ok", name, flush=True)


server = TSC.Server(url, use_server_version=True)
with server.auth.sign_in(TSC.PersonalAccessTokenAuth(pat_name, pat_secret, site_id="")):
    # Users
    user = server.users.add(TSC.UserItem("tsc-user", TSC.UserItem.Roles.Viewer))
    assert user.id and user.site_role == "Viewer", user
    user.fullname, user.email = "TSC User", "tsc@example.com"
    user.site_role = TSC.UserItem.Roles.Explorer
    server.users.update(user)
    got = server.users.get_by_id(user.id)
    assert (got.fullname, got.email, got.site_role) == ("TSC User", "tsc@example.com", "Explorer"), got
    req = TSC.RequestOptions()
    req.filter.add(TSC.Filter(TSC.RequestOptions.Field.SiteRole, TSC.RequestOptions.Operator.Equals, "Explorer"))
    users, _ = server.users.get(req)
    assert [u.name for u in users] == ["tsc-user"], [u.name for u in users]
    step("users add, update, get, filter")

    # Groups and members
    group = server.groups.create(TSC.GroupItem("TSC Group"))
    server.groups.add_user(group, user.id)
    other = server.users.add(TSC.UserItem("tsc-other", TSC.UserItem.Roles.Viewer))
    server.groups.add_users(group, [other.id])
    server.groups.populate_users(group)
    assert sorted(u.name for u in group.users) == ["tsc-other", "tsc-user"], [u.name for u in group.users]
    server.groups.remove_users(group, [other.id])
    server.groups.remove_user(group, user.id)
    server.groups.populate_users(group)
    assert list(group.users) == [], list(group.users)
    server.users.populate_groups(user)
    assert [g.name for g in user.groups] == ["All Users"], [g.name for g in user.groups]
    group.name = "TSC Group renamed"
    group = server.groups.update(group)
    assert group.name == "TSC Group renamed", group.name
    step("groups create, members single and bulk, update")

    # Group sets (3.22)
    gs = server.group_sets.create(TSC.GroupSetItem("TSC set"))
    server.group_sets.add_group(gs, group)
    gs = server.group_sets.get_by_id(gs.id)
    assert gs.group_count == 1, gs.group_count
    server.group_sets.delete(gs)
    step("group sets")

    # Permissions: project rules and workbook defaults; workbook rules
    project = server.projects.create(TSC.ProjectItem("TSC Project"))
    rule = TSC.PermissionsRule(grantee=group, capabilities={TSC.Permission.Capability.Read: TSC.Permission.Mode.Allow})
    server.projects.update_permissions(project, [rule])
    server.projects.populate_permissions(project)
    assert len(project.permissions) == 1 and project.permissions[0].grantee.id == group.id, project.permissions
    wb_rule = TSC.PermissionsRule(grantee=group, capabilities={TSC.Permission.Capability.ExportData: TSC.Permission.Mode.Deny})
    server.projects.update_workbook_default_permissions(project, [wb_rule])
    server.projects.populate_workbook_default_permissions(project)
    assert project.default_workbook_permissions[0].capabilities == {"ExportData": "Deny"}, project.default_workbook_permissions
    server.projects.delete_permission(project, rule)
    server.projects.populate_permissions(project)
    assert project.permissions == [], project.permissions
    wb = server.workbooks.get_by_id(workbook_id)
    server.workbooks.update_permissions(wb, [TSC.PermissionsRule(grantee=user, capabilities={"Read": "Allow", "Filter": "Allow"})])
    server.workbooks.populate_permissions(wb)
    assert wb.permissions[0].capabilities == {"Read": "Allow", "Filter": "Allow"}, wb.permissions
    step("permissions and default permissions")

    # Webhooks
    hook = TSC.WebhookItem()
    hook.name, hook.url, hook.event = "TSC hook", hook_url, "datasource-refresh-failed"
    hook = server.webhooks.create(hook)
    got = server.webhooks.get_by_id(hook.id)
    assert got.event == "datasource-refresh-failed" and got.url == hook_url, (got.event, got.url)
    result = server.webhooks.test(hook.id)
    assert result is not None
    hooks, _ = server.webhooks.get()
    assert [h.name for h in hooks] == ["TSC hook"], hooks
    server.webhooks.delete(hook.id)
    step("webhooks create, get, test, list, delete")

    # Schedules of every frequency, and adding a workbook to one
    made = []
    for name, interval in [
        ("tsc hourly", TSC.HourlyInterval(time(8), time(18), 2)),
        ("tsc daily", TSC.DailyInterval(time(2, 30))),
        ("tsc weekly", TSC.WeeklyInterval(time(23), TSC.IntervalItem.Day.Monday, TSC.IntervalItem.Day.Friday)),
        ("tsc monthly", TSC.MonthlyInterval(time(1), 15)),
    ]:
        item = TSC.ScheduleItem(name, 50, TSC.ScheduleItem.Type.Extract, TSC.ScheduleItem.ExecutionOrder.Parallel, interval)
        made.append(server.schedules.create(item))
    schedules, _ = server.schedules.get()
    assert sorted(s.name for s in schedules) == ["tsc daily", "tsc hourly", "tsc monthly", "tsc weekly"], [s.name for s in schedules]
    got = server.schedules.get_by_id(made[0].id)
    assert got.interval_item.interval, got.interval_item
    result = server.schedules.add_to_schedule(made[1].id, workbook=wb)
    assert all(r.result for r in result), [r.error for r in result]
    tasks, _ = server.tasks.get()
    assert len(tasks) == 1 and tasks[0].target.id == workbook_id, tasks
    made[1].priority = 10
    server.schedules.update(made[1])
    for s in made:
        server.schedules.delete(s.id)
    step("schedules every frequency, add workbook, tasks")

    # Favorites and a subscription
    me = server.users.get_by_id(server.user_id)
    server.favorites.add_favorite_workbook(me, wb)
    server.favorites.get(me)
    assert [w.id for w in me.favorites["workbooks"]] == [workbook_id], me.favorites
    sched = server.schedules.create(TSC.ScheduleItem("tsc subs", 50, TSC.ScheduleItem.Type.Subscription,
                                                     TSC.ScheduleItem.ExecutionOrder.Parallel, TSC.DailyInterval(time(7))))
    target = TSC.Target(wb.id, "workbook")
    sub = server.subscriptions.create(TSC.SubscriptionItem("Daily", sched.id, me.id, target))
    subs, _ = server.subscriptions.get()
    assert [s.subject for s in subs] == ["Daily"], subs
    server.subscriptions.delete(sub.id)
    step("favorites and subscriptions")

    # Bulk import and removal with TSC's CSV (its publish column is 1/0)
    news = [TSC.UserItem("bulk-a", "ExplorerCanPublish"), TSC.UserItem("bulk-b", "SiteAdministratorCreator")]
    news[0].email, news[1].auth_setting = "a@example.com", "SAML"
    job = server.users.bulk_add(news)
    assert job.finish_code in (0, "0"), job.finish_code
    got = {u.name: (u.site_role, u.auth_setting) for u in server.users.get()[0]}
    assert got["bulk-a"][0] == "ExplorerCanPublish" and got["bulk-b"] == ("SiteAdministratorCreator", "SAML"), got
    server.users.bulk_remove([u for u in server.users.get()[0] if u.name.startswith("bulk-")])
    assert not [u for u in server.users.get()[0] if u.name.startswith("bulk-")]
    step("users bulk add and bulk remove")

    # Removing a user
    server.users.remove(user.id)
    server.users.remove(other.id)
    users, _ = server.users.get()
    assert sorted(u.name for u in users) == ["admin"], [u.name for u in users]
    step("users remove")
