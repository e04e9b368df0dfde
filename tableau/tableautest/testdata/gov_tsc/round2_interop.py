"""Drives the emulator's OIDC configuration, data acceleration report,
virtual connection revisions, Tableau Cloud subscription schedules,
chunked flow publishing, Cloud flow tasks, view preview images and governance jobs with tableauserverclient (TSC).

Usage: python round2_interop.py URL PAT_NAME PAT_SECRET PROJECT_ID SUBSCRIPTION_ID WORKDIR
Prints one "ok <step>" line per step and exits non-zero on the first failure.
"""
import datetime
import json
import os
import sys

import tableauserverclient as TSC
import tableauserverclient.server.endpoint.flows_endpoint as flows_endpoint

url, pat_name, pat_secret, project_id, subscription_id, workdir = sys.argv[1:7]


def step(name):
    print("ok", name, flush=True)


server = TSC.Server(url, use_server_version=True)
with server.auth.sign_in(TSC.PersonalAccessTokenAuth(pat_name, pat_secret, site_id="")):
    # OIDC site configuration (3.22/3.24)
    cfg = TSC.SiteOIDCConfiguration()
    cfg.idp_configuration_name = "TSC IdP"
    cfg.client_id, cfg.client_secret = "tsc-client", "tsc-secret"
    cfg.authorization_endpoint = "https://idp.example.com/authorize"
    cfg.token_endpoint = "https://idp.example.com/token"
    cfg.userinfo_endpoint = "https://idp.example.com/userinfo"
    cfg.jwks_uri = "https://idp.example.com/jwks"
    cfg.enabled = True
    cfg.prompt = "login"
    created = server.oidc.create(cfg)
    assert created.idp_configuration_id and created.client_id == "tsc-client", created
    assert created.client_secret != "tsc-secret", "secret not masked"
    assert created.userinfo_endpoint == "https://idp.example.com/userinfo", created.userinfo_endpoint
    listed = server.oidc.get()
    assert [c.idp_configuration_id for c in listed] == [created.idp_configuration_id], listed
    created.client_secret = "tsc-secret-2"
    created.enabled = False
    created.idp_configuration_name = "TSC IdP 2"
    updated = server.oidc.update(created)
    assert updated.idp_configuration_name == "TSC IdP 2" and updated.enabled is False, updated
    got = server.oidc.get_by_id(created.idp_configuration_id)
    assert got.prompt == "login", got.prompt
    server.oidc.delete_configuration(created)
    assert server.oidc.get() == [], "configuration left after delete"
    step("oidc create, get, update, get_by_id, delete_configuration")

    # Data acceleration report (records set by the Go test)
    report = server.data_acceleration_report.get()
    recs = report.comparison_records
    assert len(recs) == 1 and recs[0].sheet_uri == "views/Sales/Overview", [r.sheet_uri for r in recs]
    assert recs[0].accelerated_session_count == "30" and recs[0].avg_accelerated_plt == "0.75", vars(recs[0])
    step("data_acceleration_report")

    # Virtual connections: overwrite makes revision 2; revisions and downloads
    vc = TSC.VirtualConnectionItem("TSC VC")
    vc.project_id = project_id
    vc.owner_id = server.user_id
    v1 = {"connections": [{"dbClass": "postgres", "server": "db1.example.com", "port": "5432", "username": "r"}]}
    v2 = {"connections": [{"dbClass": "postgres", "server": "db2.example.com", "port": "5432", "username": "r"}]}
    vc = server.virtual_connections.publish(vc, json.dumps(v1))
    vc.project_id, vc.owner_id = project_id, server.user_id
    again = server.virtual_connections.publish(vc, json.dumps(v2), mode="Overwrite")
    assert again.id == vc.id, (again.id, vc.id)
    revs, _ = server.virtual_connections.get_revisions(vc)
    assert [r.revision_number for r in revs] == ["1", "2"], [r.revision_number for r in revs]
    assert [r.current for r in revs] == [False, True], [r.current for r in revs]
    assert json.loads(server.virtual_connections.download_revision(vc, 1)) == v1
    assert json.loads(server.virtual_connections.download(vc.id)) == v2
    step("virtual connections publish overwrite, get_revisions, download_revision, download")

    # A subscription with a schedule of its own (Tableau Cloud), made by the Go test
    sub = server.subscriptions.get_by_id(subscription_id)
    assert sub.schedule_id is None, sub.schedule_id
    sched = sub.schedule[0]
    assert sched.interval_item.__class__.__name__ == "WeeklyInterval", sched.interval_item
    assert sorted(sched.interval_item.interval) == ["Monday", "Thursday"], sched.interval_item.interval
    step("subscription with an inline schedule")

    # Flows: publish through an upload session (the 64 MB threshold lowered)
    path = os.path.join(workdir, "chunked.tfl")
    with open(path, "w") as f:
        f.write(json.dumps({"nodes": {"n": {"name": "x" * 5000}}, "connections": {}}))
    flows_endpoint.FILESIZE_LIMIT = 1024
    flow = server.flows.publish(TSC.FlowItem(project_id, "TSC chunked"), path, TSC.Server.PublishMode.CreateNew)
    out = server.flows.download(flow.id, os.path.join(workdir, "back.tfl"))
    with open(path, "rb") as a, open(out, "rb") as b:
        assert a.read() == b.read(), "downloaded flow differs"
    step("flows publish chunked, download")

    # A Tableau Cloud flow task with its own schedule (3.22)
    daily = TSC.ScheduleItem(None, None, None, None, TSC.DailyInterval(start_time=datetime.time(4, 30)))
    task = TSC.TaskItem(None, TSC.TaskItem.Type.RunFlow, 50, schedule_item=daily, target=TSC.Target(flow.id, "flow"))
    body = server.flow_tasks.create(task)
    assert b"flowRun" in body and flow.id.encode() in body and b'frequency="Daily"' in body, body
    step("flow_tasks create")

    # A view's preview image, through its workbook
    views, _ = server.views.get()
    server.views.populate_preview_image(views[0])
    assert views[0].preview_image[:8] == b"\x89PNG\r\n\x1a\n", views[0].preview_image[:8]
    server.views.populate_pdf(views[0], TSC.PDFRequestOptions(viz_height=800, viz_width=1200))
    assert views[0].pdf[:4] == b"%PDF", views[0].pdf[:8]
    step("views populate_preview_image, populate_pdf at a viz size")

    # Jobs: a user import job is found by jobs.get_by_id
    job = server.users.bulk_add([TSC.UserItem("tsc-bulk", TSC.UserItem.Roles.Viewer)])
    got = server.jobs.get_by_id(job.id)
    assert got.type == "UserImport" and got.finish_code == 0, (got.type, got.finish_code)
    server.jobs.wait_for_job(job.id)
    step("jobs get_by_id and wait_for_job on a user import")

    # Revoke administrators' personal access tokens (3.10): the session goes on,
    # the token no longer signs in.
    server.auth.revoke_all_server_admin_tokens()
    assert server.projects.get()[0], "the revoking session ended"
    step("auth revoke_all_server_admin_tokens")

try:
    server.auth.sign_in(TSC.PersonalAccessTokenAuth(pat_name, pat_secret, site_id=""))
except TSC.NotSignedInError:
    pass
except Exception as e:  # TSC raises FailedSignInError (a NotSignedInError) on 401
    if "401" not in str(e):
        raise
else:
    raise AssertionError("the revoked token still signs in")
step("revoked token refused")
