-- Per-host totals, to normalise against (a host that does little makes everything look rare).
SELECT
  host,
  count(*) AS events,
  count(image_key) AS process_starts,
  count(logon_key) AS logons,
  count(DISTINCT "user") AS users,
  min(ts) AS first_seen,
  max(ts) AS last_seen
FROM {{ ref('stg_window_events') }}
WHERE nullif(host, '') IS NOT NULL
GROUP BY host
