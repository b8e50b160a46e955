#!/usr/bin/python3
"""SciPy reference for the portal's drift statistics (src/Portal.Domain/Monitoring/Drift/).

Run with Debian's python3-scipy (1.10.1): /usr/bin/python3 scipy_drift.py ...

  fixture OUT.json   write the parity fixture: inputs and SciPy's outputs (read by the domain tests)
  bench DIR          compute the drift of the features the C# benchmark wrote to DIR (manifest.json + raw arrays),
                     print one JSON object: {"seconds": ..., "features": [...]} (seconds = the computation only)

The definitions (the same as the C# code):
  numeric      KS = scipy.stats.ks_2samp(reference, current) (two-sided, method 'auto');
               PSI over bins from the reference: edges = unique(numpy.quantile(reference, [0.1, ..., 0.9])) (linear),
               bin of v = searchsorted(edges, v, side='right').
  categorical  chi2 = scipy.stats.chisquare(f_obs, f_exp) over the reference's categories, f_obs = current counts per
               reference category, f_exp = reference share x sum(f_obs). Current values the reference never had are left out
               of the test (they are "unseen", data quality) but form one extra PSI bin (reference share 0).
               Fewer than two categories, or no current value in them: statistic 0, p-value 1.
  PSI          sum((c - r) * ln(c / r)) over bins, r and c the shares of non-missing values, a share of 0 replaced by 0.0001.
  missing      NaN (numeric) and null / code -1 (categorical) are left out on both sides. A feature with no current value to
               compare: statistic 0, p-value 1, PSI 0.
"""
import json
import os
import sys
import time

import numpy as np
from scipy import stats

EMPTY_SHARE = 0.0001
LEVELS = [i / 10 for i in range(1, 10)]
MAX_AUTO_N = 10000


def psi(reference_counts, current_counts):
    reference_counts = np.asarray(reference_counts, dtype=np.int64)
    current_counts = np.asarray(current_counts, dtype=np.int64)
    if reference_counts.sum() == 0 or current_counts.sum() == 0:
        return 0.0
    r = reference_counts / reference_counts.sum()
    c = current_counts / current_counts.sum()
    r = np.where(r == 0, EMPTY_SHARE, r)
    c = np.where(c == 0, EMPTY_SHARE, c)
    return float(np.sum((c - r) * np.log(c / r)))


def numeric_drift(reference, current):
    reference = reference[~np.isnan(reference)]
    current = current[~np.isnan(current)]
    if len(current) == 0 or len(reference) == 0:
        return {"statistic": 0.0, "pValue": 1.0, "psi": 0.0, "exact": False}
    ks = stats.ks_2samp(reference, current)
    edges = np.unique(np.quantile(reference, LEVELS))
    bins = len(edges) + 1
    reference_bins = np.bincount(np.searchsorted(edges, reference, side="right"), minlength=bins)
    current_bins = np.bincount(np.searchsorted(edges, current, side="right"), minlength=bins)
    return {
        "statistic": float(ks.statistic),
        "pValue": float(ks.pvalue),
        "psi": psi(reference_bins, current_bins),
        "exact": max(len(reference), len(current)) <= MAX_AUTO_N,
    }


def categorical_drift(reference_codes, current_codes, names):
    """Codes index names; -1 is missing. The reference's categories are ordered by name (ordinal)."""
    reference_codes = reference_codes[reference_codes >= 0]
    current_codes = current_codes[current_codes >= 0]
    size = len(names)
    reference_all = np.bincount(reference_codes, minlength=size)
    current_all = np.bincount(current_codes, minlength=size)
    seen = sorted((code for code in range(size) if reference_all[code] > 0), key=lambda code: names[code])
    reference_counts = reference_all[seen]
    observed = current_all[seen]
    unseen = int(len(current_codes) - observed.sum())
    if len(current_codes) == 0 or len(reference_codes) == 0:
        return {"statistic": 0.0, "pValue": 1.0, "psi": 0.0, "exact": False}
    if len(seen) < 2 or observed.sum() == 0:
        statistic, p_value = 0.0, 1.0
    else:
        expected = (reference_counts / reference_counts.sum()) * observed.sum()
        result = stats.chisquare(observed, expected)
        statistic, p_value = float(result.statistic), float(result.pvalue)
    if unseen > 0:
        value = psi(np.append(reference_counts, 0), np.append(observed, unseen))
    else:
        value = psi(reference_counts, observed)
    return {"statistic": statistic, "pValue": p_value, "psi": value, "exact": False}


def run_bench(directory):
    with open(os.path.join(directory, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    data = []
    for feature in manifest["features"]:
        if feature["kind"] == "numeric":
            reference = np.fromfile(os.path.join(directory, feature["reference"]), dtype="<f8")
            current = np.fromfile(os.path.join(directory, feature["current"]), dtype="<f8")
        else:
            reference = np.fromfile(os.path.join(directory, feature["reference"]), dtype="<i4")
            current = np.fromfile(os.path.join(directory, feature["current"]), dtype="<i4")
        data.append((feature, reference, current))
    started = time.perf_counter()
    results = []
    for feature, reference, current in data:
        if feature["kind"] == "numeric":
            result = numeric_drift(reference, current)
        else:
            result = categorical_drift(reference, current, feature["categories"])
        result["name"] = feature["name"]
        results.append(result)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "scipy": __import__("scipy").__version__, "features": results}))


def _numbers(values):
    return [None if np.isnan(v) else float(v) for v in values]


def make_fixture(path):
    rng = np.random.default_rng(20261202)
    cases = []

    def numeric(name, reference, current):
        reference = np.asarray(reference, dtype=float)
        current = np.asarray(current, dtype=float)
        expected = numeric_drift(reference, current)
        cases.append({"name": name, "kind": "numeric", "reference": _numbers(reference), "current": _numbers(current), **expected})

    def categorical(name, reference, current):
        names = sorted({v for v in list(reference) + list(current) if v is not None})
        index = {n: i for i, n in enumerate(names)}
        reference_codes = np.array([-1 if v is None else index[v] for v in reference], dtype=np.int64)
        current_codes = np.array([-1 if v is None else index[v] for v in current], dtype=np.int64)
        expected = categorical_drift(reference_codes, current_codes, names)
        cases.append({"name": name, "kind": "categorical", "referenceCategories": list(reference),
                      "currentCategories": list(current), **expected})

    def rounded(values, digits=6):
        return np.round(values, digits)

    # Exact KS, equal sizes (SciPy's square formula), small and medium.
    numeric("exact-equal-8", rounded(rng.normal(0, 1, 8)), rounded(rng.normal(0.8, 1, 8)))
    numeric("exact-equal-200", rounded(rng.normal(0, 1, 200)), rounded(rng.normal(0.1, 1, 200)))
    # Exact KS, unequal sizes, continuous and with many ties.
    numeric("exact-unequal-5-7", [1, 2, 3, 4, 5], [2.5, 6, 7, 8, 9, 10, 11])
    numeric("exact-ties-integers", rng.integers(0, 6, 40).astype(float), rng.integers(1, 7, 55).astype(float))
    numeric("exact-unequal-50-73", rounded(rng.normal(0, 1, 50)), rounded(rng.normal(0.5, 1.3, 73)))
    numeric("exact-unequal-3000-2000", rounded(rng.normal(0, 1, 3000)), rounded(rng.normal(0.05, 1, 2000)))
    numeric("exact-identical-samples", [0.5, 1.5, 2.5, 3.5], [0.5, 1.5, 2.5, 3.5])
    numeric("exact-with-missing", [np.nan, 1.0, 2.0, 3.0, np.nan, 4.0, 5.0, 6.0], [2.0, np.nan, 7.0, 8.0, 9.0])
    # Asymptotic KS (max(n1, n2) > 10,000): kstwo.sf(D, round(n1 n2 / (n1 + n2))) in each of its regimes.
    numeric("asymp-unshifted-12000-9000", rounded(rng.normal(0, 1, 12000)), rounded(rng.normal(0, 1, 9000)))
    numeric("asymp-shifted-12000-9000", rounded(rng.normal(0, 1, 12000)), rounded(rng.normal(0.1, 1, 9000)))
    numeric("asymp-small-window-n99", rounded(rng.normal(0, 1, 12000)), rounded(rng.normal(0.15, 1, 100)))
    numeric("asymp-small-window-n99-unshifted", rounded(rng.normal(0, 1, 12000)), rounded(rng.normal(0, 1, 100)))
    numeric("asymp-window-n396", rounded(rng.exponential(1, 12000)), rounded(rng.exponential(1.1, 400)))
    numeric("asymp-far-shift", rounded(rng.normal(0, 1, 11000)), rounded(rng.normal(3, 1, 2000)))
    numeric("asymp-ties", rng.integers(0, 20, 15000).astype(float), rng.integers(0, 21, 3000).astype(float))
    # Categorical.
    letters = np.array(list("abcdef"))
    categorical("chi2-three", list(rng.choice(letters[:3], 300, p=[0.5, 0.3, 0.2])),
                list(rng.choice(letters[:3], 120, p=[0.45, 0.35, 0.2])))
    categorical("chi2-six-shifted", list(rng.choice(letters, 5000, p=[0.3, 0.2, 0.2, 0.1, 0.1, 0.1])),
                list(rng.choice(letters, 800, p=[0.1, 0.1, 0.2, 0.2, 0.2, 0.2])))
    categorical("chi2-empty-current-category", list(rng.choice(letters[:4], 400)), list(rng.choice(letters[:3], 90)))
    categorical("chi2-unseen-and-missing", list(rng.choice(letters[:3], 200)) + [None] * 7,
                list(rng.choice(letters[:5], 150)) + [None] * 11)
    categorical("chi2-one-category", ["x"] * 30, ["x"] * 10 + ["y"] * 5)

    # The Kolmogorov distribution itself over every regime of scipy's kstwo.sf (n, x).
    kolmogorov = []
    for n in [1, 2, 5, 10, 50, 99, 140, 141, 396, 1000, 5000, 90909, 100001, 250000]:
        for x in [0.001, 0.004, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.45, 0.5, 0.6, 0.8, 0.95]:
            kolmogorov.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})
        for multiple in [0.6, 0.9, 1.5, 2.0, 3.0]:
            x = multiple / np.sqrt(n)
            if x < 1:
                kolmogorov.append({"n": n, "x": float(x), "sf": float(stats.kstwo.sf(x, n))})

    with open(path, "w", encoding="utf-8") as f:
        json.dump({"generator": "bench/Portal.Bench.Drift/scipy_drift.py fixture", "scipy": __import__("scipy").__version__,
                   "numpy": np.__version__, "cases": cases, "kolmogorov": kolmogorov}, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "fixture":
        make_fixture(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "bench":
        run_bench(sys.argv[2])
    else:
        sys.exit(__doc__)
