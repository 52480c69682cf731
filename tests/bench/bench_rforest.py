#!/usr/bin/python3
"""bench_rforest.py: scikit-learn's RandomForestClassifier on the matrix and folds that
bench_rforest (C) wrote with --out DIR, as EmoGen ran it: RandomForestClassifier(n_estimators=100,
random_state=2022), other options at their defaults.

    /usr/bin/python3 bench_rforest.py DIR [--trees N] [--jobs J] [--reps R] [--seeds S]

Prints JSON lines like the C program: fit_all (best of R fits on all rows), cv_strat and cv_group
(out-of-fold accuracy and macro F1 over the 5 given folds, mean and sd over the forest seeds
random_state = 2022, 2023, ..., and the mean summed fit seconds of one cross-validation)."""
import argparse
import json
import time

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score


def load(d):
    n, f = (int(v) for v in open(f"{d}/meta.txt").read().split())
    X = np.fromfile(f"{d}/X.f64", dtype=np.float64).reshape(n, f)
    y = np.fromfile(f"{d}/y.i32", dtype=np.int32)
    folds = {k: np.fromfile(f"{d}/fold_{k}.i32", dtype=np.int32) for k in ("strat", "group")}
    return X, y, folds


def model(a, seed=2022):
    return RandomForestClassifier(n_estimators=a.trees, random_state=seed, n_jobs=a.jobs)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--trees", type=int, default=100)
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--seeds", type=int, default=1)
    a = p.parse_args()
    X, y, folds = load(a.dir)
    base = {"impl": f"sklearn-{sklearn.__version__}", "jobs": a.jobs, "rows": X.shape[0],
            "values": X.shape[1], "trees": a.trees}
    best = best_cpu = 1e30
    for _ in range(a.reps):
        m = model(a)
        t0, c0 = time.perf_counter(), time.process_time()
        m.fit(X, y)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    nodes = sum(e.tree_.node_count for e in m.estimators_)
    print(json.dumps({**base, "what": "fit_all", "nodes": nodes, "fit_seconds": round(best, 4),
                      "fit_cpu_seconds": round(best_cpu, 4)}))
    for name, fold in folds.items():
        accs, f1s, fit_s, cv_s, c0 = [], [], 0.0, 0.0, time.process_time()
        for seed in range(2022, 2022 + a.seeds):
            pred = np.empty_like(y)
            t_all = time.perf_counter()
            for s in range(5):
                te = fold == s
                m = model(a, seed)
                t0 = time.perf_counter()
                m.fit(X[~te], y[~te])
                fit_s += time.perf_counter() - t0
                pred[te] = m.predict(X[te])
            cv_s += time.perf_counter() - t_all
            accs.append(accuracy_score(y, pred))
            f1s.append(float(np.mean(f1_score(y, pred, average=None, labels=[0, 1, 2, 3]))))
        print(json.dumps({**base, "what": f"cv_{name}", "seeds": a.seeds,
                          "accuracy_first_seed": round(accs[0], 4), "accuracy_mean": round(float(np.mean(accs)), 4),
                          "accuracy_sd": round(float(np.std(accs)), 4), "macro_f1_mean": round(float(np.mean(f1s)), 4),
                          "fit_seconds": round(fit_s / a.seeds, 4), "cv_seconds": round(cv_s / a.seeds, 4),
                          "cv_cpu_seconds": round((time.process_time() - c0) / a.seeds, 4)}))

if __name__ == "__main__":
    main()
