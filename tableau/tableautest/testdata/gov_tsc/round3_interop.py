"""Drives the emulator's extract methods (create and delete extracts of
workbooks and datasources, site extract encryption), bulk connection
updates, batch schedule state, a schedule's extract refresh tasks, view
tags and view deletion, the tags of databases and tables, and incremental
extract refreshes with tableauserverclient (TSC).

Usage: python round3_interop.py URL PAT_NAME PAT_SECRET WORKBOOK_ID DATASOURCE_ID DATABASE_ID TABLE_ID
Prints one "ok <step>" line per step and exits non-zero on the first failure.
"""
import sys
from datetime import time

import tableauserverclient as TSC

url, pat_name, pat_secret, workbook_id, datasource_id, database_id, table_id = sys.argv[1:8]


def step(name):
    print("ok", name, flush=True)


def is_true(v):
    return str(v).lower() == "true"


class Ref:
    """Anything with an id, as TSC's request factories read it."""

    def __init__(self, id_):
        self.id = id_


server = TSC.Server(url, use_server_version=True)
with server.auth.sign_in(TSC.PersonalAccessTokenAuth(pat_name, pat_secret, site_id="")):
    assert server.version == "3.27", server.version

    # Workbook extracts (3.5 / 3.3): a job each; the live workbook cannot be
    # refreshed before create_extract nor after delete_extract.
    wb = server.workbooks.get_by_id(workbook_id)
    server.workbooks.populate_connections(wb)
    embedded = wb.connections[0].datasource_id
    assert embedded, [vars(c) for c in wb.connections]
    job = server.workbooks.create_extract(wb, encrypt=True, includeAll=False, datasources=[Ref(embedded)])
    assert job.type == "CreateExtract", job.type
    server.jobs.wait_for_job(job.id)
    assert is_true(server.workbooks.get_by_id(workbook_id).encrypt_extracts), "workbook extract not encrypted"
    assert server.workbooks.refresh(wb) is not None, "refresh after create_extract"
    job = server.workbooks.delete_extract(wb)
    server.jobs.wait_for_job(job.id)
    assert not is_true(server.workbooks.get_by_id(workbook_id).encrypt_extracts)
    try:
        server.workbooks.refresh(wb)
    except TSC.ServerResponseError as e:
        assert e.code == "400000", e.code
    else:
        raise AssertionError("a workbook without extracts was refreshed")
    step("workbooks create_extract, delete_extract")

    # Datasource extracts (3.5): delete at once, create through a job.
    ds = server.datasources.get_by_id(datasource_id)
    server.datasources.delete_extract(ds)
    assert server.datasources.get_by_id(datasource_id).has_extracts is False, "extract left after delete_extract"
    job = server.datasources.create_extract(ds, encrypt=True)
    server.jobs.wait_for_job(job.id)
    got = server.datasources.get_by_id(datasource_id)
    assert got.has_extracts is True and is_true(got.encrypt_extracts), (got.has_extracts, got.encrypt_extracts)
    step("datasources delete_extract, create_extract")

    # Bulk connection updates (3.26)
    ids = [c.id for c in wb.connections]
    updated = server.workbooks.update_connections(wb, ids, "auth-keypair", username="svc", password="pw", embed_password=True)
    assert [c.id for c in updated] == ids, [c.id for c in updated]
    assert all(c.auth_type == "auth-keypair" and c.username == "svc" and c.embed_password for c in updated), updated
    server.workbooks.populate_connections(wb)
    assert all(c.username == "svc" for c in wb.connections), wb.connections
    server.datasources.populate_connections(ds)
    dconn = ds.connections[0]
    updated = server.datasources.update_connections(ds, [dconn.id], username="etl")
    assert len(updated) == 1 and updated[0].username == "etl", updated
    try:
        server.datasources.update_connections(ds, ["no-such-connection"], username="x")
    except TSC.ServerResponseError as e:
        assert e.code == "404022", e.code
    else:
        raise AssertionError("an unknown connection was updated")
    step("workbooks and datasources update_connections")

    # Site extract encryption (3.5)
    server.sites.encrypt_extracts(server.site_id)
    assert is_true(server.datasources.get_by_id(datasource_id).encrypt_extracts)
    server.sites.re_encrypt_extracts(server.site_id)
    server.sites.decrypt_extracts(server.site_id)
    assert not is_true(server.datasources.get_by_id(datasource_id).encrypt_extracts)
    step("sites encrypt_extracts, re_encrypt_extracts, decrypt_extracts")

    # Batch schedule state (3.27)
    made = []
    for name in ("TSC nightly", "TSC weekly"):
        item = TSC.ScheduleItem(name, 50, TSC.ScheduleItem.Type.Extract, TSC.ScheduleItem.ExecutionOrder.Parallel,
                                TSC.DailyInterval(time(2, 0)))
        made.append(server.schedules.create(item))
    changed = server.schedules.batch_update_state(made, "suspended")
    assert sorted(changed) == sorted(s.id for s in made), changed
    assert [server.schedules.get_by_id(s.id).state for s in made] == ["Suspended", "Suspended"]
    changed = server.schedules.batch_update_state(None, "active", update_all=True)
    assert set(s.id for s in made) <= set(changed), changed
    assert [server.schedules.get_by_id(s.id).state for s in made] == ["Active", "Active"]
    step("schedules batch_update_state")

    # A schedule's extract refresh tasks
    server.schedules.add_to_schedule(made[0].id, datasource=ds)
    server.schedules.add_to_schedule(made[0].id, workbook=wb)
    tasks, pagination = server.schedules.get_extract_refresh_tasks(made[0].id)
    assert pagination.total_available == 2, pagination.total_available
    assert sorted((t.datasource_id or "", t.workbook_id or "") for t in tasks) == sorted(
        [(datasource_id, ""), ("", workbook_id)]), [(t.datasource_id, t.workbook_id) for t in tasks]
    assert all(t.type == "Full Refresh" and t.id for t in tasks), [t.type for t in tasks]
    step("schedules get_extract_refresh_tasks")

    # View tags and deletion (3.27)
    server.workbooks.populate_views(wb)
    views = wb.views
    assert len(views) == 2, len(views)
    tags = server.views.add_tags(views[0], ["finance", "q3"])
    assert set(tags) >= {"finance", "q3"}, tags
    server.views.delete_tags(views[0], "q3")
    assert server.views.get_by_id(views[0].id).tags == {"finance"}
    server.views.delete(views[0])
    server.workbooks.populate_views(wb)
    assert [v.id for v in wb.views] == [views[1].id], [v.id for v in wb.views]
    step("views add_tags, delete_tags, delete")

    # Tags of catalog items, one item at a time
    # (DatabaseItem and TableItem have no tags: add_tags answers the item's tags.)
    assert server.databases.add_tags(database_id, ["gold", "pii"]) == {"gold", "pii"}
    server.databases.delete_tags(database_id, "pii")
    assert server.databases.add_tags(database_id, "q3") == {"gold", "q3"}
    assert server.tables.add_tags(table_id, "gold") == {"gold"}
    server.tables.delete_tags(table_id, "gold")
    assert server.tables.add_tags(table_id, "pii") == {"pii"}
    step("databases and tables add_tags, delete_tags")

    # Incremental and full extract refresh (3.25+: <extractRefresh incremental="true"/>)
    inc = server.datasources.refresh(datasource_id, incremental=True)
    assert inc.type == "IncrementExtract", inc.type
    full = server.datasources.refresh(datasource_id)
    assert full.type == "RefreshExtract", full.type
    for j in (inc, full):
        server.jobs.wait_for_job(j.id)
    step("datasources refresh incremental and full")
