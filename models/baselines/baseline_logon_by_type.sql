-- Successful user→host logons by logon type (2 interactive, 3 network, 10 remote interactive, ...).
SELECT
  logon_key || '#' || coalesce(CAST(logon_type AS VARCHAR), '-') AS id,
  logon_key AS key,
  "user",
  host,
  logon_type,
  count(*) AS events,
  min(ts) AS first_seen,
  max(ts) AS last_seen
FROM {{ ref('stg_window_events') }}
WHERE logon_key IS NOT NULL
GROUP BY logon_key, "user", host, logon_type
