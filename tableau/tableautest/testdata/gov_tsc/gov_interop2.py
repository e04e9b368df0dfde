"""Drives the emulator's flows, flow runs, data quality warnings, alerts,
custom views, catalog, metrics, virtual connections and extension settings
with tableauserverclient (TSC).

Usage: python gov_interop2.py URL PAT_NAME PAT_SECRET PROJECT_ID DATASOURCE_ID TFL_PATH
Prints one "ok <step>" line per step and exits non-zero on the first failure.
"""
import sys
import time

import tableauserverclient as TSC

url, pat_name, pat_secret, project_id, datasource_id, tfl_path, linked_id = sys.argv[1:8]


def step(name):
    print("ok", name, flush=True)


server = TSC.Server(url, use_server_version=True)
with server.auth.sign_in(TSC.PersonalAccessTokenAuth(pat_name, pat_secret, site_id="")):
    flow = server.flows.publish(TSC.FlowItem(project_id, name="TSC flow"), tfl_path, TSC.Server.PublishMode.CreateNew)
    assert flow.id and flow.name == "TSC flow", flow
    flow = server.flows.get_by_id(flow.id)
    flows, _ = server.flows.get()
    assert sorted(f.name for f in flows) == ["Linked flow", "TSC flow"], flows
    server.flows.populate_connections(flow)
    path = server.flows.download(flow.id, "/tmp")
    server.flows.publish(TSC.FlowItem(project_id, name="TSC flow"), tfl_path, TSC.Server.PublishMode.Overwrite)
    step("flows publish, get, list, connections, download, overwrite")

    job = server.flows.refresh(flow)
    runs = server.flow_runs.get()
    runs = [r for r in runs if r.flow_id == flow.id]
    assert len(runs) == 1, runs
    run = server.flow_runs.get_by_id(runs[0].id)
    deadline = time.time() + 10
    while run.status not in ("Success", "Failed", "Cancelled") and time.time() < deadline:
        time.sleep(0.05)
        run = server.flow_runs.get_by_id(run.id)
    assert run.status == "Success", run.status
    step("flow run and flow runs")

    ds = server.datasources.get_by_id(datasource_id)
    warning = TSC.DQWItem(TSC.DQWItem.WarningType.DEPRECATED, "Use the new one", True, False)
    server.datasources.add_dqw(ds, warning)
    server.datasources.populate_dqw(ds)
    assert [w.warning_type for w in ds.dqws] == ["DEPRECATED"], ds.dqws
    server.datasources.delete_dqw(ds)
    server.datasources.populate_dqw(ds)
    assert list(ds.dqws) == [], ds.dqws
    step("data quality warnings")

    alerts, _ = server.data_alerts.get()
    cvs, _ = server.custom_views.get()
    metrics, _ = server.metrics.get()
    vcs, _ = server.virtual_connections.get()
    dbs, _ = server.databases.get()
    tables, _ = server.tables.get()
    assert len(dbs) == 1 and dbs[0].name == "sales", dbs
    assert sorted(t.name for t in tables) == ["customers", "orders"], tables
    server.tables.populate_columns(tables[0])
    assert len(list(tables[0].columns)) == 2
    assert len(cvs) == 1 and len(alerts) == 1 and len(metrics) == 1 and len(vcs) == 1, (cvs, alerts, metrics, vcs)
    step("alerts, custom views, metrics, virtual connections, databases, tables")

    cv = cvs[0]
    server.custom_views.populate_image(cv)
    assert cv.image[:8] == b"\x89PNG\r\n\x1a\n"
    server.custom_views.populate_csv(cv)
    assert b"".join(cv.csv)
    step("custom view image and data")

    tasks, _ = server.linked_tasks.get()
    assert len(tasks) == 1 and tasks[0].id == linked_id and tasks[0].num_steps == 1, tasks
    task = server.linked_tasks.get_by_id(linked_id)
    assert task.schedule.name == "linked", task.schedule
    job = server.linked_tasks.run_now(task)
    assert job.linked_task_id == linked_id, job
    step("linked tasks")

    settings = server.extensions.get()
    settings.enabled, settings.use_default_setting = True, False
    settings.safe_list = [TSC.SafeExtension("https://ext.example.com", True, False)]
    settings = server.extensions.update(settings)
    got = server.extensions.get()
    assert [s.url for s in got.safe_list] == ["https://ext.example.com"] and got.use_default_setting is False, got
    step("extension settings")

    group = TSC.GroupItem("Sales", domain_name="example.com")
    group.minimum_site_role, group.license_mode = "Explorer", "onSync"
    job = server.groups.create_AD_group(group, asJob=True)
    groups, _ = server.groups.get()
    sales = [g for g in groups if g.name == "Sales"][0]
    server.groups.populate_users(sales)
    assert sorted(u.name for u in sales.users) == ["example.com\\ann", "example.com\\ben"], [u.name for u in sales.users]
    step("Active Directory group import")
