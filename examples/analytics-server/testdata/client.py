"""Calls the Go analytics server with TabPy's own Python client.

Usage: client.py URL USER PASSWORD CSV
Prints a JSON object with what the client saw, plus scikit-learn's churn
probabilities for the same rows (trained on the same CSV) to compare with.
"""
import json
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from tabpy.tabpy_tools.client import Client

warnings.filterwarnings("ignore")
url, user, password, csv_path = sys.argv[1:5]

client = Client(url)
client.set_credentials(user, password)

out = {}
endpoints = client.get_endpoints()
out["endpoints"] = {
    name: {"type": ep.type, "version": ep.version, "description": ep.description, "docstring": ep.docstring}
    for name, ep in endpoints.items()
}
out["status"] = client.get_status()

rows = {
    "tenure_months": [1, 24, 60, 3],
    "monthly_charges": [110.0, 70.5, 30.0, 95.0],
    "support_calls": [4, 1, 0, 6],
    "yearly_contract": [0, 1, 1, 0],
}
order = ["tenure_months", "monthly_charges", "support_calls", "yearly_contract"]
out["churn_risk"] = client.query("churn_risk", *[rows[c] for c in order])["response"]
out["churn_risk_kwargs"] = client.query("churn_risk", **rows)["response"]
out["sentiment"] = client.query("sentiment", ["I love it, great service!", "Awful. I want a refund.", "It arrived on Tuesday."])["response"]
out["ttest"] = client.query("ttest", [5.1, 4.9, 5.3, 5.0, 5.2], [6.0, 6.2, 5.8, 6.1, 6.3])["response"]
out["kmeans"] = client.query("kmeans", [2] * 6, [0, 0.2, 0.1, 9, 9.2, 9.1], [0, 0.1, 0.2, 9, 9.1, 9.2])["response"]
out["describe"] = client.query("describe", {"a": [1, 2, 3], "b": ["x", "y", "z"]})["response"]

try:
    client.query("nope", [1])
    out["unknown"] = "no error"
except Exception as e:  # the client raises on non-200 answers
    out["unknown"] = str(e)

df = pd.read_csv(csv_path)
model = LogisticRegression(C=np.inf, max_iter=10000, tol=1e-10).fit(df[order].to_numpy(), df["churned"].to_numpy())
out["sklearn_churn_risk"] = model.predict_proba(np.array([rows[c] for c in order]).T)[:, 1].tolist()

json.dump(out, sys.stdout)
