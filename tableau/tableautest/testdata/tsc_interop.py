"""Drives the emulator with tableauserverclient (TSC), the Python peer.

Usage: python tsc_interop.py URL PAT_NAME PAT_SECRET USERNAME PASSWORD JWT
Prints one "ok <step>" line per step and exits non-zero on the first failure.
"""
import sys

import tableauserverclient as TSC

url, pat_name, pat_secret, username, password, jwt = sys.argv[1:7]


def step(name):
    print("ok", name, flush=True)


def expect_error(code, fn):
    try:
        fn()
    except Exception as e:  # ServerResponseError, FailedSignInError...
        got = str(getattr(e, "code", ""))
        assert got == code, f"error code {got!r}, want {code}: {e!r}"
        return
    raise AssertionError(f"no error, want {code}")


server = TSC.Server(url, use_server_version=True)
info = server.server_info.get()
assert info.product_version == "2024.2.0", info.product_version
assert info.rest_api_version == "3.24", info.rest_api_version
step("server info")

expect_error("401001", lambda: server.auth.sign_in(TSC.PersonalAccessTokenAuth(pat_name, "wrong", site_id="")))
step("wrong token refused")

with server.auth.sign_in(TSC.PersonalAccessTokenAuth(pat_name, pat_secret, site_id="")):
    assert server.version == "3.24", server.version  # negotiated from serverinfo at sign-in
    projects, page = server.projects.get()
    assert [p.name for p in projects] == ["Default"], [p.name for p in projects]
    assert page.total_available == 1
    step("list projects")

    top = server.projects.create(TSC.ProjectItem(name="Finance", description="money",
                                                 content_permissions="LockedToProject"))
    assert top.id and top.name == "Finance" and top.content_permissions == "LockedToProject"
    child = server.projects.create(TSC.ProjectItem(name="Budgets", parent_id=top.id))
    assert child.parent_id == top.id
    step("create nested projects")

    expect_error("409006", lambda: server.projects.create(TSC.ProjectItem(name="Budgets", parent_id=top.id)))
    step("duplicate name refused")

    for i in range(30):
        server.projects.create(TSC.ProjectItem(name=f"Bulk {i:02d}"))
    opts = TSC.RequestOptions(pagesize=7)
    names = [p.name for p in TSC.Pager(server.projects, opts)]
    assert len(names) == 33 and len(set(names)) == 33, names
    step("pager over 5 pages")

    opts = TSC.RequestOptions()
    opts.filter.add(TSC.Filter(TSC.RequestOptions.Field.Name, TSC.RequestOptions.Operator.In, ["Finance", "Budgets"]))
    opts.sort.add(TSC.Sort(TSC.RequestOptions.Field.Name, TSC.RequestOptions.Direction.Desc))
    found, _ = server.projects.get(opts)
    assert [p.name for p in found] == ["Finance", "Budgets"], [p.name for p in found]
    step("filter and sort")

    got = server.projects.get_by_id(child.id)
    assert got.name == "Budgets" and got.parent_id == top.id
    child.name = "Plans"
    child.description = "next year"
    updated = server.projects.update(child)
    assert updated.name == "Plans" and updated.description == "next year"
    step("get by id and update")

    server.projects.delete(top.id)
    expect_error("404005", lambda: server.projects.get_by_id(child.id))
    step("delete cascades")

    site = server.sites.create(TSC.SiteItem(name="Sales", content_url="sales"))
    assert site.content_url == "sales"
    assert server.sites.get_by_name("Sales").id == site.id
    assert server.sites.get_by_id(server.site_id).name == "Default"
    all_sites, _ = server.sites.get()
    assert sorted(s.name for s in all_sites) == ["Default", "Sales"]
    step("sites")

    server.auth.switch_site(site)
    assert server.site_id == site.id
    projects, _ = server.projects.get()
    assert [p.name for p in projects] == ["Default"]
    site.name = "Sales EU"
    assert server.sites.update(site).name == "Sales EU"
    step("switch site and update it")

with server.auth.sign_in(TSC.TableauAuth(username, password, site_id="sales")):
    assert server.site_id == site.id
    step("password sign-in")
    server.sites.delete(site.id)  # signs out: the session's site is gone

with server.auth.sign_in(TSC.JWTAuth(jwt, site_id="")):
    projects, _ = server.projects.get()
    assert len(projects) >= 1
    step("connected-app JWT sign-in")
