-- Successful user→host logons ("alice@ws-042") over all logon types: the stream's logon key.
SELECT
  key,
  min("user") AS "user",
  min(host) AS host,
  sum(events) AS events,
  count(*) AS logon_types,
  min(first_seen) AS first_seen,
  max(last_seen) AS last_seen
FROM {{ ref('baseline_logon_by_type') }}
GROUP BY key
