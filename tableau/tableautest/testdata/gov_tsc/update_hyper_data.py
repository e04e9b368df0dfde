"""Updates a published extract's data with tableauserverclient's
datasources.update_hyper_data against the emulator: an upsert by id from the
uploaded .hyper, then a delete by a constant condition; waits for each job.

Usage: python update_hyper_data.py URL PAT_NAME PAT_SECRET DATASOURCE_ID SOURCE_HYPER
Prints one "ok <step>" line per step and exits non-zero on the first failure.
"""
import sys
import uuid

import tableauserverclient as TSC

url, pat_name, pat_secret, datasource_id, source = sys.argv[1:6]


def step(name):
    print("ok", name, flush=True)


server = TSC.Server(url, use_server_version=True)
with server.auth.sign_in(TSC.PersonalAccessTokenAuth(pat_name, pat_secret, site_id="")):
    ds = server.datasources.get_by_id(datasource_id)
    upsert = [{
        "action": "upsert",
        "source-schema": "Extract", "source-table": "changes",
        "target-schema": "Extract", "target-table": "Extract",
        "condition": {"op": "eq", "target-col": "id", "source-col": "id"},
    }]
    job = server.datasources.update_hyper_data(ds, request_id=str(uuid.uuid4()), actions=upsert, payload=source)
    job = server.jobs.wait_for_job(job)
    assert job.finish_code == 0, job.finish_code
    step("update_hyper_data upsert with a payload")

    delete = [{
        "action": "delete",
        "target-schema": "Extract", "target-table": "Extract",
        "condition": {"op": "lt", "target-col": "qty", "const": {"type": "integer", "v": 15}},
    }]
    job = server.datasources.update_hyper_data(datasource_id, request_id=str(uuid.uuid4()), actions=delete)
    job = server.jobs.wait_for_job(job)
    assert job.finish_code == 0, job.finish_code
    step("update_hyper_data delete without a payload")
