"""Within-table rule results of a whole batch: vectorised identities → statuses and the few findings.

Only cells whose identity does not hold become ``Finding`` objects; their
location and message strings are built with the per-dataset engine's own
functions (``reproduce.row_label``, ``rules.amounts.identity_finding``), so a
finding reads the same whether one dataset or ten thousand were checked.
"""

from __future__ import annotations

import pandas as pd

from budgetkit.core.money import quantum_fen
from budgetkit.checks.reproduce import Identity, _part_name, header, row_label
from budgetkit.checks.amounts import identity_finding, table_cn
from budgetkit.checks.within import WITHIN_RULES


class _OneRow:
    """One row as the tiny frame ``reproduce.row_label`` reads (``frame.at[idx, col]``), without a DataFrame."""

    def __init__(self, rec: dict):
        self.rec, self.at, self.index = rec, self, [0]

    def __getitem__(self, key):
        return self.rec[key[1]]


def _identity_object(row, rec: dict, spec, part, year, long) -> Identity:
    """Rebuild the per-dataset Identity (location and relation strings) for one failing cell."""
    cols = {c.key: c for c in part.amounts}
    one = _OneRow(rec)
    label = _part_name(spec, part) + row_label(one, 0, part, spec.layout)
    if row.kind == "balance":
        _, rp_key, rc = row.relation.split(":")
        rp = spec.part(rp_key)
        rdf = long.parts[(spec.id, rp_key)]
        rrec = rdf[(rdf["ds"] == row.ds) & (rdf["pos"] == row.row_r)].iloc[0].to_dict()
        llabel = f"{part.name}{row_label(one, 0, part, spec.layout)}"
        rlabel = f"{rp.name}{row_label(_OneRow(rrec), 0, rp, spec.layout)}"
        location, relation = f"{llabel} = {rlabel}", rlabel
    elif row.kind == "row":
        rhs = row.relation[len("row:"):].split("+")
        relation = " + ".join(header(cols[t], year) for t in rhs)
        location = f"{label} / {header(cols[row.column], year)}"
    else:
        relation, location = row.relation, f"{label} / {header(cols[row.column], year)}"
    printed = None if pd.isna(row.printed) else int(row.printed)
    k = int(row.n_printed) - (printed is not None)
    terms = tuple([int(row.recomputed)] + [0] * (k - 1)) if k > 0 else ()
    return Identity(rule=row.rule, table=spec.id, part=part.key, row=int(row.row), column=row.column,
                    location=location, relation=relation, printed=printed, terms=terms)


class _Unit:
    def __init__(self, unit, decimals):
        self.unit, self.decimals = unit, decimals


def within_results(long, template) -> tuple[list[dict], list[dict]]:
    """Findings and statuses of the within-table rules for every dataset of ``long``."""
    from budgetkit.batch.identities import within_identities

    ids = within_identities(long.parts, template)
    m = long.meta
    keys = list(zip(m["ds"], m["table"]))
    quantum = {k: quantum_fen(u, int(d)) for k, u, d in zip(keys, m["unit"], m["decimals"])}
    units = {k: _Unit(u, int(d)) for k, u, d in zip(keys, m["unit"], m["decimals"])}
    years = {k: (None if pd.isna(y) else int(y)) for k, y in zip(keys, m["printed_year"])}
    declared_empty = {k: bool(e) for k, e in zip(keys, m["declared_empty"])}
    q = pd.Series([quantum[(d, t)] for d, t in zip(ids["ds"], ids["table"])], index=ids.index, dtype="int64")
    diff = ids["printed"].fillna(0).astype("int64") - ids["recomputed"].astype("int64")
    tol = (ids["n_printed"].astype("int64") * q) // 2
    status = pd.Series("ok", index=ids.index)
    status[diff != 0] = "rounding"
    status[diff.abs() > tol] = "error"
    ids = ids.assign(status=status)
    bad = ids[ids["status"] != "ok"]
    findings = []
    folders = [str(f) for f in long.folders]
    for (table_id, part_key), group in bad.groupby(["table", "part"], sort=False):
        spec = template.table(table_id)
        part = spec.part(part_key)
        df = long.parts[(table_id, part_key)]
        rows = group.merge(df.drop(columns=["kind"]).rename(columns={"pos": "row"}), on=["ds", "row"], how="left",
                           suffixes=("", "_df"))
        label_cols = ["row_no", "key", *part.label_keys]
        kinds = group.merge(df[["ds", "pos", "kind"]].rename(columns={"pos": "row", "kind": "row_kind"}),
                            on=["ds", "row"], how="left")["row_kind"].tolist()
        for row, rec_vals, row_kind in zip(group.itertuples(index=False), rows[label_cols].to_dict("records"),
                                           kinds):
            rec = {**rec_vals, "kind": row_kind}
            ident = _identity_object(row, rec, spec, part, years[(row.ds, table_id)], long)
            f = identity_finding(ident, units[(row.ds, table_id)])
            if f is not None:
                findings.append({"ds": row.ds, "dataset": folders[row.ds], **f.to_dict()})
    # statuses: missing table → insufficient_data; empty by declaration → not_applicable; no rows → insufficient
    has_values = {}
    for (tid, _pk), df in long.parts.items():
        amounts = [c for c in df.columns if str(df[c].dtype) == "Int64"]
        if amounts and len(df):
            anyv = df[amounts].notna().any(axis=1).groupby(df["ds"]).any()
            for d, v in anyv.items():
                has_values[(d, tid)] = has_values.get((d, tid), False) or bool(v)
    n_ids = ids.groupby(["ds", "rule"]).size().to_dict()
    failing = set(zip(bad.loc[bad["status"] == "error", "ds"], bad.loc[bad["status"] == "error", "rule"]))
    statuses = []
    for ds in range(len(long.folders)):
        for rule_id in WITHIN_RULES:
            tid = rule_id.split(".")[0]
            if (ds, tid) not in quantum:
                st, reason = "insufficient_data", f"缺少{table_cn(tid)}"
            elif declared_empty[(ds, tid)] and not has_values.get((ds, tid), False):
                st, reason = "not_applicable", f"{table_cn(tid)} 注明本表无数据"
            elif not n_ids.get((ds, rule_id)):
                st, reason = "insufficient_data", f"{table_cn(tid)} 没有可核对的行（表结构未识别）"
            else:
                st, reason = ("fail" if (ds, rule_id) in failing else "pass"), ""
            statuses.append({"ds": ds, "dataset": folders[ds], "rule": rule_id, "status": st, "reason": reason})
    return findings, statuses
