"""Queries the emulator's Metadata API with tableauserverclient (TSC).

Usage: python metadata_tsc.py URL PAT_NAME PAT_SECRET
The emulator must have the metadata samples published (Orders, Sales).
Also asks the control endpoints (eventing and backfill status).
Prints one "ok <step>" line per step and exits non-zero on the first failure.
"""
import sys

import tableauserverclient as TSC

url, pat_name, pat_secret = sys.argv[1:4]


def step(name):
    print("ok", name, flush=True)


server = TSC.Server(url, use_server_version=True)
with server.auth.sign_in(TSC.PersonalAccessTokenAuth(pat_name, pat_secret, site_id="")):
    res = server.metadata.query(
        """query ds($name: String) {
             publishedDatasources(filter: {name: $name}) {
               name projectName owner { username }
               upstreamTables { name ... on DatabaseTable { fullName database { name } } }
               fields { __typename name ... on CalculatedField { formula } }
             }
           }""",
        {"name": "Orders"},
        abort_on_error=True,
    )
    ds = res["data"]["publishedDatasources"]
    assert len(ds) == 1 and ds[0]["owner"]["username"] == "admin", ds
    assert ds[0]["upstreamTables"][0]["fullName"] == "[public].[orders]", ds[0]["upstreamTables"]
    calcs = {f["name"]: f["formula"] for f in ds[0]["fields"] if f["__typename"] == "CalculatedField"}
    assert calcs == {"Net Amount": "[amount] - [discount]", "Big Order": "[Calculation_101] > 1000"}, calcs
    step("query")

    res = server.metadata.query("{ workbooks { nope } }")
    assert res.get("errors"), res
    try:
        server.metadata.query("{ workbooks { nope } }", abort_on_error=True)
        raise AssertionError("no GraphQLError")
    except TSC.server.endpoint.exceptions.GraphQLError:
        pass
    step("errors")

    paged = server.metadata.paginated_query(
        """query fields($first: Int, $afterToken: String) {
             fieldsConnection(first: $first, after: $afterToken) {
               nodes { id name }
               pageInfo { hasNextPage endCursor }
               totalCount
             }
           }""",
        {"first": 4, "afterToken": None},
        abort_on_error=True,
    )
    pages = paged["pages"]
    names = [n["name"] for p in pages for n in p["data"]["fieldsConnection"]["nodes"]]
    ids = {n["id"] for p in pages for n in p["data"]["fieldsConnection"]["nodes"]}
    total = pages[0]["data"]["fieldsConnection"]["totalCount"]
    assert len(pages) == 4 and len(names) == total == len(ids) == 13, (len(pages), len(names), total)
    step("paginated_query")

    eventing = server.metadata.eventing_status()
    assert eventing["queueSize"] == 0 and eventing["contentType"] in ("Workbook", "PublishedDatasource"), eventing
    assert eventing["checkpointCreatedTime"].endswith("Z"), eventing
    backfill = server.metadata.backfill_status()
    assert backfill["backfillComplete"] is True, backfill
    step("control_status")
