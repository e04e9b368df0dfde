"""Reference results from scipy, numpy and scikit-learn for builtin_test.go.

Reads a JSON object from stdin and prints a JSON object of results.
"""
import io
import json
import sys

import numpy as np
from scipy import stats
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score
import pandas as pd

req = json.load(sys.stdin)
out = {}

t = stats.ttest_ind(req["ttest_a"], req["ttest_b"], equal_var=False)
out["ttest_t"] = float(t.statistic)
out["ttest_p"] = float(t.pvalue)

groups = {}
for v, g in zip(req["anova_values"], req["anova_groups"]):
    groups.setdefault(g, []).append(v)
f = stats.f_oneway(*groups.values())
out["anova_f"] = float(f.statistic)
out["anova_p"] = float(f.pvalue)

slope, intercept = np.polyfit(req["lin_x"], req["lin_y"], 1)
out["lin_slope"] = float(slope)
out["lin_intercept"] = float(intercept)

df = pd.read_csv(io.StringIO(req["logit_csv"]))
X = df[req["logit_features"]].to_numpy()
y = df[req["logit_label"]].to_numpy()
model = LogisticRegression(C=np.inf, max_iter=10000, tol=1e-10).fit(X, y)
out["logit_proba"] = model.predict_proba(np.array(req["logit_score"]).T)[:, 1].tolist()

pts = np.array([req["km_x"], req["km_y"]]).T
pts = (pts - pts.mean(axis=0)) / pts.std(axis=0)
km = KMeans(n_clusters=req["km_k"], n_init=10, random_state=0).fit(pts)
out["km_ari"] = float(adjusted_rand_score(km.labels_, req["km_labels"]))

json.dump(out, sys.stdout)
