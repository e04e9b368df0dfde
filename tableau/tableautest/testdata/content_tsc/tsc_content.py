"""Drives the emulator's content resources with tableauserverclient (TSC).

Usage: python tsc_content.py URL PAT_NAME PAT_SECRET WORKDIR
WORKDIR holds Sales.twb, Orders.tdsx and Big.hyper (written by the Go test).
Prints one "ok <step>" line per step and exits non-zero on the first failure.
Run with TSC_FILESIZE_LIMIT_MB=1 TSC_CHUNK_SIZE_MB=1 so Big.hyper (3 MB) goes
through an upload session in chunks.
"""
import os
import sys

import tableauserverclient as TSC

url, pat_name, pat_secret, workdir = sys.argv[1:5]


def step(name):
    print("ok", name, flush=True)


def read(path):
    with open(path, "rb") as f:
        return f.read()


server = TSC.Server(url, use_server_version=True)
with server.auth.sign_in(TSC.PersonalAccessTokenAuth(pat_name, pat_secret, site_id="")):
    default = [p for p in TSC.Pager(server.projects) if p.name == "Default"][0]

    conn = TSC.ConnectionItem()
    conn.server_address = "db.example.com"
    conn.connection_credentials = TSC.ConnectionCredentials("etl", "pw", embed=True)
    wb = server.workbooks.publish(TSC.WorkbookItem(default.id, name="Sales", show_tabs=True),
                                  os.path.join(workdir, "Sales.twb"), TSC.Server.PublishMode.CreateNew,
                                  connections=[conn])
    assert wb.id and wb.name == "Sales" and wb.show_tabs, vars(wb)
    step("publish workbook")

    server.workbooks.populate_views(wb, usage=True)
    assert [v.name for v in wb.views] == ["Overview", "Details"], [v.name for v in wb.views]
    assert wb.views[0].total_views == 0, wb.views[0].total_views
    server.workbooks.populate_connections(wb)
    c = wb.connections[0]
    assert c.server_address == "db.example.com" and c.username == "etl" and c.embed_password, vars(c)
    step("views and connections")

    c.server_address = "db2.example.com"
    c.server_port = "5433"
    c = server.workbooks.update_connection(wb, c)
    assert c.server_address == "db2.example.com" and c.server_port == "5433", vars(c)
    step("update connection")

    path = server.workbooks.download(wb.id, filepath=os.path.join(workdir, "downloaded"))
    assert read(path) == read(os.path.join(workdir, "Sales.twb")), path
    step("download workbook")

    wb.tags = {"finance", "q4"}
    wb.name = "Sales 2024"
    wb = server.workbooks.update(wb)
    assert wb.name == "Sales 2024", wb.name
    assert server.workbooks.get_by_id(wb.id).tags == {"finance", "q4"}, server.workbooks.get_by_id(wb.id).tags
    names = sorted(w.name for w in TSC.Pager(server.workbooks))
    assert names == ["Sales 2024"], names
    step("update and list workbooks")

    view = wb.views[0]
    server.views.populate_image(view, TSC.ImageRequestOptions(imageresolution=TSC.ImageRequestOptions.Resolution.High))
    assert view.image[:8] == b"\x89PNG\r\n\x1a\n", view.image[:8]
    opts = TSC.CSVRequestOptions()
    opts.vf("Region", "West")
    server.views.populate_csv(view, opts)
    rows = b"".join(view.csv).decode().strip().split("\n")
    assert rows[0] == "Region,Category,Sales,Profit" and len(rows) == 4, rows
    server.views.populate_pdf(view, TSC.PDFRequestOptions(page_type="A4", orientation="Landscape"))
    assert view.pdf[:5] == b"%PDF-", view.pdf[:5]
    german = TSC.PDFRequestOptions(page_type="A4")
    german.language = "de"
    server.views.populate_pdf(view, german)
    assert b"/Lang (de)" in view.pdf, view.pdf[:200]
    step("view exports")

    ds = server.datasources.publish(TSC.DatasourceItem(default.id, name="Orders"),
                                    os.path.join(workdir, "Orders.tdsx"), TSC.Server.PublishMode.CreateNew)
    assert ds.id and ds.has_extracts, vars(ds)
    job = server.datasources.refresh(ds)
    job = server.jobs.wait_for_job(job, timeout=30)
    assert job.finish_code == 0, vars(job)
    step("publish and refresh datasource")

    big = server.datasources.publish(TSC.DatasourceItem(default.id, name="Big"),
                                     os.path.join(workdir, "Big.hyper"), TSC.Server.PublishMode.CreateNew)
    path = server.datasources.download(big.id, filepath=os.path.join(workdir, "big-copy"))
    assert read(path) == read(os.path.join(workdir, "Big.hyper")), path
    step("chunked publish and download")

    big = server.datasources.publish(TSC.DatasourceItem(default.id, name="Big"),
                                     os.path.join(workdir, "Big.hyper"), TSC.Server.PublishMode.Overwrite)
    server.datasources.populate_revisions(big)
    assert len(big.revisions) == 2, len(big.revisions)
    step("overwrite and revisions")

    jobs = list(TSC.Pager(server.jobs))
    assert any(j.id == job.id for j in jobs), [j.id for j in jobs]
    step("list jobs")

    server.workbooks.delete(wb.id)
    server.datasources.delete(ds.id)
    assert [w.name for w in TSC.Pager(server.workbooks)] == []
    step("delete")
