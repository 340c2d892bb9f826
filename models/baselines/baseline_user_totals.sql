-- Per-user totals, to normalise against.
SELECT
  "user",
  count(*) AS events,
  count(logon_key) AS logons,
  count(DISTINCT host) AS hosts,
  min(ts) AS first_seen,
  max(ts) AS last_seen
FROM {{ ref('stg_window_events') }}
WHERE nullif("user", '') IS NOT NULL
GROUP BY "user"
