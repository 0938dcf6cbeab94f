#!/usr/bin/env python3
"""bench/seed-sums.py [ROWS] — what seeding the budgets at start costs as the request log grows, on SQLite.

Builds a request log of ROWS rows (default 2,000,000; 20 keys, 3 teams, a row every 50 ms) with the real
migrations (baton-store's V1, then V2), and times the two ways of summing each key's and team's spend that
Enforcer.seed needs: over the whole log (what the gateway did before migration V2) and over the hourly sums
V2 keeps (what it does now). Python's sqlite3 runs the same SQLite engine the gateway's sqlite-jdbc does; the
figures are the engine's, without the JDBC layer.
"""
import pathlib
import sqlite3
import sys
import tempfile
import time

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
migrations = pathlib.Path(__file__).resolve().parent.parent / "baton-store/src/main/resources/db/migration"
with tempfile.TemporaryDirectory() as folder:
    db = sqlite3.connect(f"{folder}/baton.db")
    db.executescript((migrations / "V1__keys_teams_requests_responses.sql").read_text())
    start_ms = 1_796_400_000_000
    db.executemany("INSERT INTO baton_requests VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   ((f"req_{i:012d}", start_ms + i * 50, f"key_{i % 20}", f"team_{i % 3}", "/v1/chat/completions",
                     "smart", "smart", "[]", 10, 20, 0.0001, 100, 200, None, None, None, None, None)
                    for i in range(rows)))
    db.commit()

    t = time.perf_counter()
    for column in ("key_id", "team_id"):
        db.execute(f"SELECT {column}, SUM(cost_usd) FROM baton_requests WHERE time_ms >= 0 AND {column} IS NOT NULL"
                   f" GROUP BY {column}").fetchall()
    whole_log = time.perf_counter() - t

    t = time.perf_counter()
    db.executescript((migrations / "V2__spend_by_hour.sql").read_text())
    backfill = time.perf_counter() - t
    hours = db.execute("SELECT COUNT(*) FROM baton_spend_hours").fetchone()[0]

    t = time.perf_counter()
    for prefix in ("key:", "team:"):
        db.execute("SELECT scope, SUM(cost_usd) FROM baton_spend_hours WHERE scope LIKE ? AND hour >= 0 GROUP BY scope",
                   (prefix + "%",)).fetchall()
    by_hour = time.perf_counter() - t

print(f"{rows:,} rows: summed over the whole log {whole_log * 1000:.0f} ms; over {hours:,} hourly sums "
      f"{by_hour * 1000:.1f} ms (migration V2's one-time backfill: {backfill * 1000:.0f} ms)")
